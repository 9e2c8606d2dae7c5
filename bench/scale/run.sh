#!/usr/bin/env bash
# How Rotor's cost grows with the number of sessions on PostgreSQL. One run, on one cluster, growing in place:
# for each size (default 10k, 1M, 10M sessions) it fills rotor_sessions (and AspNetUsers, one user per three sessions)
# with SQL (bench/scale/fill.sql), VACUUM ANALYZEs, records bytes per session (table + each index), then measures:
#   hot      POST /auth/refresh, 16 chains on 16 sessions made through the API (bench/load/refresh.lua), as run.sh does;
#   spread   the same 16 connections cycling over $spread random native sessions of the table (bench/scale/spread.lua;
#            tokens minted from the host's refresh key by tokens.py), so every request reads and updates a different row;
#   the maintenance queries the host runs (revocation poll every 5 s, purge every hour), from pg_stat_statements over
#   the two wrk runs and by EXPLAIN (ANALYZE, BUFFERS) at that size (UPDATE/DELETE inside a rolled-back transaction).
# For each wrk run: req/s, p50, p99, host CPU and PostgreSQL CPU per refresh (utime+stime of the host process and of
# the postmaster's children), WAL bytes and full-page images per refresh, and the share of HOT updates.
#
# Usage: bench/scale/run.sh [sizes="10000 1000000 10000000"] [duration=15s] [chains=16]
# Environment: ROTOR_PG_PORT (55505), ROTOR_PG_DURABLE (1: fsync and synchronous_commit on, as in production),
#   ROTOR_PG_OPTIONS (server settings, default below), ROTOR_SCALE_PORT (HTTP, 5650), ROTOR_SCALE_SPREAD (20000),
#   ROTOR_SCALE_APP (a `dotnet publish` of src/Rotor.Host; default: publish this tree), ROTOR_SCALE_OUT (results
#   folder, default a new /tmp folder), ROTOR_SCALE_KEEP=1 (leave the cluster and host running at the end),
#   ROTOR_SCALE_FILLFACTOR="100 80" (after the last size: rewrite rotor_sessions at each fillfactor and run spread again).
# Needs wrk and PostgreSQL (scripts/postgres.sh installs Debian's); about 6 GB of disk at 10M sessions.
set -euo pipefail
sizes=${1:-"10000 1000000 10000000"}
duration=${2:-15s}
chains=${3:-16}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
export ROTOR_PG_PORT=${ROTOR_PG_PORT:-55505}
export ROTOR_PG_DURABLE=${ROTOR_PG_DURABLE:-1}
export ROTOR_PG_OPTIONS=${ROTOR_PG_OPTIONS:-"-c shared_buffers=2GB -c max_wal_size=4GB -c shared_preload_libraries=pg_stat_statements -c track_io_timing=on"}
pgdir=${ROTOR_PG_DIR:-/tmp/rotor-postgres-$ROTOR_PG_PORT}
port=${ROTOR_SCALE_PORT:-5650}
spread=${ROTOR_SCALE_SPREAD:-20000}
base="http://127.0.0.1:$port"
out=${ROTOR_SCALE_OUT:-$(mktemp -d /tmp/rotor-scale.XXXXXX)}
mkdir -p "$out"
work=$(mktemp -d)
source "$here/lib.sh"

