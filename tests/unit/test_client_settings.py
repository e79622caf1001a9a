"""Settings: schema, persistence, fallbacks, callbacks, and that no secret can be declared."""

from __future__ import annotations

import json
import logging

import pytest

from supportdesk_qt.core import paths
from supportdesk_qt.core.settings import Option, Preferences, Store, WindowState


def test_defaults_without_a_file(tmp_path):
    prefs = Preferences.load(tmp_path / "settings.json")
    assert prefs.server_url == ""
    assert prefs.username == ""
    assert prefs.remember_me is True
    assert prefs.close_to_tray is True
    assert prefs.start_minimised is False
    assert prefs.notify_new_chat_tray is True
    assert prefs.notify_new_chat_sound is True
    assert prefs.new_chat_sound_repeat_seconds == 30
    assert prefs.theme == "system"
    assert prefs.language == "system"
    assert not (tmp_path / "settings.json").exists()  # reading never writes


def test_default_location_is_the_config_dir(tmp_path):
    prefs = Preferences.load()
    assert prefs.path == paths.config_dir() / "settings.json"
    assert WindowState.load().path == paths.config_dir() / "state.json"
    assert str(prefs.path).startswith(str(tmp_path))  # the conftest isolates SUPPORTDESK_HOME


def test_values_persist_as_json(tmp_path):
    path = tmp_path / "settings.json"
    prefs = Preferences.load(path)
    prefs.server_url = "https://support.example.com"
    prefs.remember_me = False
    prefs.new_chat_sound_repeat_seconds = 45
    assert prefs.flush()                              # written on the writer thread
    data = json.loads(path.read_text())
    assert data == {"server_url": "https://support.example.com", "remember_me": False,
                    "new_chat_sound_repeat_seconds": 45}
    again = Preferences.load(path)
    assert again.server_url == "https://support.example.com"
    assert again.remember_me is False
    assert again.new_chat_sound_repeat_seconds == 45
    assert again.theme == "system"


def test_atomic_write_leaves_no_temp_files(tmp_path):
    prefs = Preferences.load(tmp_path / "settings.json")
    for i in range(5):
        prefs.username = f"user{i}"
    assert prefs.flush()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["settings.json"]


def test_invalid_values_fall_back_to_defaults_with_a_warning(tmp_path, caplog):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({
        "remember_me": "yes",                      # wrong type
        "new_chat_sound_repeat_seconds": True,     # bool is not an int here
        "theme": "purple",                         # not a choice
        "language": "../../etc",                   # fails its validator
        "username": "ann",                         # fine
        "from_the_future": {"x": 1},               # unknown: kept, ignored
    }))
    with caplog.at_level(logging.WARNING, logger="supportdesk.settings"):
        prefs = Preferences.load(path)
    assert prefs.remember_me is True
    assert prefs.new_chat_sound_repeat_seconds == 30
    assert prefs.theme == "system"
    assert prefs.language == "system"
    assert prefs.username == "ann"
    text = caplog.text
    for name in ("remember_me", "new_chat_sound_repeat_seconds", "theme", "language",
                 "from_the_future"):
        assert name in text
    prefs.theme = "dark"
    assert prefs.flush()
    saved = json.loads(path.read_text())
    assert saved["from_the_future"] == {"x": 1}     # a newer version's setting survives
    assert saved["theme"] == "dark"
    assert "remember_me" not in saved                 # the bad value was dropped


def test_corrupt_file_is_moved_aside(tmp_path, caplog):
    path = tmp_path / "settings.json"
    path.write_text("{not json")
    with caplog.at_level(logging.WARNING, logger="supportdesk.settings"):
        prefs = Preferences.load(path)
    assert prefs.username == ""
    assert (tmp_path / "settings.json.corrupt").read_text() == "{not json"
    assert "settings.json" in caplog.text
    prefs.username = "bob"
    assert prefs.flush()
    assert json.loads(path.read_text()) == {"username": "bob"}


