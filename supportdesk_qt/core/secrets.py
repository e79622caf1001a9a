"""Session tokens in the OS keyring (Qt-free).

The only place a secret is kept on disk is the operating system's keyring (Secret Service /
KWallet, macOS Keychain, Windows Credential Locker) via the ``keyring`` package: service
``SupportDesk``, entry ``"<server_url>|<username>"``. Never settings, never logs.

OS keyrings can block (a D-Bus prompt to unlock the wallet), so every call runs in a worker thread
(``asyncio.to_thread``) and the GUI loop never waits on it. Any keyring failure (no backend, locked
wallet, D-Bus down) is logged without the secret and degrades gracefully: ``get_token`` answers
None and ``set_token`` answers False, so "remember me" simply does not persist.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

log = logging.getLogger("supportdesk.secrets")

SERVICE = "SupportDesk"


def secret_key(server_url: str, username: str) -> str:
    return f"{server_url.strip().rstrip('/')}|{username}"


class SecretStore:
    """Async get/set/delete of the bearer token per (server, username)."""

    def __init__(self, service: str = SERVICE, *, backend: Any = None) -> None:
        self.service = service
        self._backend = backend   # a keyring backend for tests; None = keyring's default choice
        self.available = True     # False after a failure that says there is no usable keyring

    def _keyring(self) -> Any:
        if self._backend is not None:
            return self._backend
        import keyring

        return keyring.get_keyring()

    def _fail(self, what: str, key: str, exc: BaseException) -> None:
        from keyring.errors import NoKeyringError

        if isinstance(exc, NoKeyringError):
            self.available = False
        # the message of a keyring error never contains the secret; the key is not secret
        log.warning("keyring %s for %s failed (%s: %s); the session will not be remembered",
                    what, key, type(exc).__name__, exc)

    async def get_token(self, server_url: str, username: str) -> str | None:
        key = secret_key(server_url, username)

        def work() -> str | None:
            return self._keyring().get_password(self.service, key)

        try:
            return await asyncio.to_thread(work)
        except Exception as exc:
            self._fail("read", key, exc)
            return None

    async def set_token(self, server_url: str, username: str, token: str) -> bool:
        key = secret_key(server_url, username)

        def work() -> None:
            self._keyring().set_password(self.service, key, token)

        try:
            await asyncio.to_thread(work)
            return True
        except Exception as exc:
            self._fail("write", key, exc)
            return False

    async def delete_token(self, server_url: str, username: str) -> bool:
        """Forget the token. True when one was deleted; False when there was none or it failed."""
        key = secret_key(server_url, username)

        def work() -> bool:
            from keyring.errors import PasswordDeleteError

            try:
                self._keyring().delete_password(self.service, key)
            except PasswordDeleteError:
                return False
            return True

        try:
            return await asyncio.to_thread(work)
        except Exception as exc:
            self._fail("delete", key, exc)
            return False
