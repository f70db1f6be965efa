#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Calls when things go wrong or get complicated, each with real confab-cli
processes on 127.0.0.1 (and a raw SIP peer written here where Confab must
face requests no well-behaved client sends):

- malformed SDP offers are refused (488, or 400 when unparseable), an INVITE
  without an offer gets ours in the 200, and the listener still takes a
  normal call afterwards;
- the peer refreshes (UPDATE, repeated re-INVITE), holds and resumes;
- the other side hangs up (BYE); the caller gives up ringing (CANCEL) on a
  --ring-timeout and on SIGINT;
- hold and resume (RFC 3264 §8.4): the held party hears nothing meanwhile;
- two calls at once into one listener, each recording its own caller, and
  resuming one of them puts the other on hold;
- session timers (RFC 4028): Confab refreshes by UPDATE or re-INVITE when it
  is the refresher, as UAS and as UAC;
- blind transfer (REFER, RFC 3515): A calls B, B sends A to C, A hears C.

Tones: A 1000 Hz, B 1800 Hz, C (and the second caller) 1400 Hz; a Goertzel
detector checks who hears whom. TAP output."""

import json
import math
import os
import queue
import random
import re
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import wave

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from confab_audio import write_tone, read_wav, goertzel_power  # noqa: E402

CLI = os.environ["CONFAB_CLI"]
TONE_A, TONE_B, TONE_C = 1000, 1800, 1400

results = []
results_lock = threading.Lock()
processes = []


def tap(ok, what):
    with results_lock:
        results.append(bool(ok))
        print(("ok" if ok else "not ok") + " %d - %s" % (len(results), what), flush=True)
    return ok


def note(text):
    print("# " + str(text).replace("\n", "\n# "), flush=True)


# --- audio -------------------------------------------------------------------


def window_power(path, start, end, freq):
    rate, samples = read_wav(path)
    return goertzel_power(samples[int(start * rate):int(end * rate)], rate, freq)


def wav_seconds(path):
    rate, samples = read_wav(path)
    return len(samples) / float(rate)


def hears(name, path, want, others, start=0.5, end=None):
    """TAP: the recording holds `want`, clearly above each of `others`."""
    try:
        end = end or wav_seconds(path) - 0.2
        p_want = window_power(path, start, end, want)
        p_other = max(window_power(path, start, end, f) for f in others)
    except (OSError, ValueError, EOFError, wave.Error) as e:
        return tap(False, "%s (%s)" % (name, e))
    note("%s: %d Hz %.1e, others %.1e (%.1f-%.1f s)" % (name, want, p_want, p_other, start, end))
    return tap(p_want > 1e-3 and p_want > 20 * p_other, name)


# --- confab-cli processes ----------------------------------------------------

class Cli:
    """One confab-cli --json process; a thread collects its events."""

    def __init__(self, name, args):
        self.name = name
        self.proc = subprocess.Popen([CLI, "--bind", "127.0.0.1", "--json", "--local-port", "0"] +
                                     args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True)
        processes.append(self.proc)
        self.events = []
        self.cond = threading.Condition()
        self.stderr = []
        self.eof = False
        threading.Thread(target=self._read, args=(self.proc.stdout, True), daemon=True).start()
        threading.Thread(target=self._read, args=(self.proc.stderr, False), daemon=True).start()

    def _read(self, stream, is_stdout):
        for line in stream:
            if not is_stdout:
                if "ALSA" not in line and "AL lib" not in line:
                    self.stderr.append(line.rstrip())
                continue
            try:
                event = json.loads(line)
            except ValueError:
                continue
            event["_t"] = time.monotonic()
            with self.cond:
                self.events.append(event)
                self.cond.notify_all()
        if is_stdout:
            with self.cond:
                self.eof = True
                self.cond.notify_all()

    def wait_event(self, pred, timeout):
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for e in self.events:
                    if pred(e):
                        return e
                left = deadline - time.monotonic()
                if left <= 0 or self.eof:
                    return None
                self.cond.wait(min(left, 0.2))

    def contact(self, timeout=15):
        e = self.wait_event(lambda e: e.get("event") == "listening", timeout)
        return e and e["contact"]

    def calls(self, state=None):
        return [e for e in self.events if e.get("event") == "call" and
                (state is None or e.get("state") == state)]

    def wait_exit(self, timeout):
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        if self.stderr:
            note("%s stderr: %s" % (self.name, "\n".join(self.stderr[-15:])))


def listener(name, work, tone, *extra):
    cli = Cli(name, ["listen", "--auto-answer", "--play", tone_path(work, tone),
                     "--record", os.path.join(work, name + ".wav")] + list(extra))
    contact = cli.contact()
    if not contact:
        tap(False, "%s listens" % name)
    return cli, contact


def caller(name, work, tone, uri, *extra):
    return Cli(name, ["call", uri, "--play", tone_path(work, tone),
                      "--record", os.path.join(work, name + ".wav")] + list(extra))


def tone_path(work, freq):
    return os.path.join(work, "tone-%d.wav" % freq)


def dest_of(contact):
    m = re.search(r"@([\d.]+):(\d+)", contact)
    return m.group(1), int(m.group(2))


# --- a raw SIP peer ----------------------------------------------------------

COMPACT = {"v": "Via", "f": "From", "t": "To", "i": "Call-ID", "m": "Contact",
           "c": "Content-Type", "l": "Content-Length", "k": "Supported", "x": "Session-Expires",
           "r": "Refer-To", "o": "Event"}


class Msg:
    def __init__(self, data):
        text = data.decode("utf-8", "replace")
        head, _, self.body = text.partition("\r\n\r\n")
        lines = head.split("\r\n")
        self.first = lines[0]
        self.headers = []
        for line in lines[1:]:
            if line[:1] in " \t" and self.headers:
                k, v = self.headers[-1]
                self.headers[-1] = (k, v + " " + line.strip())
                continue
            k, _, v = line.partition(":")
            k = k.strip()
            self.headers.append((COMPACT.get(k, k) if len(k) == 1 else k, v.strip()))

    def h(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def vias(self):
        return [v for k, v in self.headers if k.lower() == "via"]

    @property
    def status(self):
        m = re.match(r"SIP/2.0 (\d+)", self.first)
        return int(m.group(1)) if m else None

    @property
    def method(self):
        return None if self.first.startswith("SIP/") else self.first.split()[0]

    @property
    def cseq_method(self):
        return (self.h("CSeq") or " ").split()[-1]


def rid(n=12):
    return "".join(random.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(n))


def simple_sdp(rtp_port, version=1, codecs="0", extra=""):
    return ("v=0\r\no=raw 4242 %d IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            "m=audio %d RTP/AVP %s\r\n%s" % (version, rtp_port, codecs, extra))


class RawPeer:
    """A SIP user agent by hand, over UDP (or TCP for one huge request): just
    enough to send odd INVITEs, answer, ACK and BYE by the book."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.contact = "<sip:raw@127.0.0.1:%d>" % self.port
        self.pending = []
        # RTP sent to us lands here and is dropped
        self.rtp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.rtp.bind(("127.0.0.1", 0))
        self.rtp_port = self.rtp.getsockname()[1]

    def close(self):
        self.sock.close()
        self.rtp.close()

    def send(self, text, dest):
        self.sock.sendto(text.encode("utf-8"), dest)

    def recv(self, timeout, pred=lambda m: True):
        """The next message matching pred; others stay queued."""
        deadline = time.monotonic() + timeout
        while True:
            for m in self.pending:
                if pred(m):
                    self.pending.remove(m)
                    return m
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            self.sock.settimeout(left)
            try:
                data, _ = self.sock.recvfrom(70000)
            except socket.timeout:
                return None
            self.pending.append(Msg(data))

    # -- requests we send

    def request(self, method, uri, dialog, cseq, body="", ctype="application/sdp", extra=(),
                branch=None):
        branch = branch or "z9hG4bK" + rid()
        lines = ["%s %s SIP/2.0" % (method, uri),
                 "Via: SIP/2.0/UDP 127.0.0.1:%d;branch=%s;rport" % (self.port, branch),
                 "Max-Forwards: 70",
                 "From: %s;tag=%s" % (self.contact, dialog["tag"]),
                 "To: %s" % dialog["to"],
                 "Call-ID: %s" % dialog["call_id"],
                 "CSeq: %d %s" % (cseq, method),
                 "Contact: %s" % self.contact]
        lines += list(extra)
        if ctype is not None and (body or method == "INVITE"):
            lines.append("Content-Type: %s" % ctype)
        lines.append("Content-Length: %d" % len(body.encode("utf-8")))
        return "\r\n".join(lines) + "\r\n\r\n" + body, branch

    def invite(self, target, dest, body, ctype="application/sdp", extra=(), timeout=10):
        """INVITE; returns (final response, dialog). Non-2xx finals are ACKed
        here (same branch, RFC 3261 §17.1.1.3)."""
        dialog = {"tag": rid(), "to": "<%s>" % target, "call_id": rid(20), "uri": target,
                  "dest": dest, "cseq": 1}
        text, branch = self.request("INVITE", target, dialog, 1, body, ctype, extra)
        self.send(text, dest)
        final = None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            m = self.recv(deadline - time.monotonic(),
                          lambda m: m.status and m.h("Call-ID") == dialog["call_id"])
            if not m:
                break
            if m.status >= 200:
                final = m
                break
        if final:
            dialog["to"] = final.h("To")
            if final.status >= 300:
                ack = ["ACK %s SIP/2.0" % target,
                       "Via: SIP/2.0/UDP 127.0.0.1:%d;branch=%s;rport" % (self.port, branch),
                       "Max-Forwards: 70", "From: %s;tag=%s" % (self.contact, dialog["tag"]),
                       "To: %s" % final.h("To"), "Call-ID: %s" % dialog["call_id"],
                       "CSeq: 1 ACK", "Content-Length: 0"]
                self.send("\r\n".join(ack) + "\r\n\r\n", dest)
            else:
                m = re.search(r"<([^>]+)>", final.h("Contact") or "")
                dialog["uri"] = m.group(1) if m else target
        return final, dialog

    def ack_2xx(self, dialog, body=""):
        text, _ = self.request("ACK", dialog["uri"], dialog, dialog["cseq"], body,
                               "application/sdp" if body else None)
        self.send(text, dialog["dest"])

    def bye(self, dialog, timeout=5):
        dialog["cseq"] += 1
        text, _ = self.request("BYE", dialog["uri"], dialog, dialog["cseq"])
        self.send(text, dialog["dest"])
        return self.recv(timeout, lambda m: m.status and m.cseq_method == "BYE" and
                         m.h("Call-ID") == dialog["call_id"])

    # -- responses we send

    def respond(self, request, status, phrase, dest, body="", extra=(), to_tag=None):
        to = request.h("To")
        if to_tag and ";tag=" not in to:
            to += ";tag=" + to_tag
        lines = ["SIP/2.0 %d %s" % (status, phrase)]
        lines += ["Via: " + v for v in request.vias()]
        lines += ["From: " + request.h("From"), "To: " + to, "Call-ID: " + request.h("Call-ID"),
                  "CSeq: " + request.h("CSeq")]
        if status < 300 and request.method in ("INVITE", "UPDATE"):
            lines.append("Contact: " + self.contact)
        lines += list(extra)
        if body:
            lines.append("Content-Type: application/sdp")
        lines.append("Content-Length: %d" % len(body.encode("utf-8")))
        self.send("\r\n".join(lines) + "\r\n\r\n" + body, dest)

    def answer_stray_requests(self, dest):
        """Answers (200) BYEs that came meanwhile, so nothing retransmits."""
        while True:
            m = self.recv(0.05, lambda m: m.method == "BYE")
            if not m:
                return
            self.respond(m, 200, "OK", dest)


