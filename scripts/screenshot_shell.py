"""Render docs/images/main-window.png and docs/images/queue-popup.png, offscreen, from the real app.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshot_shell.py [out_dir] [--theme dark]
        [--palette] [--language ru]

``--theme light|dark`` applies that theme first (as the settings do; ``ui/theme_switch.py``);
the dark pictures are named ``main-window-dark.png``, ``queue-popup-dark.png``, and with
``--palette`` also ``command-palette[-dark].png`` (Ctrl+K, "ta" typed) and
``shortcut-sheet[-dark].png`` (F1). ``--language ru`` (or ``en``, ``system``) shows the desk in
that language, as the ``language`` setting would, and adds ``-ru`` to the names
(``main-window-ru.png``, ``main-window-dark-ru.png``).

Starts the real server (demo data) in a temp dir; visitors open chats over the public visitor
protocol; the demo agent's MainWindow takes one (a short conversation), a second one gets a message
while another tab is in front (the unread badge), one chat is forwarded (the arrows marker), a client
tab is open. Then it grabs the window, and the window with the list of chats popped up under the
counter.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import sys
import tempfile
import uuid
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from supportdesk_qt.qt import QApplication, QEventLoop, QPainter, QPixmap, QPoint, QRect  # noqa: E402


async def pause(s: float = 0.2) -> None:
    await asyncio.sleep(s)     # a script, not a test: give events time to arrive


async def main(out_dir: Path, theme_name: str = "light", palette_shots: bool = False,
               language_suffix: str = "") -> None:
    from supportdesk_qt.backend.http import HttpBackend
    from supportdesk_qt.core.drafts import DraftStore
    from supportdesk_qt.core.workspace import Workspace
    from supportdesk_qt.core.settings import Preferences, WindowState
    from supportdesk_qt.ui.bridge import Bridge
    from supportdesk_qt.ui.main_window import MainWindow
    from supportdesk_qt.ui.tasks import TaskRegistry
    from supportdesk_qt.ui.theme_switch import theme_switch
    from tests.support.server import ServerProcess
    from tests.ui.visitor import Visitor

    tmp = Path(tempfile.mkdtemp(prefix="shell-shot-"))
    server = ServerProcess(tmp / "server", demo=True, demo_clients=30)
    server.start()
    tasks = TaskRegistry()
    backend = HttpBackend(server.url)
    visitors: list[Visitor] = []
    try:
        await backend.login("demo", "demo")
        # the demo seeds chats assigned to the demo agent; close them for a clean picture
        page = await backend.list_chats(mine=True, limit=100)
        for c in page.items:
            if c.state.value == "active":
                await backend.close_chat(c.id)

        async def visitor(dept: str, name: str, text: str, url: str) -> Visitor:
            v = Visitor(server.url)
            await v.connect(page_url=url)
            await v.start_chat(dept, name, text)
            visitors.append(v)
            return v

        async def says(v: Visitor, text: str) -> None:
            await v.ws.send(json.dumps({"op": "message", "text": text,
                                        "client_msg_id": f"v-{uuid.uuid4().hex[:12]}"}))
            await pause(0.15)

        maria = await visitor("Billing", "Maria Lopez", "Hi! I was charged twice for my VPS this month.",
                              "https://example-hosting.test/billing/invoices/INV-20931")
        jon = await visitor("Technical support", "Jonas Berg", "My WordPress site shows a 502 since "
                            "this morning", "https://example-hosting.test/status")
        await visitor("Sales", "Aiko Weber", "Do you offer a discount for 3-year plans?",
                      "https://example-hosting.test/pricing")
        await visitor("Domains", "Pedro Alves", "How do I move my .com domain to you?",
                      "https://example-hosting.test/domains/transfer")
        fwd = await visitor("Technical support", "Lena Fischer",
                            "Refund for the SSL certificate I never used, please",
                            "https://example-hosting.test/ssl")
        await pause(0.3)
        # a colleague forwards Lena's chat to Billing (the arrows marker)
        from supportdesk_protocol.schemas import AgentStatus
        await backend.set_status(AgentStatus.ONLINE)       # someone online in Billing: the forward
        tom = HttpBackend(server.url)
        await tom.login("tom", "demo")
        billing = next(d.id for d in await tom.departments() if d.name == "Billing")
        await tom.take_chat(fwd.chat["id"])
        await tom.forward_chat(fwd.chat["id"], billing, "Refund question, not technical")
        await tom.close()

        bridge = Bridge(tasks)
        state = WindowState.load(tmp / "state.json")
        state.changelog_seen_version = "0"
        prefs = Preferences.load(tmp / "settings.json")
        prefs.theme = theme_name
        theme_switch().bind(prefs)                         # as app.py's Desk does
        suffix = ("-dark" if theme_name == "dark" else "") + language_suffix
        window = MainWindow(bridge, tasks, state, prefs=prefs)
        workspace = Workspace(backend, backend.agent, server_label=server.url.split("://", 1)[-1],
                              drafts=DraftStore(tmp / "drafts.json"), spawn=tasks.spawn)
        workspace.start()
        window.set_workspace(workspace)
        bridge.attach(backend)
        await backend.start_events()
        await backend.wait_connected()
        window.resize(1280, 780)
        window.show()
        window.activateWindow()
        await pause(0.8)

        # take Maria's and Jonas's chats; talk a little with Maria
        window.take_chat(maria.chat["id"])
        await pause(0.6)
        window.take_chat(jon.chat["id"])
        await pause(0.6)
        m_id = maria.chat["id"]
        await says(maria, "Invoice INV-20931 and INV-20932, both 24.90 EUR, same day.")
        await backend.send_message(m_id, "Hello Maria, I'm sorry about that — let me look at "
                                   "your account.", f"c-{uuid.uuid4().hex}")
        await pause(0.2)
        await backend.send_message(m_id, "I can see both charges. The second one came from a "
                                   "retried card payment; I've started a refund for INV-20932.",
                                   f"c-{uuid.uuid4().hex}")
        await pause(0.2)
        await says(maria, "Thank you! How long does the refund take?")
        # a client tab in the row of tabs
        tickets = await backend.list_tickets(limit=20)
        client_id = next(t.client_id for t in tickets.items if t.client_id)
        window.tab_manager.open_client(client_id, focus=False)
        await pause(0.4)
        window.navigator.open_key(f"chat:{m_id}")
        await pause(0.3)
        # Jonas writes while Maria's tab is in front: his tab gets the unread count
        await says(jon, "It's example-shop.test, on the Business plan")
        await says(jon, "Any news?")
        await pause(0.6)
        tab = window.tab_manager.chat_tab(m_id)
        tab.composer.set_text_silently("Usually 3–5 business days")
        tab.view.scroll_to_bottom()
        window.statusBar().clearMessage()
        await pause(1.2)           # let the waiting times tick a little

        out_dir.mkdir(parents=True, exist_ok=True)
        shot = window.grab()
        shot.save(str(out_dir / f"main-window{suffix}.png"))

        window.show_queue_popup()
        popup = window.queue_popup
        await pause(0.4)
        pix = QPixmap(window.grab())
        painter = QPainter(pix)
        # where the pop-up sits under the counter (the offscreen "screen" is smaller than the
        # window, so its real position was clamped; place it as on a desktop)
        counter = window.counter_button
        anchor = counter.mapTo(window, QPoint(counter.width(), counter.height() + 2))
        pos = QPoint(anchor.x() - popup.width(), anchor.y())
        painter.drawPixmap(pos, popup.grab())
        painter.end()
        width = 700
        crop = QRect(pix.width() - width, 0, width, min(pix.height(), pos.y() + popup.height() + 24))
        pix.copy(crop).save(str(out_dir / f"queue-popup{suffix}.png"))
        popup.hide()
        print(out_dir / f"main-window{suffix}.png", out_dir / f"queue-popup{suffix}.png")
        if palette_shots:
            await palette_pictures(window, out_dir, suffix)
        window.set_workspace(None)
        await workspace.close()
        await bridge.detach()
    finally:
        for v in visitors:
            await v.close()
        await backend.close()
        await tasks.cancel_all()
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)


async def palette_pictures(window, out_dir: Path, suffix: str) -> None:
    """The command palette over the window (Ctrl+K, two letters typed) and the F1 sheet."""
    from supportdesk_qt.qt import QPoint as Point

    window.commands.trigger("palette.open")
    palette = window.command_palette
    palette.edit.setText("ta")
    palette.edit.textEdited.emit("ta")
    await pause(0.6)                   # the client search answers
    pix = QPixmap(window.grab())
    painter = QPainter(pix)
    # the palette is a pop-up window: paint it where it sits over the main window
    painter.drawPixmap(window.mapFromGlobal(palette.mapToGlobal(Point(0, 0))), palette.grab())
    painter.end()
    pix.save(str(out_dir / f"command-palette{suffix}.png"))
    palette.close_palette()
    window.commands.trigger("help.shortcuts")
    await pause(0.3)
    window.shortcut_sheet.grab().save(str(out_dir / f"shortcut-sheet{suffix}.png"))
    window.shortcut_sheet.hide()
    print(out_dir / f"command-palette{suffix}.png", out_dir / f"shortcut-sheet{suffix}.png")


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", nargs="?", type=Path, default=ROOT / "docs" / "images")
    parser.add_argument("--theme", choices=("light", "dark"), default="light")
    parser.add_argument("--palette", action="store_true",
                        help="also the command palette and the shortcut sheet")
    parser.add_argument("--language", default="en", help="en, ru or system")
    args = parser.parse_args()
    app = QApplication(sys.argv[:1])
    from supportdesk_qt.i18n import translations
    language = translations().apply(args.language)
    loop = QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        loop.run_until_complete(main(args.out_dir, args.theme, args.palette,
                                     "" if language == "en" else f"-{language}"))
