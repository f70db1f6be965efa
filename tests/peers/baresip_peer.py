# SPDX-License-Identifier: GPL-3.0-or-later
"""A real baresip (Debian's baresip-core) on 127.0.0.1 for Confab's
integration tests and benchmarks.  Only the Python standard library.

    with BaresipPeer(workdir, "tone.wav", codecs="opus/48000/2",
                     mediaenc="srtp-mand") as bs:
        bs.uri                      # sip:bob@127.0.0.1:PORT, auto-answers
        bs.dial("sip:...")          # baresip calls out (ctrl_tcp "dial")
        bs.wait_event("CALL_ESTABLISHED", timeout=10)
        bs.hangup()
        bs.recording()              # what baresip heard (sndfile -dec.wav)

Each instance gets its own config directory (`baresip -f DIR`): SIP and RTP
on 127.0.0.1 only (`net_interface 127.0.0.1`), the aufile module plays a
48 kHz mono WAV file as the microphone, the sndfile filter records what was
decoded to DIR/rec/dump-*-dec.wav (and what was sent to *-enc.wav), and
ctrl_tcp (JSON netstrings; commands of the menu module) drives it. There is
no speaker: baresip 1.0.0 has no file player, and ALSA's "null" device is
not paced (the player thread would spin a core). With echo=True the aubridge
module plays what baresip hears back to the caller, paced in real time like
a sound card: an echo peer to measure round trips with.

baresip runs in its own process group and is killed on every exit path:
`stop()` (also from `__exit__`) sends SIGTERM then SIGKILL to the group, the
child asks the kernel to SIGKILL it when the parent dies
(PR_SET_PDEATHSIG), and `-t` makes baresip quit by itself after `lifetime`
seconds whatever happens. CONFAB_BARESIP names another baresip binary.
"""

import ctypes
import glob
import json
import os
import shutil
import signal
import socket
import subprocess
import threading
import time

BARESIP = (os.environ.get("CONFAB_BARESIP") or shutil.which("baresip") or
           "/usr/bin/baresip")
MODULE_DIR = "/usr/lib/baresip/modules"
MODULES = ("opus", "g722", "g711", "srtp", "aufile", "sndfile", "aubridge", "ctrl_tcp",
           "menu", "account")
INSTALL_HINT = ("baresip is not installed (no %s): install Debian's baresip-core "
                "package (build-aux/dev.sh test does)")


class BaresipError(Exception):
    pass


def missing():
    """None if baresip and the modules the tests need are there, else why not."""
    if not os.access(BARESIP, os.X_OK):
        return INSTALL_HINT % BARESIP
    gone = [m for m in MODULES if not os.path.exists(os.path.join(MODULE_DIR, m + ".so"))]
    if gone:
        return "baresip modules missing in %s: %s" % (MODULE_DIR, ", ".join(gone))
    return None


def free_port(udp_too=False):
    """A port free on 127.0.0.1 for TCP (and UDP when asked)."""
    for _ in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as t:
            t.bind(("127.0.0.1", 0))
            port = t.getsockname()[1]
            if not udp_too:
                return port
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
                try:
                    u.bind(("127.0.0.1", port))
                except OSError:
                    continue
                return port
    raise BaresipError("no free port on 127.0.0.1")


def die_with_parent():
    # In the child between fork and exec: SIGKILL when the test process dies.
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


CONFIG = """\
poll_method		epoll
net_interface		127.0.0.1
sip_listen		127.0.0.1:{sip_port}
call_local_timeout	120
call_max_calls		4
audio_source		{source}
{player}ausrc_srate		48000
auplay_srate		48000
ausrc_channels		1
auplay_channels		1
audio_buffer		20-160
rtp_tos			0
rtcp_mux		no
jitter_buffer_delay	5-10
module_path		{module_dir}
module			opus.so
module			g722.so
module			g711.so
module			sndfile.so
module			aufile.so
{player_module}module			srtp.so
module_tmp		account.so
module_app		menu.so
module_app		ctrl_tcp.so
ctrl_tcp_listen		127.0.0.1:{ctrl_port}
snd_path		{rec_dir}
opus_bitrate		28000
statmode_default	off
"""


