"""Where the desk keeps its files: user data, config and logs.

Resolved at call time (not import time) so tests and ``SUPPORTDESK_HOME`` can redirect them:

* ``SUPPORTDESK_HOME`` set: ``$SUPPORTDESK_HOME/data``, ``$SUPPORTDESK_HOME/config``,
  ``$SUPPORTDESK_HOME/logs`` (a portable install, or an isolated test run);
* otherwise the platform's conventions via ``platformdirs`` (app name ``supportdesk``), e.g. on
  Linux ``~/.local/share/supportdesk``, ``~/.config/supportdesk``, ``~/.local/state/supportdesk/log``.

Every function creates its directory (mode 0700 where the OS honours it: chat logs and the embedded
demo database are private) and returns it. Qt-free.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "supportdesk"
HOME_ENV = "SUPPORTDESK_HOME"


def home() -> Path | None:
    """The ``SUPPORTDESK_HOME`` override, or None."""
    value = os.environ.get(HOME_ENV, "").strip()
    return Path(value).expanduser() if value else None


def _ensure(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def data_dir() -> Path:
    """Databases, the outbox, the embedded demo server's SQLite file."""
    base = home()
    return _ensure(base / "data" if base else
                   Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)))


def config_dir() -> Path:
    """``settings.json`` (preferences) and ``state.json`` (window state). Never secrets."""
    base = home()
    return _ensure(base / "config" if base else
                   Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)))


def log_dir() -> Path:
    """The rotating client log and the embedded server's log."""
    base = home()
    return _ensure(base / "logs" if base else
                   Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)))