def tcp_request(dest, text, timeout=10):
    """One request over TCP (too big for a datagram); returns the final response."""
    with socket.create_connection(dest, timeout=timeout) as s:
        s.sendall(text.encode("utf-8"))
        data = b""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                break
            if not chunk:
                break
            data += chunk
            for raw in data.split(b"\r\n\r\n")[:-1]:
                m = Msg(raw + b"\r\n\r\n")
                if m.status and m.status >= 200:
                    return m
    return None


# --- a. malformed SDP --------------------------------------------------------

def sdp_with(media):
    return ("v=0\r\no=raw 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" +
            media)


MALFORMED = [
    # name, body, expected final statuses
    ("no m= line", sdp_with(""), (488,)),
    ("every m= port 0", sdp_with("m=audio 0 RTP/AVP 0\r\nm=audio 0 RTP/AVP 8\r\n"), (488,)),
    ("only unknown codecs",
     sdp_with("m=audio 40000 RTP/AVP 96 97\r\na=rtpmap:96 FOO/8000\r\na=rtpmap:97 BAR/16000\r\n"),
     (488,)),
    ("1000 m= lines", sdp_with("m=audio 40000 RTP/AVP 0\r\n" * 1000), (400, 488)),
    ("bad a=crypto with RTP/SAVP",
     sdp_with("m=audio 40000 RTP/SAVP 0\r\n"
              "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:%%%not-base64%%%\r\n"), (488,)),
    ("garbage body", "\x01\x02 this is not SDP at all \xff\r\n", (400, 488)),
    ("non-numeric port", sdp_with("m=audio fourty RTP/AVP 0\r\n"), (400, 488)),
]


