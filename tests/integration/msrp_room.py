#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A tiny MSRP (RFC 4975) endpoint playing a SylkServer chat room, for
test-conference.py: the passive side over TCP on 127.0.0.1.

The client (confab-cli, a=setup:active) connects to MsrpRoom.path. The room
answers SEND with 200 (and a REPORT when Success-Report: yes), NICKNAME
(RFC 7701) with 200, or 425 when the Use-Nickname is one of `taken`, other
methods except REPORT with 501. It records every request and every response
it receives (method or status, headers, body) and can send the client:
a room status notice (CPIM From "Conference Room", agp.Message-Type: status),
a public message from a participant, and a private one (RFC 7701: CPIM To
is the recipient). Reads are bounded; anything that does not parse closes
the connection.

Room files (RFC 5547) come on the same port, told apart by the session id
of the path the SIPp focus puts in its answer:
- push…: an upload to the room. Each chunk is answered 200 and, with
  Success-Report: yes, REPORTed with its exact Byte-Range; the file is put
  together at the Byte-Range offsets (MsrpRoom.uploads).
- pull…: a download from the room. Once the client has sent its first
  request (the binding SEND), the room sends MsrpRoom.room_file in chunks of
  file_chunk bytes: one Message-ID, Byte-Range start-end/total, the file's
  Content-Type, "+" until the last chunk, Success-Report and Failure-Report
  yes (MsrpRoom.downloads says what went out).

`python3 msrp_room.py` runs a self-test (a client made here) and exits 0
when it passes."""

import os
import re
import socket
import sys
import threading
import time

MAX_FRAME = 2 * 1024 * 1024      # one MSRP frame, headers and body
MAX_HEADERS = 64 * 1024          # before the body
MAX_MESSAGE = 8 * 1024 * 1024    # one message put together from chunks

START_RE = re.compile(rb"^MSRP ([A-Za-z0-9.+%=-]{3,64}) (?:([A-Z]{1,32})|([0-9]{3})(?: (.*))?)$")


class ParseError(Exception):
    pass


def _random_id(n=16):
    return os.urandom(n // 2).hex()


def cpim_body(from_, to, text, status=False, content_type="text/plain; charset=\"utf8\""):
    """A message/cpim body as SylkServer writes it."""
    lines = ["From: %s" % from_, "To: %s" % to,
             "DateTime: %s" % time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime())]
    if status:
        lines += ["NS: agp <urn:ag-projects:xml:ns:cpim>", "agp.Message-Type: status"]
    lines += ["", "MIME-Version: 1.0", "Content-Type: %s" % content_type, "", text]
    return "\r\n".join(lines).encode("utf-8")


def parse_cpim(body):
    """(CPIM headers {lower name: [values]}, MIME headers {lower: value},
    text) of a message/cpim body; None if it is not one."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return None
    parts = text.split("\r\n\r\n", 2)
    if len(parts) < 3:
        parts = text.replace("\r\n", "\n").split("\n\n", 2)
        if len(parts) < 3:
            return None
    cpim, mime, content = parts
    ch = {}
    for line in re.split(r"\r?\n", cpim):
        if ":" in line:
            k, v = line.split(":", 1)
            ch.setdefault(k.strip().lower(), []).append(v.strip())
    mh = {}
    for line in re.split(r"\r?\n", mime):
        if ":" in line:
            k, v = line.split(":", 1)
            mh[k.strip().lower()] = v.strip()
    return ch, mh, content


def uri_of(addr):
    """The URI of a CPIM/SIP name-addr (`Name <sip:x@y>` -> sip:x@y)."""
    m = re.search(r"<([^>]*)>", addr or "")
    return m.group(1) if m else (addr or "").strip()


class Frame:
    """One MSRP request or response as received (or a request put together
    from its chunks): .kind "request"/"response", .method, .status,
    .phrase, .tid, .headers [(name, value)], .body (bytes), .conn (index of
    the connection), .time."""

    def __init__(self, kind, tid, method=None, status=None, phrase=None):
        self.kind, self.tid, self.method = kind, tid, method
        self.status, self.phrase = status, phrase
        self.headers, self.body, self.conn, self.time = [], b"", None, time.time()
        self.flag = "$"

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def has(self, name):
        return any(k.lower() == name.lower() for k, _ in self.headers)

    def cpim(self):
        if (self.header("Content-Type") or "").split(";")[0].strip().lower() != "message/cpim":
            return None
        return parse_cpim(self.body)

    def __repr__(self):
        what = self.method if self.kind == "request" else "%s %s" % (self.status, self.phrase)
        return "<MSRP %s %s %s %r>" % (self.tid, what, self.headers, self.body[:200])