class BaresipPeer:
    def __init__(self, workdir, source_wav=None, user="bob", codecs=None, mediaenc=None,
                 answermode="auto", lifetime=120, echo=False, extra_config="", medianat=None):
        self.dir = os.path.abspath(workdir)
        self.rec_dir = os.path.join(self.dir, "rec")
        os.makedirs(self.rec_dir, exist_ok=True)
        self.sip_port = free_port(udp_too=True)
        self.ctrl_port = free_port()
        self.user = user
        self.uri = "sip:%s@127.0.0.1:%d" % (user, self.sip_port)
        self.log_path = os.path.join(self.dir, "baresip.log")
        with open(os.path.join(self.dir, "config"), "w") as f:
            if echo:
                source = "aubridge,echo"
                player = "audio_player\t\taubridge,echo\n"
                player_module = "module\t\t\taubridge.so\n"
            else:
                source = "aufile," + os.path.abspath(source_wav)
                player = player_module = ""
            f.write(CONFIG.format(sip_port=self.sip_port, source=source, player=player,
                                  player_module=player_module, module_dir=MODULE_DIR,
                                  ctrl_port=self.ctrl_port, rec_dir=self.rec_dir))
            f.write(extra_config)
            if medianat:
                f.write("module\t\t\t%s.so\n" % medianat)
        params = ["regint=0", "answermode=" + answermode]
        if codecs:
            params.append("audio_codecs=" + codecs)
        if mediaenc:
            params.append("mediaenc=" + mediaenc)
        if medianat:
            params.append("medianat=" + medianat)
        with open(os.path.join(self.dir, "accounts"), "w") as f:
            f.write("<sip:%s@127.0.0.1>;%s\n" % (user, ";".join(params)))
        self.lifetime = lifetime
        self.log = None
        self.proc = None
        self.sock = None
        self.events = []
        self.responses = []
        self.cond = threading.Condition()
        self.reader = None
        self.token = 0

    # --- process ------------------------------------------------------------
    def start(self, timeout=10):
        self.log = open(self.log_path, "wb")
        self.started = time.monotonic()
        self.proc = subprocess.Popen([BARESIP, "-f", self.dir, "-t", str(self.lifetime)],
                                     stdin=subprocess.DEVNULL, stdout=self.log,
                                     stderr=subprocess.STDOUT, start_new_session=True,
                                     preexec_fn=die_with_parent)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise BaresipError("baresip exited with %s: %s" %
                                   (self.proc.returncode, self.log_tail()))
            try:
                self.sock = socket.create_connection(("127.0.0.1", self.ctrl_port), timeout=1)
                break
            except OSError:
                time.sleep(0.05)
        else:
            raise BaresipError("baresip's ctrl_tcp did not answer: " + self.log_tail())
        self.sock.settimeout(None)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        return self

    def stop(self):
        if self.sock:
            try:
                self.sock.close()
            except OSError:
                pass
            self.sock = None
        # its own process group (no children of its own, but no strays
        # either); signalled only while not reaped, so the group is still ours
        for sig, wait in ((signal.SIGTERM, 3), (signal.SIGKILL, 5)):
            if not self.proc or self.proc.poll() is not None:
                break
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                break
            try:
                self.proc.wait(timeout=wait)
            except subprocess.TimeoutExpired:
                pass
        if self.log:
            self.log.close()
            self.log = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        return False

    def log_text(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read().replace(b"\0", b"").decode("utf-8", "replace")
        except OSError:
            return ""

    def log_tail(self, n=1500):
        return self.log_text()[-n:]

    # --- ctrl_tcp: JSON in netstrings ---------------------------------------
    def _read(self):
        buf = b""
        sock = self.sock
        while True:
            try:
                data = sock.recv(65536)
            except OSError:
                break
            if not data:
                break
            buf += data
            while True:
                colon = buf.find(b":")
                if colon < 0:
                    break
                try:
                    n = int(buf[:colon])
                except ValueError:
                    buf = b""
                    break
                if len(buf) < colon + 1 + n + 1:
                    break
                payload = buf[colon + 1:colon + 1 + n]
                buf = buf[colon + 1 + n + 1:]
                try:
                    msg = json.loads(payload.decode("utf-8", "replace"))
                except ValueError:
                    continue
                msg["_t"] = time.monotonic()
                with self.cond:
                    (self.events if msg.get("event") else self.responses).append(msg)
                    self.cond.notify_all()

    def command(self, command, params=None, timeout=5):
        self.token += 1
        token = str(self.token)
        msg = {"command": command, "token": token}
        if params is not None:
            msg["params"] = params
        data = json.dumps(msg).encode()
        self.sock.sendall(b"%d:%s," % (len(data), data))
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for r in self.responses:
                    if r.get("token") == token:
                        return r
                left = deadline - time.monotonic()
                if left <= 0:
                    raise BaresipError("no answer from baresip to %s" % command)
                self.cond.wait(left)

    def dial(self, uri):
        return self.command("dial", uri)

    def hangup(self):
        return self.command("hangup")

    def wait_event(self, type_, timeout=10):
        """The first event of this type (e.g. CALL_ESTABLISHED), or None."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for e in self.events:
                    if e.get("type") == type_:
                        return e
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self.cond.wait(left)

    def recording(self, which="dec"):
        """Path of the WAV baresip decoded ("dec") or encoded ("enc"), or None."""
        found = sorted(glob.glob(os.path.join(self.rec_dir, "dump-*-%s.wav" % which)))
        return found[-1] if found else None