def check_malformed(work):
    lis, contact = listener("malformed-listener", work, TONE_B)
    if not contact:
        lis.stop()
        return
    dest = dest_of(contact)
    raw = RawPeer()
    try:
        for name, body, expected in MALFORMED:
            final, _ = raw.invite(contact, dest, body)
            got = final.status if final else None
            warning = final.h("Warning") if final else None
            tap(got in expected, "malformed SDP, %s: answered %s (got %s%s)" %
                (name, "/".join(map(str, expected)), got, ", " + warning if warning else ""))

        # 70 kB: past the SDP parser's bound; too big for UDP, so over TCP.
        huge = sdp_with("m=audio 40000 RTP/AVP 0\r\n" + "a=x-padding:%s\r\n" % ("y" * 60) * 950)
        text, _ = raw.request("INVITE", contact, {"tag": rid(), "to": "<%s>" % contact,
                                                  "call_id": rid(20)}, 1, huge)
        text = text.replace("SIP/2.0/UDP", "SIP/2.0/TCP", 1)
        final = tcp_request(dest, text)
        tap(final is not None and final.status in (400, 413, 488, 513),
            "malformed SDP, %d-byte body over TCP: refused (got %s)" %
            (len(huge), final.first if final else None))

        # Content-Type application/sdp with an empty body is no offer at all
        # (RFC 3261 §13.2.1): Confab offers in the 200, we answer in the ACK.
        final, dialog = raw.invite(contact, dest, "", ctype="application/sdp")
        offered = final is not None and final.status == 200 and "m=audio" in final.body
        tap(offered, "empty application/sdp body: treated as no offer, 200 carries Confab's "
            "offer (got %s)" % (final.first if final else None))
        if offered:
            m = re.search(r"m=audio \d+ (RTP/S?AVP) ([\d ]+)", final.body)
            pts = m.group(2).split() if m else []
            pt = "0" if "0" in pts else (pts[0] if pts else "0")
            raw.ack_2xx(dialog, simple_sdp(raw.rtp_port, codecs=pt).replace(
                "RTP/AVP", m.group(1) if m else "RTP/AVP"))
            est = lis.wait_event(lambda e: e.get("event") == "call" and
                                 e.get("state") == "established", 5)
            tap(est is not None, "empty body: the answer in the ACK establishes the call")
            reply = raw.bye(dialog)
            tap(reply is not None and reply.status == 200, "empty body: BYE answered 200")
        # The same, but the ACK carries no answer: Confab must end the call.
        final, dialog = raw.invite(contact, dest, "", ctype=None)
        if final is not None and final.status == 200:
            raw.ack_2xx(dialog)
            bye = raw.recv(5, lambda m: m.method == "BYE" and m.h("Call-ID") == dialog["call_id"])
            tap(bye is not None, "offerless INVITE, ACK without answer: Confab sends BYE")
            if bye:
                raw.respond(bye, 200, "OK", dest)
        else:
            tap(False, "offerless INVITE without Content-Type: 200 (got %s)" %
                (final.first if final else None))
        raw.answer_stray_requests(dest)

        tap(lis.proc.poll() is None, "malformed SDP: the listener is still running")
        call = caller("malformed-caller", work, TONE_A, contact, "--duration", "2")
        rc = call.wait_exit(30)
        tap(rc == 0, "malformed SDP: a normal call afterwards works (exit %s)" % rc)
        hears("malformed SDP: ...and carries audio", os.path.join(work, "malformed-caller.wav"),
              TONE_B, [TONE_A])
        call.stop()
        # SIGTERM: a clean exit (and, under ASan, a leak check of all the above)
        lis.proc.send_signal(signal.SIGTERM)
        rc = lis.wait_exit(15)
        tap(rc == 0, "malformed SDP: the listener exits 0 on SIGTERM (got %s)" % rc)
    finally:
        raw.close()
        lis.stop()


