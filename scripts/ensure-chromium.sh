#!/usr/bin/env bash
# Installs Debian's chromium for the browser tests when it is missing and we may (root or
# passwordless sudo). Playwright cannot download browsers here; it launches this one.
set -u
for candidate in /usr/bin/chromium /usr/lib/chromium/chromium; do
  [ -x "$candidate" ] && exit 0
done
SUDO=""
if [ "$(id -u)" != "0" ]; then
  if sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
    echo "!! chromium missing and no root/sudo to install it: browser tests will be skipped"; exit 1
  fi
fi
command -v apt-get >/dev/null || { echo "!! chromium missing and apt-get unavailable: browser tests will be skipped"; exit 1; }
echo "== installing Debian chromium for the browser tests"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null && $SUDO apt-get install -y -qq chromium >/dev/null
[ -x /usr/bin/chromium ]
