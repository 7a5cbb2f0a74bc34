#!/usr/bin/env python3
"""Participant benchmark: rooms × speakers taken as a hidden WebRTC participant
(no egress: Opus RTP over webrtcbin, libopus decode) against the same rooms by
Track Egress (raw PCM over WebSocket), side by side in one run.

Everything runs on 127.0.0.1 and stops by itself. For each rooms × speakers
configuration and each method, a fresh `livekit-fake` holds the rooms (every
speaker speaks the same espeak-ng sample, looped), and `roomscribe --no-gui
--auto --method M` takes them, ingest only (no Gladia: what is measured is
getting each speaker's audio, which is what the two methods do differently).
Over a steady window, once every track's stream moves: roomscribe's CPU (per
track, in % of one core), its RSS (and per room, over an idle engine's), how
much audio came out against real time, and the fake's CPU apart (it plays the
SFU, or the egresses). Prints Markdown and writes
bench/results/participant-<date>.md.

Python 3 standard library only.
"""

import argparse
import datetime
import os
import sys
import time

from benchlib import (ROOT, Child, JsonLines, environment, fmt, publish, quiet_warning,
                      raise_file_limit, require_executables, revision, rss_kib, scratch_dir,
                      status_kib, machine_busy_s, cpu_s)
from console_bench import (LIVEKIT_KEY, LiveKitFake, make_wav, stop_engine,
                           wait_until)

METHODS = ("participant", "track")
# A stream keeps up when it delivered at least this share of real time.
KEPT_UP = 0.97


def parse_args():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    build = os.path.join(ROOT, "build")
    p.add_argument("--bin", default=os.environ.get("ROOMSCRIBE_BIN",
                                                   os.path.join(build, "app/roomscribe")))
    p.add_argument("--livekit-fake",
                   default=os.path.join(build, "tests/fakes/livekit/livekit-fake"))
    p.add_argument("--rooms", default="1,4,8",
                   help="comma-separated room counts (each with --speakers speakers)")
    p.add_argument("--speakers", type=int, default=3, help="speakers per room")
    p.add_argument("--window-s", type=float, default=20, help="steady measurement window")
    p.add_argument("--settle-s", type=float, default=3)
    p.add_argument("--start-timeout-s", type=float, default=60,
                   help="longest wait for every track to flow; then measured as they are")
    p.add_argument("--out-dir", default=os.path.join(ROOT, "bench/results"))
    p.add_argument("--keep-work", action="store_true")
    args = p.parse_args()
    args.room_counts = [int(n) for n in args.rooms.split(",") if n.strip()]
    if not args.room_counts or min(args.room_counts) < 1 or args.speakers < 1:
        p.error("--rooms and --speakers want positive numbers")
    return args


