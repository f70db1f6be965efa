#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Start/stop a real Kamailio registrar/proxy on 127.0.0.1 for Confab's
integration tests.

Usage:
  kamailio-peer.py start   --dir DIR [--users alice:secret,bob:pw2]
                           [--domain 127.0.0.1] [--min-expires 5]
                           [--nonce-expire 300] [--debug 2]
                           [--udp-port N] [--tcp-port N] [--tls-port N]
                           [--msrp-relay] [--msrp-port N]
                           [--watch-pid PID]
  kamailio-peer.py restart --dir DIR
  kamailio-peer.py stop    --dir DIR
  kamailio-peer.py status  --dir DIR
  kamailio-peer.py lookup  --dir DIR [--json] USER[@DOMAIN]
  kamailio-peer.py ensure-installed

`start` and `restart` print exactly one JSON line on stdout, e.g.
  {"pid":1234,"udp":24012,"tcp":24012,"tls":27111,"ca":"/abs/DIR/ca.pem","dir":"/abs/DIR","domain":"127.0.0.1"}
and exit 0 once Kamailio answers an OPTIONS over UDP (Kamailio keeps running
as a daemon).  On failure the tail of DIR/kamailio.log goes to stderr and the
exit status is 1.  Diagnostics always go to stderr, never stdout.

--msrp-relay (or --msrp-port N) also makes the same Kamailio an RFC 4976 MSRP
relay on msrps://127.0.0.1:PORT (TLS, the test CA), AUTH checked with the
same users and passwords; the JSON line then has "msrp":PORT as well.

--watch-pid PID starts a small detached watchdog that stops this instance as
soon as PID exits (pass the test binary's own pid so a crashed test does not
leak Kamailio processes).  `stop` also ends the watchdog; `restart` keeps it.

`lookup` prints one line per live contact
  <contact-uri> expires=N received=<uri> socket=<proto:ip:port> user_agent=...
(or a JSON array with --json) and exits 0 if there is at least one, 1 if none.

