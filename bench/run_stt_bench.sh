#!/usr/bin/env bash
# Builds the engine, the load generator and the Gladia emulator (Release; the
# emulator needs the tests enabled), then runs bench/stt_bench.py with any
# arguments given (e.g. --streams 10,100, or --check-drops 200).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${ROOMSCRIBE_BENCH_BUILD:-$root/build-release}

if ! grep -qs '^ROOMSCRIBE_BUILD_TESTS:BOOL=ON$' "$build/CMakeCache.txt" ||
   ! grep -qs '^ROOMSCRIBE_BUILD_BENCH:BOOL=ON$' "$build/CMakeCache.txt"; then
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
        -DROOMSCRIBE_BUILD_TESTS=ON -DROOMSCRIBE_BUILD_BENCH=ON
fi
cmake --build "$build" --target roomscribe roomscribe-loadgen gladia-emulator

exec python3 "$root/bench/stt_bench.py" \
    --bin "$build/app/roomscribe" --loadgen "$build/bench/loadgen/roomscribe-loadgen" \
    --emulator "$build/tests/fakes/gladia/gladia-emulator" "$@"
