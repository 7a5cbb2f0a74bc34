#!/usr/bin/env python3
"""Console benchmark: the operator console with N live rooms and two transcript
views open, against the same load headless.

Everything runs on 127.0.0.1 and stops by itself. Each run gets a fresh
`livekit-fake` with N rooms of one participant each (one shared WAV of an
espeak-ng sample looped, 48 kHz stereo, so the fake sends it byte for byte),
egress limit N, and a fresh `gladia-emulator` whose script follows the sample:
its clauses at the sample's timing, pass after pass. roomscribe runs with
--auto, so every one-participant room goes per track: N Track Egress WebSocket
PCM streams, N Gladia sessions, partials and finals for every room.

Runs, in order:
- headless: `roomscribe --no-gui --stats 1`; rooms running from the stats lines;
- console: the same engine with its window under Xvfb and
  bench/console/bench.qml as --gui-script (opens two transcript views, keeps
  the Transcripts page in front); frames from QSG_RENDER_TIMING lines stamped
  with the monotonic clock (QT_MESSAGE_PATTERN), rooms from
  backend.liveRoomCount;
- idle (unless --no-idle): the console, then headless, with 0 rooms, for
  their baselines.

Each is measured over a steady window once all N rooms run (or the start
timeout passes): process CPU, the main thread's CPU (the GUI thread in the
console: /proc/PID/task/PID/stat), the busiest other threads, RSS, frame
times, start-up time to the first window, and independent checks that the
audio and transcripts flow (the fake's egresses, the emulator's sessions).
Prints Markdown and writes bench/results/console-<date>.md.

Python 3 standard library only.
"""

import argparse
import collections
import contextlib
import datetime
import functools
import json
import math
import os
import re
import secrets
import shlex
import signal
import statistics
import subprocess
import sys
import time
import wave

from benchlib import (CLK_TCK, CORES, ROOT, SPEECH, Child, JsonLines, close_all, cpu_s,
                      environment, fmt, free_ports, machine_busy_s, pss_kib, quiet_warning,
                      raise_file_limit,
                      require_executables, revision, rss_kib, scratch_dir, status_kib,
                      wait_listening, publish)
from stt_bench import LOOPBACK, HTTP_TIMEOUT_S, Emulator, script_note, speech_spans, write_script

TRACK_BYTES_PER_S = 48000 * 2 * 2  # what a Track Egress sends: s16le 48 kHz stereo
FRAME_BUDGET_MS = 16
GUI_TARGET_CORE = 0.20
OPEN_VIEWS = 2
ENGINE_STOP_S = 15  # then killed: the bench needs no clean Gladia post-processing
SHOT_SETTLE_S = 2.0
TOP_THREADS = 6
PROFILE_ROWS = 15
LIVEKIT_KEY = "APIbench"
QML_SCRIPT = os.path.join(ROOT, "bench/console/bench.qml")
MESSAGE_PATTERN = "%{time boot} %{if-category}%{category}: %{endif}%{message}"
# The render loop's per-frame lines alone: QSG_RENDER_TIMING=1 would turn on
# every qt.scenegraph.time category (glyphs, textures, renderer): more log I/O.
LOGGING_RULES = "qt.scenegraph.time.renderloop.debug=true"


def parse_args():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    build = os.path.join(ROOT, "build")
    p.add_argument("--bin", default=os.environ.get("ROOMSCRIBE_BIN",
                                                   os.path.join(build, "app/roomscribe")),
                   help="roomscribe (env ROOMSCRIBE_BIN); its GUI plugin beside it")
    p.add_argument("--livekit-fake",
                   default=os.path.join(build, "tests/fakes/livekit/livekit-fake"))
    p.add_argument("--emulator",
                   default=os.path.join(build, "tests/fakes/gladia/gladia-emulator"))
    p.add_argument("--rooms", type=int, default=100, help="live rooms (N)")
    p.add_argument("--window-s", type=float, default=30, help="steady measurement window")
    p.add_argument("--settle-s", type=float, default=5,
                   help="wait once all rooms run (and the views are open), before measuring")
    p.add_argument("--start-timeout-s", type=float, default=90,
                   help="longest wait for all rooms to run; then measured as they are")
    p.add_argument("--idle-window-s", type=float, default=10,
                   help="window of the idle runs (0 rooms)")
    p.add_argument("--no-idle", action="store_true", help="skip the idle runs")
    p.add_argument("--no-headless", action="store_true", help="skip the headless run")
    p.add_argument("--alternate-s", type=float, default=0,
                   help="in the console, cycle the open transcripts and the Rooms page every "
                        "S seconds (0: the Transcripts page stays in front)")
    p.add_argument("--perf-s", type=float, default=10,
                   help="after the window, profile the console's GUI thread this long with "
                        "perf (0: not)")
    p.add_argument("--screen", default="1600x1000x24", help="Xvfb screen WxHxDEPTH")
    p.add_argument("--no-opengl", action="store_true",
                   help="skip the console run on OpenGL (QSG_RHI_BACKEND=opengl; Mesa's "
                        "llvmpipe under Xvfb) beside the default software renderer")
    p.add_argument("--out-dir", default=os.path.join(ROOT, "bench/results"))
    p.add_argument("--keep-work", action="store_true",
                   help="keep logs, screenshots and samples")
    args = p.parse_args()
    if args.rooms < OPEN_VIEWS:
        p.error(f"--rooms wants at least {OPEN_VIEWS} (the transcript views need rooms)")
    if args.window_s < 5:
        p.error("--window-s wants at least 5 s")
    return args


