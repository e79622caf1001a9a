"""SecretStore over the in-memory keyring, and graceful degradation when the keyring fails."""

from __future__ import annotations

import logging

import keyring.errors

from supportdesk_qt.core.secrets import SERVICE, SecretStore, secret_key
from tests.support.memkeyring import MemoryKeyring


async def test_round_trip_with_the_configured_test_keyring():
    store = SecretStore()
    url, user = "http://127.0.0.1:9|round-trip", "ann"
    assert await store.get_token(url, user) is None
    assert await store.set_token(url + "/", user, "tok-1")       # trailing slash: same entry
    assert await store.get_token(url, user) == "tok-1"
    assert MemoryKeyring._store[(SERVICE, secret_key(url, user))] == "tok-1"
    assert await store.get_token(url, "bob") is None             # per user
    assert await store.delete_token(url, user) is True
    assert await store.delete_token(url, user) is False          # nothing left: not an error
    assert await store.get_token(url, user) is None


def test_key_format():
    assert secret_key("https://s.example.com/", "ann") == "https://s.example.com|ann"


class BrokenKeyring(MemoryKeyring):
    def get_password(self, service, username):
        raise keyring.errors.KeyringLocked("the wallet is locked")

    def set_password(self, service, username, password):
        raise keyring.errors.PasswordSetError("no D-Bus")

    def delete_password(self, service, username):
        raise RuntimeError("dbus exploded")


async def test_keyring_failures_degrade_and_never_log_the_secret(caplog):
    store = SecretStore(backend=BrokenKeyring())
    with caplog.at_level(logging.WARNING, logger="supportdesk.secrets"):
        assert await store.set_token("https://s.example.com", "ann", "SUPER-SECRET-TOKEN") is False
        assert await store.get_token("https://s.example.com", "ann") is None
        assert await store.delete_token("https://s.example.com", "ann") is False
    assert "SUPER-SECRET-TOKEN" not in caplog.text
    assert "https://s.example.com|ann" in caplog.text
    assert len(caplog.records) == 3


async def test_no_keyring_marks_the_store_unavailable():
    class NoKeyring(MemoryKeyring):
        def get_password(self, service, username):
            raise keyring.errors.NoKeyringError("no backend")

    store = SecretStore(backend=NoKeyring())
    assert await store.get_token("https://s.example.com", "ann") is None
    assert store.available is False
