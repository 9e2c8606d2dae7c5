#!/usr/bin/env bash
# A Rotor fleet on this machine, everything on 127.0.0.1: PostgreSQL (scripts/postgres.sh, durable), three Rotor
# hosts sharing it (keys in the database encrypted under a generated key-encryption key, rate limits in the
# database, nginx trusted for X-Forwarded-*), and nginx (Debian's package, installed when missing) on one port,
# round-robin to the three, serving the demo app and the API through them.
#   scripts/fleet.sh up             builds the host when it is not built, starts everything, prints the address
#   scripts/fleet.sh down           stops what `up` started (its own process ids only) and deletes the cluster
#   scripts/fleet.sh status         what runs, where
#   scripts/fleet.sh kill N         kill -9 host N (1..3), as a crash would
#   scripts/fleet.sh restart N      stops host N if it runs and starts it again (waits until it is ready)
#   scripts/fleet.sh pg-restart [S] restarts PostgreSQL (fast: cuts open connections), down for S seconds (default 0)
# State (pids, logs, configuration, the key-encryption key, measured figures) is kept in $ROTOR_FLEET_DIR (default
# .fleet/ in the repository, ignored by git); PostgreSQL's data in $ROTOR_FLEET_PG_DIR (default /tmp/rotor-fleet-pg-<port>).
# Ports: $ROTOR_FLEET_PORT (nginx, default 5090), hosts on $ROTOR_FLEET_HOST_PORT and the two after it (default
# 5091..5093), PostgreSQL on $ROTOR_FLEET_PG_PORT (default 55442); a running fleet keeps its ports. Any Rotor__*
# variable set for `up` reaches the hosts, and hosts restarted later get the same (e.g. Rotor__AccessTokenLifetime=00:01:00).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
state=${ROTOR_FLEET_DIR:-$root/.fleet}
size=3
lb_port=${ROTOR_FLEET_PORT:-5090}
first_port=${ROTOR_FLEET_HOST_PORT:-5091}
pg_port=${ROTOR_FLEET_PG_PORT:-55442}
pg_dir=${ROTOR_FLEET_PG_DIR:-/tmp/rotor-fleet-pg-$pg_port}
# A running fleet keeps the ports it started with, whatever the caller's environment says now.
if [ -f "$state/ports" ]; then . "$state/ports"; fi
host_dll=$root/src/Rotor.Host/bin/Release/net10.0/Rotor.Host.dll
nginx_bin=/usr/sbin/nginx

pg() { ROTOR_PG_PORT=$pg_port ROTOR_PG_DIR=$pg_dir ROTOR_PG_DURABLE=1 bash "$root/scripts/postgres.sh" "$@"; }
host_port() { echo $((first_port + $1 - 1)); }
# A recorded pid counts only while it is still the process we started (Rotor.Host, nginx, or the fleet.sh subshell
# about to become a host), never a recycled pid.
alive() {
  [ -f "$1" ] || return 1
  local pid; pid=$(cat "$1")
  kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qE 'Rotor\.Host\.dll|nginx|fleet\.sh'
}

check_host() {
  case "${1:-}" in
    [1-9]) [ "$1" -le "$size" ] && return 0 ;;
  esac
  echo "Name a host from 1 to $size." >&2
  exit 2
}

install_nginx() {
  [ -x "$nginx_bin" ] || bash "$root/scripts/apt-install.sh" nginx
}

build_host() {
  [ -f "$host_dll" ] && [ -f "$root/web/demo/dist/index.html" ] && return 0
  echo "Building the host (dotnet build -c Release)…" >&2
  dotnet build "$root/src/Rotor.Host" -c Release -nologo -v quiet >&2
}

wait_ready() { # port pidfile log
  local deadline=$((SECONDS + 90))
  until curl -fsS -o /dev/null "http://127.0.0.1:$1/healthz/ready" 2>/dev/null; do
    if ! alive "$2"; then echo "The host on port $1 stopped while starting; its log ($3) ends:" >&2; tail -20 "$3" >&2; return 1; fi
    if [ $SECONDS -ge $deadline ]; then echo "The host on port $1 was not ready within 90 s; see $3." >&2; return 1; fi
    sleep 0.2
  done
}

