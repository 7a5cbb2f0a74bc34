#!/usr/bin/env python3
"""RTMP ingest benchmark: Roomscribe's embedded server against one ffmpeg per stream.

Publishes N concurrent AAC-in-FLV streams (roomscribe-loadgen replaying ~10 s of
espeak-ng speech encoded like LiveKit Egress sends it) to

  * the engine: `roomscribe --no-gui --rtmp-listen ... --stats 1`, one process;
  * the original design: one `ffmpeg -listen 1 -i rtmp://... -f s16le -` per stream,

and measures, over a steady window after the ramp, CPU (cores and % of one core
per stream), RSS per stream, whether the decoders kept up in real time, added
latency (engine only) and the load generator's own CPU. Prints a Markdown table
and writes it to bench/results/ingest-<date>.md. Python 3 standard library only.
"""

import argparse
import contextlib
import datetime
import os
import selectors
import sys
import threading
import time

from benchlib import (CORES, KEPT_UP_MAX_LAG_MS, KEPT_UP_MIN_RATIO, PCM_BYTES_PER_S, SAMPLE_S,
                      Child, add_common_args, close_all, counts, environment, fmt, free_ports,
                      kept_up, load_s, make_sample, measure, publish, quiet_warning,
                      raise_file_limit, require_executables, run_engine, scratch_dir,
                      start_loadgen, wait_listening)


def parse_args():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    add_common_args(p, settle_help="wait once all streams publish, before measuring (ffmpeg "
                                   "buffers ~6 s while probing)")
    p.add_argument("--streams", default="10,100,250,500,1000",
                   help="engine stream counts, comma-separated")
    p.add_argument("--ffmpeg-streams", default="10,100,250",
                   help="ffmpeg-per-stream counts (grown while it keeps up; at most 250)")
    p.add_argument("--skip-engine", action="store_true")
    p.add_argument("--skip-ffmpeg", action="store_true")
    return p.parse_args()


class Drain(threading.Thread):
    """Reads many pipes to their end, counting the bytes of each."""

    def __init__(self, children):
        super().__init__(daemon=True)
        self.selector = selectors.DefaultSelector()
        self.bytes = {}
        for child in children:
            os.set_blocking(child.proc.stdout.fileno(), False)
            self.selector.register(child.proc.stdout.fileno(), selectors.EVENT_READ, child.name)
            self.bytes[child.name] = 0
        self.start()

    def run(self):
        open_fds = len(self.bytes)
        while open_fds:
            for key, _ in self.selector.select(timeout=1):
                try:
                    data = os.read(key.fd, 1 << 16)
                except BlockingIOError:
                    continue
                except OSError:  # closed under us at teardown
                    data = b""
                if data:
                    self.bytes[key.data] += len(data)
                    continue
                with contextlib.suppress(KeyError, ValueError):
                    self.selector.unregister(key.fd)
                open_fds -= 1

    def total(self):
        return sum(self.bytes.values())


# --- runs -------------------------------------------------------------------

def run_ffmpeg(args, flv, n, work_dir):
    ports = free_ports(n)
    start_s = 30 + n * 0.2  # process start-up is ~0.1 CPU-second each
    urls_path = os.path.join(work_dir, f"urls-{n}.txt")
    with open(urls_path, "w") as f:
        f.writelines(f"rtmp://127.0.0.1:{p}/live/k\n" for p in ports)
    children = []
    try:
        servers = []
        for i, port in enumerate(ports):
            servers.append(Child(
                f"ffmpeg-{n}-{i}",
                ["ffmpeg", "-hide_banner", "-loglevel", "error", "-listen", "1",
                 "-i", f"rtmp://127.0.0.1:{port}/live/k", "-f", "s16le", "-ar", "16000",
                 "-ac", "1", "-"],
                start_s + load_s(args) + 30, work_dir))
            children.append(servers[-1])
        drain = Drain(servers)
        wait_listening(ports, servers, start_s)

        loadgen, loadgen_out = start_loadgen(args, flv, n, "ffmpeg", ["--urls", urls_path],
                                             work_dir)
        children.append(loadgen)
        r = measure(args, n, [s.pid for s in servers], loadgen, loadgen_out, drain.total)
        pcm_bytes = r["progress"][1] - r["progress"][0]
        r.update({"method": "ffmpeg per stream", "p50_ms": None, "p99_ms": None,
                  "ratio": pcm_bytes / PCM_BYTES_PER_S / (n * r["window_s"])})
        return r
    finally:
        close_all(children[::-1])


# --- report -----------------------------------------------------------------

def table(results):
    rows = ["| method | N | cores used | % core/stream | RSS/stream MiB | kept up (ratio) "
            "| latency p50/p99 ms | loadgen cores |",
            "|---|---:|---:|---:|---:|---|---:|---:|"]
    for r in results:
        latency = ("n/a" if r["p50_ms"] is None
                   else f"{fmt(r['p50_ms'])} / {fmt(r['p99_ms'])}")
        verdict = "yes" if kept_up(r) else "**no**"
        rows.append(
            f"| {r['method']} | {r['n']} | {fmt(r['cores'])} | {fmt(100 * r['cores'] / r['n'], 3)} "
            f"| {fmt(r['rss_kib'] / 1024 / r['n'], 3)} | {verdict} ({fmt(r['ratio'], 3)}) "
            f"| {latency} | {fmt(r['loadgen_cores'])} |")
    return "\n".join(rows)


