#!/usr/bin/env bash
# Installs the Debian libraries weasyprint (the report PDF) needs when they are missing and we may
# (root or passwordless sudo): pango, pango-ft2, harfbuzz-subset and a font (DejaVu). poppler-utils
# (pdftoppm, pdftotext) is installed too, to look at report pages as images during development.
set -u
PACKAGES="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core poppler-utils"
missing=""
for pkg in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
done
[ -z "$missing" ] && exit 0
SUDO=""
if [ "$(id -u)" != "0" ]; then
  if sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
    echo "!! missing:$missing and no root/sudo to install them: PDF reports will fail"; exit 1
  fi
fi
command -v apt-get >/dev/null || { echo "!! missing:$missing and apt-get unavailable"; exit 1; }
echo "== installing$missing for weasyprint (report PDFs)"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null && $SUDO apt-get install -y -qq $missing >/dev/null
