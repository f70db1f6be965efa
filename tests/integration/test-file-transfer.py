#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""File transfer (MSRP, RFC 5547) between real confab-cli processes on
127.0.0.1: `send-file` pushes to `listen --accept-files DIR`, `fetch-file`
pulls from `listen --share-files DIR`.

Checks: pushes of 0, 1, 65535, 65536, 65537 bytes and 50 MB over TCP and
TLS; pulls of 1, 65537 bytes and 50 MB and a pull with a wrong hash;
1 MB and 50 MB through Kamailio's RFC 4976 relay; a 300 MB push killed
half-way and resumed from the .part; a garbage .part that makes the
resumed file's hash wrong; hostile file names; cancelling from either
side. Every received file is compared (SHA-1) with its source. TAP
output."""

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from confab_audio import events, wait_listening  # noqa: E402

CLI = os.environ["CONFAB_CLI"]
PEER = os.environ.get("CONFAB_KAMAILIO_PEER")
MB = 1000 * 1000

results = []


def tap(ok, what):
    results.append(bool(ok))
    print(("ok" if ok else "not ok") + " %d - %s" % (len(results), what), flush=True)
    return ok


def show_stderr(who, err):
    if err.strip():
        print("# %s stderr: %s" % (who, err.strip()[-3000:].replace("\n", "\n# ")), flush=True)


def make_file(path, size):
    """Random content in 1 MB blocks; returns its SHA-1 (hex)."""
    digest = hashlib.sha1()
    with open(path, "wb") as f:
        left = size
        while left > 0:
            block = os.urandom(min(left, MB))
            digest.update(block)
            f.write(block)
            left -= len(block)
    return digest.hexdigest()


def sha1_of(path):
    digest = hashlib.sha1()
    with open(path, "rb") as f:
        while True:
            block = f.read(MB)
            if not block:
                return digest.hexdigest()
            digest.update(block)


def colon_hash(hexdigest):
    """sha-1:XX:XX:… as confab-cli prints it."""
    h = hexdigest.upper()
    return "sha-1:" + ":".join(h[i:i + 2] for i in range(0, 40, 2))


def parts_in(directory):
    return sorted(n for n in os.listdir(directory) if n.endswith(".part"))


class Cli:
    """A confab-cli process whose output is read as it comes (events in
    self.events), so it never blocks on a full pipe and tests can wait for
    an event."""

    def __init__(self, args, name, listening=False, preexec_fn=None):
        self.name = name
        self.proc = subprocess.Popen([CLI, "--bind", "127.0.0.1", "--json"] + args,
                                     stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, errors="replace",
                                     preexec_fn=preexec_fn)
        self.events = []
        self.err = []
        self.cond = threading.Condition()
        self.listening = None
        if listening:
            self.listening, early = wait_listening(self.proc)
            self.events.extend(events("".join(early)))
        self.readers = [threading.Thread(target=self._read_out, daemon=True),
                        threading.Thread(target=self._read_err, daemon=True)]
        for reader in self.readers:
            reader.start()

    def _read_out(self):
        for line in self.proc.stdout:
            for ev in events(line):
                with self.cond:
                    self.events.append(ev)
                    self.cond.notify_all()
        with self.cond:
            self.cond.notify_all()

    def _read_err(self):
        for line in self.proc.stderr:
            self.err.append(line)

    @property
    def contact(self):
        return self.listening["contact"] if self.listening else None

    def transfers(self, state=None, name=None):
        with self.cond:
            return [e for e in self.events if e.get("event") == "transfer" and
                    (state is None or e.get("state") == state) and
                    (name is None or e.get("name") == name)]

    def wait_for(self, pred, timeout):
        deadline = time.time() + timeout
        with self.cond:
            while True:
                for ev in self.events:
                    if pred(ev):
                        return ev
                left = deadline - time.time()
                if left <= 0 or (self.proc.poll() is not None and
                                 not any(r.is_alive() for r in self.readers[:1])):
                    return None
                self.cond.wait(min(left, 0.2))

    def wait_final(self, name, timeout, after=0):
        """The done/failed/cancelled/declined event of @name (the
        after-th one: 0 is the first)."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            finals = [e for e in self.transfers(name=name)
                      if e.get("state") in ("done", "failed", "cancelled", "declined")]
            if len(finals) > after:
                return finals[after]
            if self.wait_for(lambda e: False, 0.2) is None and self.proc.poll() is not None:
                finals = [e for e in self.transfers(name=name)
                          if e.get("state") in ("done", "failed", "cancelled", "declined")]
                return finals[after] if len(finals) > after else None
        return None

    def wait(self, timeout):
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = "timeout"
            self.proc.wait()
        for reader in self.readers:
            reader.join(timeout=10)
        return rc

    def stop(self, sig=signal.SIGTERM, timeout=15):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        return self.wait(timeout)

    def stderr(self):
        return "".join(self.err)