cleanup() {
  stop_host
  if [ "${ROTOR_SCALE_KEEP:-0}" != 1 ]; then bash "$root/scripts/postgres.sh" stop >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

log "PostgreSQL on port $ROTOR_PG_PORT (durable=$ROTOR_PG_DURABLE; $ROTOR_PG_OPTIONS)"
url=$(bash "$root/scripts/postgres.sh" start)
sql -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" -c "ALTER DATABASE rotor SET jit = off"
sql -c "CREATE TABLE IF NOT EXISTS scale_progress (what text, n bigint)"

app=${ROTOR_SCALE_APP:-}
if [ -z "$app" ]; then
  log "publishing src/Rotor.Host"
  app="$work/app"
  dotnet publish "$root/src/Rotor.Host" -c Release -o "$app" -p:SkipWebBuild=true -nologo -v q >/dev/null
fi

start_host "$app" "$url" "$out/host.log"

# Real sessions through the API: 2 x chains native sign-ins of one user (warm-up chains and measured chains), made
# afresh at each size. Chains are not carried from one run to the next: wrk stops with a request in flight, so the
# token it kept is one generation old, and replayed outside the grace period it would be reuse (the session revoked).
json='import json,sys; print(json.load(sys.stdin)["refreshToken"])'
curl -sf -X POST "$base/auth/register" -H 'Content-Type: application/json' \
  -d '{"username":"loadtest","email":"load@example.com","password":"correct horse battery"}' >/dev/null
make_hot() {
  : >"$work/all"
  for _ in $(seq 1 $((chains * 2))); do
    curl -sf -X POST "$base/auth/login" -H 'Content-Type: application/json' \
      -d '{"username":"loadtest","password":"correct horse battery","mode":"native"}' | python3 -c "$json" >>"$work/all"
  done
  head -n "$chains" "$work/all" >"$work/warmup"; tail -n "$chains" "$work/all" >"$work/hot"
}

# The statements the host sends for the revocation poll and the purge, as RotorSql and EfRotorStore write them.
# The host binds the time as a parameter: NOW_MS becomes a literal (an expression of now() would run per row).
poll_sql="UPDATE rotor_sessions SET \"RevokedAt\" = NOW_MS, \"RevocationReason\" = 'account_changed'
  WHERE \"RevokedAt\" IS NULL AND \"ExpiresAt\" > NOW_MS AND \"IdleExpiresAt\" > NOW_MS
    AND NOT EXISTS (SELECT 1 FROM \"AspNetUsers\" u WHERE u.\"Id\" = rotor_sessions.\"UserId\"
      AND (rotor_sessions.\"SecurityStamp\" IS NULL OR u.\"SecurityStamp\" = rotor_sessions.\"SecurityStamp\")
      AND (u.\"LockoutEnabled\" = false OR u.\"LockoutEnd\" IS NULL OR u.\"LockoutEnd\" <= now()))
  RETURNING \"Id\", \"UserId\""
since_sql="SELECT \"Id\", \"RevokedAt\" FROM rotor_sessions WHERE \"RevokedAt\" >= NOW_MS - 960000"
purge_sql="DELETE FROM rotor_sessions WHERE \"ExpiresAt\" <= NOW_MS - 86400000 OR \"IdleExpiresAt\" <= NOW_MS - 86400000
  OR \"RevokedAt\" <= NOW_MS - 86400000"

explain() { # explain LABEL SQL: plan to a file, "execution ms | top plan node" on stdout
  local f="$out/explain-$1.txt"
  sql -c "BEGIN" -c "EXPLAIN (ANALYZE, BUFFERS, SETTINGS) $2" -c "ROLLBACK" >"$f"
  printf '%s\t%s\n' "$(awk '/Execution Time/ {print $3}' "$f")" "$(grep -m1 -E 'Scan|Join' "$f" | sed 's/^[ ->]*//; s/  (cost.*//')"
}

printf 'run\treq/s\tp50\tp99\tnon-2xx\thost CPU µs/req\tPG CPU µs/req\tWAL B/req\tFPI/req\tHOT\n' >"$out/runs.tsv"
printf 'sessions\tusers\tfill s\theap B/session\tindexes B/session\ttotal B/session\tper index (B/session)\n' >"$out/sizes.tsv"
printf 'sessions\tquery\tcalls\tmean ms (host, pg_stat_statements)\tEXPLAIN ms\tplan\n' >"$out/queries.tsv"

for size in $sizes; do
  log "filling to $size sessions"
  start=$(date +%s)
  sql -v users=$((size / 3)) -v sessions="$size" -v chunk=500000 -f "$here/fill.sql" >/dev/null
  sql -c "VACUUM ANALYZE rotor_sessions" -c "VACUUM ANALYZE \"AspNetUsers\""
  fill=$(( $(date +%s) - start ))
  sql -F $'\t' -c "
    SELECT n, (SELECT count(*) FROM \"AspNetUsers\"), $fill, pg_relation_size('rotor_sessions') / n,
      pg_indexes_size('rotor_sessions') / n, pg_total_relation_size('rotor_sessions') / n,
      (SELECT string_agg(indexrelname || ' ' || pg_relation_size(indexrelid) / n, ', ' ORDER BY indexrelname)
         FROM pg_stat_user_indexes WHERE relname = 'rotor_sessions')
    FROM (SELECT count(*) AS n FROM rotor_sessions) c" | tee -a "$out/sizes.tsv" >&2

  log "sampling $spread sessions for the spread load"
  sample_spread "$work/spread"

  sql -c "CHECKPOINT" -c "SELECT pg_stat_statements_reset()" >/dev/null
  log "warm-up 5 s"
  make_hot
  ROTOR_TOKENS="$work/warmup" wrk -t"$chains" -c"$chains" -d5s --timeout 30s -s "$root/bench/load/refresh.lua" "$base" >/dev/null
  measure "$size-hot" "$root/bench/load/refresh.lua" "$work/hot"
  measure "$size-spread" "$here/spread.lua" "$work/spread"
  sql -F $'\t' -c "
    SELECT $size, CASE WHEN query LIKE 'UPDATE%\"Generation\" = %' THEN 'rotation (CAS)'
                       WHEN query LIKE 'UPDATE%NOT EXISTS%IN (%' THEN 'revocation poll: sessions of changed users'
                       WHEN query LIKE 'UPDATE%NOT EXISTS%AND \"Id\" > %' THEN 'revocation poll: one sweep page'
                       WHEN query LIKE 'UPDATE%NOT EXISTS%' THEN 'revocation poll: every live session (before)'
                       WHEN query LIKE 'SELECT p.%' THEN 'revocation poll: sweep page bounds'
                       WHEN query LIKE 'DELETE FROM rotor_account_changes%' THEN 'revocation poll: take account changes'
                       WHEN query LIKE 'SELECT CASE%' THEN 'classify (refused refresh)'
                       WHEN query LIKE 'UPDATE rotor_sessions AS r%' THEN 'revoke (reuse, logout)'
                       WHEN query LIKE 'SELECT%RevokedAt%>=%' THEN 'revocation poll: RevokedSince'
                       ELSE left(query, 60) END,
           calls, round(mean_exec_time::numeric, 3)
    FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = 'rotor')
      AND (query LIKE 'UPDATE%rotor_sessions%' OR query LIKE 'SELECT%RevokedAt%>=%' OR query LIKE 'SELECT p.%rotor_sessions%'
           OR query LIKE 'DELETE%rotor_account_changes%') ORDER BY 2" >"$work/stmts"
  for q in poll since purge; do
    v="${q}_sql"; text=${!v}; e=$(explain "$size-$q" "${text//NOW_MS/$(date +%s%3N)}")
    printf '%s\t%s\t-\t-\t%s\n' "$size" "EXPLAIN $q" "$e" >>"$work/stmts"
  done
  tee -a "$out/queries.tsv" <"$work/stmts" >&2
done

for ff in ${ROTOR_SCALE_FILLFACTOR:-}; do
  log "rewriting rotor_sessions at fillfactor $ff"
  start=$(date +%s)
  sql -c "ALTER TABLE rotor_sessions SET (fillfactor = $ff)" -c "VACUUM FULL rotor_sessions" -c "ANALYZE rotor_sessions"
  log "rewrite took $(( $(date +%s) - start )) s; heap $(sql -c "SELECT pg_size_pretty(pg_relation_size('rotor_sessions'))")"
  sample_spread "$work/spread"
  sql -c "CHECKPOINT" >/dev/null
  measure "ff$ff-spread" "$here/spread.lua" "$work/spread"
  measure "ff$ff-spread-again" "$here/spread.lua" "$work/spread"
done

log "results in $out"
for f in sizes runs queries; do echo "== $f"; column -t -s $'\t' "$out/$f.tsv"; done
