#!/usr/bin/env bash
# The rate-limit upsert (src/Rotor/Storage/RateLimitSql.cs) against a plain single-row UPDATE, side by side on one
# PostgreSQL server: 8 clients, 10,000 keys, then one hot key. Usage: bench/ratelimit/pgbench.sh "<psql connection options>"
# e.g. bench/ratelimit/pgbench.sh "-h /tmp/pg -p 55439 -U postgres". Drops and creates tables rotor_rate_limits and plain: use a scratch database.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
conn=${1:?pass psql connection options}
db=${PGDATABASE:-postgres}
psql -q $conn -d "$db" -c 'DROP TABLE IF EXISTS rotor_rate_limits, plain; CREATE TABLE rotor_rate_limits ("Policy" varchar(64) NOT NULL, "Key" varchar(64) NOT NULL, "Hits" integer NOT NULL, "WindowStart" bigint NOT NULL, "ExpiresAt" bigint NOT NULL, PRIMARY KEY ("Policy", "Key")); CREATE INDEX ON rotor_rate_limits ("ExpiresAt"); CREATE TABLE plain (id int PRIMARY KEY, n int); INSERT INTO plain SELECT g, 0 FROM generate_series(1, 10000) g;'
sed 's/random(1, 10000)/1/' "$here/upsert.sql" > /tmp/rotor-hot-upsert.sql
sed 's/random(1, 10000)/1/' "$here/update.sql" > /tmp/rotor-hot-update.sql
for script in "$here/upsert.sql" "$here/update.sql" "$here/upsert.sql" "$here/update.sql" /tmp/rotor-hot-upsert.sql /tmp/rotor-hot-update.sql; do
  echo "== $(basename "$script")"
  pgbench -n $conn -c 8 -j 2 -T 8 -f "$script" "$db" 2>&1 | grep -E "^tps|latency average"
done