def listener(common, listen_args, name="listener", preexec_fn=None):
    lst = Cli(list(common) + ["listen"] + list(listen_args), name, listening=True,
              preexec_fn=preexec_fn)
    if not lst.listening:
        lst.stop(signal.SIGKILL)
        show_stderr(name, lst.stderr())
    return lst


def check_done(what, sender, receiver, sources, directory):
    """Every file of @sources ({path: sha1}) is done on both sides, the
    received copy in @directory has the same SHA-1, no .part is left."""
    all_ok = True
    for path, digest in sources.items():
        name = os.path.basename(path)
        got = receiver.wait_final(name, 60)
        sent = [e for e in sender.transfers(name=name)
                if e.get("state") in ("done", "failed", "cancelled", "declined")]
        ok_sent = sent[-1:] and sent[-1]["state"] == "done" and sent[-1].get("hash_ok") is True
        ok_got = bool(got) and got["state"] == "done" and got.get("hash_ok") is True
        path_got = got.get("path") if got else None
        same = bool(path_got) and os.path.dirname(path_got) == directory and \
            os.path.exists(path_got) and sha1_of(path_got) == digest
        hash_printed = bool(got) and got.get("hash") == colon_hash(digest)
        size = os.path.getsize(path)
        ok_total = bool(got) and got.get("total") == size and got.get("bytes") == size
        ok = ok_sent and ok_got and same and hash_printed and ok_total
        all_ok = all_ok and ok
        tap(ok, "%s: %s (%d bytes) done on both sides, SHA-1 matches (sent %s, got %s)" %
            (what, name, size, sent[-1:] and (sent[-1]["state"], sent[-1].get("reason")),
             got and {k: got.get(k) for k in ("state", "reason", "path", "bytes", "total")}))
    tap(parts_in(directory) == [], "%s: no .part left in the folder (%s)" %
        (what, parts_in(directory)))
    return all_ok


def push_case(work, what, common_listen, common_send, sizes, target=None):
    """A listener with --accept-files, one send-file with every size."""
    src = os.path.join(work, what + "-src")
    dst = os.path.join(work, what + "-in")
    os.makedirs(src)
    os.makedirs(dst)
    sources = {}
    for size in sizes:
        path = os.path.join(src, "%s-%d.bin" % (what, size))
        sources[path] = make_file(path, size)
    lst = listener(common_listen, ["--accept-files", dst])
    if not tap(lst.listening, "%s: listener up" % what):
        return
    started = time.time()
    sender = Cli(list(common_send) + ["send-file", target or lst.contact] + list(sources),
                 "sender")
    rc = sender.wait(180)
    took = time.time() - started
    tap(rc == 0, "%s: send-file of %d files exits 0 (rc %s, %.1f s)" %
        (what, len(sources), rc, took))
    if rc != 0:
        show_stderr("send-file", sender.stderr())
    ok = check_done(what, sender, lst, sources, dst)
    lst.stop()
    if not ok:
        show_stderr("listener", lst.stderr())
    # Order: one file after the other, as given.
    order = [e["name"] for e in sender.transfers(state="done")]
    tap(order == [os.path.basename(p) for p in sources],
        "%s: files sent one after the other, in order (%s)" % (what, order))
    progress = [e for e in sender.transfers(state="progress")]
    tap(all(isinstance(e.get("rate"), (int, float)) and "eta" in e for e in progress) and
        progress and progress[-1].get("bytes") == sizes[-1],
        "%s: progress events carry bytes, rate and eta, the last one the final count" % what)
    shutil.rmtree(src)
    shutil.rmtree(dst)


