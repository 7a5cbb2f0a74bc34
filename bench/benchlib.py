"""What the benchmarks share: /proc readings, child processes under timeouts, the
speech sample, the engine under load from roomscribe-loadgen, and report pieces.

Python 3 standard library only.
"""

import contextlib
import datetime
import json
import os
import platform
import resource
import secrets
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
# The engine would transcribe through whatever these name; a benchmark decides
# them itself, so an operator's real key is never used.
GLADIA_ENV = ("GLADIA_API_KEY", "GLADIA_API_URL")


def add_common_args(p, settle_help):
    """Options every engine benchmark takes: binaries, timing, output."""
    p.add_argument("--bin", default=os.environ.get("ROOMSCRIBE_BIN",
                                                   os.path.join(ROOT, "build/app/roomscribe")),
                   help="engine binary (env ROOMSCRIBE_BIN)")
    p.add_argument("--loadgen",
                   default=os.path.join(ROOT, "build/bench/loadgen/roomscribe-loadgen"))
    p.add_argument("--window-s", type=float, default=20, help="steady measurement window")
    p.add_argument("--ramp-s", type=float, default=2, help="spread of stream starts")
    p.add_argument("--settle-s", type=float, default=8, help=settle_help)
    p.add_argument("--workers", type=int, help="engine --workers (default: its own)")
    p.add_argument("--out-dir", default=os.path.join(ROOT, "bench/results"))
    p.add_argument("--keep-work", action="store_true", help="keep logs and samples")


def counts(text, cap=None):
    values = sorted({int(v) for v in text.split(",") if v.strip()})
    if any(v < 1 for v in values):
        sys.exit("stream counts must be positive")
    return [v for v in values if cap is None or v <= cap]


def require_executables(paths, wrapper):
    for path in paths:
        if not os.access(path, os.X_OK):
            sys.exit(f"not executable: {path} (build it first, or use {wrapper})")


@contextlib.contextmanager
def scratch_dir(keep):
    """A scratch directory for logs and samples, removed afterwards unless kept."""
    path = tempfile.mkdtemp(prefix="roomscribe-bench-")
    try:
        yield path
    finally:
        if keep:
            print(f"logs and samples kept in {path}", file=sys.stderr)
        else:
            subprocess.run(["rm", "-rf", path], check=False)


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
    """Every stream is a socket (and a pipe for ffmpeg); children inherit this."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


class Child:
    """A command under `timeout -k`: stdout piped, stderr logged; see close_all().

    env is its whole environment (default: this process's)."""

    def __init__(self, name, argv, limit_s, work_dir, env=None):
        self.name = name
        self.log_path = os.path.join(work_dir, f"{name}.log")
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            ["timeout", "-k", str(KILL_GRACE_S), str(int(limit_s))] + argv,
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=self.log,
            env=env)
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


# --- the engine under load ----------------------------------------------------

def load_s(args):
    """How long a load generator may run: ramp, wait, settle, window."""
    return args.ramp_s + RAMP_GRACE_S + args.settle_s + args.window_s + 5


def write_keys(path, n):
    """Writes and returns n stream keys of 32 characters. The first four, all
    that logs and Gladia's metadata show of a key, are the stream's index, so
    they tell streams apart."""
    keys = [f"{i:04d}{secrets.token_hex(14)}" for i in range(n)]
    with open(path, "w") as f:
        f.writelines(key + "\n" for key in keys)
    return keys


def start_engine(args, n, label, work_dir, extra_argv=(), env=None, limit_s=None):
    """The engine with n registered keys and a stats line every second; env
    is added to its environment, which never inherits a Gladia key or URL.

    Returns (child, its JSON lines, RTMP port, keys file, keys)."""
    port = free_ports(1)[0]
    keys_path = os.path.join(work_dir, f"keys-{n}.txt")
    keys = write_keys(keys_path, n)
    argv = [args.bin, "--no-gui", "--rtmp-listen", f"127.0.0.1:{port}",
            "--stream-keys-file", keys_path, "--stats", "1"] + list(extra_argv)
    if args.workers:
        argv += ["--workers", str(args.workers)]
    env = {**{k: v for k, v in os.environ.items() if k not in GLADIA_ENV}, **(env or {})}
    engine = Child(f"{label}-{n}", argv, limit_s or load_s(args) + 60, work_dir, env)
    try:
        engine_out = JsonLines(engine)
        wait_listening([port], [engine], 30)
    except BaseException:
        close_all([engine])
        raise
    return engine, engine_out, port, keys_path, keys


def start_loadgen(args, flv, n, label, targets, work_dir, duration_s=None):
    duration_s = duration_s or load_s(args)
    child = Child(f"loadgen-{label}-{n}",
                  [args.loadgen, "--flv", flv, "--streams", str(n),
                   "--duration-s", str(duration_s), "--ramp-s", str(args.ramp_s),
                   "--report-s", "1"] + targets,
                  duration_s + 30, work_dir)
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


def snapshot(server_pids, loadgen_pid, side_pids, progress):
    return {"t": time.monotonic(), "servers": sum(cpu_s(p) for p in server_pids),
            "loadgen": cpu_s(loadgen_pid), "machine": machine_busy_s(), "progress": progress(),
            "side": {name: cpu_s(pid) for name, pid in side_pids.items()}}


