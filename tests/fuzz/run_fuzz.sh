#!/bin/sh
# Builds the libFuzzer targets in a separate tree and runs each for a while.
# Usage: run_fuzz.sh SOURCE_DIR WORK_DIR SECONDS
# Exits non-zero when a target crashes; reproducers land in WORK_DIR/artifacts.
set -eu

if [ $# -ne 3 ]; then
    echo "usage: $0 SOURCE_DIR WORK_DIR SECONDS" >&2
    exit 2
fi
source_dir=$(cd "$1" && pwd)
mkdir -p "$2"
work_dir=$(cd "$2" && pwd)
duration=$3
build_dir="$work_dir/build"
fuzz_dir="$build_dir/tests/fuzz"
targets="fuzz_amf0 fuzz_rtmp_session fuzz_livekit_webhook fuzz_webhook_http fuzz_websocket_frames
    fuzz_livekit_signal fuzz_opus_rtp"

CC=clang CXX=clang++ cmake -S "$source_dir" -B "$build_dir" -G Ninja \
    -DROOMSCRIBE_FUZZ=ON -DROOMSCRIBE_BUILD_APP=OFF -DROOMSCRIBE_BUILD_BENCH=OFF \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$work_dir/configure.log"
# shellcheck disable=SC2086 # the target list is meant to split
cmake --build "$build_dir" --target $targets fuzz_seeds
"$fuzz_dir/fuzz_seeds" "$work_dir/corpus"

export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
status=0
for target in $targets; do
    mkdir -p "$work_dir/artifacts/$target"
    log="$work_dir/$target.log"
    case $target in
    fuzz_livekit_webhook | fuzz_webhook_http | fuzz_livekit_signal) dict=livekit.dict ;;
    fuzz_websocket_frames) dict=websocket.dict ;;
    *) dict=rtmp.dict ;;
    esac
    echo "running $target for $duration s (log: $log)"
    if "$fuzz_dir/$target" "$work_dir/corpus/$target" \
        -max_total_time="$duration" -rss_limit_mb=2048 -print_final_stats=1 \
        -dict="$source_dir/tests/fuzz/$dict" \
        -artifact_prefix="$work_dir/artifacts/$target/" >"$log" 2>&1; then
        grep -E 'DONE|^stat::(number_of_executed_units|peak_rss_mb)' "$log" || true
    else
        echo "$target FAILED: see $log and $work_dir/artifacts/$target" >&2
        tail -n 40 "$log" >&2
        status=1
    fi
done
exit $status
