# Shared by cpu.sh, coldstart.sh and pg.sh: start a published host on a SQLite file (or PostgreSQL) and make refresh tokens.
# Expects: root, work, port, base set by the caller.
# With ROTOR_LOAD_POSTGRES (an Npgsql connection string for a role that may create databases, e.g. the one
# scripts/postgres.sh prints) hosts run on PostgreSQL instead, each on a fresh database named by $pg_database.
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

# publish_host DIR: a Release publish of src/Rotor.Host into DIR (extra msbuild properties may follow).
publish_host() {
  local out=$1; shift
  dotnet publish "$root/src/Rotor.Host" -c Release -o "$out" -p:SkipWebBuild=true -nologo -v q "$@" >/dev/null
}

# start_host APP_DIR: starts the host in the background on $work/rotor.db; sets $host to its pid.
# Extra environment (DOTNET_TieredPGO=0, ...) is inherited from the caller.
start_host() {
  local database=(Rotor__Database=Sqlite "ConnectionStrings__Rotor=Data Source=$work/rotor.db;Default Timeout=5")
  if [ -n "${ROTOR_LOAD_POSTGRES:-}" ]; then
    pg_admin "DROP DATABASE IF EXISTS ${pg_database:=rotor_load} WITH (FORCE)"
    database=(Rotor__Database=PostgreSql "ConnectionStrings__Rotor=$(pg_connection "$pg_database")")
  fi
  env "${database[@]}" \
  Rotor__KeyDirectory="$work/keys" Rotor__AccessTokenLifetime=01:00:00 Rotor__RateLimits__Enabled=false \
  Logging__LogLevel__Default=Warning ASPNETCORE_ENVIRONMENT=Production \
    dotnet "$1/Rotor.Host.dll" --urls "$base" >>"$work/host.log" 2>&1 &
  host=$!
}

wait_ready() {
  for _ in $(seq 1 300); do curl -sf "$base/healthz" >/dev/null && return 0; sleep 0.05; done
  echo "host did not start; log:" >&2; cat "$work/host.log" >&2; exit 1
}

stop_host() {
  kill "$host" 2>/dev/null || true; wait "$host" 2>/dev/null || true
  while kill -0 "$host" 2>/dev/null; do sleep 0.05; done
}

# make_tokens N FILE: one user, N native sign-ins; their refresh tokens go to FILE (one a line).
make_tokens() {
  local json='import json,sys; print(json.load(sys.stdin)["refreshToken"])'
  curl -s -X POST "$base/auth/register" -H 'Content-Type: application/json' \
    -d '{"username":"loadtest","email":"load@example.com","password":"correct horse battery"}' >/dev/null
  : >"$2"
  for _ in $(seq 1 "$1"); do
    curl -sf -X POST "$base/auth/login" -H 'Content-Type: application/json' \
      -d '{"username":"loadtest","password":"correct horse battery","mode":"native"}' | python3 -c "$json" >>"$2"
  done
}

# cpu_ticks PID: "user system" CPU time of the process so far, in clock ticks.
cpu_ticks() { awk '{print $14, $15}' "/proc/$1/stat"; }

# pg_field NAME: a field of ROTOR_LOAD_POSTGRES (Host, Port, Username, Password).
pg_field() { tr ';' '\n' <<<"$ROTOR_LOAD_POSTGRES" | awk -F= -v k="$1" 'tolower($1) == tolower(k) {print $2}'; }

# pg_connection DATABASE: ROTOR_LOAD_POSTGRES on another database.
pg_connection() { echo "$(tr ';' '\n' <<<"$ROTOR_LOAD_POSTGRES" | grep -vi '^database=' | paste -sd';');Database=$1"; }

# pg_psql ARGS...: psql (or, with PG_TOOL=pgbench, pgbench) as ROTOR_LOAD_POSTGRES's role, quietly.
pg_psql() {
  PGOPTIONS="-c client_min_messages=warning" PGPASSWORD=$(pg_field Password) "${PG_TOOL:-psql}" -h "$(pg_field Host)" -p "$(pg_field Port)" -U "$(pg_field Username)" "$@"
}

# pg_admin SQL: runs one statement on the server's "rotor" database (CREATE/DROP DATABASE cannot run inside another).
pg_admin() { pg_psql -q -d "$(pg_field Database)" -c "$1" >/dev/null; }