Only the Python standard library is used.  Kamailio never binds anything but
127.0.0.1 and never writes outside DIR (pid file, runtime dir, ctl socket, log).
"""

import argparse
import glob
import hashlib
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TEMPLATE_DIR = os.path.join(HERE, "kamailio")
CFG_TEMPLATE = os.path.join(TEMPLATE_DIR, "kamailio.cfg.in")
TLS_TEMPLATE = os.path.join(TEMPLATE_DIR, "tls.cfg.in")

LOOPBACK = "127.0.0.1"
DEFAULT_USERS = "alice:secret,bob:pw2"
START_TIMEOUT = 10.0      # seconds until Kamailio must answer OPTIONS
STOP_TIMEOUT = 5.0        # seconds between SIGTERM and SIGKILL
CERT_DAYS = 2

MODULE_DIR_CANDIDATES = [
    "/usr/lib/x86_64-linux-gnu/kamailio/modules",
    "/usr/lib/aarch64-linux-gnu/kamailio/modules",
    "/usr/lib64/kamailio/modules",
    "/usr/lib/kamailio/modules",
    "/usr/local/lib64/kamailio/modules",
    "/usr/local/lib/kamailio/modules",
]


class PeerError(Exception):
    pass


LAUNCHED = False   # set once kamailio was actually spawned by this run


def log(msg):
    sys.stderr.write("kamailio-peer: %s\n" % msg)
    sys.stderr.flush()


# --------------------------------------------------------------------------
# tool discovery

def find_kamailio():
    exe = os.environ.get("KAMAILIO") or shutil.which("kamailio")
    if not exe:
        for cand in ("/usr/sbin/kamailio", "/usr/local/sbin/kamailio"):
            if os.access(cand, os.X_OK):
                exe = cand
                break
    return exe


def find_kamcmd():
    exe = os.environ.get("KAMCMD") or shutil.which("kamcmd")
    if not exe:
        for cand in ("/usr/sbin/kamcmd", "/usr/local/sbin/kamcmd"):
            if os.access(cand, os.X_OK):
                exe = cand
                break
    return exe


def find_modules_dir():
    env = os.environ.get("KAMAILIO_MODULES_DIR")
    cands = ([env] if env else []) + MODULE_DIR_CANDIDATES + \
        sorted(glob.glob("/usr/lib/*/kamailio/modules"))
    for d in cands:
        if d and os.path.isfile(os.path.join(d, "tm.so")):
            return d
    return None


def tls_module_present(mdir):
    return bool(mdir) and os.path.isfile(os.path.join(mdir, "tls.so"))


# --------------------------------------------------------------------------
# ports

def _ephemeral_low():
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            return int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


def port_free(port, udp=False, tcp=False):
    """Bind-test PORT on 127.0.0.1 for the given protocols."""
    socks = []
    try:
        if udp:
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            socks.append(s)
            s.bind((LOOPBACK, port))
        if tcp:
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            socks.append(s)
            # Kamailio sets SO_REUSEADDR too, so TIME_WAIT leftovers are fine
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((LOOPBACK, port))
            s.listen(1)
        return True
    except OSError:
        return False
    finally:
        for s in socks:
            s.close()


def _random_port(used):
    """A port below the kernel's ephemeral range (so that client sockets
    opened in the meantime cannot grab it), falling back to port 0."""
    low = _ephemeral_low()
    if low > 12000:
        for _ in range(200):
            p = random.randint(10000, low - 1)
            if p not in used:
                return p
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]
    finally:
        s.close()


def pick_ports(udp=None, tcp=None, tls=None):
    used = set(p for p in (udp, tcp, tls) if p)
    if udp is None and tcp is None:
        for _ in range(500):
            p = _random_port(used)
            if port_free(p, udp=True, tcp=True):
                udp = tcp = p
                used.add(p)
                break
        else:
            raise PeerError("could not find a free UDP+TCP port on 127.0.0.1")
    if udp is None:
        for _ in range(500):
            p = _random_port(used)
            if port_free(p, udp=True):
                udp = p
                used.add(p)
                break
        else:
            raise PeerError("could not find a free UDP port")
    if tcp is None:
        for _ in range(500):
            p = _random_port(used)
            if port_free(p, tcp=True):
                tcp = p
                used.add(p)
                break
        else:
            raise PeerError("could not find a free TCP port")
    if tls is None:
        for _ in range(500):
            p = _random_port(used)
            if p != tcp and port_free(p, tcp=True):
                tls = p
                used.add(p)
                break
        else:
            raise PeerError("could not find a free TLS port")
    return udp, tcp, tls


def pick_msrp_port(fixed, used):
    """The TCP port of the MSRP relay's msrps listener."""
    if fixed:
        return fixed
    for _ in range(500):
        p = _random_port(set(used))
        if p not in used and port_free(p, tcp=True):
            return p
    raise PeerError("could not find a free MSRP port")


# --------------------------------------------------------------------------
# certificates

def _run(cmd, **kw):
    r = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, **kw)
    if r.returncode != 0:
        raise PeerError("command failed (%d): %s\n%s" % (
            r.returncode, " ".join(cmd),
            r.stderr.decode("utf-8", "replace")))
    return r