# --- the load -------------------------------------------------------------------

def make_wav(work_dir, speaking_s):
    """The shared sample as Track Egress sends it (s16le 48 kHz stereo WAV): one
    pass of the speech, and the same looped to last speaking_s, since the fake
    plays a sample once and then sends silence. The fake loads a sample once
    for all who speak it. Returns (one pass, looped)."""
    raw = os.path.join(work_dir, "speech-22k.wav")
    once = os.path.join(work_dir, "speech-once.wav")
    looped = os.path.join(work_dir, "speech.wav")
    subprocess.run(["timeout", "-k", "5", "60", "espeak-ng", "-v", "en", "-w", raw, SPEECH],
                   check=True)
    subprocess.run(["timeout", "-k", "5", "60", "sox", "-V1", raw, "-r", "48000", "-c", "2",
                    "-b", "16", "-e", "signed-integer", once], check=True)
    with wave.open(once) as f:
        pass_s = f.getnframes() / f.getframerate()
    subprocess.run(["timeout", "-k", "5", "60", "sox", "-V1", once, looped, "repeat",
                    str(max(0, math.ceil(speaking_s / pass_s) - 1))], check=True)
    return once, looped


def room_name(i):
    return f"room-{i:03d}"


def identity(room, speaker, speakers):
    return f"speaker-{room:03d}" if speakers == 1 else f"speaker-{room:03d}-{speaker}"


class LiveKitFake:
    """livekit-fake with n rooms of `speakers` speakers each, all speaking the
    same sample, egress limit n × speakers; a context manager."""

    def __init__(self, args, n, wav, limit_s, work_dir, label, speakers=1):
        self.secret = secrets.token_hex(24)
        limit = max(n * speakers, 1)
        script = os.path.join(work_dir, f"livekit-{label}.json")
        with open(script, "w") as f:
            json.dump({"egress_limit": limit, "rooms": [
                {"name": room_name(i), "participants": [
                    {"identity": identity(i, j, speakers), "name": f"Speaker {i}.{j}",
                     "sample": wav} for j in range(speakers)]}
                for i in range(n)]}, f)
        port = free_ports(1)[0]
        self.url = f"http://127.0.0.1:{port}"
        self.child = Child(f"livekit-{label}", [args.livekit_fake, "--port", str(port),
                                                "--api-key", LIVEKIT_KEY, "--api-secret",
                                                self.secret, "--egress-limit", str(limit),
                                                "--script", script], limit_s, work_dir)
        try:
            JsonLines(self.child)  # keeps its stdout drained into the log
            wait_listening([port], [self.child], 30)
        except BaseException:
            close_all([self.child])
            raise

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        close_all([self.child])

    def egresses(self):
        with LOOPBACK.open(self.url + "/_fake/egresses", timeout=HTTP_TIMEOUT_S) as reply:
            return json.load(reply)

    def engine_env(self):
        return {"LIVEKIT_API_KEY": LIVEKIT_KEY, "LIVEKIT_API_SECRET": self.secret}


def flow(fake, emulator):
    """What the fake sends and the emulator answers, read at both ends of a window."""
    egresses = fake.egresses()
    sessions = emulator.sessions()
    return {
        "active_egresses": egresses["active_count"],
        "audio_bytes": sum(e.get("audio_bytes_sent", 0) for e in egresses["egresses"]),
        "sessions": sum(s["state"] == "connected" for s in sessions),
        "transcripts": sum(s["messages_by_type"].get("transcript", 0) for s in sessions),
    }


# --- /proc ----------------------------------------------------------------------

def thread_cpu(pid):
    """{tid: (name, cpu seconds)} of every thread of a process."""
    threads = {}
    with contextlib.suppress(FileNotFoundError):
        for tid in os.listdir(f"/proc/{pid}/task"):
            with contextlib.suppress(FileNotFoundError, ProcessLookupError):
                with open(f"/proc/{pid}/task/{tid}/stat") as f:
                    text = f.read()
                name = text[text.index("(") + 1:text.rindex(")")]
                fields = text.rsplit(")", 1)[1].split()
                threads[int(tid)] = (name, (int(fields[11]) + int(fields[12])) / CLK_TCK)
    return threads


def snapshot(pid, side_pids):
    return {"t": time.monotonic(), "process": cpu_s(pid), "threads": thread_cpu(pid),
            "machine": machine_busy_s(),
            "side": {name: cpu_s(p) for name, p in side_pids.items()}}


def busiest_threads(a, b, window_s, pid):
    """[(name, cores)] of the threads (same names summed, the main thread apart)
    that used the most CPU between two snapshots."""
    by_name = collections.Counter()
    for tid, (name, end_s) in b["threads"].items():
        start_s = a["threads"].get(tid, (name, 0.0))[1]
        by_name["main" if tid == pid else name] += (end_s - start_s) / window_s
    return [(name, cores) for name, cores in by_name.most_common(TOP_THREADS) if cores > 0.0005]


# --- roomscribe -----------------------------------------------------------------

