#!/usr/bin/env bash
# The production run, as `make serve` starts it after migrate and collectstatic:
# gunicorn (config/gunicorn.conf.py) and the task worker side by side. Ctrl-C or a
# SIGTERM stops both; if either stops on its own, the other is stopped too, so a
# supervisor (systemd, docs/deploy.md) sees the failure and restarts the pair.
set -uo pipefail
cd "$(dirname "$0")/.."
PY="${PY:-.venv/bin/python}"
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-config.settings.production}"

pids=()
stop() { kill -TERM "${pids[@]}" 2>/dev/null; wait "${pids[@]}" 2>/dev/null; }
trap 'stop; exit 0' INT TERM

"$PY" -m gunicorn -c config/gunicorn.conf.py config.wsgi:application &
pids+=($!)
# The task worker runs the background exports, imports, rebuilds and emails: run_worker
# first starts again (an export) or marks as interrupted any job a stopped worker left
# unfinished, then runs the queue
# (the database's, or Redis's with REDIS_URL). It runs at a lower CPU priority (nice 10):
# on a machine it shares with the web workers, a page someone waits for comes before a
# rebuild nobody waits for.
nice -n "${WORKER_NICE:-10}" "$PY" manage.py run_worker &
pids+=($!)
# Queue the builds of everyone's dashboard and the upcoming drafts' figures (what is kept
# and current is left alone), so the first visitors after a start do not wait for theirs.
"$PY" manage.py run_scheduled warm-dashboards || echo "Could not queue the dashboards' builds; they are built when first opened." >&2

wait -n "${pids[@]}"
status=$?
stop
exit $status
