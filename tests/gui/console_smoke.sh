#!/usr/bin/env bash
# Opens the console in a real X server (Xvfb) while FFmpeg publishes speech to
# it, screenshots the screen, and checks that the window drew the live stream
# without QML errors and that closing (SIGTERM) stops the engine cleanly.
# Usage: console_smoke.sh ROOMSCRIBE_BINARY WORK_DIR
set -euo pipefail
binary=$1
work=$2
mkdir -p "$work"
cd "$work"

if [ -z "${XVFB_WRAPPED:-}" ]; then
  exec env XVFB_WRAPPED=1 xvfb-run -a -s "-screen 0 1280x800x24" "$0" "$@"
fi

espeak-ng -w speech.wav "The console shows this stream while it speaks."
ffmpeg -hide_banner -loglevel error -y -i speech.wav -ar 48000 -ac 2 -c:a aac -f flv speech.flv

LC_ALL=C.UTF-8 "$binary" --rtmp-listen 127.0.0.1:0 --stream-key console-smoke > console.log 2>&1 &
app=$!
trap 'kill $app 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  grep -q "publish to:" console.log && break
  sleep 0.2
done
url=$(sed -n 's/^publish to: //p' console.log | head -1)
[ -n "$url" ] || { echo "no publish URL"; cat console.log; exit 1; }

timeout -k 5 60 ffmpeg -hide_banner -loglevel error -re -stream_loop 2 -i speech.flv -c copy -f flv "$url" &
publisher=$!
sleep 4
import -window root console.png
grep -q libroomscribe-gui "/proc/$app/maps" || { echo "the GUI plugin is not loaded"; exit 1; }
kill -TERM $app
wait $app
status=$?
kill $publisher 2>/dev/null || true
wait $publisher 2>/dev/null || true
trap - EXIT

cat console.log
[ $status -eq 0 ] || { echo "exit status $status"; exit 1; }
if grep -E "qrc:/|TypeError|ReferenceError|is not installed" console.log; then
  echo "QML reported errors"; exit 1
fi
grep -q "publishing from" console.log || { echo "the stream did not publish"; exit 1; }
# A drawn window has text, a level meter and a status dot: many colours. An
# empty or black screen has one or two.
colours=$(convert console.png -format %k info:)
echo "screenshot $work/console.png: $colours colours"
[ "$colours" -gt 50 ]
