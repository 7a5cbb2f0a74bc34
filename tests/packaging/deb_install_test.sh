#!/usr/bin/env bash
# Builds the .deb (cpack), checks it with lintian, installs it with apt into a
# clean Debian 12 root made by debootstrap (apt resolves Depends from the
# mirror, without Recommends, so a missing dependency shows), and runs it
# there: --version, --no-gui --help, the service's files, a headless RTMP
# ingest of 10 s of speech that ffmpeg publishes from outside the root (a
# chroot shares the network), the console offscreen, and a purge. Needs root
# for debootstrap and chroot.
# Usage: deb_install_test.sh BUILD_DIR WORK_DIR
# WORK_DIR/apt-archives keeps the downloaded packages between runs.
set -euo pipefail
build=$1
mkdir -p "$2"
work=$(cd "$2" && pwd -P)

fail() { echo "deb_install: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || fail "needs root (debootstrap, chroot, mounts)"
for tool in cpack lintian debootstrap chroot ffmpeg espeak-ng sox; do
  command -v "$tool" >/dev/null || fail "$tool is missing (scripts/install-deps.sh)"
done

root=$work/root
cache=$work/apt-archives
mkdir -p "$cache/partial"

app=
# Processes still in the root stop, then its mounts go, deepest first, so the
# root can be removed. Runs on any exit, and first, after an interrupted run.
cleanup() {
  if [ -n "$app" ]; then
    kill -KILL "$app" 2>/dev/null || true
    wait "$app" 2>/dev/null || true
  fi
  if [ -d "$root" ]; then
    for proc in /proc/[0-9]*; do
      if [ "$(readlink "$proc/root" 2>/dev/null)" = "$root" ]; then
        kill -KILL "${proc#/proc/}" 2>/dev/null || true
      fi
    done
    findmnt -rn -o TARGET | { grep -F "$root/" || true; } | sort -r | while read -r mount; do
      umount -l "$mount"
    done
  fi
}
trap cleanup EXIT
cleanup
rm -rf "$root"

start_s=$SECONDS
step() { echo "== $1 ($((SECONDS - start_s)) s)"; }

step "package"
rm -f "$build"/roomscribe_*.deb
(cd "$build" && cpack -G DEB)
debs=("$build"/roomscribe_*.deb)
{ [ ${#debs[@]} -eq 1 ] && [ -f "${debs[0]}" ]; } || fail "cpack made no single roomscribe .deb"
deb=${debs[0]}
dpkg-deb --info "$deb"

step "lintian"
lintian --fail-on error,warning --info "$deb"

# The host's Debian mirror and suites, whichever sources format it uses.
# shellcheck disable=SC2016 # apt's own $(FIELD) syntax
suites=$(apt-get indextargets --format '$(REPO_URI) $(RELEASE) $(COMPONENT)' 'Identifier: Packages' |
  awk '$2 ~ /^bookworm(-updates|-security)?$/' | sort -u)
mirror=$(awk '$2 == "bookworm" { print $1; exit }' <<<"$suites")
[ -n "$mirror" ] || fail "the host has no bookworm source (apt-get indextargets)"

step "debootstrap from $mirror"
debootstrap --variant=minbase --cache-dir="$cache" bookworm "$root" "$mirror" >"$work/debootstrap.log" 2>&1 ||
  { tail -n 30 "$work/debootstrap.log"; fail "debootstrap failed"; }
awk '{ print "deb", $1, $2, $3 }' <<<"$suites" >"$root/etc/apt/sources.list"
# No service starts inside the root.
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 755 "$root/usr/sbin/policy-rc.d"
mount -t proc proc "$root/proc"
mount -t devpts -o newinstance,ptmxmode=0666 devpts "$root/dev/pts"
mount --bind "$cache" "$root/var/cache/apt/archives"
root_env=(env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8
  DEBIAN_FRONTEND=noninteractive)
in_root() { chroot "$root" "${root_env[@]}" "$@"; }

step "apt install $(basename "$deb")"
cp "$deb" "$root/tmp/"
in_root apt-get update -q
in_root apt-get install -y -q --no-install-recommends "/tmp/$(basename "$deb")"

step "run"
version=$(in_root roomscribe --version)
echo "$version"
grep -qF "$(dpkg-deb --field "$deb" Version | sed 's/-[^-]*$//')" <<<"$version" ||
  fail "--version does not print the package's version"
in_root roomscribe --no-gui --help >"$work/help.txt"
grep -q -- "--rtmp-listen" "$work/help.txt" || fail "--help does not describe --rtmp-listen"

# What the maintainer scripts and the package leave for the service.
in_root getent passwd roomscribe || fail "no roomscribe user"
[ -f "$root/usr/lib/systemd/system/roomscribe.service" ] || fail "no roomscribe.service"
[ "$(stat -c '%a %U:%G' "$root/etc/roomscribe/roomscribe.env")" = "600 root:root" ] ||
  fail "roomscribe.env is $(stat -c '%a %U:%G' "$root/etc/roomscribe/roomscribe.env"), not 600 root:root"
in_root zcat /usr/share/man/man1/roomscribe.1.gz | grep -q '^\.TH ROOMSCRIBE' || fail "no roomscribe(1)"

step "headless ingest"
espeak-ng -w "$work/speech.wav" "The package installs, starts, and takes this speech from a publisher."
key=debinstall
mkdir -p "$root/tmp/pcm"
# chroot and env exec: $! is roomscribe itself, for SIGTERM and its status.
chroot "$root" "${root_env[@]}" roomscribe --no-gui --rtmp-listen 127.0.0.1:0 \
  --stream-key "$key" --pcm-dir /tmp/pcm --stats 1 >"$work/stats.log" 2>"$work/roomscribe.log" &
app=$!
url=
for _ in $(seq 600); do
  url=$(sed -n 's/^publish to: //p' "$work/roomscribe.log" | head -1)
  [ -n "$url" ] && break
  kill -0 "$app" 2>/dev/null || break
  sleep 0.1
done
[ -n "$url" ] || { cat "$work/roomscribe.log"; fail "roomscribe printed no publish URL"; }
ffmpeg -hide_banner -loglevel error -re -stream_loop -1 -i "$work/speech.wav" -t 10 \
  -ar 48000 -ac 2 -c:a aac -f flv "$url"
kill -TERM "$app"
status=0
wait "$app" || status=$?
app=
cat "$work/roomscribe.log"
tail -n 3 "$work/stats.log"
[ "$status" -eq 0 ] || fail "roomscribe exited with $status after SIGTERM"

# 16 kHz mono s16le: 32000 bytes a second. 10 s were sent; at least 8 s of
# it, and no more than was sent, must be there, and it is not silence.
pcm=$root/tmp/pcm/$key.pcm
[ -f "$pcm" ] || fail "no PCM file $pcm"
bytes=$(stat -c %s "$pcm")
echo "PCM: $bytes bytes"
{ [ "$bytes" -ge $((8 * 32000)) ] && [ "$bytes" -le $((11 * 32000)) ]; } ||
  fail "$bytes bytes of PCM, not 8..11 s of audio"
rms=$(sox -t raw -r 16000 -e signed-integer -b 16 -c 1 "$pcm" -n stat 2>&1 |
  awk '/^RMS +amplitude/ { print $3 }')
echo "PCM RMS amplitude: $rms"
awk -v rms="$rms" 'BEGIN { exit !(rms > 0.01) }' || fail "the PCM is silence (RMS $rms)"

# The console, offscreen: every view shown once, so every QML module the
# views import must load from what Depends brought.
step "console"
cp "$(dirname "$0")/visit_views.qml" "$root/tmp/"
status=0
in_root QT_QPA_PLATFORM=offscreen roomscribe --rtmp-listen 127.0.0.1:0 --no-db \
  --gui-script /tmp/visit_views.qml >"$work/console.log" 2>&1 || status=$?
cat "$work/console.log"
[ "$status" -eq 0 ] || fail "the console exited with $status"
grep -q '^qml: VIEW settings$' "$work/console.log" || fail "the console did not show every view"
if grep -E "qrc:/|is not installed|TypeError|ReferenceError|cannot be loaded" "$work/console.log"; then
  fail "the console reported QML errors"
fi

# The maintainer scripts' other half: a purge leaves no configuration.
step "purge"
in_root apt-get purge -y -q roomscribe
[ ! -e "$root/etc/roomscribe" ] || fail "/etc/roomscribe is left after a purge"

cleanup
trap - EXIT
rm -rf "$root"
step "passed"
