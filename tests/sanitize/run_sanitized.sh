#!/bin/sh
# Builds the engine, the executable and the tests with AddressSanitizer,
# LeakSanitizer and UBSan in a separate tree and runs the unit tests and the
# end-to-end tests that feed the engine hostile or unusual input: any memory
# error, undefined behaviour or leak at exit fails them.
# Usage: run_sanitized.sh SOURCE_DIR WORK_DIR
set -eu

if [ $# -ne 2 ]; then
    echo "usage: $0 SOURCE_DIR WORK_DIR" >&2
    exit 2
fi
source_dir=$(cd "$1" && pwd)
mkdir -p "$2"
build_dir=$(cd "$2" && pwd)/build

cmake -S "$source_dir" -B "$build_dir" -G Ninja -DROOMSCRIBE_SANITIZE=ON \
    -DROOMSCRIBE_BUILD_BENCH=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$build_dir.configure.log"
cmake --build "$build_dir"

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:strict_string_checks=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
export LSAN_OPTIONS="suppressions=$source_dir/tests/sanitize/lsan.supp:print_suppressions=0"
ctest --test-dir "$build_dir" --output-on-failure \
    -R '^tst_(amf0|rtmpchunk|rtmpserversession|flvaudio|audiospecificconfig|resampler|chunker|aacstreamdecoder|pcmstreamdecoder|latencyhistogram|streamregistry|streamlistmodel|roomlistmodel|egressusagemodel|transcriptmodel|latencymodel|exportmodel|settingscontroller|settingsstore|cli|ingest_hostile|rtmp_publishers|transcribe|gladiasession|gladiabridge|trackingest|livekittoken|livekittwirp|livekitwebhook|webhookserver|roomdirectory|egressrouter|livekit_rooms|transcriptstore|exporters|store_export|fanoutprotocol|fanoutserver|engine_http)$'
