#!/usr/bin/env bash
# Installs a Java 17 runtime for the PySpark engine (`painwise pv signals --engine spark`) when `java` is
# missing and we may (root or passwordless sudo). Spark 4 needs Java 17 or later.
set -u
if command -v java >/dev/null 2>&1 || [ -n "${JAVA_HOME:-}" ]; then exit 0; fi
SUDO=""
if [ "$(id -u)" != "0" ]; then
  if sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
    echo "!! java missing and no root/sudo to install it: Spark tests will be skipped"; exit 1
  fi
fi
command -v apt-get >/dev/null || { echo "!! java missing and apt-get unavailable: Spark tests will be skipped"; exit 1; }
echo "== installing openjdk-17-jre-headless for the Spark engine"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null && $SUDO apt-get install -y -qq openjdk-17-jre-headless >/dev/null
command -v java >/dev/null