def check_push(work):
    sizes = [0, 1, 65535, 65536, 65537, 50 * MB]
    push_case(work, "tcp", ["--local-port", "0", "--msrp-transport", "tcp"],
              ["--local-port", "0", "--msrp-transport", "tcp"], sizes)
    push_case(work, "tls", ["--local-port", "0"], ["--local-port", "0"], sizes)


def check_pull(work):
    share = os.path.join(work, "share")
    os.makedirs(share)
    files = {}
    for size in (1, 65537, 50 * MB):
        name = "pull-%d.bin" % size
        files[name] = make_file(os.path.join(share, name), size)
    lst = listener(["--local-port", "0"], ["--share-files", share])
    if not tap(lst.listening, "pull: listener up"):
        return
    for name, digest in files.items():
        dst = os.path.join(work, "fetched-" + name)
        os.makedirs(dst)
        # The hash in the other forms fetch-file takes.
        given = {"pull-1.bin": digest, "pull-65537.bin": colon_hash(digest).upper()}.get(
            name, colon_hash(digest)[6:].lower())
        fetch = Cli(["--local-port", "0", "fetch-file", lst.contact, "--name", name,
                     "--hash", given, "--dir", dst], "fetch")
        rc = fetch.wait(120)
        done = fetch.transfers(state="done")
        path = done[0].get("path") if done else None
        same = bool(path) and os.path.dirname(path) == dst and sha1_of(path) == digest
        tap(rc == 0 and same and done[0].get("pull") is True and
            done[0].get("direction") == "incoming",
            "pull: fetch-file of %s (%d bytes) exits 0 and the copy matches (rc %s, %s)" %
            (name, os.path.getsize(os.path.join(share, name)), rc, done[:1]))
        if rc != 0:
            show_stderr("fetch-file", fetch.stderr())
        tap(parts_in(dst) == [], "pull: no .part left after %s" % name)
        served = lst.wait_final(name, 20, after=0)
        tap(served and served.get("state") == "done" and served.get("direction") == "outgoing" and
            served.get("pull") is True, "pull: the sharing side reports %s sent (%s)" %
            (name, served and served.get("state")))
        shutil.rmtree(dst)

    # A wrong hash: refused, nothing written.
    dst = os.path.join(work, "fetched-wrong")
    os.makedirs(dst)
    wrong = "0" * 40
    fetch = Cli(["--local-port", "0", "fetch-file", lst.contact, "--name", "pull-65537.bin",
                 "--hash", wrong, "--dir", dst], "fetch")
    rc = fetch.wait(60)
    finals = [e.get("state") for e in fetch.transfers()
              if e.get("state") in ("done", "failed", "cancelled", "declined")]
    tap(rc in (1, 5) and finals and finals[-1] != "done",
        "pull: a wrong hash fails (rc %s, %s)" % (rc, finals))
    tap(os.listdir(dst) == [], "pull: nothing left in the target folder (%s)" % os.listdir(dst))

    # Usage errors: exit 2, before any SIP traffic.
    rc = subprocess.run([CLI, "--local-port", "0", "fetch-file", lst.contact, "--name", "x",
                         "--hash", "nothex", "--dir", dst], capture_output=True).returncode
    tap(rc == 2, "fetch-file with a malformed hash exits 2 (rc %s)" % rc)
    rc = subprocess.run([CLI, "--local-port", "0", "send-file", lst.contact,
                         os.path.join(work, "does-not-exist")], capture_output=True).returncode
    tap(rc == 2, "send-file of a missing file exits 2 (rc %s)" % rc)
    lst.stop()
    shutil.rmtree(share)
    shutil.rmtree(dst)


def check_declined(work):
    """listen without --accept-files declines pushes: exit 5."""
    path = os.path.join(work, "declined.bin")
    make_file(path, 1000)
    lst = listener(["--local-port", "0"], [])
    if not tap(lst.listening, "declined: listener up"):
        return
    sender = Cli(["--local-port", "0", "send-file", lst.contact, path], "sender")
    rc = sender.wait(60)
    states = [e.get("state") for e in sender.transfers()]
    tap(rc == 5 and states[-1:] == ["declined"],
        "a push to listen without --accept-files is declined, exit 5 (rc %s, %s)" % (rc, states))
    lst.stop()
    os.unlink(path)


