#!/usr/bin/env bash
# Builds roomscribe-store-bench (Release) when needed, starts a private
# PostgreSQL server (initdb in a temporary directory, on a free loopback port;
# as "nobody" when run as root, which PostgreSQL refuses), runs the benchmark
# against SQLite and that server, and writes bench/results/store-<date>.md.
# Arguments go to the benchmark (e.g. --finals 100000 --paced-rate 5000).
# Without PostgreSQL's server binaries only SQLite is measured.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${ROOMSCRIBE_BENCH_BUILD:-$root/build-release}

if ! grep -qs '^ROOMSCRIBE_BUILD_BENCH:BOOL=ON$' "$build/CMakeCache.txt"; then
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
        -DROOMSCRIBE_BUILD_TESTS=OFF -DROOMSCRIBE_BUILD_BENCH=ON
fi
cmake --build "$build" --target roomscribe-store-bench

work=$(mktemp -d /tmp/store-bench.XXXXXX)
pgbin=${ROOMSCRIBE_PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
as_pg=()
[ "$(id -u)" -ne 0 ] || as_pg=(runuser -u nobody --)
started=0
cleanup() {
    if [ "$started" -eq 1 ]; then
        "${as_pg[@]}" "$pgbin/pg_ctl" -D "$work/pg" -m fast -w stop >/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

targets=(--sqlite-dir "$work/sqlite")
if [ -n "$pgbin" ] && [ -x "$pgbin/postgres" ]; then
    [ ${#as_pg[@]} -eq 0 ] || chown nobody "$work"
    "${as_pg[@]}" "$pgbin/initdb" -D "$work/pg" -U bench --auth=trust -E UTF8 --no-locale \
        >"$work/initdb.log" 2>&1
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    "${as_pg[@]}" "$pgbin/pg_ctl" -D "$work/pg" -l "$work/pg.log" -w \
        -o "-p $port -k $work -c listen_addresses=127.0.0.1" start >/dev/null
    started=1
    targets+=(--postgres "postgresql://bench@127.0.0.1:$port/postgres")
else
    echo "no PostgreSQL server binaries (Debian: postgresql): SQLite only" >&2
fi

mkdir -p "$root/bench/results"
"$build/bench/store_bench/roomscribe-store-bench" "${targets[@]}" \
    --report "$root/bench/results/store-$(date +%F).md" \
    --command "bench/store_bench.sh${*:+ $*}" "$@"
