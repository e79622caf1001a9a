"""Issue 9 ("A day at the desk"), the chat tab's right panel, against the real server with a visitor
playing the widget (tests/ui/visitor.py):

* item 1: after any panel button the agent's keystrokes go on into the composer, never into the
  chat name (Qt handed the focus to the next widget of the chain, the name with its text
  selected, when a focused button was disabled while busy);
* item 5: a ticket from a chat is in the chat's department, and system lines read
  ``[time] text`` in its transcript (no empty author);
* item 14: each ask confirms with its own sentence; the list preview of an ask speaks to agents;
* item 17: "Open client area" when no browser opens says so and offers Copy link;
* item 19a: a long page title without spaces ends in an ellipsis, the full text in the tooltip.

Real clicks and keys typed into whatever has the focus, as a person types; every wait is
``qtbot.waitUntil`` / ``waitSignal``.
"""

from __future__ import annotations

import json
import re

import pytest

from supportdesk_protocol.schemas import AuthorKind
from supportdesk_qt.qt import QApplication, QGuiApplication, Qt
from supportdesk_qt.ui.chat.chat_details import ChatClientSection
from supportdesk_qt.ui.chat.chat_tab import ChatTab
from supportdesk_qt.ui.common.text import FSI, PDI
from tests.support.hostile import RLO
# the same demo server (one per module) and desk fixtures as the panel's auth tests
from tests.ui.test_chat_panel_auth import demo_login, desk, shot, site  # noqa: F401
from tests.ui.test_chat_tab import WAIT, Desk


def open_tab(desk, qtbot) -> ChatTab:
    tab = desk.open_tab()
    tab.resize(1000, 780)             # a desk window's size (and shot()'s: it grabs at once)
    tab.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is tab, timeout=WAIT)
    return tab


def type_keys(qtbot, text: str) -> None:
    """Type as a person does: into whatever widget has the keyboard focus now."""
    target = QApplication.focusWidget()
    assert target is not None, "no widget has the keyboard focus"
    qtbot.keyClicks(target, text)


def start_typing(qtbot, tab: ChatTab, text: str) -> None:
    qtbot.mouseClick(tab.composer.viewport(), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is tab.composer, timeout=WAIT)
    tab.composer.moveCursor(tab.composer.textCursor().MoveOperation.End)
    type_keys(qtbot, text)


def assert_typing_goes_on(qtbot, tab: ChatTab, name: str, expected: str, more: str) -> None:
    try:
        qtbot.waitUntil(lambda: QApplication.focusWidget() is tab.composer, timeout=3000)
    except Exception:
        fw = QApplication.focusWidget()
        raise AssertionError(f"the focus is in {fw!r} ({fw and fw.objectName()})") from None
    type_keys(qtbot, more)
    assert tab.composer.toPlainText() == expected + more
    assert tab.details.name_edit.text() == name


def authorize(desk, qtbot, run, site, tab: ChatTab) -> None:
    qtbot.mouseClick(tab.details.client_section.login_button, Qt.MouseButton.LeftButton)
    desk.visitor_frame(lambda f: f.get("op") == "auth_prompt")
    login, client_name, _project = demo_login(site)
    assert run(desk.visitor.login(login, "demo"))["ok"] is True
    qtbot.waitUntil(lambda: tab.details.client_section.authorized
                    and tab.details.create_ticket_button.isVisible(), timeout=WAIT)


# --- item 1: focus -------------------------------------------------------------------------------


@pytest.mark.parametrize("button", ["login_button", "register_button", "authorize_button"])
def test_ask_buttons_leave_the_typing_in_the_composer(qtbot, desk, run, button):
    desk.chat = run(desk.backend.update_chat(desk.chat_id, name="Invoice question"))
    tab = open_tab(desk, qtbot)
    section = tab.details.client_section
    qtbot.waitUntil(lambda: tab.details.name_edit.text() == "Invoice question", timeout=WAIT)
    start_typing(qtbot, tab, "One moment, ")
    qtbot.mouseClick(getattr(section, button), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "visitor" in section.status_label.text().lower()
                    and getattr(section, button).isEnabled(), timeout=WAIT)
    assert_typing_goes_on(qtbot, tab, "Invoice question", "One moment, ", "please log in")


