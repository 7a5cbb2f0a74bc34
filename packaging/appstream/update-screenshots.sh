#!/usr/bin/env bash
# Refreshes screenshots/ from the console GUI test's shots (ctest -R
# tst_console_gui writes BUILD_DIR/tests/console_gui/VIEW_LANG.png), reduced
# to a palette so each stays small. The metainfo references these files.
# Usage: packaging/appstream/update-screenshots.sh BUILD_DIR
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 BUILD_DIR" >&2; exit 2; }
shots=$1/tests/console_gui
out=$(dirname "$0")/screenshots
mkdir -p "$out"
for view in rooms transcripts usage latency; do
  for lang in en ru; do
    source_png=$shots/${view}_$lang.png
    [ -f "$source_png" ] || { echo "missing $source_png: run ctest -R tst_console_gui first" >&2; exit 1; }
    pngquant --force --strip --speed 1 --output "$out/${view}_$lang.png" "$source_png"
  done
done
ls -l "$out"
