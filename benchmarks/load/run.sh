#!/usr/bin/env bash
# The load test (docs/performance.md, "Under load"), from a fresh clone, on 127.0.0.1 only:
#
#   benchmarks/load/run.sh [--posts 40000] [--users 50] [--spawn-rate 1] [--run-time 180] [--port 8480]
#                          [--pg-port 55480] [--keep-db DIR | --database-url URL]
#   make load-test POSTS=40000
#
# 1. starts a throwaway PostgreSQL 15 cluster on 127.0.0.1:--pg-port (in a temporary folder,
#    deleted at the end; or in --keep-db DIR, kept and reused by the next run), or uses
#    --database-url; migrates; generates --posts posts over 5 years if it holds none;
# 2. prepares it (benchmarks/load/prepare.py): the HR, director and manager accounts the
#    simulated users sign in as, a draft committee report, an HR extract to import;
# 3. serves it as in production (config.settings.production, `make serve`'s steps):
#    collectstatic, gunicorn with 4 workers on 127.0.0.1:--port, and the task worker;
# 4. runs locust headless (benchmarks/load/locustfile.py): --users users for --run-time
#    seconds, and meanwhile restarts the web workers (gunicorn's graceful reload, HUP) at a
#    third of the run, stops the task worker with TERM (it finishes the task in hand) and
#    starts it again at five ninths, and kills it with KILL while it runs a job and starts
#    it again at seven ninths;
# 5. waits for the background work to end and checks every job started reached "done" or
#    "failed" with its owner emailed (benchmarks/load/check.py), prints the summary, and
#    writes it to benchmarks/results/load-<time>-<posts>p.json with locust's table beside it
#    (..._stats.csv); the servers' logs, locust's other CSVs and the extract stay in
#    benchmarks/results/load-<time>-<posts>p/ (which git ignores);
# 6. stops everything it started. Exit status 0 when every criterion was met.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$(pwd)"
PY="${PY:-$ROOT/.venv/bin/python}"

POSTS=40000
USERS=50
SPAWN_RATE=1  # locust's own default: the 50 people arrive over the first 50 s
RUN_TIME=180
PORT=8480
PG_PORT=55480
KEEP_DB=""
DATABASE_URL="${LOAD_DATABASE_URL:-}"
while [ $# -gt 0 ]; do
  case "$1" in
    --posts) POSTS="$2"; shift 2 ;;
    --users) USERS="$2"; shift 2 ;;
    --spawn-rate) SPAWN_RATE="$2"; shift 2 ;;
    --run-time) RUN_TIME="$2"; shift 2 ;;
    --port) PORT="$2"; shift 2 ;;
    --pg-port) PG_PORT="$2"; shift 2 ;;
    --keep-db) KEEP_DB="$2"; shift 2 ;;
    --database-url) DATABASE_URL="$2"; shift 2 ;;
    *) sed -n '2,8p' "$0" >&2; exit 2 ;;
  esac
done

