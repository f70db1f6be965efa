# SPDX-License-Identifier: GPL-3.0-or-later
"""Tone WAVs, WAV reading, a Goertzel detector and JSON event lines: what the
call and chat tests (test-call, test-call-robustness, test-baresip,
test-chat) share, with waiting for `confab-cli listen` to be ready."""

import json
import math
import struct
import time
import wave


def write_tone(path, freq, seconds=8.0, rate=48000, amplitude=0.5):
    """A mono 16-bit sine of whole seconds (integer `freq`: whole periods,
    so one second repeats cleanly)."""
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        one = [int(amplitude * 32767 * math.sin(2 * math.pi * freq * i / rate))
               for i in range(rate)]
        w.writeframes(struct.pack("<%dh" % rate, *one) * int(math.ceil(seconds)))


def read_wav(path):
    """(rate, samples of the first channel) of a 16-bit WAV."""
    with wave.open(path, "rb") as w:
        rate, channels, width = w.getframerate(), w.getnchannels(), w.getsampwidth()
        raw = w.readframes(w.getnframes())
    if width != 2:
        raise ValueError("expected 16-bit samples, got %d bytes" % width)
    return rate, struct.unpack("<%dh" % (len(raw) // 2), raw)[::channels]


def goertzel_power(samples, rate, freq):
    """Relative power of `freq` in the samples (normalised per sample)."""
    if not samples:
        return 0.0
    k = 2 * math.cos(2 * math.pi * freq / rate)
    s1 = s2 = 0.0
    for x in samples:
        s0 = x + k * s1 - s2
        s2, s1 = s1, s0
    return (s1 * s1 + s2 * s2 - k * s1 * s2) / (len(samples) ** 2) / (32767.0 ** 2)


def events(text):
    """The JSON objects among confab-cli's output lines."""
    out = []
    for line in text.splitlines():
        try:
            out.append(json.loads(line))
        except ValueError:
            pass
    return out


def wait_listening(proc, timeout=15):
    """Reads confab-cli listen output up to its "listening" event; returns
    (event, lines read) or (None, lines) on timeout or exit."""
    deadline = time.time() + timeout
    lines = []
    while time.time() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line)
        try:
            ev = json.loads(line)
        except ValueError:
            continue
        if ev.get("event") == "listening":
            return ev, lines
    return None, lines
