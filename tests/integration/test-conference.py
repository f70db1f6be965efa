#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""`confab-cli conference join|watch`, `send-file` and `fetch-file` against a
conference focus on 127.0.0.1 made of SIPp (tests/sipp/focus.xml: INVITE
for chat, audio+chat and room files, SUBSCRIBE Event: conference with a
scripted series of NOTIFYs, REFER), a Python MSRP endpoint for the room's
chat and files (msrp_room.py) and a Python RTP endpoint for its audio
(rtp_room.py: PCMU, a 1800 Hz tone of its own, what it hears kept).

Checks:
- join: the INVITE, then (the 200 having Contact ;isfocus) a SUBSCRIBE with
  Event: conference and Accept: application/conference-info+xml; each
  NOTIFY's participant and room events (v1 full: carol with audio+message,
  and us with self:true; v2 partial: dave joins; v3 partial: dave on hold;
  v4 partial: carol deleted; a stale v4 ignored; v9 full after a version
  gap, SylkServer style: erin joins, dave stays, a room file); the refresh
  SUBSCRIBE in the same dialog; an identical full document changes nobody;
  /nick and --nickname send NICKNAME with Use-Nickname and no report headers
  (200 accepted, 425 refused); a public line goes to CPIM To: the room, /msg
  to CPIM To: the participant, both with CPIM From equal to the INVITE's
  From URI; a room status notice, a public and a private message from dave
  are printed as such; /invite and /remove send an out-of-dialog REFER with
  ;method=INVITE / ;method=BYE as a Refer-To header parameter and print the
  sipfrag progress (200, or 486 for a busy user); EOF sends BYE and the
  un-SUBSCRIBE (Expires: 0) and exits 0;
- audio: join --audio --chat --play (1000 Hz) --record: the INVITE offers
  m=audio (PCMU/8000, telephone-event/8000) and m=message; the focus answers
  both with Contact ;isfocus; joined with focus:true and the subscription
  runs; the room's RTP peer gets PCMU from one SSRC, from the offer's
  m=audio port (symmetric RTP), and hears the 1000 Hz tone; --record holds
  the room's 1800 Hz tone, not ours; a room message goes out and one comes
  in over the same session's MSRP; EOF: one BYE in the INVITE dialog, one
  un-SUBSCRIBE, no RTP afterwards;