def test_ask_from_the_keyboard_hands_the_focus_back_to_the_composer(qtbot, desk, run):
    """Tab to "Ask to log in", press Space: the button is disabled while busy; the focus must
    not fall to the chat name."""
    desk.chat = run(desk.backend.update_chat(desk.chat_id, name="Invoice question"))
    tab = open_tab(desk, qtbot)
    section = tab.details.client_section
    qtbot.waitUntil(lambda: tab.details.name_edit.text() == "Invoice question", timeout=WAIT)
    start_typing(qtbot, tab, "Hi")
    section.login_button.setFocus(Qt.FocusReason.TabFocusReason)   # where Tab brings the agent
    assert QApplication.focusWidget() is section.login_button
    qtbot.keyClick(section.login_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: "login form" in section.status_label.text(), timeout=WAIT)
    assert_typing_goes_on(qtbot, tab, "Invoice question", "Hi", " there")


def test_client_area_ticket_forward_and_history_leave_the_typing_in_the_composer(
        qtbot, desk, run, site, monkeypatch):
    tab = open_tab(desk, qtbot)
    section = tab.details.client_section
    authorize(desk, qtbot, run, site, tab)
    name = tab.details.name_edit.text()
    typed = ""

    # Open client area (the opener is replaced: no browser runs in tests)
    monkeypatch.setattr(ChatClientSection, "url_opener", staticmethod(lambda url: True))
    start_typing(qtbot, tab, "a")
    typed += "a"
    with qtbot.waitSignal(section.linkOpened, timeout=WAIT):
        qtbot.mouseClick(section.drill_button, Qt.MouseButton.LeftButton)
    assert_typing_goes_on(qtbot, tab, name, typed, "b")
    typed += "b"

    # Create ticket: the form opens; when it closes the agent types on in the composer
    qtbot.mouseClick(tab.details.create_ticket_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.details.ticket_dialog is not None
                    and tab.details.ticket_dialog.isVisible(), timeout=WAIT)
    dialog = tab.details.ticket_dialog
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.form.subject_edit, timeout=WAIT)
    subject = dialog.form.subject_edit.text()
    type_keys(qtbot, "!")           # keys typed as it opens add to the subject, not replace it
    assert dialog.form.subject_edit.text() == subject + "!"
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT)
    tab.activateWindow()
    assert_typing_goes_on(qtbot, tab, name, typed, "c")
    typed += "c"

    # Forward…, then Cancel
    qtbot.mouseClick(tab.forward_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.forward_dialog is not None and tab.forward_dialog.isVisible(),
                    timeout=WAIT)
    fwd = tab.forward_dialog
    qtbot.mouseClick(fwd.buttons.button(fwd.buttons.StandardButton.Cancel),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.forward_dialog is None, timeout=WAIT)
    tab.activateWindow()
    assert_typing_goes_on(qtbot, tab, name, typed, "d")
    typed += "d"

    # earlier chats: a click on a row selects it and leaves the typing where it was
    history = tab.details.history
    qtbot.waitUntil(lambda: history.model.rowCount() > 0 and history.view.isVisible(),
                    timeout=WAIT)
    rect = history.view.visualRect(history.model.index(0))
    qtbot.mouseClick(history.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert history.view.currentIndex().row() == 0
    assert_typing_goes_on(qtbot, tab, name, typed, "f")
    typed += "f"

    # Send and Save: a click on a button does not take the focus either
    qtbot.mouseClick(tab.details.summary_edit.viewport(), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is tab.details.summary_edit, timeout=WAIT)
    type_keys(qtbot, "Wants a refund")
    qtbot.mouseClick(tab.details.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.details.status_label.text() == "Saved", timeout=WAIT)
    assert QApplication.focusWidget() is tab.details.summary_edit     # the field they chose
    start_typing(qtbot, tab, "e")
    typed += "e"
    qtbot.mouseClick(tab.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.composer.toPlainText() == "", timeout=WAIT)
    assert_typing_goes_on(qtbot, tab, name, "", "next")


# --- item 5: the ticket from a chat --------------------------------------------------------------


def test_ticket_from_a_chat_is_in_its_department_and_system_lines_have_no_empty_author(
        qtbot, run, tasks, site):
    desk = Desk(qtbot, run, tasks, site, department="Technical support")
    try:
        tab = open_tab(desk, qtbot)
        authorize(desk, qtbot, run, site, tab)
        qtbot.mouseClick(tab.details.create_ticket_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: tab.details.ticket_dialog is not None, timeout=WAIT)
        form = tab.details.ticket_dialog.form
        qtbot.waitUntil(lambda: form.department_combo.count() > 1, timeout=WAIT)
        assert form.department_combo.currentData() == desk.chat.department_id
        assert form.department_combo.currentText() == "Technical support"

        text = form.message_edit.toPlainText()
        lines = text.splitlines()
        assert not [line for line in lines if re.match(r"^\[[^\]]+\] :", line)], text
        system = [m for m in desk.server_messages() if m["author_kind"] == AuthorKind.SYSTEM]
        assert len(system) == 2           # the ask and "Logged in to the client area as …"
        for m in system:
            assert any(re.fullmatch(r"\[[^\]]+\] " + re.escape(m["text"]), line)
                       for line in lines), (m["text"], text)
        assert any(line.endswith("] Ann Example: Hello, my invoice looks wrong")
                   for line in lines), text
        tab.details.ticket_dialog.close()
    finally:
        desk.close()


# --- item 14: wording ----------------------------------------------------------------------------


def test_each_ask_confirms_with_its_own_sentence_and_the_preview_speaks_to_agents(
        qtbot, desk, run):
    tab = open_tab(desk, qtbot)
    section = tab.details.client_section
    said = {}
    for kind, button in (("login", section.login_button), ("register", section.register_button),
                         ("authorize", section.authorize_button)):
        before = section.status_label.text()
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda b=before: section.status_label.text() not in ("", b)
                        and section.login_button.isEnabled(), timeout=WAIT)
        said[kind] = section.status_label.text()
        # the list of chats shows the chat's last line: for an ask, in words for agents
        qtbot.waitUntil(lambda: "the visitor" in tab.chat.last_message_preview, timeout=WAIT)
        preview = tab.chat.last_message_preview
        assert preview.startswith("Dana Demo ") and " you " not in f" {preview} "
    assert said == {"login": "The visitor sees the login form now.",
                    "register": "The visitor sees the registration form now.",
                    "authorize": "The visitor was asked to confirm who they are (they may log "
                                 "in or decline)."}
    chat = run(desk.backend.get_chat(desk.chat_id))
    assert chat.last_message_preview == ("Dana Demo asked the visitor to confirm who they are "
                                         "by logging in.")
    # the visitor still reads the line addressed to them
    assert "asked you to confirm who you are" in desk.server_messages()[-1]["text"]