def _cert_valid(path, seconds=3600):
    if not os.path.isfile(path):
        return False
    r = subprocess.run(["openssl", "x509", "-in", path, "-noout",
                        "-checkend", str(seconds)],
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
    return r.returncode == 0


def _is_ip(s):
    try:
        socket.inet_pton(socket.AF_INET, s)
        return True
    except OSError:
        pass
    try:
        socket.inet_pton(socket.AF_INET6, s)
        return True
    except OSError:
        return False


def ensure_certs(d, domain):
    """Test CA + server cert (CN=127.0.0.1, SAN DNS:localhost,IP:127.0.0.1).
    Existing, still-valid files are reused so restarts keep the same CA."""
    if not shutil.which("openssl"):
        raise PeerError("openssl not found in PATH")
    ca_pem = os.path.join(d, "ca.pem")
    ca_key = os.path.join(d, "ca.key")
    srv_pem = os.path.join(d, "server.pem")
    srv_key = os.path.join(d, "server.key")

    new_ca = False
    if not (os.path.isfile(ca_key) and _cert_valid(ca_pem)):
        _run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
              "-sha256", "-days", str(CERT_DAYS),
              "-keyout", ca_key, "-out", ca_pem,
              "-subj", "/O=Confab tests/CN=Confab Test CA",
              "-addext", "basicConstraints=critical,CA:TRUE",
              "-addext", "keyUsage=critical,keyCertSign,cRLSign",
              "-addext", "subjectKeyIdentifier=hash"])
        os.chmod(ca_key, 0o600)
        new_ca = True

    if new_ca or not (os.path.isfile(srv_key) and _cert_valid(srv_pem)):
        # sofia-sip 1.12 compares the host literally against DNS-type names
        # only (IP entries are read as raw bytes), so the literal address is
        # also listed as a DNS name for clients connecting to 127.0.0.1.
        san = ["DNS:localhost", "DNS:127.0.0.1", "IP:127.0.0.1"]
        if domain not in ("127.0.0.1", "localhost"):
            san.append(("IP:" if _is_ip(domain) else "DNS:") + domain)
        csr = os.path.join(d, "server.csr")
        ext = os.path.join(d, "server.ext")
        with open(ext, "w") as f:
            f.write("basicConstraints=critical,CA:FALSE\n"
                    "keyUsage=critical,digitalSignature,keyEncipherment\n"
                    "extendedKeyUsage=serverAuth,clientAuth\n"
                    "subjectKeyIdentifier=hash\n"
                    "authorityKeyIdentifier=keyid,issuer\n"
                    "subjectAltName=%s\n" % ",".join(san))
        _run(["openssl", "req", "-new", "-newkey", "rsa:2048", "-nodes",
              "-sha256", "-keyout", srv_key, "-out", csr,
              "-subj", "/O=Confab tests/CN=127.0.0.1"])
        _run(["openssl", "x509", "-req", "-in", csr, "-CA", ca_pem,
              "-CAkey", ca_key, "-set_serial",
              "0x" + secrets.token_hex(16), "-days", str(CERT_DAYS),
              "-sha256", "-extfile", ext, "-out", srv_pem])
        os.chmod(srv_key, 0o600)
        for p in (csr, ext):
            try:
                os.unlink(p)
            except OSError:
                pass
    return ca_pem, srv_pem, srv_key


# --------------------------------------------------------------------------
# state / config rendering

def state_path(d):
    return os.path.join(d, "state.json")


def load_state(d):
    try:
        with open(state_path(d)) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def save_state(d, st):
    tmp = state_path(d) + ".tmp"
    with open(tmp, "w") as f:
        json.dump(st, f, indent=2, sort_keys=True)
        f.write("\n")
    os.replace(tmp, state_path(d))


USER_RE = re.compile(r"^[A-Za-z0-9._~+-]+$")


def parse_users(spec):
    users = {}
    for item in spec.split(","):
        item = item.strip()
        if not item:
            continue
        if ":" not in item:
            raise PeerError("bad --users entry %r (want user:password)" % item)
        u, p = item.split(":", 1)
        if not USER_RE.match(u):
            raise PeerError("bad user name %r" % u)
        if not p or any(ord(c) < 0x20 or ord(c) == 0x7f for c in p):
            raise PeerError("bad password for user %r" % u)
        users[u] = p
    if not users:
        raise PeerError("no users given")
    return users


