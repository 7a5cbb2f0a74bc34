#!/usr/bin/env bash
# Proves the fake LiveKit server against the official livekit-server-sdk from npm.
# Usage: run.sh LIVEKIT_FAKE|BUILD_DIR   (the livekit-fake executable, or the
# CMake build directory that holds it)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
# The check speaks with espeak-ng and records with ffmpeg; the fake runs sox and GStreamer.
exec "$here/../fakes/common/run_sdk_check.sh" "$here" tests/fakes/livekit/livekit-fake \
    "${1:?usage: run.sh LIVEKIT_FAKE|BUILD_DIR}" espeak-ng sox ffmpeg ffprobe gst-launch-1.0
