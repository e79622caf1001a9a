"""TOTP (RFC 6238 over RFC 4226 HOTP): HMAC-SHA1, 6 digits, 30-second steps, written with hmac.

``verify()`` returns the matched time step so the caller can store it and refuse that step (and
older ones) next time: a code is good once. One step of clock drift either way is accepted.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
import time
from urllib.parse import quote, urlencode

DIGITS = 6
PERIOD = 30
DRIFT_STEPS = 1


def new_secret() -> str:
    """160 random bits, base32 without padding (what authenticator apps expect)."""
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii").rstrip("=")


def _key(secret: str) -> bytes:
    padded = secret.upper() + "=" * (-len(secret) % 8)
    return base64.b32decode(padded)


def hotp(secret: str, counter: int, digits: int = DIGITS) -> str:
    mac = hmac.new(_key(secret), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10 ** digits).zfill(digits)


def step_at(when: float | None = None) -> int:
    return int((time.time() if when is None else when) // PERIOD)


def code_at(secret: str, when: float | None = None) -> str:
    return hotp(secret, step_at(when))


def verify(secret: str, code: str, *, when: float | None = None) -> int | None:
    """The time step ``code`` belongs to (within the drift window), else None."""
    code = code.replace(" ", "").replace("-", "")
    if len(code) != DIGITS or not code.isdigit():
        return None
    now = step_at(when)
    for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
        if hmac.compare_digest(hotp(secret, step), code):
            return step
    return None


def otpauth_uri(secret: str, account: str, issuer: str = "SupportDesk") -> str:
    label = quote(f"{issuer}:{account}", safe=":@")
    query = urlencode({"secret": secret, "issuer": issuer, "algorithm": "SHA1",
                       "digits": DIGITS, "period": PERIOD})
    return f"otpauth://totp/{label}?{query}"


def new_recovery_codes(count: int) -> list[str]:
    """``xxxx-xxxx-xxxx`` codes (lower-case base32 letters and digits)."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return ["-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(3))
            for _ in range(count)]


def normalize_recovery_code(code: str) -> str:
    return code.strip().lower().replace(" ", "")
