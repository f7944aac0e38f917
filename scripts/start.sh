#!/usr/bin/env bash
# Sets up and runs the workbench on its embedded default: the canonical dataset, no Supabase
# account, no GPU needed to open it. Serves the page on http://127.0.0.1:5178/.
set -euo pipefail
cd "$(dirname "$0")/.."

npm ci --no-audit --no-fund
npm run build
exec npx localds serve "$@"
