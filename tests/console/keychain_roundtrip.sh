#!/bin/sh
# Runs tst_settingsstore's keychain round trip against a real secret service:
# a private D-Bus session with gnome-keyring, its keyring in a throwaway home.
# Usage: keychain_roundtrip.sh path/to/tst_settingsstore
set -eu
test_binary=$1
command -v dbus-run-session >/dev/null && command -v gnome-keyring-daemon >/dev/null || {
    echo "dbus-run-session or gnome-keyring-daemon missing (Debian: dbus gnome-keyring;"
    echo "scripts/install-deps.sh installs them)"
    exit 1
}
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
mkdir -m 700 "$home/runtime"
export HOME="$home" XDG_DATA_HOME="$home/data" XDG_CONFIG_HOME="$home/config" \
    XDG_CACHE_HOME="$home/cache" XDG_RUNTIME_DIR="$home/runtime" ROOMSCRIBE_KEYCHAIN_TEST=1
exec dbus-run-session -- sh -c 'eval $(echo -n pw | gnome-keyring-daemon --unlock --components=secrets) && exec "$0" keychainRoundTrip' "$test_binary"
