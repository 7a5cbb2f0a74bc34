#!/usr/bin/env bash
# Builds the engine with its console plugin, the fake LiveKit and the Gladia
# emulator (Release; the fakes need the tests enabled), then runs
# bench/console_bench.py with any arguments given (e.g. --rooms 50,
# --window-s 60, --alternate-s 5, --keep-work to keep the screenshots).
# Needs xvfb-run, espeak-ng, sox, ffmpeg and ImageMagick's import.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${ROOMSCRIBE_BENCH_BUILD:-$root/build-release}

if ! grep -qs '^ROOMSCRIBE_BUILD_TESTS:BOOL=ON$' "$build/CMakeCache.txt"; then
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DROOMSCRIBE_BUILD_TESTS=ON
fi
cmake --build "$build" --target roomscribe roomscribe-gui livekit-fake gladia-emulator

exec python3 "$root/bench/console_bench.py" \
    --bin "$build/app/roomscribe" --livekit-fake "$build/tests/fakes/livekit/livekit-fake" \
    --emulator "$build/tests/fakes/gladia/gladia-emulator" "$@"
