# Shared by cpu.sh and coldstart.sh: start a published host on a SQLite file and make refresh tokens.
# Expects: root, work, port, base set by the caller.
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

# publish_host DIR: a Release publish of src/Rotor.Host into DIR (extra msbuild properties may follow).
publish_host() {
  local out=$1; shift
  dotnet publish "$root/src/Rotor.Host" -c Release -o "$out" -p:SkipWebBuild=true -nologo -v q "$@" >/dev/null
}

# start_host APP_DIR: starts the host in the background on $work/rotor.db; sets $host to its pid.
# Extra environment (DOTNET_TieredPGO=0, ...) is inherited from the caller.
start_host() {
  ConnectionStrings__Rotor="Data Source=$work/rotor.db;Default Timeout=5" \
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
