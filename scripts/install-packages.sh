#!/usr/bin/env bash
# Installs the Debian packages named on the command line that are not installed yet, with
# apt-get (through sudo when not root). Says what is missing and what to do when it cannot.
set -euo pipefail
missing=()
for package in "$@"; do
  dpkg-query -W -f='${Status}\n' "$package" 2>/dev/null | grep -q 'install ok installed' \
    || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing missing Debian packages: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo > /dev/null 2>&1; then
  sudo=(sudo)
else
  cat >&2 <<MESSAGE
These packages are missing: ${missing[*]}
Installing them needs root. Either run this as root, install sudo and run it again, or ask an
administrator to run:
  apt-get install --no-install-recommends ${missing[*]}
MESSAGE
  exit 1
fi
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
  "${missing[@]}"
