#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Chat benchmark: two confab-cli processes chatting over MSRP (RFC 4975)
on 127.0.0.1, next to raw TLS moving the same bytes. Prints figures; it is
not a pass/fail test.

  bench-chat.py [--cli PATH] [--small 20000] [--bulk-mb 64] [--rtt 500]
                [--history both|on|off] [--max-seconds 40]

What is measured, and how (`chat` sends its stdin lines, CPIM-wrapped with
Success-Report: yes; `listen --calls 1` receives them):

SMALL  --small messages of --small-bytes bytes one way. Messages per second
       from the first "sending" delivery event to the last "delivered" one
       (time stamps taken as the harness reads each JSON line; the events
       carry none), the receiver's rate from its first to its last "message"
       event, and from the start of `chat` to its exit (SIP set-up, TLS,
       teardown included). The lines go to `chat` once its MSRP connection
       is up, at most 2 MiB (2000 messages) ahead of the delivery reports,
       and for at most --max-seconds: a slow run sends fewer messages and
       says so. Its stdin stays open until every message has its final state
       (end of input starts its 30 s drain timer).
BULK   Messages of --bulk-kib KiB (one 64 KiB MSRP chunk each, CPIM
       headers included) adding up to --bulk-mb MB, one way: MB/s (10^6
       bytes of message text per second), measured the same way.
RTT    `listen --echo` sends each message back; the harness writes one line,
       waits for the echoed "message" event, writes the next: median and
       95th percentile over --rtt messages of --small-bytes bytes.
CPU    user+system seconds of each process over its whole life (from
       wait4(), all threads), and per message.
RSS    peak resident memory of each process (ru_maxrss from wait4(), the
       same figure as VmHWM).
