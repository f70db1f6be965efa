#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Chat (MSRP, RFC 4975) between two real confab-cli processes on 127.0.0.1:
`chat` sends its stdin lines, `listen --echo` takes the session and sends
every message back, so both directions run in one session.

Checks: 1000 messages in order both ways with delivery reports (TCP), TLS
with the peer's certificate checked against a=fingerprint, a 1 MB message
chunked and reassembled, is-composing seen, a refused chat, and chat
through a real RFC 4976 relay (Kamailio's msrp module, with AUTH) when
CONFAB_KAMAILIO_PEER is set. TAP output."""

import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from confab_audio import events, wait_listening  # noqa: E402

CLI = os.environ["CONFAB_CLI"]
PEER = os.environ.get("CONFAB_KAMAILIO_PEER")

results = []


def tap(ok, what):
    results.append(ok)
    print(("ok" if ok else "not ok") + " %d - %s" % (len(results), what), flush=True)
    return ok


def cli(args, **kw):
    return subprocess.Popen([CLI, "--bind", "127.0.0.1", "--json"] + args,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, **kw)


def show_stderr(who, err):
    if err.strip():
        print("# %s stderr: %s" % (who, err.strip()[-3000:].replace("\n", "\n# ")))


def chat_pair(lines, chat_args=(), listen_args=(), common=(), target=None, caller_common=None,
              listener_common=None, timeout=120):
    """Runs one chat session; returns (rc, chat events, listen events)."""
    listener = cli(list(listener_common or common) +
                   ["listen", "--calls", "1", "--echo"] + list(listen_args))
    ev, early = wait_listening(listener)
    if not ev:
        listener.kill()
        out, err = listener.communicate()
        show_stderr("listener", err)
        return None, [], events("".join(early) + out)
    uri = target or ev["contact"]
    # The listener prints an event per message: read its output while the
    # chat runs, or it blocks on a full pipe.
    drained = {"out": [], "err": []}

    def pump():
        err_reader = threading.Thread(target=lambda: drained["err"].extend(listener.stderr))
        err_reader.start()
        drained["out"].extend(listener.stdout)
        err_reader.join()

    drain = threading.Thread(target=pump)
    drain.start()
    chatter = cli(list(caller_common or common) + ["chat", uri] + list(chat_args))
    try:
        out_a, err_a = chatter.communicate("".join(l + "\n" for l in lines), timeout=timeout)
    except subprocess.TimeoutExpired:
        chatter.kill()
        out_a, err_a = chatter.communicate()
    try:
        listener.wait(timeout=20)
    except subprocess.TimeoutExpired:
        listener.kill()
        listener.wait()
    drain.join(timeout=10)
    out_b, err_b = "".join(drained["out"]), "".join(drained["err"])
    if chatter.returncode != 0:
        show_stderr("chat", err_a)
        show_stderr("listener", err_b)
    return chatter.returncode, events(out_a), events("".join(early) + out_b)


def texts(evs):
    return [e.get("text") for e in evs if e.get("event") == "message"]


def final_states(evs):
    states = {}
    for e in evs:
        if e.get("event") == "delivery":
            states[e["message_id"]] = e["state"]
    return states


def connected(evs):
    return [e for e in evs if e.get("event") == "chat" and e.get("state") == "connected"]


def check_bulk(name, transport, n):
    lines = ["%s message %04d: héllo ✓" % (name, i) for i in range(n)]
    started = time.time()
    rc, a, b = chat_pair(lines, chat_args=["--expect", str(n)],
                         common=["--local-port", "0", "--msrp-transport", transport])
    took = time.time() - started
    tap(rc == 0, "%s: chat exits 0 (rc %s, %.1f s)" % (name, rc, took))
    conn = connected(a)
    tap(bool(conn) and conn[0].get("transport") == transport,
        "%s: chat connected over %s (%s)" % (name, transport, conn[:1]))
    got = texts(b)
    tap(got == lines, "%s: listener received %d/%d messages in order" % (name, len(got), n))
    echoed = texts(a)
    tap(echoed == lines, "%s: echoes came back in order (%d/%d)" % (name, len(echoed), n))
    states = final_states(a)
    delivered = sum(1 for s in states.values() if s == "delivered")
    tap(delivered == n, "%s: %d/%d of ours reported delivered" % (name, delivered, n))
    states_b = final_states(b)
    delivered_b = sum(1 for s in states_b.values() if s == "delivered")
    tap(delivered_b == n, "%s: %d/%d echoes reported delivered" % (name, delivered_b, n))
    froms = {e.get("from") for e in b if e.get("event") == "message"}
    tap(len(froms) == 1 and all(f and f.startswith("sip:") for f in froms),
        "%s: CPIM From is the caller's address (%s)" % (name, froms))
    return conn


def check_relay(work):
    """Both sides registered at Kamailio, each with Kamailio's msrp module as
    its RFC 4976 relay (TLS, AUTH with the SIP credentials): every MSRP
    byte goes through the relay, none directly."""
    kdir = os.path.join(work, "kamailio")
    started = subprocess.run([sys.executable, PEER, "start", "--dir", kdir, "--users",
                              "alice:secret,bob:pw2", "--msrp-relay", "--watch-pid",
                              str(os.getpid())], capture_output=True, text=True)
    try:
        info = json.loads(started.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        tap(False, "kamailio with the MSRP relay starts: " + started.stderr[-500:])
        return
    try:
        proxy = "sip:127.0.0.1:%d;transport=tcp" % info["tcp"]
        relay = "msrps://127.0.0.1:%d;tcp" % info["msrp"]
        common = ["--transport", "tcp", "--proxy", proxy, "--ca-file", info["ca"],
                  "--msrp-relay", relay]
        bob = ["--account", "sip:bob@127.0.0.1", "--password", "pw2"] + common
        alice = ["--account", "sip:alice@127.0.0.1", "--password", "secret"] + common
        n = 300
        lines = ["via relay %03d" % i for i in range(n)]
        rc, a, b = chat_pair(lines, chat_args=["--expect", str(n)], target="sip:bob@127.0.0.1",
                             caller_common=alice, listener_common=bob)
        tap(rc == 0, "relay: chat exits 0 (rc %s)" % rc)
        tap(texts(b) == lines, "relay: %d/%d messages in order through the relay" %
            (len(texts(b)), n))
        tap(texts(a) == lines, "relay: %d/%d echoes back through the relay" % (len(texts(a)), n))
        delivered = sum(1 for s in final_states(a).values() if s == "delivered")
        tap(delivered == n, "relay: %d/%d reported delivered end to end" % (delivered, n))
        froms = {e.get("from") for e in b if e.get("event") == "message"}
        tap(froms == {"sip:alice@127.0.0.1"}, "relay: CPIM From is alice (%s)" % froms)

        wrong = ["--account", "sip:alice@127.0.0.1", "--password", "wrong"] + common
        rc, a, b = chat_pair(["not sent"], target="sip:bob@127.0.0.1", caller_common=wrong,
                             listener_common=bob, timeout=40)
        tap(rc == 3, "relay: a wrong password is refused with exit 3 (rc %s)" % rc)
    finally:
        subprocess.run([sys.executable, PEER, "stop", "--dir", kdir], capture_output=True)


def check_history(path, n):
    """Both processes keep the chat in the (shared) history store: each side
    stores its sent and its received messages, with their final states."""
    try:
        db = sqlite3.connect(path, timeout=10)
        rows = db.execute("SELECT direction, state, COUNT(*) FROM messages "
                          "WHERE text LIKE 'tcp message %' GROUP BY direction, state").fetchall()
        db.close()
    except sqlite3.Error as e:
        tap(False, "history readable at %s: %s" % (path, e))
        return
    counts = {(d, s): c for d, s, c in rows}
    tap(counts.get(("outgoing", "delivered"), 0) == 2 * n and
        counts.get(("incoming", "received"), 0) == 2 * n,
        "history holds %d sent (delivered) and %d received messages: %s" % (2 * n, 2 * n, counts))


def main():
    work = tempfile.mkdtemp(prefix="confab-chat-")
    os.environ.setdefault("XDG_DATA_HOME", os.path.join(work, "data"))

    check_bulk("tcp", "tcp", 1000)
    check_history(os.path.join(os.environ["XDG_DATA_HOME"], "confab", "history.sqlite3"), 1000)
    conn = check_bulk("tls", "tls", 200)
    tap(bool(conn) and conn[0].get("peer_verified") is True,
        "tls: the listener's certificate matched its a=fingerprint")

    # One message of 1 MiB (16 chunks of 64 KiB), and back.
    big = "B" + "0123456789abcdef" * 65536 + "E"
    rc, a, b = chat_pair([big], chat_args=["--expect", "1"], common=["--local-port", "0"])
    got = texts(b)
    tap(rc == 0 and got == [big], "1 MB message arrives whole (%s)" %
        [len(t or "") for t in got])
    tap(texts(a) == [big], "1 MB message echoed back whole")
    tap(list(final_states(a).values()) == ["delivered"], "1 MB message reported delivered")

    # is-composing: "active" before the message, gone with it.
    rc, a, b = chat_pair(["typed slowly"], chat_args=["--typing-delay", "600"],
                         common=["--local-port", "0"])
    comp = [e.get("state") for e in b if e.get("event") == "composing"]
    tap(rc == 0 and comp[:1] == ["active"], "is-composing active seen by the peer (%s)" % comp)
    order = [e.get("event") for e in b if e.get("event") in ("composing", "message")]
    tap("composing" in order and "message" in order and
        order.index("composing") < order.index("message"),
        "composing came before the message (%s)" % order)

    # A refused chat ends with exit code 5.
    rc, a, b = chat_pair(["nobody reads this"], listen_args=["--reject", "decline"],
                         common=["--local-port", "0"])
    tap(rc == 5, "declined chat exits 5 (rc %s)" % rc)

    if PEER:
        check_relay(work)

    print("1..%d" % len(results))
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
