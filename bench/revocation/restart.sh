#!/usr/bin/env bash
# Instant revocation across a PostgreSQL restart, with two real Rotor hosts (real clocks):
# signs in on A, restarts PostgreSQL, signs out on A as soon as it can, and times how long B keeps accepting the
# access token. The poll interval is 5 minutes, so a refusal within seconds comes from the listener's reconnect
# and catch-up (back-off about 1, 2, 4, 5 s while PostgreSQL is down).
# Usage: ROTOR_PG_PORT=55501 bench/revocation/restart.sh [http-port-A] [http-port-B]
# (restarts, with pg_ctl, the cluster scripts/postgres.sh runs on ROTOR_PG_PORT: not while tests use that cluster).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
port=${ROTOR_PG_PORT:-55432}; a=${1:-5601}; b=${2:-5602}
db=rotor_revocation_restart; work=$(mktemp -d)
cs="Host=127.0.0.1;Port=$port;Username=rotor;Password=rotor;Database=$db"
dll="$root/src/Rotor.Host/bin/Release/net10.0/Rotor.Host.dll"
[ -f "$dll" ] || dotnet build "$root/src/Rotor.Host" -c Release -nologo -v q
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
host() {
  Rotor__Database=PostgreSql ConnectionStrings__Rotor="$cs" Rotor__KeyDirectory="$work/keys" Rotor__RevocationPollInterval=00:05:00 \
  Rotor__RequireEmailVerification=false Rotor__RateLimits__Enabled=false Host__DemoAppPath="$work/no-demo" \
  ASPNETCORE_URLS="http://127.0.0.1:$1" dotnet "$dll" >"$work/host-$1.log" 2>&1 &
  pids+=($!)
}
ready() { for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$1/healthz/ready" >/dev/null && return 0; sleep 0.1; done; echo "host on $1 not ready" >&2; tail -20 "$work/host-$1.log" >&2; exit 1; }
ms() { date +%s%3N; }
host "$a"; ready "$a"; host "$b"; ready "$b"
user="u$(date +%s%N)"
curl -sf -H 'Content-Type: application/json' -d "{\"username\":\"$user\",\"email\":\"$user@example.com\",\"password\":\"correct horse battery staple\"}" "http://127.0.0.1:$a/auth/register" >/dev/null
login=$(curl -sf -H 'Content-Type: application/json' -d "{\"username\":\"$user\",\"password\":\"correct horse battery staple\",\"mode\":\"native\"}" "http://127.0.0.1:$a/auth/login")
token=$(sed -n 's/.*"accessToken":"\([^"]*\)".*/\1/p' <<<"$login")
status() { curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "http://127.0.0.1:$1/users/me"; }
[ "$(status "$b")" = 200 ] || { echo "B does not accept the token before the restart" >&2; exit 1; }

t0=$(ms)
# A real restart of the same data directory (scripts/postgres.sh stop would delete it).
pgdata=${ROTOR_PG_DIR:-/tmp/rotor-postgres-$port}/data; pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
if [ "$(id -u)" -eq 0 ]; then su postgres -c "$pgbin/pg_ctl -D $pgdata -m fast -w restart" >/dev/null; else "$pgbin/pg_ctl" -D "$pgdata" -m fast -w restart >/dev/null; fi
t1=$(ms)
until [ "$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $token" "http://127.0.0.1:$a/auth/logout")" = 204 ]; do sleep 0.02; done
t2=$(ms)
until [ "$(status "$b")" = 401 ]; do sleep 0.01; done
t3=$(ms)
echo "PostgreSQL down and back: $((t1 - t0)) ms; sign-out on A committed $((t2 - t1)) ms after it was back;"
echo "B refused the token $((t3 - t2)) ms after the sign-out (poll interval 5 min: the listener's reconnect and catch-up)."
grep -h "revocation" "$work/host-$b.log" | tail -4 || true