def check_relay(work):
    """Both sides registered at Kamailio, each with its msrp module as
    RFC 4976 relay (TLS, AUTH with the SIP credentials)."""
    if not tap(PEER, "CONFAB_KAMAILIO_PEER is set (the relay case needs Kamailio)"):
        return
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
        # Through a relay our chunks are 8 KiB (a stock Kamailio drops
        # bigger frames) and at most 256 KiB are out that the receiver has
        # not REPORTed (the relay's own 200s say nothing of the receiver).
        push_case(work, "relay", bob, alice, [0, 1, 65535, 65536, 65537, 1 * MB, 50 * MB],
                  target="sip:bob@127.0.0.1")
        relay_pull(work, bob, alice)
        relay_resume(work, bob, alice)
        relay_garbage(work, bob, alice)
        try:
            with open(os.path.join(kdir, "kamailio.log"), errors="replace") as log:
                errors = [l.strip().split(" ERROR: ", 1)[1] for l in log if " ERROR: " in l]
        except OSError:
            errors = []
        for line in sorted(set(errors))[:8]:
            print("# kamailio.log: ERROR: %s" % line[:300])
    finally:
        subprocess.run([sys.executable, PEER, "stop", "--dir", kdir], capture_output=True)


def relay_pull(work, bob, alice):
    """alice pulls from bob's shared folder, both through the relay."""
    share = os.path.join(work, "relay-share")
    dst = os.path.join(work, "relay-fetched")
    os.makedirs(share)
    os.makedirs(dst)
    name = "relay-pull.bin"
    digest = make_file(os.path.join(share, name), 20 * MB + 1)
    lst = listener(bob, ["--share-files", share], name="relay-share")
    if not tap(lst.listening, "relay pull: listener up"):
        return
    fetch = Cli(alice + ["fetch-file", "sip:bob@127.0.0.1", "--name", name,
                         "--hash", colon_hash(digest), "--dir", dst], "fetch")
    rc = fetch.wait(120)
    done = fetch.transfers(state="done")
    path = done[0].get("path") if done else None
    tap(rc == 0 and path == os.path.join(dst, name) and sha1_of(path) == digest,
        "relay pull: fetch-file of 20 MB through the relay exits 0, the copy matches "
        "(rc %s, %s)" % (rc, path))
    if rc != 0:
        show_stderr("fetch-file", fetch.stderr())
    served = lst.wait_final(name, 20)
    tap(served and served.get("state") == "done",
        "relay pull: the sharing side reports it sent (%s)" % (served and served.get("state")))
    tap(parts_in(dst) == [], "relay pull: no .part left (%s)" % parts_in(dst))
    lst.stop()
    shutil.rmtree(share)
    shutil.rmtree(dst)


def relay_resume(work, bob, alice):
    """Through the relay: the sender killed half-way, then sent again: the
    receiver resumes from its .part."""
    src = os.path.join(work, "relay-resume-src")
    dst = os.path.join(work, "relay-resume-in")
    os.makedirs(src)
    os.makedirs(dst)
    name = "relay-resume.bin"
    big = os.path.join(src, name)
    digest = make_file(big, 200 * MB)
    lst = listener(bob, ["--accept-files", dst], name="relay-resume")
    if not tap(lst.listening, "relay resume: listener up"):
        return
    sender = Cli(alice + ["send-file", "sip:bob@127.0.0.1", big], "sender")
    seen = lst.wait_for(progress_at_least(name, 10 * MB), 90)
    sender.proc.kill()
    sender.wait(10)
    first = lst.wait_final(name, 60)
    tap(seen and first and first.get("state") in ("failed", "cancelled") and
        sorted(os.listdir(dst)) == [name + ".part"],
        "relay resume: killed after %s bytes, the receiver keeps only %s.part (%s, %s)" %
        (seen and seen.get("bytes"), name, first and first.get("state"), os.listdir(dst)))
    sender = Cli(alice + ["send-file", "sip:bob@127.0.0.1", big], "sender")
    rc = sender.wait(180)
    got = lst.wait_final(name, 60, after=1)
    path = got.get("path") if got else None
    tap(rc == 0 and got and got.get("state") == "done" and got.get("resumed_from", 0) > 0 and
        path == os.path.join(dst, name) and sha1_of(path) == digest,
        "relay resume: sent again, resumed from %s, the file's SHA-1 is right (rc %s, %s)" %
        (got and got.get("resumed_from"), rc, got and got.get("state")))
    if rc != 0:
        print("# sender: %s" % [{k: e.get(k) for k in ("state", "reason", "bytes")}
                                for e in sender.transfers() if e.get("state") != "progress"])
        print("# receiver: %s" % [{k: e.get(k) for k in ("state", "reason", "bytes")}
                                  for e in lst.transfers() if e.get("state") != "progress"])
    tap(parts_in(dst) == [], "relay resume: no .part left (%s)" % parts_in(dst))
    lst.stop()
    shutil.rmtree(src)
    shutil.rmtree(dst)


