#!/usr/bin/env bash
# Installs Debian packages with apt-get (through sudo when not root): what postgres.sh, fleet.sh and
# install-test-deps.sh use to fetch PostgreSQL, nginx and Chromium on a fresh machine.
#   scripts/apt-install.sh PACKAGE...
set -euo pipefail
[ $# -gt 0 ] || { echo "Usage: scripts/apt-install.sh PACKAGE..." >&2; exit 2; }
echo "Installing $* (apt)…" >&2
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "$* missing and this user cannot run apt-get (not root, no sudo)." >&2; exit 1; }
  sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq "$@" >/dev/null