# --- b. the other side hangs up ---------------------------------------------

def check_remote_bye(work):
    lis, contact = listener("bye-listener", work, TONE_B, "--duration", "2", "--calls", "1")
    if not contact:
        lis.stop()
        return
    call = caller("bye-caller", work, TONE_A, contact, "--duration", "60")
    rc = call.wait_exit(30)
    exited = time.monotonic()
    tap(rc == 0, "remote BYE: caller exits 0 (got %s)" % rc)
    est = call.calls("established")
    end = call.calls("terminated")
    if est and end:
        took = end[-1]["_t"] - est[0]["_t"]
        tap(1.5 < took < 4.5, "remote BYE: caller's call ended %.1f s after answer "
            "(listener hangs up after 2 s)" % took)
        tap(exited - end[-1]["_t"] < 3, "remote BYE: caller exits %.1f s after the call ended" %
            (exited - end[-1]["_t"]))
        tap("other side" in end[-1].get("reason", ""),
            "remote BYE: reason says so (%r)" % end[-1].get("reason"))
    else:
        tap(False, "remote BYE: caller saw established and terminated")
    tap(lis.wait_exit(10) == 0, "remote BYE: listener exits 0 after its one call")
    call.stop()
    lis.stop()


# --- c. cancel -----------------------------------------------------------------

def check_cancel(work):
    for how in ("ring-timeout", "sigint"):
        lis, contact = listener("cancel-%s-listener" % how, work, TONE_B, "--answer-after", "10",
                                "--calls", "1")
        if not contact:
            lis.stop()
            continue
        extra = ["--ring-timeout", "2"] if how == "ring-timeout" else []
        call = caller("cancel-%s-caller" % how, work, TONE_A, contact, *extra)
        ringing = call.wait_event(lambda e: e.get("state") == "ringing", 10)
        if how == "sigint" and ringing:
            time.sleep(1)
            call.proc.send_signal(signal.SIGINT)
        rc = call.wait_exit(15)
        want = 4 if how == "ring-timeout" else 1
        tap(rc == want, "cancel (%s): caller exits %d (got %s)" % (how, want, rc))
        ended = lis.wait_event(lambda e: e.get("state") == "terminated", 10)
        tap(ended is not None and ended.get("status") == 487 and
            "cancel" in ended.get("reason", ""),
            "cancel (%s): listener sees 487, %r" % (how, ended and ended.get("reason")))
        tap(not lis.calls("established"), "cancel (%s): the call was never answered" % how)
        tap(lis.wait_exit(10) == 0, "cancel (%s): listener exits 0" % how)
        call.stop()
        lis.stop()


