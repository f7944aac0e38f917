#!/usr/bin/env bash
# Installs the Debian packages localds needs at system level. Idempotent: when every package is
# already installed it changes nothing and needs no network. Run as root (scripts/test.sh and
# .ci/run call it).
#
#   postgresql                     the local Supabase-compatible stack's database
#   chromium                       headless browser tests (playwright-core drives /usr/bin/chromium)
#   bubblewrap                     sandboxing native Python runs
#   ca-certificates                TLS for the package registries
#   python3-pandas/-scipy/-matplotlib/-requests
#                                  the reference notebook's analysis, on Debian's /usr/bin/python3
#   python3-statsmodels            the reference values the fixture generators check statistics against
#   python3-nbclient/-nbformat/-ipykernel
#                                  execute that notebook headlessly and record its outputs
#   pyflakes3                      npm run lint checks the sandbox kernels' Python sources
set -euo pipefail

PACKAGES=(
  ca-certificates
  postgresql
  chromium
  bubblewrap
  python3-pandas
  python3-scipy
  python3-matplotlib
  python3-requests
  python3-statsmodels
  python3-nbformat
  python3-nbclient
  python3-ipykernel
  pyflakes3
)

if [ "$(id -u)" -ne 0 ]; then
  echo "install-system-deps.sh: must run as root (try: sudo bash $0)" >&2
  exit 1
fi

missing=()
for package in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
  [ "$status" = "installed" ] || missing+=("$package")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-system-deps.sh: all ${#PACKAGES[@]} system packages already installed"
  exit 0
fi

echo "install-system-deps.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update
# --no-install-recommends keeps the image small; everything above works without the recommends
# (checked: the reference notebook executes and chromium runs headless).
apt-get install -y --no-install-recommends "${PACKAGES[@]}"
