#!/usr/bin/env python3
"""Transcription benchmark and resilience check: N rooms end to end through the
Gladia Live v2 emulator (tests/fakes/gladia), never the real service.

Each room is one RTMP stream from roomscribe-loadgen (the ingest benchmark's
espeak-ng sample, looped) into one engine process that transcribes it through
`gladia-emulator` (one process, its own API key, a script of the sample's
clauses at the times the sample speaks them).

Benchmark (default), for each N: the engine ingest-only, then with
transcription, each measured over a steady window: engine CPU with and without
transcription (the difference is the Gladia bridge's own), the emulator's CPU
on its own, send latency (chunk ready → acknowledged write), acknowledgement
round trip, bytes in flight, reconnects and dropped bytes. Prints Markdown
tables and writes them to bench/results/stt-<date>.md.

Check (--check-drops N): N rooms, the emulator breaks every session's
connection once, a few seconds in; after ~20 s of audio per room the engine is
stopped (SIGTERM: it waits for Gladia's post-processing). Every room must then
hold one session whose audio equals the engine's --pcm-dir file byte for byte,
with exactly one reconnect, and the transcripts file must hold each scripted
final the session's audio reached exactly once. Writes
bench/results/stt-check-<date>.md; exits 1 when a criterion fails.

Python 3 standard library only.
"""

import argparse
import array
import collections
import datetime
import hashlib
import json
import math
import os
import re
import secrets
import signal
import subprocess
import sys
import time
import urllib.request

from benchlib import (KEPT_UP_MIN_RATIO, PCM_BYTES_PER_S, RAMP_GRACE_S, ROOT, SAMPLE_S, SPEECH, Child,
                      JsonLines, add_common_args, close_all, counts, environment, fmt, free_ports,
                      kept_up, latency_ms, load_s, make_sample, publish, quiet_warning,
                      raise_file_limit, require_executables, revision, run_engine, scratch_dir,
                      start_engine, start_loadgen, wait_listening)

# Speech detection in the sample: 20 ms frames, speech above this RMS, and a
# quieter stretch this long ends an utterance (espeak-ng pauses ~150 ms at a
# comma, longer at a full stop).
FRAME_S = 0.02
SILENCE_RMS = 300
MIN_PAUSE_S = 0.12
# The engine gives Gladia 30 s for the last audio and post-processing, plus a
# margin of 10 s of its own, before it quits regardless.
ENGINE_STOP_S = 45
HTTP_TIMEOUT_S = 30
# The control endpoints are on loopback: never through a proxy from the environment.
LOOPBACK = urllib.request.build_opener(urllib.request.ProxyHandler({}))
SHOWN_FAILURES = 5


def parse_args():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    add_common_args(p, settle_help="wait once all streams publish, before measuring (Gladia "
                                   "sessions open meanwhile)")
    p.add_argument("--emulator",
                   default=os.path.join(ROOT, "build/tests/fakes/gladia/gladia-emulator"))
    p.add_argument("--streams", default="10,50,100,200",
                   help="room counts to benchmark, comma-separated")
    p.add_argument("--check-drops", type=int, metavar="N",
                   help="run the resilience check with N rooms instead of the benchmark")
    p.add_argument("--check-audio-s", type=float, default=20,
                   help="audio each room streams in the check")
    p.add_argument("--fault", choices=("close", "drop"), default="close",
                   help="how the emulator breaks each connection in the check: a close "
                        "handshake (1011) or a TCP cut")
    p.add_argument("--fault-after-s", type=float, default=4.5,
                   help="audio a session holds when its connection is broken (once)")
    args = p.parse_args()
    if args.check_drops is not None and args.check_drops < 1:
        p.error("--check-drops wants a positive room count")
    if args.check_drops and args.fault_after_s >= args.check_audio_s:
        p.error("--fault-after-s must fall inside --check-audio-s")
    return args


# --- the emulator's script -----------------------------------------------------

