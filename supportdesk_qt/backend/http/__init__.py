"""The backend over our own protocol (docs/protocol.md): :class:`HttpBackend`, and the factory
``app.py`` gives the session. One module per concern: ``transport`` and ``errors`` (HTTP,
request log, sentences), ``stream`` (the event stream with heartbeat and resume), ``chats``,
``clients``, ``tickets`` (the REST endpoints), ``backend`` (the session, the whole).

``core/`` never imports this package (``tests/unit/test_core_imports.py``): it gets a
``BackendFactory`` from ``app.py``.
"""

from supportdesk_qt.backend.http.backend import HttpBackend, tls_backend_factory
from supportdesk_qt.backend.http.errors import error_from_response
from supportdesk_qt.backend.http.stream import Backoff

__all__ = ["Backoff", "HttpBackend", "error_from_response", "tls_backend_factory"]
