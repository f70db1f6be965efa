#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Audio interop between confab-cli and a real baresip (Debian's package) on
127.0.0.1, both ways: Confab calls baresip (which auto-answers) and baresip
calls Confab (`confab-cli listen --auto-answer`), for Opus, G.722 and PCMU,
with SDES-SRTP (baresip's srtp module, mandatory and optional), DTMF from
Confab to baresip (PCMU: baresip 1.0.0 has telephone-event/8000 only), and
a clean 488 both ways when one side requires SRTP and the other has it off.

Confab plays a 1000 Hz tone, baresip an 1800 Hz tone (aufile module). Confab
records with --record; baresip's sndfile filter dumps what it decoded. A
Goertzel detector checks that each side heard the other's tone, not its own,
for about the call's length. baresip is started per case from
tests/peers/baresip_peer.py with its own config directory and is killed on
every exit path. TAP output; fails (does not skip) without baresip."""

import json
import math
import os
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
import wave

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "peers"))
import baresip_peer  # noqa: E402
from baresip_peer import BaresipError, BaresipPeer  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from confab_audio import write_tone, read_wav, goertzel_power, events  # noqa: E402

CLI = os.environ["CONFAB_CLI"]
CALL_SECONDS = 3
CONFAB_TONE = 1000
BARESIP_TONE = 1800

results = []
children = []   # confab-cli processes to kill if the test ends early


def tap(ok, what):
    results.append(ok)
    print(("ok" if ok else "not ok") + " %d - %s" % (len(results), what), flush=True)
    return ok


def comment(text):
    if text.strip():
        print("# " + text.strip().replace("\n", "\n# "), flush=True)


def check_tone(name, who, path, want, other, check_length=True):
    try:
        if not path:
            raise OSError("no recording")
        rate, samples = read_wav(path)
    except (OSError, ValueError, EOFError, wave.Error) as e:
        tap(False, "%s: %s (%s)" % (name, who, e))
        if check_length:
            tap(False, "%s: %s for about %d s" % (name, who, CALL_SECONDS))
        return
    seconds = len(samples) / float(rate)
    body = samples[int(rate * 0.5):]   # skip the jitter buffer filling
    p_want = goertzel_power(body, rate, want)
    p_other = goertzel_power(body, rate, other)
    comment("%s %s: %.2f s at %d Hz, tone %.2e, own %.2e" % (name, who, seconds, rate,
                                                           p_want, p_other))
    tap(p_want > 1e-3 and p_want > 20 * p_other, "%s: %s" % (name, who))
    if check_length:
        tap(CALL_SECONDS - 0.8 < seconds < CALL_SECONDS + 1.5,
            "%s: %s for about %d s (%.2f s)" % (name, who, CALL_SECONDS, seconds))


def cli(args):
    # killed with us even if we are SIGKILLed: a listener would wait forever
    proc = subprocess.Popen([CLI, "--bind", "127.0.0.1", "--json"] + args,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=baresip_peer.die_with_parent)
    children.append(proc)
    return proc


def finish(proc, timeout):
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
    return out, err


def check_established(name, evs, codec, srtp):
    est = [e for e in evs if e.get("event") == "call" and e.get("state") == "established"]
    tap(bool(est), "%s: Confab reports the call established" % name)
    if not est:
        return
    got = est[0].get("codec", "")
    tap(got.lower().startswith(codec), "%s: negotiated %s (got %s)" % (name, codec, got))
    tap(est[0].get("srtp") is srtp, "%s: srtp is %s (got %s)" % (name, srtp,
                                                            est[0].get("srtp")))


def check_ice(name, evs):
    est = [e for e in evs if e.get("event") == "call" and e.get("state") == "established"]
    tap(bool(est) and est[0].get("ice") is True, "%s: Confab runs the call over ICE" % name)
    ice = [e for e in evs if e.get("event") == "ice"]
    last = ice[-1] if ice else {}
    tap(last.get("state") == "connected" and last.get("pair") == "host",
        "%s: ICE connects on a host pair with baresip (%s)" % (name, last))


def start_baresip(work, name, **kw):
    peer = BaresipPeer(os.path.join(work, name), os.path.join(work, "tone-baresip.wav"), **kw)
    try:
        peer.start()
    except BaresipError as e:
        peer.stop()
        tap(False, "%s: baresip starts (%s)" % (name, e))
        return None
    return peer


def confab_calls_baresip(work, name, codec, srtp, confab_args=(), dtmf=None, **baresip_kw):
    """confab-cli call → baresip (answermode=auto)."""
    rec = os.path.join(work, name + "-confab.wav")
    first = len(results)
    peer = start_baresip(work, name, **baresip_kw)
    if not peer:
        return
    try:
        args = ["--local-port", "0", "call", peer.uri, "--play",
                os.path.join(work, "tone-confab.wav"), "--record", rec,
                "--duration", str(CALL_SECONDS)] + list(confab_args)
        if dtmf:
            args += ["--dtmf", dtmf]
        out, err = finish(cli(args), 30)
        caller = children[-1]
        comment(err)
        # the -dec.wav header is complete once baresip closed the call
        closed = peer.wait_event("CALL_CLOSED", timeout=5)
    finally:
        peer.stop()
    tap(caller.returncode == 0, "%s: confab-cli call exits 0 (got %s)" % (name, caller.returncode))
    tap(peer.wait_event("CALL_ESTABLISHED", 0) is not None and closed is not None,
        "%s: baresip answers and closes the call" % name)
    check_established(name, events(out), codec, srtp)
    if "--ice" in confab_args:
        check_ice(name, events(out))
    check_tone(name, "Confab hears baresip", rec, BARESIP_TONE, CONFAB_TONE)
    # rtpdtmfmux holds the voice back while an event plays, and baresip's
    # dump only grows with decoded packets: no length check with DTMF
    check_tone(name, "baresip hears Confab", peer.recording("dec"), CONFAB_TONE, BARESIP_TONE,
               check_length=not dtmf)
    if dtmf:
        got = "".join(e.get("param", "") for e in peer.events
                      if e.get("type") == "CALL_DTMF_START")
        tap(got == dtmf, "%s: baresip receives DTMF %s (got %r)" % (name, dtmf, got))
    if not all(results[first:]):
        comment("baresip log:\n" + peer.log_tail(3000))


def srtp_refused(work, name):
    """SRTP required on one side and off on the other: a clean 488, both ways."""
    name_in, name = name + "-in", name + "-out"
    first = len(results)
    peer = start_baresip(work, name)
    if not peer:
        return
    try:
        out, err = finish(cli(["--local-port", "0", "call", peer.uri, "--srtp", "require",
                               "--duration", "1"]), 30)
        caller = children[-1]
    finally:
        peer.stop()
    ended = [e for e in events(out) if e.get("event") == "call" and
             e.get("state") == "terminated"]
    tap(caller.returncode == 5, "%s: confab-cli call exits 5 (got %s)" %
        (name, caller.returncode))
    tap(bool(ended) and ended[-1].get("status") == 488,
        "%s: baresip answers 488 (got %s)" % (name, ended[-1].get("status") if ended else None))
    if not all(results[first:]):
        comment(err)
        comment("baresip log:\n" + peer.log_tail(3000))

    # baresip requires SRTP (RTP/SAVP), Confab has it off
    first = len(results)
    name = name_in
    peer = start_baresip(work, name, mediaenc="srtp-mand")
    if not peer:
        return
    listener = cli(["--local-port", "0", "listen", "--auto-answer", "--calls", "1",
                    "--srtp", "off"])
    try:
        contact = wait_listening(listener)
        closed = None
        if tap(bool(contact), "%s: confab-cli listens" % name):
            peer.dial(contact)
            closed = peer.wait_event("CALL_CLOSED", timeout=10)
    except BaresipError as e:
        tap(False, "%s: baresip is driven (%s)" % (name, e))
        closed = None
    finally:
        peer.stop()
        listener.kill()
        listener.communicate()
    tap(closed is not None and "488" in closed.get("param", ""),
        "%s: Confab answers baresip's RTP/SAVP offer with 488 (got %s)" %
        (name, closed.get("param") if closed else None))
    if not all(results[first:]):
        comment("baresip log:\n" + peer.log_tail(3000))


def wait_listening(listener, lines=None, timeout=15):
    """The contact of a `confab-cli listen`, from its "listening" event."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = listener.stdout.readline()
        if not line:
            break
        if lines is not None:
            lines.append(line)
        ev = events(line)
        if ev and ev[0].get("event") == "listening":
            return ev[0].get("contact")
    return None


def baresip_calls_confab(work, name, codec, srtp, confab_args=(), **baresip_kw):
    """baresip dials (ctrl_tcp) → confab-cli listen --auto-answer; baresip hangs up."""
    rec = os.path.join(work, name + "-confab.wav")
    first = len(results)
    peer = start_baresip(work, name, **baresip_kw)
    if not peer:
        return
    listener = cli(["--local-port", "0", "listen", "--auto-answer", "--calls", "1",
                    "--play", os.path.join(work, "tone-confab.wav"), "--record", rec] +
                   list(confab_args))
    early = []
    answer, established, closed, out = {}, None, None, ""
    try:
        contact = wait_listening(listener, early)
        if not tap(bool(contact), "%s: confab-cli listens" % name):
            return
        answer = peer.dial(contact)
        established = peer.wait_event("CALL_ESTABLISHED", timeout=10)
        if established:
            time.sleep(CALL_SECONDS)
        peer.hangup()
        closed = peer.wait_event("CALL_CLOSED", timeout=5)
        out, err = finish(listener, 15)
        comment(err)
    except BaresipError as e:
        comment("baresip: %s" % e)
    finally:
        peer.stop()
        if listener.poll() is None:
            listener.kill()
            listener.communicate()
    tap(answer.get("ok") is True, "%s: baresip dials %s" % (name, contact))
    tap(established is not None and closed is not None,
        "%s: baresip reports the call established and closed" % name)
    tap(listener.returncode == 0,
        "%s: confab-cli listen exits 0 after the call (got %s)" % (name, listener.returncode))
    evs = events("".join(early) + out)
    check_established(name, evs, codec, srtp)
    if baresip_kw.get("medianat") == "ice":
        check_ice(name, evs)
    ended = [e for e in evs if e.get("event") == "call" and e.get("state") == "terminated"]
    tap(bool(ended) and ended[-1].get("status") == 200 and "other side" in
        ended[-1].get("reason", ""), "%s: Confab sees baresip's BYE" % name)
    check_tone(name, "Confab hears baresip", rec, BARESIP_TONE, CONFAB_TONE)
    check_tone(name, "baresip hears Confab", peer.recording("dec"), CONFAB_TONE, BARESIP_TONE)
    if not all(results[first:]):
        comment("baresip log:\n" + peer.log_tail(3000))


def main():
    why = baresip_peer.missing()
    if why:
        tap(False, "baresip is available: " + why)
        print("1..1")
        return 1

    work = tempfile.mkdtemp(prefix="confab-baresip-test-")
    keep = bool(os.environ.get("CONFAB_KEEP_PEERS"))
    try:
        write_tone(os.path.join(work, "tone-confab.wav"), CONFAB_TONE)
        write_tone(os.path.join(work, "tone-baresip.wav"), BARESIP_TONE)

        # --- Confab calls baresip -------------------------------------------
        confab_calls_baresip(work, "out-opus", "opus", False, ["--codecs", "opus"])
        confab_calls_baresip(work, "out-g722", "g722", False, ["--codecs", "g722"])
        confab_calls_baresip(work, "out-pcmu", "pcmu", False, ["--codecs", "pcmu"])
        confab_calls_baresip(work, "out-srtp-mand", "opus", True, ["--srtp", "require"],
                             mediaenc="srtp-mand")
        confab_calls_baresip(work, "out-srtp-best-effort", "opus", True, [], mediaenc="srtp")
        # baresip knows telephone-event/8000 only; Confab sends events at the
        # codec's clock rate, so DTMF with baresip needs an 8 kHz codec
        confab_calls_baresip(work, "out-dtmf", "pcmu", False, ["--codecs", "pcmu"],
                             dtmf="123#")

        # ICE both ways: baresip's ice module, on 127.0.0.1 only
        confab_calls_baresip(work, "out-ice", "opus", False, ["--ice"], medianat="ice")
        confab_calls_baresip(work, "out-ice-srtp", "opus", True, ["--ice", "--srtp", "require"],
                             medianat="ice", mediaenc="srtp-mand")

        srtp_refused(work, "srtp-refused")

        # --- baresip calls Confab -------------------------------------------
        baresip_calls_confab(work, "in-opus", "opus", False, codecs="opus/48000/2")
        baresip_calls_confab(work, "in-g722", "g722", False, codecs="G722/16000/1")
        baresip_calls_confab(work, "in-pcmu", "pcmu", False, codecs="PCMU")
        baresip_calls_confab(work, "in-srtp-mand", "opus", True, ["--srtp", "require"],
                             mediaenc="srtp-mand")
        baresip_calls_confab(work, "in-srtp-best-effort", "opus", True, [], mediaenc="srtp")
        baresip_calls_confab(work, "in-ice", "opus", False, [], medianat="ice")
    finally:
        for proc in children:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        if keep or not all(results):
            comment("files kept in " + work)
        else:
            shutil.rmtree(work, ignore_errors=True)

    print("1..%d" % len(results))
    return 0 if all(results) else 1


def on_signal(signum, frame):
    # meson's timeout sends SIGTERM: unwind so the finally blocks stop baresip
    raise SystemExit(128 + signum)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    sys.exit(main())
