"""The XDG autostart entry (``platform/autostart.py``): written through the real background writer
into ``$XDG_CONFIG_HOME/autostart`` (a tmp dir: tests/conftest.py), checked with the real
``desktop-file-validate``, and read back the way a session reads it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from supportdesk_qt.core import persist
from supportdesk_qt.core.settings import Preferences
from supportdesk_qt.identity import APP_ID
from supportdesk_qt.platform import autostart
from supportdesk_qt.platform.autostart import Autostart

ODD_PROGRAM = ["/opt/Support Desk/bin/supportdesk", 'say "hi" $HOME 100%', "back\\slash"]


def parse_exec(value: str) -> list[str]:
    """Exec= as the specification reads it: string escapes first, then the quoting rules."""
    text = value.replace("\\\\", "\x00").replace("\x00", "\\")   # string type: \\ -> \
    args, current, quoted, i, started = [], "", False, 0, False
    while i < len(text):
        c = text[i]
        if quoted and c == "\\" and i + 1 < len(text) and text[i + 1] in '"`$\\':
            current, i = current + text[i + 1], i + 2
            continue
        if c == '"':
            quoted, started = not quoted, True
        elif c == " " and not quoted:
            if started or current:
                args.append(current)
            current, started = "", False
        else:
            current += c
        i += 1
    if started or current:
        args.append(current)
    return [a.replace("%%", "%") for a in args]


def fields(text: str) -> dict[str, str]:
    return dict(line.split("=", 1) for line in text.splitlines()[1:] if "=" in line)


@pytest.fixture
def writer():
    w = persist.Writer(delay=0.01, max_delay=0.05)
    yield w
    w.flush()


def test_the_entry_lives_in_xdg_config_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    assert autostart.entry_path() == tmp_path / "cfg" / "autostart" / f"{APP_ID}.desktop"
    monkeypatch.setenv("XDG_CONFIG_HOME", "relative/dir")        # not absolute: ignored
    assert autostart.entry_path() == Path.home() / ".config" / "autostart" / f"{APP_ID}.desktop"


def test_exec_quoting_survives_spaces_quotes_dollars_percent_and_backslashes():
    line = fields(autostart.entry_text(True, ODD_PROGRAM))["Exec"]
    assert parse_exec(line) == ODD_PROGRAM
    assert parse_exec(fields(autostart.entry_text(True, ["/usr/bin/supportdesk"]))["Exec"]) == [
        "/usr/bin/supportdesk"]


@pytest.mark.skipif(not shutil.which("desktop-file-validate"), reason="needs desktop-file-utils")
def test_switching_the_preference_writes_a_valid_entry_and_switches_it_off(writer):
    prefs = Preferences.load()
    hook = Autostart(prefs, writer, argv=lambda: ODD_PROGRAM).start()
    path = autostart.entry_path()
    assert not path.exists()                    # off by default: nothing written at start
    prefs.autostart = True
    assert writer.flush()
    on = path.read_text(encoding="utf-8")
    check = subprocess.run(["desktop-file-validate", str(path)], capture_output=True, text=True)
    assert check.returncode == 0 and "error" not in check.stdout, check.stdout
    assert fields(on)["Type"] == "Application" and "Hidden" not in fields(on)
    assert fields(on)["X-GNOME-Autostart-enabled"] == "true"
    assert parse_exec(fields(on)["Exec"]) == ODD_PROGRAM

    prefs.autostart = False
    assert writer.flush()
    off = fields(path.read_text(encoding="utf-8"))
    assert off["Hidden"] == "true" and off["X-GNOME-Autostart-enabled"] == "false"
    assert subprocess.run(["desktop-file-validate", str(path)]).returncode == 0
    hook.stop()
    prefs.autostart = True                      # no longer listening: nothing changes
    assert writer.flush()
    assert fields(path.read_text(encoding="utf-8"))["Hidden"] == "true"


def test_a_start_with_the_preference_on_rewrites_the_entry_for_this_install(writer):
    prefs = Preferences.load()
    prefs.autostart = True
    Autostart(prefs, writer, argv=lambda: ["/new/place/supportdesk"]).start()
    assert writer.flush()
    assert fields(autostart.entry_path().read_text(encoding="utf-8"))["Exec"] == \
        "/new/place/supportdesk"


def test_flatpak_has_no_autostart_entry(writer, monkeypatch):
    monkeypatch.setenv("FLATPAK_ID", APP_ID)
    prefs = Preferences.load()
    prefs.autostart = True
    Autostart(prefs, writer).start()
    assert writer.flush()
    assert not autostart.supported() and not autostart.entry_path().exists()


def test_the_command_is_this_install_s_program():
    argv = autostart.command()
    assert argv == [str(Path(argv[0]))] or argv[1:] == ["-m", "supportdesk_qt"]
    assert Path(argv[0]).is_file()
