#!/usr/bin/env bash
# Proves the fake LiveKit server against the official livekit-server-sdk from npm.
# Usage: run.sh LIVEKIT_FAKE|BUILD_DIR   (the livekit-fake executable, or the
# CMake build directory that holds it)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
fake="${1:?usage: run.sh LIVEKIT_FAKE|BUILD_DIR}"
[ -d "$fake" ] && fake="$fake/tests/fakes/livekit/livekit-fake"
if [ ! -x "$fake" ]; then
    echo "run.sh: no livekit-fake executable at $fake" >&2
    exit 1
fi
fake="$(realpath "$fake")"

for tool in node npm espeak-ng sox ffmpeg ffprobe gst-launch-1.0; do
    command -v "$tool" >/dev/null || { echo "run.sh: $tool is needed" >&2; exit 1; }
done

cd "$here"
npm ci --no-audit --no-fund
LIVEKIT_FAKE="$fake" node --test sdk_conformance.mjs