start_host() { # N
  local n=$1 port; port=$(host_port "$1")
  local dir=$state/host-$n
  mkdir -p "$dir"
  if alive "$dir/pid"; then return 0; fi
  # Settings go in through the environment (never the command line, which every user can read in ps).
  (
    cd "$dir"
    # The settings given to `up` (Rotor__* and ASPNETCORE_ENVIRONMENT), so a restarted host is configured as before.
    set -a; . "$state/host.env"; set +a
    export ASPNETCORE_URLS="http://127.0.0.1:$port"
    # appsettings.json is read from the content root: the build output, not this state folder.
    export ASPNETCORE_CONTENTROOT="$(dirname "$host_dll")"
    export Rotor__Database=PostgreSql
    export ConnectionStrings__Rotor="$(cat "$state/pg-url")"
    export Rotor__Keys__Store=Database
    export Rotor__Keys__EncryptionKey="$(cat "$state/encryption.key")"
    export Rotor__RateLimits__Store=Database
    export Rotor__ForwardedHeaders__KnownProxies__0=127.0.0.1
    export Rotor__PublicOrigin="http://127.0.0.1:$lb_port"
    export Rotor__KeyDirectory="$dir/keys"
    export Rotor__Email__PickupDirectory="$state/mail"
    export Host__DemoAppPath="$root/web/demo/dist"
    exec setsid dotnet "$host_dll" </dev/null >>"$dir/log" 2>&1
  ) &
  echo $! >"$dir/pid"
}

stop_pid() { # pidfile signal
  alive "$1" || { rm -f "$1"; return 0; }
  local pid; pid=$(cat "$1")
  kill "-${2:-TERM}" "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  rm -f "$1"
}

write_nginx_conf() {
  local conf=$state/nginx/nginx.conf servers="" n
  mkdir -p "$state/nginx/tmp"
  for n in $(seq 1 $size); do servers+="    server 127.0.0.1:$(host_port "$n") max_fails=1 fail_timeout=2s;"$'\n'; done
  cat >"$conf" <<EOF
# Written by scripts/fleet.sh: nginx in front of the Rotor fleet, 127.0.0.1 only.
worker_processes 1;
pid $state/nginx/nginx.pid;
error_log $state/nginx/error.log warn;
events { worker_connections 2048; }
http {
  access_log off;
  client_body_temp_path $state/nginx/tmp/body;
  proxy_temp_path $state/nginx/tmp/proxy;
  fastcgi_temp_path $state/nginx/tmp/fastcgi;
  uwsgi_temp_path $state/nginx/tmp/uwsgi;
  scgi_temp_path $state/nginx/tmp/scgi;
  # Rotor reads bodies up to 16 KiB: keep them in memory, and never spool answers to disk.
  client_body_buffer_size 32k;
  proxy_max_temp_file_size 0;
  upstream rotor {
$servers    keepalive 64;
  }
  proxy_http_version 1.1;
  proxy_set_header Connection "";
  proxy_set_header Host \$http_host;
  # The hosts trust these from 127.0.0.1 only (Rotor:ForwardedHeaders:KnownProxies), so they see the client.
  proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
  proxy_set_header X-Forwarded-Proto \$scheme;
  proxy_connect_timeout 2s;
  server {
    listen 127.0.0.1:$lb_port;
    location / {
      proxy_pass http://rotor;
      # A host that refuses the connection (down) is skipped; a POST already sent is not replayed on another
      # (nginx's default for non-idempotent requests): a sign-in replayed would start a second session.
      proxy_next_upstream error timeout;
    }
    location = /auth/refresh {
      proxy_pass http://rotor;
      # A refresh is safe to replay on another host when the first died before answering: if it had rotated,
      # the token is within its grace period there and the answer is the same successor.
      proxy_next_upstream error timeout non_idempotent;
      proxy_next_upstream_tries 2;
    }
  }
}
EOF
}

