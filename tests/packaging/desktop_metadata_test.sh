#!/usr/bin/env bash
# The desktop entry and the AppStream metainfo as they are installed: both
# validate with no warning, and the metainfo launches that desktop entry.
# Usage: desktop_metadata_test.sh DESKTOP_FILE METAINFO_FILE
set -euo pipefail
desktop=$1
metainfo=$2

# desktop-file-validate exits 0 on warnings and hints: any output fails.
remarks=$(desktop-file-validate --warn-kde "$desktop" 2>&1) || true
[ -z "$remarks" ] || { echo "$remarks"; exit 1; }
appstreamcli validate --no-net --strict --pedantic "$metainfo"
launchable=$(sed -n 's:.*<launchable type="desktop-id">\(.*\)</launchable>.*:\1:p' "$metainfo")
[ "$launchable" = "$(basename "$desktop")" ] || {
  echo "the metainfo launches '$launchable', the desktop file is $(basename "$desktop")"; exit 1; }
echo "desktop entry and metainfo valid"
