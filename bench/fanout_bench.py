#!/usr/bin/env python3
"""Live fan-out benchmark: the engine's PublishServer against one QWebSocket per client.

For each server implementation and client count N, runs

  * roomscribe-fanout-server: publishes segments to one room at --rate per second
    (every 5th a final), each stamped with CLOCK_MONOTONIC in its text, through
      - engine: PublishServer (epoll workers, one frame shared by all clients), or
      - qt: QWebSocketServer and sendTextMessage() on one QWebSocket per client,
        all on one thread (the obvious way with Qt);
  * roomscribe-fanout-load: N WebSocket clients of that room over epoll, which
    time each message from the stamp to its arrival (same machine, same clock);

and measures over a steady window after all clients connected and a warm-up:
delivery latency p50/p99/max (publish to client receipt), messages delivered,
the server's CPU and RSS, the load client's CPU and the rest of the machine's.
Prints a Markdown table and writes bench/results/fanout-<date>.md.
Python 3 standard library only.
"""

import argparse
import contextlib
import json
import statistics
import os
import subprocess
import sys
import threading
import time

from benchlib import (ROOT, cpu_s, environment, fmt, machine_busy_s, publish, raise_file_limit,
                      require_executables, revision, rss_kib, scratch_dir)

SECRET = "fanout-bench-secret-0123456789abcdef"
QUIET_MAX_OTHER_CORES = 0.2
LATENCY_TARGET_MS = 50


def parse_args():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    build = os.environ.get("ROOMSCRIBE_BENCH_BUILD", os.path.join(ROOT, "build-release"))
    p.add_argument("--server", default=os.path.join(build, "bench/fanout/roomscribe-fanout-server"))
    p.add_argument("--load", default=os.path.join(build, "bench/fanout/roomscribe-fanout-load"))
    p.add_argument("--clients", default="1000,5000", help="client counts, comma-separated")
    p.add_argument("--impls", default="engine,qt", help="engine and/or qt")
    p.add_argument("--rate", type=float, default=10, help="segments per second")
    p.add_argument("--window-s", type=float, default=20)
    p.add_argument("--warmup-s", type=float, default=3)
    p.add_argument("--workers", type=int, default=0, help="engine workers (0: one per core)")
    p.add_argument("--load-threads", type=int, default=2)
    p.add_argument("--repeat", type=int, default=3,
                   help="runs of each server and N (the machine is shared: runs vary)")
    p.add_argument("--out-dir", default=os.path.join(ROOT, "bench/results"))
    p.add_argument("--keep-work", action="store_true", help="keep the logs")
    return p.parse_args()


class Lines(threading.Thread):
    """The JSON lines a child prints, as they come."""

    def __init__(self, stream, log):
        super().__init__(daemon=True)
        self.stream = stream
        self.log = log
        self.lines = []
        self.cond = threading.Condition()
        self.start()

    def run(self):
        with contextlib.suppress(ValueError, OSError):
            for raw in self.stream:
                self.log.write(raw)
                self.log.flush()
                with contextlib.suppress(ValueError):
                    obj = json.loads(raw)
                    with self.cond:
                        self.lines.append(obj)
                        self.cond.notify_all()
        with self.cond:
            self.lines.append({"type": "eof"})
            self.cond.notify_all()

    def wait_for(self, kind, timeout_s):
        deadline = time.monotonic() + timeout_s
        with self.cond:
            while True:
                for obj in self.lines:
                    if obj.get("type") == kind:
                        return obj
                    if obj.get("type") == "eof":
                        raise RuntimeError(f"ended before '{kind}'")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise RuntimeError(f"no '{kind}' within {timeout_s:.0f} s")
                self.cond.wait(left)


def start(argv, name, work_dir, stdin=subprocess.DEVNULL):
    log = open(os.path.join(work_dir, f"{name}.log"), "w")
    proc = subprocess.Popen(argv, stdin=stdin, stdout=subprocess.PIPE, stderr=log, text=True)
    return proc, Lines(proc.stdout, log)