def speech_spans(flv):
    """Where the sample speaks: [(start_s, end_s)] over one pass, and the pass length.

    From the sample decoded as the engine hands audio to Gladia (16 kHz mono)."""
    pcm = subprocess.run(["timeout", "-k", "5", "60", "ffmpeg", "-hide_banner", "-loglevel",
                          "error", "-i", flv, "-f", "s16le", "-ar", "16000", "-ac", "1", "-"],
                         check=True, stdout=subprocess.PIPE).stdout
    samples = array.array("h", pcm)
    if sys.byteorder == "big":
        samples.byteswap()
    step = int(16000 * FRAME_S)
    spans, start, last = [], None, None
    for k in range(len(samples) // step):
        frame = samples[k * step:(k + 1) * step]
        loud = math.sqrt(sum(v * v for v in frame) / step) >= SILENCE_RMS
        if loud:
            start = k if start is None else start
            last = k
        elif start is not None and (k - last) * FRAME_S >= MIN_PAUSE_S:
            spans.append((start * FRAME_S, (last + 1) * FRAME_S))
            start = None
    if start is not None:
        spans.append((start * FRAME_S, (last + 1) * FRAME_S))
    return spans, len(pcm) / PCM_BYTES_PER_S


def write_script(path, spans, pass_s, total_s):
    """Writes and returns the emulator's script: an utterance per span, in every pass of
    the looped sample that starts within total_s. Each span gets the clause of the text
    it speaks when the pauses split the text into as many clauses as spans."""
    clauses = [c.strip() for c in re.findall(r"[^,.]+[,.]?", SPEECH)]
    texts = (clauses if len(clauses) == len(spans)
             else [f"Utterance {i + 1}." for i in range(len(spans))])
    script = []
    for k in range(math.ceil(total_s / pass_s)):
        for (start, end), text in zip(spans, texts):
            if k * pass_s + start < total_s:
                script.append({"start_s": round(k * pass_s + start, 3),
                               "end_s": round(k * pass_s + end, 3),
                               "text": text, "language": "en"})
    with open(path, "w") as f:
        json.dump(script, f, indent=1)
    return script


# --- the emulator ---------------------------------------------------------------

class Emulator:
    """One gladia-emulator process on loopback with a key of its own; a context
    manager that ends it on exit."""

    def __init__(self, args, name, script_path, fault_argv, limit_s, work_dir):
        self.key = secrets.token_hex(16)
        port = free_ports(1)[0]
        self.url = f"http://127.0.0.1:{port}"
        self.child = Child(name, [args.emulator, "--listen", f"127.0.0.1:{port}",
                                  "--api-key", self.key, "--script", script_path] + fault_argv,
                           limit_s, work_dir)
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

    def engine_argv(self, transcripts_path):
        return ["--gladia-url", self.url, "--transcripts", transcripts_path]

    def engine_env(self):
        return {"GLADIA_API_KEY": self.key}

    def get(self, path):
        request = urllib.request.Request(self.url + path, headers={"x-gladia-key": self.key})
        with LOOPBACK.open(request, timeout=HTTP_TIMEOUT_S) as reply:
            return json.load(reply)

    def sessions(self):
        return self.get("/_emulator/sessions")

    def room_of(self, session_id):
        """The room the engine named in the session's custom metadata (a key's
        first four characters and an ellipsis)."""
        return self.get(f"/v2/live/{session_id}")["custom_metadata"]["room"]


# --- benchmark ------------------------------------------------------------------

def stt_window(stats, n):
    """The transcription side of the engine's stats lines over a window."""
    first, last = stats[0]["stt"], stats[-1]["stt"]
    window_s = stats[-1]["uptime_s"] - stats[0]["uptime_s"]
    # Each line's histograms cover the interval since the line before it.
    intervals = [s["stt"] for s in stats[1:]]
    return {
        "sessions": last["sessions"], "transcribing": last["transcribing"],
        "acked_ratio": (last["bytes_acknowledged"] - first["bytes_acknowledged"])
                       / (PCM_BYTES_PER_S * n * window_s),
        "send_ms": latency_ms(i["send_latency_us"] for i in intervals),
        "ack_ms": latency_ms(i["ack_rtt_us"] for i in intervals),
        "partial_ms": latency_ms(i["stt_partial_latency_us"] for i in intervals),
        "final_ms": latency_ms(i["stt_final_latency_us"] for i in intervals),
        "buffered_max": max(s["stt"]["bytes_buffered"] for s in stats),
        "finals": last["finals"] - first["finals"],
        "partials": last["partials"] - first["partials"],
        "reconnects": last["reconnects"], "resent": last["bytes_resent"],
        "dropped": last["bytes_dropped"],
    }


def session_summary(sessions):
    return {"sessions": len(sessions),
            "finished": sum(s["state"] == "finished" for s in sessions),
            "reconnects": sum(s["reconnects"] for s in sessions),
            "errors": sum(len(s["errors"]) for s in sessions)}


def run_pair(args, flv, script_path, n, work_dir):
    """The engine at n rooms ingest-only, then with transcription through a fresh emulator."""
    print(f"ingest only, N={n} ...", file=sys.stderr, flush=True)
    ingest = run_engine(args, flv, n, work_dir, label="ingest")
    print(f"with transcription, N={n} ...", file=sys.stderr, flush=True)
    with Emulator(args, f"emulator-{n}", script_path, [], load_s(args) + 120,
                  work_dir) as emulator:
        stt = run_engine(args, flv, n, work_dir, label="stt",
                         extra_argv=emulator.engine_argv(
                             os.path.join(work_dir, f"transcripts-{n}.jsonl")),
                         env=emulator.engine_env(), side_pids={"emulator": emulator.child.pid})
        stt.update(stt_window(stt["stats"], n))
        stt["emulator_cores"] = stt["side_cores"]["emulator"]
        # Read once the engine has stopped its sessions.
        stt["emulator_sessions"] = session_summary(emulator.sessions())
    return ingest, stt


def stt_kept_up(stt):
    return kept_up(stt) and stt["acked_ratio"] >= KEPT_UP_MIN_RATIO


def pair_ms(pair):
    # Microseconds matter: on loopback a write or an acknowledgement takes a few.
    return "n/a" if pair[0] is None else f"{fmt(pair[0], 3)} / {fmt(pair[1], 3)}"


def cpu_table(pairs):
    rows = ["| N | ingest only: cores | % core/stream | with transcription: cores "
            "| % core/stream | bridge % core/stream | bridge RSS/stream KiB | emulator cores "
            "| loadgen cores |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for ingest, stt in pairs:
        n = stt["n"]
        rows.append(
            f"| {n} | {fmt(ingest['cores'])} | {fmt(100 * ingest['cores'] / n, 3)} "
            f"| {fmt(stt['cores'])} | {fmt(100 * stt['cores'] / n, 3)} "
            f"| {fmt(100 * (stt['cores'] - ingest['cores']) / n, 3)} "
            f"| {fmt((stt['rss_kib'] - ingest['rss_kib']) / n, 0)} "
            f"| {fmt(stt['emulator_cores'])} | {fmt(stt['loadgen_cores'])} |")
    return "\n".join(rows)


def transport_table(pairs):
    rows = ["| N | sessions | kept up (acked ratio) | send latency p50/p99 ms "
            "| ack round trip p50/p99 ms | final latency p50/p99 ms "
            "| in flight max KiB (per stream) | reconnects | dropped B |",
            "|---:|---:|---|---:|---:|---:|---:|---:|---:|"]
    for _, stt in pairs:
        verdict = "yes" if stt_kept_up(stt) else "**no**"
        buffered = stt["buffered_max"] / 1024
        rows.append(
            f"| {stt['n']} | {stt['sessions']} | {verdict} ({fmt(stt['acked_ratio'], 3)}) "
            f"| {pair_ms(stt['send_ms'])} | {pair_ms(stt['ack_ms'])} "
            f"| {pair_ms(stt['final_ms'])} | {fmt(buffered, 1)} ({fmt(buffered / stt['n'], 2)}) "
            f"| {stt['reconnects']} | {stt['dropped']} |")
    return "\n".join(rows)


def bench_details(pairs):
    lines = []
    for ingest, stt in pairs:
        e = stt["emulator_sessions"]
        lines.append(
            f"- N={stt['n']}: waited {ingest['publish_wait_s']:.1f} / {stt['publish_wait_s']:.1f} s "
            f"for all to publish (ingest only / transcription); PCM ratio "
            f"{fmt(ingest['ratio'], 3)} / {fmt(stt['ratio'], 3)}; loadgen max send lag "
            f"{ingest['max_send_lag_ms']:.1f} / {stt['max_send_lag_ms']:.1f} ms; transcribing "
            f"{stt['transcribing']}; in the window {stt['partials']} partials, {stt['finals']} "
            f"finals, partial latency p50/p99 {pair_ms(stt['partial_ms'])} ms; bytes re-sent "
            f"{stt['resent']}; emulator after stop: {e['sessions']} sessions, {e['finished']} "
            f"finished, {e['reconnects']} reconnects, {e['errors']} protocol errors; rest of "
            f"the machine busy {ingest['other_cores']:.2f} / {stt['other_cores']:.2f} cores")
    return "\n".join(lines)


def script_note(script, pass_s):
    first_pass = [u for u in script if u["start_s"] < pass_s]
    return "; ".join(f"{u['start_s']:g}–{u['end_s']:g} s \"{u['text']}\"" for u in first_pass)


def bench_report(args, pairs, script, pass_s, started, load_before):
    now = datetime.datetime.now()
    results = [r for pair in pairs for r in pair]
    text = "\n".join([
        f"# Transcription benchmark (Gladia bridge), {now:%Y-%m-%d %H:%M}",
        "",
        f"{environment()}; source {revision()}; load average {load_before:.2f} before the "
        f"run. Each room: "
        f"{SAMPLE_S} s of espeak-ng English speech, AAC stereo 44.1 kHz 128 kbps in FLV, "
        f"replayed in real time (looped) by roomscribe-loadgen over loopback into one engine "
        f"process. For each N the engine runs twice: ingest only, then transcribing every "
        f"room through gladia-emulator (one process, no faults, acknowledgements without "
        f"delay). Stream starts spread over {args.ramp_s:g} s; once all publish, "
        f"{args.settle_s:g} s settling, then a {args.window_s:g} s steady window. Whole run "
        f"{time.monotonic() - started:.0f} s.",
        "",
        f"Emulator script, per session, repeated every {pass_s:.3f} s (one pass of the "
        f"sample): {script_note(script, pass_s)}.",
        "",
        "CPU and memory:",
        "",
        cpu_table(pairs),
        "",
        "Transcription path:",
        "",
        transport_table(pairs),
        "",
        *quiet_warning(results),
        "- cores: the engine process's utime+stime over the window ÷ window; % core/stream = "
        "that ÷ N. bridge = with transcription − ingest only, at equal N: what the Gladia "
        "sessions (WebSocket, TLS-less here, JSON, buffering, transcripts file) cost per room.",
        "- bridge RSS/stream: (engine VmRSS at the window's end minus its idle RSS) with "
        "transcription minus the same ingest only, ÷ N.",
        "- emulator cores: gladia-emulator's own CPU. It stands in for Gladia and is not ours; "
        "it is counted neither in the engine's figures nor in the rest of the machine.",
        f"- kept up: bytes Gladia acknowledged over the window ÷ (N × window × 32000 B/s), "
        f"from the engine's `stt.bytes_acknowledged`; \"yes\" also needs the ingest criteria "
        f"of the ingest benchmark (PCM ratio ≥ {KEPT_UP_MIN_RATIO}, all N publishing, loadgen "
        f"send lag bounded).",
        "- send latency: `stt.send_latency_us`, chunk ready → the write of it that Gladia "
        "acknowledged; ack round trip: `stt.ack_rtt_us`, write of an acknowledged range's last "
        "byte → its acknowledgement; final latency: `stt.stt_final_latency_us`, write of the "
        "byte at an utterance's end → its final (the emulator answers at once: this is our side "
        "plus loopback). p50 = median of the 1 s intervals' p50s, p99 = max of their p99s.",
        "- in flight: `stt.bytes_buffered` (audio held for Gladia and not yet acknowledged, "
        "all rooms), the largest value of the window's 1 s lines; per stream = ÷ N (3.2 KiB "
        "is one 100 ms chunk).",
        "- reconnects, dropped: the engine's cumulative `stt.reconnects` and "
        "`stt.bytes_dropped` at the window's end; the emulator injects no faults here, so "
        "both should be 0.",
        "",
        "Details:",
        "",
        bench_details(pairs),
        "",
    ])
    publish(args.out_dir, "stt", text)


def run_bench(args, flv, spans, pass_s, work_dir, started):
    script_path = os.path.join(work_dir, "script.json")
    script = write_script(script_path, spans, pass_s, load_s(args) + pass_s)
    load_before = os.getloadavg()[0]
    pairs = []
    try:
        for n in counts(args.streams):
            pairs.append(run_pair(args, flv, script_path, n, work_dir))
    finally:
        if pairs:
            bench_report(args, pairs, script, pass_s, started, load_before)


# --- resilience check --------------------------------------------------------------

def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_finals(transcripts_path):
    """{room: [final transcript line]} from the engine's transcripts file."""
    finals = collections.defaultdict(list)
    with open(transcripts_path) as f:
        for line in f:
            segment = json.loads(line)
            if segment.get("type") == "transcript" and segment.get("is_final"):
                finals[segment["room"]].append(segment)
    return finals


def script_index(utterance_id):
    """The script index in an utterance id: "<bridge session>:<channel>-<index>"."""
    return int(utterance_id.rsplit("-", 1)[1])


def check_finals(finals, script, session):
    """What is wrong with a room's finals (empty when nothing): each utterance the
    session's audio reached (so the emulator sent its final) must appear exactly once."""
    heard_s = session["bytes_received"] / PCM_BYTES_PER_S
    expected = {i for i, u in enumerate(script) if heard_s >= u["start_s"]}
    indices = [script_index(f["utterance_id"]) for f in finals]
    got = collections.Counter(indices)
    ids = collections.Counter(f["utterance_id"] for f in finals)
    problems = []
    if expected - got.keys():
        problems.append(f"missing {sorted(expected - got.keys())}")
    if got.keys() - expected:
        problems.append(f"unexpected {sorted(got.keys() - expected)}")
    if any(c > 1 for c in got.values()):
        problems.append(f"doubled {sorted(i for i, c in got.items() if c > 1)}")
    if any(c > 1 for c in ids.values()):
        problems.append(f"repeated ids {sorted(i for i, c in ids.items() if c > 1)}")
    wrong = sorted({i for i, f in zip(indices, finals)
                    if i in expected and f["text"].strip() != script[i]["text"]})
    if wrong:
        problems.append(f"wrong text for {wrong}")
    return "; ".join(problems)


CRITERIA = (
    ("one session", "one emulator session per room (no second session, no room without)"),
    ("byte-exact", "the session's audio sha256 equals the engine's --pcm-dir file's"),
    ("one reconnect", "the session was reconnected exactly once"),
    ("clean stop", "the session finished after stop_recording, without protocol errors"),
    ("finals once", "each scripted final the session's audio reached is in the "
                    "transcripts file exactly once, utterance ids unique"),
)


def verify_rooms(keys, sessions, rooms_of, pcm_dir, finals, script):
    """{criterion: {room key: what is wrong}} over every room."""
    failures = {name: {} for name, _ in CRITERIA}
    by_prefix = collections.defaultdict(list)
    for session in sessions:
        by_prefix[rooms_of[session["id"]].rstrip("…")].append(session)
    for key in keys:
        held = by_prefix.get(key[:4], [])
        if len(held) != 1:
            for name, _ in CRITERIA:
                failures[name][key] = f"{len(held)} sessions"
            continue
        session = held[0]
        pcm_path = os.path.join(pcm_dir, key + ".pcm")
        pcm_size = os.path.getsize(pcm_path) if os.path.exists(pcm_path) else None
        if pcm_size is None or sha256_of(pcm_path) != session["sha256"]:
            failures["byte-exact"][key] = (
                f"pcm file {pcm_size} B, emulator {session['bytes_received']} B; emulator "
                f"report {json.dumps(session, separators=(',', ':'))}")
        if session["reconnects"] != 1:
            failures["one reconnect"][key] = (f"{session['reconnects']} reconnects, closes "
                                              f"{json.dumps(session['closes'])}")
        if session["state"] != "finished" or not session["stop_received"] or session["errors"]:
            failures["clean stop"][key] = (f"state {session['state']}, stop_received "
                                           f"{session['stop_received']}, errors "
                                           f"{json.dumps(session['errors'])}")
        problem = check_finals(finals.get(key, []), script, session)
        if problem:
            failures["finals once"][key] = problem
    return failures


def drive_check(args, flv, n, script_path, fault_bytes, duration_s, work_dir):
    """Runs the rooms through the faulty emulator, stops the engine, and collects
    what the verdict needs from every side."""
    pcm_dir = os.path.join(work_dir, "pcm")
    os.makedirs(pcm_dir)
    transcripts_path = os.path.join(work_dir, "transcripts-check.jsonl")
    limit_s = duration_s + RAMP_GRACE_S + ENGINE_STOP_S + 60
    with Emulator(args, "emulator-check", script_path, [f"--{args.fault}-after", str(fault_bytes)],
                  limit_s + 60, work_dir) as emulator:
        engine, engine_out, port, keys_path, keys = start_engine(
            args, n, "engine-check", work_dir,
            emulator.engine_argv(transcripts_path) + ["--pcm-dir", pcm_dir],
            emulator.engine_env(), limit_s)
        try:
            loadgen, loadgen_out = start_loadgen(
                args, flv, n, "check",
                ["--url", f"rtmp://127.0.0.1:{port}/live/", "--keys", keys_path], work_dir,
                duration_s)
            try:
                loadgen.proc.wait(duration_s + RAMP_GRACE_S)
            finally:
                close_all([loadgen])
            stop_started = time.monotonic()
            engine.proc.send_signal(signal.SIGTERM)  # timeout passes it on
            try:
                engine_rc = engine.proc.wait(ENGINE_STOP_S)
            except subprocess.TimeoutExpired:
                engine_rc = None
            stop_s = time.monotonic() - stop_started
        finally:
            close_all([engine])
        sessions = emulator.sessions()
        rooms_of = {s["id"]: emulator.room_of(s["id"]) for s in sessions}
    stats = engine_out.of_type("stats")
    return {"keys": keys, "sessions": sessions, "rooms_of": rooms_of, "pcm_dir": pcm_dir,
            "finals": read_finals(transcripts_path), "engine_rc": engine_rc, "stop_s": stop_s,
            "loadgen": loadgen_out.of_type("loadgen"), "stt": stats[-1]["stt"] if stats else {}}


def check_lines(n, outcome, failures):
    """The verdict as Markdown lines: the engine's stop, each criterion, the totals,
    and the first failing rooms of each criterion."""
    rc = outcome["engine_rc"]
    sessions, reports, stt = outcome["sessions"], outcome["loadgen"], outcome["stt"]
    lines = [
        f"Engine stopped by SIGTERM in {outcome['stop_s']:.1f} s, exit status "
        f"{f'none (killed after {ENGINE_STOP_S} s)' if rc is None else rc}: "
        f"**{'pass' if rc == 0 else 'FAIL'}**.",
        "",
        "| criterion | result | rooms ok |",
        "|---|---|---:|",
    ]
    for name, description in CRITERIA:
        verdict = "pass" if not failures[name] else "**FAIL**"
        lines.append(f"| {description} | {verdict} | {n - len(failures[name])} / {n} |")
    audio_s = sum(s["bytes_received"] for s in sessions) / PCM_BYTES_PER_S
    lines += [
        "",
        f"Load generator: up to {max((r['publishing'] for r in reports), default=0)} of {n} "
        f"publishing, refused {reports[-1]['refused'] if reports else 'n/a'}, failed "
        f"{reports[-1]['failed'] if reports else 'n/a'}. Engine's last stats line before the "
        f"stop: {stt.get('sessions', 'n/a')} sessions, {stt.get('reconnects', 'n/a')} "
        f"reconnects, {stt.get('bytes_resent', 'n/a')} B re-sent, "
        f"{stt.get('bytes_dropped', 'n/a')} B dropped, {stt.get('finals', 'n/a')} finals. "
        f"Emulator: {len(sessions)} sessions, {audio_s / max(len(sessions), 1):.1f} s of audio "
        f"each on average, {sum(len(s['errors']) for s in sessions)} protocol errors, overlap "
        f"(re-sent bytes it already held) {sum(s['overlap_bytes'] for s in sessions)} B.",
    ]
    for name, _ in CRITERIA:
        if failures[name]:
            lines += ["", f"Failing rooms, {name} ({len(failures[name])}; key prefix: what):", ""]
            lines += [f"- {key[:4]}: {what}"
                      for key, what in list(failures[name].items())[:SHOWN_FAILURES]]
    return lines


def run_check(args, flv, spans, pass_s, work_dir, started):
    """Runs the check and reports it; returns whether it passed."""
    load_before = os.getloadavg()[0]
    n = args.check_drops
    # The loadgen's run: the last stream starts at the ramp's end.
    duration_s = args.check_audio_s + args.ramp_s
    fault_bytes = int(args.fault_after_s * PCM_BYTES_PER_S)
    script_path = os.path.join(work_dir, "script-check.json")
    script = write_script(script_path, spans, pass_s, duration_s + pass_s)
    print(f"resilience check, N={n} ...", file=sys.stderr, flush=True)
    outcome = drive_check(args, flv, n, script_path, fault_bytes, duration_s, work_dir)
    failures = verify_rooms(outcome["keys"], outcome["sessions"], outcome["rooms_of"],
                            outcome["pcm_dir"], outcome["finals"], script)
    check_report(args, check_lines(n, outcome, failures), script, pass_s, fault_bytes, started,
                 load_before)
    return outcome["engine_rc"] == 0 and not any(failures.values())


def check_report(args, lines, script, pass_s, fault_bytes, started, load_before):
    now = datetime.datetime.now()
    fault = ("a close handshake with code 1011" if args.fault == "close"
             else "a TCP cut without a close frame")
    text = "\n".join([
        f"# Transcription resilience check, {now:%Y-%m-%d %H:%M}",
        "",
        f"{environment()}; source {revision()}; load average {load_before:.2f} before the "
        f"run. {args.check_drops} rooms publish the looped {SAMPLE_S} s speech sample for "
        f"{args.check_audio_s:g} s each (starts spread over {args.ramp_s:g} s) into one engine "
        f"process that transcribes through gladia-emulator and writes each stream to --pcm-dir. "
        f"The emulator breaks every session's connection once, with {fault}, when the session "
        f"holds {fault_bytes} B ({args.fault_after_s:g} s) of audio. When the load generator "
        f"ends, the engine gets SIGTERM and waits for Gladia's post-processing. Then, per room: "
        f"the emulator's session (found by the room in its custom metadata), its audio "
        f"sha256 against the --pcm-dir file, its reconnects, and the finals in the transcripts "
        f"file: the script's utterances whose start the session's audio reached, each once. "
        f"Whole run {time.monotonic() - started:.0f} s.",
        "",
        f"Emulator script, per session, repeated every {pass_s:.3f} s: "
        f"{script_note(script, pass_s)}.",
        "",
        *lines,
        "",
    ])
    publish(args.out_dir, "stt-check", text)


# --- main -----------------------------------------------------------------------

def main():
    args = parse_args()
    started = time.monotonic()
    raise_file_limit()
    require_executables([args.bin, args.loadgen, args.emulator], "bench/run_stt_bench.sh")
    with scratch_dir(args.keep_work) as work_dir:
        flv = make_sample(work_dir)
        spans, pass_s = speech_spans(flv)
        if not args.check_drops:
            run_bench(args, flv, spans, pass_s, work_dir, started)
            return
        passed = run_check(args, flv, spans, pass_s, work_dir, started)
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()
