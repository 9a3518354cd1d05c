#!/bin/sh
# Install (as root) or check the Debian packages listed in tools/debian-packages.txt.
# Idempotent: installs only what is missing; without root it prints the one command to run.
# Usage: tools/deps.sh [--check]
set -eu
here=$(dirname "$0")
pkgs=$(sed -e 's/#.*//' "$here/debian-packages.txt" | tr -s ' \t' '\n' | grep -v '^$')
missing=""
for p in $pkgs; do
	st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$st" = "installed" ] || missing="$missing $p"
done
if [ -z "$missing" ]; then
	echo "deps: all $(echo $pkgs | wc -w) packages installed"
	exit 0
fi
echo "deps: missing:$missing"
if [ "${1:-}" = "--check" ] || [ "$(id -u)" != 0 ]; then
	echo "deps: install them with: sudo apt-get install -y --no-install-recommends$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# A fresh machine has no package lists yet; refresh them once before installing.
apt-get update -qq
apt-get install -y -qq --no-install-recommends $missing
echo "deps: installed:$missing"
