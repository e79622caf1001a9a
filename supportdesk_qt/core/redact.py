"""Keep secrets out of log records (Qt-free).

The HTTP and WebSocket libraries log their traffic at DEBUG (``--log-level debug``): websockets
logs the first bytes of every frame, which for the agent socket's first frame is
``{"op": "auth", "token": "..."}``. ``RedactingFilter`` sits on the desk's log handlers (file and
terminal, see ``supportdesk_qt.app.setup_logging``) and replaces the value of anything that looks
like a token, password or Authorization header before a record is written. Tested by
tests/ui/test_no_secrets.py.
"""

from __future__ import annotations

import logging
import re

REDACTED = "[redacted]"

_KEYS = r"(?:token|visitor_token|access_token|refresh_token|password|new_password|secret)"
# "token": "abc...   'password': 'x'   token=abc   (a value may be cut short by the logger: "...")
_KEY_VALUE = re.compile(r"""(?P<key>["']?""" + _KEYS + r"""["']?\s*[:=]\s*["']?)"""
                        r"""(?P<value>[^"'\s,}&]+)""", re.IGNORECASE)
_BEARER = re.compile(r"(?P<key>\b(?:Bearer|Basic)\s+)(?P<value>[A-Za-z0-9._~+/=-]{6,})")
_AUTH_HEADER = re.compile(r"(?P<key>authorization['\"]?\s*[:=,]\s*['\"]?)(?P<value>[^'\"\n]+)",
                          re.IGNORECASE)


def redact(text: str) -> str:
    for pattern in (_AUTH_HEADER, _BEARER, _KEY_VALUE):
        text = pattern.sub(lambda m: m.group("key") + REDACTED, text)
    return text


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: leave it to the handler's error path
            return True
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True
