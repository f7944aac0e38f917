#!/usr/bin/env bash
# Sets up a fresh Debian machine and runs everything CI runs: lint, typecheck, tests.
# Needs root (or sudo) for the system packages; run from anywhere.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -eq 0 ]; then
  bash scripts/install-system-deps.sh
elif command -v sudo >/dev/null; then
  sudo bash scripts/install-system-deps.sh
else
  echo "scripts/test.sh: need root or sudo to install system packages (see scripts/install-system-deps.sh)" >&2
  exit 1
fi

npm ci --no-audit --no-fund
npm run build
npm run lint
npm run typecheck
npm test