def measure(args, n, server_pids, loadgen, lines, progress=lambda: None, side_pids=None):
    """Lets the load ramp up and settle, then measures the steady window.

    progress() is read at both ends of the window (server output so far).
    side_pids ({name: pid}) are helpers whose CPU is reported on its own, as
    side_cores[name], rather than as the server's or the rest of the machine's."""
    side_pids = side_pids or {}
    publish_wait_s = wait_publishing(loadgen, lines, n, args.ramp_s + RAMP_GRACE_S)
    time.sleep(args.settle_s)
    a = snapshot(server_pids, loadgen.pid, side_pids, progress)
    time.sleep(args.window_s)
    b = snapshot(server_pids, loadgen.pid, side_pids, progress)
    window = b["t"] - a["t"]
    cores = (b["servers"] - a["servers"]) / window
    loadgen_cores = (b["loadgen"] - a["loadgen"]) / window
    side_cores = {name: (b["side"][name] - a["side"][name]) / window for name in side_pids}
    reports = lines.of_type("loadgen", a["t"], b["t"]) or [{}]
    return {
        "n": n, "t0": a["t"], "t1": b["t"], "window_s": window, "publish_wait_s": publish_wait_s,
        "cores": cores, "loadgen_cores": loadgen_cores, "side_cores": side_cores,
        # Anything else busy on the machine skews the numbers: say how much.
        "other_cores": max(0.0, (b["machine"] - a["machine"]) / window - cores - loadgen_cores
                           - sum(side_cores.values())),
        "progress": (a["progress"], b["progress"]),
        "rss_kib": sum(rss_kib(p) for p in server_pids),
        "pss_kib": sum(pss_kib(p) for p in server_pids),
        "publishing": reports[-1].get("publishing", 0),
        "refused": reports[-1].get("refused", 0),
        "failed": reports[-1].get("failed", 0),
        "max_send_lag_ms": max(r.get("max_send_lag_ms", 0) for r in reports),
        "backlog_bytes": reports[-1].get("backlog_bytes", 0),
    }


def latency_ms(histograms):
    """(p50, p99) in ms over the stats lines' interval histograms ({count, p50, p99, …} in µs):
    the median of the intervals' p50s and the largest of their p99s; None when empty."""
    histograms = [h for h in histograms if h.get("count")]
    if not histograms:
        return None, None
    return (statistics.median(h["p50"] for h in histograms) / 1000,
            max(h["p99"] for h in histograms) / 1000)


def run_engine(args, flv, n, work_dir, label="engine", extra_argv=(), env=None, side_pids=None):
    """Measures the engine under n streams from the load generator.

    The result also holds the engine's stats lines of the window (`stats`)."""
    children = []
    try:
        engine, engine_out, port, keys_path, _ = start_engine(args, n, label, work_dir,
                                                              extra_argv, env)
        children.append(engine)
        time.sleep(1)
        idle_rss = rss_kib(engine.pid)

        loadgen, loadgen_out = start_loadgen(
            args, flv, n, label,
            ["--url", f"rtmp://127.0.0.1:{port}/live/", "--keys", keys_path], work_dir)
        children.append(loadgen)
        r = measure(args, n, [engine.pid], loadgen, loadgen_out, side_pids=side_pids)

        stats = engine_out.of_type("stats", r["t0"], r["t1"] + STATS_GRACE_S)
        if len(stats) < 2:
            raise RuntimeError(f"engine printed {len(stats)} stats lines in the window; "
                               f"see {engine.log_path}")
        first, last = stats[0], stats[-1]
        # Each line's histogram covers the interval since the line before it.
        p50_ms, p99_ms = latency_ms(s["chunk_latency_us"] for s in stats[1:])
        r.update({
            "method": "engine", "stats": stats,
            "rss_kib": r["rss_kib"] - idle_rss, "idle_rss_kib": idle_rss,
            "ratio": (last["audio_out_s"] - first["audio_out_s"])
                     / (n * (last["uptime_s"] - first["uptime_s"])),
            "p50_ms": p50_ms, "p99_ms": p99_ms,
            "publishers": last.get("publishers"), "engine_refused": last.get("refused"),
        })
        return r
    finally:
        close_all(children[::-1])


def kept_up(r):
    return (r["ratio"] >= KEPT_UP_MIN_RATIO and r["publishing"] == r["n"]
            and r["max_send_lag_ms"] <= KEPT_UP_MAX_LAG_MS)


# --- report -----------------------------------------------------------------

def fmt(value, digits=2):
    return "n/a" if value is None else f"{value:.{digits}f}"


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


def revision():
    """The source the binaries were presumably built from: commit, and -dirty with
    uncommitted changes to tracked files."""
    described = subprocess.run(["timeout", "-k", "5", "30", "git", "-C", ROOT, "describe",
                                "--always", "--dirty"],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    return described.stdout.strip() or "unknown"


def publish(out_dir, name, text):
    """Prints a report and writes it to out_dir/<name>-<date>.md."""
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, f"{name}-{datetime.date.today():%Y-%m-%d}.md")
    with open(path, "w") as f:
        f.write(text)
    print(text)
    print(f"written to {path}")
