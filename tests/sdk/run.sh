#!/usr/bin/env bash
# Proves the Gladia emulator against the official @gladiaio/sdk from npm.
# Usage: run.sh EMULATOR|BUILD_DIR   (the gladia-emulator executable, or the
# CMake build directory that holds it)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
emulator="${1:?usage: run.sh GLADIA_EMULATOR|BUILD_DIR}"
[ -d "$emulator" ] && emulator="$emulator/tests/fakes/gladia/gladia-emulator"
if [ ! -x "$emulator" ]; then
    echo "run.sh: no gladia-emulator executable at $emulator" >&2
    exit 1
fi
emulator="$(realpath "$emulator")"

for tool in node npm; do
    command -v "$tool" >/dev/null || { echo "run.sh: $tool (Node 20) is needed" >&2; exit 1; }
done

cd "$here"
npm ci --no-audit --no-fund
GLADIA_EMULATOR="$emulator" node --test sdk_conformance.mjs
