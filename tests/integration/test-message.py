#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Page-mode instant messages (SIP MESSAGE, RFC 3428) between real
confab-cli processes on 127.0.0.1: through a real Kamailio (registered
accounts, digest auth on every MESSAGE) and directly between local accounts.

- alice sends bob a message in CPIM: bob's `listen` prints it with CPIM
  From = alice; alice sees it `sent` (2xx) and then `delivered` (bob's IMDN,
  RFC 5438, back through Kamailio);
- --plain sends text/plain without CPIM; UTF-8 text arrives intact;
- exit codes: 5 for an unknown user (404), 3 for a wrong password;
- local account to local account, IMDN included;
- a raw SIP peer checks the answers to odd requests (415 with Accept, 400
  for malformed CPIM, 413 for a body over 64 KiB, a hidden ?OTR query, an
  is-composing indication) and the IMDN Confab sends back.

TAP output."""

import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from confab_audio import events  # noqa: E402

CLI = os.environ["CONFAB_CLI"]
PEER = os.environ["CONFAB_KAMAILIO_PEER"]

results = []


def tap(ok, what):
    results.append(bool(ok))
    print(("ok" if ok else "not ok") + " %d - %s" % (len(results), what), flush=True)
    return ok


def note(text):
    print("# " + str(text).replace("\n", "\n# "), flush=True)


def cli(args):
    return subprocess.Popen([CLI, "--bind", "127.0.0.1", "--json"] + args,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            encoding="utf-8")


class Listener:
    """confab-cli listen: waits for its "listening" line, stops on SIGTERM."""

    def __init__(self, args):
        self.proc = cli(args + ["listen"])
        self.lines = []
        self.contact = None
        deadline = time.time() + 20
        while time.time() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            self.lines.append(line)
            ev = events(line)
            if ev and ev[0].get("event") == "listening":
                self.contact = ev[0].get("contact")
                break

    def stop(self, name):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            out, err = self.proc.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            out, err = self.proc.communicate()
        if err.strip():
            note("listener stderr: " + err.strip()[-1500:])
        # (under the sanitizers a leak or an error makes this fail)
        tap(self.proc.returncode == 0,
            "%s: the listener exits 0 on SIGTERM (got %s)" % (name, self.proc.returncode))
        return events("".join(self.lines) + out)


def send(args, uri, text, *extra):
    """One `confab-cli message`; returns (exit code, events)."""
    proc = cli(args + ["message", uri, text] + list(extra))
    try:
        out, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
    if err.strip():
        note("sender stderr: " + err.strip()[-1500:])
    return proc.returncode, events(out)


def states(evs, message_id=None):
    return [e.get("state") for e in evs if e.get("event") == "delivery" and
            (message_id is None or e.get("message_id") == message_id)]


def received(evs, text):
    return [e for e in evs if e.get("event") == "message" and e.get("text") == text]


def check_exchange(name, listener_events, text, sender_uri, rc, evs, plain=False):
    tap(rc == 0, "%s: the sender exits 0 (got %s)" % (name, rc))
    got = states(evs)
    if plain:
        tap(got == ["sent"], "%s: the message is sent, no notification asked (%s)" % (name, got))
    else:
        tap(got[:2] == ["sent", "delivered"],
            "%s: the message is sent, then delivered (%s)" % (name, got))
    msgs = received(listener_events, text)
    tap(len(msgs) == 1, "%s: the listener prints it once (%d)" % (name, len(msgs)))
    if msgs:
        m = msgs[0]
        tap(m.get("from") == sender_uri,
            "%s: from %s (got %s)" % (name, sender_uri, m.get("from")))
        tap(m.get("mode") == "page" and "session" in m and m["session"] is None,
            "%s: page mode, no session" % name)
        tap((m.get("content_type") or "").lower().startswith("text/plain"),
            "%s: text/plain inside (got %s)" % (name, m.get("content_type")))


# --- a raw SIP peer ----------------------------------------------------------

def rid(n=10):
    return "".join(random.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(n))


def parse_sip(data):
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("utf-8", "replace").split("\r\n")
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers.setdefault(k.strip().lower(), v.strip())
    return lines[0], headers, body


def raw_message(sock, proto, dest, user, content_type, body, extra=""):
    """A MESSAGE by hand; returns the final response (first line, headers)."""
    host, port = sock.getsockname()
    branch = "z9hG4bK" + rid()
    req = ("MESSAGE sip:%s@%s:%d SIP/2.0\r\n"
           "Via: SIP/2.0/%s %s:%d;branch=%s;rport\r\n"
           "Max-Forwards: 70\r\n"
           "From: <sip:raw@%s:%d>;tag=%s\r\n"
           "To: <sip:%s@%s:%d>\r\n"
           "Call-ID: %s@127.0.0.1\r\n"
           "CSeq: 1 MESSAGE\r\n"
           "%s"
           "Content-Type: %s\r\n"
           "Content-Length: %d\r\n\r\n" %
           (user, dest[0], dest[1], proto, host, port, branch, host, port, rid(), user,
            dest[0], dest[1], rid(), extra, content_type, len(body))).encode() + body
    if proto == "UDP":
        sock.sendto(req, dest)
    else:
        sock.sendall(req)
    deadline = time.time() + 10
    buf = b""
    while time.time() < deadline:
        sock.settimeout(max(0.1, deadline - time.time()))
        try:
            data = sock.recv(200000)
        except socket.timeout:
            break
        if not data:
            break
        buf += data if proto == "TCP" else b""
        for msg in ([data] if proto == "UDP" else [buf]):
            first, headers, _ = parse_sip(msg)
            m = re.match(r"SIP/2.0 (\d+)", first)
            if m and int(m.group(1)) >= 200 and branch in headers.get("via", ""):
                return int(m.group(1)), headers
    return None, {}


def receive_request(sock, timeout=10):
    """The next request on a UDP socket, answered 200."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        sock.settimeout(max(0.1, deadline - time.time()))
        try:
            data, addr = sock.recvfrom(200000)
        except socket.timeout:
            return None
        first, headers, body = parse_sip(data)
        if first.startswith("SIP/2.0"):
            continue
        head = data.partition(b"\r\n\r\n")[0].decode("utf-8", "replace").split("\r\n")
        copy = [line for line in head[1:] if line.split(":", 1)[0].strip().lower() in
                ("via", "v", "from", "f", "to", "t", "call-id", "i", "cseq")]
        sock.sendto(("SIP/2.0 200 OK\r\n" + "\r\n".join(copy) +
                     "\r\nContent-Length: 0\r\n\r\n").encode(), addr)
        return first, headers, body
    return None


