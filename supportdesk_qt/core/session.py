"""The signed-in session: which server, which agent, which backend (Qt-free).

``Session`` owns at most one :class:`Backend` at a time and, in demo mode, the
:class:`EmbeddedServer`. It does not open the event stream: the UI bridge starts consuming
``session.backend.items()`` and then calls ``await session.backend.start_events()``, so no item is
produced before somebody listens (items are queued anyway, nothing is lost).

Typical start-up::

    session = Session(Preferences.load(), SecretStore())
    agent = await session.restore()              # remembered server + keyring token, or None
    if agent is None and not session.settings.server_url:
        agent = await session.start_embedded(EmbeddedServer(paths.data_dir()))
    elif agent is None:
        ... show the login dialog -> await session.login(url, user, password, remember)
    ...
    await session.close()                        # on quit: backend and embedded server
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from supportdesk_protocol.schemas import Agent
from supportdesk_qt.backend.base import AuthError, Backend, BackendError, ValidationFailed
from supportdesk_qt.backend.http import HttpBackend
from supportdesk_qt.core.embedded import EmbeddedServer
from supportdesk_qt.core.secrets import SecretStore
from supportdesk_qt.core.settings import Preferences
from supportdesk_qt.core.workspace import Spawn, Workspace

log = logging.getLogger("supportdesk.session")

BackendFactory = Callable[[str], Backend]


def tls_backend_factory(ca_file: Callable[[], str]) -> BackendFactory:
    """``HttpBackend`` that verifies the server's certificate against the system CAs, or against
    ``ca_file()`` (only) when set. There is no way to turn verification off. A CA file that cannot be
    read is a ``ValidationFailed`` with a sentence saying so (shown in the login dialog)."""
    def make(server_url: str) -> Backend:
        path = (ca_file() or "").strip()
        if not path:
            return HttpBackend(server_url)
        try:
            return HttpBackend(server_url, verify=path)
        except (OSError, ValueError) as exc:   # ssl.SSLError is an OSError
            reason = getattr(exc, "strerror", None) or getattr(exc, "reason", None) or str(exc)
            raise ValidationFailed(
                f"The CA certificate file {path} cannot be used: {reason}.",
                code="bad_ca_file") from exc
    return make


class Session:
    def __init__(self, settings: Preferences, secrets: SecretStore,
                 backend_factory: BackendFactory | None = None) -> None:
        self.settings = settings
        self.secrets = secrets
        # ``ca_file`` (``--ca-file``) overrides the ``ca_file`` preference for this run.
        self.ca_file = ""
        self.backend_factory = backend_factory or tls_backend_factory(
            lambda: self.ca_file or self.settings.ca_file)
        self.backend: Backend | None = None
        self.agent: Agent | None = None
        self.server_url = ""
        self.username = ""
        self.embedded: EmbeddedServer | None = None
        #: the signed-in agent's working state (:meth:`open_workspace`); closed with the backend
        self.workspace: Workspace | None = None

    @property
    def is_embedded(self) -> bool:
        """Signed in to the embedded demo server (not a configured one)."""
        return self.embedded is not None and self.backend is not None \
            and self.server_url == self.embedded.url

    def open_workspace(self, *, server_label: str = "", drafts_dir: Path | None = None,
                       spawn: Spawn | None = None) -> Workspace:
        """The working state of the agent now signed in (its outbox, drafts, caches, rules),
        started: it resends what the outbox kept. The session owns it and closes it when the
        backend goes (logout, another sign-in, quit)."""
        assert self.backend is not None and self.agent is not None, "sign in first"
        if self.workspace is not None and self.workspace.backend is self.backend:
            return self.workspace
        self.workspace = Workspace(self.backend, self.agent, server_url=self.server_url,
                                   server_label=server_label, drafts_dir=drafts_dir, spawn=spawn)
        self.workspace.start()
        return self.workspace

    async def _drop_backend(self) -> None:
        workspace, self.workspace = self.workspace, None
        if workspace is not None:        # outbox rows stay pending in the file for next time
            await workspace.close()
        backend, self.backend = self.backend, None
        self.agent = None
        if backend is not None:
            await backend.close()

    async def _sign_in(self, server_url: str, username: str, password: str) -> tuple[Backend, str]:
        """A new backend signed in with a password; closed again if anything fails."""
        await self._drop_backend()
        backend = self.backend_factory(server_url)  # raises ValidationFailed for a bad URL
        try:
            response = await backend.login(username, password)
        except BaseException:
            await backend.close()
            raise
        self.backend = backend
        self.agent = response.agent
        self.server_url = getattr(backend, "server_url", server_url)
        self.username = username
        return backend, response.token

    async def login(self, server_url: str, username: str, password: str,
                    remember: bool) -> Agent:
        """Sign in with a password. Saves server and username in the preferences; the token goes
        to the keyring when ``remember`` (and any old remembered token is removed otherwise).
        Raises the BackendError (AuthError for wrong credentials, NetworkError...) on failure."""
        _, token = await self._sign_in(server_url, username, password)
        with self.settings.batch():
            self.settings.server_url = self.server_url
            self.settings.username = username
            self.settings.remember_me = bool(remember)
        if remember:
            if not await self.secrets.set_token(self.server_url, username, token):
                log.warning("the session could not be stored in the keyring; it will not be "
                            "remembered")
        else:
            await self.secrets.delete_token(self.server_url, username)
        assert self.agent is not None
        return self.agent

    async def restore(self) -> Agent | None:
        """Sign in again with the remembered token, without asking.

        None when there is nothing to restore (no server configured: the embedded demo is the
        caller's choice; "remember me" off; no token in the keyring) or the token was rejected
        (it is then deleted from the keyring). A NetworkError is raised as is: the token is kept,
        the caller can offer to retry or show the login dialog.
        """
        url, username = self.settings.server_url, self.settings.username
        if not url or not username or not self.settings.remember_me:
            return None
        token = await self.secrets.get_token(url, username)
        if not token:
            return None
        await self._drop_backend()
        backend = self.backend_factory(url)
        try:
            agent = await backend.use_token(token)
        except AuthError:
            log.info("the remembered session for %s at %s is no longer valid; forgetting it",
                     username, url)
            await backend.close()
            await self.secrets.delete_token(url, username)
            return None
        except BaseException:
            await backend.close()
            raise
        self.backend = backend
        self.agent = agent
        self.server_url = getattr(backend, "server_url", url)
        self.username = username
        return agent

    async def start_embedded(self, embedded: EmbeddedServer) -> Agent:
        """Start the embedded demo server and sign in as the demo agent without asking. Nothing is
        remembered (the preferences keep ``server_url == ""``, which means "demo")."""
        if self.embedded is not None and self.embedded is not embedded:
            await self.embedded.stop()
        self.embedded = embedded
        url = await embedded.start()
        username, password = embedded.credentials
        await self._sign_in(url, username, password)
        assert self.agent is not None
        return self.agent

    async def logout(self) -> None:
        """Revoke the token on the server, forget it in the keyring, close the backend. Local
        sign-out happens even when the server cannot be reached."""
        backend = self.backend
        if backend is not None:
            try:
                await backend.logout()
            except BackendError as exc:
                log.warning("could not revoke the session on the server: %s", exc.message)
        if self.server_url and self.username and not self.is_embedded:
            await self.secrets.delete_token(self.server_url, self.username)
        await self._drop_backend()

    async def reconnect_now(self, reason: str = "") -> bool:
        """The network came back or the machine woke up (``core/reconnect.py``): skip the event
        stream's backoff wait and drop a socket that may have died meanwhile (resume makes that
        safe). A no-op without a backend, or for a backend that cannot do it. Returns whether a
        reconnect was asked for."""
        backend = self.backend
        reconnect = getattr(backend, "reconnect_now", None)
        if backend is None or reconnect is None or getattr(backend, "closed", False):
            return False
        log.info("reconnecting at once (%s)", reason or "asked")
        await reconnect(drop_current=True)
        return True

    async def close(self) -> None:
        """On quit: close the backend (the token stays remembered) and stop the embedded server.
        Idempotent."""
        await self._drop_backend()
        embedded, self.embedded = self.embedded, None
        if embedded is not None:
            await embedded.stop()
