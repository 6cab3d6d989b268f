#!/usr/bin/env bash
# Installs the Debian packages the tests use as peers (real OVS/OVN), if they are missing.
set -euo pipefail
pkgs=(openvswitch-switch openvswitch-common ovn-central ovn-host ovn-common iproute2 iputils-ping udhcpc openssl ethtool)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
