#!/usr/bin/env bash
# Start a throwaway PostgreSQL cluster on 127.0.0.1, run a command against it, stop it.
#
#   scripts/postgres.sh run -- COMMAND...   runs COMMAND with DATABASE_URL set, then
#                                           stops and deletes the cluster (exit code kept)
#
# initdb refuses to run as root, so as root the cluster belongs to the postgres user.
set -euo pipefail

PORT="${PGTEST_PORT:-55432}"
BIN="$(dirname "$(readlink -f "$(command -v initdb || echo /usr/lib/postgresql/15/bin/initdb)")")"
DATA="$(mktemp -d /tmp/workforce-pg.XXXXXX)"

as_owner() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

stop() {
  as_owner "$BIN/pg_ctl" -D "$DATA" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$DATA"
}

[ "${1:-}" = "run" ] || { echo "usage: $0 run -- COMMAND..." >&2; exit 2; }
shift; [ "${1:-}" = "--" ] && shift

if [ "$(id -u)" = "0" ]; then chown postgres:postgres "$DATA"; fi
trap stop EXIT
as_owner "$BIN/initdb" -D "$DATA" -U postgres -A trust --no-sync -E UTF8 >/dev/null
as_owner "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w start -o \
  "-c listen_addresses=127.0.0.1 -p $PORT -k $DATA -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >/dev/null
# The command's own database (the test runner makes test_workforce beside it itself).
"$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres workforce
echo "PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') running on 127.0.0.1:$PORT"
DATABASE_URL="postgres://postgres@127.0.0.1:$PORT/workforce" "$@"
