#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tiny stdlib-only SIP client used to check the Kamailio test peer
(tests/peers/kamailio-peer.py) independently of Confab itself.

  sip-register-probe.py register --port P [--transport udp|tcp|tls] [--ca CA]
        --user alice --password secret [--domain 127.0.0.1] [--expires 60]
        [--auth-user NAME] [--auth-tries 1] [--expect 200]
        [--stale-after SECONDS] [--hold SECONDS]
  sip-register-probe.py options  --port P [--transport ...] [--ca CA]
  sip-register-probe.py message  --port P [--transport ...] [--ca CA]
        --caller alice:secret --callee bob:pw2 [--domain ...]
  sip-register-probe.py call     (same options as message; INVITE/ACK/BYE)

Every command prints one JSON object with what happened on stdout and exits
0 when the expectation holds, 1 otherwise.  TLS always verifies the server
certificate against --ca (hostname 127.0.0.1 unless --tls-name is given).
"""

import argparse
import hashlib
import json
import re
import secrets
import socket
import ssl
import sys
import time

COMPACT = {"v": "via", "f": "from", "t": "to", "i": "call-id", "m": "contact",
           "l": "content-length", "c": "content-type", "k": "supported",
           "e": "content-encoding", "s": "subject", "o": "event"}


class ProbeError(Exception):
    pass


def rand(n=8):
    return secrets.token_hex(n)


# --------------------------------------------------------------------------
# SIP message parsing / building

class Msg:
    def __init__(self, first, headers, body=b""):
        self.first = first
        self.headers = headers          # list of (name, value)
        self.body = body

    @property
    def is_response(self):
        return self.first.startswith("SIP/2.0 ")

    @property
    def code(self):
        return int(self.first.split()[1]) if self.is_response else None

    @property
    def method(self):
        if self.is_response:
            return self.get("cseq").split()[1]
        return self.first.split()[0]

    def get(self, name, default=None):
        name = name.lower()
        for k, v in self.headers:
            if k == name:
                return v
        return default

    def get_all(self, name):
        name = name.lower()
        out = []
        for k, v in self.headers:
            if k == name:
                out.append(v)
        return out

    def text(self):
        return self.first + "\r\n" + "".join(
            "%s: %s\r\n" % (k, v) for k, v in self.headers) + "\r\n"


def parse(data):
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("utf-8", "replace").split("\r\n")
    headers = []
    for line in lines[1:]:
        if line[:1] in (" ", "\t") and headers:
            k, v = headers[-1]
            headers[-1] = (k, v + " " + line.strip())
            continue
        if ":" not in line:
            continue
        k, v = line.split(":", 1)
        k = k.strip().lower()
        k = COMPACT.get(k, k)
        # split comma-joined Via / Record-Route / Route values
        if k in ("via", "record-route", "route"):
            for part in split_commas(v.strip()):
                headers.append((k, part))
        else:
            headers.append((k, v.strip()))
    return Msg(lines[0], headers, body)


def split_commas(v):
    out, cur, depth, quote = [], "", 0, False
    for ch in v:
        if ch == '"':
            quote = not quote
        elif ch == "<" and not quote:
            depth += 1
        elif ch == ">" and not quote:
            depth -= 1
        if ch == "," and depth == 0 and not quote:
            out.append(cur.strip())
            cur = ""
        else:
            cur += ch
    if cur.strip():
        out.append(cur.strip())
    return out


def build(first, headers, body=b""):
    if isinstance(body, str):
        body = body.encode()
    text = first + "\r\n"
    for k, v in headers:
        text += "%s: %s\r\n" % (k, v)
    text += "Content-Length: %d\r\n\r\n" % len(body)
    return text.encode() + body


def tag_of(hval):
    m = re.search(r";\s*tag=([^;>\s]+)", hval or "")
    return m.group(1) if m else None


def uri_of(hval):
    m = re.search(r"<([^>]+)>", hval or "")
    if m:
        return m.group(1)
    return (hval or "").split(";")[0].strip()


# --------------------------------------------------------------------------
# transport

class Conn:
    def __init__(self, transport, host, port, ca=None, tls_name=None):
        self.transport = transport
        self.server = (host, port)
        self.buf = b""
        if transport == "udp":
            self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            self.sock.bind(("127.0.0.1", 0))
        else:
            raw = socket.create_connection((host, port), timeout=5)
            if transport == "tls":
                ctx = ssl.create_default_context(cafile=ca)
                ctx.minimum_version = ssl.TLSVersion.TLSv1_2
                raw = ctx.wrap_socket(raw,
                                      server_hostname=tls_name or host)
                self.peer_cert = raw.getpeercert()
                self.tls_version = raw.version()
            self.sock = raw
        self.local = self.sock.getsockname()
        self.last_from = None

    @property
    def via_proto(self):
        return self.transport.upper()

    def send(self, data, addr=None):
        if self.transport == "udp":
            self.sock.sendto(data, addr or self.server)
        else:
            self.sock.sendall(data)

    def recv(self, timeout):
        """Next SIP message or None on timeout."""
        end = time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return None
            self.sock.settimeout(left)
            if self.transport == "udp":
                try:
                    data, addr = self.sock.recvfrom(65535)
                except socket.timeout:
                    return None
                if not data.strip():
                    continue
                self.last_from = addr
                return parse(data)
            m = self._frame()
            if m:
                return m
            try:
                chunk = self.sock.recv(65535)
            except socket.timeout:
                return None
            if not chunk:
                raise ProbeError("connection closed by server")
            self.buf += chunk

    def _frame(self):
        self.buf = self.buf.lstrip(b"\r\n")
        i = self.buf.find(b"\r\n\r\n")
        if i < 0:
            return None
        head = self.buf[:i].decode("utf-8", "replace")
        m = re.search(r"(?im)^(content-length|l)\s*:\s*(\d+)", head)
        clen = int(m.group(2)) if m else 0
        total = i + 4 + clen
        if len(self.buf) < total:
            return None
        data, self.buf = self.buf[:total], self.buf[total:]
        return parse(data)

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


# --------------------------------------------------------------------------
# digest

def parse_challenge(h):
    scheme, _, rest = h.partition(" ")
    params = {}
    for m in re.finditer(r'([\w-]+)\s*=\s*("([^"]*)"|[^,\s]+)', rest):
        params[m.group(1).lower()] = m.group(3) if m.group(3) is not None \
            else m.group(2)
    params["scheme"] = scheme
    return params


def md5(s):
    return hashlib.md5(s.encode()).hexdigest()


class Digest:
    def __init__(self, user, password, chal, hname):
        self.user = user
        self.password = password
        self.chal = chal
        self.hname = hname            # Authorization / Proxy-Authorization
        self.nc = 0
        self.cnonce = rand(8)

    def header(self, method, uri):
        c = self.chal
        realm, nonce = c.get("realm", ""), c.get("nonce", "")
        ha1 = md5("%s:%s:%s" % (self.user, realm, self.password))
        ha2 = md5("%s:%s" % (method, uri))
        qops = [q.strip() for q in c.get("qop", "").split(",") if q.strip()]
        parts = ['username="%s"' % self.user, 'realm="%s"' % realm,
                 'nonce="%s"' % nonce, 'uri="%s"' % uri]
        if "auth" in qops:
            self.nc += 1
            nc = "%08x" % self.nc
            resp = md5("%s:%s:%s:%s:auth:%s" % (ha1, nonce, nc, self.cnonce,
                                                ha2))
            parts += ['response="%s"' % resp, "algorithm=MD5",
                      'cnonce="%s"' % self.cnonce, "qop=auth", "nc=%s" % nc]
        else:
            resp = md5("%s:%s:%s" % (ha1, nonce, ha2))
            parts += ['response="%s"' % resp, "algorithm=MD5"]
        if "opaque" in c:
            parts.append('opaque="%s"' % c["opaque"])
        return "Digest " + ", ".join(parts)


# --------------------------------------------------------------------------
# a minimal UA

class UA:
    def __init__(self, a, user, password, transport=None, port=None):
        self.a = a
        self.user = user
        self.password = password
        self.domain = a.domain
        self.conn = Conn(transport or a.transport, a.host, port or a.port,
                         a.ca, a.tls_name)
        self.tag = rand(4)
        self.cseq = 0
        self.auth = None
        self.log = []

    @property
    def contact_uri(self):
        h, p = self.conn.local[:2]
        t = "" if self.conn.transport == "udp" else \
            ";transport=%s" % self.conn.transport
        return "sip:%s@%s:%d%s" % (self.user, h, p, t)

    def via(self, branch):
        h, p = self.conn.local[:2]
        return "SIP/2.0/%s %s:%d;branch=%s;rport" % (self.conn.via_proto, h,
                                                      p, branch)

    def request(self, method, ruri, to, callid, extra=(), body=b"",
                branch=None, cseq=None, from_tag=None):
        if cseq is None:
            self.cseq += 1
            cseq = self.cseq
        branch = branch or "z9hG4bK" + rand(8)
        hdrs = [("Via", self.via(branch)),
                ("Max-Forwards", "70"),
                ("From", "<sip:%s@%s>;tag=%s" % (self.user, self.domain,
                                                 from_tag or self.tag)),
                ("To", to),
                ("Call-ID", callid),
                ("CSeq", "%d %s" % (cseq, method)),
                ("User-Agent", "confab-sip-probe")]
        hdrs += list(extra)
        data = build("%s %s SIP/2.0" % (method, ruri), hdrs, body)
        self.conn.send(data)
        return branch, cseq

    def wait_final(self, branch, timeout=5.0, retrans=None):
        """Wait for the final response of transaction BRANCH (UDP requests
        are retransmitted every 0.5 s)."""
        end = time.monotonic() + timeout
        next_rt = time.monotonic() + 0.5
        while time.monotonic() < end:
            m = self.conn.recv(min(0.25, end - time.monotonic()))
            if m is None:
                if retrans and self.conn.transport == "udp" and \
                        time.monotonic() >= next_rt:
                    self.conn.send(retrans)
                    next_rt = time.monotonic() + 0.5
                continue
            if not m.is_response:
                self.log.append("unexpected request %s" % m.method)
                continue
            vb = re.search(r"branch=([^;\s,]+)", m.get("via", ""))
            if not vb or vb.group(1) != branch:
                continue
            self.log.append("%d %s" % (m.code, m.method))
            if m.code >= 200:
                return m
        raise ProbeError("no final response within %.1fs" % timeout)

    def send_authed(self, method, ruri, to, callid, extra=(), body=b"",
                    tries=1, codes=None, ack_failures=False):
        """Send a request, answering 401/407 challenges up to TRIES times."""
        codes = codes if codes is not None else []
        extra = list(extra)
        authz = []
        attempt = 0
        while True:
            branch, cseq = self.request(method, ruri, to, callid,
                                        extra + authz, body)
            r = self.wait_final(branch)
            codes.append(r.code)
            if ack_failures and method == "INVITE" and r.code >= 300:
                self.ack_failure(r, ruri, branch, cseq)
            if r.code in (401, 407) and attempt < tries:
                attempt += 1
                hn = "www-authenticate" if r.code == 401 else \
                    "proxy-authenticate"
                chal = parse_challenge(r.get(hn, ""))
                self.auth = Digest(self.a.auth_user or self.user,
                                   self.password, chal,
                                   "Authorization" if r.code == 401
                                   else "Proxy-Authorization")
                authz = [(self.auth.hname, self.auth.header(method, ruri))]
                continue
            return r

    def ack_failure(self, r, ruri, branch, cseq):
        h, p = self.conn.local[:2]
        hdrs = [("Via", "SIP/2.0/%s %s:%d;branch=%s;rport" % (
                    self.conn.via_proto, h, p, branch)),
                ("Max-Forwards", "70"),
                ("From", r.get("from")), ("To", r.get("to")),
                ("Call-ID", r.get("call-id")),
                ("CSeq", "%d ACK" % cseq)]
        self.conn.send(build("ACK %s SIP/2.0" % ruri, hdrs))

    def register(self, expires, tries=1, codes=None):
        self.callid = rand(12) + "@probe"
        ruri = "sip:%s" % self.domain
        to = "<sip:%s@%s>" % (self.user, self.domain)
        extra = [("Contact", "<%s>;expires=%d" % (self.contact_uri, expires)),
                 ("Expires", str(expires)),
                 ("Allow", "INVITE, ACK, CANCEL, BYE, OPTIONS, MESSAGE, "
                           "NOTIFY, SUBSCRIBE")]
        self._reg = (ruri, to, extra)
        return self.send_authed("REGISTER", ruri, to, self.callid, extra,
                                tries=tries, codes=codes)

    def reregister_with_cached_nonce(self, codes):
        """REGISTER again re-using the cached challenge (like sofia-sip does)."""
        ruri, to, extra = self._reg
        branch, _ = self.request(
            "REGISTER", ruri, to, self.callid,
            extra + [(self.auth.hname, self.auth.header("REGISTER", ruri))])
        r = self.wait_final(branch)
        codes.append(r.code)
        return r

    # --- UAS side -------------------------------------------------------
    def wait_request(self, method, timeout=5.0):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            m = self.conn.recv(end - time.monotonic())
            if m is None:
                break
            if m.is_response:
                continue
            if m.method == method:
                return m, self.conn.last_from
            self.log.append("ignored request %s" % m.method)
        raise ProbeError("%s did not receive %s" % (self.user, method))

    def respond(self, req, src, code, reason, to_tag=None, contact=False,
                body=b"", ctype=None):
        hdrs = [("Via", v) for v in req.get_all("via")]
        hdrs += [("Record-Route", v) for v in req.get_all("record-route")]
        to = req.get("to")
        if to_tag and not tag_of(to):
            to += ";tag=" + to_tag
        hdrs += [("From", req.get("from")), ("To", to),
                 ("Call-ID", req.get("call-id")), ("CSeq", req.get("cseq"))]
        if contact:
            hdrs.append(("Contact", "<%s>" % self.contact_uri))
        if ctype:
            hdrs.append(("Content-Type", ctype))
        self.conn.send(build("SIP/2.0 %d %s" % (code, reason), hdrs, body),
                       src if self.conn.transport == "udp" else None)

    def close(self):
        self.conn.close()


# --------------------------------------------------------------------------
# commands

def emit(res, ok):
    res["ok"] = bool(ok)
    print(json.dumps(res, sort_keys=True), flush=True)
    return 0 if ok else 1


def cmd_register(a):
    ua = UA(a, a.user, a.password)
    res = {"transport": a.transport, "user": a.user}
    if a.transport == "tls":
        res["tls_version"] = ua.conn.tls_version
    codes = []
    try:
        r = ua.register(a.expires, tries=a.auth_tries, codes=codes)
        res["codes"] = codes
        res["final"] = r.code
        res["reason"] = r.first.split(" ", 2)[2] if r.first.count(" ") >= 2 \
            else ""
        if r.code == 401:
            ch = parse_challenge(r.get("www-authenticate", ""))
            res["challenge"] = {k: ch[k] for k in ("realm", "qop", "stale")
                                if k in ch}
        if r.code == 200:
            res["contacts"] = r.get_all("contact")
        ok = r.code == a.expect
        if ok and r.code == 200 and a.stale_after:
            time.sleep(a.stale_after)
            scodes = []
            r2 = ua.reregister_with_cached_nonce(scodes)
            ch = parse_challenge(r2.get("www-authenticate", ""))
            res["stale_check"] = {"code": r2.code,
                                  "stale": ch.get("stale")}
            if r2.code == 401:
                ua.auth = Digest(ua.user, ua.password, ch, "Authorization")
                r3 = ua.reregister_with_cached_nonce(scodes)
                res["stale_check"]["retry"] = r3.code
                ok = r2.code == 401 and \
                    (ch.get("stale") or "").lower() == "true" and \
                    r3.code == 200
            else:
                ok = False
        if ok and a.hold:
            time.sleep(a.hold)
        if ok and a.unregister and r.code == 200:
            c2 = []
            ruri, to, extra = ua._reg
            extra = [("Contact", "<%s>;expires=0" % ua.contact_uri),
                     ("Expires", "0")]
            ua._reg = (ruri, to, extra)
            r4 = ua.reregister_with_cached_nonce(c2)
            if r4.code == 401:
                ua.auth = Digest(ua.user, ua.password, parse_challenge(
                    r4.get("www-authenticate", "")), "Authorization")
                r4 = ua.reregister_with_cached_nonce(c2)
            res["unregister"] = r4.code
            ok = r4.code == 200
    except (ProbeError, OSError) as e:
        res["error"] = str(e)
        ok = False
    finally:
        ua.close()
    return emit(res, ok)


def cmd_options(a):
    ua = UA(a, "probe", "")
    res = {"transport": a.transport}
    try:
        branch, _ = ua.request("OPTIONS", "sip:%s" % a.domain,
                               "<sip:%s>" % a.domain, rand(12) + "@probe")
        r = ua.wait_final(branch)
        res["final"] = r.code
        ok = r.code == 200
    except (ProbeError, OSError) as e:
        res["error"] = str(e)
        ok = False
    finally:
        ua.close()
    return emit(res, ok)


def port_for(a, transport):
    if transport == a.transport:
        return a.port
    p = getattr(a, "%s_port" % transport, None)
    if not p:
        raise ProbeError("--%s-port is needed for a %s callee"
                         % (transport, transport))
    return p


def _two_uas(a):
    cu, cp = a.caller.split(":", 1)
    eu, ep = a.callee.split(":", 1)
    ct = a.callee_transport or a.transport
    callee = UA(a, eu, ep, ct, port_for(a, ct))
    caller = UA(a, cu, cp)
    r = callee.register(300)
    if r.code != 200:
        raise ProbeError("callee REGISTER failed: %d" % r.code)
    r = caller.register(300)
    if r.code != 200:
        raise ProbeError("caller REGISTER failed: %d" % r.code)
    return caller, callee


def cmd_message(a):
    res = {"transport": a.transport}
    caller = callee = None
    ok = False
    try:
        caller, callee = _two_uas(a)
        body = "hello from %s %s" % (caller.user, rand(4))
        codes = []
        ruri = "sip:%s@%s" % (callee.user, a.domain)
        callid = rand(12) + "@probe"
        branch, cseq = caller.request(
            "MESSAGE", ruri, "<%s>" % ruri, callid,
            [("Content-Type", "text/plain")], body)
        r = caller.wait_final(branch)
        codes.append(r.code)
        if r.code == 407:
            caller.auth = Digest(caller.user, caller.password,
                                 parse_challenge(r.get("proxy-authenticate")),
                                 "Proxy-Authorization")
            branch, cseq = caller.request(
                "MESSAGE", ruri, "<%s>" % ruri, callid,
                [("Content-Type", "text/plain"),
                 (caller.auth.hname, caller.auth.header("MESSAGE", ruri))],
                body)
            req, src = callee.wait_request("MESSAGE")
            res["delivered_body"] = req.body.decode()
            res["delivered_ruri"] = req.first.split()[1]
            callee.respond(req, src, 200, "OK", to_tag=rand(4))
            r = caller.wait_final(branch)
            codes.append(r.code)
        res["codes"] = codes
        ok = codes == [407, 200] and res.get("delivered_body") == body
    except (ProbeError, OSError) as e:
        res["error"] = str(e)
    finally:
        for u in (caller, callee):
            if u:
                u.close()
    return emit(res, ok)


SDP = ("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\n"
       "t=0 0\r\nm=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n")


def cmd_call(a):
    res = {"transport": a.transport}
    caller = callee = None
    ok = False
    try:
        caller, callee = _two_uas(a)
        ruri = "sip:%s@%s" % (callee.user, a.domain)
        callid = rand(12) + "@probe"
        codes = []
        extra = [("Contact", "<%s>" % caller.contact_uri),
                 ("Content-Type", "application/sdp")]
        branch, cseq = caller.request("INVITE", ruri, "<%s>" % ruri, callid,
                                      extra, SDP)
        r = caller.wait_final(branch)
        codes.append(r.code)
        if r.code != 407:
            raise ProbeError("expected 407, got %d" % r.code)
        caller.ack_failure(r, ruri, branch, cseq)
        caller.auth = Digest(caller.user, caller.password,
                             parse_challenge(r.get("proxy-authenticate")),
                             "Proxy-Authorization")
        branch, cseq = caller.request(
            "INVITE", ruri, "<%s>" % ruri, callid,
            extra + [(caller.auth.hname, caller.auth.header("INVITE", ruri))],
            SDP)
        inv, src = callee.wait_request("INVITE")
        res["callee_got_rr"] = inv.get_all("record-route")
        totag = rand(4)
        callee.respond(inv, src, 180, "Ringing", to_tag=totag, contact=True)
        callee.respond(inv, src, 200, "OK", to_tag=totag, contact=True,
                       body=SDP, ctype="application/sdp")
        r = caller.wait_final(branch)
        codes.append(r.code)
        if r.code != 200:
            raise ProbeError("INVITE final %d" % r.code)
        routes = list(reversed(r.get_all("record-route")))
        target = uri_of(r.get("contact"))
        to = r.get("to")
        rhdrs = [("Route", x) for x in routes]
        # ACK (end-to-end, via the record-routed proxy)
        caller.request("ACK", target, to, callid, rhdrs, cseq=cseq)
        ack, _ = callee.wait_request("ACK")
        res["ack_delivered"] = True
        # BYE from the caller
        bb, _ = caller.request("BYE", target, to, callid, rhdrs)
        bye, src = callee.wait_request("BYE")
        callee.respond(bye, src, 200, "OK")
        r = caller.wait_final(bb)
        codes.append(r.code)
        res["codes"] = codes
        ok = codes == [407, 200, 200]
    except (ProbeError, OSError) as e:
        res["error"] = str(e)
    finally:
        for u in (caller, callee):
            if u:
                u.close()
        res["log"] = (caller.log if caller else []) + \
            (callee.log if callee else [])
    return emit(res, ok)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)

    def common(p):
        p.add_argument("--host", default="127.0.0.1")
        p.add_argument("--port", type=int, required=True)
        p.add_argument("--transport", choices=("udp", "tcp", "tls"),
                       default="udp")
        p.add_argument("--ca", help="CA file for TLS verification")
        p.add_argument("--tls-name", help="expected server name (TLS)")
        p.add_argument("--domain", default="127.0.0.1")
        p.add_argument("--auth-user")

    p = sub.add_parser("register")
    common(p)
    p.add_argument("--user", required=True)
    p.add_argument("--password", required=True)
    p.add_argument("--expires", type=int, default=60)
    p.add_argument("--auth-tries", type=int, default=1,
                   help="how many challenges to answer (default 1)")
    p.add_argument("--expect", type=int, default=200)
    p.add_argument("--stale-after", type=float, default=0,
                   help="after 200, wait and re-REGISTER with the old nonce;"
                        " expect 401 stale=true then 200")
    p.add_argument("--hold", type=float, default=0,
                   help="keep the connection open this many seconds")
    p.add_argument("--unregister", action="store_true",
                   help="finish with an Expires: 0 REGISTER")
    p.set_defaults(func=cmd_register)

    p = sub.add_parser("options")
    common(p)
    p.set_defaults(func=cmd_options)

    for name, fn in (("message", cmd_message), ("call", cmd_call)):
        p = sub.add_parser(name)
        common(p)
        p.add_argument("--caller", default="alice:secret")
        p.add_argument("--callee", default="bob:pw2")
        p.add_argument("--callee-transport", choices=("udp", "tcp", "tls"))
        for t in ("udp", "tcp", "tls"):
            p.add_argument("--%s-port" % t, type=int,
                           help="server %s port (for --callee-transport)"
                                % t.upper())
        p.set_defaults(func=fn)

    a = ap.parse_args(argv)
    if getattr(a, "transport", None) == "tls" and not a.ca:
        ap.error("--ca is required for --transport tls")
    return a.func(a)


if __name__ == "__main__":
    sys.exit(main())
