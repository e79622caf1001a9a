#!/usr/bin/env python3
"""Generate the alert sounds in resources/sounds/ (run once; the WAVs are committed).

    python3 scripts/make_sounds.py

Short, soft sine tones with an exponential decay and a few milliseconds of fade-in (no click at the
start), 22 050 Hz, 16-bit mono PCM: the format QSoundEffect plays everywhere. Each file is a few KB.
Deterministic: running it again gives byte-identical files.
"""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

RATE = 22_050
OUT = Path(__file__).resolve().parent.parent / "resources" / "sounds"

# name -> list of (start seconds, frequency Hz, duration seconds, amplitude 0..1)
SOUNDS = {
    # two rising notes (E5, A5): "someone is waiting"
    "chime": [(0.00, 659.25, 0.22, 0.45), (0.14, 880.00, 0.30, 0.40)],
    # a rounder tone with an octave overtone: forwarded to me
    "bell": [(0.00, 523.25, 0.40, 0.40), (0.00, 1046.50, 0.25, 0.12)],
    # one short high note: a new message
    "ping": [(0.00, 1174.66, 0.16, 0.35)],
}


def render(notes: list[tuple[float, float, float, float]]) -> bytes:
    length = max(start + dur for start, _f, dur, _a in notes)
    n = int(length * RATE) + 1
    samples = [0.0] * n
    for start, freq, dur, amp in notes:
        first = int(start * RATE)
        count = int(dur * RATE)
        for i in range(count):
            t = i / RATE
            attack = min(1.0, t / 0.006)
            decay = math.exp(-5.0 * t / dur)
            tail = min(1.0, (count - i) / (0.01 * RATE))  # end at zero: no click
            samples[first + i] += amp * attack * decay * tail * math.sin(2 * math.pi * freq * t)
    peak = max(1.0, max(abs(s) for s in samples))
    return b"".join(struct.pack("<h", int(32767 * 0.9 * s / peak)) for s in samples)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, notes in SOUNDS.items():
        path = OUT / f"{name}.wav"
        with wave.open(str(path), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(RATE)
            w.writeframes(render(notes))
        print(f"{path.relative_to(OUT.parent.parent.parent)}: {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