RAW    The reference: this script again as a TLS server and a TLS client
       (Python's ssl module, OpenSSL) in two processes on 127.0.0.1, with a
       self-signed P-256 certificate made by `openssl req` for the run. The
       client writes the same messages, newline-delimited, one write (one
       TLS record or more) per message; the server counts lines and answers
       "ok" after the last one; messages/s and MB/s from the first write to
       that answer. For RTT the server echoes each line back.

Confab keeps its chat history (SQLite, FTS5 index) as the app does, in a
temporary XDG_DATA_HOME; the one-way runs are made with it and again with
--no-history (--history both|on|off). Confab's TLS is GnuTLS (through
glib-networking), the reference's is OpenSSL.
"""

import argparse
import ctypes
import json
import os
import random
import re
import shutil
import signal
import socket
import ssl
import statistics
import string
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
POOL_SIZE = 256 * 1024
STALL_S = 30  # give up when no message changes state for this long

children = []

try:
    _prctl = ctypes.CDLL(None, use_errno=True).prctl
except (OSError, AttributeError):
    _prctl = None


def die_with_parent():
    # In the child between fork and exec: SIGKILL when the benchmark dies.
    if _prctl:
        _prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def log(msg):
    print(msg, file=sys.stderr, flush=True)


class BenchError(Exception):
    pass


# --- payloads ------------------------------------------------------------------

_pool = None


def payload(i, size):
    """Message i of size bytes of printable ASCII, the same in every process."""
    global _pool
    if _pool is None:
        rng = random.Random(4975)
        _pool = "".join(rng.choices(string.ascii_letters + string.digits + " .,",
                                    k=POOL_SIZE)).encode()
    head = b"%07d " % i
    n = size - len(head)
    off = (i * 7919) % (POOL_SIZE - n)
    return head + _pool[off:off + n]


# --- processes -----------------------------------------------------------------

class Child:
    """A process whose CPU time, peak RSS and exit time come from wait4()."""

    def __init__(self, argv, env=None, stdin=False):
        self.t_start = time.monotonic()
        self.proc = subprocess.Popen(argv, env=env, preexec_fn=die_with_parent,
                                     stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        children.append(self)
        self.pid = self.proc.pid
        self.exited = threading.Event()
        self.t_exit = self.rusage = None
        self.err = bytearray()
        threading.Thread(target=self._wait, daemon=True).start()
        threading.Thread(target=self._read_err, daemon=True).start()

    def _wait(self):
        # Popen.wait/poll are never called, so this is the only waiter.
        _, status, self.rusage = os.wait4(self.pid, 0)
        self.t_exit = time.monotonic()
        self.proc.returncode = os.waitstatus_to_exitcode(status)
        self.exited.set()

    def _read_err(self):
        for chunk in iter(lambda: self.proc.stderr.read1(65536), b""):
            self.err += chunk
            del self.err[:-16384]

    def finish(self, timeout):
        if not self.exited.wait(timeout):
            self.kill()
            self.exited.wait(5)
            return None
        return self.proc.returncode

    def kill(self):
        if not self.exited.is_set():
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    @property
    def cpu(self):
        return self.rusage.ru_utime + self.rusage.ru_stime if self.rusage else None

    @property
    def rss_mib(self):
        return self.rusage.ru_maxrss / 1024.0 if self.rusage else None

    def stderr_tail(self, n=800):
        return self.err[-n:].decode(errors="replace").strip()


EVENT_RE = re.compile(rb'^\{"event":"(\w+)"')
STATE_RE = re.compile(rb'"state":"(\w+)"')
BYTES_RE = re.compile(rb'"bytes":(\d+)\}\s*$')
FINAL = ("delivered", "failed", "displayed")


class Confab(Child):
    """One confab-cli process and its JSON events, each with the time it was
    read. Only what the figures need is kept: a message's text is not."""

    def __init__(self, opts, args, stdin=False, history=True):
        argv = [opts.cli, "--bind", "127.0.0.1", "--local-port", "0", "--json",
                "--msrp-transport", opts.transport]
        if not history:
            argv.append("--no-history")
        super().__init__(argv + args, env=opts.env, stdin=stdin)
        self.cond = threading.Condition()
        self.events = []  # (time, event, state, JSON object or None)
        self.sending = []
        self.final = {s: [] for s in FINAL}
        self.messages = []  # (time, bytes)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.proc.stdout:
            t = time.monotonic()
            m = EVENT_RE.match(line)
            if not m:
                continue
            event = m.group(1).decode()
            s = STATE_RE.search(line, 0, 400) if event != "message" else None
            state = s.group(1).decode() if s else None
            with self.cond:
                if event == "delivery":
                    if state == "sending":
                        self.sending.append(t)
                    elif state in self.final:
                        self.final[state].append(t)
                elif event == "message":
                    b = BYTES_RE.search(line, max(0, len(line) - 40))
                    self.messages.append((t, int(b.group(1)) if b else 0))
                else:
                    try:
                        obj = json.loads(line)
                    except ValueError:
                        obj = None
                    self.events.append((t, event, state, obj))
                self.cond.notify_all()
        with self.cond:
            self.cond.notify_all()

    def wait_for(self, pred, timeout):
        """pred() under the lock; None on timeout or when the process ended."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                r = pred()
                if r:
                    return r
                left = deadline - time.monotonic()
                if left <= 0 or (not self.reader.is_alive() and not pred()):
                    return None
                self.cond.wait(min(left, 0.5))

    def wait_event(self, event, state=None, timeout=20):
        def found():
            for ev in self.events:
                if ev[1] == event and (state is None or ev[2] == state):
                    return ev
            return None
        return self.wait_for(found, timeout)

    def n_final(self):
        return sum(len(v) for v in self.final.values())

    def wait_progress(self, count, target):
        """Waits until count() >= target, as long as it keeps moving."""
        last = -1
        while True:
            with self.cond:
                now = count()
            if now >= target:
                return True
            if now == last:
                return False
            last = now
            if self.wait_for(lambda: count() >= target or count() != now, STALL_S) is None:
                return False


def start_listener(opts, echo, history):
    listener = Confab(opts, ["listen", "--calls", "1"] + (["--echo"] if echo else []),
                      history=history)
    ev = listener.wait_event("listening", timeout=20)
    if not ev or not ev[3]:
        listener.kill()
        listener.finish(5)
        raise BenchError("confab-cli listen did not start (exit %s): %s" %
                         (listener.proc.returncode, listener.stderr_tail()))
    return listener, ev[3]["contact"]


def start_chat(opts, contact, history, extra=()):
    chat = Confab(opts, ["chat", contact] + list(extra), stdin=True, history=history)
    ev = chat.wait_event("chat", "connected", timeout=30)
    if not ev:
        chat.kill()
        raise BenchError("the chat did not connect: " + chat.stderr_tail())
    chat.connected = ev[3] or {}
    return chat


def end_pair(chat, listener):
    try:
        chat.proc.stdin.close()
    except OSError:
        pass
    rc = chat.finish(60)
    listener.finish(30)
    chat.reader.join(5)
    listener.reader.join(5)
    return rc


def confab_one_way(opts, n, size, history):
    """Up to n messages of size bytes, chat -> listen, for at most
    opts.max_seconds from the first one. Returns a result dict."""
    listener, contact = start_listener(opts, False, history)
    chat = None
    sent = [0]
    # A window keeps the time budget meaningful: lines written to `chat` are
    # queued at once, so a deep backlog would outlive the budget.
    window = min(2000, max(8, (2 << 20) // size))
    try:
        chat = start_chat(opts, contact, history)

        def write():
            out = chat.proc.stdin
            deadline = None
            try:
                for i in range(n):
                    if deadline and time.monotonic() > deadline:
                        break
                    if i - chat.n_final() >= window:
                        out.flush()
                        if not chat.wait_for(lambda: i - chat.n_final() < window, STALL_S):
                            break
                    out.write(payload(i, size) + b"\n")
                    sent[0] = i + 1
                    deadline = deadline or time.monotonic() + opts.max_seconds
                out.flush()
            except (BrokenPipeError, ValueError, OSError):
                pass

        writer = threading.Thread(target=write, daemon=True)
        writer.start()
        writer.join()
        all_final = chat.wait_progress(chat.n_final, sent[0])
        all_received = listener.wait_progress(lambda: len(listener.messages), sent[0])
        rc = end_pair(chat, listener)
    finally:
        for p in (chat, listener):
            if p:
                p.kill()
    n_sent = sent[0]
    r = {"n": n_sent, "planned": n, "size": size, "rc": rc,
         "peer_verified": chat.connected.get("peer_verified"),
         "transport": chat.connected.get("transport"),
         "delivered": len(chat.final["delivered"]) + len(chat.final["displayed"]),
         "failed": len(chat.final["failed"]), "received": len(listener.messages),
         "received_bytes": sum(b for _, b in listener.messages),
         "cpu_tx": chat.cpu, "cpu_rx": listener.cpu,
         "rss_tx": chat.rss_mib, "rss_rx": listener.rss_mib}
    r["complete"] = (all_final and all_received and rc == 0 and n_sent > 0 and
                     r["delivered"] == n_sent)
    done = chat.final["delivered"] + chat.final["displayed"]
    if chat.sending and done:
        r["span"] = max(done) - chat.sending[0]
    if len(listener.messages) > 1:
        r["rx_span"] = listener.messages[-1][0] - listener.messages[0][0]
    if chat.t_exit:
        r["life"] = chat.t_exit - chat.t_start
    if not r["complete"]:
        r["why"] = ("rc %s, %d delivered, %d failed, %d received of %d; chat: %s; listen: %s" %
                    (rc, r["delivered"], r["failed"], r["received"], n_sent,
                     chat.stderr_tail(400), listener.stderr_tail(400)))
    return r


def confab_rtt(opts, n, size, history):
    listener, contact = start_listener(opts, True, history)
    chat = None
    rtts = []
    try:
        chat = start_chat(opts, contact, history, ["--expect", str(n)])
        out = chat.proc.stdin
        for i in range(n):
            t0 = time.monotonic()
            out.write(payload(i, size) + b"\n")
            out.flush()
            got = chat.wait_for(lambda: len(chat.messages) > i and chat.messages[i][0], 10)
            if not got:
                break
            rtts.append(got - t0)
        chat.wait_progress(chat.n_final, len(rtts))
        rc = end_pair(chat, listener)
    finally:
        for p in (chat, listener):
            if p:
                p.kill()
    return {"n": n, "rtts": rtts, "rc": rc, "cpu_tx": chat.cpu, "cpu_rx": listener.cpu,
            "rss_tx": chat.rss_mib, "rss_rx": listener.rss_mib,
            "complete": len(rtts) == n and rc == 0,
            "why": "rc %s, %d of %d echoes; chat: %s" % (rc, len(rtts), n,
                                                          chat.stderr_tail(400))}


# --- raw TLS reference -------------------------------------------------------------

def make_cert(work):
    cert, key = os.path.join(work, "cert.pem"), os.path.join(work, "key.pem")
    r = subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                        "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", cert,
                        "-days", "2", "-subj", "/CN=127.0.0.1",
                        "-addext", "subjectAltName=IP:127.0.0.1"],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise BenchError("openssl req failed: " + r.stderr[-400:])
    return cert, key


def raw_server(args):
    """Child process: accepts one TLS connection; counts lines (one-way, then
    "ok") or echoes each line back (--echo)."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(args.cert, args.key)
    lsock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    lsock.bind(("127.0.0.1", 0))
    lsock.listen(1)
    print(json.dumps({"port": lsock.getsockname()[1]}), flush=True)
    conn, _ = lsock.accept()
    conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    tls = ctx.wrap_socket(conn, server_side=True)
    buf = bytearray(256 * 1024)
    view = memoryview(buf)
    lines = 0
    pending = b""
    while lines < args.n:
        k = tls.recv_into(view)
        if not k:
            break
        if args.echo:
            pending += view[:k]
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                tls.sendall(line + b"\n")
                lines += 1
        else:
            lines += buf.count(b"\n", 0, k)
    try:
        if not args.echo:
            tls.sendall(b"ok\n")
        tls.recv(1)  # the client closes first
    except OSError:
        pass
    tls.close()
    print(json.dumps({"lines": lines}), flush=True)


