#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""File-transfer benchmark: one confab-cli pushing a 1 GiB file to another
over MSRP (RFC 5547) on 127.0.0.1, next to raw TLS moving the same file.
Prints figures; it is not a pass/fail test.

  bench-file.py [--cli PATH] [--mib 1024] [--keep]

What is run (both sides --no-history; the work files live in one temporary
directory under $TMPDIR, the same filesystem for source and copies):

FILE    --mib MiB of os.urandom() bytes, written in 8 MiB blocks, and their
        SHA-1 (hashlib). With less than 6 GiB free there the size drops to
        512 MiB, and the table says so.
CONFAB  `confab-cli --bind 127.0.0.1 --local-port 0 --json --no-history
        --msrp-transport tls listen --accept-files DIR`, then, once it prints
        "listening", `confab-cli ... send-file CONTACT FILE`. Time stamps are
        taken as the harness reads each JSON line (the events carry none):
          hashing   the sender's "hashing" -> "waiting" (its SHA-1 pass over
                    the file, before the offer goes out)
          set-up    "waiting" -> the sender's first "progress" event (INVITE,
                    answer, MSRP connection and TLS handshake)
          transfer  the sender's first "progress" event (emitted as the
                    stream enters its transferring state) -> the receiver's
                    "verifying" event; MB/s = file bytes / 10^6 / this
          verify    the receiver's "verifying" -> "done"
          whole     send-file started -> the receiver's "done" (and -> the
                    sender's exit)
        Then the same again with --msrp-transport tcp on both sides.
CPU     user+system seconds over each process's life: the sender's from
        wait4() (all threads); the listener's from /proc/PID/stat, read
        as soon as its "done" event arrives (it keeps running after).
RSS     peak resident memory: the larger of VmRSS polled every 50 ms and
        VmHWM (the sender's as ru_maxrss from wait4(), the listener's read
        from /proc/PID/status with its CPU time).