def test_setting_an_invalid_value_raises_and_changes_nothing(tmp_path):
    prefs = Preferences.load(tmp_path / "settings.json")
    with pytest.raises(ValueError):
        prefs.theme = "neon"
    with pytest.raises(ValueError):
        prefs.remember_me = 1
    with pytest.raises(ValueError):
        prefs.new_chat_sound_repeat_seconds = -5
    with pytest.raises(KeyError):
        prefs.set("no_such_option", 1)
    assert prefs.theme == "system"
    assert not (tmp_path / "settings.json").exists()


def test_change_callbacks(tmp_path):
    prefs = Preferences.load(tmp_path / "settings.json")
    every, theme_only = [], []
    unsubscribe = prefs.on_change(lambda n, v: every.append((n, v)))
    prefs.on_change(lambda n, v: theme_only.append(v), "theme")
    prefs.theme = "dark"
    prefs.theme = "dark"          # no change, no callback
    prefs.username = "ann"
    prefs.reset("theme")
    assert every == [("theme", "dark"), ("username", "ann"), ("theme", "system")]
    assert theme_only == ["dark", "system"]
    unsubscribe()
    prefs.username = "bob"
    assert every[-1] == ("theme", "system")
    with pytest.raises(KeyError):
        prefs.on_change(lambda n, v: None, "themes")   # a typo is an error, not silence


def test_a_failing_callback_does_not_break_the_others(tmp_path, caplog):
    prefs = Preferences.load(tmp_path / "settings.json")
    seen = []

    def boom(name, value):
        raise RuntimeError("boom")

    prefs.on_change(boom)
    prefs.on_change(lambda n, v: seen.append(v))
    with caplog.at_level(logging.ERROR, logger="supportdesk.settings"):
        prefs.username = "ann"
    assert seen == ["ann"]
    assert "boom" in caplog.text


def test_batch_writes_once(tmp_path, monkeypatch):
    prefs = Preferences.load(tmp_path / "settings.json")
    writes = []
    original = Store.save

    def counting_save(self):
        if not self._batch_depth:
            writes.append(1)
        original(self)

    monkeypatch.setattr(Store, "save", counting_save)
    prefs.update(server_url="http://127.0.0.1:1", username="ann", remember_me=False)
    assert len(writes) == 1
    assert Preferences.load(prefs.path).username == "ann"


def test_window_state_is_a_separate_file(tmp_path):
    prefs = Preferences.load(tmp_path / "settings.json")
    state = WindowState.load(tmp_path / "state.json")
    state.main_window_geometry = "AdnQywADAAA="
    state.splitter_sizes = {"main": [200, 800]}
    prefs.theme = "light"
    assert prefs.flush()
    assert json.loads((tmp_path / "state.json").read_text()) == {
        "main_window_geometry": "AdnQywADAAA=", "splitter_sizes": {"main": [200, 800]}}
    assert json.loads((tmp_path / "settings.json").read_text()) == {"theme": "light"}
    # containers are handed out as copies: mutating one does not change the store
    sizes = state.splitter_sizes
    sizes["main"].append(1)
    assert WindowState.load(tmp_path / "state.json").splitter_sizes == {"main": [200, 800]}
    assert state.splitter_sizes == {"main": [200, 800]}
    assert WindowState.load(tmp_path / "nothing.json").splitter_sizes == {}


@pytest.mark.parametrize("name", ["password", "auth_token", "client_secret", "api_key"])
def test_secrets_cannot_be_declared(name):
    with pytest.raises((TypeError, RuntimeError)):
        type("Bad", (Store,), {name: Option(str, "", "a secret")})


def test_no_option_of_the_real_schema_is_secret_like():
    for store in (Preferences, WindowState):
        for name, opt in store.options().items():
            assert opt.doc, name
            for word in ("password", "token", "secret"):
                assert word not in name
