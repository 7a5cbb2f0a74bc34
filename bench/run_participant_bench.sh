#!/usr/bin/env bash
# Builds roomscribe and the fake LiveKit (Release; the fake needs the tests
# enabled), then runs bench/participant_bench.py with any arguments given
# (e.g. --rooms 1,4,8 --speakers 3 --window-s 30 --keep-work).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${ROOMSCRIBE_BENCH_BUILD:-$root/build-release}

if ! grep -qs '^ROOMSCRIBE_BUILD_TESTS:BOOL=ON$' "$build/CMakeCache.txt"; then
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DROOMSCRIBE_BUILD_TESTS=ON
fi
cmake --build "$build" --target roomscribe livekit-fake

exec python3 "$root/bench/participant_bench.py" \
    --bin "$build/app/roomscribe" --livekit-fake "$build/tests/fakes/livekit/livekit-fake" "$@"
