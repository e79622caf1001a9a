"""The user-menu panels (supportdesk_qt/ui/panels): models checked by qtmodeltester, widgets driven
by clicks and keys like a person would."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from supportdesk_qt.backend.base import RequestRecord
from supportdesk_qt.core.settings import Preferences, WindowState
from supportdesk_qt.qt import (
    QApplication,
    QDialogButtonBox,
    QLabel,
    QLocale,
    QPalette,
    QPoint,
    QStyledItemDelegate,
    Qt,
    QTextBrowser,
)
from supportdesk_qt.ui import theme
from supportdesk_qt.ui.panels.changelog import (
    ChangelogButton,
    ChangelogTracker,
    ChangelogView,
    changelog_text,
    version_key,
)
from supportdesk_qt.ui.panels.network import NetworkPanel, RequestLogModel, is_failed
from supportdesk_qt.ui.panels.notifications_log import NotificationLogModel, NotificationLogPanel
from supportdesk_qt.ui.panels.settings_dialog import SettingsDialog

T0 = datetime(2026, 11, 29, 9, 0, 0, tzinfo=timezone.utc)
HOSTILE = ("<b>x</b>", "<img src=x>")


def rec(i: int = 0, *, kind: str = "http", method: str = "GET", path: str | None = None,
        status: int | None = 200, ms: float = 12.0, error: str = "") -> RequestRecord:
    return RequestRecord(T0 + timedelta(seconds=i), kind, method, path or f"/api/v1/chats/{i}",
                         status, ms, error)


def rows(model, column: int = 0, role=Qt.ItemDataRole.DisplayRole) -> list:
    return [model.index(r, column).data(role) for r in range(model.rowCount())]


def double_click(qtbot, widget, pos) -> None:
    """What a mouse sends for a double click: press and release, then the double-click press
    (QTest's mouseDClick alone has no first press, so an item view ignores it)."""
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos)
    qtbot.mouseDClick(widget, Qt.MouseButton.LeftButton, pos=pos)


def show(qtbot, widget):
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


# --- network request log -------------------------------------------------------------------------


def test_request_model_passes_the_model_tester_through_inserts_drops_and_clear(qtbot, qtmodeltester):
    model = RequestLogModel(capacity=10)
    model.extend(rec(i) for i in range(4))
    model.flush()
    qtmodeltester.check(model)            # keeps checking every change below
    model.extend(rec(i, status=500) for i in range(4, 12))
    model.flush()                         # drops 2 from the top, inserts 8
    assert model.rowCount() == 10
    model.clear()
    assert model.rowCount() == 0


def test_ring_buffer_keeps_the_newest_rows_and_drops_the_oldest_from_the_top(qtbot):
    model = RequestLogModel(capacity=5)
    removed: list[tuple[int, int]] = []
    model.rowsRemoved.connect(lambda _p, first, last: removed.append((first, last)))
    model.extend(rec(i) for i in range(3))
    model.flush()
    model.extend(rec(i) for i in range(3, 7))
    model.flush()
    assert model.rowCount() == 5
    assert removed == [(0, 1)]            # the two oldest, in one removal
    assert [r.path for r in rows(model, 0, RequestLogModel.RecordRole)] == [
        f"/api/v1/chats/{i}" for i in range(2, 7)]
    # a burst bigger than the buffer keeps only its own newest rows
    model.extend(rec(i) for i in range(100, 120))
    model.flush()
    assert [r.path for r in rows(model, 0, RequestLogModel.RecordRole)] == [
        f"/api/v1/chats/{i}" for i in range(115, 120)]


def test_many_adds_in_one_tick_are_one_insertion(qtbot):
    model = RequestLogModel()
    inserted: list[tuple[int, int]] = []
    model.rowsInserted.connect(lambda _p, first, last: inserted.append((first, last)))
    with qtbot.waitSignal(model.flushed, timeout=2000) as blocker:
        for i in range(300):
            model.add(rec(i))             # slot-compatible with Bridge.requestLogged
        assert model.rowCount() == 0      # nothing until the timer fires
    assert blocker.args == [300]
    assert inserted == [(0, 299)]
    with qtbot.waitSignal(model.flushed, timeout=2000):
        model.add(rec(300))
    assert inserted == [(0, 299), (300, 300)]