def cpim(sender, to, content_type, body, extra=""):
    return ("From: <%s>\r\nTo: <%s>\r\nDateTime: 2025-01-02T03:04:05.250000+01:00\r\n"
            "NS: imdn <urn:ietf:params:imdn>\r\n%s\r\nContent-Type: %s\r\n\r\n" %
            (sender, to, extra, content_type)).encode() + body


def check_raw_peer(listener_contact):
    """Odd requests to a local-account listener; returns the raw peer's
    address (check_raw_events checks what the listener printed)."""
    m = re.search(r"sip:([^@]+)@([\d.]+):(\d+)", listener_contact)
    user, dest = m.group(1), (m.group(2), int(m.group(3)))
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("127.0.0.1", 0))
    me = "sip:raw@127.0.0.1:%d" % udp.getsockname()[1]
    to = "sip:%s@%s:%d" % (user, dest[0], dest[1])

    status, headers = raw_message(udp, "UDP", dest, user, "application/octet-stream", b"\x00\x01")
    tap(status == 415, "raw: an unsupported type is refused with 415 (got %s)" % status)
    tap("message/cpim" in headers.get("accept", ""),
        "raw: the 415 lists what is accepted (%s)" % headers.get("accept"))

    status, _ = raw_message(udp, "UDP", dest, user, "message/cpim",
                            b"From <no colon>\r\nthis is not CPIM")
    tap(status == 400, "raw: malformed CPIM is refused with 400 (got %s)" % status)

    status, _ = raw_message(udp, "UDP", dest, user, "message/cpim",
                            cpim(me, to, "application/zip", b"PK\x03\x04"))
    tap(status == 415, "raw: an unsupported type inside CPIM is refused with 415 (got %s)" % status)

    status, _ = raw_message(udp, "UDP", dest, user, "message/cpim",
                            cpim(me, to, "message/imdn+xml",
                                 b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'b'>]><x/>"))
    tap(status == 400, "raw: a hostile delivery notification is refused with 400 (got %s)" % status)

    status, _ = raw_message(udp, "UDP", dest, user, "text/plain", b"?OTRv3?")
    tap(status == 200, "raw: an OTR query is accepted (got %s)" % status)

    composing = (b"<?xml version='1.0' encoding='UTF-8'?>\n<isComposing "
                 b"xmlns='urn:ietf:params:xml:ns:im-iscomposing'><state>active</state>"
                 b"<contenttype>text/plain</contenttype></isComposing>")
    status, _ = raw_message(udp, "UDP", dest, user, "application/im-iscomposing+xml", composing)
    tap(status == 200, "raw: an is-composing indication is accepted (got %s)" % status)

    with socket.create_connection(dest, timeout=10) as tcp:
        status, _ = raw_message(tcp, "TCP", dest, user, "text/plain", b"x" * (64 * 1024 + 1))
    tap(status == 413, "raw: a body over 64 KiB is refused with 413 (got %s)" % status)

    # A CPIM message asking for delivery notification: Confab's IMDN comes
    # back to where the request came from (a local account has no proxy).
    status, _ = raw_message(udp, "UDP", dest, user, "message/cpim",
                            cpim(me, to, "text/plain;charset=UTF-8", "from raw ✓".encode(),
                                 "imdn.Message-ID: raw-42\r\n"
                                 "imdn.Disposition-Notification: positive-delivery, display\r\n"))
    tap(status == 200, "raw: a CPIM message asking for IMDN is accepted (got %s)" % status)
    got = receive_request(udp)
    tap(got is not None and got[0].startswith("MESSAGE "),
        "raw: a MESSAGE comes back (%s)" % (got and got[0]))
    if got:
        _, headers, body = got
        text = body.decode("utf-8", "replace")
        tap(headers.get("content-type", "").lower().startswith("message/cpim"),
            "raw: the notification is in CPIM (%s)" % headers.get("content-type"))
        tap(re.search(r"(?im)^content-type:\s*message/imdn\+xml", text) is not None,
            "raw: it carries message/imdn+xml")
        tap(re.search(r"(?im)^content-disposition:\s*notification", text) is not None,
            "raw: with Content-Disposition: notification")
        tap("<message-id>raw-42</message-id>" in text and "<delivered/>" in text and
            "<delivery-notification>" in text,
            "raw: it says raw-42 was delivered")
        tap("<datetime>2025-01-02T02:04:05Z</datetime>" in text,
            "raw: with the original message's DateTime, in UTC")
        tap(re.search(r"(?m)^imdn\.Message-ID:\s*\S+", text) is not None and
            "Disposition-Notification" not in text,
            "raw: the notification has its own id and asks for nothing")
    udp.close()
    return me


def check_raw_events(evs, me):
    tap(not [e for e in evs if e.get("event") == "message" and "OTR" in (e.get("text") or "")],
        "raw: the OTR query is not shown as a message")
    comp = [e for e in evs if e.get("event") == "composing"]
    tap(bool(comp) and comp[0].get("state") == "active" and comp[0].get("from") == me,
        "raw: the is-composing indication prints (%s)" % comp)
    msgs = received(evs, "from raw ✓")
    tap(len(msgs) == 1 and msgs[0].get("message_id") == "raw-42" and msgs[0].get("from") == me,
        "raw: the CPIM message prints with its id and sender (%s)" % msgs)
    tap(len([e for e in evs if e.get("event") == "message" and e.get("from") == me]) == 1,
        "raw: nothing refused was printed")


def main():
    work = tempfile.mkdtemp(prefix="confab-message-test-")
    os.environ["XDG_CONFIG_HOME"] = os.path.join(work, "config")
    os.environ["XDG_DATA_HOME"] = os.path.join(work, "data")

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

        def account(user, password):
            return ["--account", "sip:%s@127.0.0.1" % user, "--password", password,
                    "--transport", "tcp", "--proxy", proxy]

        alice, bob = account("alice", "secret"), account("bob", "pw2")
        try:
            listener = Listener(bob)
            tap(listener.contact is not None, "kamailio: bob registers and listens")

            rc, cpim_evs = send(alice, "sip:bob@127.0.0.1", "hello")
            rc_plain, plain_evs = send(alice, "sip:bob@127.0.0.1", "plain hello", "--plain")
            utf8 = "Grüße, 世界 🙂 «ok»"
            rc_utf8, utf8_evs = send(alice, "sip:bob@127.0.0.1", utf8)
            rc_unknown, unknown_evs = send(alice, "sip:nobody@127.0.0.1", "anyone?")
            rc_auth, _ = send(account("alice", "wrong"), "sip:bob@127.0.0.1", "let me in")
            bob_evs = listener.stop("kamailio")

            check_exchange("kamailio", bob_evs, "hello", "sip:alice@127.0.0.1", rc, cpim_evs)
            ids = [e.get("message_id") for e in cpim_evs if e.get("event") == "delivery"]
            tap(len(set(ids)) == 1 and received(bob_evs, "hello") and
                received(bob_evs, "hello")[0].get("message_id") == ids[0],
                "kamailio: bob sees the id alice's notifications name (%s)" % ids[:1])
            check_exchange("plain", bob_evs, "plain hello", "sip:alice@127.0.0.1", rc_plain,
                           plain_evs, plain=True)
            check_exchange("utf-8", bob_evs, utf8, "sip:alice@127.0.0.1", rc_utf8, utf8_evs)
            tap(rc_unknown == 5, "unknown user: exit 5 (got %s)" % rc_unknown)
            tap(states(unknown_evs) == ["failed"],
                "unknown user: the message failed (%s)" % states(unknown_evs))
            tap(rc_auth == 3, "wrong password: exit 3 (got %s)" % rc_auth)
            tap(not received(bob_evs, "let me in") and not received(bob_evs, "anyone?"),
                "kamailio: refused messages never reach bob")
        finally:
            subprocess.run([sys.executable, PEER, "stop", "--dir", kdir], capture_output=True)

    # --- local account to local account, and a raw SIP peer -----------------
    listener = Listener(["--local-port", "0"])
    tap(listener.contact is not None, "direct: the local listener listens (%s)" % listener.contact)
    if listener.contact:
        rc, evs = send(["--local-port", "0"], listener.contact, "hello direct")
        me = check_raw_peer(listener.contact)
        got = listener.stop("direct")
        user = re.match(r"sip:([^@]+)@", listener.contact).group(1)
        check_exchange("direct", got, "hello direct", "sip:%s@localhost" % user, rc, evs)
        check_raw_events(got, me)
    else:
        listener.stop("direct")

    print("1..%d" % len(results))
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