# --- d. hold and resume --------------------------------------------------------

def check_hold(work):
    lis, contact = listener("hold-listener", work, TONE_B, "--calls", "1")
    if not contact:
        lis.stop()
        return
    call = caller("hold-caller", work, TONE_A, contact, "--duration", "9", "--hold-at", "3",
                  "--unhold-at", "6")
    rc = call.wait_exit(40)
    tap(rc == 0, "hold: caller exits 0 (got %s)" % rc)
    held = [e for e in lis.calls() if e.get("remote_hold")]
    tap(bool(held), "hold: the listener is told it is held (remote_hold)")
    resumed = [e for e in lis.calls("established") if held and e["_t"] > held[0]["_t"] and
               not e.get("remote_hold")]
    tap(bool(resumed), "hold: ...and resumed")
    lis.wait_exit(10)
    # The held party (listener) hears the caller before and after, nothing between;
    # the holder hears nothing either (the held side answered recvonly).
    for who, path, tone in (("held party", os.path.join(work, "hold-listener.wav"), TONE_A),
                            ("holder", os.path.join(work, "hold-caller.wav"), TONE_B)):
        try:
            before = window_power(path, 0.8, 2.6, tone)
            during = window_power(path, 3.8, 5.6, tone)
            after = window_power(path, 6.9, 8.5, tone)
        except (OSError, ValueError, EOFError, wave.Error) as e:
            tap(False, "hold: %s recording (%s)" % (who, e))
            continue
        note("hold, %s: %d Hz before %.1e, on hold %.1e, after %.1e" %
             (who, tone, before, during, after))
        tap(before > 1e-3, "hold: %s hears the other before hold" % who)
        tap(during < before / 100, "hold: %s hears nothing on hold" % who)
        tap(after > 1e-3, "hold: %s hears the other again after resume" % who)
    call.stop()
    lis.stop()


# --- e. two calls at once --------------------------------------------------------

def check_two_calls(work):
    lis, contact = listener("two-listener", work, TONE_B, "--calls", "2")
    if not contact:
        lis.stop()
        return
    first = caller("two-caller-1", work, TONE_A, contact, "--duration", "5")
    first.wait_event(lambda e: e.get("state") == "established", 10)
    second = caller("two-caller-2", work, TONE_C, contact, "--duration", "4")
    rc1, rc2 = first.wait_exit(30), second.wait_exit(30)
    tap(rc1 == 0 and rc2 == 0, "two calls: both callers exit 0 (got %s, %s)" % (rc1, rc2))
    tap(lis.wait_exit(10) == 0, "two calls: listener exits 0 after both")
    ids = sorted({e["id"] for e in lis.calls("established")})
    tap(len(ids) == 2, "two calls: the listener had two calls established (%s)" % ids)
    overlap = [e for e in lis.calls("established") if e["id"] == ids[-1]] if ids else []
    first_end = [e for e in lis.calls("terminated") if ids and e["id"] == ids[0]]
    tap(overlap and first_end and overlap[0]["_t"] < first_end[0]["_t"],
        "two calls: ...at the same time")
    # The listener records its first call to NAME.wav, the second to NAME-2.wav.
    hears("two calls: the listener's first recording holds caller 1",
          os.path.join(work, "two-listener.wav"), TONE_A, [TONE_C])
    hears("two calls: the listener's second recording holds caller 2",
          os.path.join(work, "two-listener-2.wav"), TONE_C, [TONE_A])
    hears("two calls: caller 1 hears the listener", os.path.join(work, "two-caller-1.wav"),
          TONE_B, [TONE_C])
    hears("two calls: caller 2 hears the listener", os.path.join(work, "two-caller-2.wav"),
          TONE_B, [TONE_A])
    # Neither call was put on hold: answering one does not hold the other.
    tap(not [e for e in lis.calls() if e.get("local_hold")],
        "two calls: answering the second does not hold the first")
    for p in (first, second, lis):
        p.stop()


def check_resume_holds_others(work):
    """One listener, two calls, each held 1 s after answer and resumed 2 s
    later; the second call starts 1.5 s after the first. Resuming the second
    (at 4.5 s) puts the first, resumed at 3 s, back on hold by itself."""
    lis, contact = listener("resume-listener", work, TONE_B, "--calls", "2", "--hold-at", "1",
                            "--unhold-at", "3")
    if not contact:
        lis.stop()
        return
    first = caller("resume-caller-1", work, TONE_A, contact, "--duration", "10")
    if first.wait_event(lambda e: e.get("state") == "established", 10):
        time.sleep(1.5)
    second = caller("resume-caller-2", work, TONE_C, contact, "--duration", "6")
    try:
        resume_checks(work, lis, first, second)
    finally:
        for p in (first, second, lis):
            p.stop()