class LogTail:
    """The console's log as it grows: lines "<monotonic s> <category>: <message>"."""

    LINE = re.compile(r"^\s*(\d+\.\d+) (.*)$")

    def __init__(self, path):
        self.path = path
        self.offset = 0
        self.lines = []  # (t, text)

    def poll(self):
        with open(self.path, "rb") as f:
            f.seek(self.offset)
            data = f.read()
        end = data.rfind(b"\n") + 1
        self.offset += end
        for raw in data[:end].decode("utf-8", "replace").splitlines():
            match = self.LINE.match(raw)
            if match:
                self.lines.append((float(match.group(1)), match.group(2)))
        return self.lines

    def bench(self, what):
        """[(t, detail)] of the script's "BENCH <what> <detail>" lines."""
        marker = f"BENCH {what} "
        return [(t, text.split(marker, 1)[1]) for t, text in self.lines if marker in text]


def engine_argv(args, n, fake, emulator):
    return ["--livekit-url", fake.url, "--gladia-url", emulator.url,
            "--rtmp-listen", "127.0.0.1:0", "--ws-listen", "127.0.0.1:0", "--auto", "--no-participant",
            "--egress-limit", str(max(n, 1)), "--livekit-poll-s", "2", "--no-db"]


def engine_env(fake, emulator, work_dir, label):
    """A private environment: own XDG dirs (no saved settings, ledger or store),
    only the bench's LiveKit and Gladia credentials, English."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("LIVEKIT_", "GLADIA_", "XDG_", "QT_", "QSG_", "RTMP_"))}
    for kind in ("CONFIG", "DATA", "STATE", "RUNTIME"):
        path = os.path.join(work_dir, f"xdg-{label}", kind.lower())
        os.makedirs(path, mode=0o700, exist_ok=True)
        env[f"XDG_{kind}_DIR" if kind == "RUNTIME" else f"XDG_{kind}_HOME"] = path
    env.update(fake.engine_env())
    env.update(emulator.engine_env())
    env.update({"LANGUAGE": "en", "LC_ALL": "C.UTF-8", "QT_MESSAGE_PATTERN": MESSAGE_PATTERN})
    return env


def stop_engine(pid, child):
    """SIGTERM to roomscribe itself (it stops its egresses and sessions), a
    bounded wait, then whatever is left goes (Xvfb with xvfb-run)."""
    if pid:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.proc.wait(ENGINE_STOP_S)
    close_all([child])


def wait_until(condition, timeout_s, children):
    """Polls condition() every 0.25 s; returns how long it took, None on time-out."""
    start = time.monotonic()
    while time.monotonic() < start + timeout_s:
        if condition():
            return time.monotonic() - start
        for child in children:
            if child.proc.poll() is not None:
                raise RuntimeError(f"{child.name} exited early; see {child.log_path}")
        time.sleep(0.25)
    return None


def measure_window(window_s, pid, side_pids, fake, emulator):
    """CPU, memory and flow over a window of the running engine."""
    flow_a = flow(fake, emulator)
    a = snapshot(pid, side_pids)
    time.sleep(window_s)
    b = snapshot(pid, side_pids)
    flow_b = flow(fake, emulator)
    span = b["t"] - a["t"]
    main_a = a["threads"].get(pid, ("", 0.0))[1]
    main_b = b["threads"].get(pid, ("", 0.0))[1]
    side = {name: (b["side"][name] - a["side"][name]) / span for name in side_pids}
    cores = (b["process"] - a["process"]) / span
    return {
        "t0": a["t"], "t1": b["t"], "window_s": span, "cores": cores,
        "main_cores": (main_b - main_a) / span,
        "threads": busiest_threads(a, b, span, pid), "side_cores": side,
        "other_cores": max(0.0, (b["machine"] - a["machine"]) / span - cores
                           - sum(side.values())),
        "rss_kib": rss_kib(pid), "hwm_kib": status_kib(pid, "VmHWM"), "pss_kib": pss_kib(pid),
        "threads_count": len(b["threads"]),
        "active_egresses": flow_b["active_egresses"],
        "audio_ratio": ((flow_b["audio_bytes"] - flow_a["audio_bytes"])
                        / (TRACK_BYTES_PER_S * span * max(flow_b["active_egresses"], 1))),
        "sessions": flow_b["sessions"],
        "transcripts_per_s": (flow_b["transcripts"] - flow_a["transcripts"]) / span,
    }


def running_rooms(stats_line):
    rooms = stats_line.get("livekit", {}).get("rooms", [])
    return sum(r.get("phase") == "running" for r in rooms)


def run_headless(args, n, wav, script_path, work_dir, window_s):
    label = f"headless-{n}"
    limit_s = args.start_timeout_s + args.settle_s + window_s + 120
    with Emulator(args, f"emulator-{label}", script_path, [], limit_s, work_dir) as emulator, \
            LiveKitFake(args, n, wav, limit_s, work_dir, label) as fake:
        engine = Child(f"roomscribe-{label}", [args.bin, "--no-gui", "--stats", "1"]
                       + engine_argv(args, n, fake, emulator), limit_s, work_dir,
                       engine_env(fake, emulator, work_dir, label))
        pid = None
        try:
            out = JsonLines(engine)
            pid = engine.pid

            def rooms_now():
                lines = out.of_type("stats")
                return running_rooms(lines[-1]) if lines else 0

            ramp_s = wait_until(lambda: rooms_now() >= n, args.start_timeout_s, [engine])
            time.sleep(args.settle_s)
            r = measure_window(window_s, pid,
                               {"livekit-fake": fake.child.pid, "emulator": emulator.child.pid},
                               fake, emulator)
            stats = out.of_type("stats", r["t0"], r["t1"] + 0.5) or [{}]
            running = [running_rooms(s) for s in stats]
            r.update({"label": "headless" if n else "headless, 0 rooms", "n": n, "ramp_s": ramp_s,
                      "rooms_min": min(running), "rooms_max": max(running),
                      "log": engine.log_path})
            return r
        finally:
            stop_engine(pid, engine)


# --- the console ----------------------------------------------------------------

# "frame rendered in 9ms, …" (threaded, basic) or "Frame rendered with 'software'
# renderloop in 9ms, …" (the software backend, one line on the GUI thread).
FRAME_RENDERED = re.compile(r"[Ff]rame rendered (?:with '\w+' renderloop )?in (\d+)ms(.*)")
FRAME_PREPARED = re.compile(r"Frame prepared, (.*)")
PAIRS = re.compile(r"(\w+)=(\d+)")


def frames(lines, t0, t1):
    """Per-frame timings of the render loop lines in [t0, t1]: {"total": [ms], part: [ms]}.

    Qt 6.4's threaded loop logs the render thread's frame and the GUI thread's
    preparation on separate lines:
      [window 0x…][render thread 0x…] syncAndRender: frame rendered in 9ms, sync=0,
        render=0, swap=9
      [window 0x…][gui thread] Frame prepared, polish=0 ms, lock=0 ms, blockedForSync=2 ms,
        animations=0 ms
    the basic loop one line with all of them:
      [window 0x…][gui thread] syncAndRender: frame rendered in 9ms, polish=0, sync=0,
        render=0, swap=9, perWindowFrameDelta=16
    """
    rendered = collections.defaultdict(list)
    prepared = collections.defaultdict(list)
    loop = None
    for t, text in lines:
        if not (t0 <= t <= t1) or "qt.scenegraph.time.renderloop" not in text:
            continue
        match = FRAME_RENDERED.search(text)
        if match:
            loop = ("software" if "'software' renderloop" in text
                    else "gui thread" if "[gui thread]" in text else "threaded")
            rendered["total"].append(int(match.group(1)))
            for key, value in PAIRS.findall(match.group(2)):
                rendered[key].append(int(value))
            continue
        match = FRAME_PREPARED.search(text)
        if match:
            for key, value in PAIRS.findall(match.group(1)):
                prepared[key].append(int(value))
    return loop, rendered, prepared


def percentile(values, q):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def frame_summary(loop, rendered, prepared, window_s):
    total = rendered.get("total", [])
    # Without the swap: what the scene graph itself took; on llvmpipe the
    # swap is where the software rasteriser does the drawing.
    unswapped = [t - w for t, w in zip(total, rendered.get("swap", []))]
    summary = {"loop": loop, "count": len(total), "fps": len(total) / window_s,
               "unswapped_p99": percentile(unswapped, 99),
               "unswapped_max": max(unswapped, default=None),
               "unswapped_over": sum(v > FRAME_BUDGET_MS for v in unswapped),
               "p50": percentile(total, 50), "p95": percentile(total, 95),
               "p99": percentile(total, 99), "max": max(total, default=None),
               "over": sum(v > FRAME_BUDGET_MS for v in total)}
    # Means of the parts, to say where a frame's time goes.
    summary["parts"] = {key: statistics.fmean(values)
                        for key, values in list(rendered.items()) + list(prepared.items())
                        if key not in ("total", "perWindowFrameDelta") and values}
    summary["parts_max"] = {key: max(values)
                            for key, values in list(rendered.items()) + list(prepared.items())
                            if key not in ("total", "perWindowFrameDelta") and values}
    return summary


def profile_thread(pid, seconds, work_dir, label):
    """The GUI thread's hottest functions over a few seconds (perf, self time):
    [(percent, dso, symbol)]; empty without perf or its permission."""
    data = os.path.join(work_dir, f"perf-{label}.data")
    recorded = subprocess.run(["timeout", "-k", "5", str(int(seconds) + 30), "perf", "record",
                               "-q", "-F", "499", "-t", str(pid), "-o", data, "--", "sleep",
                               str(seconds)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    if recorded.returncode != 0 or not os.path.exists(data):
        return {}

    def report(sort):
        return subprocess.run(["timeout", "-k", "5", "120", "perf", "report", "-i", data,
                               "--stdio", "--no-children", "--sort", sort, "--percent-limit",
                               "1.5"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                              text=True, check=False).stdout.splitlines()

    symbols = [(float(m.group(1)), m.group(2), m.group(3).strip()) for m in (
        re.match(r"\s*([\d.]+)%\s+(\S+)\s+\[[.k]\]\s+(.*)", line)
        for line in report("dso,sym")) if m]
    dsos = [(float(m.group(1)), m.group(2)) for m in (
        re.match(r"\s*([\d.]+)%\s+(\S+)\s*$", line) for line in report("dso")) if m]
    return {"symbols": symbols[:PROFILE_ROWS], "dsos": dsos}


def fill_script(args, work_dir, n, label, control):
    with open(QML_SCRIPT) as f:
        text = f.read()
    rooms = [room_name(i) for i in range(min(n, OPEN_VIEWS))]
    text = (text.replace("@OPEN@", json.dumps(rooms))
                .replace("@CONTROL@", control)
                .replace("@ALTERNATE_MS@", str(int(args.alternate_s * 1000))))
    path = os.path.join(work_dir, f"bench-{label}.qml")
    with open(path, "w") as f:
        f.write(text)
    return path, rooms


def xvfb_pid(display):
    """Xvfb's pid for a display (":99"), from /proc; None when not found."""
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        with contextlib.suppress(OSError):
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                argv = f.read().split(b"\0")
            if argv and os.path.basename(argv[0]) == b"Xvfb" and display.encode() in argv:
                return int(pid)
    return None


