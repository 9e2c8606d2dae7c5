#!/usr/bin/env bash
# Refresh on PostgreSQL, side by side on one server in one run: Rotor's POST /auth/refresh (this tree, or the given
# publishes, e.g. a build from before a change), ASP.NET Core Identity's POST /refresh (bench/IdentityApiHost:
# MapIdentityApi with bearer tokens) and pgbench's single-row UPDATE in autocommit (the server's commit rate), each
# with N clients. wrk runs one connection and thread per chain, each refreshing its own chain. The targets take
# turns, round after round, so machine load falls on all of them alike; for each host the server CPU it spent per
# refresh (utime+stime from /proc) is reported too.
# Usage: ROTOR_LOAD_POSTGRES="<Npgsql connection string>" bench/load/pg.sh [duration=15s] [chains=16] [rounds=2] [rotor-app...]
#   ROTOR_LOAD_POSTGRES: a role that may create databases (scripts/postgres.sh prints one; ROTOR_PG_DURABLE=1 gives a
#   server with fsync on, as in production). Databases rotor_load_* are dropped and created on it.
#   Each rotor-app is a `dotnet publish` of Rotor.Host, optionally LABEL=DIR; default: this tree, published.
#   HTTP ports: ROTOR_LOAD_PORT (default 5099) and the ones after it, one per host.
set -euo pipefail
duration=${1:-15s}
chains=${2:-16}
rounds=${3:-2}
shift $(( $# < 3 ? $# : 3 ))
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
: "${ROTOR_LOAD_POSTGRES:?set ROTOR_LOAD_POSTGRES to an Npgsql connection string (scripts/postgres.sh start prints one)}"
first_port=${ROTOR_LOAD_PORT:-5099}
source "$here/common.sh"
command -v pgbench >/dev/null || { echo "pgbench is missing: apt-get install -y postgresql-contrib (or postgresql)" >&2; exit 1; }
scratch=$(mktemp -d)
hosts=()
trap 'for p in "${hosts[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; rm -rf "$scratch"' EXIT
apps=("$@")
if [ ${#apps[@]} -eq 0 ]; then publish_host "$scratch/app"; apps=("rotor=$scratch/app"); fi
dotnet publish "$root/bench/IdentityApiHost" -c Release -o "$scratch/identity-app" -nologo -v q >/dev/null
tick=$(getconf CLK_TCK)
seconds=${duration%s}

labels=(); bases=(); paths=(); pids=(); databases=()
# add_target LABEL PATH: the host just started ($host on $base) joins the rotation with its tokens warmed up.
# Every round starts fresh chains ($work/all has chains × (rounds + 1) tokens): a chain carried over would hold a
# token whose successor wrk cut off at the end of the run, which the next round would present as reuse.
add_target() {
  split -l "$chains" -d -a 3 "$work/all" "$work/tokens."
  mv "$work/tokens.000" "$work/warmup"
  # Warm-up (not counted): lets the JIT finish tiering the hot paths and fills the connection pools.
  ROTOR_REFRESH_PATH=$2 ROTOR_TOKENS="$work/warmup" wrk -t"$chains" -c"$chains" -d10s -s "$here/refresh.lua" "$base" >/dev/null
  labels+=("$1"); bases+=("$base"); paths+=("$2"); pids+=("$host"); databases+=("$3")
}

index=0
for option in "${apps[@]}"; do
  label=$(basename "$option"); app=$option
  case $option in *=*) label=${option%%=*}; app=${option#*=} ;; esac
  work="$scratch/$index"; mkdir -p "$work"
  base="http://127.0.0.1:$((first_port + index))"; pg_database="rotor_load_$index"
  start_host "$app"; hosts+=("$host"); wait_ready
  make_tokens $((chains * (rounds + 1))) "$work/all"
  add_target "$label" /auth/refresh "$pg_database"
  index=$((index + 1))
done

# ASP.NET Core Identity on its own database of the same server.
work="$scratch/$index"; mkdir -p "$work"; base="http://127.0.0.1:$((first_port + index))"
pg_admin "DROP DATABASE IF EXISTS rotor_load_identity WITH (FORCE)"
ConnectionStrings__Identity="$(pg_connection rotor_load_identity)" Logging__LogLevel__Default=Warning ASPNETCORE_ENVIRONMENT=Production \
  dotnet "$scratch/identity-app/IdentityApiHost.dll" --urls "$base" >>"$work/host.log" 2>&1 &
host=$!; hosts+=("$host"); wait_ready
login='{"email":"load@example.com","password":"Correct-Horse-9"}'
curl -sf -X POST "$base/register" -H 'Content-Type: application/json' -d "$login" >/dev/null
: >"$work/all"
for _ in $(seq 1 $((chains * (rounds + 1)))); do
  curl -sf -X POST "$base/login" -H 'Content-Type: application/json' -d "$login" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["refreshToken"])' >>"$work/all"
done
add_target identity-api /refresh rotor_load_identity

# pgbench: the same single-row UPDATE as bench/ratelimit (10,000 rows, a random one per transaction).
pg_admin "DROP DATABASE IF EXISTS rotor_load_pgbench WITH (FORCE)"
pg_admin "CREATE DATABASE rotor_load_pgbench"
pg_psql -q -d rotor_load_pgbench -c 'CREATE TABLE plain (id int PRIMARY KEY, n int); INSERT INTO plain SELECT g, 0 FROM generate_series(1, 10000) g;' >/dev/null

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(dotnet --version), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== PostgreSQL $(pg_psql -Atq -d rotor_load_pgbench -c 'SHOW server_version'): fsync=$(pg_psql -Atq -d rotor_load_pgbench -c 'SHOW fsync'), synchronous_commit=$(pg_psql -Atq -d rotor_load_pgbench -c 'SHOW synchronous_commit'); $chains clients each, $duration per run, $rounds rounds"
# commits: transactions committed in the target's database during its run (PostgreSQL's statistics, flushed about
# once a second, so ± a few); for Rotor, refreshes per commit is how many rotations a statement carried.
commits() { pg_psql -Atq -d rotor_load_pgbench -c "SELECT pg_stat_clear_snapshot(); SELECT xact_commit FROM pg_stat_database WHERE datname = '$1'" | tail -1; }
printf '%-6s %-22s %9s %10s %8s %8s %11s %9s\n' round target requests 'per s' p50 p99 'CPU µs/req' 'commits'
for round in $(seq 1 "$rounds"); do
  for i in "${!labels[@]}"; do
    work="$scratch/$i"
    before=$(cpu_ticks "${pids[$i]}"); committed=$(commits "${databases[$i]}")
    ROTOR_REFRESH_PATH=${paths[$i]} ROTOR_TOKENS="$work/tokens.$(printf %03d "$round")" \
      wrk -t"$chains" -c"$chains" -d"$duration" --latency -s "$here/refresh.lua" "${bases[$i]}" >"$work/wrk"
    after=$(cpu_ticks "${pids[$i]}"); sleep 1.2; committed=$(( $(commits "${databases[$i]}") - committed ))
    requests=$(awk '/requests in/ {print $1}' "$work/wrk")
    grep -q "Non-2xx" "$work/wrk" && echo "warning: ${labels[$i]}: $(grep Non-2xx "$work/wrk" | xargs)" >&2
    us=$(echo "$before $after" | awk -v r="$requests" -v hz="$tick" '{printf "%.1f", (($3 - $1) + ($4 - $2)) / hz * 1e6 / r}')
    printf '%-6s %-22s %9s %10s %8s %8s %11s %9s\n' "$round" "${labels[$i]}" "$requests" \
      "$(awk '/Requests\/sec/ {print $2}' "$work/wrk")" "$(awk '$1 == "50%" {print $2}' "$work/wrk")" \
      "$(awk '$1 == "99%" {print $2}' "$work/wrk")" "$us" "$committed"
  done
  PG_TOOL=pgbench pg_psql -n -c "$chains" -j 2 -T "$seconds" -f "$root/bench/ratelimit/update.sql" rotor_load_pgbench >"$scratch/pgbench" 2>&1
  printf '%-6s %-22s %9s %10s %8s %8s %11s %9s\n' "$round" pgbench-update \
    "$(awk '/number of transactions actually processed/ {print $NF}' "$scratch/pgbench")" \
    "$(awk '/^tps/ {printf "%.0f", $3}' "$scratch/pgbench")" "avg $(awk '/latency average/ {print $4 $5}' "$scratch/pgbench")" - - -
done
