#!/usr/bin/env bash
# Builds the fan-out benchmark's server and load client (Release) when needed,
# then runs bench/fanout_bench.py with any arguments given (e.g. --clients 1000,5000).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${ROOMSCRIBE_BENCH_BUILD:-$root/build-release}

if [ ! -f "$build/build.ninja" ]; then
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DROOMSCRIBE_BUILD_TESTS=OFF
fi
cmake --build "$build" --target roomscribe-fanout-server roomscribe-fanout-load

exec python3 "$root/bench/fanout_bench.py" \
    --server "$build/bench/fanout/roomscribe-fanout-server" \
    --load "$build/bench/fanout/roomscribe-fanout-load" "$@"
