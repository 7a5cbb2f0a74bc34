#!/usr/bin/env bash
# Builds the engine and the load generator (Release) when needed, then runs
# bench/ingest_bench.py with any arguments given (e.g. --streams 10,100).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${ROOMSCRIBE_BENCH_BUILD:-$root/build-release}

if [ ! -f "$build/build.ninja" ]; then
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DROOMSCRIBE_BUILD_TESTS=OFF
fi
cmake --build "$build" --target roomscribe roomscribe-loadgen

exec python3 "$root/bench/ingest_bench.py" \
    --bin "$build/app/roomscribe" --loadgen "$build/bench/loadgen/roomscribe-loadgen" "$@"