def test_failed_rows_are_highlighted_with_palette_colours(qtbot):
    model = RequestLogModel()
    model.extend([
        rec(0, status=200),
        rec(1, status=409, error="A colleague took this chat first."),
        rec(2, status=None, error="", ms=5000),                 # http without an answer
        rec(3, kind="ws", method="connect", status=None),        # a socket op has no status
        rec(4, kind="ws", method="connect", status=None, error="Connection refused"),
        rec(5, status=500),
        rec(6, status=302),
    ])
    model.flush()
    assert rows(model, 0, RequestLogModel.FailedRole) == [False, True, True, False, True, True,
                                                          False]
    pal = QApplication.palette()
    red, wash = theme.error_text(pal), theme.failed_background(pal)
    assert red == theme.status_color(theme.ConnectionState.FAILED, pal)
    assert wash != pal.color(QPalette.ColorRole.Base)
    for row, failed in enumerate(rows(model, 0, RequestLogModel.FailedRole)):
        for col in range(model.columnCount()):
            idx = model.index(row, col)
            fg = idx.data(Qt.ItemDataRole.ForegroundRole)
            bg = idx.data(Qt.ItemDataRole.BackgroundRole)
            if failed:
                assert fg == red and bg == wash
            else:
                assert fg is None and bg is None
    assert model.index(2, RequestLogModel.COL_STATUS).data() == "no answer"
    assert model.index(3, RequestLogModel.COL_STATUS).data() == "—"
    assert isinstance(model.index(1, 0).data(RequestLogModel.RecordRole), RequestRecord)
    assert is_failed(rec(0, status=404)) and not is_failed(rec(0, status=201))


@pytest.fixture
def locale_de():
    previous = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    yield
    QLocale.setDefault(previous)


def test_columns_show_time_and_numbers_through_qlocale(qtbot, locale_de):
    model = RequestLogModel()
    model.add(rec(0, method="POST", path="/api/v1/chats/7/take", status=201, ms=1234.6))
    model.add(rec(1, status=None, ms=0.4))
    model.flush()
    texts = [model.index(0, c).data() for c in range(model.columnCount())]
    assert texts[1:5] == ["HTTP", "POST", "/api/v1/chats/7/take", "201"]
    assert texts[5] == "1.235 ms"        # German digit grouping
    local = T0.astimezone()
    assert texts[0] == f"{local:%H:%M:%S}"  # German short time, with seconds
    assert texts[6] == ""
    assert model.index(1, RequestLogModel.COL_DURATION).data() == "0 ms"


def test_filter_field_and_failed_only_narrow_the_rows_and_clear_empties(qtbot):
    panel = show(qtbot, NetworkPanel())
    panel.model.extend([rec(0, path="/api/v1/tickets/7", status=500),
                        rec(1, path="/api/v1/tickets/8"),
                        rec(2, path="/api/v1/chats/1"),
                        rec(3, path="/api/v1/chats/2", status=404)])
    panel.model.flush()
    assert panel.proxy.rowCount() == 4
    qtbot.keyClicks(panel.filter_edit, "TICKETS")
    assert panel.proxy.rowCount() == 2
    qtbot.mouseClick(panel.failed_only, Qt.MouseButton.LeftButton,
                     pos=panel.failed_only.rect().center())
    assert panel.failed_only.isChecked()
    assert rows(panel.proxy, RequestLogModel.COL_PATH) == ["/api/v1/tickets/7"]
    assert "1 of 4" in panel.count_label.text()
    panel.filter_edit.selectAll()
    qtbot.keyClick(panel.filter_edit, Qt.Key.Key_Delete)
    assert rows(panel.proxy, RequestLogModel.COL_PATH) == ["/api/v1/tickets/7", "/api/v1/chats/2"]
    qtbot.keyClicks(panel.filter_edit, "404")             # status column too
    assert rows(panel.proxy, RequestLogModel.COL_PATH) == ["/api/v1/chats/2"]
    qtbot.mouseClick(panel.clear_button, Qt.MouseButton.LeftButton)
    assert panel.model.rowCount() == 0 and panel.proxy.rowCount() == 0


