"""The "start at login" check box in the settings dialog: a person ticks it, presses Apply, and
the XDG autostart entry appears in ``$XDG_CONFIG_HOME/autostart`` (a tmp dir)."""

from __future__ import annotations

from supportdesk_qt.core import persist
from supportdesk_qt.core.settings import Preferences
from supportdesk_qt.platform import autostart
from supportdesk_qt.platform.autostart import Autostart
from supportdesk_qt.qt import QCheckBox, QDialogButtonBox, QPoint, Qt
from supportdesk_qt.ui.panels.settings_dialog import SettingsDialog


def tick(qtbot, box: QCheckBox) -> None:
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))


def test_ticking_start_at_login_and_applying_writes_the_entry(qtbot):
    writer = persist.Writer(delay=0.01, max_delay=0.05)
    prefs = Preferences.load()
    Autostart(prefs, writer, argv=lambda: ["/usr/bin/supportdesk"]).start()
    dialog = SettingsDialog(prefs)
    qtbot.addWidget(dialog)
    dialog.open_dialog()
    qtbot.waitExposed(dialog)
    box = dialog.findChild(QCheckBox, "autostart")
    minimised = dialog.findChild(QCheckBox, "start_minimised")
    assert box is not None and box.isVisible() and not box.isChecked()
    assert box.text() == "Start SupportDesk when I log in"
    tick(qtbot, box)
    tick(qtbot, minimised)
    assert not autostart.entry_path().exists()          # nothing before Apply
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Apply),
                     Qt.MouseButton.LeftButton)
    assert prefs.autostart and prefs.start_minimised
    assert writer.flush()
    text = autostart.entry_path().read_text(encoding="utf-8")
    assert "Exec=/usr/bin/supportdesk\n" in text and "Hidden" not in text

    tick(qtbot, box)                                     # off again, with OK this time
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)
    assert not prefs.autostart and not dialog.isVisible()
    assert writer.flush()
    assert "Hidden=true\n" in autostart.entry_path().read_text(encoding="utf-8")


def test_no_start_at_login_box_where_the_desk_cannot_write_the_entry(qtbot, monkeypatch):
    monkeypatch.setenv("FLATPAK_ID", "io.github.supportdesk.SupportDesk")
    dialog = SettingsDialog(Preferences.load())
    qtbot.addWidget(dialog)
    assert dialog.findChild(QCheckBox, "autostart") is None
    assert dialog.findChild(QCheckBox, "start_minimised") is not None