# Only this machine: the load test makes accounts and imports records in the database it is given.
case "$DATABASE_URL" in
  ""|*@127.0.0.1:*|*@127.0.0.1/*|*@localhost:*|*@localhost/*) ;;
  *) echo "run.sh: --database-url must be a throwaway database on 127.0.0.1" >&2; exit 2 ;;
esac

STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
RESULTS="$ROOT/benchmarks/results"
WORK="$RESULTS/load-$STAMP-${POSTS}p"
mkdir -p "$WORK"
EVENTS="$WORK/events.tsv"
: >"$EVENTS"
say() { echo "[load $(date +%H:%M:%S)] $*"; }
event() { printf '%s\t%s\n' "$(date +%s.%N)" "$*" >>"$EVENTS"; say "$*"; }

# --- the production settings, for this machine only -------------------------------------------
export DJANGO_SETTINGS_MODULE=config.settings.production
SECRET_KEY="$("$PY" -c 'import secrets; print(secrets.token_urlsafe(64))')"
LOAD_PASSWORD="$("$PY" -c 'import secrets; print(secrets.token_urlsafe(18))')"
export SECRET_KEY LOAD_PASSWORD
export ALLOWED_HOSTS=127.0.0.1
export SITE_URL="https://127.0.0.1:$PORT"
export DB_CONN_MAX_AGE=60          # docs/deploy.md: connections kept between requests
export LOG_LEVEL=INFO
export GUNICORN_WORKERS=4 GUNICORN_BIND="127.0.0.1:$PORT" GUNICORN_ACCESS_LOG="$WORK/access.log"

# --- what it starts, and stops whatever happens ------------------------------------------------
BIN="$(dirname "$(readlink -f "$(command -v initdb || echo /usr/lib/postgresql/15/bin/initdb)")")"
PGDATA_DIR=""
GUNICORN_PID=""
WORKER_PID=""
LOCUST_PID=""
as_owner() { if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
stop_pid() {  # stop_pid PID [SIGNAL]: signal one process we started and wait for it
  local pid="$1" signal="${2:-TERM}"
  [ -n "$pid" ] || return 0
  kill "-$signal" "$pid" 2>/dev/null || true
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  stop_pid "$LOCUST_PID"; stop_pid "$GUNICORN_PID"; stop_pid "$WORKER_PID"
  if [ -n "$PGDATA_DIR" ]; then
    as_owner "$BIN/pg_ctl" -D "$PGDATA_DIR" -m fast -w stop >/dev/null 2>&1 || true
    [ -n "$KEEP_DB" ] || rm -rf "$PGDATA_DIR"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- the database -------------------------------------------------------------------------------
if [ -z "$DATABASE_URL" ]; then
  if [ -n "$KEEP_DB" ]; then PGDATA_DIR="$KEEP_DB"; mkdir -p "$PGDATA_DIR"; else PGDATA_DIR="$(mktemp -d /tmp/load-pg.XXXXXX)"; fi
  [ "$(id -u)" = "0" ] && chown postgres:postgres "$PGDATA_DIR"
  if [ ! -f "$PGDATA_DIR/PG_VERSION" ]; then
    as_owner "$BIN/initdb" -D "$PGDATA_DIR" -U postgres -A trust -E UTF8 >/dev/null
  fi
  as_owner "$BIN/pg_ctl" -D "$PGDATA_DIR" -l "$PGDATA_DIR/server.log" -w start \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PGDATA_DIR" >/dev/null
  "$BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc "select 1 from pg_database where datname='workforce'" \
    | grep -q 1 || "$BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres workforce
  DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/workforce"
fi
export DATABASE_URL
sql() { "$BIN/psql" "$DATABASE_URL" -tAc "$1"; }
say "PostgreSQL $(sql 'show server_version'), results in $WORK"

# --- the code's requirements (a fresh clone) ----------------------------------------------------
[ -x "$ROOT/.venv/bin/locust" ] || make install-test
[ -f static/build/app.css ] && [ -f static/build/govuk-frontend.min.js ] || make static

"$PY" manage.py migrate --noinput >"$WORK/migrate.log"
"$PY" manage.py collectstatic --noinput >"$WORK/collectstatic.log"
if [ "$(sql 'select count(*) from workforce_post')" = "0" ]; then
  say "Generating $POSTS posts over 5 years (a few minutes at 40,000)"
  started=$(date +%s)
  "$PY" manage.py generate_scale --posts "$POSTS" --years 5 >"$WORK/generate.log" 2>&1
  say "Generated in $(( $(date +%s) - started )) s"
fi
"$PY" benchmarks/load/prepare.py --out "$WORK"
# From cold, as after a first deployment: nothing kept in the shared cache (the dashboard's
# summaries, a draft's figures) from an earlier run on a kept database.
"$PY" manage.py shell -v 0 -c "from django.core.cache import cache; cache.clear()"
sql "vacuum analyze" >/dev/null

# --- the servers ------------------------------------------------------------------------------
start_worker() {
  nice -n 10 "$PY" manage.py run_worker >>"$WORK/worker.log" 2>&1 &  # as scripts/serve.sh does
  WORKER_PID=$!
}
"$PY" -m gunicorn -c config/gunicorn.conf.py config.wsgi:application >"$WORK/gunicorn.log" 2>&1 &
GUNICORN_PID=$!
start_worker
"$PY" manage.py run_scheduled warm-dashboards >>"$WORK/worker.log" 2>&1  # as scripts/serve.sh does
for _ in $(seq 1 60); do
  curl -fsS -o /dev/null -H "X-Forwarded-Proto: https" "http://127.0.0.1:$PORT/accounts/login/" && break
  sleep 1
done
say "gunicorn (pid $GUNICORN_PID, 4 workers) on 127.0.0.1:$PORT; task worker pid $WORKER_PID"

# --- the run, and the restarts while it runs -----------------------------------------------------
START="$(date +%s.%N)"
event "locust: $USERS users for $RUN_TIME s"
LOAD_PLAN="$WORK/plan.json" LOAD_REQUESTS="$WORK/requests.csv" "$ROOT/.venv/bin/locust" -f benchmarks/load/locustfile.py --headless \
  -u "$USERS" -r "$SPAWN_RATE" --run-time "${RUN_TIME}s" --stop-timeout 120 --host "http://127.0.0.1:$PORT" \
  --csv "$WORK/locust" --only-summary >"$WORK/locust.log" 2>&1 &
LOCUST_PID=$!
at() { sleep "$("$PY" -c "import time; print(max(0, $START + $1 - time.time()))")"; }

at $(( RUN_TIME / 3 ))
kill -HUP "$GUNICORN_PID"
event "web workers restarted: gunicorn reloaded (HUP): new workers started, the old ones finished their requests"

at $(( RUN_TIME * 5 / 9 ))
old=$WORKER_PID
event "task worker $old stopped with TERM (it finishes the task in hand)"
stop_pid "$old" TERM
start_worker
event "task worker $old ended; started again as $WORKER_PID"

at $(( RUN_TIME * 7 / 9 ))
for _ in $(seq 1 40); do  # kill it while it runs a job, if one comes within 20 s
  [ "$(sql "select count(*) from jobs_job where status = 'running'")" != "0" ] && break
  sleep 0.5
done
running="$(sql "select count(*) from jobs_job where status = 'running'")"
old=$WORKER_PID
kill -KILL "$old"; wait "$old" 2>/dev/null || true
event "task worker $old killed with KILL while $running job(s) were running"
start_worker
event "task worker started again as $WORKER_PID (it marks the killed worker's jobs as interrupted)"

wait "$LOCUST_PID" || true
LOCUST_PID=""
event "locust stopped"

# --- what became of the work -------------------------------------------------------------------
SUMMARY="$RESULTS/load-$STAMP-${POSTS}p.json"
status=0
"$PY" benchmarks/load/check.py --since "$START" --stats "$WORK/locust" --events "$EVENTS" \
  --plan "$WORK/plan.json" --out "$SUMMARY" --requests "$WORK/requests.csv" \
  --setup "$USERS users (spawned $SPAWN_RATE a second) for $RUN_TIME s; gunicorn 4 sync workers and 1 task worker (database queue); PostgreSQL $(sql 'show server_version') on 127.0.0.1; $(sql 'select count(*) from workforce_post') posts" \
  || status=$?
cp "$WORK/locust_stats.csv" "$RESULTS/load-$STAMP-${POSTS}p_stats.csv"
exit $status