def engine_env(fake, work_dir, label):
    """Own XDG dirs (no saved settings, ledger or store), the fake's LiveKit
    credentials, no Gladia key: ingest only."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("LIVEKIT_", "GLADIA_", "XDG_", "QT_", "RTMP_"))}
    for kind in ("CONFIG", "DATA", "STATE", "RUNTIME"):
        path = os.path.join(work_dir, f"xdg-{label}", kind.lower())
        os.makedirs(path, mode=0o700, exist_ok=True)
        env[f"XDG_{kind}_DIR" if kind == "RUNTIME" else f"XDG_{kind}_HOME"] = path
    if fake:
        env.update(fake.engine_env())
    else:
        env.update({"LIVEKIT_API_KEY": LIVEKIT_KEY, "LIVEKIT_API_SECRET": "unused"})
    env.update({"LANGUAGE": "en", "LC_ALL": "C.UTF-8"})
    return env


def streams_of(line):
    return line.get("stream_details", [])


def audio_s(line):
    return sum(s.get("audio_s", 0.0) for s in streams_of(line))


def flowing(lines, tracks):
    """Every track has a stream whose audio grew between the last two lines."""
    if len(lines) < 2:
        return False
    before = {s["key"]: s.get("audio_s", 0.0) for s in streams_of(lines[-2])}
    grew = [s for s in streams_of(lines[-1]) if s.get("audio_s", 0.0) > before.get(s["key"], 0.0)]
    return len(grew) >= tracks


def rooms_running(line, method):
    return sum(r.get("phase") == "running" and r.get("method") == method
               for r in line.get("livekit", {}).get("rooms", []))


def run(args, method, rooms, wav, work_dir):
    """One engine taking `rooms` rooms by `method`, measured over the window."""
    label = f"{method}-{rooms}"
    tracks = rooms * args.speakers
    limit_s = args.start_timeout_s + args.settle_s + args.window_s + 90
    fake = LiveKitFake(args, rooms, wav, limit_s, work_dir, label, speakers=args.speakers)
    with fake:
        argv = [args.bin, "--no-gui", "--stats", "1", "--stats-streams", "--livekit-url",
                fake.url, "--auto", "--method", method, "--egress-limit", str(tracks),
                "--rtmp-listen", "127.0.0.1:0", "--ws-listen", "127.0.0.1:0",
                "--livekit-poll-s", "1", "--no-db"]
        engine = Child(f"roomscribe-{label}", argv, limit_s, work_dir,
                       engine_env(fake, work_dir, label))
        pid = None
        try:
            out = JsonLines(engine)
            pid = engine.pid
            ramp_s = wait_until(lambda: flowing(out.of_type("stats"), tracks),
                                args.start_timeout_s, [engine])
            time.sleep(args.settle_s)
            t0, cpu0, fake0, busy0 = time.monotonic(), cpu_s(pid), cpu_s(fake.child.pid), \
                machine_busy_s()
            time.sleep(args.window_s)
            t1, cpu1, fake1, busy1 = time.monotonic(), cpu_s(pid), cpu_s(fake.child.pid), \
                machine_busy_s()
            span = t1 - t0
            window = out.of_type("stats", t0 - 1.5, t1 + 1.5)
            audio_ratio = ((audio_s(window[-1]) - audio_s(window[0]))
                           / (tracks * max(1e-9, window[-1]["uptime_s"] - window[0]["uptime_s"]))
                           if len(window) >= 2 else 0.0)
            cores = (cpu1 - cpu0) / span
            fake_cores = (fake1 - fake0) / span
            return {
                "method": method, "rooms": rooms, "tracks": tracks, "ramp_s": ramp_s,
                "cores": cores, "per_track": cores / tracks, "fake_cores": fake_cores,
                "other_cores": max(0.0, (busy1 - busy0) / span - cores - fake_cores),
                "rss_kib": rss_kib(pid), "hwm_kib": status_kib(pid, "VmHWM"),
                "audio_ratio": audio_ratio,
                "running": rooms_running(window[-1], method) if window else 0,
                "egresses": fake.egresses()["active_count"],
                "log": engine.log_path,
            }
        finally:
            stop_engine(pid, engine)


def idle_rss(args, work_dir):
    """An engine with LiveKit control and nothing to take: the baseline RSS."""
    fake = LiveKitFake(args, 0, "", 60, work_dir, "idle")
    with fake:
        engine = Child("roomscribe-idle", [args.bin, "--no-gui", "--stats", "1",
                                           "--livekit-url", fake.url, "--auto",
                                           "--rtmp-listen", "127.0.0.1:0", "--ws-listen",
                                           "127.0.0.1:0", "--no-db"], 60, work_dir,
                       engine_env(fake, work_dir, "idle"))
        pid = None
        try:
            out = JsonLines(engine)
            pid = engine.pid
            wait_until(lambda: len(out.of_type("stats")) >= 3, 30, [engine])
            return rss_kib(pid)
        finally:
            stop_engine(pid, engine)


def mib(kib):
    return kib / 1024.0


def report(args, runs, idle_kib, started):
    lines = [
        "# Participant benchmark: hidden WebRTC participant vs Track Egress",
        "",
        f"- {started:%Y-%m-%d %H:%M} UTC, {environment()}, revision {revision()}",
        f"- {args.speakers} speakers per room, each speaking the same espeak-ng sample; "
        f"window {args.window_s:g} s after {args.settle_s:g} s settling; ingest only",
        f"- command: `bench/run_participant_bench.sh {' '.join(sys.argv[1:])}`".rstrip(),
        f"- idle engine (LiveKit control, no rooms): RSS {fmt(mib(idle_kib), 1)} MiB",
        "",
        "| method | rooms × speakers | tracks | engine cores | % core per track | "
        "RSS MiB | RSS per room MiB | audio / real time | rooms running | egresses | "
        "fake cores | ramp s |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in runs:
        per_room = (mib(r["rss_kib"]) - mib(idle_kib)) / r["rooms"]
        lines.append(
            f"| {r['method']} | {r['rooms']} × {args.speakers} | {r['tracks']} | "
            f"{fmt(r['cores'], 3)} | {fmt(100 * r['per_track'], 2)} | "
            f"{fmt(mib(r['rss_kib']), 1)} | {fmt(per_room, 2)} | {fmt(r['audio_ratio'], 3)} | "
            f"{r['running']} / {r['rooms']} | {r['egresses']} | {fmt(r['fake_cores'], 2)} | "
            f"{fmt(r['ramp_s'], 1) if r['ramp_s'] is not None else 'timeout'} |")
    lines += ["", "Streams per core at this CPU per track (engine alone, ingest): " + ", ".join(
        f"{r['method']} {fmt(1 / r['per_track'], 0) if r['per_track'] > 0 else '∞'}"
        for r in runs if r["rooms"] == max(args.room_counts))]
    kept = [r for r in runs if r["audio_ratio"] < KEPT_UP]
    lines += ["", "Every configuration kept up (≥ 97 % of real time per track)." if not kept
              else "Did not keep up: " + ", ".join(f"{r['method']} {r['rooms']} rooms"
                                                    for r in kept)]
    lines += [""] + quiet_warning(runs)
    lines += ["", "The fake's CPU is the SFU's (webrtcbin Opus senders, one "
              "PeerConnection per subscriber) or the egresses' (PCM over WebSocket): "
              "LiveKit's cost, not Roomscribe's; shown to explain the machine's load."]
    return "\n".join(lines) + "\n"


def main():
    args = parse_args()
    require_executables([args.bin, args.livekit_fake], "bench/run_participant_bench.sh")
    raise_file_limit()
    started = datetime.datetime.now(datetime.timezone.utc)
    with scratch_dir(args.keep_work) as work_dir:
        _, wav = make_wav(work_dir, args.start_timeout_s + args.settle_s + args.window_s + 30)
        idle_kib = idle_rss(args, work_dir)
        runs = []
        for rooms in args.room_counts:
            for method in METHODS:
                r = run(args, method, rooms, wav, work_dir)
                print(f"{method} {rooms} rooms: {fmt(r['cores'], 3)} cores, "
                      f"audio {fmt(r['audio_ratio'], 3)}", file=sys.stderr)
                runs.append(r)
        publish(args.out_dir, "participant", report(args, runs, idle_kib, started))
    return 0 if all(r["audio_ratio"] >= KEPT_UP for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
