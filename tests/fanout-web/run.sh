#!/usr/bin/env bash
# The live fan-out as non-Qt clients see it: Node `ws` clients (fanout_ws.test.mjs)
# and a page in headless Chromium (fanout_browser.test.mjs), both against
# fanout-test-server.
# Usage: run.sh FANOUT_TEST_SERVER|BUILD_DIR [ws|browser|all]
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
server="${1:?usage: run.sh FANOUT_TEST_SERVER|BUILD_DIR [ws|browser|all]}"
which="${2:-all}"
[ -d "$server" ] && server="$server/tests/fanout-web/fanout-test-server"
if [ ! -x "$server" ]; then
    echo "run.sh: no fanout-test-server executable at $server" >&2
    exit 1
fi
server="$(realpath "$server")"

tools="node npm"
case "$which" in
ws) tests="fanout_ws.test.mjs" ;;
browser) tests="fanout_browser.test.mjs"; tools="$tools chromium" ;;
all) tests="fanout_ws.test.mjs fanout_browser.test.mjs"; tools="$tools chromium" ;;
*) echo "run.sh: unknown test set $which" >&2; exit 2 ;;
esac
for tool in $tools; do
    command -v "$tool" >/dev/null || { echo "run.sh: $tool is needed" >&2; exit 1; }
done

cd "$here"
npm ci --no-audit --no-fund
# shellcheck disable=SC2086 # the test list is meant to split
FANOUT_TEST_SERVER="$server" node --test --test-concurrency=1 $tests
