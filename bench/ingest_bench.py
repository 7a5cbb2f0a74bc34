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
import json
import os
import platform
import resource
import secrets
import selectors
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLK_TCK = os.sysconf("SC_CLK_TCK")
CORES = os.cpu_count() or 1
PCM_BYTES_PER_S = 16000 * 2  # 16 kHz mono s16le
SPEECH = (
    "Good morning everyone, thanks for joining the weekly planning call. "
    "Today we will review the release schedule, the open support tickets, "
    "and the results of the latest load test on the ingest servers."
)
SAMPLE_S = 10
KEPT_UP_MIN_RATIO = 0.98
KEPT_UP_MAX_LAG_MS = 250
KILL_GRACE_S = 5
RAMP_GRACE_S = 30  # extra wait for all streams to publish after the ramp
STATS_GRACE_S = 0.5  # the engine's line closing the window may come a bit late
QUIET_MAX_OTHER_CORES = 0.2


def parse_args():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--bin", default=os.environ.get("ROOMSCRIBE_BIN",
                                                   os.path.join(ROOT, "build/app/roomscribe")),
                   help="engine binary (env ROOMSCRIBE_BIN)")
    p.add_argument("--loadgen",
                   default=os.path.join(ROOT, "build/bench/loadgen/roomscribe-loadgen"))
    p.add_argument("--streams", default="10,100,250,500,1000",
                   help="engine stream counts, comma-separated")
    p.add_argument("--ffmpeg-streams", default="10,100,250",
                   help="ffmpeg-per-stream counts (grown while it keeps up; at most 250)")
    p.add_argument("--window-s", type=float, default=20, help="steady measurement window")
    p.add_argument("--ramp-s", type=float, default=2, help="spread of stream starts")
    p.add_argument("--settle-s", type=float, default=8,
                   help="wait once all streams publish, before measuring (ffmpeg buffers ~6 s "
                        "while probing)")
    p.add_argument("--workers", type=int, help="engine --workers (default: its own)")
    p.add_argument("--skip-engine", action="store_true")
    p.add_argument("--skip-ffmpeg", action="store_true")
    p.add_argument("--out-dir", default=os.path.join(ROOT, "bench/results"))
    p.add_argument("--keep-work", action="store_true", help="keep logs and samples")
    return p.parse_args()


def counts(text, cap=None):
    values = sorted({int(v) for v in text.split(",") if v.strip()})
    if any(v < 1 for v in values):
        sys.exit("stream counts must be positive")
    return [v for v in values if cap is None or v <= cap]


# --- /proc readings -----------------------------------------------------------

def cpu_s(pid):
    """utime + stime of a process (all its threads), in seconds."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def machine_busy_s():
    """CPU seconds all cores spent on anything but idling, since boot."""
    with open("/proc/stat") as f:
        fields = [int(v) for v in f.readline().split()[1:]]
    idle, iowait = fields[3], fields[4]
    return (sum(fields[:8]) - idle - iowait) / CLK_TCK


def status_kib(pid, field, path="status"):
    with open(f"/proc/{pid}/{path}") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def rss_kib(pid):
    return status_kib(pid, "VmRSS")


def pss_kib(pid):
    return status_kib(pid, "Pss", "smaps_rollup")


def listening_ports():
    ports = set()
    for path in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(FileNotFoundError), open(path) as f:
            next(f)
            for line in f:
                cols = line.split()
                if cols[3] == "0A":  # TCP_LISTEN
                    ports.add(int(cols[1].rsplit(":", 1)[1], 16))
    return ports


def wait_listening(ports, children, timeout_s):
    deadline = time.monotonic() + timeout_s
    pending = set(ports)
    while pending:
        pending -= listening_ports()
        if not pending:
            return
        for child in children:
            if child.proc.poll() is not None:
                raise RuntimeError(f"{child.name} exited early; see {child.log_path}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{len(pending)} server(s) not listening after {timeout_s:.0f} s")
        time.sleep(0.1)


def free_ports(n):
    socks = []
    try:
        for _ in range(n):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


# --- children ---------------------------------------------------------------

def raise_file_limit():
    """Every stream is a socket (and a pipe here for ffmpeg); children inherit this."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


