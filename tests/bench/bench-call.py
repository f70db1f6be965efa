#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Call benchmark: Confab (confab-cli) side by side with baresip on the same
machine, same codec (Opus 48 kHz, 20 ms, plain RTP), everything on
127.0.0.1. Prints figures; it is not a pass/fail test.

  bench-call.py [--cli PATH] [--seconds 20] [--setup-calls 3] [--runs 1]

What is measured, and how:

CPU   CPU seconds per minute of call for each end, from utime+stime in
      /proc/PID/stat (all threads), sampled over the steady part of a call
      (from 2 s after it is established to 1 s before the hang-up) and
      scaled to 60 s. Each end plays a WAV file as its microphone and writes
      what it hears to a WAV file (Confab: --play/--record; baresip: aufile
      source, sndfile dumps); neither drives a sound card.

SETUP From the INVITE on the wire to the first RTP packet on the wire in
      each direction; "audio flowing" is the later of the two. Packets are
      captured on the loopback interface (AF_PACKET, needs CAP_NET_RAW);
      without it, from the clients' own events (Confab: "calling" to
      "established"; baresip: ctrl_tcp dial to CALL_RTPESTAB, the first RTP
      packet received), marked "events". Median of --setup-calls calls.

DELAY Mouth-to-ear: the played WAV holds short 2 kHz clicks (4 ms) once a
      second; a click's onset in the other side's recording, minus its
      position in the played file. Confab's recording and its played file
      share one time origin (both on the pipeline's running time), so for
      Confab<->Confab the two directions' offsets add up to the true round
      trip whatever the gap between the two ends' start times; one-way =
      round trip / 2. baresip 1.0.0 has no paced file player, so baresip is
      measured as an echo (aubridge: what it plays goes back into its
      microphone, paced like a sound card): Confab -> baresip -> Confab
      round trip R; Confab<->baresip one-way = R / 2; baresip<->baresip
      one-way = R - Confab's one-way (derived; Confab's share cancels).
      Confab's WAV places each received sample at its arrival time, which is
      what a speaker would get only after the pipeline latency (the
      jitter buffer's CONFAB_RTP_AUDIO_JITTER_MS): the table shows both
      "to WAV" and "to speaker" (= to WAV + that latency on Confab's ears).
      Neither side's figure includes a sound card's own buffers.
"""

import argparse
import json
import math
import os
import re
import shutil
import signal
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
import wave

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "peers"))
import baresip_peer  # noqa: E402
from baresip_peer import BaresipPeer  # noqa: E402

RATE = 48000
CLK_TCK = os.sysconf("SC_CLK_TCK")
CLICK_HZ = 2000
CLICK_MS = 4

children = []


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# --- audio files -------------------------------------------------------------

def write_wav(path, samples, rate=RATE):
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(struct.pack("<%dh" % len(samples), *samples))


def tone(freq, seconds, amplitude=0.3):
    step = 2 * math.pi * freq / RATE
    return [int(amplitude * 32767 * math.sin(step * i)) for i in range(int(seconds * RATE))]


def clicks(seconds, first, every=1.0, amplitude=0.8):
    """Silence with a Hann-windowed 2 kHz burst at first, first+every, …"""
    out = [0] * int(seconds * RATE)
    n = int(RATE * CLICK_MS / 1000)
    burst = [int(amplitude * 32767 * math.sin(2 * math.pi * CLICK_HZ * i / RATE) *
                 0.5 * (1 - math.cos(2 * math.pi * i / (n - 1)))) for i in range(n)]
    positions = []
    t = first
    while t + 1.0 < seconds:
        start = int(t * RATE)
        out[start:start + n] = burst
        positions.append(t)
        t += every
    return out, positions


def read_wav(path):
    with wave.open(path, "rb") as w:
        rate, channels, width = w.getframerate(), w.getnchannels(), w.getsampwidth()
        raw = w.readframes(w.getnframes())
    if width != 2:
        raise ValueError("expected 16-bit samples")
    return rate, struct.unpack("<%dh" % (len(raw) // 2), raw)[::channels]


def click_onset(samples, rate, lo, hi):
    """Time of the first sample above 30 % of the loudest one in [lo, hi) s."""
    a, b = max(0, int(lo * rate)), min(len(samples), int(hi * rate))
    if b <= a:
        return None
    window = [abs(x) for x in samples[a:b]]
    peak = max(window)
    if peak < 0.05 * 32767:
        return None
    threshold = 0.3 * peak
    for i, x in enumerate(window):
        if x >= threshold:
            return (a + i) / float(rate)
    return None


def click_delays(path, positions, lo, hi):
    rate, samples = read_wav(path)
    out = []
    for p in positions:
        t = click_onset(samples, rate, p + lo, p + hi)
        if t is not None:
            out.append(t - p)
    return out


# --- processes ---------------------------------------------------------------

def cpu_seconds(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / float(CLK_TCK)


class ConfabEnd:
    """One confab-cli process; its JSON events with arrival times."""

    def __init__(self, cli, args):
        self.proc = subprocess.Popen([cli, "--bind", "127.0.0.1", "--json"] + args,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True, preexec_fn=baresip_peer.die_with_parent)
        children.append(self.proc)
        self.pid = self.proc.pid
        self.events = []
        self.cond = threading.Condition()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.err = []
        threading.Thread(target=lambda: self.err.extend(self.proc.stderr), daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            try:
                ev = json.loads(line)
            except ValueError:
                continue
            ev["_t"] = time.monotonic()
            with self.cond:
                self.events.append(ev)
                self.cond.notify_all()

    def wait(self, pred, timeout):
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for ev in self.events:
                    if pred(ev):
                        return ev
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self.cond.wait(left)

    def wait_state(self, state, timeout=15):
        return self.wait(lambda e: e.get("event") == "call" and e.get("state") == state,
                         timeout)

    def finish(self, timeout=30):
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.reader.join(2)


class BaresipEnd:
    def __init__(self, work, name, source=None, echo=False):
        self.peer = BaresipPeer(os.path.join(work, name), source, user=name,
                                codecs="opus/48000/2", echo=echo, lifetime=600)
        self.peer.start()
        self.pid = self.peer.proc.pid

    def stop(self):
        self.peer.stop()


# --- packet capture on lo ----------------------------------------------------

class Capture:
    """UDP packets on the loopback interface with their arrival times."""

    def __init__(self):
        self.packets = []
        self.sock = None
        self.running = False
        try:
            self.sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.ntohs(0x0003))
            self.sock.bind(("lo", 0))
            self.sock.settimeout(0.2)
        except (OSError, AttributeError):
            self.sock = None

    @property
    def available(self):
        return self.sock is not None

    def start(self):
        self.packets = []
        self.running = True
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def stop(self):
        self.running = False
        self.thread.join(2)

    def _run(self):
        while self.running:
            try:
                data, addr = self.sock.recvfrom(65535)
            except socket.timeout:
                continue
            except OSError:
                break
            t = time.monotonic()
            if addr[2] == socket.PACKET_OUTGOING or len(data) < 14 + 20 + 8:
                continue
            if data[12:14] != b"\x08\x00":
                continue
            ip = data[14:]
            ihl = (ip[0] & 0x0F) * 4
            if ip[9] != 17:
                continue
            udp = ip[ihl:]
            sport, dport = struct.unpack("!HH", udp[:4])
            self.packets.append((t, sport, dport, bytes(udp[8:])))

    def setup_times(self, callee_sip_port):
        """(INVITE→200, INVITE→RTP callee→caller, INVITE→RTP caller→callee) in ms."""
        invite = ok = None
        caller_rtp = callee_rtp = None
        for t, sport, dport, payload in self.packets:
            if invite is None and dport == callee_sip_port and payload.startswith(b"INVITE "):
                invite = t
                caller_rtp = sdp_audio_port(payload)
            elif (invite is not None and ok is None and sport == callee_sip_port and
                  payload.startswith(b"SIP/2.0 200") and
                  re.search(rb"(?im)^CSeq:\s*\d+\s+INVITE", payload)):
                ok = t
                callee_rtp = sdp_audio_port(payload)
        if invite is None or ok is None or not caller_rtp or not callee_rtp:
            return None
        to_caller = to_callee = None
        for t, sport, dport, payload in self.packets:
            if t < invite or not is_rtp(payload):
                continue
            if to_caller is None and sport == callee_rtp and dport == caller_rtp:
                to_caller = t
            if to_callee is None and sport == caller_rtp and dport == callee_rtp:
                to_callee = t
        if to_caller is None or to_callee is None:
            return None
        return tuple(1000 * (x - invite) for x in (ok, to_caller, to_callee))


def sdp_audio_port(sip):
    m = re.search(rb"(?m)^m=audio (\d+) ", sip)
    return int(m.group(1)) if m else None


def is_rtp(payload):
    # version 2, and not RTCP (payload types 200–204 fold to 72–76)
    return len(payload) >= 12 and payload[0] >> 6 == 2 and not 72 <= (payload[1] & 0x7F) <= 76


# --- one call between two ends -------------------------------------------------

class Call:
    """caller/callee: "confab" or "baresip". Returns what was measured."""

    def __init__(self, opts, work, caller, callee, seconds, tag, cpu=False, capture=None,
                 play=None, echo=False):
        self.opts, self.work = opts, work
        self.caller_kind, self.callee_kind = caller, callee
        self.seconds, self.tag, self.cpu, self.capture = seconds, tag, cpu, capture
        self.play = play or {}
        self.echo = echo
        self.result = {}

    def path(self, what):
        return os.path.join(self.work, "%s-%s.wav" % (self.tag, what))

    def run(self):
        opts, work = self.opts, self.work
        confab_args = ["--codecs", "opus", "--srtp", "off"]
        callee = caller = None
        try:
            # the callee first
            if self.callee_kind == "confab":
                callee = ConfabEnd(opts.cli, ["--local-port", "0", "listen", "--auto-answer",
                                              "--calls", "1", "--play",
                                              self.play.get("callee", opts.tone_b),
                                              "--record", self.path("callee")] + confab_args)
                ev = callee.wait(lambda e: e.get("event") == "listening", 15)
                if not ev:
                    raise RuntimeError("confab-cli listen did not start: %s" %
                                       "".join(callee.err)[-500:])
                target = ev["contact"]
                sip_port = int(target.rsplit(":", 1)[1].split(";")[0])
            else:
                callee = BaresipEnd(work, self.tag + "-callee",
                                    self.play.get("callee", opts.tone_b_path), echo=self.echo)
                target = callee.peer.uri
                sip_port = callee.peer.sip_port

            if self.capture:
                self.capture.start()
            # then the caller
            if self.caller_kind == "confab":
                caller = ConfabEnd(opts.cli, ["--local-port", "0", "call", target, "--play",
                                              self.play.get("caller", opts.tone_a),
                                              "--record", self.path("caller"),
                                              "--duration", str(self.seconds)] + confab_args)
                calling = caller.wait_state("calling")
                est = caller.wait_state("established")
                if not est:
                    raise RuntimeError("the call was not established: %s" %
                                       "".join(caller.err)[-500:])
                self.result["events_ms"] = est["elapsed_ms"] - calling["elapsed_ms"]
                t_est = est["_t"]
            else:
                caller = BaresipEnd(work, self.tag + "-caller",
                                    self.play.get("caller", opts.tone_a_path))
                t_dial = time.monotonic()
                caller.peer.dial(target)
                est = caller.peer.wait_event("CALL_ESTABLISHED", 15)
                if not est:
                    raise RuntimeError("baresip's call was not established: " +
                                       caller.peer.log_tail(800))
                rtp = caller.peer.wait_event("CALL_RTPESTAB", 5)
                self.result["events_ms"] = 1000 * ((rtp or est)["_t"] - t_dial)
                t_est = est["_t"]

            if self.cpu:
                t0 = t_est + 2.0
                t1 = t_est + self.seconds - 1.0
                time.sleep(max(0.0, t0 - time.monotonic()))
                c0 = (cpu_seconds(caller.pid), cpu_seconds(callee.pid), time.monotonic())
                time.sleep(max(0.0, t1 - time.monotonic()))
                c1 = (cpu_seconds(caller.pid), cpu_seconds(callee.pid), time.monotonic())
                span = c1[2] - c0[2]
                if None not in c0 and None not in c1 and span > 0:
                    self.result["cpu_caller"] = (c1[0] - c0[0]) * 60.0 / span
                    self.result["cpu_callee"] = (c1[1] - c0[1]) * 60.0 / span

            # the hang-up: confab's --duration, or baresip's ctrl_tcp hangup
            if self.caller_kind == "confab":
                caller.finish(self.seconds + 20)
            else:
                time.sleep(max(0.0, t_est + self.seconds - time.monotonic()))
                caller.peer.hangup()
                caller.peer.wait_event("CALL_CLOSED", 5)
            if self.callee_kind == "confab":
                callee.finish(20)
            else:
                callee.peer.wait_event("CALL_CLOSED", 5)
            time.sleep(0.2)
        finally:
            if self.capture and self.capture.running:
                self.capture.stop()
            for end in (caller, callee):
                if isinstance(end, BaresipEnd):
                    end.stop()
                elif isinstance(end, ConfabEnd) and end.proc.poll() is None:
                    end.proc.kill()
                    end.proc.wait()
        if self.capture:
            self.result["wire_ms"] = self.capture.setup_times(sip_port)
        for side, end in (("caller", caller), ("callee", callee)):
            if isinstance(end, BaresipEnd):
                self.result[side + "_rec"] = end.peer.recording("dec")
            else:
                self.result[side + "_rec"] = self.path(side)
        return self.result


def jitter_latency_ms():
    """CONFAB_RTP_AUDIO_JITTER_MS from the source tree (60 when not found)."""
    header = os.path.join(HERE, "..", "..", "src", "core", "media",
                          "confab-rtp-audio-private.h")
    try:
        with open(header) as f:
            m = re.search(r"#define\s+CONFAB_RTP_AUDIO_JITTER_MS\s+(\d+)", f.read())
    except OSError:
        m = None
    return int(m.group(1)) if m else 60


PAIRS = [("confab", "confab"), ("baresip", "baresip"), ("confab", "baresip"),
         ("baresip", "confab")]
NAMES = {"confab": "Confab", "baresip": "baresip"}


def pair_name(caller, callee):
    return "%s -> %s" % (NAMES[caller], NAMES[callee])


def fmt(x, spec="%.2f"):
    return "n/a" if x is None else spec % x


def median(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def bench_once(opts, work, run_no):
    capture = Capture() if not opts.no_capture else None
    if capture and not capture.available:
        log("# no packet capture on lo (needs CAP_NET_RAW): set-up times from events")
        capture = None

    cpu = {}
    for caller, callee in PAIRS:
        log("# CPU: %s, %d s call" % (pair_name(caller, callee), opts.seconds))
        try:
            cpu[(caller, callee)] = Call(opts, work, caller, callee, opts.seconds,
                                         "r%d-cpu-%s-%s" % (run_no, caller, callee),
                                         cpu=True).run()
        except (RuntimeError, baresip_peer.BaresipError) as e:
            log("#   failed: %s" % e)
            cpu[(caller, callee)] = {}

    setup = {}
    for caller, callee in PAIRS:
        log("# set-up: %s, %d calls" % (pair_name(caller, callee), opts.setup_calls))
        wire, events = [], []
        for i in range(opts.setup_calls):
            try:
                r = Call(opts, work, caller, callee, 1, "r%d-setup-%s-%s-%d" %
                         (run_no, caller, callee, i), capture=capture).run()
            except (RuntimeError, baresip_peer.BaresipError) as e:
                log("#   failed: %s" % e)
                continue
            events.append(r.get("events_ms"))
            if r.get("wire_ms"):
                wire.append(r["wire_ms"])
        setup[(caller, callee)] = {
            "ok": median([w[0] for w in wire]),
            "to_caller": median([w[1] for w in wire]),
            "to_callee": median([w[2] for w in wire]),
            "flowing": median([max(w[1], w[2]) for w in wire]),
            "events": median(events),
        }

    delay = {}
    log("# mouth-to-ear: Confab <-> Confab, %d s" % opts.delay_seconds)
    try:
        r = Call(opts, work, "confab", "confab", opts.delay_seconds, "r%d-delay-cc" % run_no,
                 play={"caller": opts.clicks_a, "callee": opts.clicks_b}).run()
        ab = click_delays(r["callee_rec"], opts.clicks_a_pos, -0.45, 0.55)
        ba = click_delays(r["caller_rec"], opts.clicks_b_pos, -0.45, 0.55)
        if ab and ba:
            delay["cc"] = (statistics.median(ab) + statistics.median(ba)) * 1000 / 2
            delay["cc_n"] = min(len(ab), len(ba))
    except (RuntimeError, OSError, ValueError, EOFError, wave.Error) as e:
        log("#   failed: %s" % e)
    log("# mouth-to-ear: Confab -> baresip (echo) -> Confab, %d s" % opts.delay_seconds)
    try:
        r = Call(opts, work, "confab", "baresip", opts.delay_seconds, "r%d-delay-cb" % run_no,
                 play={"caller": opts.clicks_a}, echo=True).run()
        rt = click_delays(r["caller_rec"], opts.clicks_a_pos, 0.005, 0.95)
        if rt:
            delay["rt"] = statistics.median(rt) * 1000
            delay["rt_n"] = len(rt)
    except (RuntimeError, OSError, ValueError, EOFError, wave.Error,
            baresip_peer.BaresipError) as e:
        log("#   failed: %s" % e)
    return cpu, setup, delay, capture is not None


def print_tables(run_no, cpu, setup, delay, wire, opts):
    print()
    print("Run %d — Opus 48 kHz, 20 ms, plain RTP, 127.0.0.1, %d CPU(s), load %s" %
          (run_no, os.cpu_count() or 0, " ".join("%.2f" % x for x in os.getloadavg())))
    print()
    print("(a) CPU seconds per minute of call (%d s calls, steady part)" % opts.seconds)
    print("    %-22s %10s %10s" % ("caller -> callee", "caller", "callee"))
    for pair in PAIRS:
        r = cpu.get(pair, {})
        print("    %-22s %10s %10s" % (pair_name(*pair), fmt(r.get("cpu_caller")),
                                       fmt(r.get("cpu_callee"))))
    print()
    if wire:
        print("(b) Call set-up on loopback, ms from the INVITE on the wire (median of %d)" %
              opts.setup_calls)
        print("    %-22s %8s %14s %14s %9s" % ("caller -> callee", "200 OK", "RTP to caller",
                                               "RTP to callee", "flowing"))
        for pair in PAIRS:
            s = setup[pair]
            print("    %-22s %8s %14s %14s %9s" % (pair_name(*pair), fmt(s["ok"], "%.1f"),
                                                   fmt(s["to_caller"], "%.1f"),
                                                   fmt(s["to_callee"], "%.1f"),
                                                   fmt(s["flowing"], "%.1f")))
    print("    %s" % ("client events, ms (Confab: calling -> established; baresip: dial -> "
                      "first RTP in)" if wire else "(b) Call set-up from client events, ms "
                      "(Confab: calling -> established; baresip: dial -> first RTP in)"))
    for pair in PAIRS:
        print("    %-22s %8s" % (pair_name(*pair), fmt(setup[pair]["events"], "%.1f")))
    print()
    cc = delay.get("cc")
    rt = delay.get("rt")
    lat = opts.rx_latency_ms
    print("(c) Mouth-to-ear delay, one way, ms (median over %s clicks)" %
          fmt(min(delay.get("cc_n", 0), delay.get("rt_n", 0)), "%d"))
    print("    %-36s %8s %12s" % ("", "to WAV", "to speaker*"))
    print("    %-36s %8s %12s" % ("Confab <-> Confab (measured)", fmt(cc, "%.0f"),
                                  fmt(cc + lat if cc is not None else None, "%.0f")))
    print("    %-36s %8s %12s" % ("Confab <-> baresip (round trip / 2)",
                                  fmt(rt / 2 if rt is not None else None, "%.0f"),
                                  fmt((rt + lat) / 2 if rt is not None else None, "%.0f")))
    bb = rt - cc if rt is not None and cc is not None else None
    print("    %-36s %8s %12s" % ("baresip <-> baresip (derived)", fmt(bb, "%.0f"),
                                  fmt(bb, "%.0f")))
    print("    Confab -> baresip (echo) -> Confab round trip: %s ms" % fmt(rt, "%.0f"))
    print("    * Confab's WAV ear places each sample at its arrival time (its buffer time");
    print("      stamp); a speaker would play it after the pipeline latency, the %d ms of" % lat)
    print("      rtpbin's jitter buffer (CONFAB_RTP_AUDIO_JITTER_MS). baresip's ear is paced")
    print("      in real time (aubridge), so its figures already hold its buffers.")
    sys.stdout.flush()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cli", default=os.environ.get("CONFAB_CLI"),
                    help="confab-cli to run (default: $CONFAB_CLI)")
    ap.add_argument("--seconds", type=int, default=20, help="length of the CPU calls")
    ap.add_argument("--setup-calls", type=int, default=3, help="calls per pair for set-up")
    ap.add_argument("--delay-seconds", type=int, default=10, help="length of the delay calls")
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--no-capture", action="store_true", help="set-up times from events only")
    ap.add_argument("--keep", action="store_true", help="keep the work directory")
    opts = ap.parse_args()
    if not opts.cli:
        ap.error("no confab-cli: pass --cli or set CONFAB_CLI")
    why = baresip_peer.missing()
    if why:
        print("bench-call: " + why, file=sys.stderr)
        return 1
    opts.seconds = max(opts.seconds, 5)
    opts.rx_latency_ms = jitter_latency_ms()

    work = tempfile.mkdtemp(prefix="confab-bench-")
    length = max(opts.seconds, opts.delay_seconds) + 15
    opts.tone_a = opts.tone_a_path = os.path.join(work, "tone-a.wav")
    opts.tone_b = opts.tone_b_path = os.path.join(work, "tone-b.wav")
    write_wav(opts.tone_a, tone(1000, length))
    write_wav(opts.tone_b, tone(1800, length))
    opts.clicks_a = os.path.join(work, "clicks-a.wav")
    opts.clicks_b = os.path.join(work, "clicks-b.wav")
    samples, opts.clicks_a_pos = clicks(opts.delay_seconds + 10, 2.0)
    write_wav(opts.clicks_a, samples)
    samples, opts.clicks_b_pos = clicks(opts.delay_seconds + 10, 2.5)
    write_wav(opts.clicks_b, samples)
    # only the clicks inside the call (it is answered within a second)
    opts.clicks_a_pos = [p for p in opts.clicks_a_pos if p < opts.delay_seconds - 0.5]
    opts.clicks_b_pos = [p for p in opts.clicks_b_pos if p < opts.delay_seconds - 0.5]

    try:
        for run_no in range(1, opts.runs + 1):
            cpu, setup, delay, wire = bench_once(opts, work, run_no)
            print_tables(run_no, cpu, setup, delay, wire, opts)
    finally:
        for proc in children:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        if opts.keep:
            log("# files kept in " + work)
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


def on_signal(signum, frame):
    # a SIGTERM unwinds, so the finally blocks stop baresip and confab-cli
    raise SystemExit(128 + signum)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    sys.exit(main())