up() {
  mkdir -p "$state"
  chmod 700 "$state"
  install_nginx
  build_host
  pg start >"$state/pg-url"
  printf 'lb_port=%s\nfirst_port=%s\npg_port=%s\npg_dir=%s\n' "$lb_port" "$first_port" "$pg_port" "$pg_dir" >"$state/ports"
  (umask 077; env | grep -E '^(Rotor__|ASPNETCORE_ENVIRONMENT=)' | sed -E "s/^([^=]*)=(.*)$/\1='\2'/" >"$state/host.env" || true)
  if [ ! -s "$state/encryption.key" ]; then
    (umask 077; openssl rand -base64 32 >"$state/encryption.key")
  fi
  # A new fleet starts with new logs and figures.
  rm -f "$state"/host-*/log "$state/figures.txt"
  # The first host creates the schema and the keys alone; the others then start together.
  start_host 1
  wait_ready "$(host_port 1)" "$state/host-1/pid" "$state/host-1/log"
  for n in $(seq 2 $size); do start_host "$n"; done
  for n in $(seq 2 $size); do wait_ready "$(host_port "$n")" "$state/host-$n/pid" "$state/host-$n/log"; done
  write_nginx_conf
  if ! alive "$state/nginx/nginx.pid"; then
    "$nginx_bin" -c "$state/nginx/nginx.conf" -p "$state/nginx" -e "$state/nginx/error.log"
  fi
  local deadline=$((SECONDS + 10))
  until curl -fsS -o /dev/null "http://127.0.0.1:$lb_port/healthz/ready"; do
    [ $SECONDS -ge $deadline ] && { echo "nginx does not answer on $lb_port; see $state/nginx/error.log." >&2; exit 1; }
    sleep 0.2
  done
  cat >"$state/fleet.env" <<EOF
ROTOR_FLEET_URL=http://127.0.0.1:$lb_port
ROTOR_FLEET_HOSTS=$(for n in $(seq 1 $size); do printf 'http://127.0.0.1:%s ' "$(host_port "$n")"; done | sed 's/ $//')
ROTOR_FLEET_DIR=$state
EOF
  echo "http://127.0.0.1:$lb_port"
}

down() {
  if [ -d "$state" ]; then
    [ -f "$state/nginx/nginx.pid" ] && stop_pid "$state/nginx/nginx.pid" QUIT
    for n in $(seq 1 $size); do stop_pid "$state/host-$n/pid" TERM; done
  fi
  pg stop
  # The key-encryption key goes with the database it protected; logs and figures stay to be read.
  rm -f "$state/fleet.env" "$state/pg-url" "$state/ports" "$state/host.env" "$state/encryption.key"
}

status() {
  local n
  if alive "$state/nginx/nginx.pid"; then echo "nginx       http://127.0.0.1:$lb_port  pid $(cat "$state/nginx/nginx.pid")"; else echo "nginx       stopped"; fi
  for n in $(seq 1 $size); do
    local port; port=$(host_port "$n")
    if alive "$state/host-$n/pid"; then
      local ready=ready
      curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz/ready" 2>/dev/null || ready="not ready"
      echo "host $n      http://127.0.0.1:$port  pid $(cat "$state/host-$n/pid")  $ready  log $state/host-$n/log"
    else
      echo "host $n      stopped (port $port)"
    fi
  done
  if [ -f "$pg_dir/data/postmaster.pid" ]; then echo "postgresql  127.0.0.1:$pg_port  $pg_dir"; else echo "postgresql  stopped"; fi
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  kill)
    check_host "${2:-}"
    if alive "$state/host-$2/pid"; then kill -KILL "$(cat "$state/host-$2/pid")"; fi
    rm -f "$state/host-$2/pid" ;;
  restart)
    check_host "${2:-}"
    stop_pid "$state/host-$2/pid" TERM
    start_host "$2"
    wait_ready "$(host_port "$2")" "$state/host-$2/pid" "$state/host-$2/log" ;;
  pg-restart) pg restart "${2:-0}" >/dev/null ;;
  *) echo "Usage: scripts/fleet.sh up|down|status|kill N|restart N|pg-restart [seconds]" >&2; exit 2 ;;
esac