class Child:
    """A command under `timeout -k`: stdout piped, stderr logged; see close_all()."""

    def __init__(self, name, argv, limit_s, work_dir):
        self.name = name
        self.log_path = os.path.join(work_dir, f"{name}.log")
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            ["timeout", "-k", str(KILL_GRACE_S), str(int(limit_s))] + argv,
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=self.log)
        self._pid = None

    @property
    def pid(self):
        """The command's own pid (timeout runs it as its only child)."""
        deadline = time.monotonic() + 5
        while self._pid is None:
            with contextlib.suppress(FileNotFoundError):
                with open(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children") as f:
                    children = f.read().split()
                if children:
                    self._pid = int(children[0])
                    break
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{self.name} did not start; see {self.log_path}")
            time.sleep(0.01)
        return self._pid


def close_all(children):
    """Ends every child: SIGTERM to all, then SIGKILL to what is left after a grace."""
    for child in children:
        if child.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                child.proc.send_signal(signal.SIGTERM)  # timeout passes it on
    deadline = time.monotonic() + KILL_GRACE_S
    for child in children:
        try:
            child.proc.wait(max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            # timeout leads its own process group: take the command with it
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.proc.pid, signal.SIGKILL)
            child.proc.wait()
        child.proc.stdout.close()
        child.log.close()


class JsonLines(threading.Thread):
    """Collects the JSON object lines of a child's stdout, stamped on arrival."""

    def __init__(self, child):
        super().__init__(daemon=True)
        self.child = child
        self.lines = []
        self.start()

    def run(self):
        # Ends at EOF, or when close_all() closes the pipe and log under it.
        with contextlib.suppress(ValueError, OSError):
            for raw in self.child.proc.stdout:
                raw = raw.strip()
                if raw.startswith(b"{"):
                    with contextlib.suppress(ValueError):
                        self.lines.append((time.monotonic(), json.loads(raw)))
                self.child.log.write(raw + b"\n")

    def of_type(self, kind, start=None, end=None):
        return [obj for t, obj in list(self.lines) if obj.get("type") == kind
                and (start is None or t >= start) and (end is None or t <= end)]


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


# --- the sample -------------------------------------------------------------

def make_sample(work_dir):
    wav = os.path.join(work_dir, "speech.wav")
    flv = os.path.join(work_dir, "speech.flv")
    subprocess.run(["timeout", "-k", "5", "60", "espeak-ng", "-v", "en", "-w", wav, SPEECH],
                   check=True)
    # Padded or cut to exactly SAMPLE_S, encoded as LiveKit Egress sends it.
    subprocess.run(["timeout", "-k", "5", "120", "ffmpeg", "-hide_banner", "-loglevel", "error",
                    "-y", "-i", wav, "-af", "apad", "-t", str(SAMPLE_S),
                    "-c:a", "aac", "-b:a", "128k", "-ar", "44100", "-ac", "2", "-f", "flv", flv],
                   check=True)
    return flv


# --- runs -------------------------------------------------------------------

def load_s(args):
    """How long a load generator may run: ramp, wait, settle, window."""
    return args.ramp_s + RAMP_GRACE_S + args.settle_s + args.window_s + 5


def start_loadgen(args, flv, n, label, targets, work_dir):
    child = Child(f"loadgen-{label}-{n}",
                  [args.loadgen, "--flv", flv, "--streams", str(n),
                   "--duration-s", str(load_s(args)), "--ramp-s", str(args.ramp_s),
                   "--report-s", "1"] + targets,
                  load_s(args) + 30, work_dir)
    return child, JsonLines(child)


def wait_publishing(loadgen, lines, n, timeout_s):
    """Until every stream publishes (or was turned away), at most timeout_s.

    Returns how long it waited."""
    start = time.monotonic()
    while time.monotonic() < start + timeout_s:
        reports = lines.of_type("loadgen")
        if reports and sum(reports[-1][k] for k in ("publishing", "refused", "failed")) >= n:
            break
        if loadgen.proc.poll() is not None:
            raise RuntimeError(f"the load generator exited early; see {loadgen.log_path}")
        time.sleep(0.2)
    return time.monotonic() - start


def snapshot(server_pids, loadgen_pid, progress):
    return {"t": time.monotonic(), "servers": sum(cpu_s(p) for p in server_pids),
            "loadgen": cpu_s(loadgen_pid), "machine": machine_busy_s(), "progress": progress()}


def measure(args, n, server_pids, loadgen, lines, progress=lambda: None):
    """Lets the load ramp up and settle, then measures the steady window.

    progress() is read at both ends of the window (server output so far)."""
    publish_wait_s = wait_publishing(loadgen, lines, n, args.ramp_s + RAMP_GRACE_S)
    time.sleep(args.settle_s)
    a = snapshot(server_pids, loadgen.pid, progress)
    time.sleep(args.window_s)
    b = snapshot(server_pids, loadgen.pid, progress)
    window = b["t"] - a["t"]
    cores = (b["servers"] - a["servers"]) / window
    loadgen_cores = (b["loadgen"] - a["loadgen"]) / window
    reports = lines.of_type("loadgen", a["t"], b["t"]) or [{}]
    return {
        "n": n, "t0": a["t"], "t1": b["t"], "window_s": window, "publish_wait_s": publish_wait_s,
        "cores": cores, "loadgen_cores": loadgen_cores,
        # Anything else busy on the machine skews the numbers: say how much.
        "other_cores": max(0.0, (b["machine"] - a["machine"]) / window - cores - loadgen_cores),
        "progress": (a["progress"], b["progress"]),
        "rss_kib": sum(rss_kib(p) for p in server_pids),
        "pss_kib": sum(pss_kib(p) for p in server_pids),
        "publishing": reports[-1].get("publishing", 0),
        "refused": reports[-1].get("refused", 0),
        "failed": reports[-1].get("failed", 0),
        "max_send_lag_ms": max(r.get("max_send_lag_ms", 0) for r in reports),
        "backlog_bytes": reports[-1].get("backlog_bytes", 0),
    }


def run_engine(args, flv, n, work_dir):
    port = free_ports(1)[0]
    keys_path = os.path.join(work_dir, f"keys-{n}.txt")
    with open(keys_path, "w") as f:
        f.writelines(secrets.token_hex(16) + "\n" for _ in range(n))
    argv = [args.bin, "--no-gui", "--rtmp-listen", f"127.0.0.1:{port}",
            "--stream-keys-file", keys_path, "--stats", "1"]
    if args.workers:
        argv += ["--workers", str(args.workers)]
    children = []
    try:
        engine = Child(f"engine-{n}", argv, load_s(args) + 60, work_dir)
        children.append(engine)
        engine_out = JsonLines(engine)
        wait_listening([port], [engine], 30)
        time.sleep(1)
        idle_rss = rss_kib(engine.pid)

        loadgen, loadgen_out = start_loadgen(
            args, flv, n, "engine",
            ["--url", f"rtmp://127.0.0.1:{port}/live/", "--keys", keys_path], work_dir)
        children.append(loadgen)
        r = measure(args, n, [engine.pid], loadgen, loadgen_out)

        stats = engine_out.of_type("stats", r["t0"], r["t1"] + STATS_GRACE_S)
        if len(stats) < 2:
            raise RuntimeError(f"engine printed {len(stats)} stats lines in the window; "
                               f"see {engine.log_path}")
        first, last = stats[0], stats[-1]
        # Each line's histogram covers the interval since the line before it.
        latency = [s["chunk_latency_us"] for s in stats[1:] if s["chunk_latency_us"].get("count")]
        r.update({
            "method": "engine",
            "rss_kib": r["rss_kib"] - idle_rss, "idle_rss_kib": idle_rss,
            "ratio": (last["audio_out_s"] - first["audio_out_s"])
                     / (n * (last["uptime_s"] - first["uptime_s"])),
            "p50_ms": statistics.median(l["p50"] for l in latency) / 1000 if latency else None,
            "p99_ms": max(l["p99"] for l in latency) / 1000 if latency else None,
            "publishers": last.get("publishers"), "engine_refused": last.get("refused"),
        })
        return r
    finally:
        close_all(children[::-1])


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


def kept_up(r):
    return (r["ratio"] >= KEPT_UP_MIN_RATIO and r["publishing"] == r["n"]
            and r["max_send_lag_ms"] <= KEPT_UP_MAX_LAG_MS)


# --- report -----------------------------------------------------------------

def fmt(value, digits=2):
    return "n/a" if value is None else f"{value:.{digits}f}"


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


def quiet_warning(results):
    busiest = max(r["other_cores"] for r in results)
    if busiest <= QUIET_MAX_OTHER_CORES:
        return []
    return [f"**Warning: other processes kept up to {busiest:.2f} cores busy during a window "
            f"(see Details); these numbers understate what the machine can do.**", ""]


def environment():
    model = "unknown CPU"
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as f:
        model = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), model)
    return f"{model}, {CORES} cores, Linux {platform.release()}"


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
    os.makedirs(args.out_dir, exist_ok=True)
    path = os.path.join(args.out_dir, f"ingest-{now:%Y-%m-%d}.md")
    with open(path, "w") as f:
        f.write(text)
    print(text)
    print(f"written to {path}")


def main():
    args = parse_args()
    started = time.monotonic()
    raise_file_limit()
    for tool in [args.loadgen] + ([] if args.skip_engine else [args.bin]):
        if not os.access(tool, os.X_OK):
            sys.exit(f"not executable: {tool} (build it first, or use bench/run_ingest_bench.sh)")
    work_dir = tempfile.mkdtemp(prefix="roomscribe-bench-")
    results = []
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
        if args.keep_work:
            print(f"logs and samples kept in {work_dir}", file=sys.stderr)
        else:
            subprocess.run(["rm", "-rf", work_dir], check=False)


if __name__ == "__main__":
    main()