def parse_byte_range(value):
    """(start, end or None for "*", total or None for "*") of a Byte-Range
    header, None when it is not one."""
    m = re.match(r"^\s*(\d+)-(\d+|\*)/(\d+|\*)\s*$", value or "")
    if not m:
        return None
    return (int(m.group(1)), None if m.group(2) == "*" else int(m.group(2)),
            None if m.group(3) == "*" else int(m.group(3)))


def read_frame(buf):
    """(Frame, rest) for the first complete frame in @buf (bytes), (None,
    buf) when more bytes are needed; ParseError when it cannot be one."""
    nl = buf.find(b"\r\n")
    if nl < 0:
        if len(buf) > 512:
            raise ParseError("start line too long")
        return None, buf
    m = START_RE.match(buf[:nl])
    if not m:
        raise ParseError("bad start line %r" % buf[:nl][:100])
    tid = m.group(1)
    end = b"\r\n-------" + tid
    search_from = nl
    while True:
        pos = buf.find(end, search_from)
        if pos < 0:
            if len(buf) > MAX_FRAME:
                raise ParseError("frame larger than %d bytes" % MAX_FRAME)
            head_end = buf.find(b"\r\n\r\n", nl)
            if head_end < 0 and len(buf) > MAX_HEADERS:
                raise ParseError("headers larger than %d bytes" % MAX_HEADERS)
            return None, buf
        after = pos + len(end)
        if len(buf) < after + 3:
            return None, buf
        flag = buf[after:after + 1]
        if flag in (b"$", b"+", b"#") and buf[after + 1:after + 3] == b"\r\n":
            break
        search_from = pos + 1
    content = buf[nl + 2:pos + 2]          # headers (+ blank line + body + CRLF)
    rest = buf[after + 3:]
    if b"\r\n\r\n" in content:
        head, body = content.split(b"\r\n\r\n", 1)
        body = body[:-2] if body.endswith(b"\r\n") else body
    else:
        head, body = content, b""
    if m.group(2):
        frame = Frame("request", tid.decode(), method=m.group(2).decode())
    else:
        frame = Frame("response", tid.decode(), status=int(m.group(3)),
                      phrase=(m.group(4) or b"").decode("utf-8", "replace"))
    frame.flag = flag.decode()
    for line in head.split(b"\r\n"):
        if not line:
            continue
        if b":" not in line:
            raise ParseError("bad header line %r" % line[:100])
        k, v = line.split(b":", 1)
        try:
            frame.headers.append((k.decode("ascii").strip(), v.decode("utf-8").strip()))
        except UnicodeDecodeError:
            raise ParseError("header not UTF-8")
    frame.body = body
    if frame.kind == "request":
        if not frame.header("To-Path") or not frame.header("From-Path"):
            raise ParseError("request without To-Path/From-Path")
    return frame, rest


SESSION_ID_RE = re.compile(r"^msrps?://[^/]+/([^;/ ]+)")


def session_id(path):
    """The session id of an MSRP URI (msrp://host:port/ID;tcp -> ID)."""
    m = SESSION_ID_RE.match(path or "")
    return m.group(1) if m else None


def file_session(sid):
    """"push" or "pull" for a room-file session id, else None (the chat)."""
    for kind in ("push", "pull"):
        if (sid or "").startswith(kind):
            return kind
    return None


