#!/usr/bin/env bash
# Proves a fake server against an official npm SDK: installs the SDK package
# in SDK_DIR and runs its sdk_conformance.mjs against the fake. tests/sdk/run.sh
# and tests/sdk-livekit/run.sh call it.
# Usage: run_sdk_check.sh SDK_DIR FAKE_PATH EXECUTABLE|BUILD_DIR [TOOL...]
#   FAKE_PATH   where the fake lies in a CMake build directory
#               (tests/fakes/gladia/gladia-emulator); its name in capitals,
#               '-' as '_' (GLADIA_EMULATOR), is the variable that gives
#               sdk_conformance.mjs the executable
#   TOOL...     programs the check needs besides node and npm
set -euo pipefail

sdk_dir="${1:?usage: run_sdk_check.sh SDK_DIR FAKE_PATH EXECUTABLE|BUILD_DIR [TOOL...]}"
fake_path="${2:?usage: run_sdk_check.sh SDK_DIR FAKE_PATH EXECUTABLE|BUILD_DIR [TOOL...]}"
fake="${3:?usage: run_sdk_check.sh SDK_DIR FAKE_PATH EXECUTABLE|BUILD_DIR [TOOL...]}"
shift 3
name="$(basename "$fake_path")"

[ -d "$fake" ] && fake="$fake/$fake_path"
if [ ! -x "$fake" ]; then
    echo "run_sdk_check.sh: no $name executable at $fake" >&2
    exit 1
fi
fake="$(realpath "$fake")"

for tool in node npm "$@"; do
    command -v "$tool" >/dev/null || { echo "run_sdk_check.sh: $tool is needed" >&2; exit 1; }
done

cd "$sdk_dir"
npm ci --no-audit --no-fund
variable="$(echo "$name" | tr 'a-z-' 'A-Z_')"
env "$variable=$fake" node --test sdk_conformance.mjs
