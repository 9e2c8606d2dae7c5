#!/usr/bin/env bash
# Side by side on a table left by `ROTOR_SCALE_KEEP=1 bench/scale/run.sh`: starts each published host in turn on that
# database, runs the spread refresh load and reads from pg_stat_statements what the revocation poll cost meanwhile.
# Usage: bench/scale/ab.sh [duration=30s] [chains=16] LABEL=APP_DIR...
#   e.g. bench/scale/ab.sh 30s 16 before=/tmp/old after=/tmp/new before=/tmp/old after=/tmp/new
set -euo pipefail
duration=${1:-30s}
chains=${2:-16}
shift 2
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
export ROTOR_PG_PORT=${ROTOR_PG_PORT:-55505}
pgdir=${ROTOR_PG_DIR:-/tmp/rotor-postgres-$ROTOR_PG_PORT}
port=${ROTOR_SCALE_PORT:-5651}
spread=${ROTOR_SCALE_SPREAD:-20000}
base="http://127.0.0.1:$port"
out=${ROTOR_SCALE_OUT:-$(mktemp -d /tmp/rotor-scale-ab.XXXXXX)}
mkdir -p "$out"
work=$(mktemp -d)
source "$here/lib.sh"
trap 'stop_host; rm -rf "$work"' EXIT
url=$(bash "$root/scripts/postgres.sh" url)

printf 'run\treq/s\tp50\tp99\tnon-2xx\thost CPU µs/req\tPG CPU µs/req\tWAL B/req\tFPI/req\tHOT\n' >"$out/runs.tsv"
printf 'run\tstatement\tcalls\tmean ms\ttotal ms\n' >"$out/statements.tsv"
for option in "$@"; do
  label=${option%%=*}; app=${option#*=}
  log "$label: starting $app"
  start_host "$app" "$url" "$out/host-$label.log"
  sample_spread "$work/spread"
  sql -c "SELECT pg_stat_statements_reset()" >/dev/null
  measure "$label" "$here/spread.lua" "$work/spread"
  sql -F $'\t' -c "
    SELECT '$label', CASE WHEN query LIKE 'UPDATE%\"Generation\" = %' THEN 'rotation (CAS)'
                          WHEN query LIKE 'UPDATE%NOT EXISTS%IN (%' THEN 'poll: sessions of changed users'
                          WHEN query LIKE 'UPDATE%NOT EXISTS%AND \"Id\" > %' THEN 'poll: one sweep page (10,000 sessions)'
                          WHEN query LIKE 'SELECT p.%' THEN 'poll: sweep page bounds'
                          WHEN query LIKE 'UPDATE%NOT EXISTS%' THEN 'poll: every live session (RevokeInvalidated)'
                          WHEN query LIKE 'DELETE FROM rotor_account_changes%' THEN 'poll: take account changes'
                          WHEN query LIKE 'SELECT%RevokedAt%>=%' THEN 'poll: RevokedSince'
                          ELSE left(query, 50) END,
           calls, round(mean_exec_time::numeric, 3), round(total_exec_time::numeric, 0)
    FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = 'rotor')
      AND (query LIKE 'UPDATE%rotor_sessions%' OR query LIKE 'DELETE%rotor_account_changes%' OR query LIKE 'SELECT%RevokedAt%>=%'
           OR query LIKE 'SELECT p.%rotor_sessions%')
    ORDER BY 2" | tee -a "$out/statements.tsv" >&2
  stop_host
  # PostgreSQL does not notice a closed client while a statement runs: end the stopped host's backends, or a poll it
  # left running would hold back vacuum and HOT pruning during the next host's run.
  sql -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'rotor' AND usename = 'rotor'" >/dev/null
done
for f in runs statements; do echo "== $f"; column -t -s $'\t' "$out/$f.tsv"; done
