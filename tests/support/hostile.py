"""Hostile text: what a visitor or a client may type, paste or send, to be shown as plain text
everywhere and never crash anything. Used by tests/server/test_hostile_input.py (the server stores
and returns it unchanged, refuses what is too big or not text) and tests/ui/test_hostile_text.py
(the desk shows it as plain text).

Also a minimal raw WebSocket client (``raw_ws_text_frame``) that can send what a well-behaved
library refuses to: a text frame whose payload is not UTF-8.
"""

from __future__ import annotations

import base64
import os
import socket
import struct
from urllib.parse import urlsplit

RLO = "\u202e"        # RIGHT-TO-LEFT OVERRIDE
ZWSP = "\u200b"       # ZERO WIDTH SPACE
ZWJ = "\u200d"        # ZERO WIDTH JOINER
BOM = "\ufeff"

# name -> text; every text fits the smallest field limit (200 characters, MAX_NAME)
CORPUS: dict[str, str] = {
    "script": "<script>alert('x')</script>",
    "img_onerror": '<img src=x onerror="alert(1)">',
    "html_bold": "<b>bold</b> <i>it</i> &amp; &lt;tag&gt;",
    "qt_font": '<font color="red" size="7">RED</font>',
    "qt_anchor": '<a href="file:///etc/passwd">click me</a>',
    "qt_doc": "<qt><h1>Title</h1><table><tr><td>cell</td></tr></table></qt>",
    "qt_img": '<img src=":/icons/app.png" width=2000 height=2000>',
    "html_entities": "&#60;b&#62;not bold&#60;/b&#62; &nbsp;&copy;",
    "style": "<style>*{display:none}</style>visible?",
    "rtl_override": f"invoice{RLO}fdp.exe",
    "zero_width": f"ad{ZWSP}min{ZWJ} {BOM}x\u2060y\u200c",
    "emoji": "hi 👋 🇩🇪 1️⃣",
    "emoji_zwj": "👩\u200d💻 👨\u200d👩\u200d👧\u200d👦 🏳️\u200d🌈",
    "combining": "Z\u0351\u0352\u0353a\u0354\u0355\u0356l\u0357\u0358g\u0359o\u035a",
    "cjk_arabic": "你好 مرحبا שלום",
    "newlines_tabs": "line1\nline2\r\n\tindented\u2028sep\u2029para",
    "control": "bell\x07 esc\x1b[31mred\x1b[0m del\x7f",
    "sql": "'; DROP TABLE chats; --",
    "format": "%s %n {0} {name} ${HOME} %(x)s",
    "markdown": "**bold** [link](javascript:alert(1)) `code`",
    "long_word": "W" * 200,
}

# 1 MiB of text: over every field limit, over the 64 KiB frame limit and the 1 MiB body limit
ONE_MB = "A" * (1024 * 1024)

# not UTF-8: a lone continuation byte, an overlong encoding, a surrogate half encoded, 0xff
INVALID_UTF8 = [b"\x80", b"\xc0\xaf", b"\xed\xa0\x80", b"caf\xe9", b"\xff\xfe"]


def shortened(text: str, limit: int) -> str:
    return text[:limit]


def raw_ws_text_frame(ws_url: str, first_frame: bytes, payload: bytes,
                      *, timeout: float = 10.0) -> tuple[int | None, bytes]:
    """Open ``ws_url`` by hand, send ``first_frame`` (a valid text frame, e.g. the hello), then a
    text frame whose payload is ``payload`` (possibly not UTF-8). Returns (close code or None,
    everything received after the handshake). A conforming server fails the connection with
    1007 (invalid frame payload data)."""
    parts = urlsplit(ws_url)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=timeout)
    try:
        key = base64.b64encode(os.urandom(16)).decode()
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        sock.sendall((f"GET {path} HTTP/1.1\r\nHost: {parts.hostname}:{parts.port}\r\n"
                      "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                      f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = sock.recv(4096)
            if not chunk:
                raise ConnectionError(f"handshake failed: {head!r}")
            head += chunk
        status_line = head.split(b"\r\n", 1)[0]
        if b" 101 " not in status_line:
            raise ConnectionError(f"handshake refused: {status_line!r}")
        rest = head.split(b"\r\n\r\n", 1)[1]
        sock.sendall(_frame(0x1, first_frame) + _frame(0x1, payload))
        data = rest
        code = None
        while True:
            try:
                chunk = sock.recv(65536)
            except (socket.timeout, ConnectionResetError):
                break
            if not chunk:
                break
            data += chunk
            code = _close_code(data)
            if code is not None:
                break
        return code, data
    finally:
        sock.close()


def _frame(opcode: int, payload: bytes) -> bytes:
    mask = os.urandom(4)
    n = len(payload)
    if n < 126:
        header = struct.pack("!BB", 0x80 | opcode, 0x80 | n)
    elif n < 65536:
        header = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, n)
    else:
        header = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, n)
    masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    return header + mask + masked


def _close_code(data: bytes) -> int | None:
    """Walk the (unmasked) server frames in ``data``; the close code of a close frame, if any."""
    i = 0
    while i + 2 <= len(data):
        opcode = data[i] & 0x0F
        n = data[i + 1] & 0x7F
        j = i + 2
        if n == 126:
            if j + 2 > len(data):
                return None
            n = struct.unpack("!H", data[j:j + 2])[0]
            j += 2
        elif n == 127:
            if j + 8 > len(data):
                return None
            n = struct.unpack("!Q", data[j:j + 8])[0]
            j += 8
        if j + n > len(data):
            return None
        if opcode == 0x8:
            return struct.unpack("!H", data[j:j + 2])[0] if n >= 2 else 1005
        i = j + n
    return None