def raw_client(args):
    """Child process: sends n messages of size bytes; prints its timings."""
    ctx = ssl.create_default_context(cafile=args.cert)
    # made as they go when they would take much memory, as Confab's are
    messages = [payload(i, args.size) + b"\n" for i in range(args.n)] \
        if args.n * args.size <= 16 << 20 else None
    message = (lambda i: messages[i]) if messages else (lambda i: payload(i, args.size) + b"\n")
    sock = socket.create_connection(("127.0.0.1", args.port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    tls = ctx.wrap_socket(sock, server_hostname="127.0.0.1")
    result = {"cipher": tls.cipher()[0], "version": tls.version()}
    if args.echo:
        rtts = []
        pending = b""
        for i in range(args.n):
            m = message(i)
            t0 = time.monotonic()
            tls.sendall(m)
            while b"\n" not in pending:
                pending += tls.recv(65536)
            pending = pending.split(b"\n", 1)[1]
            rtts.append(time.monotonic() - t0)
        result["rtts"] = rtts
    else:
        t0 = time.monotonic()
        for i in range(args.n):
            tls.sendall(message(i))
        answer = b""
        while not answer.endswith(b"\n"):
            chunk = tls.recv(16)
            if not chunk:
                break
            answer += chunk
        result["span"] = time.monotonic() - t0
        result["ok"] = answer == b"ok\n"
    tls.close()
    print(json.dumps(result), flush=True)


def raw_run(opts, n, size, echo=False):
    me = [sys.executable, os.path.abspath(__file__), "--cert", opts.cert, "--key", opts.key,
          "--n", str(n), "--size", str(size)] + (["--echo"] if echo else [])
    server = Child(me + ["--raw-role", "server"])
    client = None
    try:
        port = json.loads(server.proc.stdout.readline() or "{}").get("port")
        if not port:
            raise BenchError("raw TLS server did not start: " + server.stderr_tail())
        client = Child(me + ["--raw-role", "client", "--port", str(port)])
        out = client.proc.stdout.read()
        client.finish(120)
        server.finish(30)
    finally:
        for p in (client, server):
            if p:
                p.kill()
    try:
        r = json.loads(out.decode().strip().splitlines()[-1])
    except (ValueError, IndexError):
        raise BenchError("raw TLS client failed: " + client.stderr_tail())
    r.update({"n": n, "size": size, "cpu_tx": client.cpu, "cpu_rx": server.cpu,
              "rss_tx": client.rss_mib, "rss_rx": server.rss_mib,
              "life": client.t_exit - client.t_start if client.t_exit else None})
    return r


# --- the table -----------------------------------------------------------------------

def fmt(x, spec="%.1f"):
    return "n/a" if x is None else spec % x


def div(a, b):
    return a / b if a is not None and b else None


def ratio(a, b):
    r = div(a, b)
    return "n/a" if r is None else ("%.2f" % r if r >= 0.1 else "%.3f" % r)


class Table:
    """Rows of figures: the Confab columns, raw TLS, then each Confab
    column's ratio to raw TLS."""

    def __init__(self, title, columns):
        self.columns = columns  # (name, result dict or None); raw TLS last
        print()
        print(title)
        names = [name for name, _ in columns]
        names += [{"no history": "nohist/raw"}.get(n, n + "/raw") for n in names[:-1]]
        print("    %-42s" % "" + "".join("%12s" % n for n in names))

    def row(self, label, value, spec="%.1f", raw=True, ratios=True):
        """value(result) -> a figure or None."""
        figs = [value(r) if r else None for _, r in self.columns]
        if not raw:
            figs[-1] = None
        cells = [fmt(f, spec) for f in figs]
        cells += [ratio(f, figs[-1]) if raw and ratios else "" for f in figs[:-1]]
        print("    %-42s" % label + "".join("%12s" % c for c in cells))


def rate_rows(t, bulk):
    n = lambda r: r.get("n")  # noqa: E731
    mb = lambda r: r["n"] * r["size"] / 1e6  # noqa: E731
    t.row("messages sent", n, "%d", ratios=False)
    if bulk:
        t.row("MB/s, first sending -> last delivered", lambda r: div(mb(r), r.get("span")))
        t.row("messages/s, same span", lambda r: div(n(r), r.get("span")), "%.0f")
        t.row("MB/s, receiver's first -> last message",
              lambda r: div(mb(r), r.get("rx_span")), raw=False)
        t.row("MB/s, chat start -> exit", lambda r: div(mb(r), r.get("life")))
    else:
        t.row("messages/s, first sending -> last delivered",
              lambda r: div(n(r), r.get("span")), "%.0f")
        t.row("MB/s of text, same span", lambda r: div(mb(r), r.get("span")), "%.2f")
        t.row("messages/s, receiver's first -> last", lambda r: div(n(r), r.get("rx_span")),
              "%.0f", raw=False)
        t.row("messages/s, chat start -> exit", lambda r: div(n(r), r.get("life")), "%.0f")
    t.row("seconds, first sending -> last delivered", lambda r: r.get("span"), "%.2f")
    cpu_rows(t)


def cpu_rows(t):
    t.row("CPU s, sender (chat)", lambda r: r.get("cpu_tx"), "%.2f")
    t.row("CPU s, receiver (listen)", lambda r: r.get("cpu_rx"), "%.2f")
    t.row("CPU µs per message, sender", lambda r: div(r.get("cpu_tx"), r["n"] / 1e6), "%.0f")
    t.row("CPU µs per message, receiver", lambda r: div(r.get("cpu_rx"), r["n"] / 1e6), "%.0f")
    t.row("peak RSS MiB, sender", lambda r: r.get("rss_tx"))
    t.row("peak RSS MiB, receiver", lambda r: r.get("rss_rx"))


def notes(opts, *results):
    for name, r in results:
        if not r:
            continue
        if not r.get("complete"):
            print("    ! %s: incomplete: %s" % (name, r.get("why", "")[:600]))
        elif r.get("planned") and r["n"] < r["planned"]:
            print("    %s: %d of %d messages within the %d s budget (--max-seconds)" %
                  (name, r["n"], r["planned"], opts.max_seconds))


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100.0 * (len(xs) - 1))))] if xs else None