def test_view_follows_the_tail_only_while_the_user_is_at_the_bottom(qtbot):
    panel = show(qtbot, NetworkPanel())
    panel.resize(700, 300)
    sb = panel.view.verticalScrollBar()

    def add(n: int, start: int) -> None:
        with qtbot.waitSignal(panel.model.flushed, timeout=2000):
            panel.model.extend(rec(i) for i in range(start, start + n))
        QApplication.processEvents()

    add(100, 0)
    qtbot.waitUntil(lambda: sb.maximum() > 0)
    assert panel.following and sb.value() == sb.maximum()
    add(20, 100)
    qtbot.waitUntil(lambda: sb.value() == sb.maximum())
    last = panel.proxy.index(panel.proxy.rowCount() - 1, 0)
    assert panel.view.viewport().rect().intersects(panel.view.visualRect(last))

    # the user scrolls up to read: new rows do not pull the view away
    panel.view.setFocus()
    qtbot.keyClick(panel.view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(panel.view, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    assert sb.value() == 0 and not panel.following
    old_max = sb.maximum()
    add(20, 120)
    qtbot.waitUntil(lambda: sb.maximum() > old_max)
    assert sb.value() == 0 and not panel.following

    # back at the bottom: following again
    qtbot.keyClick(panel.view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert sb.value() == sb.maximum() and panel.following
    old_max = sb.maximum()
    add(20, 140)
    qtbot.waitUntil(lambda: sb.maximum() > old_max)
    qtbot.waitUntil(lambda: sb.value() == sb.maximum())
    assert panel.following


def test_rows_being_read_stay_put_while_the_ring_buffer_drops_the_oldest(qtbot):
    panel = show(qtbot, NetworkPanel(model=RequestLogModel(capacity=100)))
    panel.resize(700, 300)
    view, sb = panel.view, panel.view.verticalScrollBar()
    panel.model.extend(rec(i) for i in range(100))
    panel.model.flush()
    qtbot.waitUntil(lambda: sb.maximum() > 0)
    view.setFocus()
    view.setCurrentIndex(panel.proxy.index(99, 0))
    for _ in range(3):
        qtbot.keyClick(view, Qt.Key.Key_PageUp)           # the user reads a bit further up
    assert not panel.following

    def top_path() -> str:
        return view.indexAt(view.viewport().rect().topLeft() + QPoint(2, 2)).siblingAtColumn(
            RequestLogModel.COL_PATH).data()

    reading = top_path()
    with qtbot.waitSignal(panel.model.flushed, timeout=2000):
        panel.model.extend(rec(i) for i in range(100, 110))   # 10 oldest dropped, 10 added
    QApplication.processEvents()
    assert panel.model.rowCount() == 100
    assert top_path() == reading and not panel.following


def test_network_panel_shows_hostile_text_literally(qtbot):
    panel = show(qtbot, NetworkPanel())
    panel.model.add(rec(0, path="/api/v1/clients?q=<img src=x>", status=None, error="<b>x</b>"))
    panel.model.flush()
    idx = panel.model.index(0, RequestLogModel.COL_ERROR)
    assert idx.data() == "<b>x</b>"
    assert panel.model.index(0, RequestLogModel.COL_PATH).data() == "/api/v1/clients?q=<img src=x>"
    tip = idx.data(Qt.ItemDataRole.ToolTipRole)
    assert "<b>x</b>" not in tip and "&lt;b&gt;x&lt;/b&gt;" in tip
    assert type(panel.view.itemDelegate()) is QStyledItemDelegate   # plain-text painting
    assert all(label.textFormat() == Qt.TextFormat.PlainText for label in panel.findChildren(QLabel))


def test_network_panel_is_a_tool_window_over_its_parent(qtbot):
    from supportdesk_qt.qt import QWidget

    parent = QWidget()
    qtbot.addWidget(parent)
    panel = NetworkPanel(parent)
    assert panel.isWindow() and panel.windowFlags() & Qt.WindowType.Tool
    assert panel.windowModality() == Qt.WindowModality.NonModal
    assert not panel.isVisible()
    panel.show_panel()
    qtbot.waitExposed(panel)
    assert panel.isVisible() and parent.isEnabled()


# --- notifications log -----------------------------------------------------------------------------


def fill_log(model: NotificationLogModel) -> None:
    model.add("new_chat", "Anna Petrova", "My site shows a 502", "chat:12", when=T0)
    model.add("message", "Mark Schulz", "I paid the INVOICE yesterday", "chat:13",
              when=T0 + timedelta(minutes=1))
    model.add("forwarded", "Invoice question", "Billing forwarded this", "chat:14",
              when=T0 + timedelta(minutes=2))
    model.add("error", "Connection lost", "Reconnecting…", "", when=T0 + timedelta(minutes=3))
    model.add("forward_returned", "Ticket back", "nobody online", "ticket:7",
              when=T0 + timedelta(minutes=4))


def test_notification_model_passes_the_model_tester_and_stays_bounded(qtbot, qtmodeltester):
    model = NotificationLogModel(capacity=3)
    model.add("new_chat", "A", "first", "chat:1")
    qtmodeltester.check(model)
    fill_log(model)
    assert model.rowCount() == 3
    # newest first; the oldest left from the bottom
    assert rows(model, NotificationLogModel.COL_TITLE) == ["Ticket back", "Connection lost",
                                                           "Invoice question"]
    model.clear()
    assert model.rowCount() == 0


def test_notifier_records_are_accepted_as_they_come(qtbot):
    from supportdesk_qt.platform.notifications import NotificationKind, NotificationRecord

    model = NotificationLogModel()
    model.append(NotificationRecord(NotificationKind.FORWARDED, "Li Wei", "refund", "chat:88",
                                    shown=True, via="dbus", time=T0))
    idx = model.index(0, 0)
    assert idx.data(NotificationLogModel.KindRole) == "forwarded"
    assert idx.data(NotificationLogModel.KeyRole) == "chat:88"
    assert idx.data(NotificationLogModel.TimeRole) == T0
    assert model.index(0, NotificationLogModel.COL_KIND).data() == "Forwarded"


def test_search_over_title_and_body_ignores_case_and_kind_filter_narrows(qtbot):
    panel = show(qtbot, NotificationLogPanel())
    fill_log(panel.model)
    qtbot.keyClicks(panel.search_edit, "invoice")
    assert sorted(rows(panel.proxy, NotificationLogModel.COL_TITLE)) == ["Invoice question",
                                                                         "Mark Schulz"]
    panel.kind_combo.setCurrentIndex(panel.kind_combo.findData("message"))
    assert rows(panel.proxy, NotificationLogModel.COL_TITLE) == ["Mark Schulz"]
    panel.search_edit.clear()
    assert rows(panel.proxy, NotificationLogModel.COL_TITLE) == ["Mark Schulz"]
    panel.kind_combo.setCurrentIndex(0)                      # All kinds
    assert panel.proxy.rowCount() == 5
    qtbot.keyClicks(panel.search_edit, "no such text")
    assert panel.proxy.rowCount() == 0


def test_double_click_and_enter_open_the_row_key(qtbot):
    panel = show(qtbot, NotificationLogPanel())
    fill_log(panel.model)
    qtbot.keyClicks(panel.search_edit, "502")
    assert panel.proxy.rowCount() == 1
    rect = panel.view.visualRect(panel.proxy.index(0, NotificationLogModel.COL_TITLE))
    with qtbot.waitSignal(panel.openRequested, timeout=2000) as blocker:
        double_click(qtbot, panel.view.viewport(), rect.center())
    assert blocker.args == ["chat:12"]

    panel.search_edit.clear()
    row = rows(panel.proxy, NotificationLogModel.COL_TITLE).index("Ticket back")
    panel.view.setFocus()
    panel.view.setCurrentIndex(panel.proxy.index(row, 0))
    with qtbot.waitSignal(panel.openRequested, timeout=2000) as blocker:
        qtbot.keyClick(panel.view, Qt.Key.Key_Return)
    assert blocker.args == ["ticket:7"]

    # a row without a key (an error) opens nothing
    seen: list[str] = []
    panel.openRequested.connect(seen.append)
    row = rows(panel.proxy, NotificationLogModel.COL_TITLE).index("Connection lost")
    rect = panel.view.visualRect(panel.proxy.index(row, NotificationLogModel.COL_TITLE))
    double_click(qtbot, panel.view.viewport(), rect.center())
    QApplication.processEvents()
    assert seen == []


def test_notifications_log_shows_visitor_markup_literally(qtbot):
    panel = show(qtbot, NotificationLogPanel())
    panel.model.add("message", HOSTILE[0], HOSTILE[1] + "\nsecond line", "chat:5")
    idx = panel.model.index(0, NotificationLogModel.COL_TITLE)
    assert idx.data() == "<b>x</b>"
    assert panel.model.index(0, NotificationLogModel.COL_BODY).data() == "<img src=x> second line"
    tip = idx.data(Qt.ItemDataRole.ToolTipRole)
    assert "<img" not in tip and "<b>x" not in tip and "&lt;img src=x&gt;" in tip
    assert type(panel.view.itemDelegate()) is QStyledItemDelegate
    assert all(label.textFormat() == Qt.TextFormat.PlainText for label in panel.findChildren(QLabel))
    qtbot.keyClicks(panel.search_edit, "<B>X")             # the search sees the literal text
    assert panel.proxy.rowCount() == 1


# --- change log ----------------------------------------------------------------------------------------


def test_changelog_lives_in_the_top_level_resources_folder():
    # the wheel and the frozen build carry a copy: tests/packaging checks those
    text = changelog_text()
    assert text.startswith("# SupportDesk change log")
    root = Path(__file__).resolve().parents[2]
    assert (root / "resources" / "CHANGELOG.md").read_text(encoding="utf-8") == text
    assert not (root / "supportdesk_qt" / "resources").exists()    # one copy of the sources


def test_version_key_orders_versions_numerically():
    assert version_key("0.10.0") > version_key("0.9.3") > version_key("0.9")
    assert version_key("") == ()


def test_new_mark_until_opened_and_again_after_an_upgrade_persisted(qtbot):
    state = WindowState.load()
    tracker = ChangelogTracker(state, "0.1.0")
    assert tracker.has_new()                               # never opened
    button = show(qtbot, ChangelogButton(tracker))
    assert button.is_new

    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert not button.is_new
    # persisted: a fresh start of the same version has nothing new
    again = WindowState.load()
    assert again.changelog_seen_version == "0.1.0"
    assert not ChangelogTracker(again, "0.1.0").has_new()
    assert not ChangelogButton(ChangelogTracker(again, "0.1.0")).is_new
    # an upgrade brings the mark back
    upgraded = ChangelogTracker(WindowState.load(), "0.2.0")
    assert upgraded.has_new()
    # ... and so does a newer entry from the server
    same = ChangelogTracker(WindowState.load(), "0.1.0")
    same.note_server_versions(["0.1.0", "0.1.1"])
    assert same.has_new()
    same.mark_seen()
    assert WindowState.load().changelog_seen_version == "0.1.1"
    # an older build after a newer one was seen: nothing new
    assert not ChangelogTracker(WindowState.load(), "0.1.0").has_new()


def test_new_dot_is_painted_in_the_palette_accent(qtbot):
    state = WindowState.load()
    button = show(qtbot, ChangelogButton(ChangelogTracker(state, "1.0.0")))
    button.resize(40, 36)
    with_dot = button.grab().toImage()
    accent = theme.accent(button.palette())
    d = ChangelogButton.DOT
    centre = (button.rect().right() - 2 - d // 2, button.rect().top() + 3 + d // 2)
    assert with_dot.pixelColor(*centre).name() == accent.name()
    button.set_new(False)
    without = button.grab().toImage()
    assert without.pixelColor(*centre).name() != accent.name()


def test_changelog_view_renders_our_markdown_and_server_entries_as_plain_text(qtbot):
    view = show(qtbot, ChangelogView())
    assert isinstance(view, QTextBrowser)
    plain = view.toPlainText()
    assert "SupportDesk change log" in plain and "# " not in plain   # Markdown rendered
    view.set_server_entries([
        {"version": "0.2.0", "published_at": T0, "title": HOSTILE[0], "body": HOSTILE[1]},
        {"version": "0.1.1", "published_at": T0, "title": "**not bold**", "body": "# not a heading"},
    ])
    plain = view.toPlainText()
    assert "<b>x</b>" in plain and "<img src=x>" in plain
    assert "**not bold**" in plain and "# not a heading" in plain
    html = view.toHtml()
    assert "<img" not in html and "&lt;img src=x&gt;" in html
    # setting them again replaces them rather than appending twice
    view.set_server_entries([{"version": "0.2.0", "published_at": T0, "title": "Once",
                              "body": ""}])
    assert view.toPlainText().count("Once") == 1 and "<b>x</b>" not in view.toPlainText()


# --- settings dialog --------------------------------------------------------------------------------


def settings(qtbot, **kwargs) -> tuple[SettingsDialog, Preferences]:
    prefs = Preferences.load()
    dialog = SettingsDialog(prefs, **kwargs)
    qtbot.addWidget(dialog)
    dialog.open_dialog()
    qtbot.waitExposed(dialog)
    return dialog, prefs


def click(qtbot, widget) -> None:
    """Click a button; a check box on its indicator (its label may not fill the whole row)."""
    from supportdesk_qt.qt import QCheckBox

    rect = widget.rect()
    pos = QPoint(min(8, rect.width() // 2), rect.height() // 2) if isinstance(widget, QCheckBox) \
        else rect.center()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos)


def button(dialog: SettingsDialog, which: QDialogButtonBox.StandardButton):
    return dialog.buttons.button(which)


def test_settings_dialog_is_not_modal(qtbot):
    dialog, _ = settings(qtbot)
    assert dialog.isVisible() and not dialog.isModal()
    assert dialog.windowModality() == Qt.WindowModality.NonModal


def test_settings_edits_persist_on_apply_and_ok(qtbot):
    dialog, prefs = settings(qtbot, sound_names=["chime", "bell", "ping"])
    from supportdesk_qt.qt import QCheckBox, QComboBox, QSpinBox

    tray = dialog.findChild(QCheckBox, "notify_message_tray")
    assert tray.isChecked()
    click(qtbot, tray)
    returned_sound = dialog.findChild(QCheckBox, "notify_forward_returned_sound")
    combo = dialog.findChild(QComboBox, "forward_returned_sound")
    assert not returned_sound.isChecked() and not combo.isEnabled()
    click(qtbot, returned_sound)
    assert combo.isEnabled()
    combo.setFocus()
    qtbot.keyClicks(combo, "B")                            # type-ahead picks "Bell"
    assert combo.currentData() == "bell"
    spin = dialog.findChild(QSpinBox, "new_chat_sound_repeat_seconds")
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, "45")
    assert spin.value() == 45
    minimised = dialog.findChild(QCheckBox, "start_minimised")
    click(qtbot, minimised)
    theme_combo = dialog.findChild(QComboBox, "theme")
    theme_combo.setCurrentIndex(theme_combo.findData("dark"))

    seen: list[str] = []
    prefs.on_change(lambda name, _v: seen.append(name))
    with qtbot.waitSignal(dialog.applied, timeout=1000):
        click(qtbot, button(dialog, QDialogButtonBox.StandardButton.Apply))
    assert dialog.isVisible()                              # Apply keeps it open
    stored = Preferences.load()                            # from disk
    assert stored.notify_message_tray is False
    assert stored.notify_forward_returned_sound is True
    assert stored.forward_returned_sound == "bell"
    assert stored.new_chat_sound_repeat_seconds == 45
    assert stored.start_minimised is True
    assert stored.theme == "dark"
    assert set(seen) == {"notify_message_tray", "notify_forward_returned_sound",
                         "forward_returned_sound", "new_chat_sound_repeat_seconds",
                         "start_minimised", "theme"}

    lang = dialog.findChild(QComboBox, "language")
    lang.setCurrentIndex(lang.findData("ru"))
    click(qtbot, button(dialog, QDialogButtonBox.StandardButton.Ok))
    assert not dialog.isVisible()
    assert Preferences.load().language == "ru"


def test_settings_cancel_discards_and_reopening_shows_what_is_stored(qtbot):
    from supportdesk_qt.qt import QCheckBox, QSpinBox

    dialog, prefs = settings(qtbot)
    before = Preferences.load().to_dict()
    click(qtbot, dialog.findChild(QCheckBox, "close_to_tray"))
    click(qtbot, dialog.findChild(QCheckBox, "notify_new_chat_sound"))
    spin = dialog.findChild(QSpinBox, "sound_volume")
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, "10")
    click(qtbot, button(dialog, QDialogButtonBox.StandardButton.Cancel))
    assert not dialog.isVisible()
    assert Preferences.load().to_dict() == before and prefs.to_dict() == before
    dialog.open_dialog()
    assert dialog.findChild(QCheckBox, "close_to_tray").isChecked() == before["close_to_tray"]
    assert dialog.findChild(QSpinBox, "sound_volume").value() == before["sound_volume"]
    # Escape is Cancel too
    click(qtbot, dialog.findChild(QCheckBox, "close_to_tray"))
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and Preferences.load().to_dict() == before


def test_settings_invalid_input_is_impossible(qtbot):
    from supportdesk_qt.qt import QComboBox, QSpinBox

    dialog, prefs = settings(qtbot, sound_names=["bell", "siren", "ping"])
    spin = dialog.findChild(QSpinBox, "new_chat_sound_repeat_seconds")
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, "99999")
    assert 0 <= spin.value() <= 3600
    spin.selectAll()
    qtbot.keyClicks(spin, "-5")
    assert spin.value() >= 0
    combo = dialog.findChild(QComboBox, "message_sound")
    assert [combo.itemData(i) for i in range(combo.count())] == ["bell", "ping"]   # no "siren"
    for name, value in dialog.values().items():
        assert Preferences.option(name).is_valid(value), name
    click(qtbot, button(dialog, QDialogButtonBox.StandardButton.Ok))
    stored = Preferences.load()
    assert 0 <= stored.new_chat_sound_repeat_seconds <= 3600


def test_settings_restore_defaults_is_stored_only_on_apply(qtbot):
    from supportdesk_qt.qt import QCheckBox

    prefs = Preferences.load()
    prefs.update(close_to_tray=False, notify_error_tray=False)
    dialog, _ = settings(qtbot)
    assert not dialog.findChild(QCheckBox, "close_to_tray").isChecked()
    click(qtbot, button(dialog, QDialogButtonBox.StandardButton.RestoreDefaults))
    assert dialog.findChild(QCheckBox, "close_to_tray").isChecked()
    assert Preferences.load().close_to_tray is False
    click(qtbot, button(dialog, QDialogButtonBox.StandardButton.Apply))
    assert Preferences.load().close_to_tray is True and Preferences.load().notify_error_tray


def test_settings_appearance_note_says_both_apply_at_once_in_plain_muted_text(qtbot):
    dialog, _ = settings(qtbot)
    note = dialog.appearance_note
    assert note.text() == "The theme and the language apply at once."
    assert note.textFormat() == Qt.TextFormat.PlainText
    assert note.palette().color(QPalette.ColorRole.WindowText) == theme.muted_text(dialog.palette())
    assert all(label.textFormat() == Qt.TextFormat.PlainText
               for label in dialog.findChildren(QLabel) if label.text())


# --- rendering ---------------------------------------------------------------------------------------


def test_panels_render_offscreen(qtbot):
    """Each panel paints without Qt warnings (docs/images come from the same setup)."""
    panel = show(qtbot, NetworkPanel())
    panel.model.extend([rec(0), rec(1, status=500, error="The server failed (HTTP 500).")])
    panel.model.flush()
    assert not panel.grab().isNull()
    log = show(qtbot, NotificationLogPanel())
    fill_log(log.model)
    assert not log.grab().isNull()
    dialog, _ = settings(qtbot)
    assert not dialog.grab().isNull()
    view = show(qtbot, ChangelogView())
    assert not view.grab().isNull()


# --- panel windows: Esc closes them, they open within the screen's available area ----------------


def _panel_over(qtbot, cls):
    from supportdesk_qt.qt import QWidget

    parent = QWidget()
    qtbot.addWidget(parent)
    parent.resize(400, 300)
    parent.show()
    qtbot.waitExposed(parent)
    return parent, cls(parent)


@pytest.mark.parametrize("cls", [NetworkPanel, NotificationLogPanel])
def test_esc_closes_the_panel_window(qtbot, cls):
    _parent, panel = _panel_over(qtbot, cls)
    panel.show_panel()
    qtbot.waitExposed(panel)
    field = panel.focusWidget() or panel
    qtbot.keyClick(field, Qt.Key.Key_Escape)          # from its filter field, as the agent types
    qtbot.waitUntil(lambda: not panel.isVisible(), timeout=2000)


@pytest.mark.parametrize("cls", [NetworkPanel, NotificationLogPanel])
def test_the_panel_opens_within_the_available_geometry_of_the_main_windows_screen(qtbot, cls,
                                                                                   tmp_path):
    parent, panel = _panel_over(qtbot, cls)
    avail = parent.screen().availableGeometry()
    panel.resize(avail.width() + 200, 500)             # larger than the screen
    panel.move(avail.right() - 40, avail.bottom() - 30)   # where it was left: under the tray
    panel.setProperty("panelPlaced", True)
    panel.show_panel()
    qtbot.waitExposed(panel)
    assert avail.contains(panel.frameGeometry()), (panel.frameGeometry(), avail)
    panel.close()
    # the first time: centred over the main window, still inside
    parent.move(avail.right() - parent.width() // 2, avail.top())
    fresh = cls(parent)
    fresh.show_panel()
    qtbot.waitExposed(fresh)
    assert avail.contains(fresh.frameGeometry()), (fresh.frameGeometry(), avail)
    fresh.grab().save(str(tmp_path / f"{cls.__name__}.png"))


def test_settings_say_when_notifications_stay_on_screen(qtbot, tmp_path):
    from supportdesk_qt.qt import QLabel

    dialog, _ = settings(qtbot)
    note = dialog.findChild(QLabel, "notificationPersistenceNote")
    assert note is not None and note.isVisible()
    assert "one desktop message that updates" in note.text() and "away" in note.text()
    assert dialog.grab().save(str(tmp_path / "settings.png"))   # looked at: no squeezed rows