def relay_garbage(work, bob, alice):
    """Through the relay, alice pulls into a garbage .part (a=file-range
    asks only for the rest), so the hash comes out wrong: the relay's
    200s say nothing of the receiver, so bob, the sender, learns it from
    alice's failure REPORT (a relayed message is sent only once the
    receiver REPORTed every byte)."""
    share = os.path.join(work, "relay-garbage-share")
    dst = os.path.join(work, "relay-garbage-in")
    os.makedirs(share)
    os.makedirs(dst)
    name = "relay-garbage.bin"
    # Only the last 40 kB go through the relay: they fit its buffers
    # however late the first REPORT comes.
    digest = make_file(os.path.join(share, name), 1 * MB)
    make_file(os.path.join(dst, name + ".part"), 1 * MB - 40000)
    lst = listener(bob, ["--share-files", share], name="relay-garbage")
    if not tap(lst.listening, "relay garbage .part: listener up"):
        return
    fetch = Cli(alice + ["fetch-file", "sip:bob@127.0.0.1", "--name", name,
                         "--hash", colon_hash(digest), "--dir", dst], "fetch")
    rc = fetch.wait(90)
    got = fetch.wait_final(name, 5)
    tap(rc not in (0, "timeout") and got and got.get("state") == "failed" and
        os.listdir(dst) == [],
        "relay garbage .part: fetch-file fails and deletes it (rc %s, %s, %s)" %
        (rc, got and got.get("reason"), os.listdir(dst)))
    served = lst.wait_final(name, 40)
    tap(served and served.get("state") == "failed" and
        "hash mismatch" in (served.get("reason") or ""),
        "relay garbage .part: the sharing side reports failed with the hash mismatch (%s)" %
        (served and {k: served.get(k) for k in ("state", "reason")}))
    lst.stop()
    shutil.rmtree(share)
    shutil.rmtree(dst)


def limit_file_size():
    """In the child: files may not grow past 5 MB (writes fail with EFBIG,
    as on a full disk, instead of killing it with SIGXFSZ)."""
    import resource
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (5 * MB, 5 * MB))


def check_write_errors(work):
    """The receiver cannot write: the transfer ends cleanly on both sides."""
    src = os.path.join(work, "werr-src")
    dst = os.path.join(work, "werr-in")
    os.makedirs(src)
    os.makedirs(dst)
    name = "werr-20mb.bin"
    path = os.path.join(src, name)
    make_file(path, 20 * MB)
    # A write fails half-way (the file may not grow past 5 MB).
    lst = listener(["--local-port", "0"], ["--accept-files", dst], name="werr",
                   preexec_fn=limit_file_size)
    if not tap(lst.listening, "write error: listener up"):
        return
    sender = Cli(["--local-port", "0", "send-file", lst.contact, path], "sender")
    rc = sender.wait(60)
    got = lst.wait_final(name, 30)
    sent = [e for e in sender.transfers(name=name) if e.get("state") in ("done", "failed", "cancelled")]
    tap(got and got.get("state") == "failed" and got.get("reason"),
        "write error: the receiver reports failed with a reason (%s)" %
        (got and {k: got.get(k) for k in ("state", "reason", "bytes")}))
    # The receiver's answer says why (not just "Forbidden").
    tap(rc == 1 and sent and sent[-1]["state"] == "failed" and
        "could not save the file" in (sent[-1].get("reason") or ""),
        "write error: the sender fails with the receiver's reason, exit 1 (%s, rc %s, %s)" %
        (sent and sent[-1]["state"], rc, sent and sent[-1].get("reason")))
    left = sorted(os.listdir(dst))
    tap(name not in left and all(n.endswith(".part") for n in left),
        "write error: no file that looks complete, at most a .part (%s)" % left)
    lst.stop()
    shutil.rmtree(dst)
    # The folder cannot be made (a file is in the way).
    blocker = os.path.join(work, "werr-file")
    with open(blocker, "w") as f:
        f.write("x")
    lst = listener(["--local-port", "0"], ["--accept-files", os.path.join(blocker, "in")],
                   name="werr2")
    if lst.listening:
        sender = Cli(["--local-port", "0", "send-file", lst.contact, path], "sender")
        rc = sender.wait(60)
        got = lst.wait_final(name, 20)
        tap(rc in (1, 5) and got and got.get("state") in ("failed", "declined") and got.get("reason"),
            "unwritable folder: the offer fails with a reason, the sender exits %s (%s)" %
            (rc, got and {k: got.get(k) for k in ("state", "reason")}))
        lst.stop()
    else:
        tap(lst.proc.returncode == 2 or lst.proc.poll() is not None,
            "unwritable folder: listen refuses to start (rc %s)" % lst.proc.poll())
    os.unlink(blocker)
    shutil.rmtree(src)


