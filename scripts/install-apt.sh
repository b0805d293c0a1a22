#!/usr/bin/env bash
# Installs the Debian packages listed in deps/apt-packages.txt that are missing.
# Usage: scripts/install-apt.sh LIST [LIST...]   (lines: name=version, '#' comments)
set -euo pipefail

want=()
for list in "$@"; do
  while IFS= read -r line; do
    line=${line%%#*}
    line=$(echo "$line" | tr -d '[:space:]')
    [ -n "$line" ] && want+=("$line")
  done < "$list"
done

missing=()
for spec in "${want[@]}"; do
  name=${spec%%=*}
  status=$(dpkg-query -W -f='${Status}' "$name" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$spec")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing Debian packages: ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "error: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  sudo=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
if ! $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"; then
  echo "warning: a pinned version is no longer in the archive; installing current candidates" >&2
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]%%=*}"
fi