def screenshot(display, xauthority, path):
    subprocess.run(["timeout", "-k", "5", "30", "import", "-display", display, "-window", "root",
                    path], check=False, stderr=subprocess.DEVNULL,
                   env={**os.environ, "XAUTHORITY": xauthority})
    return path if os.path.exists(path) else None


def run_console(args, n, wav, script_path, work_dir, window_s, opengl=False):
    label = f"console-{n}" + ("-opengl" if opengl else "")
    limit_s = args.start_timeout_s + args.settle_s + window_s + 180
    # Files of their own per run: a later run must never read an earlier one's.
    control = os.path.join(work_dir, f"control-{label}.txt")
    open(control, "w").close()
    qml, opened = fill_script(args, work_dir, n, label, control)
    launch = os.path.join(work_dir, f"launch-{label}.txt")
    # Notes its pid, display and the monotonic time just before it becomes roomscribe.
    wrapper = ("import os, sys, time\n"
               f"open({launch!r}, 'w').write(f'{{os.getpid()}} {{time.monotonic()}} "
               "{os.environ[\"DISPLAY\"]} {os.environ[\"XAUTHORITY\"]}')\n"
               "os.execv(sys.argv[1], sys.argv[1:])\n")
    with Emulator(args, f"emulator-{label}", script_path, [], limit_s, work_dir) as emulator, \
            LiveKitFake(args, n, wav, limit_s, work_dir, label) as fake:
        env = engine_env(fake, emulator, work_dir, label)
        env.update({"QSG_INFO": "1", "QT_LOGGING_RULES": LOGGING_RULES,
                    "QML_XHR_ALLOW_FILE_READ": "1"})
        if opengl:
            env["QSG_RHI_BACKEND"] = "opengl"
        argv = (["xvfb-run", "-a", "-s", f"-screen 0 {args.screen}", sys.executable, "-c",
                 wrapper, args.bin] + engine_argv(args, n, fake, emulator)
                + ["--gui-script", qml])
        console = Child(f"roomscribe-{label}", argv, limit_s, work_dir, env)
        pid = None
        try:
            JsonLines(console)
            log = LogTail(console.log_path)
            wait_until(lambda: os.path.exists(launch) and os.path.getsize(launch) > 0, 30,
                       [console])
            with open(launch) as f:
                pid_text, exec_t, display, xauthority = f.read().split()
            pid, exec_t = int(pid_text), float(exec_t)

            def live():
                log.poll()
                counts = log.bench("live")
                return int(counts[-1][1]) if counts else 0

            ramp_s = wait_until(lambda: live() >= n and (n == 0 or log.bench("opened")),
                                args.start_timeout_s, [console])
            time.sleep(args.settle_s)
            side = {"livekit-fake": fake.child.pid, "emulator": emulator.child.pid}
            xvfb = xvfb_pid(display)
            if xvfb:
                side["Xvfb"] = xvfb
            r = measure_window(window_s, pid, side, fake, emulator)
            r["profile"] = (profile_thread(pid, args.perf_s, work_dir, label)
                            if n and args.perf_s > 0 else {})
            log.poll()
            shots = {}
            for page in ["transcripts", "rooms"] if n else ["rooms"]:
                with open(control, "a") as f:
                    f.write(f"page {page}\n")
                time.sleep(SHOT_SETTLE_S)
                shots[page] = screenshot(display, xauthority,
                                         os.path.join(work_dir, f"{label}-{page}.png"))
            log.poll()
            lines = log.lines
            shown = log.bench("shown")
            first_frame = next((t for t, text in lines if FRAME_RENDERED.search(text)), None)
            live_counts = [int(c) for t, c in log.bench("live") if r["t0"] <= t <= r["t1"]]
            loop, rendered, prepared = frames(lines, r["t0"], r["t1"])
            r.update({
                "label": ("console, OpenGL" if opengl else "console") if n else "console, 0 rooms",
                "n": n, "ramp_s": ramp_s,
                "rooms_min": min(live_counts, default=0), "rooms_max": max(live_counts, default=0),
                "shown_s": shown[0][0] - exec_t if shown else None,
                "window_size": shown[0][1] if shown else "n/a",
                "first_frame_s": first_frame - exec_t if first_frame else None,
                "frames": frame_summary(loop, rendered, prepared, r["window_s"]),
                "opened": opened if log.bench("opened") else [],
                "graphics": [text.split(": ", 1)[-1] for _, text in lines
                             if "render loop" in text or "RENDERER" in text][:2],
                "qml_warnings": [text for _, text in lines
                                 if re.search(r"qrc:/|file://.*(Error|error|TypeError|"
                                              r"ReferenceError|undefined)", text)][:5],
                "shots": shots, "log": console.log_path,
            })
            with open(control, "a") as f:
                f.write("quit\n")
            return r
        finally:
            stop_engine(pid, console)


