#!/usr/bin/env bash
# Sets up and runs the workbench on its embedded default: the canonical dataset, no Supabase
# account, no GPU. Until the page lands this runs what exists: the benchmark's dataset and the
# oracle's answer for it.
set -euo pipefail
cd "$(dirname "$0")/.."

npm ci --no-audit --no-fund
npm run build

mkdir -p .localds
npx localds dataset --scenario canonical --format json --out .localds/canonical.json
echo "Canonical dataset written to .localds/canonical.json"
echo
npx localds oracle --data .localds/canonical.json --format text