# --- item 17: no browser -------------------------------------------------------------------------


def test_client_area_without_a_browser_offers_to_copy_the_link(qtbot, desk, run, site,
                                                                 monkeypatch, tmp_path):
    tab = open_tab(desk, qtbot)
    section = tab.details.client_section
    authorize(desk, qtbot, run, site, tab)
    assert not section.copy_link_button.isVisible()
    # QDesktopServices.openUrl() returns False when no browser can be started; the section opens
    # links through its ``url_opener`` (QDesktopServices.openUrl), replaced here by one that
    # fails as openUrl does, because the test machine must not start a real browser.
    tried: list[str] = []
    monkeypatch.setattr(ChatClientSection, "url_opener",
                        staticmethod(lambda url: tried.append(url.toString()) and False))
    opened: list[str] = []
    section.linkOpened.connect(opened.append)
    QGuiApplication.clipboard().clear()
    qtbot.mouseClick(section.drill_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: section.copy_link_button.isVisible(), timeout=WAIT)
    assert len(tried) == 1 and opened == []
    assert "No web browser could be started" in section.status_label.text()
    assert "opened in your browser" not in section.status_label.text()
    shot(tab, "chat-panel-copy-link.png", tmp_path)
    qtbot.mouseClick(section.copy_link_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == tried[0]
    assert tried[0].startswith(site.url + "/client-area/open/")
    assert section.status_label.text().startswith("The link is on the clipboard")
    # a browser that opens: no copy button, and no claim that a page is showing
    monkeypatch.setattr(ChatClientSection, "url_opener", staticmethod(lambda url: True))
    with qtbot.waitSignal(section.linkOpened, timeout=WAIT):
        qtbot.mouseClick(section.drill_button, Qt.MouseButton.LeftButton)
    assert not section.copy_link_button.isVisible()
    assert "handed to your web browser" in section.status_label.text()


# --- item 19a: long titles -----------------------------------------------------------------------


def test_long_page_title_without_spaces_is_elided_with_the_full_title_in_the_tooltip(
        qtbot, desk, tmp_path):
    tab = open_tab(desk, qtbot)
    # no place to break the line; an override early in it must keep its terminator (the cut
    # part is isolated after the cut)
    title = "Pricing" + RLO + "gpjexe" + "VeryLongProductNameWithoutAnySpaces" * 2
    url = "https://example-hosting.test/" + "deep/" * 20 + "page"
    referrer = "https://ads.test/?click=" + "a1b2c3d4" * 20
    desk.run(desk.visitor.ws.send(json.dumps({"op": "page", "url": url, "title": title,
                                              "referrer": referrer})))
    label = tab.info["page"]
    qtbot.waitUntil(lambda: title in label.full_text(), timeout=WAIT)
    shown_title, _, shown_url = label.text().partition("\n")
    fm = label.fontMetrics()
    width = label.contentsRect().width()
    assert shown_title.startswith(FSI) and shown_title.endswith(PDI + "…"), repr(shown_title)
    assert fm.horizontalAdvance(shown_title) <= width
    assert title.startswith(shown_title[1:-2]) and len(shown_title) > 10
    assert shown_url == url                 # an address still wraps at its slashes, whole
    assert label.toolTip() and "VeryLongProductNameWithoutAnySpacesVeryLong" in label.toolTip()
    assert label.textFormat() == Qt.TextFormat.PlainText
    # the same for the referrer (a long query without a place to break)
    ref = tab.info["referrer"]
    assert ref.text().endswith("…") and referrer in ref.full_text() and ref.toolTip()
    cut_run = ref.text().rsplit("=", 1)[-1]
    assert fm.horizontalAdvance(cut_run) <= width and referrer.endswith("a1b2c3d4")
    shot(tab, "chat-panel-long-title.png", tmp_path)

    # a short title is shown whole, without a tooltip
    desk.run(desk.visitor.ws.send(json.dumps({"op": "page", "url": "https://x.test/vps",
                                              "title": "VPS", "referrer": ""})))
    qtbot.waitUntil(lambda: label.text() == "VPS\nhttps://x.test/vps", timeout=WAIT)
    assert label.toolTip() == ""


def test_create_ticket_from_the_keyboard_does_not_hand_the_subject_to_the_next_keys(
        qtbot, desk, run, site):
    """Tab to Create ticket, press Space: while the ticket is created the button is disabled;
    the focus must not fall to the subject (with its text selected) for the next keys."""
    tab = open_tab(desk, qtbot)
    authorize(desk, qtbot, run, site, tab)
    qtbot.mouseClick(tab.details.create_ticket_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.details.ticket_dialog is not None
                    and tab.details.ticket_dialog.isVisible(), timeout=WAIT)
    dialog = tab.details.ticket_dialog
    form = dialog.form
    qtbot.waitUntil(lambda: form.department_combo.count() > 0, timeout=WAIT)
    subject = form.subject_edit.text()
    form.create_button.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is form.create_button, timeout=WAIT)
    with qtbot.waitSignal(dialog.created, timeout=WAIT) as sig:
        qtbot.keyClick(form.create_button, Qt.Key.Key_Space)
        assert form.busy
        assert QApplication.focusWidget() is not form.subject_edit
        if QApplication.focusWidget() is not None:
            type_keys(qtbot, "oops")
        assert form.subject_edit.text() == subject
    assert sig.args[0].subject == subject