def versions(opts):
    out = {}
    try:
        out["confab"] = subprocess.run([opts.cli, "--version"], capture_output=True, text=True,
                                       timeout=10).stdout.strip() or "?"
    except (OSError, subprocess.TimeoutExpired):
        out["confab"] = "?"
    info = os.path.join(os.path.dirname(os.path.abspath(opts.cli)), "..", "..", "meson-info",
                        "intro-buildoptions.json")
    try:
        with open(info) as f:
            out["buildtype"] = next(o["value"] for o in json.load(f) if o["name"] == "buildtype")
    except (OSError, ValueError, StopIteration, KeyError):
        out["buildtype"] = "?"
    pkgs = ["libglib2.0-0", "glib-networking", "libgnutls30", "libsqlite3-0"]
    try:
        r = subprocess.run(["dpkg-query", "-W", "-f", "${Package} ${Version}\n"] + pkgs,
                           capture_output=True, text=True, timeout=10)
        out["libs"] = ", ".join(r.stdout.split("\n")[:-1]) or "?"
    except (OSError, subprocess.TimeoutExpired):
        out["libs"] = "?"
    model = "?"
    try:
        with open("/proc/cpuinfo") as f:
            model = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")),
                         "?")
    except OSError:
        pass
    out["cpu"] = model
    return out


