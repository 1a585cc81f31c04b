#!/usr/bin/env bash
# Serve the product on a laptop: the web server and the task worker side by side.
#
#   scripts/run.sh [HOST:PORT]      (make run calls it; DEBUG and the venv's Python as make sets them)
#
# Each runs in its own process group, so a stop reaches the processes they start too
# (runserver's and the worker's code reloaders). Ctrl-C or SIGTERM stops both: the worker
# finishes the task in hand first; a second Ctrl-C stops it at once. If either stops by
# itself, the other is stopped too.
set -uo pipefail
cd "$(dirname "$0")/.."

PY="${PYTHON:-.venv/bin/python}"
HOST="${1:-127.0.0.1:8000}"
set -m  # job control: every background command gets a process group of its own

"$PY" manage.py run_worker --reload &
worker=$!
"$PY" manage.py runserver "$HOST" &
web=$!

stopping=0
stop() {
  if [ "$stopping" = 1 ]; then
    echo "Stopping the worker at once."
    kill -KILL -- "-$worker" "-$web" 2>/dev/null
    return
  fi
  stopping=1
  echo "Stopping the web server and the task worker (it finishes the task in hand; Ctrl-C again to stop it now)."
  kill -TERM -- "-$web" "-$worker" 2>/dev/null
}
trap stop INT TERM

# Wait until either stops (by itself or by a signal), then stop the other and wait for both.
while kill -0 "$worker" 2>/dev/null && kill -0 "$web" 2>/dev/null; do
  wait -n 2>/dev/null || true
done
[ "$stopping" = 1 ] || stop
while kill -0 "$worker" 2>/dev/null || kill -0 "$web" 2>/dev/null; do
  wait 2>/dev/null || true
done
trap - INT TERM
