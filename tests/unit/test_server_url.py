"""The one server-address normaliser (``backend/server_url.py``): what the login dialog makes of
what the agent typed, and what a backend accepts."""

from __future__ import annotations

import pytest

from supportdesk_qt.backend.base import ValidationFailed
from supportdesk_qt.backend.server_url import normalize_server_url


@pytest.mark.parametrize(("typed", "url"), [
    ("https://desk.example.com", "https://desk.example.com"),
    ("  https://desk.example.com//  ", "https://desk.example.com"),
    ("http://127.0.0.1:8000/", "http://127.0.0.1:8000"),
    ("https://desk.example.com/support/", "https://desk.example.com/support"),
    ("HTTPS://Desk.Example.com", "HTTPS://Desk.Example.com"),   # kept: the outbox file is named by it
])
def test_an_address_is_stripped_of_spaces_and_trailing_slashes(typed, url):
    assert normalize_server_url(typed) == url
    assert normalize_server_url(typed, assume_scheme=True) == url


@pytest.mark.parametrize(("typed", "url"), [
    ("desk.example.com", "https://desk.example.com"),
    ("desk.example.com:8080/", "https://desk.example.com:8080"),
    ("localhost:8000", "http://localhost:8000"),
    ("127.0.0.1:8000", "http://127.0.0.1:8000"),
    ("[::1]:8000", "http://[::1]:8000"),
    ("127.0.0.10:8000", "https://127.0.0.10:8000"),     # only the loopback names above get http
])
def test_a_typed_bare_host_gets_https_or_http_on_loopback(typed, url):
    assert normalize_server_url(typed, assume_scheme=True) == url


@pytest.mark.parametrize("typed", ["desk.example.com", "127.0.0.1:8000"])
def test_a_backend_never_guesses_the_scheme(typed):
    with pytest.raises(ValidationFailed) as info:
        normalize_server_url(typed)
    assert info.value.code == "bad_server_url"


@pytest.mark.parametrize("typed", ["", "   ", "ftp://desk.example.com", "http://", "https:///x",
                                   "http://desk example.com", "http://desk.example.com:port",
                                   "mailto:someone@example.com",
                                   "https://agent:secret@desk.example.com"])
@pytest.mark.parametrize("assume_scheme", [False, True])
def test_what_is_no_server_address_is_refused_with_a_sentence(typed, assume_scheme):
    with pytest.raises(ValidationFailed) as info:
        normalize_server_url(typed, assume_scheme=assume_scheme)
    assert info.value.code == "bad_server_url"
    assert "https://support.example.com" in info.value.message
