#!/usr/bin/env bash
# Installs the Debian packages that the integration tests and benchmarks talk to (real peers on
# 127.0.0.1). Idempotent: does nothing when every package is already installed. Needs root.
# Add a package here together with the test that needs it.
set -euo pipefail
PACKAGES=(${WILDTRACE_APT_PACKAGES:-})
PACKAGES+=()
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
