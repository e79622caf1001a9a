"""Render docs/images/chat-tab.png: a chat tab with a realistic conversation, offscreen.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/chat_tab_screenshot.py [out.png]

Starts the real server (demo data) in a temp dir, opens a chat as a visitor, takes it as the demo
agent, exchanges a few messages both ways through the real protocol, then grabs the tab.
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

from supportdesk_qt.qt import QApplication, QEventLoop  # noqa: E402
from supportdesk_qt.ui.tabs import TabContext  # noqa: E402


async def main(out: Path) -> None:
    from supportdesk_qt.backend.http import HttpBackend
    from supportdesk_qt.core.drafts import DraftStore
    from supportdesk_qt.core.outbox import Outbox
    from supportdesk_qt.ui.bridge import Bridge
    from supportdesk_qt.ui.chat import ChatTab
    from supportdesk_qt.ui.tasks import TaskRegistry
    from tests.support.server import ServerProcess
    from tests.ui.visitor import Visitor

    tmp = Path(tempfile.mkdtemp(prefix="chat-shot-"))
    server = ServerProcess(tmp / "server", demo=True, demo_clients=10)
    server.start()
    tasks = TaskRegistry()
    backend = HttpBackend(server.url)
    try:
        await backend.login("demo", "demo")
        bridge = Bridge(tasks)
        bridge.attach(backend)
        await backend.start_events()
        await backend.wait_connected()
        visitor = Visitor(server.url)
        await visitor.connect(page_url="https://example-hosting.test/billing/invoices/INV-20931")
        await visitor.start_chat("Billing", "Maria Lopez",
                                 "Hi! I was charged twice for my VPS this month.")
        chat_id = visitor.chat["id"]
        chat = await backend.take_chat(chat_id)

        async def visitor_says(text: str) -> None:
            await visitor.ws.send(json.dumps({"op": "message", "text": text,
                                              "client_msg_id": f"v-{uuid.uuid4().hex[:12]}"}))
            await asyncio.sleep(0.15)

        async def agent_says(text: str) -> None:
            await backend.send_message(chat_id, text, f"c-{uuid.uuid4().hex}")
            await asyncio.sleep(0.15)

        await visitor_says("Invoice INV-20931 and INV-20932, both 24.90 EUR, same day.")
        await agent_says("Hello Maria, I'm sorry about that — let me look at your account.")
        await agent_says("I can see both charges. The second one came from a retried card "
                         "payment; I've started a refund for INV-20932.")
        await visitor_says("Thank you! How long does the refund take?")
        await agent_says("Usually 3–5 business days. You can follow it here: "
                         "https://example-hosting.test/billing/refunds")
        await visitor_says("Great. Could you also switch me to yearly billing? <b>No rush</b>")

        drafts = DraftStore(tmp / "drafts.json")
        outbox = Outbox(tmp / "outbox.sqlite3", backend)
        context = TabContext.of(backend, tasks, bridge=bridge, drafts=drafts, outbox=outbox,
                                agent=backend.agent)
        tab = ChatTab(context, chat, department="Billing")     # sends through the outbox
        tab.resize(1000, 640)
        tab.show()
        while not tab.model.is_loaded:
            await asyncio.sleep(0.05)
        tab.compose.feed.add("Sure — yearly billing saves two months. Switching it now.")
        await asyncio.sleep(0.6)
        await visitor.ws.send(json.dumps({"op": "typing", "typing": True}))
        tab.composer.set_text_silently("The change applies from your next invoice on 1 Dec")
        await asyncio.sleep(0.8)
        tab.view.scroll_to_bottom()
        await asyncio.sleep(0.3)
        out.parent.mkdir(parents=True, exist_ok=True)
        tab.grab().save(str(out))
        print(out)
        tab.dispose()
        await outbox.close()
        await visitor.close()
        await bridge.detach()
    finally:
        await backend.close()
        await tasks.cancel_all()
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "images" / "chat-tab.png"
    app = QApplication(sys.argv[:1])
    loop = QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        loop.run_until_complete(main(target))
