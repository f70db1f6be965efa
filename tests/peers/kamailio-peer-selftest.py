#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""End-to-end self test of the Kamailio test peer (no Confab code involved).

  kamailio-peer-selftest.py [--keep]

Starts two instances in temporary directories, exercises REGISTER over
UDP/TCP/TLS, wrong password / unknown user / stale nonce, MESSAGE and an
INVITE/ACK/BYE call through the proxy, restart (same ports + CA), lookup, and
finally stop (checking that no kamailio process of either instance is left).
Exit status 0 = all good.  Exits 77 (meson "skip") if kamailio is missing.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PEER = os.path.join(HERE, "kamailio-peer.py")
PROBE = os.path.join(HERE, "sip-register-probe.py")

failures = []


def run(args, check_rc=None):
    r = subprocess.run([sys.executable] + args, stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, timeout=60)
    if check_rc is not None and r.returncode != check_rc:
        raise AssertionError("%s -> rc %d (want %d)\n%s%s" % (
            " ".join(args), r.returncode, check_rc, r.stdout, r.stderr))
    return r


def step(name, fn):
    t0 = time.monotonic()
    try:
        fn()
        print("ok   %-45s %.2fs" % (name, time.monotonic() - t0), flush=True)
    except Exception as e:          # noqa: BLE001 - report and continue
        failures.append(name)
        print("FAIL %-45s %s" % (name, e), flush=True)


def probe(*args, expect_ok=True):
    r = run([PROBE] + list(args))
    try:
        res = json.loads(r.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        raise AssertionError("probe output: %r %r" % (r.stdout, r.stderr))
    if bool(res.get("ok")) != expect_ok:
        raise AssertionError("probe %s: %s" % (" ".join(args), res))
    return res


def instance_procs(d):
    cfg = os.path.join(d, "kamailio.cfg").encode()
    n = 0
    for e in os.listdir("/proc"):
        if not e.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % e, "rb") as f:
                argv = f.read().split(b"\0")
            with open("/proc/%s/stat" % e) as f:
                st = f.read().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if cfg in argv and st != "Z":
            n += 1
    return n


def main():
    keep = "--keep" in sys.argv
    if run([PEER, "ensure-installed"]).returncode != 0:
        print("kamailio not available - skipping")
        return 77
    base = tempfile.mkdtemp(prefix="kamailio-peer-selftest-")
    d1, d2 = os.path.join(base, "a"), os.path.join(base, "b")
    info = {}

    def start():
        r = run([PEER, "start", "--dir", d1], check_rc=0)
        info["a"] = json.loads(r.stdout)
        for k in ("pid", "udp", "tcp", "tls", "ca", "dir", "domain"):
            assert k in info["a"], k
        r = run([PEER, "start", "--dir", d2, "--nonce-expire", "2",
                 "--users", "carol:c4rol"], check_rc=0)
        info["b"] = json.loads(r.stdout)
        assert info["a"]["udp"] != info["b"]["udp"]

    step("start two instances", start)
    if "a" not in info or "b" not in info:
        print("cannot continue")
        run([PEER, "stop", "--dir", d1])
        run([PEER, "stop", "--dir", d2])
        return 1
    a, b = info["a"], info["b"]
    U, T, S, CA = str(a["udp"]), str(a["tcp"]), str(a["tls"]), a["ca"]

    step("OPTIONS keepalive (udp)", lambda: probe("options", "--port", U))
    step("REGISTER udp", lambda: probe(
        "register", "--port", U, "--user", "alice", "--password", "secret"))
    step("lookup alice -> 0", lambda: run([PEER, "lookup", "--dir", d1,
                                           "alice@127.0.0.1"], check_rc=0))
    step("lookup bob -> 1", lambda: run([PEER, "lookup", "--dir", d1, "bob"],
                                        check_rc=1))
    step("wrong password -> 401 again", lambda: probe(
        "register", "--port", U, "--user", "alice", "--password", "nope",
        "--auth-tries", "2", "--expect", "401"))
    step("unknown user -> 403", lambda: probe(
        "register", "--port", U, "--user", "mallory", "--password", "x",
        "--expect", "403"))
    step("REGISTER tcp", lambda: probe(
        "register", "--port", T, "--transport", "tcp", "--user", "bob",
        "--password", "pw2"))
    step("REGISTER tls (verify CA)", lambda: probe(
        "register", "--port", S, "--transport", "tls", "--ca", CA,
        "--user", "bob", "--password", "pw2"))
    step("un-REGISTER", lambda: probe(
        "register", "--port", U, "--user", "bob", "--password", "pw2",
        "--unregister"))
    step("MESSAGE alice->bob (407, relay)", lambda: probe(
        "message", "--port", U))
    step("call udp->tls", lambda: probe(
        "call", "--port", U, "--callee-transport", "tls", "--tls-port", S,
        "--ca", CA))
    step("call tcp->tcp", lambda: probe(
        "call", "--port", T, "--transport", "tcp"))
    step("stale nonce -> 401 stale=true", lambda: probe(
        "register", "--port", str(b["udp"]), "--user", "carol",
        "--password", "c4rol", "--stale-after", "3"))
    step("instance b does not know alice", lambda: probe(
        "register", "--port", str(b["udp"]), "--user", "alice",
        "--password", "secret", "--expect", "403"))

    def restart():
        with open(CA) as f:
            ca_before = f.read()
        r = run([PEER, "restart", "--dir", d1], check_rc=0)
        j = json.loads(r.stdout)
        assert (j["udp"], j["tcp"], j["tls"]) == (a["udp"], a["tcp"],
                                                  a["tls"]), j
        assert j["pid"] != a["pid"], "pid unchanged"
        with open(CA) as f:
            assert f.read() == ca_before, "CA changed"
        probe("register", "--port", S, "--transport", "tls", "--ca", CA,
              "--user", "alice", "--password", "secret")

    step("restart keeps ports and CA", restart)

    def stop():
        for d in (d1, d2):
            run([PEER, "stop", "--dir", d], check_rc=0)
            n = instance_procs(d)
            assert n == 0, "%d kamailio processes left in %s" % (n, d)
        run([PEER, "stop", "--dir", d1], check_rc=0)   # idempotent

    step("stop both (no leftovers)", stop)

    if not failures and not keep:
        shutil.rmtree(base, ignore_errors=True)
    else:
        print("logs kept in %s" % base)
    print("%d failure(s)" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
