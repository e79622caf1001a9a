"""The one form of a server address: what the login dialog makes of what the agent typed, what
``HttpBackend`` accepts, what the settings store and the outbox's file name is derived from.

``normalize_server_url`` strips spaces and trailing slashes and refuses anything that is not an
http(s) URL with a host (and no user name in it), with a sentence that shows what one looks like. What the agent types may leave the scheme out (``desk.example.com:8080``):
``assume_scheme`` adds ``https://``, or ``http://`` for a loopback host (the embedded demo and a
server on the same machine). Nothing else is rewritten (not the case of the host either): the
outbox's and the drafts' file names are derived from the address, and an address stored before
must keep finding them. A backend is given an address, never a guess, so it asks without
``assume_scheme`` and a bare host is refused there.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from supportdesk_qt.backend.base import ValidationFailed

SCHEMES = ("http", "https")
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


def normalize_server_url(text: str, *, assume_scheme: bool = False) -> str:
    """``text`` as a canonical server address, or :class:`ValidationFailed` (code
    ``bad_server_url``) when it is none."""
    url = (text or "").strip()
    if assume_scheme and url and "://" not in url:
        url = f"{_default_scheme(url)}://{url}"
    url = url.rstrip("/")
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        parts.port                              # a port that is not a number raises here
    except ValueError:
        host = ""
    if not host or parts.scheme.lower() not in SCHEMES or "@" in parts.netloc \
            or any(ch.isspace() for ch in url):
        raise ValidationFailed(
            f"The server address {text!r} is not valid; it must look like "
            f"https://support.example.com or http://127.0.0.1:8000.", code="bad_server_url")
    return url


def _default_scheme(url: str) -> str:
    host = urlsplit(f"//{url}").hostname or ""
    return "http" if host in LOOPBACK_HOSTS else "https"