CHECK   the received file's SHA-1 (hashlib) against the source's.
RAW     The reference: this script again as a TLS server and a TLS client
        (Python's ssl module, OpenSSL) in two processes on 127.0.0.1, with
        the self-signed P-256 certificate bench-chat.py makes with
        `openssl req`. The client reads the file in 64 KiB blocks and
        sendall()s each; the server writes what it receives to a file in
        the same directory and answers "ok" once it has every byte; MB/s
        from the client's first read to that answer (handshake excluded,
        as Confab's transfer time excludes its set-up). No hashing on
        either side.

The processes, their JSON events, the certificate and the version lines
come from bench-chat.py (imported; its name has a dash).
"""

import argparse
import hashlib
import importlib.util
import json
import os
import shutil
import signal
import socket
import ssl
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def _load_bench_chat():
    spec = importlib.util.spec_from_file_location("bench_chat",
                                                  os.path.join(HERE, "bench-chat.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bench_chat = _load_bench_chat()
BenchError = bench_chat.BenchError
Child = bench_chat.Child
Confab = bench_chat.Confab
div = bench_chat.div
fmt = bench_chat.fmt
log = bench_chat.log
make_cert = bench_chat.make_cert

MIB = 1 << 20
GIB = 1 << 30
BLOCK = 8 * MIB           # writing and hashing the source
RAW_BLOCK = 64 * 1024     # the raw TLS client's reads
MIN_FREE = 6 * GIB        # below this, the file shrinks to SMALL_MIB
SMALL_MIB = 512
STALL_S = 120             # no event from either side for this long: give up
POLL_S = 0.05             # VmRSS sampling
FINAL_STATES = ("done", "failed", "cancelled", "declined")


# --- the file ------------------------------------------------------------------------

def make_file(path, size):
    sha = hashlib.sha1()
    with open(path, "wb") as f:
        left = size
        while left > 0:
            block = os.urandom(min(BLOCK, left))
            f.write(block)
            sha.update(block)
            left -= len(block)
    return sha.hexdigest()


def sha1_file(path):
    sha = hashlib.sha1()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(BLOCK), b""):
            sha.update(block)
    return sha.hexdigest()


# --- /proc ---------------------------------------------------------------------------

def proc_status_kib(pid, field):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return None


def proc_cpu(pid):
    """utime+stime of the whole process (all threads), seconds."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


class RssSampler:
    """Polls VmRSS of some processes every POLL_S; keeps each one's maximum."""

    def __init__(self):
        self.pids = []
        self.peak = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def add(self, pid):
        self.pids.append(pid)

    def _run(self):
        while not self.stop.is_set():
            for pid in list(self.pids):
                kib = proc_status_kib(pid, "VmRSS")
                if kib is not None and kib > self.peak.get(pid, 0):
                    self.peak[pid] = kib
            self.stop.wait(POLL_S)

    def finish(self):
        self.stop.set()
        self.thread.join(2)

    def peak_mib(self, pid):
        kib = self.peak.get(pid)
        return kib / 1024.0 if kib else None


def max_or_none(*xs):
    xs = [x for x in xs if x is not None]
    return max(xs) if xs else None


# --- Confab --------------------------------------------------------------------------

def transfer_events(p):
    """(time, state, JSON object) of a Confab's transfer events so far."""
    with p.cond:
        return [(t, state, obj) for t, ev, state, obj in p.events if ev == "transfer"]


def first(events, state, pred=None):
    for t, s, obj in events:
        if s == state and (pred is None or pred(obj or {})):
            return t, obj or {}
    return None, None


def last_events(p, n=6):
    with p.cond:
        evs = [obj for _, ev, _, obj in p.events if obj][-n:]
    return " | ".join(json.dumps({k: v for k, v in o.items() if k != "hash"}) for o in evs)


def confab_run(opts, transport, src, size, sha):
    """One send-file -> listen --accept-files of src; a result dict."""
    copts = argparse.Namespace(cli=opts.cli, transport=transport, env=opts.env)
    rx_dir = tempfile.mkdtemp(prefix="rx-%s-" % transport, dir=opts.work)
    sampler = RssSampler()
    listener = sender = None
    r = {"transport": transport, "size": size}
    try:
        listener = Confab(copts, ["listen", "--accept-files", rx_dir], history=False)
        sampler.add(listener.pid)
        ev = listener.wait_event("listening", timeout=20)
        if not ev or not ev[3]:
            raise BenchError("confab-cli listen did not start (exit %s): %s" %
                             (listener.proc.returncode, listener.stderr_tail()))
        contact = ev[3]["contact"]
        r["rx_rss_before"] = (proc_status_kib(listener.pid, "VmRSS") or 0) / 1024.0
        sender = Confab(copts, ["send-file", contact, src], history=False)
        sampler.add(sender.pid)

        # Until the receiver's transfer reaches a final state, as long as
        # either side keeps printing events.
        def rx_final():
            for t, ev, state, obj in listener.events:
                if ev == "transfer" and state in FINAL_STATES:
                    return t, state, obj
            return None

        seen = -1
        last_change = time.monotonic()
        sender_gone_at = None
        while True:
            got = listener.wait_for(rx_final, 1.0)
            if got:
                break
            with listener.cond, sender.cond:
                n = len(listener.events) + len(sender.events)
            now = time.monotonic()
            if n != seen:
                seen, last_change = n, now
            if sender.exited.is_set():
                sender_gone_at = sender_gone_at or now
                if now - sender_gone_at > 10:
                    raise BenchError("send-file exited (%s) and the receiver has no final "
                                     "state; sender: %s; receiver: %s; send-file stderr: %s" %
                                     (sender.proc.returncode, last_events(sender),
                                      last_events(listener), sender.stderr_tail(400)))
            if listener.exited.is_set():
                raise BenchError("listen exited (%s) during the transfer: %s; %s" %
                                 (listener.proc.returncode, last_events(listener),
                                  listener.stderr_tail(400)))
            if now - last_change > STALL_S:
                rxb = [o.get("bytes") for _, s, o in transfer_events(listener)
                       if s == "progress" and o]
                raise BenchError("stalled: no event from either side for %d s; receiver at "
                                 "%s bytes; sender: %s; receiver: %s; stderr: %s / %s" %
                                 (STALL_S, rxb[-1] if rxb else None, last_events(sender),
                                  last_events(listener), sender.stderr_tail(300),
                                  listener.stderr_tail(300)))
        t_rx_final, rx_state, rx_obj = got
        # The listener stays up: its CPU time and VmHWM now.
        r["cpu_rx"] = proc_cpu(listener.pid)
        hwm = proc_status_kib(listener.pid, "VmHWM")
        r["rss_rx"] = max_or_none(hwm / 1024.0 if hwm else None, sampler.peak_mib(listener.pid))
        r["rx_state"] = rx_state
        r["rx_reason"] = (rx_obj or {}).get("reason")
        r["rc"] = sender.finish(60)
        sampler.finish()
        r["cpu_tx"] = sender.cpu
        r["rss_tx"] = max_or_none(sender.rss_mib, sampler.peak_mib(sender.pid))

        tx, rx = transfer_events(sender), transfer_events(listener)
        t0 = sender.t_start
        t_hash, _ = first(tx, "hashing")
        t_wait, _ = first(tx, "waiting")
        t_tx_start, _ = first(tx, "progress")
        t_tx_bytes, _ = first(tx, "progress", lambda o: (o.get("bytes") or 0) > 0)
        t_rx_start, _ = first(rx, "progress")
        t_verify, _ = first(rx, "verifying")
        t_tx_done, tx_done = first(tx, "done")
        if t_hash and t_wait:
            r["hashing"] = t_wait - t_hash
        if t_wait and t_tx_start:
            r["setup"] = t_tx_start - t_wait
        if t_tx_start and t_verify:
            r["transfer"] = t_verify - t_tx_start
        if t_rx_start and t_verify:
            r["rx_transfer"] = t_verify - t_rx_start
        if t_tx_bytes and t_tx_start:
            r["first_bytes"] = t_tx_bytes - t_tx_start
        if t_verify and rx_state == "done":
            r["verify"] = t_rx_final - t_verify
        if rx_state == "done":
            r["whole"] = t_rx_final - t0
        if sender.t_exit:
            r["life"] = sender.t_exit - t0
        if t_tx_done:
            r["tx_done_after_rx"] = t_tx_done - t_rx_final
        r["rx_bytes"] = (rx_obj or {}).get("bytes")
        r["hash_ok"] = (rx_obj or {}).get("hash_ok")
        r["tx_hash_ok"] = (tx_done or {}).get("hash_ok")
        path = (rx_obj or {}).get("path")
        if rx_state == "done" and path and os.path.exists(path):
            log("#   checking the received file's SHA-1")
            r["sha_match"] = sha1_file(path) == sha
            r["rx_size"] = os.path.getsize(path)
        else:
            r["sha_match"] = False
        r["complete"] = (rx_state == "done" and r["rc"] == 0 and r["sha_match"] and
                         r.get("rx_size") == size)
        if not r["complete"]:
            r["why"] = ("receiver %s (%s), send-file exit %s, SHA-1 match %s; sender: %s; "
                        "receiver: %s; stderr: %s / %s" %
                        (rx_state, r["rx_reason"], r["rc"], r["sha_match"],
                         last_events(sender), last_events(listener),
                         sender.stderr_tail(300), listener.stderr_tail(300)))
        return r
    finally:
        sampler.finish()
        if listener and not listener.exited.is_set():
            try:
                os.kill(listener.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            listener.finish(10)
        for p in (sender, listener):
            if p:
                p.kill()
                p.reader.join(5)
        shutil.rmtree(rx_dir, ignore_errors=True)


# --- raw TLS reference -------------------------------------------------------------------

def raw_server(args):
    """Child process: accepts one TLS connection, writes what arrives to
    args.out until it has args.size bytes, answers "ok"."""
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
    got = 0
    with open(args.out, "wb") as f:
        while got < args.size:
            k = tls.recv_into(view)
            if not k:
                break
            f.write(view[:k])
            got += k
    try:
        tls.sendall(b"ok\n")
        tls.recv(1)  # the client closes first
    except OSError:
        pass
    tls.close()
    print(json.dumps({"bytes": got}), flush=True)


def raw_client(args):
    """Child process: sends args.file in 64 KiB blocks; prints its timings."""
    ctx = ssl.create_default_context(cafile=args.cert)
    sock = socket.create_connection(("127.0.0.1", args.port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    tls = ctx.wrap_socket(sock, server_hostname="127.0.0.1")
    result = {"cipher": tls.cipher()[0], "version": tls.version()}
    buf = bytearray(RAW_BLOCK)
    view = memoryview(buf)
    sent = 0
    t0 = time.monotonic()
    with open(args.file, "rb", buffering=0) as f:
        while True:
            k = f.readinto(buf)
            if not k:
                break
            tls.sendall(view[:k])
            sent += k
    answer = b""
    while not answer.endswith(b"\n"):
        chunk = tls.recv(16)
        if not chunk:
            break
        answer += chunk
    result["span"] = time.monotonic() - t0
    result["ok"] = answer == b"ok\n"
    result["sent"] = sent
    tls.close()
    print(json.dumps(result), flush=True)


def raw_run(opts, src, size, sha):
    out_path = os.path.join(opts.work, "raw-received.bin")
    me = [sys.executable, os.path.abspath(__file__), "--cert", opts.cert, "--key", opts.key]
    server = Child(me + ["--raw-role", "server", "--size", str(size), "--out", out_path])
    client = None
    try:
        port = json.loads(server.proc.stdout.readline() or "{}").get("port")
        if not port:
            raise BenchError("raw TLS server did not start: " + server.stderr_tail())
        client = Child(me + ["--raw-role", "client", "--port", str(port), "--file", src])
        out = client.proc.stdout.read()
        client.finish(600)
        server.finish(60)
        try:
            r = json.loads(out.decode().strip().splitlines()[-1])
        except (ValueError, IndexError):
            raise BenchError("raw TLS client failed: " + client.stderr_tail())
        log("#   checking the received file's SHA-1")
        r["sha_match"] = os.path.exists(out_path) and sha1_file(out_path) == sha
    finally:
        for p in (client, server):
            if p:
                p.kill()
        if os.path.exists(out_path):
            os.unlink(out_path)
    r.update({"size": size, "transfer": r.get("span"), "cpu_tx": client.cpu,
              "cpu_rx": server.cpu, "rss_tx": client.rss_mib, "rss_rx": server.rss_mib,
              "life": client.t_exit - client.t_start if client.t_exit else None,
              "complete": bool(r.get("ok") and r["sha_match"] and r.get("sent") == size)})
    if not r["complete"]:
        r["why"] = "answer ok %s, sent %s of %d, SHA-1 match %s; %s" % (
            r.get("ok"), r.get("sent"), size, r["sha_match"], server.stderr_tail(300))
    return r


# --- the table -----------------------------------------------------------------------------

def print_table(opts, v, load0, res, note):
    size = opts.size
    cols = [("Confab TLS", res.get("tls")), ("Confab TCP", res.get("tcp")),
            ("raw TLS", res.get("raw"))]
    raw = res.get("raw") or {}
    first_ok = next((r for _, r in cols[:2] if r), {})
    print()
    print("Confab file-transfer benchmark — %s of random bytes, send-file -> listen "
          "--accept-files, on 127.0.0.1" % ("%d MiB" % (size // MIB) if size % GIB
                                           else "%d GiB" % (size // GIB)))
    print("    machine: %d CPU(s), %s, Linux %s" % (os.cpu_count() or 0, v["cpu"],
                                                    os.uname().release))
    print("    load average at start %s, at end %s" %
          (load0, " ".join("%.2f" % x for x in os.getloadavg())))
    print("    Confab: %s (%s build)" % (v["confab"], v["buildtype"]))
    print("    libraries: %s" % v["libs"])
    print("    raw TLS: Python %s ssl, %s, %s %s, 64 KiB reads, sendall" %
          (sys.version.split()[0], ssl.OPENSSL_VERSION, raw.get("version", "?"),
           raw.get("cipher", "?")))
    print("    files in %s (%s)" % (opts.work_parent, opts.fs_note))
    if note:
        print("    NOTE: %s" % note)
    print()
    print("    %-46s" % "" + "".join("%12s" % name for name, _ in cols))

    def row(label, value, spec="%.2f"):
        cells = [fmt(value(r) if r else None, spec) for _, r in cols]
        print("    %-46s" % label + "".join("%12s" % c for c in cells))

    mb = size / 1e6
    row("MB/s, transfer", lambda r: div(mb, r.get("transfer")), "%.1f")
    raw_rate = div(mb, raw.get("transfer"))
    row("  ratio to raw TLS (Confab/raw)",
        lambda r: div(div(mb, r.get("transfer")), raw_rate) if r is not raw else None, "%.3f")
    row("MB/s, whole command (start -> received)", lambda r: div(mb, r.get("whole")), "%.1f")
    row("seconds, transfer", lambda r: r.get("transfer"))
    row("  (receiver's first progress -> verifying)", lambda r: r.get("rx_transfer"))
    row("seconds, sender hashing (hashing -> waiting)", lambda r: r.get("hashing"))
    row("seconds, set-up (waiting -> first progress)", lambda r: r.get("setup"), "%.3f")
    row("seconds, receiver verify (verifying -> done)", lambda r: r.get("verify"))
    row("seconds, whole (send-file start -> rx done)", lambda r: r.get("whole"))
    row("seconds, send-file start -> its exit", lambda r: r.get("life"))
    row("CPU s, sender", lambda r: r.get("cpu_tx"))
    row("CPU s, receiver", lambda r: r.get("cpu_rx"))
    row("CPU s per GiB moved, sender + receiver",
        lambda r: div((r.get("cpu_tx") or 0) + (r.get("cpu_rx") or 0), size / GIB)
        if r.get("cpu_tx") is not None and r.get("cpu_rx") is not None else None)
    row("peak RSS MiB, sender", lambda r: r.get("rss_tx"), "%.1f")
    row("peak RSS MiB, receiver", lambda r: r.get("rss_rx"), "%.1f")
    row("  receiver RSS MiB before the transfer", lambda r: r.get("rx_rss_before"), "%.1f")
    row("received SHA-1 = source SHA-1 (1 = yes)",
        lambda r: 1 if r.get("sha_match") else 0, "%d")
    print()
    for name, r in cols:
        if r and not r.get("complete"):
            print("    ! %s: incomplete: %s" % (name, str(r.get("why", ""))[:900]))
    print("    MB/s are 10^6 bytes of file per second. Confab's times come from its JSON")
    print("    events as this script reads them (the transfer starts at the sender's first")
    print("    \"progress\" event, sent as it enters its transferring state, and ends at the")
    print("    receiver's \"verifying\"); the raw TLS time is the client's own, first read ->")
    print("    the server's \"ok\" after its last write. The raw reference hashes nothing;")
    print("    Confab hashes the file before offering it (the hashing row) and checks the")
    print("    copy (the verify row), neither counted in its transfer time. Confab's TLS is")
    print("    GnuTLS (glib-networking); the reference's is OpenSSL. CPU and RSS are whole-")
    print("    process figures; the raw processes are Python interpreters.")
    if first_ok.get("tx_done_after_rx") is not None:
        print("    The sender printed \"done\" %.3f s after the receiver's \"done\" (TLS run)." %
              first_ok["tx_done_after_rx"])
    for what, why in res.get("errors", []):
        print("    ! %s failed: %s" % (what, why))
    sys.stdout.flush()


# --- main ----------------------------------------------------------------------------------

def run_phase(res, key, what, fn, *args):
    log("# %s" % what)
    os.sync()  # the previous phase's dirty pages are not written back during this one
    t = time.monotonic()
    try:
        res[key] = fn(*args)
    except (BenchError, OSError) as e:
        res.setdefault("errors", []).append((what, str(e)[:1500]))
        log("#   failed: %s" % e)
        return
    log("#   %.1f s" % (time.monotonic() - t))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cli", default=os.environ.get("CONFAB_CLI"),
                    help="confab-cli to run (default: $CONFAB_CLI)")
    ap.add_argument("--mib", type=int, default=1024, help="file size, MiB (1024)")
    ap.add_argument("--keep", action="store_true",
                    help="keep the work directory (the source file included)")
    # the raw TLS reference runs this script as its two processes
    ap.add_argument("--raw-role", choices=("server", "client"), help=argparse.SUPPRESS)
    ap.add_argument("--cert", help=argparse.SUPPRESS)
    ap.add_argument("--key", help=argparse.SUPPRESS)
    ap.add_argument("--port", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--size", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    ap.add_argument("--file", help=argparse.SUPPRESS)
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
        print("bench-file: openssl is needed for the reference's certificate", file=sys.stderr)
        return 1
    if opts.mib <= 0:
        ap.error("--mib: a positive size")
    load0 = " ".join("%.2f" % x for x in os.getloadavg())

    opts.work_parent = tempfile.gettempdir()
    free = shutil.disk_usage(opts.work_parent).free
    opts.fs_note = "%.1f GiB free at start" % (free / GIB)
    note = None
    opts.size = opts.mib * MIB
    if free < MIN_FREE and opts.size > SMALL_MIB * MIB:
        opts.size = SMALL_MIB * MIB
        note = ("only %.1f GiB free in %s (less than %d GiB): the file is %d MiB, not %d MiB" %
                (free / GIB, opts.work_parent, MIN_FREE // GIB, SMALL_MIB, opts.mib))
        print("bench-file: " + note, flush=True)

    opts.work = tempfile.mkdtemp(prefix="confab-bench-file-")
    opts.env = dict(os.environ, XDG_DATA_HOME=os.path.join(opts.work, "data"),
                    XDG_CONFIG_HOME=os.path.join(opts.work, "config"),
                    GSETTINGS_BACKEND="memory")
    for var in ("G_MESSAGES_DEBUG", "SOFIA_DEBUG", "TPORT_DEBUG"):
        opts.env.pop(var, None)
    res = {}
    try:
        opts.cert, opts.key = make_cert(opts.work)
        v = bench_chat.versions(opts)
        src = os.path.join(opts.work, "bench-file.bin")
        log("# writing %d MiB of random bytes to %s" % (opts.size // MIB, src))
        t = time.monotonic()
        sha = make_file(src, opts.size)
        log("#   %.1f s, SHA-1 %s" % (time.monotonic() - t, sha))
        run_phase(res, "tls", "Confab, MSRP over TLS", confab_run, opts, "tls", src,
                  opts.size, sha)
        run_phase(res, "raw", "raw TLS", raw_run, opts, src, opts.size, sha)
        run_phase(res, "tcp", "Confab, MSRP over TCP", confab_run, opts, "tcp", src,
                  opts.size, sha)
        print_table(opts, v, load0, res, note)
    except BenchError as e:
        print("bench-file: %s" % e, file=sys.stderr)
        return 1
    finally:
        for child in bench_chat.children:
            child.kill()
        if opts.keep:
            log("# files kept in " + opts.work)
        else:
            shutil.rmtree(opts.work, ignore_errors=True)
    # Poor figures are still figures; only a run that could not measure fails.
    ran = all(r.get("complete") for k, r in res.items() if k != "errors")
    return 0 if ran and not res.get("errors") else 1


def on_signal(signum, frame):
    # unwind, so the finally block stops the children
    raise SystemExit(128 + signum)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    sys.exit(main())
