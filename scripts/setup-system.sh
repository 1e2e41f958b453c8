#!/usr/bin/env bash
# Installs the Debian packages that the integration tests and benchmarks talk to (real peers on
# 127.0.0.1). Idempotent: does nothing when every package is already installed. Needs root.
# Packages are listed in scripts/apt-packages/*.txt, one file per room.
set -euo pipefail
cd "$(dirname "$0")"
mapfile -t PACKAGES < <(cat apt-packages/*.txt 2>/dev/null | sed 's/#.*//' | tr -s ' \t' '\n' | grep -v '^$' | sort -u)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "setup-system: missing Debian packages: ${missing[*]}; run as root: apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "setup-system: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