def resume_checks(work, lis, first, second):
    rc1, rc2 = first.wait_exit(30), second.wait_exit(30)
    tap(rc1 == 0 and rc2 == 0, "resume holds others: callers exit 0 (got %s, %s)" % (rc1, rc2))
    lis.wait_exit(10)
    ids = []
    for e in lis.calls("established"):
        if e["id"] not in ids:
            ids.append(e["id"])
    # (time, local_hold) each time the first call's hold state changed
    changes = []
    for e in lis.calls("established"):
        if ids and e["id"] == ids[0] and (not changes or changes[-1][1] != e.get("local_hold")):
            changes.append((e["_t"], e.get("local_hold")))
    note("resume holds others: the first call's local_hold went %s" % [h for _, h in changes])
    if not tap([h for _, h in changes] == [False, True, False, True],
               "resume holds others: the first call is held, resumed, then held again when the "
               "second is resumed"):
        return
    # Caller 1's recording starts when its call is answered; the windows come
    # from the listener's events (timing varies, e.g. under ASan).
    zero = first.calls("established")[0]["_t"]
    resumed_at, held_at = changes[2][0] - zero, changes[3][0] - zero
    path = os.path.join(work, "resume-caller-1.wav")
    try:
        resumed = window_power(path, resumed_at + 0.4, held_at - 0.1, TONE_B)
        after = window_power(path, held_at + 0.6, wav_seconds(path) - 0.3, TONE_B)
    except (OSError, ValueError, EOFError, wave.Error) as e:
        tap(False, "resume holds others: caller 1's recording (%s)" % e)
    else:
        note("resume holds others: caller 1 hears %.1e while resumed (%.1f-%.1f s), %.1e after" %
             (resumed, resumed_at, held_at, after))
        tap(resumed > 1e-3 and after < resumed / 100,
            "resume holds others: caller 1 hears the listener until the other call resumes")
    zero2 = second.calls("established")[0]["_t"] if second.calls("established") else zero
    hears("resume holds others: caller 2 hears the listener after it resumed",
          os.path.join(work, "resume-caller-2.wav"), TONE_B, [TONE_A], held_at + zero - zero2 + 0.6,
          held_at + zero - zero2 + 1.8)


# --- the peer refreshes, holds and resumes ------------------------------------------

def in_dialog(raw, dialog, method, body="", extra=()):
    dialog["cseq"] += 1
    text, _ = raw.request(method, dialog["uri"], dialog, dialog["cseq"], body, extra=extra)
    raw.send(text, dialog["dest"])
    return raw.recv(5, lambda m: m.status and m.status >= 200 and m.cseq_method == method and
                    m.h("Call-ID") == dialog["call_id"])


def check_peer_offers(work):
    """A raw caller is the refresher (RFC 4028) and changes the session:
    UPDATE without a body, a re-INVITE repeating its SDP, hold by UPDATE,
    resume by re-INVITE."""
    lis, contact = listener("offers-listener", work, TONE_B, "--calls", "1")
    raw = RawPeer()
    timer = ("Supported: timer", "Session-Expires: 90;refresher=uac")
    try:
        if not contact:
            return
        dest = dest_of(contact)
        final, dialog = raw.invite(contact, dest, simple_sdp(raw.rtp_port),
                                   extra=timer + ("Allow: INVITE, ACK, BYE, CANCEL, UPDATE",))
        if not tap(final is not None and final.status == 200,
                   "peer refreshes: call answered (got %s)" % (final and final.first)):
            return
        tap("refresher=uac" in (final.h("Session-Expires") or "").replace(" ", ""),
            "peer refreshes: the 200 leaves refreshing to the caller (%r)" %
            final.h("Session-Expires"))
        raw.ack_2xx(dialog)
        first_answer = final.body

        r = in_dialog(raw, dialog, "UPDATE", extra=timer)
        tap(r is not None and r.status == 200 and r.h("Session-Expires") and not r.body.strip(),
            "peer refreshes: UPDATE without a body answered 200 with Session-Expires (%s)" %
            (r and r.first))

        r = in_dialog(raw, dialog, "INVITE", simple_sdp(raw.rtp_port), extra=timer)
        tap(r is not None and r.status == 200 and r.body == first_answer,
            "peer refreshes: a re-INVITE repeating the offer gets the same answer (same o= "
            "version, same keys)")
        if r is not None and r.status == 200:
            raw.ack_2xx(dialog)

        r = in_dialog(raw, dialog, "UPDATE", simple_sdp(raw.rtp_port, 2, extra="a=sendonly\r\n"))
        tap(r is not None and r.status == 200 and "a=recvonly" in r.body,
            "peer holds by UPDATE: answered recvonly (%s)" % (r and r.first))
        held = lis.wait_event(lambda e: e.get("event") == "call" and e.get("remote_hold"), 5)
        tap(held is not None, "peer holds by UPDATE: the listener reports remote_hold")

        r = in_dialog(raw, dialog, "INVITE", simple_sdp(raw.rtp_port, 3))
        tap(r is not None and r.status == 200 and "a=recvonly" not in r.body and
            "m=audio 0 " not in r.body, "peer resumes by re-INVITE: answered sendrecv")
        if r is not None and r.status == 200:
            raw.ack_2xx(dialog)
        resumed = lis.wait_event(lambda e: e.get("event") == "call" and held is not None and
                                 e["_t"] > held["_t"] and not e.get("remote_hold"), 5)
        tap(resumed is not None, "peer resumes: the listener reports it")

        r = raw.bye(dialog)
        tap(r is not None and r.status == 200, "peer offers: BYE answered 200")
        tap(lis.wait_exit(10) == 0, "peer offers: listener exits 0")
    finally:
        raw.close()
        lis.stop()


