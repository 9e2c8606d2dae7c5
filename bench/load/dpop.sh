#!/usr/bin/env bash
# DPoP's cost end to end, side by side in one run on one host (docs/performance.md, "DPoP"):
#   POST /auth/refresh on DPoP-bound chains against unbound ones, and GET /users/me with a bound token
#   (Authorization: DPoP + proof with ath) against an unbound Bearer token, alternated over ROUNDS rounds
#   (the order flips each round) so a change in the machine's load falls on both.
# wrk cannot sign, so bench/DpopProofs signs the bound sessions in and writes fresh proofs before each round;
# refresh.lua and me.lua send one per request (ROTOR_PROOFS). Proofs are made up to DURATION before they are sent,
# so the host accepts proofs up to 10 minutes old (Rotor__Dpop__ProofLifetime); the check itself is the same.
# Also prints the host's CPU time per request (user+system, from /proc) for each run.
# With ROTOR_LOAD_POSTGRES set (see common.sh) the host runs on PostgreSQL.
# Usage: bench/load/dpop.sh [duration=10s] [chains=16] [rounds=3]
set -euo pipefail
duration=${1:-10s}
chains=${2:-16}
rounds=${3:-3}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
port=${ROTOR_LOAD_PORT:-5721}
base="http://127.0.0.1:$port"
pg_database=rotor_load_dpop
. "$here/common.sh"

publish_host "$work/app"
dotnet build "$root/bench/DpopProofs" -c Release -nologo -v q >/dev/null
tool() { dotnet "$root/bench/DpopProofs/bin/Release/net10.0/DpopProofs.dll" "$@"; }
Rotor__Dpop__ProofLifetime=00:10:00 start_host "$work/app"
trap 'stop_host; rm -rf "$work"' EXIT
wait_ready

json() { python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
# Fresh chains for the warm-up and for every round: a chain's last token may have been rotated by a request wrk
# cut off, and sent again a round later it would be reuse.
pool=$((chains * (rounds + 1)))
make_tokens "$pool" "$work/all"
bearer=$(curl -sf -X POST "$base/auth/login" -H 'Content-Type: application/json' \
  -d '{"username":"loadtest","password":"correct horse battery","mode":"native"}' | json accessToken)
tool login "$base" "$work/key" "$pool" "$work/bound-all" "$work/bound-access"
# chains N: the N-th set of chains (0: warm-up) into tokens and bound-tokens.
chains_set() {
  sed -n "$(($1 * chains + 1)),$((($1 + 1) * chains))p" "$work/all" >"$work/tokens"
  sed -n "$(($1 * chains + 1)),$((($1 + 1) * chains))p" "$work/bound-all" >"$work/bound-tokens"
}

# A bound /users/me must name the user (an unauthenticated one answers 200 {"user": null}).
tool proofs "$work/key" GET "$base/users/me" "$work/p-check" 1 1 "$work/bound-access"
curl -sf "$base/users/me" -H "Authorization: DPoP $(cat "$work/bound-access")" -H "DPoP: $(cat "$work/p-check/1")" | grep -q dpopload \
  || { echo "a bound /users/me did not authenticate" >&2; exit 1; }

seconds=${duration%s}
# Enough proofs that a run cannot use them up (3000 refreshes/s, 8000 API calls/s); one used twice shows as non-2xx.
per_chain=$(( (3000 * seconds + chains - 1) / chains + 50 ))
per_thread=$(( 4000 * seconds + 50 ))
proofs() {
  rm -rf "$work/p-refresh" "$work/p-me"
  tool proofs "$work/key" POST "$base/auth/refresh" "$work/p-refresh" "$chains" "$1"
  tool proofs "$work/key" GET "$base/users/me" "$work/p-me" 2 "$2" "$work/bound-access"
}

# run NAME DURATION: one wrk run of NAME; prints req/s, p50, p99, non-2xx and the host's CPU ms per request.
run() {
  local name=$1 d=$2 out before after
  before=$(cpu_ticks "$host")
  case $name in
    refresh-unbound) out=$(ROTOR_TOKENS="$work/tokens" wrk -t"$chains" -c"$chains" -d"$d" --latency -s "$here/refresh.lua" "$base") ;;
    refresh-bound) out=$(ROTOR_TOKENS="$work/bound-tokens" ROTOR_PROOFS="$work/p-refresh" wrk -t"$chains" -c"$chains" -d"$d" --latency -s "$here/refresh.lua" "$base") ;;
    me-bearer) out=$(ROTOR_ACCESS_TOKEN="$bearer" wrk -t2 -c"$chains" -d"$d" --latency -s "$here/me.lua" "$base") ;;
    me-dpop) out=$(ROTOR_ACCESS_TOKEN="$(cat "$work/bound-access")" ROTOR_PROOFS="$work/p-me" wrk -t2 -c"$chains" -d"$d" --latency -s "$here/me.lua" "$base") ;;
  esac
  after=$(cpu_ticks "$host")
  awk -v name="$name" -v before="$before" -v after="$after" -v hz="$(getconf CLK_TCK)" '
    /Requests\/sec/ {rps=$2} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2} /requests in/ {n=$1} /Non-2xx/ {bad=$NF}
    END {split(before, b, " "); split(after, a, " "); cpu=((a[1]+a[2])-(b[1]+b[2]))*1000/hz;
         printf "%-16s %9.0f req/s  p50 %8s  p99 %8s  cpu %6.3f ms/req  non-2xx %s\n", name, rps, p50, p99, (n ? cpu/n : 0), (bad ? bad : 0)}' <<<"$out"
}

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg), $(dotnet --version), ${ROTOR_LOAD_POSTGRES:+PostgreSQL}${ROTOR_LOAD_POSTGRES:-SQLite}" | sed 's/Host=[^ ]*/PostgreSQL/'
# Warm-up (not reported): JIT tiering of both paths.
chains_set 0
proofs $(( per_chain / 2 )) $(( per_thread / 2 ))
for name in refresh-unbound refresh-bound me-bearer me-dpop; do run "$name" 3s >/dev/null; done

echo "== $rounds rounds, $duration each run, $chains refresh chains / $chains API connections"
for round in $(seq 1 "$rounds"); do
  chains_set "$round"
  proofs "$per_chain" "$per_thread"
  echo "-- round $round, load $(cut -d' ' -f1-3 /proc/loadavg)"
  if [ $((round % 2)) -eq 1 ]; then order="refresh-unbound refresh-bound me-bearer me-dpop"; else order="refresh-bound refresh-unbound me-dpop me-bearer"; fi
  for name in $order; do run "$name" "$duration"; done
done
