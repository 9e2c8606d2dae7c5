# Shared by bench/scale/run.sh and ab.sh. Expects: pgdir, ROTOR_PG_PORT, base, port, out, work, here, chains,
# duration, spread set by the caller; host is the running host's pid (start_host sets it).
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
tick=$(getconf CLK_TCK)
host=""

log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }
sql() { psql -h "$pgdir" -p "$ROTOR_PG_PORT" -U postgres -d rotor -X -q -At -v ON_ERROR_STOP=1 "$@"; }

# start_host APP_DIR CONNECTION_STRING LOG: the published host on PostgreSQL, keys in $work/keys; waits for /healthz.
start_host() {
  Rotor__Database=PostgreSql ConnectionStrings__Rotor="$2" Rotor__KeyDirectory="$work/keys" \
  Rotor__RateLimits__Enabled=false Logging__LogLevel__Default=Warning ASPNETCORE_ENVIRONMENT=Production \
    dotnet "$1/Rotor.Host.dll" --urls "$base" >"$3" 2>&1 &
  host=$!
  for _ in $(seq 1 600); do curl -sf "$base/healthz" >/dev/null && return 0; sleep 0.2; done
  cat "$3" >&2; exit 1
}

stop_host() {
  [ -n "$host" ] || return 0
  kill "$host" 2>/dev/null || true; wait "$host" 2>/dev/null || true
  host=""
}

# sample_spread FILE: tokens for $spread random live native sessions (not the load-test user's), minted by tokens.py
# from the host's refresh key: tokens are not stored, so any session can be driven whatever key made it.
sample_spread() {
  local size; size=$(sql -c "SELECT greatest(reltuples, 1)::bigint FROM pg_class WHERE relname = 'rotor_sessions'")
  sql -F ' ' -c "SELECT \"Id\", \"Generation\" FROM rotor_sessions TABLESAMPLE BERNOULLI (least(100, $spread * 300.0 / $size))
    WHERE \"Mode\" = 'native' AND \"RevokedAt\" IS NULL
      AND \"UserId\" NOT IN (SELECT \"Id\" FROM \"AspNetUsers\" WHERE \"UserName\" = 'loadtest')
    ORDER BY random() LIMIT $spread" | python3 "$here/tokens.py" "$work/keys" >"$1"
}

ticks() { { cat "$@" 2>/dev/null || true; } | awk '{s += $14 + $15} END {print s + 0}'; }
# The postmaster's own time plus its reaped children's (fields 16, 17), plus the living children's: a backend or
# autovacuum worker that exits between two samples moves from the last term to the first, so no time is lost.
pg_ticks() {
  local pm; pm=$(head -1 "$pgdir/data/postmaster.pid")
  echo $(( $(awk '{print $14 + $15 + $16 + $17}' "/proc/$pm/stat") + $(ticks $(pgrep -P "$pm" | sed 's|.*|/proc/&/stat|')) ))
}
wal_now() { sql -F ' ' -c "SELECT pg_current_wal_lsn() - '0/0', wal_fpi, n_tup_upd, n_tup_hot_upd FROM pg_stat_wal, pg_stat_user_tables WHERE relname = 'rotor_sessions'"; }

# measure LABEL SCRIPT TOKENS: one wrk run of $duration; appends a row to $out/runs.tsv: req/s, p50, p99, non-2xx,
# host and PostgreSQL CPU per request (utime+stime of the host and of the postmaster's children), WAL bytes and
# full-page images per request (whole cluster), and the share of rotor_sessions updates that were HOT.
measure() {
  local label=$1 script=$2 tokens=$3
  local w0 h0 p0; w0=$(wal_now); h0=$(ticks "/proc/$host/stat"); p0=$(pg_ticks)
  ROTOR_TOKENS="$tokens" ROTOR_THREADS="$chains" \
    wrk -t"$chains" -c"$chains" -d"$duration" --timeout 30s --latency -s "$script" "$base" >"$out/wrk-$label.txt"
  sleep 1 # lets the statistics catch up
  local w1 h1 p1; w1=$(wal_now); h1=$(ticks "/proc/$host/stat"); p1=$(pg_ticks)
  local f="$out/wrk-$label.txt"
  local req rps p50 p99 bad
  req=$(awk '/requests in/ {print $1}' "$f"); rps=$(awk '/Requests\/sec/ {print $2}' "$f")
  p50=$(awk '$1 == "50%" {print $2}' "$f"); p99=$(awk '$1 == "99%" {print $2}' "$f")
  bad=$(awk '/Non-2xx/ {print $NF}' "$f"); bad=${bad:-0}
  echo "$w0 $w1" | awk -v l="$label" -v r="$req" -v rps="$rps" -v p50="$p50" -v p99="$p99" -v bad="$bad" \
    -v hc=$((h1 - h0)) -v pc=$((p1 - p0)) -v hz="$tick" '{
      upd = $7 - $3; hot = $8 - $4
      printf "%s\t%s\t%s\t%s\t%s\t%.0f\t%.0f\t%.0f\t%.3f\t%.0f%%\n", l, rps, p50, p99, bad,
        hc / hz * 1e6 / r, pc / hz * 1e6 / r, ($5 - $1) / r, ($6 - $2) / r, (upd > 0 ? hot * 100 / upd : 0) }' \
    | tee -a "$out/runs.tsv" >&2
}
