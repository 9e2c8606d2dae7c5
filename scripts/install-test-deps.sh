#!/usr/bin/env bash
# Installs what the tests need and is safe to run again: Debian's Chromium for the end-to-end tests (Playwright
# for .NET drives /usr/bin/chromium; its own browser download is not used), and web/node_modules for Vitest and
# the demo build. Does nothing when both are already there.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

if [ ! -x /usr/bin/chromium ]; then
  echo "Installing Chromium (apt)…"
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo_cmd=(sudo); else echo "Chromium is missing and this user cannot run apt-get (not root, no sudo)." >&2; exit 1; fi
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq chromium >/dev/null
  /usr/bin/chromium --version 2>/dev/null | grep -v '^\s*$' || true
fi

if [ ! -d "$root/web/node_modules" ]; then
  echo "Installing web dependencies (npm ci)…"
  (cd "$root/web" && npm ci --no-audit --no-fund)
fi