# --- f. session timers (RFC 4028) -------------------------------------------------

def timer_as_uas(work, allow_update, out):
    """A raw caller asks for Session-Expires: 90;refresher=uas: Confab must
    answer with it and refresh within the interval (after about 45 s)."""
    name = "timer-uas-" + ("update" if allow_update else "reinvite")
    lis, contact = listener(name, work, TONE_B, "--calls", "1")
    raw = RawPeer()
    checks = out.setdefault(name, [])
    try:
        if not contact:
            return
        dest = dest_of(contact)
        allow = "INVITE, ACK, BYE, CANCEL" + (", UPDATE" if allow_update else "")
        final, dialog = raw.invite(contact, dest, simple_sdp(raw.rtp_port),
                                   extra=("Supported: timer", "Session-Expires: 90;refresher=uas",
                                          "Min-SE: 90", "Allow: " + allow))
        se = final.h("Session-Expires") if final else None
        checks.append((final is not None and final.status == 200,
                       "%s: call answered 200 (got %s)" % (name, final and final.first)))
        checks.append((se is not None and se.split(";")[0].strip() == "90" and
                       "refresher=uas" in se.replace(" ", ""),
                       "%s: the 200 says Session-Expires: 90;refresher=uas (got %r)" % (name, se)))
        if not final or final.status != 200:
            return
        raw.ack_2xx(dialog)
        started = time.monotonic()
        want = "UPDATE" if allow_update else "INVITE"
        req = raw.recv(70, lambda m: m.method in ("UPDATE", "INVITE") and
                       m.h("Call-ID") == dialog["call_id"])
        took = time.monotonic() - started
        checks.append((req is not None and req.method == want and 30 < took < 60,
                       "%s: Confab refreshes with %s after %.0f s (got %s)" %
                       (name, want, took, req and req.method)))
        if req is None:
            return
        checks.append(("90" in (req.h("Session-Expires") or ""),
                       "%s: the refresh carries Session-Expires (%r)" %
                       (name, req.h("Session-Expires"))))
        if req.method == "UPDATE":
            raw.respond(req, 200, "OK", dest, extra=("Session-Expires: 90;refresher=uas",
                                                     "Require: timer"))
        else:
            # An offerless re-INVITE: our offer (our SDP again) goes in the
            # 200, Confab's answer must come in the ACK (RFC 3264).
            checks.append((not req.body.strip(),
                           "%s: the refresh re-INVITE has no offer" % name))
            raw.respond(req, 200, "OK", dest, body=simple_sdp(raw.rtp_port),
                        extra=("Session-Expires: 90;refresher=uas", "Require: timer"))
            ack = raw.recv(5, lambda m: m.method == "ACK" and m.h("Call-ID") == dialog["call_id"])
            checks.append((ack is not None and "m=audio" in ack.body,
                           "%s: Confab's ACK carries the answer" % name))
        time.sleep(1)
        checks.append((bool(lis.calls("established")) and not lis.calls("terminated"),
                       "%s: the call is still up after the refresh" % name))
        reply = raw.bye(dialog)
        checks.append((reply is not None and reply.status == 200,
                       "%s: BYE answered 200" % name))
        checks.append((lis.wait_exit(10) == 0, "%s: listener exits 0" % name))
    finally:
        raw.close()
        lis.stop()


