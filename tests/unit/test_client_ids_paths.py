"""Client message ids and the user directories."""

from __future__ import annotations

from pathlib import Path

from pydantic import TypeAdapter

from supportdesk_protocol.schemas import ClientMsgId
from supportdesk_qt.core import paths
from supportdesk_qt.core.ids import is_valid_client_msg_id, new_client_msg_id


def test_client_msg_ids_are_unique_and_valid_for_the_protocol():
    ids = {new_client_msg_id() for _ in range(2000)}
    assert len(ids) == 2000
    adapter = TypeAdapter(ClientMsgId)
    for value in list(ids)[:50]:
        assert value.startswith("c-")
        assert adapter.validate_python(value) == value
        assert is_valid_client_msg_id(value)


def test_client_msg_id_validation():
    assert not is_valid_client_msg_id("")
    assert not is_valid_client_msg_id("has space")
    assert not is_valid_client_msg_id("x" * 65)
    assert is_valid_client_msg_id("x" * 64)


def test_paths_follow_supportdesk_home(tmp_path, monkeypatch):
    monkeypatch.setenv("SUPPORTDESK_HOME", str(tmp_path / "portable"))
    assert paths.data_dir() == tmp_path / "portable" / "data"
    assert paths.config_dir() == tmp_path / "portable" / "config"
    assert paths.log_dir() == tmp_path / "portable" / "logs"
    for d in (paths.data_dir(), paths.config_dir(), paths.log_dir()):
        assert d.is_dir()


def test_paths_use_platformdirs_without_override(tmp_path, monkeypatch):
    monkeypatch.delenv("SUPPORTDESK_HOME", raising=False)
    data, config, logs = paths.data_dir(), paths.config_dir(), paths.log_dir()
    for d in (data, config, logs):
        assert isinstance(d, Path) and d.is_dir()
        assert "supportdesk" in str(d)
        # the conftest points XDG_* at the test's temp dir: nothing lands in the real home
        assert str(d).startswith(str(tmp_path))
