# Two commands set everything up on a fresh machine (see README.md):
#   make run   - install, migrate, load the demonstration county, serve on http://127.0.0.1:8000
#   make test  - install the test requirements and run the whole suite
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000

.PHONY: run test install install-test lint postgres-test clean

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

run: install
	DEBUG=true $(PY) manage.py migrate --noinput
	DEBUG=true $(PY) manage.py load_demo
	@echo "Serving on http://$(HOST)/ (admin at http://$(HOST)/admin/). Stop with Ctrl-C."
	DEBUG=true $(PY) manage.py runserver $(HOST)

test: install-test
	$(PY) -m pytest

lint: install-test
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run

# The same suite on a throwaway PostgreSQL 15 cluster on 127.0.0.1.
postgres-test: install-test
	bash scripts/postgres.sh run -- $(PY) -m pytest

clean:
	rm -rf $(VENV) staticfiles .pytest_cache test-output