def print_table(opts, v, load0, res):
    print()
    print("Confab chat benchmark — MSRP over %s on 127.0.0.1, next to raw TLS" %
          opts.transport.upper())
    print("    machine: %d CPU(s), %s, Linux %s" % (os.cpu_count() or 0, v["cpu"],
                                                    os.uname().release))
    print("    load average at start %s, at end %s" %
          (load0, " ".join("%.2f" % x for x in os.getloadavg())))
    print("    Confab: %s (%s build)" % (v["confab"], v["buildtype"]))
    print("    libraries: %s" % v["libs"])
    raw_tls = res.get("raw_small") or {}
    print("    raw TLS: Python %s ssl, %s, %s %s, one write per message" %
          (sys.version.split()[0], ssl.OPENSSL_VERSION, raw_tls.get("version", "?"),
           raw_tls.get("cipher", "?")))
    first = res.get("small") or res.get("small_nohist")
    if first:
        print("    Confab's MSRP link: %s, peer certificate matched a=fingerprint: %s" %
              (first.get("transport"), first.get("peer_verified")))
    confab_cols = []
    if opts.history in ("both", "on"):
        confab_cols.append(("Confab", ""))
    if opts.history in ("both", "off"):
        confab_cols.append(("no history", "_nohist"))

    def columns(phase):
        return ([(name, res.get(phase + sfx)) for name, sfx in confab_cols] +
                [("raw TLS", res.get("raw_" + phase))])

    t = Table("(1) Small messages: up to %d × %d bytes one way (CPIM, Success-Report)" %
              (opts.small, opts.small_bytes), columns("small"))
    rate_rows(t, False)
    notes(opts, *columns("small")[:-1])
    t = Table("(2) Bulk: up to %d × %d KiB one way, %.1f MB (one MSRP chunk each)" %
              (opts.bulk_n, opts.bulk_kib, opts.bulk_n * opts.bulk_kib * 1024 / 1e6),
              columns("bulk"))
    rate_rows(t, True)
    notes(opts, *columns("bulk")[:-1])
    c, r = res.get("rtt"), res.get("raw_rtt")
    name = "Confab" if opts.history != "off" else "no history"
    t = Table("(3) Round trip: %d × %d bytes, one at a time, echoed back (ms)" %
              (opts.rtt, opts.small_bytes), [(name, c), ("raw TLS", r)])
    ms = lambda f: lambda x: f(x["rtts"]) * 1000 if x.get("rtts") else None  # noqa: E731
    t.row("median", ms(statistics.median), "%.3f")
    t.row("95th percentile", ms(lambda x: pct(x, 95)), "%.3f")
    t.row("maximum", ms(max), "%.3f")
    cpu_rows(t)
    notes(opts, (name, c))
    print()
    print("    Ratios: above 1 is faster for rates, more for CPU, time and memory.")
    print("    \"Confab\" keeps its chat history as the app does (SQLite with an FTS5")
    print("    index); \"no history\" is confab-cli --no-history. Rates count message")
    print("    text only (no CPIM or MSRP framing, no newline). Confab's times come from")
    print("    its JSON events as this script reads them; raw TLS times are the client's")
    print("    own. CPU and peak RSS are whole-process figures (start-up, SIP and JSON")
    print("    output included); the raw processes are Python interpreters.")
    for what, why in res.get("errors", []):
        print("    ! %s failed: %s" % (what, why))
    sys.stdout.flush()


