#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Audio calls between two real confab-cli processes on 127.0.0.1, directly
(local accounts) and through a real Kamailio (registered accounts).

Each side plays its own tone (caller 1000 Hz, callee 1800 Hz) and records
what it hears; a Goertzel detector checks that each recording holds the
peer's tone, not its own, for about the call's length. TAP output."""

import json
import math
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import wave

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from confab_audio import write_tone, read_wav, goertzel_power, events, wait_listening  # noqa: E402,E501

CLI = os.environ["CONFAB_CLI"]
PEER = os.environ["CONFAB_KAMAILIO_PEER"]
CALL_SECONDS = 3

results = []


def tap(ok, what):
    results.append(ok)
    print(("ok" if ok else "not ok") + " %d - %s" % (len(results), what), flush=True)
    return ok


def free_udp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_turn(work):
    """A real TURN server (coturn) on 127.0.0.1 with one long-term user."""
    exe = shutil.which("turnserver")
    if not exe:
        return None, None
    port = free_udp_port()
    relay = free_udp_port()
    log = open(os.path.join(work, "turnserver.log"), "w")
    proc = subprocess.Popen(
        [exe, "-n", "--listening-ip", "127.0.0.1", "--relay-ip", "127.0.0.1",
         "--listening-port", str(port), "--min-port", str(relay), "--max-port", str(relay + 20),
         "--no-tls", "--no-dtls", "--no-tcp-relay", "--lt-cred-mech", "--user", "alice:secret",
         "--realm", "confab.test", "--allow-loopback-peers", "--no-cli",
         "--pidfile", os.path.join(work, "turnserver.pid"), "--log-file", "stdout",
         "--simple-log"],
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    # ready once it answers a STUN binding request
    request = struct.pack(">HHI12s", 0x0001, 0, 0x2112A442, os.urandom(12))
    deadline = time.time() + 10
    while time.time() < deadline and proc.poll() is None:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.settimeout(0.2)
            try:
                s.sendto(request, ("127.0.0.1", port))
                if s.recv(1500):
                    return proc, port
            except OSError:
                time.sleep(0.1)
    proc.kill()
    return None, None


def tone_report(path, want, unwanted):
    rate, samples = read_wav(path)
    seconds = len(samples) / float(rate)
    # skip the first half second (jitter buffer filling, ringing)
    body = samples[int(rate * 0.5):]
    p_want = goertzel_power(body, rate, want)
    p_other = goertzel_power(body, rate, unwanted)
    return seconds, p_want, p_other


def cli(args, **kw):
    return subprocess.Popen([CLI, "--bind", "127.0.0.1", "--json"] + args,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def call_pair(work, name, caller_extra, callee_extra, target=None, listen_args=None,
              call_args=None):
    """Runs one call; returns (caller rc, caller events, callee events, paths)."""
    tone_a = os.path.join(work, "tone-1000.wav")
    tone_b = os.path.join(work, "tone-1800.wav")
    rec_a = os.path.join(work, name + "-caller.wav")
    rec_b = os.path.join(work, name + "-callee.wav")
    listener = cli((listen_args or ["--local-port", "0"]) +
                   ["listen", "--auto-answer", "--calls", "1", "--play", tone_b,
                    "--record", rec_b] + callee_extra)
    ev, early = wait_listening(listener)
    if not ev:
        listener.kill()
        return None, [], events("".join(early)), (rec_a, rec_b)
    uri = target or ev["contact"]
    caller = cli((call_args or ["--local-port", "0"]) +
                 ["call", uri, "--play", tone_a, "--record", rec_a,
                  "--duration", str(CALL_SECONDS)] + caller_extra)
    out_a, err_a = caller.communicate(timeout=60)
    try:
        out_b, err_b = listener.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        listener.kill()
        out_b, err_b = listener.communicate()
    if err_a.strip():
        print("# caller stderr: " + err_a.strip().replace("\n", "\n# "))
    if err_b.strip():
        print("# callee stderr: " + err_b.strip().replace("\n", "\n# "))
    return caller.returncode, events(out_a), events("".join(early) + out_b), (rec_a, rec_b)


def check_audio_call(work, name, caller_extra=(), callee_extra=(), codec=None, srtp=None, **kw):
    rc, ev_a, ev_b, (rec_a, rec_b) = call_pair(work, name, list(caller_extra),
                                               list(callee_extra), **kw)
    tap(rc == 0, "%s: caller exits 0 (got %s)" % (name, rc))
    est = [e for e in ev_a if e.get("event") == "call" and e.get("state") == "established"]
    tap(bool(est), "%s: the call is established" % name)
    if est and codec:
        tap(est[0].get("codec", "").lower().startswith(codec),
            "%s: negotiated %s (got %s)" % (name, codec, est[0].get("codec")))
    if est and srtp is not None:
        tap(est[0].get("srtp") == srtp, "%s: srtp is %s" % (name, srtp))
    for path, want, other, who in ((rec_a, 1800, 1000, "caller hears the callee"),
                                   (rec_b, 1000, 1800, "callee hears the caller")):
        try:
            seconds, p_want, p_other = tone_report(path, want, other)
        except (OSError, ValueError, EOFError, wave.Error) as e:
            tap(False, "%s: %s (%s)" % (name, who, e))
            continue
        print("# %s %s: %.2f s, tone %.2e, own %.2e" % (name, who, seconds, p_want, p_other))
        tap(p_want > 1e-3 and p_want > 20 * p_other, "%s: %s" % (name, who))
        # the recording stops when the BYE is through: slower under sanitizers
        tap(CALL_SECONDS - 0.6 < seconds < CALL_SECONDS + 1.5,
            "%s: %s for about %d s (%.2f s)" % (name, who, CALL_SECONDS, seconds))
    return ev_a, ev_b


def main():
    work = tempfile.mkdtemp(prefix="confab-call-test-")
    write_tone(os.path.join(work, "tone-1000.wav"), 1000)
    write_tone(os.path.join(work, "tone-1800.wav"), 1800)

    # --- direct calls between local accounts ---------------------------------
    check_audio_call(work, "opus", ["--codecs", "opus"], codec="opus")
    check_audio_call(work, "g722", ["--codecs", "g722"], codec="g722")
    check_audio_call(work, "pcmu", ["--codecs", "pcmu"], codec="pcmu")
    check_audio_call(work, "srtp", ["--srtp", "require"], ["--srtp", "require"], srtp=True)
    check_audio_call(work, "plain-rtp", ["--srtp", "off"], srtp=False)

    # --- DTMF arrives as events, in order ------------------------------------
    ev_a, ev_b = check_audio_call(work, "dtmf", ["--dtmf", "123#"])
    digits = "".join(e["digit"] for e in ev_b if e.get("event") == "dtmf")
    tap(digits == "123#", "dtmf: the callee receives 123# (got %r)" % digits)

    # --- ICE: libnice on 127.0.0.1 only (--bind), host candidates -----------
    for name, caller_extra, callee_extra in (
            ("ice", ["--ice"], []),
            ("ice-pcmu-srtp", ["--ice", "--codecs", "pcmu", "--srtp", "require"],
             ["--srtp", "require"])):
        ev_a, ev_b = check_audio_call(work, name, caller_extra, callee_extra)
        for who, evs in (("caller", ev_a), ("callee", ev_b)):
            est = [e for e in evs if e.get("event") == "call" and e.get("state") == "established"]
            tap(bool(est) and est[0].get("ice") is True, "%s: the %s runs over ICE" % (name, who))
            pairs = [e.get("pair") for e in evs if e.get("event") == "ice" and
                     e.get("state") == "connected"]
            tap("host" in pairs, "%s: the %s's ICE connects on a host pair (%s)" % (name, who, pairs))
            for e in evs:
                if e.get("event") == "ice" and e.get("state") == "failed":
                    tap(False, "%s: the %s's ICE failed" % (name, who))

    # --- ICE with a real TURN server: relayed candidates on both sides -------
    turn, turn_port = start_turn(work)
    tap(turn is not None, "coturn starts on 127.0.0.1 (install coturn)")
    if turn:
        try:
            turn_opt = ["--turn", "turn:alice:secret@127.0.0.1:%d" % turn_port]
            ev_a, ev_b = check_audio_call(work, "ice-turn", ["--ice"], [],
                                          call_args=["--local-port", "0"] + turn_opt,
                                          listen_args=["--local-port", "0"] + turn_opt)
            for who, evs in (("caller", ev_a), ("callee", ev_b)):
                last = [e for e in evs if e.get("event") == "ice"]
                last = last[-1] if last else {}
                tap("relay" in last.get("candidates", []),
                    "ice-turn: the %s gathered a relayed candidate (%s)"
                    % (who, last.get("candidates")))
                tap("relay" in last.get("remote_candidates", []),
                    "ice-turn: the %s got the peer's relayed candidate in SDP (%s)"
                    % (who, last.get("remote_candidates")))
                tap(last.get("state") == "connected", "ice-turn: the %s's ICE connects" % who)
        finally:
            os.killpg(turn.pid, signal.SIGTERM)
            turn.wait(timeout=10)

    # A STUN server that never answers delays the INVITE by the gathering
    # limit (3 s), no more; the call goes on with host candidates.
    ev_a, ev_b = check_audio_call(work, "ice-dead-stun", ["--ice"], [],
                                  call_args=["--local-port", "0", "--stun",
                                             "127.0.0.1:%d" % free_udp_port()])
    est = [e for e in ev_a if e.get("event") == "call" and e.get("state") == "established"]
    tap(bool(est) and est[0].get("elapsed_ms", 99999) < 6000,
        "ice-dead-stun: established within the gathering limit (%s ms)"
        % (est[0].get("elapsed_ms") if est else None))

    # An answerer without ICE: the offerer falls back to plain RTP on the
    # ports its offer named (RFC 8445 section 5.3.1: no ICE attributes).
    ev_a, ev_b = check_audio_call(work, "ice-refused", ["--ice"], ["--no-ice"])
    est = [e for e in ev_a if e.get("event") == "call" and e.get("state") == "established"]
    tap(bool(est) and est[0].get("ice") is False, "ice-refused: the caller falls back to plain RTP")

    # --- rejection ----------------------------------------------------------
    rc, ev_a, ev_b, _ = call_pair(work, "busy", [], ["--reject", "busy"])
    ended = [e for e in ev_a if e.get("state") == "terminated"]
    tap(rc == 5, "busy: caller exits 5 (got %s)" % rc)
    tap(bool(ended) and ended[-1].get("status") == 486, "busy: ended with 486")

    # --- through Kamailio ----------------------------------------------------
    kdir = os.path.join(work, "kamailio")
    started = subprocess.run([sys.executable, PEER, "start", "--dir", kdir, "--users",
                              "alice:secret,bob:pw2", "--watch-pid", str(os.getpid())],
                             capture_output=True, text=True)
    try:
        info = json.loads(started.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        tap(False, "kamailio starts: " + started.stderr[-500:])
        info = None
    if info:
        proxy = "sip:127.0.0.1:%d;transport=tcp" % info["tcp"]
        bob = ["--account", "sip:bob@127.0.0.1", "--password", "pw2", "--transport", "tcp",
               "--proxy", proxy]
        alice = ["--account", "sip:alice@127.0.0.1", "--password", "secret", "--transport",
                 "tcp", "--proxy", proxy]
        check_audio_call(work, "via-kamailio", [], [], target="sip:bob@127.0.0.1",
                         listen_args=bob, call_args=alice)
        subprocess.run([sys.executable, PEER, "stop", "--dir", kdir], capture_output=True)

    print("1..%d" % len(results))
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
