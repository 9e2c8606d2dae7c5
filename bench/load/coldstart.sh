#!/usr/bin/env bash
# Time to steady state of a fresh instance: refreshes per second in 1 s windows from a cold start.
# A throw-away instance first makes 16 sessions on a SQLite file; then, for each option, a fresh process
# starts on a copy of that file (same keys), and wrk runs 16 chains in back-to-back 1 s windows (the chains
# carry on from window to window through ROTOR_TOKENS_OUT).
# Usage: bench/load/coldstart.sh WINDOWS LABEL=APP_DIR[:ENV=VALUE,...] ...
#   e.g. coldstart.sh 30 default=/tmp/app pgo-off=/tmp/app:DOTNET_TieredPGO=0 r2r=/tmp/app-r2r
#   WARMUP=5 among the settings stands for a warm-up before readiness: one chain for 5 s once /healthz
#   answers, before the load starts (its time is counted in "ready").
# Prints, per option: start-up time to /healthz, then req/s of every window, and "steady after": the first
# window from which the rolling median of 3 windows stays at ≥ 85 % of the last 10 windows' median (the
# machine is shared, so single windows dip).
set -euo pipefail
windows=$1; shift
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
port=${ROTOR_LOAD_PORT:-5099}
base="http://127.0.0.1:$port"
chains=16
source "$here/common.sh"
scratch=$(mktemp -d)
trap 'stop_host 2>/dev/null; rm -rf "$scratch"' EXIT

work="$scratch/seed"; mkdir -p "$work"
first=${1#*=}; start_host "${first%%:*}"; wait_ready
make_tokens "$chains" "$work/tokens"
stop_host

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(dotnet --version); $windows windows of 1 s, $chains chains"
for option in "$@"; do
  label=${option%%=*}; rest=${option#*=}; app=${rest%%:*}; envs=""
  [ "$rest" != "$app" ] && envs=${rest#*:}
  work="$scratch/$label"; mkdir -p "$work"
  cp -r "$scratch/seed/keys" "$work/"; cp "$scratch/seed/rotor.db"* "$work/"; cp "$scratch/seed/tokens" "$work/tokens"
  started=$(date +%s%N)
  # shellcheck disable=SC2086
  ( IFS=,; for e in $envs; do export "${e?}"; done; start_host "$app"; echo $host >"$work/pid"; wait $host ) &
  runner=$!
  while [ ! -s "$work/pid" ]; do sleep 0.01; done
  host=$(cat "$work/pid")
  for _ in $(seq 1 600); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.01; done
  warmup=$(echo ",$envs," | sed -n 's/.*,WARMUP=\([0-9]*\),.*/\1/p')
  if [ -n "$warmup" ]; then
    ROTOR_TOKENS="$work/tokens" ROTOR_TOKENS_OUT="$work/next" wrk -t1 -c1 -d"${warmup}s" -s "$here/refresh.lua" "$base" >/dev/null
    head -n 1 "$work/next" >"$work/first"; tail -n +2 "$work/tokens" >>"$work/first"; mv "$work/first" "$work/tokens"; rm "$work/next"
  fi
  ready=$(( ($(date +%s%N) - started) / 1000000 ))
  series=()
  for _ in $(seq 1 "$windows"); do
    ROTOR_TOKENS="$work/tokens" ROTOR_TOKENS_OUT="$work/next" \
      wrk -t"$chains" -c"$chains" -d1s -s "$here/refresh.lua" "$base" >"$work/wrk"
    grep -q "Non-2xx" "$work/wrk" && echo "warning: $label: $(grep Non-2xx "$work/wrk")" >&2
    mv "$work/next" "$work/tokens"
    series+=("$(awk '/Requests\/sec/ {printf "%.0f", $2}' "$work/wrk")")
  done
  kill "$host" 2>/dev/null || true; wait "$runner" 2>/dev/null || true
  steady=$(printf '%s\n' "${series[@]}" | python3 -c '
import sys, statistics
s = [float(x) for x in sys.stdin]
ref = statistics.median(s[-10:])
m = [statistics.median(s[i:i + 3]) for i in range(len(s) - 2)]
first = next((i for i in range(len(m)) if all(x >= 0.85 * ref for x in m[i:])), None)
first = "never" if first is None else first
print(f"{first} s (steady {ref:.0f}/s; first 5 s at {100 * sum(s[:5]) / 5 / ref:.0f} %, first 10 s at {100 * sum(s[:10]) / 10 / ref:.0f} %)")')
  echo "$label: ready in $ready ms; steady after $steady"
  echo "  ${series[*]}"
done