def user_argv():
    """The command line without the binaries (run_console_bench.sh passes those)."""
    argv, skip = [], False
    for arg in sys.argv[1:]:
        if skip:
            skip = False
        elif arg in ("--bin", "--livekit-fake", "--emulator"):
            skip = True
        elif not arg.startswith(("--bin=", "--livekit-fake=", "--emulator=")):
            argv.append(arg)
    return argv


# --- report ---------------------------------------------------------------------

def mib(kib):
    return "n/a" if kib is None else f"{kib / 1024:.0f}"


def ms(value):
    return "n/a" if value is None else f"{value:g}"


def verdict(ok):
    return "yes" if ok else "**no**"


def main_table(runs):
    rows = ["| run | rooms live (min–max) | process cores | main thread cores | RSS MiB "
            "| RSS over headless MiB | PSS MiB | threads | start-up to first frame s |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in runs:
        twin = next((h for h in runs if h["label"].startswith("headless") and h["n"] == r["n"]),
                    None)
        over = (r["rss_kib"] - twin["rss_kib"]) if twin and twin is not r else None
        first = r.get("first_frame_s")
        rows.append(
            f"| {r['label']} (N={r['n']}) | {r['rooms_min']}–{r['rooms_max']} "
            f"| {fmt(r['cores'])} | {fmt(r['main_cores'], 3)} | {mib(r['rss_kib'])} "
            f"| {mib(over) if over is not None else '–'} | {mib(r['pss_kib'])} "
            f"| {r['threads_count']} | {fmt(first) if first is not None else '–'} |")
    return "\n".join(rows)


def frame_table(consoles):
    rows = ["| run | render loop | frames | frames/s | frame p50 / p95 / p99 / max ms "
            f"| frames > {FRAME_BUDGET_MS} ms | without swap: p99 / max ms, > {FRAME_BUDGET_MS} ms "
            "| mean parts ms | max parts ms |",
            "|---|---|---:|---:|---:|---:|---:|---|---|"]
    for r in consoles:
        f = r["frames"]
        parts = ", ".join(f"{k} {v:.1f}" for k, v in f["parts"].items()) or "–"
        parts_max = ", ".join(f"{k} {v}" for k, v in f["parts_max"].items()) or "–"
        rows.append(f"| {r['label']} (N={r['n']}) | {f['loop'] or 'n/a'} | {f['count']} "
                    f"| {fmt(f['fps'], 1)} | {ms(f['p50'])} / {ms(f['p95'])} / {ms(f['p99'])} "
                    f"/ {ms(f['max'])} | {f['over']} | {ms(f['unswapped_p99'])} / "
                    f"{ms(f['unswapped_max'])}, {f['unswapped_over']} | {parts} | {parts_max} |")
    return "\n".join(rows)


def flow_table(runs):
    rows = ["| run | egresses active | audio sent ÷ real time | Gladia sessions connected "
            "| transcripts/s (partials + finals) | livekit-fake cores | emulator cores "
            "| Xvfb cores | rest of machine cores |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in runs:
        side = r["side_cores"]
        rows.append(f"| {r['label']} (N={r['n']}) | {r['active_egresses']} "
                    f"| {fmt(r['audio_ratio'], 3)} | {r['sessions']} "
                    f"| {fmt(r['transcripts_per_s'], 1)} | {fmt(side.get('livekit-fake'))} "
                    f"| {fmt(side.get('emulator'))} "
                    f"| {fmt(side['Xvfb']) if 'Xvfb' in side else '–'} "
                    f"| {fmt(r['other_cores'])} |")
    return "\n".join(rows)


def thread_lines(runs):
    lines = []
    for r in runs:
        busiest = ", ".join(f"{name} {cores:.3f}" for name, cores in r["threads"]) or "all idle"
        lines.append(f"- {r['label']} (N={r['n']}): {busiest}")
    return "\n".join(lines)


def profile_lines(console, seconds):
    profile = console.get("profile") if console else None
    if not profile:
        return ["No profile (--perf-s 0, or perf not permitted)."]
    return [f"Where the GUI thread's time goes: perf record -t PID -F 499 for {seconds:g} s "
            f"right after the window (same load, same page), self time, entries ≥ 1.5 %. "
            f"By library: " + ", ".join(f"{dso} {percent:.1f} %"
                                        for percent, dso in profile["dsos"]) + ".", "",
            "| % | DSO | symbol |", "|---:|---|---|"] + [
        f"| {percent:.1f} | {dso} | `{symbol[:110]}` |"
        for percent, dso, symbol in profile["symbols"]]


def bounds_lines(console, idle_console):
    """What bounds the figures, from the figures: the swap's share of the frames and
    the GUI thread's hottest function."""
    if not console:
        return []
    f = console["frames"]
    lines = []
    if f["over"] and not f["unswapped_over"]:
        swap = f["parts"].get("swap")
        idle_swap = idle_console["frames"]["parts"].get("swap") if idle_console else None
        render_cores = sum(cores for name, cores in console["threads"]
                           if name.startswith(("llvmpipe", "QSGRenderThread")))
        lines.append(
            f"- Frames: the scene graph's own work fits the budget in every frame (without "
            f"the swap p99 {ms(f['unswapped_p99'])} ms, max {ms(f['unswapped_max'])} ms; GUI "
            f"thread polish mean {f['parts'].get('polish', 0):.1f} ms). The time over "
            f"{FRAME_BUDGET_MS} ms is the swap, where Mesa's llvmpipe rasterises the whole "
            f"{console['window_size']} window on the CPU (Qt Quick redraws all of it each "
            f"frame): mean {fmt(swap, 1)} ms, with {console['other_cores']:.2f} of the "
            f"{CORES} cores taken by other processes during the window"
            + (f"; the idle console's one frame swapped in {fmt(idle_swap, 1)} ms"
               if idle_swap is not None else "")
            + f". Render thread and llvmpipe threads together used {render_cores:.2f} cores. "
            f"Software GL on a shared machine, not the console's work, decides this "
            f"column: the {FRAME_BUDGET_MS} ms target can only be judged with a GPU; here "
            f"read the without-swap column.")
    elif f["unswapped_over"]:
        lines.append(f"- Frames: {f['unswapped_over']} frames took over {FRAME_BUDGET_MS} ms "
                     f"even without the swap: the scene graph's own work (sync, render) is "
                     f"over budget; see the parts columns.")
    profile = console.get("profile")
    if profile and profile["symbols"]:
        percent, dso, symbol = profile["symbols"][0]
        lines.append(f"- GUI thread: its hottest function, `{symbol}` ({dso}), takes "
                     f"{percent:.1f} % of its samples, about "
                     f"{percent / 100 * console['main_cores']:.1%} of a core.")
    return lines


def verdict_lines(console, headless, runs):
    if not console:
        return ["No console run."]
    f = console["frames"]
    gui_ok = console["main_cores"] < GUI_TARGET_CORE
    frames_ok = f["count"] > 0 and f["over"] == 0
    lines = [
        f"- GUI thread under {GUI_TARGET_CORE:.0%} of a core with {console['rooms_min']} "
        f"live rooms and {len(console['opened'])} transcript views open: "
        f"{verdict(gui_ok)} ({console['main_cores']:.1%}).",
        f"- Frames under {FRAME_BUDGET_MS} ms: {verdict(frames_ok)} ({f['over']} of "
        f"{f['count']} over; p99 {ms(f['p99'])} ms, max {ms(f['max'])} ms).",
    ]
    opengl = next((r for r in runs if r["label"] == "console, OpenGL"), None)
    if opengl:
        g = opengl["frames"]
        lines.append(
            f"- The same load on OpenGL (QSG_RHI_BACKEND=opengl, Mesa llvmpipe here): "
            f"{g['over']} of {g['count']} frames over {FRAME_BUDGET_MS} ms (p99 {ms(g['p99'])} "
            f"ms), {opengl['cores']:.2f} cores for the process against {console['cores']:.2f}, "
            f"{mib(opengl['rss_kib'])} MiB RSS against {mib(console['rss_kib'])} MiB.")
    idle = {r["label"]: r["rss_kib"] / 1024 for r in runs if r["n"] == 0}
    if "console, 0 rooms" in idle and "headless, 0 rooms" in idle and headless:
        lines.append(
            f"- Memory for {console['n']} rooms: the console grows "
            f"{console['rss_kib'] / 1024 - idle['console, 0 rooms']:+.0f} MiB RSS over its idle "
            f"self, headless {headless['rss_kib'] / 1024 - idle['headless, 0 rooms']:+.0f} MiB; "
            f"idle, the console holds "
            f"{idle['console, 0 rooms'] - idle['headless, 0 rooms']:+.0f} MiB more than "
            f"headless (Qt Quick, fonts, Mesa).")
    if headless and headless["n"] == console["n"]:
        lines.append(
            f"- The console's own cost over headless at equal load: "
            f"{console['cores'] - headless['cores']:+.2f} cores for the process "
            f"(GUI thread {console['main_cores']:.3f} vs the headless main thread "
            f"{headless['main_cores']:.3f}), "
            f"{(console['rss_kib'] - headless['rss_kib']) / 1024:+.0f} MiB RSS.")
    return lines


def report(args, runs, script, pass_s, started, load_before):
    now = datetime.datetime.now()
    headless = next((r for r in runs if r["label"] == "headless"), None)
    consoles = [r for r in runs if r["label"].startswith("console")]
    console = next((r for r in consoles if r["n"] == args.rooms and r["label"] == "console"), None)
    bounds = bounds_lines(console, next((r for r in consoles if r["n"] == 0), None))
    details = []
    for r in runs:
        ramp = ("not all rooms ran within the start time-out" if r["ramp_s"] is None
                else f"all rooms running after {r['ramp_s']:.1f} s" if r["n"] else "no rooms")
        line = (f"- {r['label']} (N={r['n']}): {ramp}; window "
                f"{r['window_s']:.1f} s; VmHWM {mib(r['hwm_kib'])} MiB")
        if "shown_s" in r:
            line += (f"; window {r['window_size']}; exec → bench script created (window loaded) "
                     f"{fmt(r['shown_s'])} s, → first frame {fmt(r['first_frame_s'])} s; "
                     f"transcript views open: {', '.join(r['opened']) or 'none'}")
            if r["graphics"]:
                line += "; graphics: " + " / ".join(r["graphics"])
            if r["qml_warnings"]:
                line += "; QML warnings: " + " / ".join(r["qml_warnings"])
        details.append(line)
    command = " ".join(["bench/run_console_bench.sh"] + [shlex.quote(a) for a in user_argv()])
    text = "\n".join([
        f"# Console benchmark (operator console, {args.rooms} live rooms), "
        f"{now:%Y-%m-%d %H:%M}",
        "",
        f"{environment()}; source {revision()}; load average {load_before:.2f} before the run. "
        f"Command: `{command}` (binaries: {os.path.dirname(os.path.abspath(args.bin))}). "
        f"Whole run {time.monotonic() - started:.0f} s.",
        "",
        f"Load: livekit-fake with N rooms of one participant each, all speaking the same "
        f"espeak-ng sample ({pass_s:.1f} s, looped in one s16le 48 kHz stereo WAV that Track "
        f"Egress sends byte for byte, so every room speaks through the window); roomscribe "
        f"with --auto, --egress-limit N, --livekit-poll-s 2, --no-db, private XDG dirs: one "
        f"Track Egress WebSocket PCM stream and one Gladia session (gladia-emulator) per room. "
        f"The emulator's script follows the sample (a partial at each utterance's middle and "
        f"a final at its end): {script_note(script, pass_s)}; repeated every {pass_s:.3f} s "
        f"of audio. "
        f"Console: Xvfb {args.screen}, bench/console/bench.qml as --gui-script opens "
        f"the transcripts of {', '.join(room_name(i) for i in range(OPEN_VIEWS))} (two tabs) "
        + ("and keeps the Transcripts page in front"
           if not args.alternate_s else
           f"and cycles those tabs and the Rooms page every {args.alternate_s:g} s")
        + f". Once all rooms run (and the views are open), {args.settle_s:g} s settling, then "
        f"a {args.window_s:g} s window (idle runs: {args.idle_window_s:g} s).",
        "",
        "Verdict (issue: with 100 live rooms and 2 transcript views open the GUI thread stays "
        f"under {GUI_TARGET_CORE:.0%} of a core and frames stay under {FRAME_BUDGET_MS} ms):",
        "",
        *verdict_lines(console, headless, runs),
        "",
        *(["What bounds it:", ""] + bounds if bounds else []),
        "",
        *quiet_warning(runs),
        "CPU and memory:",
        "",
        main_table(runs),
        "",
        "Frames (console, over the window):",
        "",
        frame_table(consoles),
        "",
        "Load actually flowing (read from the fake and the emulator at the window's ends):",
        "",
        flow_table(runs),
        "",
        "Busiest threads over the window (cores; same-named threads summed):",
        "",
        thread_lines(runs),
        "",
        *profile_lines(console, args.perf_s),
        "",
        "- process cores: roomscribe's utime+stime over the window ÷ window; main thread: "
        "/proc/PID/task/PID (TID = PID), the GUI thread in the console, the engine host's "
        "event loop headless. RSS = VmRSS, PSS from smaps_rollup, at the window's end.",
        "- rooms live: headless, rooms in phase \"running\" in the --stats 1 lines of the "
        "window; console, backend.liveRoomCount printed by the bench script every second.",
        "- The bench's own work on the GUI thread: one timer a second (liveRoomCount, a "
        "file read for commands, one log line) and the render loop's log lines, two a frame. "
        "The headless run's main thread also prints its --stats 1 line each second.",
        "- frames: the render loop's per-frame lines (category qt.scenegraph.time.renderloop, "
        "the one QSG_RENDER_TIMING=1 turns on with the other timing categories; here alone, "
        "through QT_LOGGING_RULES), whole milliseconds, stamped with the monotonic clock "
        "(QT_MESSAGE_PATTERN %{time boot}); frame time = \"frame rendered "
        "in\" (threaded loop: sync + render + swap on the render thread; basic loop: polish + "
        "sync + render + swap on the GUI thread). Qt Quick renders only when something "
        "changed, so frames/s is the update rate, not a refresh rate. Xvfb has no GPU: "
        "OpenGL is Mesa's software rasteriser (llvmpipe), whose threads compete for the "
        "same cores.",
        "- start-up: from the exec of roomscribe (a wrapper notes the monotonic time just "
        "before) to the first rendered frame; the details add the bench script's creation, "
        "which follows the window's load. It includes reading saved settings (none here).",
        "- audio sent ÷ real time: the fake's `audio_bytes_sent` over the window ÷ (active "
        "egresses × window × 192000 B/s); transcripts/s: `transcript` messages the emulator "
        "sent over the window, all sessions.",
        "",
        "Details:",
        "",
        "\n".join(details),
        "",
    ])
    publish(args.out_dir, "console", text)


def main():
    args = parse_args()
    started = time.monotonic()
    raise_file_limit()
    require_executables([args.bin, args.livekit_fake, args.emulator],
                        "bench/run_console_bench.sh")
    load_before = os.getloadavg()[0]
    with scratch_dir(args.keep_work) as work_dir:
        # Speech until the last screenshot when the rooms start within a minute.
        once, wav = make_wav(work_dir, 60 + args.settle_s + args.window_s + args.perf_s
                             + 2 * SHOT_SETTLE_S)
        spans, pass_s = speech_spans(once)
        script_path = os.path.join(work_dir, "gladia-script.json")
        # Long enough for the slowest start, the settling, the window and the shots.
        script = write_script(script_path, spans, pass_s,
                              args.start_timeout_s + args.settle_s + args.window_s + 120)
        runs = []
        try:
            plan = [(run_headless, args.rooms, args.window_s)] if not args.no_headless else []
            plan.append((run_console, args.rooms, args.window_s))
            if not args.no_opengl:
                plan.append((functools.partial(run_console, opengl=True), args.rooms,
                             args.window_s))
            if not args.no_idle:
                plan.append((run_console, 0, args.idle_window_s))
                if not args.no_headless:
                    plan.append((run_headless, 0, args.idle_window_s))
            for run, n, window_s in plan:
                name = getattr(run, "__name__", None) or f"{run.func.__name__} (OpenGL)"
                print(f"{name}, N={n} ...", file=sys.stderr, flush=True)
                runs.append(run(args, n, wav, script_path, work_dir, window_s))
        finally:
            if runs:
                report(args, runs, script, pass_s, started, load_before)
                for r in runs:
                    for page, path in r.get("shots", {}).items():
                        print(f"screenshot {r['label']} N={r['n']} {page}: {path}",
                              file=sys.stderr)


if __name__ == "__main__":
    main()
