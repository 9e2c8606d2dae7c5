#!/usr/bin/env bash
# Installs what the tests need and is safe to run again: Debian's Chromium for the end-to-end tests (Playwright
# for .NET drives /usr/bin/chromium; its own browser download is not used), Debian's nginx for the fleet tests
# (scripts/fleet.sh runs its own instance on 127.0.0.1; the package's service is not used), and web/node_modules for
# Vitest and the demo build. Does nothing when they are already there. (scripts/postgres.sh installs PostgreSQL.)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/sbin/nginx ] || missing+=(nginx)
if [ ${#missing[@]} -gt 0 ]; then
  bash "$root/scripts/apt-install.sh" "${missing[@]}"
  /usr/bin/chromium --version 2>/dev/null | grep -v '^\s*$' || true
fi

if [ ! -d "$root/web/node_modules" ]; then
  echo "Installing web dependencies (npm ci)…"
  (cd "$root/web" && npm ci --no-audit --no-fund)
fi