def progress_at_least(name, nbytes):
    return lambda e: (e.get("event") == "transfer" and e.get("name") == name and
                      e.get("state") == "progress" and e.get("bytes", 0) >= nbytes)


def check_resume(work, big, digest):
    """SIGKILL the sender half-way: NAME.part stays; sending again resumes."""
    name = os.path.basename(big)
    dst = os.path.join(work, "resume-in")
    os.makedirs(dst)
    lst = listener(["--local-port", "0"], ["--accept-files", dst])
    if not tap(lst.listening, "resume: listener up"):
        return
    sender = Cli(["--local-port", "0", "send-file", lst.contact, big], "sender")
    seen = lst.wait_for(progress_at_least(name, 30 * MB), 90)
    sender.proc.kill()
    sender.wait(10)
    tap(seen, "resume: the receiver reported ≥ 30 MB (%s)" % (seen and seen.get("bytes")))
    # The receiver notices the connection is gone; its .part stays.
    first = lst.wait_final(name, 30)
    tap(first and first.get("state") in ("failed", "cancelled"),
        "resume: the receiver reports the killed transfer %s (%s)" %
        (first and first.get("state"), first and first.get("reason")))
    first_session = seen.get("session") if seen else None
    names = sorted(os.listdir(dst))
    tap(names == [name + ".part"], "resume: only %s.part remains after the kill (%s)" %
        (name, names))
    part_size = os.path.getsize(os.path.join(dst, name + ".part")) if names else 0

    sender = Cli(["--local-port", "0", "send-file", lst.contact, big], "sender")
    rc = sender.wait(120)
    tap(rc == 0, "resume: the second send-file exits 0 (rc %s)" % rc)
    if rc != 0:
        show_stderr("send-file", sender.stderr())
    got = lst.wait_for(lambda e: e.get("event") == "transfer" and e.get("name") == name and
                       e.get("session") != first_session and
                       e.get("state") in ("done", "failed", "cancelled"), 90)
    resumed = got.get("resumed_from", 0) if got else 0
    tap(got and got.get("state") == "done" and resumed > 0,
        "resume: the receiver's done event has resumed_from %s > 0 (.part was %d bytes)" %
        (resumed, part_size))
    if not got or resumed <= 0:
        print("# receiver: %s" % [{k: e.get(k) for k in ("session", "state", "reason",
                                                          "resumed_from", "path")}
                                  for e in lst.transfers() if e.get("state") != "progress"])
    path = got.get("path") if got else None
    tap(path == os.path.join(dst, name) and sha1_of(path) == digest,
        "resume: the resumed file's SHA-1 is right (%s)" % path)
    tap(parts_in(dst) == [], "resume: no .part left (%s)" % parts_in(dst))
    lst.stop()
    shutil.rmtree(dst)


