#!/usr/bin/env bash
# Start a throwaway Redis on 127.0.0.1, run a command against it, stop it.
#
#   scripts/redis.sh run -- COMMAND...   runs COMMAND with REDIS_URL set, then stops the
#                                        server and deletes its folder (exit code kept)
#
# The port is REDISTEST_PORT (default 56379). Nothing is saved to disk.
set -euo pipefail

PORT="${REDISTEST_PORT:-56379}"
DATA="$(mktemp -d /tmp/workforce-redis.XXXXXX)"

stop() {
  if [ -f "$DATA/redis.pid" ]; then kill "$(cat "$DATA/redis.pid")" 2>/dev/null || true; fi
  for _ in $(seq 50); do [ -f "$DATA/redis.pid" ] && kill -0 "$(cat "$DATA/redis.pid")" 2>/dev/null || break; sleep 0.1; done
  rm -rf "$DATA"
}

[ "${1:-}" = "run" ] || { echo "usage: $0 run -- COMMAND..." >&2; exit 2; }
shift; [ "${1:-}" = "--" ] && shift
command -v redis-server >/dev/null 2>&1 || { echo "redis-server is not installed (Debian: apt-get install redis-server)" >&2; exit 1; }

trap stop EXIT
redis-server --bind 127.0.0.1 --port "$PORT" --dir "$DATA" --save "" --appendonly no \
  --daemonize yes --pidfile "$DATA/redis.pid" --logfile "$DATA/redis.log" --protected-mode yes
for _ in $(seq 50); do redis-cli -h 127.0.0.1 -p "$PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
redis-cli -h 127.0.0.1 -p "$PORT" ping >/dev/null || { echo "Redis did not start:" >&2; cat "$DATA/redis.log" >&2; exit 1; }
echo "Redis $(redis-server --version | awk '{print $3}' | cut -d= -f2) running on 127.0.0.1:$PORT"
REDIS_URL="redis://127.0.0.1:$PORT/0" "$@"
