# Two commands set everything up on a fresh machine (see README.md):
#   make run   - install, build the pages' design system, migrate, load the demonstration
#                county, serve on http://127.0.0.1:8000 with the task worker beside it
#   make test  - install the test requirements, build the design system, run the whole suite
PYTHON ?= python3
NPM ?= npm
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000
PYTEST_ARGS ?=

.PHONY: run test install install-test static lint postgres-test redis-test benchmark benchmark-postgres clean

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-test: requirements-test.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-test.txt
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

# The pages' design system: GOV.UK Frontend from the npm registry, compiled with the
# council's own font stack (static/scss/app.scss) into static/build/, which git ignores.
# Built from package.json and package-lock.json with `npm ci` whenever node_modules or
# the built files are missing or older than their sources.
node_modules/.installed: package.json package-lock.json
	@command -v $(NPM) >/dev/null 2>&1 || { \
	  echo "make: npm was not found. The pages' design system (GOV.UK Frontend) is built with"; \
	  echo "      Node.js 18+ and npm: install them (on Debian: apt-get install nodejs npm) and run"; \
	  echo "      make again."; exit 1; }
	$(NPM) ci --no-audit --no-fund --omit=optional
	touch $@

static/build/app.css static/build/admin.css: node_modules/.installed static/scss/app.scss static/scss/admin.scss
	$(NPM) run --silent build:css

static/build/govuk-frontend.min.js: node_modules/.installed
	$(NPM) run --silent build:js

static: static/build/app.css static/build/admin.css static/build/govuk-frontend.min.js

run: install static
	DEBUG=true $(PY) manage.py migrate --noinput
	DEBUG=true $(PY) manage.py load_demo
	@echo "Serving on http://$(HOST)/ (admin at http://$(HOST)/admin/) with the task worker. Stop both with Ctrl-C."
	DEBUG=true PYTHON=$(PY) bash scripts/run.sh $(HOST)

# The production run (docs/deploy.md): the production settings profile, with SECRET_KEY,
# ALLOWED_HOSTS, DATABASE_URL and the rest in the environment. Migrates, collects the
# static files, then runs gunicorn (config/gunicorn.conf.py) and the task worker
# (scripts/serve.sh) until Ctrl-C. A server runs the same steps from systemd.
.PHONY: serve
serve: install static
	DJANGO_SETTINGS_MODULE=config.settings.production $(PY) manage.py migrate --noinput
	DJANGO_SETTINGS_MODULE=config.settings.production $(PY) manage.py collectstatic --noinput
	DJANGO_SETTINGS_MODULE=config.settings.production PY=$(PY) bash scripts/serve.sh

test: install-test static
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
	  echo "Note: Chromium is not installed, so the browser tests (tests/browser) will be skipped. Install it with: apt-get install chromium"
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install-test
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run

# The same suite on a throwaway PostgreSQL 15 cluster on 127.0.0.1.
postgres-test: install-test static
	bash scripts/postgres.sh run -- $(PY) -m pytest $(PYTEST_ARGS)

# The tests of the task queue (marked queue) against a throwaway Redis on 127.0.0.1: tasks
# through django-tasks-rq and the shared cache in Redis, as with REDIS_URL in production.
redis-test: install-test static
	bash scripts/redis.sh run -- $(PY) -m pytest -m queue $(PYTEST_ARGS)

# The benchmark (benchmarks/README.md) on a workforce it generates: make benchmark POSTS=40000
POSTS ?= 4000
BENCH_ARGS ?=
benchmark: install
	$(PY) benchmarks/run.py --posts $(POSTS) $(BENCH_ARGS)

# The same on a throwaway PostgreSQL 15 cluster.
benchmark-postgres: install
	bash scripts/postgres.sh run -- $(PY) benchmarks/run.py --posts $(POSTS) $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache test-output
	find static/build -type f ! -name .gitignore -delete

# The load test (docs/performance.md, "Under load"): PostgreSQL, gunicorn with 4 workers and
# the task worker on 127.0.0.1, 50 locust users for 3 minutes with the restarts; not part of
# `make test`. make load-test LOAD_POSTS=300 LOAD_ARGS="--users 10 --run-time 60 --keep-db /tmp/pg"
LOAD_POSTS ?= 40000
LOAD_ARGS ?=
.PHONY: load-test
load-test: install-test static
	bash benchmarks/load/run.sh --posts $(LOAD_POSTS) $(LOAD_ARGS)
