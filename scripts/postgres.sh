#!/usr/bin/env bash
# A throw-away PostgreSQL server for the tests (and for trying Rotor on PostgreSQL): Debian's package, installed
# when missing, one cluster under $ROTOR_PG_DIR (default /tmp/rotor-postgres-$ROTOR_PG_PORT) listening on
# 127.0.0.1:$ROTOR_PG_PORT (default 55432) only, with a role and database "rotor" (password "rotor", CREATEDB so
# each test can make its own database). Safe to run again.
#   scripts/postgres.sh start   starts it (creating the cluster when needed) and prints the connection string
#   scripts/postgres.sh url     prints the connection string
#   scripts/postgres.sh restart [SECONDS]  stops it (fast: open connections are cut), waits SECONDS (default 0)
#                               and starts it again, keeping the cluster (for outage tests)
#   scripts/postgres.sh stop    stops it and deletes the cluster
#   scripts/postgres.sh halt    stops it and keeps the cluster (an outage: `start` brings the same data back)
# The cluster is for tests: fsync is off (a crash of the machine may lose it) unless ROTOR_PG_DURABLE=1.
# ROTOR_PG_OPTIONS adds server settings (e.g. "-c shared_buffers=2GB") to the start command.
set -euo pipefail
port=${ROTOR_PG_PORT:-55432}
dir=${ROTOR_PG_DIR:-/tmp/rotor-postgres-$port}
url="Host=127.0.0.1;Port=$port;Username=rotor;Password=rotor;Database=rotor"

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

find_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1
}

install() {
  [ -n "$(find_bin)" ] && [ -x "$(find_bin)/initdb" ] && return 0
  bash "$(dirname "$0")/apt-install.sh" postgresql
}

running() {
  [ -f "$dir/data/postmaster.pid" ] && as_owner "$(find_bin)/pg_ctl" -D "$dir/data" status >/dev/null 2>&1
}

start() {
  install
  local bin; bin=$(find_bin)
  if running; then echo "$url"; return 0; fi
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    rm -rf "$dir"
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
    as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
  fi
  local durable=(-c fsync=off -c synchronous_commit=off -c full_page_writes=off)
  [ "${ROTOR_PG_DURABLE:-0}" = 1 ] && durable=()
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=400 ${durable[*]} ${ROTOR_PG_OPTIONS:-}" start >/dev/null \
    || { tail -20 "$dir/server.log" >&2; exit 1; }
  as_owner "$bin/psql" -h "$dir" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -q >/dev/null <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'rotor') THEN CREATE ROLE rotor LOGIN CREATEDB PASSWORD 'rotor'; END IF;
END $$;
SELECT 'CREATE DATABASE rotor OWNER rotor' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'rotor')\gexec
SQL
  echo "$url"
}

halt() {
  local bin; bin=$(find_bin)
  if [ -n "$bin" ] && [ -f "$dir/data/postmaster.pid" ]; then
    # fast: open sessions are ended (clients read 57P01 admin_shutdown), new ones are refused.
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
}

stop() {
  halt
  rm -rf "$dir"
}

restart() {
  local bin; bin=$(find_bin)
  [ -f "$dir/data/PG_VERSION" ] || { echo "No cluster in $dir: run scripts/postgres.sh start first." >&2; exit 1; }
  if running; then
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
  fi
  sleep "${1:-0}"
  start
}

case "${1:-}" in
  start) start ;;
  restart) restart "${2:-0}" ;;
  stop) stop ;;
  halt) halt ;;
  url) echo "$url" ;;
  *) echo "Usage: scripts/postgres.sh start|restart [seconds]|stop|halt|url" >&2; exit 2 ;;
esac
