#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The audio side of the SIPp conference focus in test-conference.py: an
RTP (RFC 3550) endpoint on 127.0.0.1 that speaks PCMU/8000 (G.711 µ-law)
like a conference mixer.

It sends a tone of its own (20 ms packets, its own SSRC) to the address
the test gives it (the m=audio of the client's offer), and keeps what it
receives: the source addresses, the payload types, the µ-law audio decoded
in sequence order, RFC 4733 telephone-events, the time of the last packet.
RTCP (RFC 5761 multiplexed on the same port) is counted and otherwise
ignored. Not SIPp's -rtp_echo: an echo sends the client its own SSRC
back, which GStreamer's rtpbin takes for a loop (with -rtp_echo, confab-cli's
--record stayed silent); and a distinct tone each way tells which direction
works.

`python3 rtp_room.py` runs a self-test (two peers talking) and exits 0
when it passes."""

import math
import os
import socket
import struct
import sys
import threading
import time

PCMU = 0
RATE = 8000
PACKET_SAMPLES = 160            # 20 ms


def _ulaw_encode(sample):
    """G.711 µ-law of a 16-bit linear sample."""
    bias, clip = 0x84, 32635
    sign = 0x80 if sample < 0 else 0
    if sample < 0:
        sample = -sample
    sample = min(sample, clip) + bias
    exponent = 7
    mask = 0x4000
    while exponent > 0 and not sample & mask:
        exponent -= 1
        mask >>= 1
    mantissa = (sample >> (exponent + 3)) & 0x0F
    return ~(sign | (exponent << 4) | mantissa) & 0xFF


def _ulaw_decode(byte):
    byte = ~byte & 0xFF
    sign, exponent, mantissa = byte & 0x80, (byte >> 4) & 0x07, byte & 0x0F
    sample = (((mantissa << 3) + 0x84) << exponent) - 0x84
    return -sample if sign else sample


ULAW_DECODE = [_ulaw_decode(b) for b in range(256)]


def ulaw_encode(samples):
    return bytes(_ulaw_encode(s) for s in samples)


def ulaw_decode(data):
    return [ULAW_DECODE[b] for b in data]


def is_rtcp(data):
    """RFC 5761: payload types 72-76 with the marker bit are RTCP 200-204."""
    return len(data) >= 2 and 192 <= data[1] <= 223


class RtpRoom:
    """start() binds 127.0.0.1:0 (.port); send_to((host, port)) starts the
    tone; close() stops."""

    def __init__(self, tone_hz=1800, amplitude=0.4, host="127.0.0.1"):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((host, 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.tone_hz, self.amplitude = tone_hz, amplitude
        self.ssrc = struct.unpack("!I", os.urandom(4))[0]
        self.lock = threading.Lock()
        self.target = None
        self.sent = 0
        self.packets = []          # (time, source, payload type, seq, ssrc, payload)
        self.rtcp = 0
        self.bad = 0               # datagrams that are not RTP version 2
        self.closed = False
        self.sending_stopped = threading.Event()
        self.threads = [threading.Thread(target=self._receive, daemon=True),
                        threading.Thread(target=self._send, daemon=True)]

    def start(self):
        for t in self.threads:
            t.start()
        return self

    def send_to(self, address):
        with self.lock:
            self.target = address

    def stop_sending(self):
        self.sending_stopped.set()

    def _receive(self):
        while not self.closed:
            try:
                data, source = self.sock.recvfrom(4096)
            except socket.timeout:
                continue
            except OSError:
                if self.closed:
                    return
                continue          # ICMP port unreachable from before the client listened
            if len(data) < 12 or data[0] >> 6 != 2:
                with self.lock:
                    self.bad += 1
                continue
            if is_rtcp(data):
                with self.lock:
                    self.rtcp += 1
                continue
            pt = data[1] & 0x7F
            seq, ts, ssrc = struct.unpack("!HII", data[2:12])
            offset = 12 + 4 * (data[0] & 0x0F)
            if data[0] & 0x10 and len(data) >= offset + 4:      # header extension
                offset += 4 + 4 * struct.unpack("!H", data[offset + 2:offset + 4])[0]
            payload = data[offset:]
            if data[0] & 0x20 and payload:                      # padding
                payload = payload[:-payload[-1]]
            with self.lock:
                self.packets.append((time.time(), source, pt, seq, ssrc, payload))

    def _send(self):
        seq = struct.unpack("!H", os.urandom(2))[0]
        ts = struct.unpack("!I", os.urandom(4))[0]
        phase, step = 0.0, 2 * math.pi * self.tone_hz / RATE
        start = None
        while not self.closed and not self.sending_stopped.is_set():
            with self.lock:
                target = self.target
            if target is None:
                time.sleep(0.01)
                continue
            if start is None:
                start = time.time()
            samples = []
            for _ in range(PACKET_SAMPLES):
                samples.append(int(self.amplitude * 32767 * math.sin(phase)))
                phase += step
            header = struct.pack("!BBHII", 0x80, PCMU | (0x80 if self.sent == 0 else 0),
                                 seq & 0xFFFF, ts & 0xFFFFFFFF, self.ssrc)
            try:
                self.sock.sendto(header + ulaw_encode(samples), target)
            except OSError:
                pass
            self.sent += 1
            seq += 1
            ts += PACKET_SAMPLES
            # paced on the clock, not on the sleeps
            delay = start + self.sent * PACKET_SAMPLES / RATE - time.time()
            if delay > 0:
                time.sleep(delay)

    # --- for the test ------------------------------------------------------
    def received(self, pt=None):
        with self.lock:
            return [p for p in self.packets if pt is None or p[2] == pt]

    def sources(self):
        with self.lock:
            return sorted({p[1] for p in self.packets})

    def audio(self):
        """The PCMU received, decoded, in sequence order (16-bit samples)."""
        packets = sorted(self.received(PCMU), key=lambda p: p[3])
        if packets and packets[-1][3] - packets[0][3] > 0x8000:     # wrapped
            packets.sort(key=lambda p: (p[3] + 0x8000) & 0xFFFF)
        samples = []
        for p in packets:
            samples.extend(ulaw_decode(p[5]))
        return samples

    def last_time(self):
        with self.lock:
            return self.packets[-1][0] if self.packets else None

    def close(self):
        self.closed = True
        self.sending_stopped.set()
        for t in self.threads:
            if t.is_alive():
                t.join(timeout=2)
        self.sock.close()


def goertzel_power(samples, rate, freq):
    """Relative power of `freq` in 16-bit samples (as in confab_audio.py)."""
    if not samples:
        return 0.0
    k = 2 * math.cos(2 * math.pi * freq / rate)
    s1 = s2 = 0.0
    for x in samples:
        s0 = x + k * s1 - s2
        s2, s1 = s1, s0
    return (s1 * s1 + s2 * s2 - k * s1 * s2) / (len(samples) ** 2) / (32767.0 ** 2)


def _selftest():
    failures = []

    def check(ok, what):
        if not ok:
            failures.append(what)

    for s in (0, 1, -1, 100, -100, 1000, -1000, 8000, -8000, 32767, -32768):
        back = _ulaw_decode(_ulaw_encode(s))
        check(abs(back - s) <= max(8, abs(s) // 16), "µ-law round trip of %d gave %d" % (s, back))
    check(_ulaw_encode(0) == 0xFF, "µ-law of 0 is 0xFF")
    check(is_rtcp(bytes([0x80, 200])) and not is_rtcp(bytes([0x80, 0])), "RTCP told from RTP")

    a, b = RtpRoom(1800).start(), RtpRoom(1000).start()
    a.send_to(("127.0.0.1", b.port))
    b.send_to(("127.0.0.1", a.port))
    time.sleep(0.6)
    a.stop_sending()
    b.stop_sending()
    time.sleep(0.1)
    for me, other, want, unwanted in ((a, b, 1000, 1800), (b, a, 1800, 1000)):
        got = me.received(PCMU)
        check(len(got) >= 20, "%d packets received in 0.6 s" % len(got))
        check(me.sources() == [("127.0.0.1", other.port)], "source %s" % me.sources())
        check(all(p[4] == other.ssrc for p in got), "the sender's SSRC")
        samples = me.audio()
        p_want = goertzel_power(samples, RATE, want)
        p_other = goertzel_power(samples, RATE, unwanted)
        check(p_want > 1e-2 and p_want > 100 * p_other,
              "tone %d Hz: %.2e against %.2e" % (want, p_want, p_other))
    a.close()
    b.close()
    return failures


if __name__ == "__main__":
    fails = _selftest()
    for what in fails:
        print("FAIL:", what)
    print("rtp_room self-test:", "failed" if fails else "passed")
    sys.exit(1 if fails else 0)