def stop(proc, timeout_s=10):
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout_s)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def run_one(args, impl, n, work_dir):
    name = f"{impl}-{n}"
    server, server_lines = start(
        [args.server, "--impl", impl, "--secret", SECRET, "--rate", str(args.rate),
         "--workers", str(args.workers)], f"server-{name}", work_dir, stdin=subprocess.PIPE)
    load = None
    try:
        port = server_lines.wait_for("listening", 10)["port"]
        time.sleep(0.5)
        idle_rss = rss_kib(server.pid)
        load, load_lines = start(
            [args.load, "--port", str(port), "--secret", SECRET, "--clients", str(n),
             "--threads", str(args.load_threads), "--warmup-s", str(args.warmup_s),
             "--window-s", str(args.window_s)], f"load-{name}", work_dir)
        connected = load_lines.wait_for("connected", 180)
        load_lines.wait_for("measuring", args.warmup_s + 30)
        t0, s0, b0, l0 = time.monotonic(), cpu_s(server.pid), machine_busy_s(), cpu_s(load.pid)
        summary = load_lines.wait_for("summary", args.window_s + 60)
        t1, s1, b1 = time.monotonic(), cpu_s(server.pid), machine_busy_s()
        rss = rss_kib(server.pid)
        load.wait(30)
        elapsed = t1 - t0
        server_cores = (s1 - s0) / elapsed
        client_cores = summary["client_cpu_s"] / summary["window_s"]
        other = max(0.0, (b1 - b0) / elapsed - server_cores - client_cores)
        server.stdin.close()
        stats = server_lines.wait_for("stats", 30)
        server.wait(30)
        expected = n * args.rate * args.window_s
        return {
            "impl": impl, "n": n, "connected": connected["clients"],
            "failed": connected["failed"], "ramp_s": connected["ramp_s"],
            "clients_at_end": summary["clients_at_end"],
            "closed_by_server": summary["closed_by_server"],
            "p50_ms": summary["p50_us"] / 1000, "p99_ms": summary["p99_us"] / 1000,
            "max_ms": summary["max_us"] / 1000, "samples": summary["samples"],
            "delivered": summary["messages"] / expected if expected else 0,
            "mb_per_s": summary["bytes"] / summary["window_s"] / 1e6,
            "server_cores": server_cores, "client_cores": client_cores, "other_cores": other,
            "rss_mib": rss / 1024, "rss_per_1000_mib": (rss - idle_rss) / 1024 / n * 1000,
            "idle_rss_mib": idle_rss / 1024, "stats": stats,
        }
    finally:
        if load is not None:
            stop(load)
        stop(server)


def medians(results, impl, n):
    runs = [r for r in results if r["impl"] == impl and r["n"] == n]
    if not runs:
        return None
    return {key: statistics.median(r[key] for r in runs)
            for key in ("p99_ms", "server_cores", "rss_mib", "idle_rss_mib", "delivered")}


def comparison(results):
    lines = []
    for n in dict.fromkeys(r["n"] for r in results):
        engine, qt = medians(results, "engine", n), medians(results, "qt", n)
        if not engine or not qt:
            continue
        if not lines:
            lines = ["", "Engine against one QWebSocket per client, at equal N (medians):", ""]
        rss = ((qt["rss_mib"] - qt["idle_rss_mib"]) /
               max(engine["rss_mib"] - engine["idle_rss_mib"], 0.1))
        lines.append(
            f"- N = {n}: the QWebSocket server's p99 is {qt['p99_ms'] / engine['p99_ms']:.1f}× "
            f"the engine's, with {qt['server_cores'] / max(engine['server_cores'], 0.001):.1f}× "
            f"its CPU and {rss:.1f}× its memory per client, and delivered "
            f"{qt['delivered']:.2f} of the segments (engine {engine['delivered']:.2f}).")
    return lines