def comparison(results):
    engine = {r["n"]: r for r in results if r["method"] == "engine"}
    lines = []
    for f in (r for r in results if r["method"] != "engine"):
        e = engine.get(f["n"])
        if not e or e["cores"] <= 0 or e["rss_kib"] <= 0:
            continue
        lines.append(f"- N = {f['n']}: ffmpeg per stream uses {f['cores'] / e['cores']:.1f}× the "
                     f"engine's CPU and {f['rss_kib'] / e['rss_kib']:.1f}× its memory (RSS; "
                     f"{f['pss_kib'] / e['rss_kib']:.1f}× counting shared pages once, PSS).")
    return "\n".join(lines)


def details(results):
    lines = []
    for r in results:
        extra = (f"engine publishers {r['publishers']}, refused {r['engine_refused']}, idle RSS "
                 f"{r['idle_rss_kib'] / 1024:.1f} MiB" if r["method"] == "engine"
                 else f"ffmpeg PSS/stream {r['pss_kib'] / 1024 / r['n']:.2f} MiB")
        lines.append(f"- {r['method']} N={r['n']}: waited {r['publish_wait_s']:.1f} s for all "
                     f"to publish; in the window: loadgen publishing {r['publishing']}, refused "
                     f"{r['refused']}, failed {r['failed']}, max send lag "
                     f"{r['max_send_lag_ms']:.1f} ms, backlog {r['backlog_bytes']} B; {extra}; "
                     f"rest of the machine busy {r['other_cores']:.2f} cores")
    return "\n".join(lines)


def report(args, results, started):
    now = datetime.datetime.now()
    text = "\n".join([
        f"# RTMP ingest benchmark, {now:%Y-%m-%d %H:%M}",
        "",
        f"{environment()}. Each stream: {SAMPLE_S} s of espeak-ng English speech, AAC stereo "
        f"44.1 kHz 128 kbps in FLV, replayed in real time (looped) by roomscribe-loadgen over "
        f"loopback; decoded to 16 kHz mono s16le. Stream starts spread over {args.ramp_s:g} s; "
        f"once all publish, {args.settle_s:g} s settling, then a {args.window_s:g} s steady "
        f"window. Whole run {time.monotonic() - started:.0f} s.",
        "",
        table(results),
        "",
        *quiet_warning(results),
        "- cores used: the server side's utime+stime over the window (engine process, or all "
        "ffmpeg processes summed) ÷ window; % core/stream = that ÷ N.",
        "- RSS/stream: engine VmRSS at the window's end minus its idle RSS, ÷ N; ffmpeg: summed "
        "VmRSS of all its processes ÷ N (shared library pages counted in every process).",
        f"- kept up: PCM seconds produced over the window ÷ (N × window), from the engine's "
        f"`audio_out_s` or the bytes ffmpeg wrote; \"yes\" needs ≥ {KEPT_UP_MIN_RATIO}, all N "
        f"publishing and the loadgen's send lag ≤ {KEPT_UP_MAX_LAG_MS} ms.",
        "- latency: the engine's `chunk_latency_us` (last input arrival → 100 ms chunk ready); "
        "p50 = median of the 1 s intervals' p50s, p99 = max of their p99s. Not measurable "
        "for ffmpeg.",
        "- loadgen cores: the load generator's own CPU, which shares the machine's cores.",
        "",
        "Engine vs ffmpeg per stream at equal N:",
        "",
        comparison(results) or "- no N was run with both methods.",
        "",
        "Details:",
        "",
        details(results),
        "",
    ])
    publish(args.out_dir, "ingest", text)


def main():
    args = parse_args()
    started = time.monotonic()
    raise_file_limit()
    require_executables([args.loadgen] + ([] if args.skip_engine else [args.bin]),
                        "bench/run_ingest_bench.sh")
    results = []
    with scratch_dir(args.keep_work) as work_dir:
        try:
            flv = make_sample(work_dir)
            if not args.skip_engine:
                for n in counts(args.streams):
                    print(f"engine, N={n} ...", file=sys.stderr, flush=True)
                    results.append(run_engine(args, flv, n, work_dir))
            if not args.skip_ffmpeg:
                for n in counts(args.ffmpeg_streams, cap=250):
                    print(f"ffmpeg per stream, N={n} ...", file=sys.stderr, flush=True)
                    r = run_ffmpeg(args, flv, n, work_dir)
                    results.append(r)
                    # Growing N further only measures an overloaded machine.
                    if not kept_up(r) or r["cores"] + r["loadgen_cores"] >= 0.9 * CORES:
                        break
        finally:
            if results:
                report(args, results, started)


if __name__ == "__main__":
    main()