# --- main ----------------------------------------------------------------------------------

def run_phase(res, key, what, fn, *args):
    log("# %s" % what)
    t = time.monotonic()
    try:
        res[key] = fn(*args)
    except (BenchError, OSError) as e:
        res.setdefault("errors", []).append((what, str(e)[:600]))
        log("#   failed: %s" % e)
        return
    log("#   %.1f s" % (time.monotonic() - t))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cli", default=os.environ.get("CONFAB_CLI"),
                    help="confab-cli to run (default: $CONFAB_CLI)")
    ap.add_argument("--small", type=int, default=20000, help="small messages (20000)")
    ap.add_argument("--small-bytes", type=int, default=100, help="their size (100)")
    ap.add_argument("--bulk-mb", type=float, default=64, help="bulk total, MiB (64)")
    ap.add_argument("--bulk-kib", type=int, default=60, help="bulk message size, KiB (60)")
    ap.add_argument("--rtt", type=int, default=500, help="round trips (500)")
    ap.add_argument("--transport", choices=("tls", "tcp"), default="tls",
                    help="Confab's MSRP transport (tls; the reference is always TLS)")
    ap.add_argument("--history", choices=("both", "on", "off"), default="both",
                    help="Confab with its chat history, without (--no-history), or both "
                    "(the round trips run with it unless off)")
    ap.add_argument("--max-seconds", type=int, default=40,
                    help="stop sending after this long in a one-way run (40)")
    ap.add_argument("--keep", action="store_true", help="keep the work directory")
    # the raw TLS reference runs this script as its two processes
    ap.add_argument("--raw-role", choices=("server", "client"), help=argparse.SUPPRESS)
    ap.add_argument("--cert", help=argparse.SUPPRESS)
    ap.add_argument("--key", help=argparse.SUPPRESS)
    ap.add_argument("--port", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--n", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--size", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--echo", action="store_true", help=argparse.SUPPRESS)
    opts = ap.parse_args()
    if opts.raw_role == "server":
        raw_server(opts)
        return 0
    if opts.raw_role == "client":
        raw_client(opts)
        return 0
    if not opts.cli:
        ap.error("no confab-cli: pass --cli or set CONFAB_CLI")
    if not shutil.which("openssl"):
        print("bench-chat: openssl is needed for the reference's certificate", file=sys.stderr)
        return 1
    if opts.bulk_kib * 1024 + 512 > 65536:
        ap.error("--bulk-kib: a message and its CPIM headers must fit one 64 KiB chunk")
    opts.bulk_n = max(1, int(round(opts.bulk_mb * 1024 / opts.bulk_kib)))
    load0 = " ".join("%.2f" % x for x in os.getloadavg())

    work = tempfile.mkdtemp(prefix="confab-bench-chat-")
    opts.env = dict(os.environ, XDG_DATA_HOME=os.path.join(work, "data"),
                    XDG_CONFIG_HOME=os.path.join(work, "config"), GSETTINGS_BACKEND="memory")
    for var in ("G_MESSAGES_DEBUG", "SOFIA_DEBUG", "TPORT_DEBUG"):
        opts.env.pop(var, None)
    res = {}
    try:
        opts.cert, opts.key = make_cert(work)
        v = versions(opts)
        bulk_size = opts.bulk_kib * 1024
        modes = {"both": (True, False), "on": (True,), "off": (False,)}[opts.history]
        for phase, count, size, what in (("small", opts.small, opts.small_bytes,
                                          "%d × %d bytes" % (opts.small, opts.small_bytes)),
                                         ("bulk", opts.bulk_n, bulk_size,
                                          "%d × %d KiB" % (opts.bulk_n, opts.bulk_kib))):
            for history in modes:
                run_phase(res, phase + ("" if history else "_nohist"),
                          "Confab%s: %s" % ("" if history else " (no history)", what),
                          confab_one_way, opts, count, size, history)
            run_phase(res, "raw_" + phase, "raw TLS: " + what, raw_run, opts, count, size)
        run_phase(res, "rtt", "Confab: %d round trips" % opts.rtt,
                  confab_rtt, opts, opts.rtt, opts.small_bytes, modes[0])
        run_phase(res, "raw_rtt", "raw TLS: %d round trips" % opts.rtt,
                  raw_run, opts, opts.rtt, opts.small_bytes, True)
        print_table(opts, v, load0, res)
    except BenchError as e:
        print("bench-chat: %s" % e, file=sys.stderr)
        return 1
    finally:
        for child in children:
            child.kill()
        if opts.keep:
            log("# files kept in " + work)
        else:
            shutil.rmtree(work, ignore_errors=True)
    # Poor figures are still figures; only a run that could not measure fails.
    ran = all(r.get("complete") for k, r in res.items() if k != "errors" and
              not k.startswith("raw_"))
    return 0 if ran and not res.get("errors") else 1


def on_signal(signum, frame):
    # unwind, so the finally block stops the children
    raise SystemExit(128 + signum)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    sys.exit(main())