def report(args, results, started, command):
    lines = [f"# Live fan-out benchmark, {time.strftime('%Y-%m-%d %H:%M', started)}", "",
             f"{environment()}; source {revision()}. One room, {args.rate:g} segments/s "
             f"(every 5th a final; ~1.1 kB JSON each, 12 words), N WebSocket clients on "
             f"loopback held by roomscribe-fanout-load ({args.load_threads} epoll threads) on "
             f"the same 2 cores as the server. Warm-up {args.warmup_s:g} s after all connected, "
             f"then a {args.window_s:g} s window.", "",
             "Command:", "", "```", command, "```", "",
             "| server | N | run | connected | p50 ms | p99 ms | max ms | delivered | server cores "
             "| server RSS MiB (per 1000 clients) | load client cores | rest of machine cores |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        lines.append(
            f"| {r['impl']} | {r['n']} | {r['run']} | {r['connected']} | {fmt(r['p50_ms'], 1)} | "
            f"{fmt(r['p99_ms'], 1)} | {fmt(r['max_ms'], 1)} | {r['delivered']:.3f} | "
            f"{fmt(r['server_cores'])} | {fmt(r['rss_mib'], 1)} ({fmt(r['rss_per_1000_mib'], 1)}) | "
            f"{fmt(r['client_cores'])} | {fmt(r['other_cores'])} |")
    lines += ["", "Median over the runs:", ""]
    for impl in dict.fromkeys(r["impl"] for r in results):
        for n in dict.fromkeys(r["n"] for r in results):
            runs = [r for r in results if r["impl"] == impl and r["n"] == n]
            if runs:
                lines.append(
                    f"- {impl}, N = {n}: p50 {statistics.median(r['p50_ms'] for r in runs):.1f} ms, "
                    f"p99 {statistics.median(r['p99_ms'] for r in runs):.1f} ms, max "
                    f"{statistics.median(r['max_ms'] for r in runs):.1f} ms, delivered "
                    f"{statistics.median(r['delivered'] for r in runs):.3f}, server "
                    f"{statistics.median(r['server_cores'] for r in runs):.2f} cores, RSS "
                    f"{statistics.median(r['rss_mib'] for r in runs):.1f} MiB")
    lines += comparison(results)
    lines += ["",
              "- server: `engine` is roomscribe's PublishServer (`engine/publish`, "
              f"{f'{args.workers} workers' if args.workers else 'one worker thread per core'}); "
              "`qt` is QWebSocketServer with one QWebSocket per client and `sendTextMessage()` "
              "to each, on one thread. Both serialize each segment once.",
              "- latency: from the moment the segment is stamped, just before `publish()`, to "
              "the load client reading the frame (CLOCK_MONOTONIC in the segment's text); over "
              "every message every client received in the window. It includes the load "
              "client's own time to get to each socket.",
              "- delivered: messages received in the window ÷ (N × rate × window); about 1.0 "
              "when every client got every segment. Below 1, the server fell behind: its "
              "publishing timer shares the saturated thread, so it published less and sent "
              "late.",
              "- server cores: the server's utime+stime over the window ÷ window; RSS at the "
              "window's end (per 1000 clients: minus the idle RSS before any client, ÷ N × "
              "1000).",
              "- rest of machine: CPU busy on anything but the server and the load client "
              "(other work on the shared machine).",
              f"- target: p99 ≤ {LATENCY_TARGET_MS} ms at 5 000 clients.", "", "Details:", ""]
    for r in results:
        s = r["stats"]
        extra = ""
        if r["impl"] == "engine":
            extra = (f"; server-side (publish → last byte in the socket) p50/p99/max "
                     f"{s['server_p50_us'] / 1000:.1f}/{s['server_p99_us'] / 1000:.1f}/"
                     f"{s['server_max_us'] / 1000:.1f} ms over the whole run, partials dropped "
                     f"{s['partials_dropped']}, slow disconnects {s['slow_disconnects']}")
        lines.append(
            f"- {r['impl']} N={r['n']} run {r['run']}: connected in {r['ramp_s']:.2f} s ({r['failed']} failed), "
            f"{r['clients_at_end']} still connected at the end ({r['closed_by_server']} closed "
            f"by the server), {r['samples']} latency samples, {r['mb_per_s']:.1f} MB/s to "
            f"clients, idle RSS {r['idle_rss_mib']:.1f} MiB{extra}")
    busiest = max(r["other_cores"] for r in results)
    if busiest > QUIET_MAX_OTHER_CORES:
        lines += ["", f"**Warning: other processes kept up to {busiest:.2f} cores busy during a "
                      f"window; these numbers understate what the machine can do.**"]
    return "\n".join(lines) + "\n"


def shown_command(argv):
    """How to run this again: the wrapper with the arguments it did not add itself."""
    shown, skip = [], False
    for arg in argv:
        if skip:
            skip = False
        elif arg in ("--server", "--load"):
            skip = True
        elif not arg.startswith(("--server=", "--load=")):
            shown.append(arg)
    build = os.environ.get("ROOMSCRIBE_BENCH_BUILD")
    prefix = [f"ROOMSCRIBE_BENCH_BUILD={os.path.relpath(build, ROOT)}"] if build else []
    return " ".join(prefix + ["bench/run_fanout_bench.sh"] + shown)


def main():
    args = parse_args()
    require_executables([args.server, args.load], "bench/run_fanout_bench.sh")
    raise_file_limit()
    counts = [int(v) for v in args.clients.split(",") if v.strip()]
    impls = [v.strip() for v in args.impls.split(",") if v.strip()]
    started = time.localtime()
    command = shown_command(sys.argv[1:])
    results = []
    with scratch_dir(args.keep_work) as work_dir:
        for impl in impls:
            for n in counts:
                for run in range(1, args.repeat + 1):
                    print(f"{impl} N={n} run {run} ...", file=sys.stderr, flush=True)
                    r = run_one(args, impl, n, work_dir)
                    r["run"] = run
                    print(f"  p50 {r['p50_ms']:.1f} ms, p99 {r['p99_ms']:.1f} ms, delivered "
                          f"{r['delivered']:.3f}, server {r['server_cores']:.2f} cores, other "
                          f"{r['other_cores']:.2f}", file=sys.stderr, flush=True)
                    results.append(r)
    publish(args.out_dir, "fanout", report(args, results, started, command))


if __name__ == "__main__":
    main()
