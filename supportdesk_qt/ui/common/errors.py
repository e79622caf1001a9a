"""The desk's one table of error sentences: every ``code`` the server can answer (docs/protocol.md,
"Errors"), and the desk's own codes, as a translated sentence that says what happened and what to
do.

The backend is Qt-free and writes English (``backend/http/errors.py``); :func:`install` makes
every :attr:`BackendError.message` read :func:`localized` first, so each place that shows an
error shows it in the desk's language without knowing about this table. In English, the source
language, the backend's own sentence is kept (it is often more precise: "Chat not found."); in
another language the table's sentence replaces it, and for a code the desk does not know the
server's English sentence is the fallback. ``tests/unit/test_error_table.py`` checks that every
code the server defines has an entry.
"""

from __future__ import annotations

from supportdesk_qt.backend import base
from supportdesk_qt.backend.base import BackendError, RateLimited
from supportdesk_qt.qt import QLocale, translate


def sentences() -> dict[str, str]:
    """code -> the translated sentence (a function: tr() runs with the translator installed now)."""
    return {
        # the server's codes (supportdesk_server: errors.py, store/db.py, realtime/)
        "bad_request": translate("ServerError", "The server could not understand the request. "
                                 "Update SupportDesk if this keeps happening."),
        "unauthorized": translate("ServerError", "Your session is no longer valid; please sign "
                                  "in again."),
        "forbidden": translate("ServerError", "You are not allowed to do that: your "
                               "departments or role do not permit it."),
        "origin_not_allowed": translate("ServerError", "The server does not accept requests "
                                        "from this site."),
        "not_found": translate("ServerError", "That item does not exist or is not visible to "
                               "you."),
        "method_not_allowed": translate("ServerError", "The server does not support this "
                                        "request; update SupportDesk."),
        "unsupported_media_type": translate("ServerError", "The server does not support this "
                                            "request; update SupportDesk."),
        "already_taken": translate("ServerError", "A colleague has already taken this chat."),
        "chat_already_open": translate("ServerError", "This visitor already has an open chat; "
                                       "the message went into it."),
        "conflict": translate("ServerError", "That cannot be done in the item's current state; "
                              "reload it and try again."),
        "version_conflict": translate("ServerError", "A colleague changed this meanwhile; "
                                      "reload it and make your change again."),
        "payload_too_large": translate("ServerError", "That is too large to send."),
        "validation_error": translate("ServerError", "The server did not accept the data; "
                                      "check the fields and try again."),
        "rate_limited": translate("ServerError", "Too many attempts; please wait a moment and "
                                  "try again."),
        "database_busy": translate("ServerError", "The server's database is busy; nothing was "
                                   "saved. Try again in a moment."),
        "database_unavailable": translate("ServerError", "The server cannot read or write its "
                                          "database; nothing was saved. Tell your "
                                          "administrator."),
        "insufficient_storage": translate("ServerError", "The server's disk is full; nothing "
                                          "was saved. Tell your administrator."),
        "internal_error": translate("ServerError", "The server failed to handle the request; "
                                    "try again, and tell your administrator if it keeps "
                                    "happening."),
        "error": translate("ServerError", "The request failed; try again."),
        # the desk's own codes (backend/)
        "server_error": translate("ServerError", "The server failed to handle the request; try "
                                  "again, and tell your administrator if it keeps happening."),
        "network": translate("ServerError", "Cannot reach the server; check the network "
                             "connection. SupportDesk keeps trying."),
        "closed": translate("ServerError", "The connection to the server was closed."),
        "bad_response": translate("ServerError", "The server's answer could not be read: is "
                                  "the server address right and the server up to date?"),
        "unsupported": translate("ServerError", "This server does not offer that."),
        "bad_server_url": translate("ServerError", "The server address is not valid; it must "
                                    "look like https://support.example.com or "
                                    "http://127.0.0.1:8000."),
        # administration and account security (docs/administration.md)
        "totp_required": translate("ServerError", "Enter the code of your authenticator app."),
        "totp_invalid": translate("ServerError", "The code is wrong; enter the current one."),
        "totp_replayed": translate("ServerError", "That code was already used; wait for the "
                                                  "next one."),
        "wrong_password": translate("ServerError", "The current password is wrong."),
        "weak_password": translate("ServerError", "The password is too weak."),
        "invitation_invalid": translate("ServerError", "This invitation is unknown, used or "
                                                       "expired."),
        "unknown_department": translate("ServerError", "That department does not exist."),
        "bad_ca_file": translate("ServerError", "The CA certificate file cannot be used; check "
                                 "the ca_file setting or the --ca-file option."),
    }


def wrong_credentials() -> str:
    return translate("ServerError", "Wrong username or password.")


def localized(error: BackendError) -> str | None:
    """``error`` in the desk's language, or None to keep its English sentence (English is the
    source language, or the code is unknown)."""
    from supportdesk_qt.backend.http.errors import WRONG_CREDENTIALS
    from supportdesk_qt.i18n import SOURCE_LANGUAGE, translations
    if translations().language == SOURCE_LANGUAGE:
        return None
    if error.code == "unauthorized" and error.english == WRONG_CREDENTIALS:
        return wrong_credentials()
    if isinstance(error, RateLimited) and error.retry_after is not None:
        return translate("ServerError", "Too many attempts; try again in %1 s.").replace(
            "%1", QLocale().toString(max(1, round(error.retry_after))))
    return sentences().get(error.code)


def install() -> None:
    """Have every ``BackendError.message`` go through :func:`localized` (the app calls this)."""
    base.set_error_localizer(localized)
