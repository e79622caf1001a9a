"""Server settings: one immutable object built from the command line (see ``__main__``)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from supportdesk_protocol import limits as L

APP_NAME = "supportdesk-server"
DATABASE_URL_ENV = "SUPPORTDESK_DATABASE_URL"


def default_database_url() -> str:
    """``SUPPORTDESK_DATABASE_URL`` if set, else a SQLite file in the user data dir."""
    env = os.environ.get(DATABASE_URL_ENV)
    if env:
        return env
    from platformdirs import user_data_dir

    path = Path(user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return f"sqlite+aiosqlite:///{path / 'supportdesk.sqlite3'}"


@dataclass(frozen=True)
class Settings:
    database_url: str = field(default_factory=default_database_url)
    host: str = "127.0.0.1"
    port: int = 8765
    demo: bool = False
    demo_clients: int = 2000
    simulate_visitors: float = 0.0
    ready_file: str | None = None
    forward_return_seconds: float = L.FORWARD_RETURN_SECONDS
    log_level: str = "info"
    bootstrap_admin: str | None = None          # "login:password", applied on an empty database
    # Event log retention: an event is pruned only when it is BOTH older than
    # ``event_retention_seconds`` AND not among the newest ``event_retention_count``.
    event_retention_seconds: float = 24 * 3600
    event_retention_count: int = 100_000
    prune_interval_seconds: float = 300.0
    # X-Forwarded-For is honoured only from these peers (visitor IP).
    trusted_proxies: tuple[str, ...] = ()
    # Login rate limit: this many failures per (ip, username) within the window -> 429.
    login_max_failures: int = 5
    login_window_seconds: float = 60.0
    # Visitor message rate limit: messages per visitor within the window.
    visitor_max_messages: int = 30
    visitor_window_seconds: float = 10.0
    # New visitors (POST /visitor/session without a known token) per client address per minute.
    visitor_sessions_per_minute: int = 300
    max_body_bytes: int = 1024 * 1024
    token_ttl_seconds: int = L.TOKEN_TTL_SECONDS
    # Web origins (besides the server's own) allowed to use the visitor endpoints and to embed
    # the widget; "*" allows every origin (see supportdesk_server/realtime/origin.py).
    widget_origins: tuple[str, ...] = ()
    # TLS: both set -> the server speaks HTTPS/WSS (uvicorn's ssl_certfile / ssl_keyfile).
    ssl_certfile: str | None = None
    ssl_keyfile: str | None = None


def server_version() -> str:
    """The product's version (installed metadata, else the checkout's pyproject.toml)."""
    from supportdesk_protocol.version import app_version

    return app_version()