def timer_as_uac(work, out):
    """Confab calls a raw callee that answers Session-Expires: 90;refresher=uac
    (and does not allow UPDATE): Confab must re-INVITE within the interval."""
    name = "timer-uac"
    checks = out.setdefault(name, [])
    raw = RawPeer()
    target = "sip:raw@127.0.0.1:%d" % raw.port
    call = caller(name, work, TONE_A, target, "--duration", "58")
    try:
        inv = raw.recv(15, lambda m: m.method == "INVITE")
        if not inv:
            checks.append((False, "%s: Confab's INVITE arrives" % name))
            return
        via = re.search(r"SIP/2.0/UDP ([\d.]+):(\d+)", inv.vias()[0])
        rport = re.search(r"rport=(\d+)", inv.vias()[0])
        dest = (via.group(1), int(rport.group(1)) if rport else int(via.group(2)))
        checks.append(("timer" in (inv.h("Supported") or ""),
                       "%s: the INVITE says Supported: timer (%r)" % (name, inv.h("Supported"))))
        tag = rid()
        raw.respond(inv, 200, "OK", dest, body=simple_sdp(raw.rtp_port), to_tag=tag,
                    extra=("Session-Expires: 90;refresher=uac", "Require: timer",
                           "Allow: INVITE, ACK, BYE, CANCEL"))
        ack = raw.recv(5, lambda m: m.method == "ACK")
        checks.append((ack is not None, "%s: Confab ACKs the 200" % name))
        started = time.monotonic()
        req = raw.recv(70, lambda m: m.method in ("INVITE", "UPDATE"))
        took = time.monotonic() - started
        checks.append((req is not None and req.method == "INVITE" and 30 < took < 60,
                       "%s: Confab refreshes with a re-INVITE after %.0f s (got %s)" %
                       (name, took, req and req.method)))
        if req is not None:
            raw.respond(req, 200, "OK", dest, body=simple_sdp(raw.rtp_port), to_tag=tag,
                        extra=("Session-Expires: 90;refresher=uac", "Require: timer"))
            ack = raw.recv(5, lambda m: m.method == "ACK")
            checks.append((ack is not None, "%s: Confab ACKs the refresh" % name))
        bye = raw.recv(30, lambda m: m.method == "BYE")
        if bye:
            raw.respond(bye, 200, "OK", dest)
        checks.append((bye is not None, "%s: the call lasts until Confab hangs up" % name))
        rc = call.wait_exit(15)
        checks.append((rc == 0, "%s: caller exits 0 (got %s)" % (name, rc)))
    finally:
        raw.close()
        call.stop()


def start_session_timer_checks(work):
    out = {}
    threads = [threading.Thread(target=timer_as_uas, args=(work, True, out)),
               threading.Thread(target=timer_as_uas, args=(work, False, out)),
               threading.Thread(target=timer_as_uac, args=(work, out))]
    for t in threads:
        t.daemon = True
        t.start()
    return threads, out


def finish_session_timer_checks(threads, out):
    for t in threads:
        t.join(120)
    for name in sorted(out):
        for ok, what in out[name]:
            tap(ok, "session timer, " + what)
    if not out:
        tap(False, "session timer checks ran")


# --- g. blind transfer -------------------------------------------------------------

def check_transfer(work):
    lis_c, contact_c = listener("transfer-c", work, TONE_C, "--calls", "1")
    lis_b, contact_b = listener("transfer-b", work, TONE_B, "--calls", "1",
                                "--transfer-to", contact_c or "sip:nobody@127.0.0.1:9",
                                "--transfer-at", "2")
    if not contact_b or not contact_c:
        lis_b.stop()
        lis_c.stop()
        return
    a = caller("transfer-a", work, TONE_A, contact_b, "--duration", "4")
    rc = a.wait_exit(40)
    tap(rc == 0, "transfer: A exits 0 (got %s)" % rc)
    tap(lis_b.wait_exit(10) == 0, "transfer: B exits 0")
    tap(lis_c.wait_exit(10) == 0, "transfer: C exits 0")
    ended_b = lis_b.calls("terminated")
    tap(ended_b and ended_b[-1].get("reason") == "transferred",
        "transfer: B's call ends as transferred (%r)" % (ended_b and ended_b[-1].get("reason")))
    tap([e for e in lis_b.calls() if e.get("remote_hold")],
        "transfer: A holds the call with B while it calls C")
    ids = [e["id"] for e in a.calls("established")]
    tap(len(set(ids)) == 2, "transfer: A had two calls, B then C (%s)" % sorted(set(ids)))
    tap(bool(lis_c.calls("established")), "transfer: C answered A")
    # A records its first call (B) to transfer-a.wav, the call with C to transfer-a-2.wav.
    hears("transfer: A hears B first", os.path.join(work, "transfer-a.wav"), TONE_B, [TONE_C],
          0.5, 1.8)
    hears("transfer: A hears C after the transfer", os.path.join(work, "transfer-a-2.wav"),
          TONE_C, [TONE_B])
    hears("transfer: C hears A", os.path.join(work, "transfer-c.wav"), TONE_A, [TONE_B])
    for p in (a, lis_b, lis_c):
        p.stop()


def main():
    started = time.monotonic()
    work = tempfile.mkdtemp(prefix="confab-robust-test-")
    for freq in (TONE_A, TONE_B, TONE_C):
        write_tone(tone_path(work, freq), freq)
    threads, timer_out = start_session_timer_checks(work)
    try:
        for check in (check_malformed, check_peer_offers, check_remote_bye, check_cancel,
                      check_hold, check_two_calls, check_resume_holds_others, check_transfer):
            try:
                check(work)
            except Exception as e:   # a broken check must not hide the others
                tap(False, "%s raised %r" % (check.__name__, e))
        finish_session_timer_checks(threads, timer_out)
    finally:
        for p in processes:
            if p.poll() is None:
                p.kill()
                p.wait()
    note("took %.0f s" % (time.monotonic() - started))
    print("1..%d" % len(results))
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
