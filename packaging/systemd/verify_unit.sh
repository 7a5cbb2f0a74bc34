#!/bin/sh
# Checks roomscribe.service with systemd-analyze: "verify" must say nothing
# (it reports unknown keys and bad values as warnings only), and the offline
# security review must rate the unit's exposure OK or better.
# Usage: verify_unit.sh UNIT EXECUTABLE
# verify wants ExecStart's executable to exist: a copy of the unit starts the
# built one.
set -eu

if [ $# -ne 2 ]; then
    echo "usage: $0 UNIT EXECUTABLE" >&2
    exit 2
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
unit=$dir/roomscribe.service
sed "s|^ExecStart=[^ ]*|ExecStart=$2|" "$1" >"$unit"
grep -q "^ExecStart=$2 --no-gui" "$unit"

systemd-analyze verify --man=no "$unit" >"$dir/verify.log" 2>&1 || status=$?
cat "$dir/verify.log"
if [ "${status:-0}" -ne 0 ] || [ -s "$dir/verify.log" ]; then
    echo "FAIL: systemd-analyze verify (status ${status:-0})" >&2
    exit 1
fi

systemd-analyze security --offline=yes --no-pager "$unit" >"$dir/security.log" 2>&1
exposure=$(grep 'Overall exposure level' "$dir/security.log")
echo "$exposure"
case $exposure in
*OK* | *SAFE*) ;;
*)
    cat "$dir/security.log"
    echo "FAIL: exposure above OK" >&2
    exit 1
    ;;
esac
