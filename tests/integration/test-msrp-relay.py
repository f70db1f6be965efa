#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Two MSRP clients through a real RFC 4976 relay: Kamailio's msrp module,
started by tests/peers/kamailio-peer.py --msrp-relay on 127.0.0.1 (msrps,
TLS with the test CA). Python standard library only; TAP output.

Each client AUTHs (401 Digest challenge, then 200 with Use-Path and Expires;
a wrong password and an unknown user are refused), then messages and
reports go from one to the other through the relay.

How the paths look on the wire (R = msrps://127.0.0.1:<relay port>, one
Kamailio serving both clients; A and B are the clients' own URIs,
msrps://127.0.0.1:<their local port>/<session>;tcp):

  AUTH     To-Path: R;tcp                      (no session part)
           From-Path: A
  200      Use-Path: R/<idA>;tcp               (A's relay path, "UA")
           Expires: 600

  A's SEND, as A sends it (RFC 4976 §6: A's Use-Path, then B's path from
  its SDP a=path, which is B's Use-Path followed by B's own URI):
           To-Path: R/<idA>;tcp R/<idB>;tcp B
           From-Path: A
  The relay (msrp_relay()) takes the first To-Path URI off and puts it in
  front of the From-Path at each hop. The first hop, R/<idA>, has two more
  hops, so it forwards to R/<idB> - itself, over a TLS connection to its
  own port; that hop has one more, B, whose connection is the one that
  AUTHed as <idB>. B receives:
           To-Path: B
           From-Path: R/<idB>;tcp R/<idA>;tcp A

  Responses are hop by hop (RFC 4975 §7.2, RFC 4976 §7.3): the relay
  answers A's SEND itself (To-Path: A, From-Path: R/<idA>;tcp) as soon as
  it has forwarded it. B's 200 carries only its previous hop,
           To-Path: R/<idB>;tcp   From-Path: B
  and ends at the relay; A never sees it. End to end, B confirms with a
  REPORT, To-Path = the SEND's From-Path:
           To-Path: R/<idB>;tcp R/<idA>;tcp A
           From-Path: B
  which reaches A as To-Path: A, From-Path: R/<idA>;tcp R/<idB>;tcp B.
"""

import hashlib
import json
import os
import re
import secrets
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PEER = os.environ.get("CONFAB_KAMAILIO_PEER") or \
    os.path.join(HERE, "..", "peers", "kamailio-peer.py")
USERS = {"alice": "secret", "bob": "pw2"}
TIMEOUT = 5.0

results = []


def tap(ok, what):
    results.append(bool(ok))
    print(("ok" if ok else "not ok") + " %d - %s" % (len(results), what), flush=True)
    return ok


def diag(text):
    for line in str(text).splitlines():
        print("# " + line, flush=True)


class Frame:
    def __init__(self, tid, kind, comment, headers, body):
        self.tid = tid
        self.kind = kind            # method, or the status code as a string
        self.comment = comment
        self.headers = headers      # name (lower case) -> value
        self.body = body

    def header(self, name):
        return self.headers.get(name.lower())

    def is_response(self):
        return self.kind.isdigit()

    def __repr__(self):
        return "MSRP %s %s %s %r %r" % (self.tid, self.kind, self.comment, self.headers,
                                        self.body)


class MsrpClient:
    """One TLS connection to the relay, and the client's own MSRP URI."""

    def __init__(self, port, ca):
        ctx = ssl.create_default_context(cafile=ca)
        raw = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
        self.sock = ctx.wrap_socket(raw, server_hostname="127.0.0.1")
        self.buf = b""
        self.uri = "msrps://127.0.0.1:%d/%s;tcp" % (self.sock.getsockname()[1],
                                                  secrets.token_hex(8))
        self.use_path = None

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def send(self, kind, headers, body=None, tid=None):
        tid = tid or secrets.token_hex(6)
        lines = ["MSRP %s %s" % (tid, kind)] + ["%s: %s" % h for h in headers]
        data = ("\r\n".join(lines) + "\r\n").encode()
        if body is not None:
            data += b"\r\n" + body + b"\r\n"
        data += ("-------%s$\r\n" % tid).encode()
        self.sock.sendall(data)
        return tid

    def read(self, timeout=TIMEOUT):
        """The next complete frame, or None after @timeout seconds."""
        deadline = time.monotonic() + timeout
        while True:
            frame = self._parse()
            if frame:
                return frame
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            self.sock.settimeout(left)
            try:
                data = self.sock.recv(65536)
            except (socket.timeout, ssl.SSLError):
                return None
            if not data:
                return None
            self.buf += data

    def _parse(self):
        eol = self.buf.find(b"\r\n")
        if eol < 0:
            return None
        first = self.buf[:eol].decode("utf-8", "replace").split(" ", 3)
        if len(first) < 3 or first[0] != "MSRP":
            raise ValueError("not an MSRP frame: %r" % self.buf[:80])
        tid = first[1]
        m = re.compile(rb"\r\n-------" + re.escape(tid.encode()) + rb"([$+#])\r\n").search(
            self.buf, eol)
        if not m:
            return None
        content = self.buf[eol + 2:m.start() + 2]
        self.buf = self.buf[m.end():]
        head, sep, body = content.partition(b"\r\n\r\n")
        if sep:
            body = body[:-2]            # the CRLF before the end-line
        else:
            head, body = content, None
        headers = {}
        for line in head.decode("utf-8", "replace").split("\r\n"):
            if line:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
        return Frame(tid, first[2], first[3] if len(first) > 3 else "", headers, body)

    def transact(self, kind, headers, body=None):
        tid = self.send(kind, headers, body)
        frame = self.read()
        while frame and frame.tid != tid:
            frame = self.read()
        return frame


def parse_challenge(value):
    scheme, _, rest = (value or "").partition(" ")
    params = dict((k.lower(), v1 if v1 else v2) for k, v1, v2 in
                  re.findall(r'([A-Za-z-]+)=(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))', rest))
    return scheme, params


def digest_authorization(challenge, uri, user, password):
    """RFC 2617 Digest with method AUTH, as confab_msrp_auth_build_authorization()."""
    _, p = parse_challenge(challenge)
    md5 = lambda s: hashlib.md5(s.encode()).hexdigest()   # noqa: E731
    cnonce = secrets.token_hex(16)
    ha1 = md5("%s:%s:%s" % (user, p["realm"], password))
    ha2 = md5("AUTH:%s" % uri)
    response = md5("%s:%s:00000001:%s:auth:%s" % (ha1, p["nonce"], cnonce, ha2))
    value = ('Digest username="%s", realm="%s", nonce="%s", uri="%s", response="%s", '
             'algorithm=MD5, cnonce="%s"' % (user, p["realm"], p["nonce"], uri, response, cnonce))
    if "opaque" in p:
        value += ', opaque="%s"' % p["opaque"]
    return value + ", qop=auth, nc=00000001"


def auth(client, relay_uri, user, password, extra=()):
    """AUTH without, then with credentials; returns (401 frame, final frame)."""
    base = [("To-Path", relay_uri), ("From-Path", client.uri)]
    challenge = client.transact("AUTH", base)
    if not challenge or challenge.kind != "401":
        return challenge, None
    authorization = digest_authorization(challenge.header("WWW-Authenticate"), relay_uri, user,
                                         password)
    return challenge, client.transact("AUTH", base + [("Authorization", authorization)] +
                                      list(extra))


def send_message(client, to_path, text, message_id=None):
    message_id = message_id or secrets.token_hex(8)
    body = text.encode()
    tid = client.send("SEND", [("To-Path", " ".join(to_path)), ("From-Path", client.uri),
                               ("Message-ID", message_id), ("Success-Report", "yes"),
                               ("Byte-Range", "1-%d/%d" % (len(body), len(body))),
                               ("Content-Type", "text/plain")], body)
    return tid, message_id, body


def main():
    if subprocess.run([sys.executable, PEER, "ensure-installed"],
                      capture_output=True).returncode != 0:
        print("1..0 # SKIP kamailio is not installed")
        return 0
    work = tempfile.mkdtemp(prefix="confab-msrp-relay-")
    kdir = os.path.join(work, "kamailio")
    started = subprocess.run([sys.executable, PEER, "start", "--dir", kdir, "--msrp-relay",
                              "--users", ",".join("%s:%s" % u for u in USERS.items()),
                              "--watch-pid", str(os.getpid())],
                             capture_output=True, text=True)
    clients = []
    try:
        try:
            info = json.loads(started.stdout.strip().splitlines()[-1])
        except (ValueError, IndexError):
            info = {}
        if not tap("msrp" in info, "kamailio starts with an MSRP relay port"):
            diag(started.stderr[-2000:])
            return 1
        port, ca = info["msrp"], info["ca"]
        relay = "msrps://127.0.0.1:%d;tcp" % port
        use_path_re = re.compile(r"^msrps://127\.0\.0\.1:%d/([A-Za-z0-9.+=%%-]+);tcp$" % port)

        a = MsrpClient(port, ca)
        b = MsrpClient(port, ca)
        c = MsrpClient(port, ca)
        clients += [a, b, c]
        tap(True, "TLS to msrps://127.0.0.1:%d verified with the test CA" % port)

        # --- AUTH --------------------------------------------------------------
        challenge, ok = auth(a, relay, "alice", USERS["alice"], [("Expires", "600")])
        scheme, params = parse_challenge(challenge.header("WWW-Authenticate") if challenge
                                         else None)
        tap(challenge is not None and challenge.kind == "401" and scheme == "Digest" and
            params.get("realm") == "127.0.0.1" and params.get("nonce") and
            params.get("qop") == "auth",
            "AUTH without credentials: 401 Digest realm, nonce, qop=\"auth\"")
        if challenge:
            diag("challenge: WWW-Authenticate: %s" % challenge.header("WWW-Authenticate"))
        tap(challenge is not None and challenge.header("To-Path") == a.uri and
            challenge.header("From-Path") == relay,
            "401: To-Path is the client, From-Path the relay")
        m = use_path_re.match(ok.header("Use-Path") or "") if ok else None
        tap(ok is not None and ok.kind == "200" and m and ok.header("Expires") == "600",
            "alice AUTH with the right password and Expires: 600: 200, Use-Path, Expires: 600")
        if ok:
            diag("alice: Use-Path: %s" % ok.header("Use-Path"))
            a.use_path = ok.header("Use-Path")

        challenge, ok = auth(b, relay, "bob", USERS["bob"])
        m = use_path_re.match(ok.header("Use-Path") or "") if ok else None
        tap(ok is not None and ok.kind == "200" and m and ok.header("Expires") == "3600",
            "bob AUTH without Expires: 200, Use-Path, Expires: 3600")
        if ok:
            b.use_path = ok.header("Use-Path")
        tap(a.use_path and b.use_path and a.use_path != b.use_path,
            "each AUTH gets its own relay session")

        challenge, refused = auth(c, relay, "alice", "not-the-password")
        tap(refused is not None and refused.kind in ("401", "403") and
            (refused.kind == "403" or refused.header("WWW-Authenticate")),
            "wrong password: refused (%s)" % (refused.kind if refused else "no answer"))
        challenge, refused = auth(c, relay, "mallory", "secret")
        tap(refused is not None and refused.kind == "403", "unknown user: 403")
        challenge, refused = auth(c, relay, "alice", USERS["alice"], [("Expires", "5")])
        tap(refused is not None and refused.kind == "423" and
            refused.header("Min-Expires") == "10",
            "Expires: 5: 423 with Min-Expires: 10")

        if not (a.use_path and b.use_path):
            return 1

        # --- A -> B ------------------------------------------------------------
        tid, message_id, body = send_message(a, [a.use_path, b.use_path, b.uri],
                                             "Hello Bob, via the relay")
        got = b.read()
        tap(got is not None and got.kind == "SEND" and got.body == body and
            got.header("Message-ID") == message_id, "bob receives alice's SEND")
        tap(got is not None and got.header("To-Path") == b.uri and
            got.header("From-Path") == " ".join([b.use_path, a.use_path, a.uri]),
            "SEND at bob: To-Path: B; From-Path: UseB UseA A")
        if got:
            diag("at bob: To-Path: %s" % got.header("To-Path"))
            diag("at bob: From-Path: %s" % got.header("From-Path"))
        reply = a.read()
        tap(reply is not None and reply.tid == tid and reply.kind == "200" and
            reply.header("To-Path") == a.uri and reply.header("From-Path") == a.use_path,
            "alice gets the relay's 200 (To-Path: A, From-Path: UseA)")

        if got:
            # B's hop-by-hop 200 goes to its previous hop, the relay
            b.send("200 OK", [("To-Path", got.header("From-Path").split()[0]),
                              ("From-Path", b.uri), ("Message-ID", message_id)],
                   tid=got.tid)
            b.send("REPORT", [("To-Path", got.header("From-Path")), ("From-Path", b.uri),
                              ("Message-ID", message_id),
                              ("Byte-Range", "1-%d/%d" % (len(body), len(body))),
                              ("Status", "000 200 OK")])
        report = a.read()
        tap(report is not None and report.kind == "REPORT" and
            report.header("Message-ID") == message_id and
            report.header("Status") == "000 200 OK",
            "bob's 200 ends at the relay; alice's next frame is bob's REPORT")
        tap(report is not None and report.header("To-Path") == a.uri and
            report.header("From-Path") == " ".join([a.use_path, b.use_path, b.uri]),
            "REPORT at alice: To-Path: A; From-Path: UseA UseB B")
        if report:
            diag("at alice: From-Path: %s" % report.header("From-Path"))

        # --- B -> A ------------------------------------------------------------
        tid, message_id, body = send_message(b, [b.use_path, a.use_path, a.uri],
                                             "Hi Alice \u2014 UTF-8 too")
        got = a.read()
        tap(got is not None and got.kind == "SEND" and got.body == body and
            got.header("From-Path") == " ".join([a.use_path, b.use_path, b.uri]),
            "alice receives bob's SEND")
        reply = b.read()
        tap(reply is not None and reply.tid == tid and reply.kind == "200",
            "bob gets the relay's 200")

        # --- errors ------------------------------------------------------------
        tid, _, _ = send_message(a, ["msrps://127.0.0.1:%d/nosuchsession;tcp" % port, b.uri],
                                 "lost")
        reply = a.read()
        tap(reply is not None and reply.tid == tid and reply.kind == "481",
            "SEND for an unknown relay session: 481")
        tid, _, _ = send_message(a, [a.use_path, "msrps://192.0.2.1:2855/x;tcp"], "away")
        reply = a.read()
        tap(reply is not None and reply.tid == tid and reply.kind == "403",
            "SEND to a next hop off 127.0.0.1: 403")
        tap(b.read(timeout=0.5) is None, "nothing else reached bob")
    finally:
        for client in clients:
            client.close()
        subprocess.run([sys.executable, PEER, "stop", "--dir", kdir], capture_output=True)
        print("1..%d" % len(results), flush=True)
        if all(results):
            shutil.rmtree(work, ignore_errors=True)
        else:
            diag("kept %s (kamailio.log)" % work)
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
