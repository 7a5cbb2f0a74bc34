#!/usr/bin/env bash
# Proves the Gladia emulator against the official @gladiaio/sdk from npm.
# Usage: run.sh EMULATOR|BUILD_DIR   (the gladia-emulator executable, or the
# CMake build directory that holds it)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
exec "$here/../fakes/common/run_sdk_check.sh" "$here" tests/fakes/gladia/gladia-emulator \
    "${1:?usage: run.sh GLADIA_EMULATOR|BUILD_DIR}"
