#!/usr/bin/env bash
# pg_dump/pg_restore (Debian postgresql-client) back `painwise backup` on PostgreSQL. Install them
# when missing and we may (root or passwordless sudo); otherwise the PostgreSQL backup test says why.
set -u
command -v pg_dump >/dev/null && command -v pg_restore >/dev/null && exit 0
SUDO=""
if [ "$(id -u)" != "0" ]; then
  if sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
    echo "!! pg_dump missing and no root/sudo to install postgresql-client"; exit 1
  fi
fi
command -v apt-get >/dev/null || { echo "!! pg_dump missing and apt-get unavailable"; exit 1; }
echo "== installing Debian postgresql-client for the backup tests"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null && $SUDO apt-get install -y -qq postgresql-client >/dev/null
command -v pg_dump >/dev/null