- room files: send-file to the room pushes (a=sendonly, a=file-selector
  with name, size, SHA-1) and the room gets the file intact in 64 KiB
  chunks (SHA-1 of what arrived = source = the selector's hash); the file
  conference-info lists (watch prints it) is fetched by that name and hash
  without --dir: a recvonly offer, the room sends it in 3 chunks, the
  client answers each 200 and REPORTs each range, notes.txt lands in the
  XDG download folder with the room's content; a hash the room does not
  have gets 404 (exit 5, nothing written); a room that sends the file
  whatever the hash ("lax") makes fetch-file fail on the hash (exit 1,
  neither the file nor a .part left); one BYE per transfer, and no
  SUBSCRIBE though the room answers file transfers ;isfocus, as SylkServer
  does;
- watch: SUBSCRIBE only, the same documents, /invite, SIGINT un-SUBSCRIBEs
  and exits 0;
- a room that does not exist (480): watch and join exit 5;
- 423 Min-Expires: the SUBSCRIBE is retried with Expires >= Min-Expires.

SIPp (package sip-tester) must be installed: without it the test fails.
TAP output."""

import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import wave

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from confab_audio import events, goertzel_power, read_wav, write_tone  # noqa: E402
import msrp_room  # noqa: E402
from msrp_room import MsrpRoom, uri_of  # noqa: E402
import rtp_room  # noqa: E402
from rtp_room import RtpRoom  # noqa: E402

CLI = os.environ["CONFAB_CLI"]
SCENARIO = os.path.join(os.path.dirname(HERE), "sipp", "focus.xml")
SIPP = shutil.which("sipp") or ("/usr/bin/sipp" if os.path.exists("/usr/bin/sipp") else None)
# The room's file: notes.txt in the v9 document (name, hash, size there and
# in focus.xml's pull answer), served by msrp_room.py to pulls.
ROOM_FILE = "".join("%04d  Minutes of the Confab test room: nothing to report, all is well.\n" % i
                    for i in range(2400)).encode("ascii")
FILE_HASH = "sha-1:49:B5:FA:96:B2:C7:1B:D3:78:7A:4A:56:A5:1A:72:32:95:5C:F0:2D"
FILE_SIZE = 170400
AUDIO_SECONDS = 3.0    # of room audio before leaving
OUR_TONE, ROOM_TONE = 1000, 1800

results = []
children = []          # every process started here, killed at exit whatever happens


def tap(ok, what):
    results.append(bool(ok))
    print(("ok" if ok else "not ok") + " %d - %s" % (len(results), what), flush=True)
    return ok


def note(text):
    print("# " + str(text).replace("\n", "\n# "), flush=True)


def short(obj, n=600):
    text = repr(obj)
    return text if len(text) <= n else text[:n] + "…"


# --- SIP messages from SIPp's trace -------------------------------------------

class SipMessage:
    def __init__(self, direction, text):
        self.direction = direction          # "received" or "sent" (by SIPp)
        self.text = text
        head, _, self.body = text.partition("\r\n\r\n") if "\r\n\r\n" in text else \
            text.partition("\n\n")
        lines = re.split(r"\r?\n", head)
        self.first = lines[0].strip()
        self.headers = []
        for line in lines[1:]:
            if ":" in line:
                k, v = line.split(":", 1)
                self.headers.append((k.strip().lower(), v.strip()))
        m = re.match(r"^SIP/2\.0 (\d{3})", self.first)
        self.status = int(m.group(1)) if m else None
        self.method = None if m else self.first.split(" ", 1)[0]
        self.ruri = None if m else (self.first.split(" ") + ["", ""])[1]
        cseq = (self.header("cseq") or "").split()
        self.cseq_method = cseq[1] if len(cseq) > 1 else None
        self.cseq = int(cseq[0]) if cseq and cseq[0].isdigit() else None

    def header(self, name):
        for k, v in self.headers:
            if k == name.lower():
                return v
        return None

    @property
    def call_id(self):
        return self.header("call-id")

    def expires(self):
        value = self.header("expires")
        return int(value) if value and value.strip().isdigit() else None

    def __repr__(self):
        return "<%s %s>" % (self.direction, self.first)


def parse_trace(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            data = f.read()
    except OSError:
        return []
    out = []
    for block in re.split(r"^-{20,} [0-9-]+ [0-9:.]+\s*$", data, flags=re.M):
        m = re.match(r"\s*\w+ message (received|sent) (?:\[\d+\] bytes ?|\(\d+ bytes\)):\n\n",
                     block)
        if not m:
            continue
        text = block[m.end():].strip("\r\n")
        if text:
            out.append(SipMessage(m.group(1), text.replace("\r\n", "\n").replace("\n", "\r\n")))
    return out


def udp_port_bound(port):
    """Whether something listens on 127.0.0.1:port/UDP (from /proc: probing
    with a bind could steal the port from SIPp)."""
    want = ":%04X" % port
    for name in ("/proc/net/udp", "/proc/net/udp6"):
        try:
            with open(name) as f:
                next(f)
                for line in f:
                    fields = line.split()
                    if len(fields) > 1 and fields[1].endswith(want):
                        return True
        except OSError:
            pass
    return False


def free_udp_port():
    import socket
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Focus:
    """SIPp running focus.xml on 127.0.0.1 (UDP, one socket), tracing every
    message to a file."""

    def __init__(self, work, name, msrp_port, rtp_port=9):
        self.work = work
        self.trace = os.path.join(work, name + "-messages.log")
        self.errors = os.path.join(work, name + "-errors.log")
        self.screen = os.path.join(work, name + "-screen.log")
        self.proc = None
        for _ in range(5):
            self.port = free_udp_port()
            with open(self.screen, "w") as screen:
                self.proc = subprocess.Popen(
                    [SIPP, "-sf", SCENARIO, "-i", "127.0.0.1", "-p", str(self.port), "-t", "u1",
                     "-set", "msrp_port", str(msrp_port), "-set", "rtp_port", str(rtp_port),
                     "-nostdin", "-timeout", "240s",
                     "-trace_msg", "-message_file", self.trace,
                     "-trace_err", "-error_file", self.errors],
                    stdin=subprocess.DEVNULL, stdout=screen, stderr=subprocess.STDOUT,
                    cwd=work)
            children.append(self.proc)
            deadline = time.time() + 10
            while time.time() < deadline and self.proc.poll() is None and \
                    not udp_port_bound(self.port):
                time.sleep(0.05)
            if self.proc.poll() is None and udp_port_bound(self.port):
                return
            self.stop()
        self.port = None

    @property
    def ok(self):
        return self.port is not None and self.proc.poll() is None

    def room(self, name):
        return "sip:%s@127.0.0.1:%d" % (name, self.port)

    def messages(self):
        return parse_trace(self.trace)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def trouble(self):
        """Unexpected messages and failed calls SIPp reports (its own
        'receive timeout … jumping to label' notes are fine)."""
        bad = []
        try:
            with open(self.errors, encoding="utf-8", errors="replace") as f:
                for line in f:
                    if re.search(r"unexpected|aborting|max retrans|failed", line, re.I):
                        bad.append(line.strip())
        except OSError:
            pass
        try:
            with open(self.screen, encoding="utf-8", errors="replace") as f:
                screen = f.read()
            failed = re.findall(r"Failed call\s*\|\s*\d+\s*\|\s*(\d+)", screen)
            if failed and int(failed[-1]) != 0:
                bad.append("SIPp counted %s failed call(s)" % failed[-1])
        except OSError:
            pass
        return bad


# --- confab-cli ----------------------------------------------------------------

class Cli:
    """confab-cli with stdin for commands; stdout read as it comes (events in
    self.events) so it never blocks on a full pipe."""

    def __init__(self, args, env):
        self.argv = [CLI, "--bind", "127.0.0.1", "--local-port", "0", "--json",
                     "--msrp-transport", "tcp"] + args
        self.proc = subprocess.Popen(self.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, errors="replace", env=env)
        children.append(self.proc)
        self.events, self.out, self.err = [], [], []
        self.cond = threading.Condition()
        self.readers = [threading.Thread(target=self._read_out, daemon=True),
                        threading.Thread(target=self._read_err, daemon=True)]
        for reader in self.readers:
            reader.start()

    def _read_out(self):
        for line in self.proc.stdout:
            with self.cond:
                self.out.append(line)
                self.events.extend(events(line))
                self.cond.notify_all()
        with self.cond:
            self.cond.notify_all()

    def _read_err(self):
        for line in self.proc.stderr:
            self.err.append(line)

    def line(self, text):
        try:
            self.proc.stdin.write(text + "\n")
            self.proc.stdin.flush()
            return True
        except (OSError, ValueError):
            return False

    def close_stdin(self):
        try:
            self.proc.stdin.close()
        except (OSError, ValueError):
            pass

    def mark(self):
        with self.cond:
            return len(self.events)

    def wait_for(self, pred, timeout, start=0):
        deadline = time.time() + timeout
        with self.cond:
            while True:
                for ev in self.events[start:]:
                    if pred(ev):
                        return ev
                left = deadline - time.time()
                if left <= 0 or (self.proc.poll() is not None and not self.readers[0].is_alive()):
                    return None
                self.cond.wait(min(left, 0.2))

    def of(self, kind, **match):
        with self.cond:
            return [e for e in self.events if e.get("event") == kind and
                    all(e.get(k) == v for k, v in match.items())]

    def wait(self, timeout):
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            rc = "timeout"
        for reader in self.readers:
            reader.join(timeout=10)
        return rc

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
        return self.wait(10)

    def show(self, who):
        note("%s: %s" % (who, " ".join(self.argv)))
        with self.cond:
            out = "".join(self.out)
        if out.strip():
            note("%s stdout:\n%s" % (who, out.strip()[-4000:]))
        err = "".join(self.err)
        if err.strip():
            note("%s stderr:\n%s" % (who, err.strip()[-3000:]))


# --- helpers ---------------------------------------------------------------------

def is_room(ev, version=None):
    return ev.get("event") == "room" and (version is None or ev.get("version") == version)


def segments(evs):
    """{version: (room event, [participant/room-file events since the
    previous room event])} and the list of versions in order."""
    seg, order, pending = {}, [], []
    for ev in evs:
        if ev.get("event") in ("participant", "room-file"):
            pending.append(ev)
        elif ev.get("event") == "room":
            v = ev.get("version")
            order.append(v)
            seg.setdefault(v, (ev, pending))
            pending = []
    return seg, order


def who(ev):
    m = re.match(r"^sips?:([^@]+)@", ev.get("entity") or "")
    return m.group(1) if m else ev.get("entity")


def summary(evs):
    return [(e.get("event"), e.get("action"), who(e) if e.get("event") == "participant"
             else e.get("name")) for e in evs]


def media_set(ev):
    return sorted(ev.get("media") or [])


def requests(msgs, method, direction="received"):
    return [m for m in msgs if m.direction == direction and m.method == method]


def answer_to(msgs, req, direction="sent"):
    """The final response in @direction to request @req (same Call-ID, CSeq)."""
    finals = [m for m in msgs if m.direction == direction and m.status and m.status >= 200 and
              m.call_id == req.call_id and m.cseq == req.cseq and m.cseq_method == req.method]
    return finals[-1] if finals else None


def tag_of(value):
    m = re.search(r";\s*tag=([^;>\s]+)", value or "")
    return m.group(1) if m else None


def refer_to_ok(msg, user, method):
    """Refer-To: <sip:USER@…>;method=METHOD, the method a header parameter
    (outside the angle brackets) and none inside them."""
    value = msg.header("refer-to") or msg.header("r") or ""
    m = re.match(r"^\s*(?:\"[^\"]*\"\s*)?<([^>]*)>(.*)$", value)
    if not m:
        return False
    uri, params = m.group(1), m.group(2)
    return (uri.startswith("sip:%s@" % user) and "method=" not in uri.lower() and
            re.search(r";\s*method=%s\s*(;|$)" % method, params, re.I) is not None)


def check_refer(cli, room, uri, method, final_status, what):
    evs = [e for e in cli.of("refer") if e.get("uri") == uri]
    statuses = [e.get("status") for e in evs]
    finals = [e.get("final") for e in evs]
    ok = (len(evs) >= 2 and statuses[0] == 202 and evs[0].get("final") is False and
          statuses[-1] == final_status and finals[-1] is True and
          not any(finals[:-1]) and all(e.get("method") == method for e in evs) and
          all(e.get("room") == room for e in evs))
    tap(ok, "%s: refer events %s end with %d final (%s)" % (what, statuses, final_status,
                                                            short(evs, 800)))
    tap(statuses == [202, 100, final_status],
        "%s: 202 Accepted, then the sipfrags 100 and %d, in order (%s)" %
        (what, final_status, statuses))


def trace_refer(msgs, user, method, what, dialogs):
    refers = [m for m in requests(msgs, "REFER")
              if re.search(r"sips?:%s@" % user, m.header("refer-to") or "")]
    if not tap(len(refers) == 1, "%s: one REFER for %s reached the focus (%d)" %
               (what, user, len(refers))):
        return
    ref = refers[0]
    tap(refer_to_ok(ref, user, method),
        "%s: Refer-To: <sip:%s@…>;method=%s with the method outside <> (%r)" %
        (what, user, method, ref.header("refer-to")))
    tap(tag_of(ref.header("to")) is None and ref.call_id not in dialogs,
        "%s: the REFER is out of dialog (To %r, Call-ID %s)" % (what, ref.header("to"),
                                                                ref.call_id))
    notifies = [m for m in msgs if m.direction == "sent" and m.method == "NOTIFY" and
                m.call_id == ref.call_id]
    answered = [answer_to(msgs, n, "received") for n in notifies]
    tap(len(notifies) == 2 and all(a is not None and a.status == 200 for a in answered),
        "%s: both sipfrag NOTIFYs answered 200 (%s)" %
        (what, [a.first if a else None for a in answered]))


# --- cases -----------------------------------------------------------------------

def case_join(work, env):
    room = MsrpRoom().start()
    focus = Focus(work, "join", room.port)
    if not tap(focus.ok, "join: SIPp focus listens on 127.0.0.1 (port %s)" % focus.port):
        room.close()
        return
    ROOM = focus.room("room1")
    room.room_uri = ROOM
    cli = Cli(["conference", "join", ROOM, "--nickname", "Tester"], env)
    before = len(results)
    try:
        run_join(cli, room, focus, ROOM)
    finally:
        if cli.proc.poll() is None:
            cli.kill()
        focus.stop()
        room.close()
    if not all(results[before:]):
        cli.show("join")


def run_join(cli, room, focus, ROOM):
    joined = cli.wait_for(lambda e: e.get("event") == "conference" and e.get("state") == "joined",
                          20)
    tap(joined is not None and joined.get("focus") is True and joined.get("room") == ROOM,
        "join: conference joined with focus:true (%s)" % short(joined))
    joining = cli.of("conference", state="joining")
    tap(bool(joining) and joined is not None and
        cli.events.index(joining[0]) < cli.events.index(joined),
        "join: joining came before joined")

    # Our address, as the INVITE's From says it (the CPIM From must equal it).
    invites = requests(focus.messages(), "INVITE")
    self_uri = uri_of(invites[0].header("from")) if invites else None
    tap(bool(invites) and invites[0].ruri == ROOM,
        "join: the INVITE went to the room (%s)" % (invites[0].first if invites else None))
    note("our address: %s" % self_uri)

    v9 = cli.wait_for(lambda e: is_room(e, 9), 25)
    tap(v9 is not None, "join: the NOTIFY series was applied up to version 9")
    active = cli.of("subscription", state="active")
    tap(bool(active) and all(e.get("room") == ROOM for e in active),
        "join: subscription active (%s)" % short(cli.of("subscription")))

    # --- MSRP: nickname, messages ----------------------------------------------
    conn = room.wait_connected(15)
    tap(conn is not None, "join: the client connected to the room's MSRP port")
    nick = room.wait_for(lambda f: f.method == "NICKNAME", 10)
    tap(nick is not None and nick.header("Use-Nickname") == '"Tester"',
        "join: --nickname sent NICKNAME with Use-Nickname: \"Tester\" (%s)" %
        (nick.headers if nick else None))
    tap(nick is not None and not nick.has("Success-Report") and not nick.has("Failure-Report"),
        "join: the NICKNAME carries no Success-Report/Failure-Report")
    ev = cli.wait_for(lambda e: e.get("event") == "nickname" and e.get("nickname") == "Tester", 10)
    tap(ev is not None and ev.get("state") == "accepted",
        "join: nickname Tester accepted (%s)" % short(ev))

    cli.line("Hello room, tester here")
    sent = room.wait_for(lambda f: f.method == "SEND" and f.cpim() and
                         f.cpim()[2] == "Hello room, tester here", 10)
    cp = sent.cpim() if sent else None
    tap(sent is not None and (sent.header("Content-Type") or "").startswith("message/cpim"),
        "join: a public line went out as message/cpim over MSRP")
    tap(cp is not None and uri_of(cp[0].get("to", [""])[0]) == ROOM,
        "join: public message: CPIM To is the room (%s)" % (cp[0].get("to") if cp else None))
    tap(cp is not None and self_uri and uri_of(cp[0].get("from", [""])[0]) == self_uri,
        "join: public message: CPIM From %s equals the INVITE From URI %s" %
        (cp[0].get("from") if cp else None, self_uri))

    cli.line("/msg sip:dave@127.0.0.1 psst, dave")
    sent = room.wait_for(lambda f: f.method == "SEND" and f.cpim() and
                         f.cpim()[2] == "psst, dave", 10)
    cp = sent.cpim() if sent else None
    tap(cp is not None and uri_of(cp[0].get("to", [""])[0]) == "sip:dave@127.0.0.1",
        "join: /msg: CPIM To is the participant (%s)" % (cp[0].get("to") if cp else None))
    tap(cp is not None and self_uri and uri_of(cp[0].get("from", [""])[0]) == self_uri,
        "join: /msg: CPIM From %s equals the INVITE From URI" %
        (cp[0].get("from") if cp else None))

    mark = cli.mark()
    cli.line("/nick taken")
    ev = cli.wait_for(lambda e: e.get("event") == "nickname" and e.get("nickname") == "taken",
                      10, mark)
    tap(ev is not None and ev.get("state") == "refused" and ev.get("status") == 425,
        "join: /nick taken refused with 425 (%s)" % short(ev))
    mark = cli.mark()
    cli.line("/nick Tester2")
    ev = cli.wait_for(lambda e: e.get("event") == "nickname" and e.get("nickname") == "Tester2",
                      10, mark)
    nick = room.wait_for(lambda f: f.method == "NICKNAME" and
                         f.header("Use-Nickname") == '"Tester2"', 5)
    tap(ev is not None and ev.get("state") == "accepted" and nick is not None and
        not nick.has("Success-Report") and not nick.has("Failure-Report"),
        "join: /nick Tester2: NICKNAME without report headers, accepted (%s)" % short(ev))

    room.send_status("dave <dave@127.0.0.1> has joined the room with chat")
    ev = cli.wait_for(lambda e: e.get("event") == "message" and
                      e.get("text") == "dave <dave@127.0.0.1> has joined the room with chat", 10)
    tap(ev is not None and ev.get("status") is True and not ev.get("private"),
        "join: a room notice is printed with status:true (%s)" % short(ev))
    room.send_public("dave", "sip:dave@127.0.0.1", "Hi all, dave here")
    ev = cli.wait_for(lambda e: e.get("event") == "message" and
                      e.get("text") == "Hi all, dave here", 10)
    tap(ev is not None and ev.get("from") == "sip:dave@127.0.0.1" and not ev.get("private") and
        not ev.get("status"),
        "join: dave's public message is printed from sip:dave@127.0.0.1 (%s)" % short(ev))
    room.send_private("dave", "sip:dave@127.0.0.1", self_uri or "sip:unknown@127.0.0.1",
                      "just for you")
    ev = cli.wait_for(lambda e: e.get("event") == "message" and e.get("text") == "just for you",
                      10)
    tap(ev is not None and ev.get("private") is True and ev.get("to") == self_uri and
        ev.get("from") == "sip:dave@127.0.0.1",
        "join: dave's private message is printed with private:true, to us (%s)" % short(ev))
    # The 200s and REPORTs may follow the events a little.
    deadline = time.time() + 5
    while True:
        acks = [f for f in room.responses() if f.status == 200]
        reports = [f for f in room.requests("REPORT") if f.header("Status") == "000 200 OK"]
        if (len(acks) >= 3 and len(reports) >= 3) or time.time() > deadline:
            break
        time.sleep(0.1)
    tap(len(acks) >= 3 and len(reports) >= 3,
        "join: the client answered the room's 3 SENDs with 200 (%d) and success REPORTs (%d)" %
        (len(acks), len(reports)))

    # --- REFER: invite, remove, busy ---------------------------------------------
    for uri, line, method, status in (
            ("sip:bob@127.0.0.1", "/invite sip:bob@127.0.0.1", "INVITE", 200),
            ("sip:dave@127.0.0.1", "/remove sip:dave@127.0.0.1", "BYE", 200),
            ("sip:busy@127.0.0.1", "/invite sip:busy@127.0.0.1", "INVITE", 486)):
        cli.line(line)
        cli.wait_for(lambda e: e.get("event") == "refer" and e.get("uri") == uri and
                     e.get("final") is True, 15)
        check_refer(cli, ROOM, uri, method, status, "join %s" % line.split()[0])

    # --- the refresh and an identical document ----------------------------------------
    v10 = cli.wait_for(lambda e: is_room(e, 10), 25)
    tap(v10 is not None, "join: the refresh's NOTIFY (version 10) was applied")

    # --- documents ------------------------------------------------------------------------
    seg, order = segments(cli.events)
    tap(order[:6] == [1, 2, 3, 4, 9, 10],
        "join: room events for versions 1, 2, 3, 4, 9, 10 (the stale v4 ignored): %s" % order)
    check_documents(seg, self_uri, "join")
    if 10 in seg:
        r, evs = seg[10]
        tap(evs == [] and r.get("user_count") == 3,
            "join: v10 (same users and file as v9) changes nothing (%s)" % summary(evs))

    # --- leave ----------------------------------------------------------------------------
    cli.close_stdin()
    rc = cli.wait(20)
    tap(rc == 0, "join: EOF leaves the room and exits 0 (rc %s)" % rc)
    tap(bool(cli.of("conference", state="left")), "join: conference left printed")
    time.sleep(0.5)
    check_join_trace(focus, ROOM, self_uri)


def check_documents(seg, self_uri, what):
    def part(v):
        return seg.get(v, ({}, []))

    r, evs = part(1)
    carol = [e for e in evs if who(e) == "carol"]
    me = [e for e in evs if e.get("entity") == self_uri]
    tap(len(evs) == 2 and len(carol) == 1 and carol[0].get("action") == "joined" and
        len(me) == 1 and me[0].get("action") == "joined",
        "%s: v1: carol and we joined (%s)" % (what, summary(evs)))
    tap(carol and carol[0].get("entity") == "sip:carol@127.0.0.1" and
        carol[0].get("display") == "carol" and media_set(carol[0]) == ["audio", "message"] and
        carol[0].get("status") == "connected" and carol[0].get("self") is False and
        carol[0].get("on_hold") is False and carol[0].get("muted") is False,
        "%s: v1: carol with audio+message, connected, not self (%s)" % (what, short(carol)))
    tap(me and me[0].get("self") is True, "%s: v1: our own entry has self:true (%s)" %
        (what, short(me)))
    tap(r.get("user_count") == 2 and r.get("subject") == "Integration tests" and
        r.get("display_text") == "Confab test room" and r.get("active") is True and
        r.get("locked") is False,
        "%s: v1: room user_count 2, subject, display text, active, unlocked (%s)" %
        (what, short(r)))

    r, evs = part(2)
    tap(summary(evs) == [("participant", "joined", "dave")] and
        evs[0].get("display") == "dave" and media_set(evs[0]) == ["message"] and
        evs[0].get("on_hold") is False,
        "%s: v2 (partial): dave joined, nothing else (%s)" % (what, short(evs)))
    tap(r.get("user_count") == 3, "%s: v2: user_count 3 (%s)" % (what, r.get("user_count")))

    r, evs = part(3)
    tap(summary(evs) == [("participant", "changed", "dave")] and evs[0].get("on_hold") is True,
        "%s: v3 (partial): dave changed, on_hold (%s)" % (what, short(evs)))
    tap(r.get("user_count") == 3 and r.get("subject") == "Integration tests",
        "%s: v3: user_count 3, subject kept by a partial document (%s)" % (what, short(r)))

    r, evs = part(4)
    tap(summary(evs) == [("participant", "left", "carol")],
        "%s: v4 (partial): carol left, nothing else (%s)" % (what, summary(evs)))
    tap(r.get("user_count") == 2, "%s: v4: user_count 2 (%s)" % (what, r.get("user_count")))

    everything = [e for v, (rr, evs) in seg.items() for e in [rr] + evs]
    tap(not any(who(e) == "mallory" for e in everything) and
        not any(e.get("subject") == "STALE SUBJECT" for e in everything) and
        not any(e.get("user_count") == 7 for e in everything),
        "%s: the stale v4 changed nothing (no mallory, no subject, no user_count 7)" % what)

    r, evs = part(9)
    erin = [e for e in evs if who(e) == "erin"]
    dave = [e for e in evs if who(e) == "dave"]
    files = [e for e in evs if e.get("event") == "room-file"]
    tap(len(erin) == 1 and erin[0].get("action") == "joined" and
        media_set(erin[0]) == ["audio", "message"],
        "%s: v9 (full, version gap): erin joined with audio+message (%s)" % (what, short(erin)))
    tap(all(e.get("action") == "changed" and e.get("on_hold") is False for e in dave),
        "%s: v9: dave stays (changed off hold or unchanged) (%s)" % (what, short(dave)))
    tap(not any(e.get("action") == "left" for e in evs) and
        not any(e.get("entity") == self_uri for e in evs),
        "%s: v9: nobody left, our entry untouched (%s)" % (what, summary(evs)))
    tap(len(files) == 1 and files[0].get("action") == "added" and
        files[0].get("name") == "notes.txt" and files[0].get("hash") == FILE_HASH and
        files[0].get("size") == FILE_SIZE and
        "sip:carol@127.0.0.1" in (files[0].get("sender") or ""),
        "%s: v9: room file notes.txt added with hash, size and sender (%s)" %
        (what, short(files)))
    tap(r.get("user_count") == 3 and r.get("subject") in ("", None) and
        r.get("display_text") == "Confab test room",
        "%s: v9: user_count 3, the empty subject of the full document (%s)" % (what, short(r)))


def check_join_trace(focus, ROOM, self_uri):
    msgs = focus.messages()
    invites = requests(msgs, "INVITE")
    inv_ok = [m for m in msgs if m.direction == "sent" and m.status == 200 and
              m.cseq_method == "INVITE"]
    subs = requests(msgs, "SUBSCRIBE")
    tap(len(invites) == 1 and len(inv_ok) >= 1 and bool(requests(msgs, "ACK")),
        "join trace: INVITE, 200 (;isfocus), ACK")
    if not subs:
        tap(False, "join trace: a SUBSCRIBE reached the focus")
        return
    first = subs[0]
    tap(msgs.index(first) > msgs.index(inv_ok[0]) if inv_ok else False,
        "join trace: the SUBSCRIBE came after the INVITE's 200")
    tap(first.ruri == ROOM and (first.header("event") or "").split(";")[0].strip() == "conference",
        "join trace: SUBSCRIBE %s with Event: %s" % (first.ruri, first.header("event")))
    tap("application/conference-info+xml" in (first.header("accept") or ""),
        "join trace: Accept: %s" % first.header("accept"))
    tap(uri_of(first.header("from")) == self_uri,
        "join trace: SUBSCRIBE From is our address (%s)" % first.header("from"))
    dialog = [m for m in subs if m.call_id == first.call_id]
    refreshes = [m for m in dialog[1:] if (m.expires() or 0) > 0]
    tap(bool(refreshes) and all(tag_of(m.header("to")) for m in refreshes) and
        all(answer_to(msgs, m) is not None and answer_to(msgs, m).status == 200
            for m in refreshes),
        "join trace: the refresh SUBSCRIBE came in the same dialog and got 200 (%d)" %
        len(refreshes))
    unsub = [m for m in dialog if m.expires() == 0]
    tap(bool(unsub) and answer_to(msgs, unsub[0]) is not None and
        tag_of(unsub[0].header("to")) is not None,
        "join trace: leaving un-SUBSCRIBEd (Expires: 0) in the dialog")
    tap(len(unsub) == 1, "join trace: one un-SUBSCRIBE, not more (%d)" % len(unsub))
    byes = requests(msgs, "BYE")
    tap(len(byes) == 1 and byes[0].call_id == invites[0].call_id,
        "join trace: leaving sent BYE in the INVITE dialog (%d)" % len(byes))
    notifies = [m for m in msgs if m.direction == "sent" and m.method == "NOTIFY" and
                m.call_id == first.call_id and
                "active" in (m.header("subscription-state") or "")]
    answered = [answer_to(msgs, n, "received") for n in notifies]
    tap(len(notifies) >= 7 and all(a is not None and a.status == 200 for a in answered),
        "join trace: every conference NOTIFY (%d) answered 200 (%s)" %
        (len(notifies), sorted({a.status if a else None for a in answered}, key=str)))
    dialogs = {invites[0].call_id, first.call_id}
    trace_refer(msgs, "bob", "INVITE", "join /invite", dialogs)
    trace_refer(msgs, "dave", "BYE", "join /remove", dialogs)
    trace_refer(msgs, "busy", "INVITE", "join /invite busy", dialogs)
    trouble = focus.trouble()
    tap(not trouble, "join: the focus saw no unexpected message (%s)" % trouble[:5])


def case_watch(work, env):
    room = MsrpRoom().start()
    focus = Focus(work, "watch", room.port)
    if not tap(focus.ok, "watch: SIPp focus listens (port %s)" % focus.port):
        room.close()
        return
    ROOM = focus.room("room1")
    cli = Cli(["conference", "watch", ROOM], env)
    before = len(results)
    try:
        v9 = cli.wait_for(lambda e: is_room(e, 9), 25)
        tap(v9 is not None and v9.get("user_count") == 3,
            "watch: the NOTIFY series was applied up to version 9 (%s)" % short(v9))
        seg, order = segments(cli.events)
        tap(order[:5] == [1, 2, 3, 4, 9], "watch: room versions %s" % order)
        present = set()
        for v in order:
            for e in seg[v][1]:
                if e.get("event") == "participant":
                    if e.get("action") == "joined":
                        present.add(who(e))
                    elif e.get("action") == "left":
                        present.discard(who(e))
        tap({"dave", "erin"} <= present and "carol" not in present and "mallory" not in present,
            "watch: in the room at the end: %s" % sorted(present, key=str))
        tap(not cli.of("conference", state="joined"), "watch: no conference joined event")
        cli.line("/invite sip:frank@127.0.0.1")
        cli.wait_for(lambda e: e.get("event") == "refer" and e.get("final") is True, 15)
        check_refer(cli, ROOM, "sip:frank@127.0.0.1", "INVITE", 200, "watch /invite")
        cli.proc.send_signal(signal.SIGINT)
        rc = cli.wait(20)
        tap(rc == 0, "watch: SIGINT un-SUBSCRIBEs and exits 0 (rc %s)" % rc)
        time.sleep(0.5)
        msgs = focus.messages()
        tap(not requests(msgs, "INVITE") and room.wait_connected(0) is None,
            "watch: no INVITE, no MSRP connection")
        subs = requests(msgs, "SUBSCRIBE")
        tap(bool(subs) and subs[-1].expires() == 0 and subs[-1].call_id == subs[0].call_id and
            answer_to(msgs, subs[-1]) is not None,
            "watch: the last SUBSCRIBE is the un-SUBSCRIBE in the dialog (%s)" %
            [m.expires() for m in subs])
        tap(len([m for m in subs if m.expires() == 0]) == 1,
            "watch: one un-SUBSCRIBE, not more (Expires of each SUBSCRIBE: %s)" %
            [m.expires() for m in subs])
        trace_refer(msgs, "frank", "INVITE", "watch /invite",
                    {subs[0].call_id} if subs else set())
        trouble = focus.trouble()
        tap(not trouble, "watch: the focus saw no unexpected message (%s)" % trouble[:5])
    finally:
        if cli.proc.poll() is None:
            cli.kill()
        focus.stop()
        room.close()
    if not all(results[before:]):
        cli.show("watch")


def case_noroom(work, env):
    room = MsrpRoom().start()
    focus = Focus(work, "noroom", room.port)
    if not tap(focus.ok, "noroom: SIPp focus listens (port %s)" % focus.port):
        room.close()
        return
    ROOM = focus.room("noroom")
    before = len(results)
    watch = Cli(["conference", "watch", ROOM], env)
    join = None
    try:
        rc = watch.wait(20)
        tap(rc == 5, "noroom: watch of a room that does not exist (480) exits 5 (rc %s)" % rc)
        failed = watch.of("subscription", state="failed")
        tap(bool(failed), "noroom: subscription failed printed (%s)" % short(failed))
        join = Cli(["conference", "join", ROOM], env)
        rc = join.wait(20)
        tap(rc == 5, "noroom: join refused with 480 exits 5 (rc %s)" % rc)
        tap(not join.of("conference", state="joined"), "noroom: join never printed joined")
        msgs = focus.messages()
        sub480 = [m for m in msgs if m.direction == "sent" and m.status == 480 and
                  m.cseq_method == "SUBSCRIBE"]
        inv480 = [m for m in msgs if m.direction == "sent" and m.status == 480 and
                  m.cseq_method == "INVITE"]
        tap(len(sub480) >= 1 and len(inv480) == 1 and
            len(requests(msgs, "SUBSCRIBE")) == len(sub480),
            "noroom trace: SUBSCRIBE and INVITE answered 480, no SUBSCRIBE after the "
            "INVITE's 480 (%d SUBSCRIBE)" % len(requests(msgs, "SUBSCRIBE")))
    finally:
        for c in (watch, join):
            if c and c.proc.poll() is None:
                c.kill()
        focus.stop()
        room.close()
    if not all(results[before:]):
        watch.show("noroom watch")
        if join:
            join.show("noroom join")


def case_minexp(work, env):
    room = MsrpRoom().start()
    focus = Focus(work, "minexp", room.port)
    if not tap(focus.ok, "minexp: SIPp focus listens (port %s)" % focus.port):
        room.close()
        return
    ROOM = focus.room("minexp")
    before = len(results)
    cli = Cli(["conference", "watch", ROOM], env)
    try:
        v9 = cli.wait_for(lambda e: is_room(e, 9), 25)
        tap(v9 is not None, "minexp: subscribed after the 423 and got the documents")
        tap(bool(cli.of("subscription", state="active")), "minexp: subscription active")
        cli.close_stdin()
        rc = cli.wait(20)
        tap(rc == 0, "minexp: EOF un-SUBSCRIBEs and exits 0 (rc %s)" % rc)
        time.sleep(0.3)
        msgs = focus.messages()
        subs = requests(msgs, "SUBSCRIBE")
        answers = [answer_to(msgs, m) for m in subs]
        codes = [a.status if a else None for a in answers]
        tap(len(subs) >= 2 and codes[0] == 423 and answers[0].header("min-expires") == "1800",
            "minexp trace: the first SUBSCRIBE got 423 Min-Expires: 1800 (%s)" % codes)
        tap(len(subs) >= 2 and (subs[1].expires() or 0) >= 1800 and codes[1] == 200 and
            (answers[1].expires() or 0) >= 1800,
            "minexp trace: the retry asked Expires %s >= 1800 and got 200 with Expires %s" %
            (subs[1].expires() if len(subs) > 1 else None,
             answers[1].expires() if len(subs) > 1 and answers[1] else None))
        tap(len(subs) >= 3 and subs[-1].expires() == 0,
            "minexp trace: the un-SUBSCRIBE (Expires: 0) at the end (%s)" %
            [m.expires() for m in subs])
        tap(len([m for m in subs if m.expires() == 0]) == 1,
            "minexp trace: one un-SUBSCRIBE, not more (%s)" % [m.expires() for m in subs])
        trouble = focus.trouble()
        tap(not trouble, "minexp: the focus saw no unexpected message (%s)" % trouble[:5])
    finally:
        if cli.proc.poll() is None:
            cli.kill()
        focus.stop()
        room.close()
    if not all(results[before:]):
        cli.show("minexp")


# --- audio in a room ----------------------------------------------------------

def sdp_media(body):
    """The m-sections of an SDP body: [{"media", "port", "proto", "fmts",
    "attrs" [(name, value)], "addr"}], the session-level c= applied."""
    session_addr, sections = None, []
    for line in re.split(r"\r?\n", body or ""):
        if line.startswith("m="):
            fields = line[2:].split()
            if len(fields) < 3 or not fields[1].isdigit():
                continue
            sections.append({"media": fields[0], "port": int(fields[1]), "proto": fields[2],
                             "fmts": fields[3:], "attrs": [], "addr": session_addr})
        elif line.startswith("c="):
            addr = line.split()[-1] if len(line.split()) >= 3 else None
            if sections:
                sections[-1]["addr"] = addr
            else:
                session_addr = addr
        elif line.startswith("a=") and sections:
            name, _, value = line[2:].partition(":")
            sections[-1]["attrs"].append((name, value))
    return sections


def attr(section, name):
    return [v for n, v in section["attrs"] if n == name]


def has_rtpmap(section, encoding):
    """The payload type of @encoding (e.g. "PCMU/8000") in an m-section, or None."""
    for value in attr(section, "rtpmap"):
        pt, _, enc = value.partition(" ")
        if enc.lower() == encoding.lower() and pt in section["fmts"]:
            return pt
    if encoding.upper() == "PCMU/8000" and "0" in section["fmts"]:
        return "0"          # static payload type, rtpmap optional
    return None


def tone_powers(samples, rate, skip=0.5):
    body = samples[int(rate * skip):]
    return goertzel_power(body, rate, OUR_TONE), goertzel_power(body, rate, ROOM_TONE)


def case_audio(work, env):
    """join --audio --chat: a focus answering audio and chat; RTP both ways."""
    tone = os.path.join(work, "tone-%d.wav" % OUR_TONE)
    record = os.path.join(work, "audio-room.wav")
    write_tone(tone, OUR_TONE, seconds=AUDIO_SECONDS + 10)
    room = MsrpRoom().start()
    rtp = RtpRoom(tone_hz=ROOM_TONE).start()
    focus = Focus(work, "audio", room.port, rtp.port)
    if not tap(focus.ok, "audio: SIPp focus listens (port %s), RTP peer on %d" %
               (focus.port, rtp.port)):
        room.close()
        rtp.close()
        return
    ROOM = focus.room("room1")
    room.room_uri = ROOM
    cli = Cli(["conference", "join", ROOM, "--audio", "--chat", "--play", tone,
               "--record", record], env)
    before = len(results)
    try:
        run_audio(cli, room, rtp, focus, ROOM, record)
    finally:
        if cli.proc.poll() is None:
            cli.kill()
        focus.stop()
        room.close()
        rtp.close()
    if not all(results[before:]):
        cli.show("audio")


def run_audio(cli, room, rtp, focus, ROOM, record):
    joined = cli.wait_for(lambda e: e.get("event") == "conference" and e.get("state") == "joined",
                          20)
    joined_at = time.time()
    tap(joined is not None and joined.get("focus") is True and not joined.get("reason"),
        "audio: joined the room, recognised as a focus (%s)" % short(joined))

    # Our offer, as the focus got it: audio first, then the chat.
    invites = requests(focus.messages(), "INVITE")
    offer = sdp_media(invites[0].body) if invites else []
    kinds = [m["media"] for m in offer]
    tap(len(invites) == 1 and kinds == ["audio", "message"],
        "audio trace: one INVITE offering m=audio and m=message (%s)" % kinds)
    audio = offer[0] if kinds[:1] == ["audio"] else None
    chat = offer[1] if kinds[1:2] == ["message"] else None
    tap(audio is not None and audio["proto"] in ("RTP/AVP", "RTP/SAVP") and
        has_rtpmap(audio, "PCMU/8000") is not None and
        has_rtpmap(audio, "telephone-event/8000") is not None and audio["port"] > 0,
        "audio trace: m=audio %s offers PCMU/8000 and telephone-event/8000 (%s)" %
        (audio and audio["proto"], audio and (audio["fmts"], attr(audio, "rtpmap"))))
    tap(chat is not None and chat["proto"] in ("TCP/MSRP", "TCP/TLS/MSRP") and
        bool(attr(chat, "path")) and
        "message/cpim" in " ".join(attr(chat, "accept-types")),
        "audio trace: m=message %s with a path and message/cpim (%s)" %
        (chat and chat["proto"], chat and chat["attrs"]))
    msgs = focus.messages()
    answers = [m for m in msgs if m.direction == "sent" and m.status == 200 and
               m.cseq_method == "INVITE"]
    tap(bool(answers) and ";isfocus" in (answers[0].header("contact") or "") and
        [m["media"] for m in sdp_media(answers[0].body)] == ["audio", "message"],
        "audio trace: the focus answered both streams with Contact ;isfocus (%s)" %
        (answers[0].header("contact") if answers else None))
    target = (audio["addr"] or "127.0.0.1", audio["port"]) if audio else None
    if target:
        rtp.send_to(target)       # the room's mixer talks to the offer's m=audio

    v9 = cli.wait_for(lambda e: is_room(e, 9), 25)
    active = cli.of("subscription", state="active")
    tap(v9 is not None and bool(active) and bool(cli.of("participant", action="joined")),
        "audio: the conference subscription runs: active, participants, up to version 9")

    # The chat in the same session, both ways.
    tap(room.wait_connected(15) is not None, "audio: the chat connected to the room's MSRP port")
    cli.line("Hello room, with audio")
    sent = room.wait_for(lambda f: f.method == "SEND" and f.cpim() and
                         f.cpim()[2] == "Hello room, with audio", 10)
    tap(sent is not None and uri_of(sent.cpim()[0].get("to", [""])[0]) == ROOM,
        "audio: a public line reached the room as CPIM To: the room")
    room.send_public("erin", "sip:erin@127.0.0.1", "erin hears you")
    ev = cli.wait_for(lambda e: e.get("event") == "message" and e.get("text") == "erin hears you",
                      10)
    tap(ev is not None and ev.get("from") == "sip:erin@127.0.0.1",
        "audio: erin's room message is printed (%s)" % short(ev))

    # Room audio for a while, then what the room's mixer got.
    left = joined_at + AUDIO_SECONDS - time.time()
    if left > 0:
        time.sleep(left)
    got = rtp.received(rtp_room.PCMU)
    everything = rtp.received()
    tap(len(got) >= AUDIO_SECONDS * 50 * 0.6,
        "audio: the room got %d PCMU packets in %.1f s (sent %d)" %
        (len(got), AUDIO_SECONDS, rtp.sent))
    tap(bool(got) and sorted({p[2] for p in everything}) == [rtp_room.PCMU] and
        len({p[4] for p in got}) == 1,
        "audio: only PCMU (payload type 0), one SSRC (types %s, %d SSRCs)" %
        (sorted({p[2] for p in everything}), len({p[4] for p in got})))
    tap(target is not None and rtp.sources() == [target],
        "audio: symmetric RTP: every packet came from the offer's m=audio %s (%s)" %
        (target, rtp.sources()))
    p_ours, p_room = tone_powers(rtp.audio(), rtp_room.RATE)
    note("audio: the room hears %d Hz %.2e, %d Hz %.2e" % (OUR_TONE, p_ours, ROOM_TONE, p_room))
    tap(p_ours > 1e-3 and p_ours > 20 * p_room,
        "audio: the room hears our --play tone (%d Hz)" % OUR_TONE)

    # Leave: one BYE, the media stops.
    cli.close_stdin()
    rc = cli.wait(20)
    tap(rc == 0, "audio: EOF leaves the room and exits 0 (rc %s)" % rc)
    time.sleep(0.3)
    count = len(rtp.received())
    time.sleep(0.6)
    tap(len(rtp.received()) == count, "audio: no RTP from us after leaving (%d more)" %
        (len(rtp.received()) - count))
    rtp.stop_sending()
    msgs = focus.messages()
    byes = requests(msgs, "BYE")
    tap(len(byes) == 1 and invites and byes[0].call_id == invites[0].call_id and
        answer_to(msgs, byes[0]) is not None and answer_to(msgs, byes[0]).status == 200,
        "audio trace: leaving sent one BYE, in the INVITE dialog, answered 200 (%d)" % len(byes))
    subs = requests(msgs, "SUBSCRIBE")
    tap(len([m for m in subs if m.expires() == 0]) == 1 and len(requests(msgs, "INVITE")) == 1,
        "audio trace: one un-SUBSCRIBE, no second INVITE (Expires %s)" %
        [m.expires() for m in subs])

    # What we heard: the room's tone in --record.
    try:
        rate, samples = read_wav(record)
        seconds = len(samples) / float(rate)
        p_ours, p_room = tone_powers(samples, rate)
    except (OSError, ValueError, EOFError, wave.Error) as e:
        tap(False, "audio: --record %s readable (%s)" % (record, e))
        return
    note("audio: --record %.2f s, %d Hz %.2e, %d Hz %.2e" %
         (seconds, ROOM_TONE, p_room, OUR_TONE, p_ours))
    tap(p_room > 1e-3 and p_room > 20 * p_ours,
        "audio: --record holds the room's tone (%d Hz), not ours" % ROOM_TONE)
    tap(seconds >= AUDIO_SECONDS - 0.5, "audio: --record covers the session (%.2f s)" % seconds)
    trouble = focus.trouble()
    tap(not trouble, "audio: the focus saw no unexpected message (%s)" % trouble[:5])


# --- room files ---------------------------------------------------------------

def colon_hash(data):
    h = hashlib.sha1(data).hexdigest().upper()
    return "sha-1:" + ":".join(h[i:i + 2] for i in range(0, 40, 2))


def file_selector(section):
    """{name, type, size, hash} of an m-section's a=file-selector."""
    value = (attr(section, "file-selector") or [""])[0]
    out = {}
    m = re.search(r'name:"([^"]*)"', value)
    out["name"] = m.group(1) if m else None
    for key in ("type", "size", "hash"):
        m = re.search(r"(?:^|\s)%s:(\S+)" % key, value)
        out[key] = m.group(1) if m else None
    return out


def transfer_finals(cli):
    return [e for e in cli.of("transfer") if e.get("state") in
            ("done", "failed", "cancelled", "declined")]


def file_dialog(msgs, invite):
    """(the final answer to @invite, the BYEs in its dialog)."""
    return (answer_to(msgs, invite),
            [m for m in requests(msgs, "BYE") if m.call_id == invite.call_id])


def case_files(work, env):
    """send-file and fetch-file against the focus; the files on the MSRP
    side of msrp_room.py."""
    tap(colon_hash(ROOM_FILE) == FILE_HASH and len(ROOM_FILE) == FILE_SIZE,
        "files: notes.txt as served matches the hash and size in focus.xml")
    downloads = os.path.join(work, "Downloads")
    os.makedirs(downloads)
    os.makedirs(env["XDG_CONFIG_HOME"], exist_ok=True)
    with open(os.path.join(env["XDG_CONFIG_HOME"], "user-dirs.dirs"), "w") as f:
        f.write('XDG_DOWNLOAD_DIR="%s"\n' % downloads)
    room = MsrpRoom(room_file=("notes.txt", "text/plain", ROOM_FILE)).start()
    focus = Focus(work, "files", room.port)
    if not tap(focus.ok, "files: SIPp focus listens (port %s)" % focus.port):
        room.close()
        return
    ROOM = focus.room("room1")
    shown = []
    before = len(results)
    try:
        files_push(work, env, room, focus, ROOM, shown)
        files_pull(work, env, room, focus, ROOM, downloads, shown)
        trouble = focus.trouble()
        tap(not trouble, "files: the focus saw no unexpected message (%s)" % trouble[:5])
    finally:
        for c, _ in shown:
            if c.proc.poll() is None:
                c.kill()
        focus.stop()
        room.close()
    if not all(results[before:]):
        for c, name in shown:
            c.show(name)


def files_push(work, env, room, focus, ROOM, shown):
    """Upload: a push of 200,000 bytes (4 chunks) to the room."""
    source = os.path.join(work, "upload report.bin")
    data = os.urandom(200000)
    with open(source, "wb") as f:
        f.write(data)
    send = Cli(["send-file", ROOM, source], env)
    shown.append((send, "send-file"))
    rc = send.wait(30)
    finals = transfer_finals(send)
    tap(rc == 0 and finals and finals[-1].get("state") == "done" and
        finals[-1].get("direction") == "outgoing",
        "push: send-file to the room exits 0, transfer done (rc %s, %s)" %
        (rc, short(finals[-1:])))
    msgs = focus.messages()
    invites = [m for m in requests(msgs, "INVITE") if "a=file-selector" in m.body]
    offer = sdp_media(invites[0].body) if invites else []
    sel = file_selector(offer[0]) if offer else {}
    tap(len(invites) == 1 and invites[0].ruri == ROOM and len(offer) == 1 and
        offer[0]["media"] == "message" and attr(offer[0], "sendonly") == [""],
        "push trace: one INVITE to the room with one m=message, a=sendonly (%s)" %
        (offer[0]["attrs"] if offer else None))
    tap(sel.get("name") == "upload report.bin" and sel.get("size") == "200000" and
        sel.get("hash") == colon_hash(data),
        "push trace: a=file-selector names the file, its size and SHA-1 (%s)" % sel)
    uploads = room.wait_until(lambda: [u for u in room.uploads if u["complete"]], 5)
    up = uploads[0] if uploads and len(room.uploads) == 1 else None
    got = bytes(up["data"]) if up else b""
    tap(up is not None and up["session"].startswith("push") and up["total"] == len(data) and
        got == data and colon_hash(got) == sel.get("hash"),
        "push: the room received the file intact: SHA-1 of what arrived = source = "
        "a=file-selector hash (%d bytes)" % len(got))
    ranges = up["ranges"] if up else []
    tap(len(ranges) == 4 and ranges[0] == (1, 65536) and ranges[-1][1] == len(data) and
        all(ranges[i + 1][0] == ranges[i][1] + 1 for i in range(len(ranges) - 1)),
        "push: 4 chunks of 64 KiB with contiguous Byte-Ranges (%s)" % ranges)
    if invites:
        answer, byes = file_dialog(msgs, invites[0])
        tap(answer is not None and answer.status == 200 and len(byes) == 1,
            "push trace: 200 (;isfocus), then our one BYE once the file was sent (%d BYE)" %
            len(byes))
    tap(not requests(msgs, "SUBSCRIBE"),
        "push trace: an upload is not a join: no SUBSCRIBE though the answer says ;isfocus")


def files_pull(work, env, room, focus, ROOM, downloads, shown):
    """Download: the file conference-info lists, by its hash; then wrong
    hashes."""
    watch = Cli(["conference", "watch", ROOM], env)
    shown.append((watch, "watch"))
    listed = watch.wait_for(lambda e: e.get("event") == "room-file" and
                            e.get("action") == "added", 20)
    tap(listed is not None and listed.get("name") == "notes.txt" and
        listed.get("hash") == FILE_HASH and listed.get("size") == FILE_SIZE,
        "pull: conference-info lists notes.txt with its hash and size (%s)" % short(listed))
    name = listed.get("name") if listed else "notes.txt"
    digest = listed.get("hash") if listed else FILE_HASH

    # By the listed name and hash, into the download folder (no --dir).
    subs_before = len(requests(focus.messages(), "SUBSCRIBE"))
    fetch = Cli(["fetch-file", ROOM, "--name", name, "--hash", digest], env)
    shown.append((fetch, "fetch-file"))
    rc = fetch.wait(30)
    finals = transfer_finals(fetch)
    done = finals[-1] if finals else {}
    path = os.path.join(downloads, "notes.txt")
    tap(rc == 0 and done.get("state") == "done" and done.get("pull") is True and
        done.get("hash_ok") is True and done.get("path") == path,
        "pull: fetch-file exits 0, done with hash_ok, saved as %s (rc %s, %s)" %
        (path, rc, short(done)))
    content = open(path, "rb").read() if os.path.exists(path) else b""
    tap(content == ROOM_FILE and sorted(os.listdir(downloads)) == ["notes.txt"],
        "pull: the download folder holds notes.txt with the room's content, nothing else "
        "(%d bytes, %s)" % (len(content), sorted(os.listdir(downloads))))
    msgs = focus.messages()
    invites = [m for m in requests(msgs, "INVITE") if 'name:"notes.txt"' in m.body]
    offer = sdp_media(invites[0].body) if invites else []
    sel = file_selector(offer[0]) if offer else {}
    tap(len(invites) == 1 and len(offer) == 1 and attr(offer[0], "recvonly") == [""] and
        sel.get("name") == "notes.txt" and sel.get("hash") == FILE_HASH,
        "pull trace: a recvonly offer with a=file-selector name and hash (%s)" %
        (offer[0]["attrs"] if offer else None))
    served = room.downloads[0] if room.downloads else None
    chunks = served["chunks"] if served else []
    tap(len(room.downloads) == 1 and len(chunks) == 3 and not served["error"],
        "pull: the room sent notes.txt in 3 chunks (%s)" % [c[1:] for c in chunks])
    conn = served["conn"] if served else None
    oks = {f.tid for f in room.responses() if f.conn == conn and f.status == 200}
    reports = [f for f in room.requests("REPORT") if f.conn == conn and
               f.header("Message-ID") == (served or {}).get("message_id")]
    tap(chunks and all(c[0] in oks for c in chunks),
        "pull: the client answered every chunk 200 (%d of %d)" %
        (len([c for c in chunks if c[0] in oks]), len(chunks)))
    want = ["%d-%d/%d" % (c[1], c[2], FILE_SIZE) for c in chunks]
    tap([r.header("Byte-Range") for r in reports] == want and
        all(r.header("Status") == "000 200 OK" for r in reports),
        "pull: a success REPORT for each chunk's range (%s)" %
        [r.header("Byte-Range") for r in reports])
    if invites:
        answer, byes = file_dialog(msgs, invites[0])
        tap(answer is not None and answer.status == 200 and len(byes) == 1,
            "pull trace: 200 (;isfocus), then our one BYE once the file was in (%d BYE)" %
            len(byes))
    tap(len(requests(msgs, "SUBSCRIBE")) == subs_before,
        "pull trace: a download is not a join: fetch-file sent no SUBSCRIBE")

    # A hash the room does not have: 404, as SylkServer answers.
    wrong = colon_hash(b"not the notes")
    target = os.path.join(work, "wrong-404")
    os.makedirs(target)
    fetch = Cli(["fetch-file", ROOM, "--name", name, "--hash", wrong, "--dir", target], env)
    shown.append((fetch, "fetch-file wrong hash"))
    rc = fetch.wait(30)
    finals = transfer_finals(fetch)
    msgs = focus.messages()
    refused = [m for m in msgs if m.direction == "sent" and m.status == 404 and
               m.cseq_method == "INVITE"]
    tap(rc == 5 and len(refused) == 1 and finals and finals[-1].get("state") != "done",
        "pull, wrong hash: the room answers 404, fetch-file exits 5 (rc %s, %s)" %
        (rc, [e.get("state") for e in finals]))
    tap(os.listdir(target) == [], "pull, wrong hash: nothing written (%s)" % os.listdir(target))

    # A room that sends notes.txt whatever hash is asked for: the content
    # does not match, the client must throw it away.
    served_before = len(room.downloads)
    target = os.path.join(work, "wrong-lax")
    os.makedirs(target)
    fetch = Cli(["fetch-file", focus.room("lax"), "--name", name, "--hash", wrong, "--dir",
                 target], env)
    shown.append((fetch, "fetch-file lax"))
    rc = fetch.wait(30)
    finals = transfer_finals(fetch)
    last = finals[-1] if finals else {}
    tap(len(room.downloads) == served_before + 1 and
        room.wait_until(lambda: len(room.downloads[-1]["chunks"]) == 3, 5),
        "pull, lying room: the room did send the 3 chunks")
    tap(rc == 1 and last.get("state") == "failed" and last.get("hash_ok") is not True and
        "hash" in (last.get("reason") or "").lower(),
        "pull, lying room: fetch-file fails on the hash and exits 1 (rc %s, %s)" %
        (rc, short(last)))
    tap(os.listdir(target) == [],
        "pull, lying room: neither notes.txt nor a .part is left (%s)" % os.listdir(target))

    watch.proc.send_signal(signal.SIGINT)
    rc = watch.wait(20)
    tap(rc == 0, "pull: the watcher un-SUBSCRIBEs and exits 0 (rc %s)" % rc)


def main():
    work = tempfile.mkdtemp(prefix="confab-conference-")
    env = dict(os.environ)
    env["XDG_DATA_HOME"] = os.path.join(work, "data")
    env["XDG_CONFIG_HOME"] = os.path.join(work, "config")
    # meson's timeout sends SIGTERM: run the finally below (no SIPp left).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    try:
        fails = msrp_room._selftest()
        tap(not fails, "msrp_room.py self-test %s" % (fails or "passed"))
        if not tap(SIPP is not None, "sipp is installed (package sip-tester)"):
            return 1
        tap(os.path.exists(SCENARIO), "scenario %s exists" % SCENARIO)
        help_ = subprocess.run([CLI, "conference", "--help"], capture_output=True, text=True,
                               timeout=30)
        if not tap(help_.returncode == 0, "confab-cli has the conference command (rc %d)" %
                   help_.returncode):
            note(help_.stderr.strip())
            return 1
        tap(not rtp_room._selftest(), "rtp_room.py self-test")
        case_join(work, env)
        case_audio(work, env)
        case_files(work, env)
        case_watch(work, env)
        case_noroom(work, env)
        case_minexp(work, env)
    finally:
        for p in children:
            if p.poll() is None:
                p.kill()
                try:
                    p.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    pass
        print("1..%d" % len(results), flush=True)
        if all(results):
            shutil.rmtree(work, ignore_errors=True)
        else:
            note("SIPp traces kept in %s" % work)
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