def check_garbage_part(work):
    """A NAME.part of garbage, 10 MB of a 20 MB file: resumed, the hash
    comes out wrong, the receiver fails and deletes it."""
    src = os.path.join(work, "garbage-src")
    dst = os.path.join(work, "garbage-in")
    os.makedirs(src)
    os.makedirs(dst)
    path = os.path.join(src, "garbage.bin")
    make_file(path, 20 * MB)
    make_file(os.path.join(dst, "garbage.bin.part"), 10 * MB)
    lst = listener(["--local-port", "0"], ["--accept-files", dst])
    if not tap(lst.listening, "garbage .part: listener up"):
        return
    sender = Cli(["--local-port", "0", "send-file", lst.contact, path], "sender")
    rc = sender.wait(60)
    got = lst.wait_final("garbage.bin", 30)
    reason = (got or {}).get("reason") or ""
    tap(got and got.get("state") == "failed" and ("SHA-1" in reason or "hash" in reason),
        "garbage .part: the receiver reports failed with a hash reason (%s)" %
        (got and {k: got.get(k) for k in ("state", "reason", "resumed_from")}))
    tap(os.listdir(dst) == [], "garbage .part: neither the file nor its .part remains (%s)" %
        os.listdir(dst))
    # The receiver answers the last chunk "400 File hash mismatch" (and
    # REPORTs it): the sender does not claim it delivered the file.
    sent = sender.wait_final("garbage.bin", 5)
    tap(rc not in (0, "timeout") and sent and sent.get("state") == "failed" and
        "hash mismatch" in (sent.get("reason") or ""),
        "garbage .part: send-file reports failed with the hash mismatch and exits non-zero "
        "(rc %s, %s)" % (rc, sent and {k: sent.get(k) for k in ("state", "reason")}))
    if rc == 0:
        show_stderr("send-file", sender.stderr())
    lst.stop()
    shutil.rmtree(src)
    shutil.rmtree(dst)

    # The same for a pull: fetch-file resumes into a garbage .part; the
    # sharing side (the sender) reports the mismatch.
    share = os.path.join(work, "garbage-share")
    os.makedirs(share)
    os.makedirs(dst)
    name = "garbage-pull.bin"
    digest = make_file(os.path.join(share, name), 4 * MB)
    make_file(os.path.join(dst, name + ".part"), 1 * MB)
    lst = listener(["--local-port", "0"], ["--share-files", share], name="garbage-share")
    if not tap(lst.listening, "garbage .part, pull: listener up"):
        return
    fetch = Cli(["--local-port", "0", "fetch-file", lst.contact, "--name", name,
                 "--hash", digest, "--dir", dst], "fetch")
    rc = fetch.wait(60)
    got = fetch.wait_final(name, 5)
    tap(rc not in (0, "timeout") and got and got.get("state") == "failed" and
        os.listdir(dst) == [],
        "garbage .part, pull: fetch-file fails, nothing left (rc %s, %s, %s)" %
        (rc, got and got.get("reason"), os.listdir(dst)))
    served = lst.wait_final(name, 20)
    tap(served and served.get("state") == "failed" and
        "hash mismatch" in (served.get("reason") or ""),
        "garbage .part, pull: the sharing side reports failed with the hash mismatch (%s)" %
        (served and {k: served.get(k) for k in ("state", "reason")}))
    lst.stop()
    shutil.rmtree(share)
    shutil.rmtree(dst)


def check_hostile_names(work):
    src = os.path.join(work, "hostile-src")
    dst = os.path.join(work, "hostile-in")
    os.makedirs(src)
    os.makedirs(dst)
    names = ["a\nb", "..hidden", "x" * 246 + ".bin", "-rf", "C:\\evil.txt"]
    sources = {}
    for i, name in enumerate(names):
        path = os.path.join(src, name)
        sources[path] = make_file(path, 1000 + i)
    lst = listener(["--local-port", "0"], ["--accept-files", dst])
    if not tap(lst.listening, "hostile names: listener up"):
        return
    sender = Cli(["--local-port", "0", "send-file", lst.contact] + list(sources), "sender")
    rc = sender.wait(120)
    tap(rc == 0, "hostile names: send-file exits 0 (rc %s)" % rc)
    if rc != 0:
        show_stderr("send-file", sender.stderr())
    for path, digest in sources.items():
        name = os.path.basename(path)
        got = lst.wait_final(name, 20)
        landed = got.get("path") if got and got.get("state") == "done" else None
        base = os.path.basename(landed) if landed else ""
        safe = bool(landed) and os.path.dirname(landed) == dst and "\n" not in base and \
            not base.startswith(".") and len(base.encode()) <= 200 and "/" not in base and \
            "\\" not in base and os.path.isfile(landed) and not os.path.islink(landed)
        tap(safe and sha1_of(landed) == digest, "hostile names: %r lands inside the folder as %r "
            "with its content (%s)" % (name, base, got and got.get("state")))
        if not landed:
            sent = [e for e in sender.transfers(name=name) if e.get("state") != "progress"]
            print("# sender: %s" % [(e.get("state"), e.get("reason")) for e in sent])
    inside = os.listdir(dst)
    tap(len(inside) == len(names) and not parts_in(dst),
        "hostile names: %d files in the folder, nothing else (%s)" % (len(names), inside))
    lst.stop()
    shutil.rmtree(src)
    shutil.rmtree(dst)


