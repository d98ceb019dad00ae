#!/usr/bin/env bash
# Installs the host packages the kubeha lab needs (Debian/Ubuntu hosts); safe to repeat.
set -euo pipefail
packages=(debootstrap systemd-container iproute2 openssh-client debian-archive-keyring util-linux
  python3 apt-utils gnupg dpkg gzip tar   # builds and serves the lab fixtures (lab/fixtures)
  nftables)   # the offline bundle test cuts the nodes off the jump namespace's servers with it
[[ $EUID -eq 0 ]] || { echo "install-deps.sh must run as root: sudo $0" >&2; exit 1; }
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if (( ${#missing[@]} > 0 )); then
  echo "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -qq update
  apt-get -qq -y --no-install-recommends install "${missing[@]}" >/dev/null
fi
