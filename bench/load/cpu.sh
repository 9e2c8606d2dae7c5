#!/usr/bin/env bash
# Server CPU per refresh over HTTP: (the host process's utime+stime delta) / (requests wrk completed), over a
# fixed wrk run after a warm-up, from /proc/<pid>/stat. Unlike req/s this barely depends on what else the
# machine runs, so old and new builds can be compared by alternating them in one session.
# Usage: bench/load/cpu.sh [duration=15s] [chains=16] [app-dir...]
#   Each app-dir is a `dotnet publish` of Rotor.Host (default: publish this tree), optionally written
#   LABEL=DIR:ENV=VALUE,... to name it and give the host runtime settings. Several are run in turn, e.g.
#   `cpu.sh 15s 16 /tmp/old /tmp/new /tmp/old /tmp/new` or `cpu.sh 15s 16 spin0=/tmp/new:DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0`.
set -euo pipefail
duration=${1:-15s}
chains=${2:-16}
shift $(( $# < 2 ? $# : 2 ))
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
port=${ROTOR_LOAD_PORT:-5099}
base="http://127.0.0.1:$port"
source "$here/common.sh"
scratch=$(mktemp -d)
trap 'stop_host 2>/dev/null; rm -rf "$scratch"' EXIT
apps=("$@")
if [ ${#apps[@]} -eq 0 ]; then publish_host "$scratch/app"; apps=("$scratch/app"); fi
tick=$(getconf CLK_TCK)

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(dotnet --version)"
printf '%-28s %9s %10s %8s %8s %11s %6s %6s\n' app requests refresh/s p50 p99 'CPU µs/req' user sys
for option in "${apps[@]}"; do
  label=$(basename "${option%%:*}"); app=$option; envs=""
  case $option in *=*) label=${option%%=*}; app=${option#*=} ;; esac
  case $app in *:*) envs=${app#*:}; app=${app%%:*} ;; esac
  work=$(mktemp -d -p "$scratch")
  ( IFS=,; for e in $envs; do export "${e?}"; done; start_host "$app"; echo $host >"$work/pid"; wait $host ) &
  while [ ! -s "$work/pid" ]; do sleep 0.01; done
  host=$(cat "$work/pid"); wait_ready
  make_tokens $((chains * 2)) "$work/all"
  head -n "$chains" "$work/all" >"$work/warmup"; tail -n "$chains" "$work/all" >"$work/tokens"
  # Warm-up (not counted): lets the JIT finish tiering the hot paths.
  ROTOR_TOKENS="$work/warmup" wrk -t"$chains" -c"$chains" -d25s -s "$here/refresh.lua" "$base" >/dev/null
  before=$(cpu_ticks "$host")
  ROTOR_TOKENS="$work/tokens" wrk -t"$chains" -c"$chains" -d"$duration" --latency -s "$here/refresh.lua" "$base" >"$work/wrk"
  after=$(cpu_ticks "$host")
  stop_host
  requests=$(awk '/requests in/ {print $1}' "$work/wrk")
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk")
  p50=$(awk '$1 == "50%" {print $2}' "$work/wrk"); p99=$(awk '$1 == "99%" {print $2}' "$work/wrk")
  grep -q "Non-2xx" "$work/wrk" && echo "warning: non-2xx answers: $(grep Non-2xx "$work/wrk")" >&2
  us=$(echo "$before $after" | awk -v r="$requests" -v hz="$tick" \
    '{u = ($3 - $1) / hz * 1e6 / r; s = ($4 - $2) / hz * 1e6 / r; printf "%.1f %.1f %.1f", u + s, u, s}')
  read -r total user sys <<<"$us"
  printf '%-28s %9s %10s %8s %8s %11s %6s %6s\n' "$label" "$requests" "$rps" "$p50" "$p99" "$total" "$user" "$sys"
done