def check_cancel(work, big):
    name = os.path.basename(big)
    # The sender is interrupted.
    dst = os.path.join(work, "cancel-in")
    os.makedirs(dst)
    lst = listener(["--local-port", "0"], ["--accept-files", dst])
    if not tap(lst.listening, "cancel: listener up"):
        return
    sender = Cli(["--local-port", "0", "send-file", lst.contact, big], "sender")
    seen = sender.wait_for(progress_at_least(name, 20 * MB), 90)
    sender.proc.send_signal(signal.SIGINT)
    rc = sender.wait(20)
    states = [e.get("state") for e in sender.transfers() if e.get("state") != "progress"]
    tap(seen and rc == 1 and states[-1:] == ["cancelled"],
        "cancel: SIGINT makes send-file report cancelled and exit 1 (rc %s, %s)" % (rc, states))
    got = lst.wait_final(name, 20)
    tap(got and got.get("state") in ("cancelled", "failed"),
        "cancel: the receiver reports %s" % (got and got.get("state")))
    names = os.listdir(dst)
    tap(names == [name + ".part"], "cancel: the receiver keeps only the .part (%s)" % names)
    lst.stop()
    shutil.rmtree(dst)

    # The receiver is interrupted.
    dst = os.path.join(work, "cancel-in-2")
    os.makedirs(dst)
    lst = listener(["--local-port", "0"], ["--accept-files", dst])
    if not tap(lst.listening, "cancel: second listener up"):
        return
    sender = Cli(["--local-port", "0", "send-file", lst.contact, big], "sender")
    seen = lst.wait_for(progress_at_least(name, 20 * MB), 90)
    lst.proc.send_signal(signal.SIGINT)
    rc = sender.wait(60)
    states = [e.get("state") for e in sender.transfers() if e.get("state") != "progress"]
    tap(seen and rc == 1 and states[-1:] and states[-1] in ("cancelled", "failed"),
        "cancel: the listener's SIGINT makes send-file report cancelled/failed, exit 1 "
        "(rc %s, %s)" % (rc, states))
    rc_listen = lst.wait(20)
    got = [e.get("state") for e in lst.transfers(name=name) if e.get("state") != "progress"]
    tap(got[-1:] == ["cancelled"], "cancel: the interrupted listener reports cancelled "
        "(rc %s, %s)" % (rc_listen, got))
    tap(parts_in(dst) == [name + ".part"] and name not in os.listdir(dst),
        "cancel: the interrupted receiver keeps its .part (%s)" % os.listdir(dst))
    shutil.rmtree(dst)


def main():
    work = tempfile.mkdtemp(prefix="confab-ft-")
    os.environ.setdefault("XDG_DATA_HOME", os.path.join(work, "data"))
    os.environ["XDG_DOWNLOAD_DIR"] = os.path.join(work, "downloads")
    started = time.time()
    only = os.environ.get("CONFAB_FT_ONLY")  # e.g. "relay" while debugging
    try:
        if only:
            {"relay": check_relay, "write-errors": check_write_errors}[only](work)
            return 0 if all(results) else 1
        check_push(work)
        check_pull(work)
        check_declined(work)
        check_relay(work)
        big = os.path.join(work, "big-300.bin")
        digest = make_file(big, 300 * MB)
        check_resume(work, big, digest)
        check_cancel(work, big)
        os.unlink(big)
        check_garbage_part(work)
        check_write_errors(work)
        check_hostile_names(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("# %.0f s" % (time.time() - started))
    print("1..%d" % len(results))
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
