#!/usr/bin/env bash
# Installs what is missing, builds, and starts Roomscribe: the console window
# when a display is available, headless otherwise. Extra arguments go to
# roomscribe (e.g. --no-gui --stream-key KEY --pcm-dir DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build
args=("$@")
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [[ " ${args[*]-} " != *" --no-gui "* ]]; then
  echo "no display: running headless (--no-gui)" >&2
  args=(--no-gui "${args[@]}")
fi
exec build/app/roomscribe "${args[@]}"