class MsrpRoom:
    """The room's MSRP side. start() listens on 127.0.0.1:0; .port, .path.
    room_file: (name, content type, bytes) served to pulls."""

    def __init__(self, room_uri="sip:room1@127.0.0.1", taken=("taken",), session="room1",
                 host="127.0.0.1", room_file=None, file_chunk=65536):
        self.room_uri = room_uri
        self.taken = set(taken)
        self.room_file = room_file
        self.file_chunk = file_chunk
        self.uploads = []         # pushes: dicts, see _handle_push
        self.downloads = []       # pulls served: dicts, see _serve_pull
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((host, 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.path = "msrp://%s:%d/%s;tcp" % (host, self.port, session)
        self.frames = []          # every frame received, in order
        self.errors = []          # why a connection was closed
        self.conns = []           # [socket, client path or None, write lock, our path]
        self.cond = threading.Condition()
        self.closed = False
        self._chunks = {}         # Message-ID -> [bytes]
        self.thread = threading.Thread(target=self._accept, daemon=True)

    def start(self):
        self.thread.start()
        return self

    # --- receiving -------------------------------------------------------
    def _accept(self):
        while not self.closed:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            conn.settimeout(None)
            with self.cond:
                self.conns.append([conn, None, threading.Lock(), None])
                index = len(self.conns) - 1
                self.cond.notify_all()
            threading.Thread(target=self._serve, args=(index,), daemon=True).start()

    def _serve(self, index):
        conn = self.conns[index][0]
        buf = b""
        try:
            while True:
                data = conn.recv(65536)
                if not data:
                    break
                buf += data
                while True:
                    frame, buf = read_frame(buf)
                    if frame is None:
                        break
                    frame.conn = index
                    self._handle(index, frame)
        except ParseError as e:
            with self.cond:
                self.errors.append(str(e))
        except OSError as e:
            with self.cond:
                self.errors.append("connection: %s" % e)
        finally:
            try:
                conn.close()
            except OSError:
                pass
            with self.cond:
                self.conns[index][0] = None
                self.cond.notify_all()

    def _write(self, index, data):
        entry = self.conns[index]
        with entry[2]:
            if entry[0] is None:
                raise OSError("connection closed")
            entry[0].sendall(data)

    def _respond(self, index, req, status, phrase, extra=()):
        to_path = req.header("From-Path")
        lines = ["MSRP %s %d %s" % (req.tid, status, phrase),
                 "To-Path: %s" % to_path.split()[-1] if to_path else "To-Path: ",
                 "From-Path: %s" % (self.conns[index][3] or self.path)]
        lines += ["%s: %s" % kv for kv in extra]
        lines.append("-------%s$" % req.tid)
        self._write(index, ("\r\n".join(lines) + "\r\n").encode("utf-8"))

    def _handle(self, index, frame):
        first = frame.kind == "request" and self.conns[index][1] is None
        if first:
            self.conns[index][1] = frame.header("From-Path").split()[0]
            self.conns[index][3] = frame.header("To-Path").split()[-1]
        kind = file_session(session_id(self.conns[index][3]))
        record = frame
        if kind == "push" and frame.kind == "request" and frame.method == "SEND":
            self._handle_push(index, frame)
        elif kind == "pull" and frame.kind == "request" and frame.method == "SEND":
            self._respond(index, frame, 200, "OK")
            if first:
                threading.Thread(target=self._serve_pull, args=(index,), daemon=True).start()
        elif frame.kind == "request" and frame.method == "SEND":
            mid = frame.header("Message-ID") or ""
            self._chunks.setdefault(mid, []).append(frame.body)
            if sum(len(c) for c in self._chunks[mid]) > MAX_MESSAGE:
                raise ParseError("message larger than %d bytes" % MAX_MESSAGE)
            fr = (frame.header("Failure-Report") or "yes").lower()
            if fr == "yes":
                self._respond(index, frame, 200, "OK")
            if frame.flag == "+":
                return
            body = b"".join(self._chunks.pop(mid))
            if frame.flag == "$" and (frame.header("Success-Report") or "no").lower() == "yes":
                self._report(index, frame, len(body))
            record = Frame("request", frame.tid, method="SEND")
            record.headers, record.body, record.conn = frame.headers, body, index
            record.flag = frame.flag
        elif frame.kind == "request" and frame.method == "NICKNAME":
            nick = (frame.header("Use-Nickname") or "").strip()
            if len(nick) >= 2 and nick[0] == nick[-1] == '"':
                nick = nick[1:-1]
            if nick in self.taken:
                self._respond(index, frame, 425, "Nickname usage failed")
            else:
                self._respond(index, frame, 200, "OK")
        elif frame.kind == "request" and frame.method != "REPORT":
            self._respond(index, frame, 501, "Not Implemented")
        with self.cond:
            self.frames.append(record)
            self.cond.notify_all()

    def _handle_push(self, index, frame):
        """One chunk of an upload: 200 unless Failure-Report says not,
        REPORT of its exact range when Success-Report: yes."""
        mid = frame.header("Message-ID") or ""
        brange = parse_byte_range(frame.header("Byte-Range") or "1-*/*")
        if brange is None:
            self._respond(index, frame, 400, "Bad Byte-Range")
            return
        start, _, total = brange
        end = start + len(frame.body) - 1
        if (frame.header("Failure-Report") or "yes").lower() == "yes":
            self._respond(index, frame, 200, "OK")
        if not frame.body and frame.flag == "$" and total == 0 and start == 1:
            return                                   # the binding SEND
        with self.cond:
            upload = next((u for u in self.uploads if u["message_id"] == mid and
                           u["conn"] == index), None)
            if upload is None:
                upload = {"conn": index, "session": session_id(self.conns[index][3]),
                          "message_id": mid, "content_type": frame.header("Content-Type"),
                          "total": total, "data": bytearray(), "ranges": [],
                          "complete": False, "aborted": False}
                self.uploads.append(upload)
            if total is not None and total + 1 > MAX_MESSAGE:
                raise ParseError("upload larger than %d bytes" % MAX_MESSAGE)
            data = upload["data"]
            if len(data) < end:
                data.extend(b"\0" * (end - len(data)))
            data[start - 1:end] = frame.body
            upload["ranges"].append((start, end))
            upload["aborted"] = upload["aborted"] or frame.flag == "#"
            if frame.flag == "$" and (total is None or len(data) >= total):
                upload["complete"] = True
            self.cond.notify_all()
        if frame.body and (frame.header("Success-Report") or "no").lower() == "yes":
            self._report(index, frame, total if total is not None else end, start, end)

    def _serve_pull(self, index):
        """Sends room_file to the client of connection @index."""
        name, content_type, data = self.room_file or ("empty", "text/plain", b"")
        mid = _random_id()
        served = {"conn": index, "session": session_id(self.conns[index][3]),
                  "message_id": mid, "name": name, "total": len(data), "chunks": [],
                  "error": None}
        with self.cond:
            self.downloads.append(served)
        start = 0
        try:
            while True:
                chunk = data[start:start + self.file_chunk]
                last = start + len(chunk) >= len(data)
                tid = _random_id()
                lines = ["MSRP %s SEND" % tid,
                         "To-Path: %s" % self.conns[index][1],
                         "From-Path: %s" % self.conns[index][3],
                         "Message-ID: %s" % mid,
                         "Success-Report: yes",
                         "Failure-Report: yes",
                         "Byte-Range: %d-%d/%d" % (start + 1, start + len(chunk), len(data)),
                         "Content-Type: %s" % content_type, ""]
                self._write(index, ("\r\n".join(lines) + "\r\n").encode("utf-8") + chunk +
                            ("\r\n-------%s%s\r\n" % (tid, "$" if last else "+")).encode())
                with self.cond:
                    served["chunks"].append((tid, start + 1, start + len(chunk)))
                    self.cond.notify_all()
                start += len(chunk)
                if last:
                    return
        except OSError as e:
            with self.cond:
                served["error"] = str(e)
                self.cond.notify_all()

    def _report(self, index, req, total, start=1, end=None):
        tid = _random_id()
        lines = ["MSRP %s REPORT" % tid,
                 "To-Path: %s" % req.header("From-Path").split()[-1],
                 "From-Path: %s" % (self.conns[index][3] or self.path),
                 "Message-ID: %s" % req.header("Message-ID"),
                 "Byte-Range: %d-%d/%d" % (start, total if end is None else end, total),
                 "Status: 000 200 OK",
                 "-------%s$" % tid]
        self._write(index, ("\r\n".join(lines) + "\r\n").encode("utf-8"))

    # --- for the test ----------------------------------------------------
    def requests(self, method=None):
        with self.cond:
            return [f for f in self.frames if f.kind == "request" and
                    (method is None or f.method == method)]

    def responses(self):
        with self.cond:
            return [f for f in self.frames if f.kind == "response"]

    def wait_for(self, pred, timeout=10):
        """The first received frame for which pred(frame) is true, or None."""
        deadline = time.time() + timeout
        with self.cond:
            while True:
                for f in self.frames:
                    if pred(f):
                        return f
                left = deadline - time.time()
                if left <= 0:
                    return None
                self.cond.wait(min(left, 0.2))

    def wait_connected(self, timeout=10):
        """Index of the first chat connection whose client path is known (it
        sent a request), or None."""
        deadline = time.time() + timeout
        with self.cond:
            while True:
                for i, c in enumerate(self.conns):
                    if c[0] is not None and c[1] and not file_session(session_id(c[3])):
                        return i
                left = deadline - time.time()
                if left <= 0:
                    return None
                self.cond.wait(min(left, 0.2))

    def wait_until(self, pred, timeout=10):
        """Waits (on any change) until pred() is true; returns its value."""
        deadline = time.time() + timeout
        with self.cond:
            while True:
                value = pred()
                if value or time.time() >= deadline:
                    return value
                self.cond.wait(min(deadline - time.time(), 0.2))

    def send(self, body, content_type="message/cpim", conn=None, success_report=True):
        """SENDs @body (bytes) to the client; returns its Message-ID."""
        index = self.wait_connected(0) if conn is None else conn
        if index is None:
            raise OSError("no client connected")
        tid, mid = _random_id(), _random_id()
        lines = ["MSRP %s SEND" % tid,
                 "To-Path: %s" % self.conns[index][1],
                 "From-Path: %s" % self.path,
                 "Message-ID: %s" % mid,
                 "Byte-Range: 1-%d/%d" % (len(body), len(body)),
                 "Failure-Report: yes",
                 "Success-Report: %s" % ("yes" if success_report else "no"),
                 "Content-Type: %s" % content_type, ""]
        data = ("\r\n".join(lines) + "\r\n").encode("utf-8") + body + \
            ("\r\n-------%s$\r\n" % tid).encode("ascii")
        self._write(index, data)
        return mid

    def send_status(self, text, **kw):
        room = "Conference Room <%s>" % self.room_uri
        return self.send(cpim_body(room, room, text, status=True), **kw)

    def send_public(self, display, uri, text, **kw):
        return self.send(cpim_body("%s <%s>" % (display, uri),
                                   "Conference Room <%s>" % self.room_uri, text), **kw)

    def send_private(self, display, uri, to_uri, text, **kw):
        return self.send(cpim_body("%s <%s>" % (display, uri), "<%s>" % to_uri, text), **kw)

    def close(self):
        self.closed = True
        try:
            self.sock.close()
        except OSError:
            pass
        with self.cond:
            conns = [c[0] for c in self.conns if c[0] is not None]
        for c in conns:
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


# --- self-test -------------------------------------------------------------

def _selftest():
    """A client made here against MsrpRoom; returns a list of failures."""
    failures = []

    def check(ok, what):
        if not ok:
            failures.append(what)

    room = MsrpRoom("sip:room1@127.0.0.1:5060").start()
    cli = socket.create_connection(("127.0.0.1", room.port), timeout=5)
    me = "msrp://127.0.0.1:9/me;tcp"
    buf = [b""]

    def send_raw(data):
        cli.sendall(data)

    def request(method, headers=(), body=None):
        tid = _random_id()
        lines = ["MSRP %s %s" % (tid, method), "To-Path: %s" % room.path, "From-Path: %s" % me]
        lines += ["%s: %s" % kv for kv in headers]
        data = "\r\n".join(lines) + "\r\n"
        if body is not None:
            data += "\r\n" + body + "\r\n"
        send_raw((data + "-------%s$\r\n" % tid).encode())
        return tid

    def next_frame():
        while True:
            f, buf[0] = read_frame(buf[0])
            if f:
                return f
            data = cli.recv(65536)
            if not data:
                return None
            buf[0] += data

    t = request("SEND", [("Message-ID", "m0"), ("Byte-Range", "1-0/0")])
    f = next_frame()
    check(f and f.kind == "response" and f.status == 200 and f.tid == t and
          f.header("To-Path") == me, "binding SEND answered 200: %r" % f)
    body = cpim_body("<sip:me@127.0.0.1>", "<sip:room1@127.0.0.1:5060>", "hello")
    t = request("SEND", [("Message-ID", "m1"), ("Byte-Range", "1-%d/%d" % (len(body), len(body))),
                         ("Success-Report", "yes"), ("Content-Type", "message/cpim")],
                body.decode())
    f = next_frame()
    check(f and f.status == 200 and f.tid == t, "SEND answered 200: %r" % f)
    f = next_frame()
    check(f and f.method == "REPORT" and f.header("Message-ID") == "m1" and
          f.header("Status") == "000 200 OK", "REPORT for Success-Report: yes: %r" % f)
    # Two chunks of one message.
    t1 = _random_id()
    send_raw(("MSRP %s SEND\r\nTo-Path: %s\r\nFrom-Path: %s\r\nMessage-ID: m2\r\n"
              "Byte-Range: 1-3/6\r\nContent-Type: text/plain\r\n\r\nabc\r\n-------%s+\r\n"
              % (t1, room.path, me, t1)).encode())
    t2 = _random_id()
    send_raw(("MSRP %s SEND\r\nTo-Path: %s\r\nFrom-Path: %s\r\nMessage-ID: m2\r\n"
              "Byte-Range: 4-6/6\r\nContent-Type: text/plain\r\n\r\ndef\r\n-------%s$\r\n"
              % (t2, room.path, me, t2)).encode())
    check(next_frame().status == 200 and next_frame().status == 200, "chunks answered")
    got = room.wait_for(lambda fr: fr.header("Message-ID") == "m2", 5)
    check(got is not None and got.body == b"abcdef", "chunks put together: %r" % got)
    t = request("NICKNAME", [("Use-Nickname", '"bob"')])
    f = next_frame()
    check(f and f.status == 200 and f.tid == t, "NICKNAME bob: 200 (%r)" % f)
    t = request("NICKNAME", [("Use-Nickname", '"taken"')])
    f = next_frame()
    check(f and f.status == 425 and f.tid == t, "NICKNAME taken: 425 (%r)" % f)
    got = room.wait_for(lambda fr: fr.method == "SEND" and fr.cpim() is not None, 5)
    check(got is not None and got.cpim()[2] == "hello" and
          uri_of(got.cpim()[0]["to"][0]) == "sip:room1@127.0.0.1:5060",
          "SEND recorded with its CPIM body: %r" % got)
    nick = room.wait_for(lambda fr: fr.method == "NICKNAME", 5)
    check(nick is not None and nick.header("Use-Nickname") == '"bob"', "NICKNAME recorded")

    room.send_status("dave has joined the room")
    f = next_frame()
    cp = parse_cpim(f.body) if f else None
    check(f and f.method == "SEND" and f.header("To-Path") == me and cp and
          cp[0].get("agp.message-type") == ["status"] and cp[2] == "dave has joined the room" and
          uri_of(cp[0]["from"][0]) == "sip:room1@127.0.0.1:5060", "status notice sent: %r" % f)
    send_raw(("MSRP %s 200 OK\r\nTo-Path: %s\r\nFrom-Path: %s\r\n-------%s$\r\n" %
              (f.tid, room.path, me, f.tid)).encode())
    check(room.wait_for(lambda fr: fr.kind == "response" and fr.tid == f.tid, 5) is not None,
          "the client's 200 recorded")
    room.send_private("dave", "sip:dave@127.0.0.1", "sip:me@127.0.0.1", "psst")
    f = next_frame()
    cp = parse_cpim(f.body) if f else None
    check(cp and uri_of(cp[0]["to"][0]) == "sip:me@127.0.0.1" and
          uri_of(cp[0]["from"][0]) == "sip:dave@127.0.0.1" and cp[2] == "psst",
          "private message sent: %r" % f)

    check(room.wait_connected(0) == 0, "the chat connection is the first")

    # Room files: a push in two chunks, then a pull in three.
    content = bytes(range(256)) * 40                    # 10240 bytes
    room.room_file = ("notes.txt", "text/plain", content)
    room.file_chunk = 4000
    up = socket.create_connection(("127.0.0.1", room.port), timeout=5)
    push_path = "msrp://127.0.0.1:%d/push7;tcp" % room.port
    up_buf = [b""]

    def up_frame(sock, b):
        while True:
            f, b[0] = read_frame(b[0])
            if f:
                return f
            data = sock.recv(65536)
            if not data:
                return None
            b[0] += data

    def up_send(sock, to, mid, brange, body, flag, extra=()):
        tid = _random_id()
        head = ["MSRP %s SEND" % tid, "To-Path: %s" % to, "From-Path: %s" % me,
                "Message-ID: %s" % mid, "Byte-Range: %s" % brange]
        head += ["%s: %s" % kv for kv in extra]
        data = ("\r\n".join(head) + "\r\n").encode()
        if body:
            data += b"Content-Type: application/octet-stream\r\n\r\n" + body + b"\r\n"
        sock.sendall(data + ("-------%s%s\r\n" % (tid, flag)).encode())
        return tid

    t = up_send(up, push_path, "b", "1-0/0", b"", "$")
    f = up_frame(up, up_buf)
    check(f and f.status == 200 and f.tid == t and f.header("From-Path") == push_path,
          "push binding SEND: 200 from the push path (%r)" % f)
    t1 = up_send(up, push_path, "f1", "1-6000/10240", content[:6000], "+",
                 [("Success-Report", "yes")])
    t2 = up_send(up, push_path, "f1", "6001-10240/10240", content[6000:], "$",
                 [("Success-Report", "yes")])
    got = [up_frame(up, up_buf) for _ in range(4)]
    oks = [g.tid for g in got if g and g.status == 200]
    reps = [g.header("Byte-Range") for g in got if g and g.method == "REPORT"]
    check(oks == [t1, t2], "push chunks answered 200: %r" % got)
    check(reps == ["1-6000/10240", "6001-10240/10240"], "push chunk REPORTs: %r" % reps)
    ups = room.wait_until(lambda: [u for u in room.uploads if u["complete"]], 5)
    check(len(ups) == 1 and bytes(ups[0]["data"]) == content and ups[0]["session"] == "push7" and
          ups[0]["content_type"] == "application/octet-stream",
          "push put together: %r" % [(u["session"], len(u["data"])) for u in room.uploads])
    up.close()

    down = socket.create_connection(("127.0.0.1", room.port), timeout=5)
    pull_path = "msrp://127.0.0.1:%d/pull8;tcp" % room.port
    down_buf = [b""]
    t = up_send(down, pull_path, "b2", "1-0/0", b"", "$")
    frames = [up_frame(down, down_buf) for _ in range(4)]
    check(frames[0] and frames[0].status == 200 and frames[0].tid == t, "pull binding: 200")
    chunks = frames[1:]
    check([c.header("Byte-Range") for c in chunks] ==
          ["1-4000/10240", "4001-8000/10240", "8001-10240/10240"] and
          [c.flag for c in chunks] == ["+", "+", "$"] and
          len({c.header("Message-ID") for c in chunks}) == 1 and
          all(c.header("Content-Type") == "text/plain" and c.header("To-Path") == me and
              c.header("From-Path") == pull_path for c in chunks) and
          b"".join(c.body for c in chunks) == content,
          "pull served in 3 chunks: %r" % chunks)
    served = room.wait_until(lambda: room.downloads and len(room.downloads[0]["chunks"]) == 3, 5)
    check(served and room.downloads[0]["session"] == "pull8", "pull recorded: %r" % room.downloads)
    down.close()

    send_raw(b"GARBAGE\r\n\r\n")
    cli.settimeout(5)
    try:
        closed = cli.recv(100) == b""
    except OSError:
        closed = True
    check(closed, "a parse error closes the connection")
    check(any("bad start line" in e for e in room.errors), "parse error recorded: %s" % room.errors)
    cli.close()
    room.close()
    return failures


if __name__ == "__main__":
    fails = _selftest()
    for what in fails:
        print("FAIL:", what)
    print("msrp_room self-test:", "failed" if fails else "passed")
    sys.exit(1 if fails else 0)
