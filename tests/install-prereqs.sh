#!/usr/bin/env bash
# Installs everything the test suite needs on a fresh Debian 12 machine (run as root):
# Debian's Chromium for the browser tests, Xvfb for the Electron tier, debootstrap and
# systemd-nspawn (with ssh, ip, unshare) for the test fleet of real hosts, ssh-audit and lynis
# (the external judges of the hardening tests), Ansible (runs the exported playbooks and the
# push benchmark's contender), and the npm packages.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
for pkg in chromium xvfb xauth fonts-dejavu-core \
  openssh-client openssh-sftp-server openssl \
  debootstrap systemd-container debian-archive-keyring iproute2 util-linux procps \
  ssh-audit lynis \
  ansible; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

npm ci --no-audit --no-fund