def cfg_string(s):
    """Quote S as a Kamailio cfg string literal."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def ctl_socket_path(d):
    p = os.path.join(d, "kamailio.ctl")
    if len(p.encode()) < 100:
        return p
    # AF_UNIX paths are limited to ~107 bytes; fall back to a short path
    h = hashlib.sha1(d.encode()).hexdigest()[:16]
    return os.path.join(tempfile.gettempdir(), "confab-kam-%s.ctl" % h)


def render(template, values):
    with open(template) as f:
        text = f.read()
    for k, v in values.items():
        text = text.replace("@%s@" % k, str(v))
    left = sorted(set(re.findall(r"@[A-Z_]+@", text)))
    if left:
        raise PeerError("unsubstituted tokens in %s: %s" % (
            template, ", ".join(left)))
    return text


def write_configs(d, st, mdir, ca_pem, srv_pem, srv_key):
    domain = st["domain"]
    aliases = []
    if domain != "localhost" and not _is_ip(domain):
        aliases.append("alias=%s" % cfg_string(domain))
    users_init = "\n".join(
        "\t$sht(users=>%s) = %s;" % (u, cfg_string(p))
        for u, p in sorted(st["users"].items()))
    tls_cfg = os.path.join(d, "tls.cfg")
    values = {
        "DEBUG": int(st.get("debug", 2)),
        "UDP_PORT": st["udp"],
        "TCP_PORT": st["tcp"],
        "TLS_PORT": st["tls"],
        "ALIASES": "\n".join(aliases),
        "MODULES_DIR": mdir.rstrip("/") + "/",
        "TLS_CFG": tls_cfg,
        "CTL_SOCKET": st["ctl"],
        "MIN_EXPIRES": int(st["min_expires"]),
        "NONCE_EXPIRE": int(st["nonce_expire"]),
        "AUTH_SECRET": st["secret"],
        "DOMAIN": domain,
        "USERS_INIT": users_init,
        # the MSRP relay blocks are #!ifdef WITH_MSRP_RELAY
        "MSRP_RELAY_DEFINE": "#!define WITH_MSRP_RELAY" if st.get("msrp")
                             else "",
        "MSRP_PORT": st.get("msrp") or 0,
    }
    cfg = render(CFG_TEMPLATE, values)
    tls = render(TLS_TEMPLATE, {"SERVER_CERT": srv_pem,
                                "SERVER_KEY": srv_key,
                                "CA_CERT": ca_pem})
    with open(os.path.join(d, "kamailio.cfg"), "w") as f:
        f.write(cfg)
    with open(tls_cfg, "w") as f:
        f.write(tls)
    # informational copy of the credentials (Kamailio reads them from the cfg)
    with open(os.path.join(d, "users.htable"), "w") as f:
        for u, p in sorted(st["users"].items()):
            f.write("%s:%s\n" % (u, p))


# --------------------------------------------------------------------------
# process handling

def _cfg_path(d):
    return os.path.join(d, "kamailio.cfg")


def _pid_path(d):
    return os.path.join(d, "kamailio.pid")


def _log_path(d):
    return os.path.join(d, "kamailio.log")


def _proc_state(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            data = f.read()
        return data[data.rindex(")") + 2]
    except (OSError, ValueError, IndexError):
        return None


def pid_alive(pid):
    st = _proc_state(pid)
    return st is not None and st not in ("Z", "X")


def _cmdline(pid):
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            return f.read().split(b"\0")
    except OSError:
        return []


def instance_pids(d):
    """All live kamailio processes started with -f DIR/kamailio.cfg."""
    cfg = _cfg_path(d).encode()
    me = os.getpid()
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        pid = int(entry)
        if pid == me:
            continue
        argv = _cmdline(pid)
        if not argv or b"kamailio" not in os.path.basename(argv[0]):
            continue
        for i, a in enumerate(argv[:-1]):
            if a == b"-f" and argv[i + 1] == cfg:
                if pid_alive(pid):
                    pids.append(pid)
                break
    return pids


def read_pidfile(d):
    try:
        with open(_pid_path(d)) as f:
            return int(f.read().strip())
    except (OSError, ValueError):
        return None


def main_pid(d):
    pid = read_pidfile(d)
    if pid and pid in instance_pids(d):
        return pid
    return None


def stop_instance(d):
    pids = instance_pids(d)
    if not pids:
        _cleanup_runtime(d)
        return False
    mpid = read_pidfile(d)
    targets = [mpid] if mpid in pids else pids
    for pid in targets:
        try:
            os.kill(pid, signal.SIGTERM)
        except OSError:
            pass
    deadline = time.monotonic() + STOP_TIMEOUT
    while time.monotonic() < deadline:
        left = instance_pids(d)
        if not left:
            break
        # main process gone but children still around: terminate them too
        if mpid and not pid_alive(mpid):
            for pid in left:
                try:
                    os.kill(pid, signal.SIGTERM)
                except OSError:
                    pass
        time.sleep(0.05)
    left = instance_pids(d)
    if left:
        log("kamailio did not exit after %.0fs, sending SIGKILL to %s"
            % (STOP_TIMEOUT, left))
        for pid in left:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        deadline = time.monotonic() + 3
        while instance_pids(d) and time.monotonic() < deadline:
            time.sleep(0.05)
        if instance_pids(d):
            raise PeerError("could not kill kamailio processes %s"
                            % instance_pids(d))
    _cleanup_runtime(d)
    return True


def _cleanup_runtime(d):
    st = load_state(d) or {}
    for p in (_pid_path(d), st.get("ctl") or ctl_socket_path(d)):
        try:
            os.unlink(p)
        except OSError:
            pass


def log_tail(d, lines=60):
    """Tail of the log of the most recent start attempt."""
    try:
        with open(_log_path(d), "rb") as f:
            data = f.read().decode("utf-8", "replace")
    except OSError:
        return "(no %s)" % _log_path(d)
    i = data.rfind("==== kamailio-peer start")
    if i > 0:
        data = data[i:]
    return "\n".join(data.splitlines()[-lines:])


def _log_size(d):
    try:
        return os.path.getsize(_log_path(d))
    except OSError:
        return 0


def _log_since(d, offset):
    try:
        with open(_log_path(d), "rb") as f:
            f.seek(offset)
            return f.read().decode("utf-8", "replace")
    except OSError:
        return ""


def sip_options_ok(port, timeout=0.3):
    """Send one OPTIONS over UDP; True if a 200 came back."""
    branch = "z9hG4bK-peer-" + secrets.token_hex(8)
    callid = secrets.token_hex(12) + "@127.0.0.1"
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        s.bind((LOOPBACK, 0))
        lport = s.getsockname()[1]
        msg = ("OPTIONS sip:127.0.0.1:%d SIP/2.0\r\n"
               "Via: SIP/2.0/UDP 127.0.0.1:%d;branch=%s;rport\r\n"
               "Max-Forwards: 70\r\n"
               "From: <sip:probe@127.0.0.1>;tag=%s\r\n"
               "To: <sip:127.0.0.1:%d>\r\n"
               "Call-ID: %s\r\n"
               "CSeq: 1 OPTIONS\r\n"
               "Contact: <sip:probe@127.0.0.1:%d>\r\n"
               "Accept: application/sdp\r\n"
               "Content-Length: 0\r\n\r\n") % (
                   port, lport, branch, secrets.token_hex(4), port, callid,
                   lport)
        s.settimeout(timeout)
        s.sendto(msg.encode(), (LOOPBACK, port))
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                data, _ = s.recvfrom(65535)
            except (socket.timeout, ConnectionRefusedError):
                return False
            text = data.decode("utf-8", "replace")
            if branch not in text:
                continue
            if text.startswith("SIP/2.0 200"):
                return True
            if text.startswith("SIP/2.0 1"):
                continue
            return False
        return False
    except OSError:
        return False
    finally:
        s.close()


def launch(d, st, deadline):
    """Start kamailio for state ST; returns main pid.  Raises PeerError with
    attribute .bind_error set when a port was taken."""
    kam = find_kamailio()
    if not kam:
        raise PeerError("kamailio binary not found "
                        "(run: kamailio-peer.py ensure-installed)")
    global LAUNCHED
    LAUNCHED = True
    logf = _log_path(d)
    offset = _log_size(d)
    with open(logf, "ab") as lf:
        lf.write(("==== kamailio-peer start %s udp=%d tcp=%d tls=%d ====\n" % (
            time.strftime("%Y-%m-%d %H:%M:%S"), st["udp"], st["tcp"],
            st["tls"])).encode())
        lf.flush()
        cmd = [kam, "-f", _cfg_path(d), "-P", _pid_path(d), "-Y", d,
               "-m", "64", "-M", "16", "-E"]
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=lf,
                                stderr=lf, cwd=d, close_fds=True,
                                start_new_session=True)
    try:
        rc = proc.wait(timeout=max(0.5, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        rc = None
    if rc not in (0, None):
        err = PeerError("kamailio exited with status %d during startup" % rc)
        err.bind_error = "Address already in use" in _log_since(d, offset)
        raise err

    pid = None
    while time.monotonic() < deadline:
        if pid is None:
            pid = main_pid(d)
        if pid is not None and not pid_alive(pid):
            err = PeerError("kamailio (pid %d) died during startup" % pid)
            err.bind_error = "Address already in use" in _log_since(d, offset)
            raise err
        if pid is not None and sip_options_ok(st["udp"]):
            return pid
        if pid is None and rc == 0 and not instance_pids(d):
            err = PeerError("kamailio daemon vanished during startup")
            err.bind_error = "Address already in use" in _log_since(d, offset)
            raise err
        time.sleep(0.05)
    err = PeerError("kamailio did not answer OPTIONS on udp:127.0.0.1:%d "
                    "within %.0fs" % (st["udp"], START_TIMEOUT))
    err.bind_error = "Address already in use" in _log_since(d, offset)
    raise err


def start_from_state(d, st, allow_new_ports):
    mdir = find_modules_dir()
    if not mdir:
        raise PeerError("kamailio modules directory not found "
                        "(set KAMAILIO_MODULES_DIR)")
    if not tls_module_present(mdir):
        raise PeerError("kamailio tls module (tls.so) missing in %s "
                        "(apt-get install kamailio-tls-modules)" % mdir)
    ca_pem, srv_pem, srv_key = ensure_certs(d, st["domain"])
    deadline = time.monotonic() + START_TIMEOUT
    attempt = 0
    while True:
        attempt += 1
        save_state(d, st)
        write_configs(d, st, mdir, ca_pem, srv_pem, srv_key)
        try:
            pid = launch(d, st, deadline)
            break
        except PeerError as e:
            # make sure no half-started processes survive
            try:
                stop_instance(d)
            except PeerError:
                pass
            if getattr(e, "bind_error", False) and attempt < 5 \
                    and time.monotonic() < deadline - 1:
                if allow_new_ports:
                    fixed = st.get("fixed_ports", {})
                    st["udp"], st["tcp"], st["tls"] = pick_ports(
                        fixed.get("udp"), fixed.get("tcp"), fixed.get("tls"))
                    if st.get("msrp"):
                        st["msrp"] = pick_msrp_port(
                            fixed.get("msrp"),
                            (st["udp"], st["tcp"], st["tls"]))
                    log("port in use, retrying with udp=%d tcp=%d tls=%d"
                        % (st["udp"], st["tcp"], st["tls"]))
                else:
                    log("port in use, retrying in 0.3s")
                    time.sleep(0.3)
                deadline = max(deadline, time.monotonic() + 3)
                continue
            raise
    st["pid"] = pid
    save_state(d, st)
    return pid, ca_pem


def result_line(d, st, pid, ca_pem):
    result = {"pid": pid, "udp": st["udp"], "tcp": st["tcp"],
              "tls": st["tls"], "ca": ca_pem, "dir": d,
              "domain": st["domain"]}
    if st.get("msrp"):
        result["msrp"] = st["msrp"]
    return json.dumps(result, separators=(",", ":"))


# --------------------------------------------------------------------------
# commands

def cmd_start(a):
    d = os.path.abspath(a.dir)
    os.makedirs(d, exist_ok=True)
    if instance_pids(d):
        log("an instance is already running in %s, stopping it first" % d)
        stop_instance(d)
    old = load_state(d) or {}
    fixed = {k: v for k, v in (("udp", a.udp_port), ("tcp", a.tcp_port),
                               ("tls", a.tls_port)) if v}
    for proto, port in sorted(fixed.items()):
        if not port_free(port, udp=(proto == "udp"), tcp=(proto != "udp")):
            raise PeerError("requested %s port 127.0.0.1:%d is already in use"
                            % (proto, port))
    udp, tcp, tls = pick_ports(a.udp_port, a.tcp_port, a.tls_port)
    msrp = None
    if a.msrp_relay or a.msrp_port:
        if a.msrp_port:
            if not port_free(a.msrp_port, tcp=True):
                raise PeerError("requested msrp port 127.0.0.1:%d is already"
                                " in use" % a.msrp_port)
            fixed["msrp"] = a.msrp_port
        msrp = pick_msrp_port(a.msrp_port, (udp, tcp, tls))
    st = {
        "udp": udp, "tcp": tcp, "tls": tls,
        "msrp": msrp,
        "fixed_ports": fixed,
        "domain": a.domain,
        "users": parse_users(a.users),
        "min_expires": a.min_expires,
        "nonce_expire": a.nonce_expire,
        "debug": a.debug,
        # keep the nonce secret stable across restarts of the same DIR
        "secret": old.get("secret") or secrets.token_hex(16),
        "ctl": ctl_socket_path(d),
    }
    if a.watch_pid is not None and not pid_alive(a.watch_pid):
        raise PeerError("--watch-pid %d: no such process" % a.watch_pid)
    stop_watchdog(d)
    t0 = time.monotonic()
    pid, ca_pem = start_from_state(d, st, allow_new_ports=True)
    if a.watch_pid is not None:
        start_watchdog(d, a.watch_pid)
    log("kamailio pid %d up in %.2fs (udp %d, tcp %d, tls %d, log %s)" % (
        pid, time.monotonic() - t0, st["udp"], st["tcp"], st["tls"],
        _log_path(d)))
    print(result_line(d, st, pid, ca_pem), flush=True)
    return 0


def cmd_restart(a):
    d = os.path.abspath(a.dir)
    st = load_state(d)
    if not st:
        raise PeerError("no %s - use start first" % state_path(d))
    stop_instance(d)
    t0 = time.monotonic()
    pid, ca_pem = start_from_state(d, st, allow_new_ports=False)
    log("kamailio restarted, pid %d up in %.2fs" % (pid,
                                                    time.monotonic() - t0))
    print(result_line(d, st, pid, ca_pem), flush=True)
    return 0


def cmd_stop(a):
    d = os.path.abspath(a.dir)
    if not os.path.isdir(d):
        return 0
    stop_watchdog(d)
    if stop_instance(d):
        log("stopped kamailio in %s" % d)
    return 0


def _watchdog_pid(d):
    """pid of a live `_watch` process for DIR, if any."""
    st = load_state(d) or {}
    pid = st.get("watchdog")
    if not pid or not pid_alive(pid):
        return None
    argv = _cmdline(pid)
    if b"_watch" in argv and os.path.abspath(d).encode() in argv:
        return pid
    return None


def stop_watchdog(d):
    pid = _watchdog_pid(d)
    if pid:
        try:
            os.kill(pid, signal.SIGTERM)
        except OSError:
            pass
    st = load_state(d)
    if st and "watchdog" in st:
        st.pop("watchdog", None)
        st.pop("watch_pid", None)
        save_state(d, st)


def start_watchdog(d, watch_pid):
    stop_watchdog(d)
    proc = subprocess.Popen(
        [sys.executable, os.path.abspath(__file__), "_watch", "--dir", d,
         "--pid", str(watch_pid)],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, close_fds=True, start_new_session=True)
    st = load_state(d) or {}
    st["watchdog"] = proc.pid
    st["watch_pid"] = watch_pid
    save_state(d, st)


def cmd_watch(a):
    """Internal: poll PID; when it is gone, stop the instance in DIR."""
    d = os.path.abspath(a.dir)
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    while pid_alive(a.pid):
        time.sleep(0.5)
    st = load_state(d) or {}
    if st.get("watchdog") not in (None, os.getpid()):
        return 0                        # superseded by a newer watchdog
    try:
        stop_instance(d)
    except PeerError:
        pass
    return 0


def cmd_status(a):
    d = os.path.abspath(a.dir)
    st = load_state(d)
    pid = main_pid(d) if os.path.isdir(d) else None
    if not st or not pid:
        log("not running")
        return 1
    print(result_line(d, st, pid, os.path.join(d, "ca.pem")), flush=True)
    return 0


def parse_kamcmd_contacts(text):
    """Extract contacts from `kamcmd ul.lookup` output."""
    contacts = []
    cur = None
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("Address:"):
            cur = {"address": line.split(":", 1)[1].strip()}
            contacts.append(cur)
        elif cur is not None and ":" in line and not line.endswith("{"):
            k, v = line.split(":", 1)
            cur[k.strip().lower().replace("-", "_")] = v.strip()
    return contacts


def cmd_lookup(a):
    d = os.path.abspath(a.dir)
    st = load_state(d)
    if not st:
        raise PeerError("no %s - not started?" % state_path(d))
    kamcmd = find_kamcmd()
    if not kamcmd:
        raise PeerError("kamcmd not found")
    user = a.user
    if "@" in user:            # usrloc runs with use_domain=0
        user = user.split("@", 1)[0]
    if user.startswith("sip:"):
        user = user[4:]
    r = subprocess.run([kamcmd, "-s", "unix:" + st["ctl"], "ul.lookup",
                        "location", user],
                       stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=10)
    out = r.stdout.decode("utf-8", "replace")
    err = r.stderr.decode("utf-8", "replace")
    if r.returncode != 0 and "not found" not in (out + err).lower():
        log("kamcmd failed (%d): %s%s" % (r.returncode, out, err))
        return 2
    live = []
    for c in parse_kamcmd_contacts(out):
        exp = c.get("expires", "")
        if exp in ("expired", "deleted"):
            continue
        if exp.lstrip("-").isdigit() and int(exp) <= 0:
            continue
        live.append(c)
    if a.json:
        print(json.dumps(live, separators=(",", ":"), sort_keys=True),
              flush=True)
    else:
        for c in live:
            extra = " ".join("%s=%s" % (k, c[k]) for k in
                             ("expires", "received", "socket", "user_agent")
                             if c.get(k) and c[k] != "[not set]")
            print(("%s %s" % (c["address"], extra)).rstrip(), flush=True)
    if not live:
        log("no contacts registered for %s" % a.user)
        return 1
    return 0


def cmd_ensure_installed(a):
    mdir = find_modules_dir()
    if find_kamailio() and find_kamcmd() and tls_module_present(mdir):
        return 0
    pkgs = ["kamailio", "kamailio-tls-modules"]
    prefix = []
    if os.geteuid() != 0:
        sudo = shutil.which("sudo")
        if not sudo:
            raise PeerError("kamailio missing and not root and no sudo; "
                            "install %s" % " ".join(pkgs))
        prefix = [sudo, "-n", "env", "DEBIAN_FRONTEND=noninteractive"]
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    apt = shutil.which("apt-get") or "/usr/bin/apt-get"
    for cmd in ([apt, "-q", "update"],
                [apt, "-q", "-y", "install", "--no-install-recommends"]
                + pkgs):
        log("running: %s" % " ".join(prefix + cmd))
        r = subprocess.run(prefix + cmd, env=env, stdin=subprocess.DEVNULL,
                           stdout=sys.stderr, stderr=sys.stderr)
        if r.returncode != 0:
            raise PeerError("%s failed with %d" % (" ".join(cmd),
                                                    r.returncode))
    # the Debian package enables a system service; we never use it
    mdir = find_modules_dir()
    if find_kamailio() and tls_module_present(mdir):
        return 0
    raise PeerError("kamailio still missing after apt-get install")


def main(argv=None):
    ap = argparse.ArgumentParser(
        description="Run a throw-away Kamailio on 127.0.0.1 for tests.")
    sub = ap.add_subparsers(dest="cmd", required=True)

    p = sub.add_parser("start", help="start an instance in DIR")
    p.add_argument("--dir", required=True)
    p.add_argument("--users", default=DEFAULT_USERS,
                   help="user:password,... (default %s)" % DEFAULT_USERS)
    p.add_argument("--domain", default="127.0.0.1",
                   help="SIP domain and digest realm (default 127.0.0.1)")
    p.add_argument("--min-expires", type=int, default=5)
    p.add_argument("--nonce-expire", type=int, default=300,
                   help="seconds a digest nonce stays valid (default 300)")
    p.add_argument("--debug", type=int, default=2,
                   help="kamailio debug level (default 2; 3 = verbose)")
    p.add_argument("--udp-port", type=int)
    p.add_argument("--tcp-port", type=int)
    p.add_argument("--tls-port", type=int)
    p.add_argument("--msrp-relay", action="store_true",
                   help="also run an RFC 4976 MSRP relay (msrps, TLS)")
    p.add_argument("--msrp-port", type=int,
                   help="its port (implies --msrp-relay; default: random)")
    p.add_argument("--watch-pid", type=int,
                   help="stop Kamailio automatically once process PID exits"
                        " (pass the test binary's own pid)")
    p.set_defaults(func=cmd_start)

    p = sub.add_parser("_watch")          # internal: the --watch-pid watchdog
    p.add_argument("--dir", required=True)
    p.add_argument("--pid", type=int, required=True)
    p.set_defaults(func=cmd_watch)

    for name, fn, hlp in (("stop", cmd_stop, "stop the instance in DIR"),
                          ("restart", cmd_restart,
                           "restart on the same ports / CA"),
                          ("status", cmd_status,
                           "print the JSON line if running")):
        p = sub.add_parser(name, help=hlp)
        p.add_argument("--dir", required=True)
        p.set_defaults(func=fn)

    p = sub.add_parser("lookup", help="print registered contacts of USER")
    p.add_argument("--dir", required=True)
    p.add_argument("--json", action="store_true",
                   help="print a JSON array of contact objects instead")
    p.add_argument("user")
    p.set_defaults(func=cmd_lookup)

    p = sub.add_parser("ensure-installed",
                       help="apt-get install kamailio if missing")
    p.set_defaults(func=cmd_ensure_installed)

    a = ap.parse_args(argv)
    try:
        return a.func(a)
    except PeerError as e:
        log("error: %s" % e)
        if a.cmd in ("start", "restart") and LAUNCHED:
            d = os.path.abspath(a.dir)
            sys.stderr.write("---- tail of %s ----\n%s\n" % (
                _log_path(d), log_tail(d)))
        return 1


if __name__ == "__main__":
    sys.exit(main())
