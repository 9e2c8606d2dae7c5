#!/usr/bin/env bash
# Does a lower fillfactor on rotor_sessions make rotations HOT? On the cluster left by
# `ROTOR_SCALE_KEEP=1 bench/scale/run.sh` (which has rows to copy), makes copies of N sessions at each fillfactor
# (same columns and indexes as rotor_sessions, plus a numbered column to pick rows at random), then runs pgbench with
# the rotation's UPDATE (the same SET list: generation, rotated/last-used time, idle expiry) on random rows of each copy
# in turn, after a CHECKPOINT, and reports updates/s, the share of HOT updates, WAL bytes and full-page images per update.
# Usage: bench/scale/fillfactor.sh [rows=1000000] [seconds=20] [rounds=2] [fillfactors="100 85"]
set -euo pipefail
rows=${1:-1000000}
seconds=${2:-20}
rounds=${3:-2}
fillfactors=${4:-"100 85"}
export ROTOR_PG_PORT=${ROTOR_PG_PORT:-55505}
pgdir=${ROTOR_PG_DIR:-/tmp/rotor-postgres-$ROTOR_PG_PORT}
sql() { psql -h "$pgdir" -p "$ROTOR_PG_PORT" -U postgres -d rotor -X -q -At -v ON_ERROR_STOP=1 "$@"; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for ff in $fillfactors; do
  echo "copying $rows sessions at fillfactor $ff" >&2
  sql -c "DROP TABLE IF EXISTS ff_$ff" \
      -c "CREATE TABLE ff_$ff (LIKE rotor_sessions INCLUDING DEFAULTS INCLUDING INDEXES, n bigint) WITH (fillfactor = $ff)" \
      -c "INSERT INTO ff_$ff SELECT s.*, row_number() OVER () FROM (SELECT * FROM rotor_sessions LIMIT $rows) s" \
      -c "CREATE INDEX ON ff_$ff (n)" -c "VACUUM ANALYZE ff_$ff"
  cat >"$work/ff_$ff.sql" <<SQL
\\set r random(1, $rows)
UPDATE ff_$ff SET "Generation" = "Generation" + 1, "RotatedAt" = (extract(epoch FROM now()) * 1000)::bigint,
  "LastUsedAt" = (extract(epoch FROM now()) * 1000)::bigint,
  "IdleExpiresAt" = least((extract(epoch FROM now()) * 1000)::bigint + 604800000, "ExpiresAt")
WHERE n = :r AND "RevokedAt" IS NULL;
SQL
done

stats() { sql -F ' ' -c "SELECT pg_current_wal_lsn() - '0/0', wal_fpi, n_tup_upd, n_tup_hot_upd FROM pg_stat_wal, pg_stat_user_tables WHERE relname = 'ff_$1'"; }
printf 'round\tfillfactor\tupdates/s\tHOT\tWAL B/update\tFPI/update\theap MB\n'
for round in $(seq 1 "$rounds"); do
  for ff in $fillfactors; do
    sql -c "CHECKPOINT"
    before=$(stats "$ff")
    tps=$(pgbench -h "$pgdir" -p "$ROTOR_PG_PORT" -U postgres -n -c 8 -j 2 -T "$seconds" -f "$work/ff_$ff.sql" rotor 2>/dev/null \
      | awk '/^tps/ {print int($3)}')
    sleep 1
    after=$(stats "$ff")
    mb=$(sql -c "SELECT pg_relation_size('ff_$ff') / 1048576")
    echo "$before $after" | awk -v round="$round" -v ff="$ff" -v tps="$tps" -v mb="$mb" '{
      upd = $7 - $3; hot = $8 - $4
      printf "%s\t%s\t%s\t%.0f%%\t%.0f\t%.3f\t%s\n", round, ff, tps, (upd > 0 ? hot * 100 / upd : 0),
        (upd > 0 ? ($5 - $1) / upd : 0), (upd > 0 ? ($6 - $2) / upd : 0), mb }'
  done
done
