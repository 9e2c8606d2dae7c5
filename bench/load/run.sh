#!/usr/bin/env bash
# End-to-end load test of a running Rotor host on loopback with wrk (apt-get install wrk).
# Starts the host from a Release publish on a fresh SQLite file, then measures
#   1. POST /auth/refresh with N concurrent chains (each connection rotates its own token),
#   2. GET /users/me with a valid access token, and 3. without one (the baseline).
# Usage: bench/load/run.sh [duration=20s] [chains=16]
set -euo pipefail
duration=${1:-20s}
chains=${2:-16}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
port=${ROTOR_LOAD_PORT:-5099}
base="http://127.0.0.1:$port"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

dotnet publish "$root/src/Rotor.Host" -c Release -o "$work/app" -p:SkipWebBuild=true -nologo -v q >/dev/null
ConnectionStrings__Rotor="Data Source=$work/rotor.db;Default Timeout=5" \
Rotor__KeyDirectory="$work/keys" Rotor__AccessTokenLifetime=01:00:00 Rotor__RateLimits__Enabled=false \
Logging__LogLevel__Default=Warning ASPNETCORE_ENVIRONMENT=Production \
  dotnet "$work/app/Rotor.Host.dll" --urls "$base" >"$work/host.log" 2>&1 &
host=$!
trap 'kill $host 2>/dev/null; wait $host 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.2; done

json() { python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
curl -sf -X POST "$base/auth/register" -H 'Content-Type: application/json' \
  -d '{"username":"loadtest","email":"load@example.com","password":"correct horse battery"}' >/dev/null
: >"$work/tokens"; : >"$work/warmup"
for i in $(seq 1 $((chains * 2))); do
  body=$(curl -sf -X POST "$base/auth/login" -H 'Content-Type: application/json' \
    -d '{"username":"loadtest","password":"correct horse battery","mode":"native"}')
  if [ "$i" -le "$chains" ]; then file=warmup; else file=tokens; fi
  echo "$body" | json refreshToken >>"$work/$file"
  access=$(echo "$body" | json accessToken)
done

# Warm-up (not reported): lets the JIT finish tiering the hot paths, as BenchmarkDotNet does in process.
ROTOR_TOKENS="$work/warmup" wrk -t"$chains" -c"$chains" -d5s -s "$here/refresh.lua" "$base" >/dev/null
ROTOR_ACCESS_TOKEN="$access" wrk -t2 -c"$chains" -d3s -s "$here/me.lua" "$base" >/dev/null
ROTOR_ACCESS_TOKEN="" wrk -t2 -c"$chains" -d3s -s "$here/me.lua" "$base" >/dev/null

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(dotnet --version)"
echo "== POST /auth/refresh, $chains chains (one connection and wrk thread each), $duration"
ROTOR_TOKENS="$work/tokens" wrk -t"$chains" -c"$chains" -d"$duration" --latency -s "$here/refresh.lua" "$base"
echo "== GET /users/me with a valid access token, $chains connections, $duration"
ROTOR_ACCESS_TOKEN="$access" wrk -t2 -c"$chains" -d"$duration" --latency -s "$here/me.lua" "$base"
echo "== GET /users/me without a token (baseline), $chains connections, $duration"
ROTOR_ACCESS_TOKEN="" wrk -t2 -c"$chains" -d"$duration" --latency -s "$here/me.lua" "$base"
