"""The visitor widget in a real browser (Debian's Chromium driven by playwright) against the real
server: a visitor chats from the demo site, an agent (plain httpx + the agent event stream) sees the
chat with the page URL, takes it, replies, and closes it; the visitor sees each step. A second test
drops the server in the middle and checks that the widget resends the unacknowledged message once.

Playwright's own browser downloads are never used: Chromium comes from the system."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest

from tests.support.agent_events import AgentEvents, agent_client
from tests.support.server import ServerProcess

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)", allow_module_level=True)

from playwright.async_api import async_playwright, expect  # noqa: E402

TIMEOUT_MS = 20_000


def _assert_clean_log(server) -> None:
    text = server.log_path.read_text(errors="replace")
    for marker in ("Traceback", "Exception in ASGI application", "500 Internal Server Error"):
        assert marker not in text, f"server log has {marker!r}:\n{text[-6000:]}"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """One demo server for this module: every test uses its own visitor and chat. (The restart
    test has a server of its own.)"""
    srv = ServerProcess(tmp_path_factory.mktemp("widget-server"), demo=True, demo_clients=20)
    srv.start()
    yield srv
    srv.stop()
    _assert_clean_log(srv)


@pytest.fixture
async def browser():
    async with async_playwright() as p:
        b = await p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            await b.close()


async def _new_page(browser, errors: list[str]):
    page = await browser.new_page(viewport={"width": 1100, "height": 800})
    page.set_default_timeout(TIMEOUT_MS)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return page


async def test_visitor_and_agent_chat_through_the_embedded_widget(site, browser):
    errors: list[str] = []
    http, token = await agent_client(site)
    try:
        depts = {d["name"]: d["id"] for d in (await http.get("/departments")).json()["items"]}
        async with AgentEvents(site, token) as events:
            page = await _new_page(browser, errors)
            await page.goto(f"{site.url}/demo-site/pricing")
            await page.click(".sdw-launcher")
            w = page.frame_locator("#supportdesk-widget")

            # The visitor starts a chat in Billing.
            await w.locator("label.sd-dept", has_text="Billing").click()
            await w.locator("#sd-name").fill("Ann Browser")
            await w.locator("#sd-first").fill("Hello from a real browser <b>is this bold?</b>")
            await w.locator("#sd-start-btn").click()

            chat = await events.wait("chat.created", lambda c: c["visitor_name"] == "Ann Browser")
            chat_id = chat["id"]
            assert chat["department_id"] == depts["Billing"]
            assert chat["visitor"]["page_url"] == f"{site.url}/demo-site/pricing"
            assert "Chrome" in (chat["visitor"]["user_agent"] or "")
            assert chat["visitor"]["language"]
            msg = await events.wait("chat.message", lambda d: d["chat"]["id"] == chat_id)
            assert msg["message"]["text"] == "Hello from a real browser <b>is this bold?</b>"
            assert msg["message"]["author_kind"] == "visitor"
            await expect(w.locator('#sd-log li[data-status="sent"]')).to_have_count(1)
            # untrusted text is shown as text
            await expect(w.locator(".sd-msg-visitor .sd-bubble").first).to_have_text(
                "Hello from a real browser <b>is this bold?</b>")
            assert await w.locator(".sd-bubble b").count() == 0

            # Enter sends; Shift+Enter makes a new line.
            composer = w.locator("#sd-input")
            await composer.fill("first line")
            await composer.press("Shift+Enter")
            await composer.press_sequentially("second line")
            await composer.press("Enter")
            msg = await events.wait("chat.message", lambda d: d["chat"]["id"] == chat_id
                                    and d["message"]["text"].startswith("first line"))
            assert msg["message"]["text"] == "first line\nsecond line"
            await expect(w.locator('#sd-log li[data-status="sent"]')).to_have_count(2)

            # In-page navigation on the host site (history.pushState) reaches the agent.
            await page.click("button[data-tab=vps]")
            updated = await events.wait("chat.updated", lambda c: c["id"] == chat_id and
                                        "plan=vps" in (c["visitor"]["page_url"] or ""))
            assert updated["visitor"]["page_title"].startswith("VPS")

            # The agent takes the chat: the visitor sees who answers.
            r = await http.post(f"/chats/{chat_id}/take")
            assert r.status_code == 200, r.text
            await expect(w.locator("#sd-title")).to_have_text("Dana Demo")
            await expect(w.locator("#sd-subtitle")).to_have_text("Billing")
            await expect(w.locator(".sd-notice", has_text="Dana Demo joined the chat.")).to_have_count(1)

            # Typing both ways.
            r = await http.post(f"/chats/{chat_id}/typing", json={"typing": True})
            assert r.status_code == 204, r.text
            await expect(w.locator("#sd-typing")).to_have_text("Dana Demo is typing…")
            await composer.press_sequentially("I am typ")
            typing = await events.wait("chat.typing", lambda d: d["chat_id"] == chat_id
                                       and d["author_kind"] == "visitor" and d["typing"])
            assert typing["typing"] is True

            # The agent replies (with markup that must stay text); the visitor sees it.
            reply = "<img src=x onerror=alert(1)> Your payment is in, thanks! https://example.com/inv"
            r = await http.post(f"/chats/{chat_id}/messages",
                                json={"client_msg_id": "agent-1", "text": reply})
            assert r.status_code == 201, r.text
            agent_bubble = w.locator(".sd-msg-agent .sd-bubble").first
            await expect(agent_bubble).to_have_text(reply)
            assert await w.locator(".sd-log img").count() == 0
            assert await agent_bubble.locator("a").get_attribute("href") == "https://example.com/inv"
            await expect(w.locator(".sd-msg-agent .sd-author").first).to_have_text("Dana Demo")
            await expect(w.locator("#sd-typing")).to_be_hidden()

            # The visitor answers; the agent sees it.
            await composer.fill("Great, thank you!")
            await composer.press("Enter")
            await events.wait("chat.message", lambda d: d["chat"]["id"] == chat_id
                              and d["message"]["text"] == "Great, thank you!")

            # Minimised on the host page, a new agent message shows as a badge on the button.
            await w.locator("#sd-minimize").click()
            await expect(page.locator("#supportdesk-widget")).to_be_hidden()
            r = await http.post(f"/chats/{chat_id}/messages",
                                json={"client_msg_id": "agent-2", "text": "Anything else?"})
            assert r.status_code == 201, r.text
            await expect(page.locator(".sdw-badge")).to_have_text("1")
            await page.click(".sdw-launcher")
            await expect(page.locator("#supportdesk-widget")).to_be_visible()
            await expect(page.locator(".sdw-badge")).to_be_hidden()
            await expect(w.locator(".sd-msg-agent .sd-bubble").last).to_have_text("Anything else?")

            # The agent closes the chat: the visitor is told and can start a new one.
            r = await http.post(f"/chats/{chat_id}/close", json={"reason": "solved"})
            assert r.status_code == 200, r.text
            await expect(w.locator("#sd-closed")).to_be_visible()
            await expect(w.locator("#sd-subtitle")).to_have_text("Chat closed")
            await expect(w.locator("#sd-end")).to_be_hidden()
            await w.locator("#sd-new-chat").click()
            await expect(w.locator("#sd-view-start")).to_be_visible()
    finally:
        await http.aclose()
    assert errors == []
    _assert_clean_log(site)


async def test_embedded_widget_loads_lazily_and_follows_the_visitor_across_pages(site, browser):
    errors: list[str] = []
    http, token = await agent_client(site)
    try:
        async with AgentEvents(site, token) as events:
            page = await _new_page(browser, errors)
            await page.goto(f"{site.url}/demo-site")
            await expect(page.locator(".sdw-launcher")).to_be_visible()
            assert await page.locator("#supportdesk-widget").count() == 0   # nothing until asked
            await page.click(".sdw-launcher")
            w = page.frame_locator("#supportdesk-widget")
            await w.locator("label.sd-dept", has_text="Domains").click()
            await w.locator("#sd-first").fill("Transfer question from the home page")
            await w.locator("#sd-start-btn").click()
            chat = await events.wait("chat.created", lambda c: c["last_message_preview"]
                                     == "Transfer question from the home page")
            assert chat["visitor"]["page_url"] == f"{site.url}/demo-site"

            # A full page load: the widget comes back at once, open, in the same chat, and the
            # agent sees the new page.
            await page.click("nav >> text=Domains")
            await page.wait_for_url(f"{site.url}/demo-site/domains")
            await expect(page.locator("#supportdesk-widget")).to_be_visible()
            await expect(w.locator(".sd-msg-visitor .sd-bubble")).to_have_text(
                ["Transfer question from the home page"])
            await events.wait("chat.updated", lambda c: c["id"] == chat["id"] and
                              c["visitor"]["page_url"] == f"{site.url}/demo-site/domains")

            # Minimised, it still loads with the next page (hidden) because a chat is going on.
            await w.locator("#sd-minimize").click()
            await page.click("nav >> text=Pricing")
            await page.wait_for_url(f"{site.url}/demo-site/pricing")
            await expect(page.locator("#supportdesk-widget")).to_be_attached()
            await expect(page.locator("#supportdesk-widget")).to_be_hidden()
            await events.wait("chat.updated", lambda c: c["id"] == chat["id"] and
                              c["visitor"]["page_url"] == f"{site.url}/demo-site/pricing")
    finally:
        await http.aclose()
    assert errors == []


async def test_visitor_ends_the_chat_and_agent_sees_it(site, browser):
    errors: list[str] = []
    http, token = await agent_client(site)
    try:
        async with AgentEvents(site, token) as events:
            page = await _new_page(browser, errors)
            await page.goto(f"{site.url}/widget")
            await page.locator("label.sd-dept", has_text="Domains").click()
            await page.locator("#sd-first").fill("Is example.org available?")
            await page.locator("#sd-first").press("Enter")   # Enter starts the chat too
            chat = await events.wait("chat.created", lambda c: c["last_message_preview"]
                                     == "Is example.org available?")
            assert chat["visitor"]["page_url"] == f"{site.url}/widget"
            await page.locator("#sd-end").click()
            await page.locator("#sd-confirm-yes").click()
            closed = await events.wait("chat.updated", lambda c: c["id"] == chat["id"]
                                       and c["state"] == "closed")
            assert closed["closed_at"]
            await expect(page.locator("#sd-closed")).to_be_visible()
    finally:
        await http.aclose()
    assert errors == []
    _assert_clean_log(site)


async def test_visitor_is_told_when_the_chat_is_forwarded(site, browser):
    errors: list[str] = []
    http, token = await agent_client(site)
    try:
        depts = {d["name"]: d["id"] for d in (await http.get("/departments")).json()["items"]}
        async with AgentEvents(site, token) as events:
            page = await _new_page(browser, errors)
            await page.goto(f"{site.url}/widget")
            await page.locator("label.sd-dept", has_text="Technical support").click()
            await page.locator("#sd-first").fill("I would like a quote for ten VPS")
            await page.locator("#sd-start-btn").click()
            chat = await events.wait("chat.created", lambda c: c["last_message_preview"]
                                     == "I would like a quote for ten VPS")
            assert (await http.post(f"/chats/{chat['id']}/take")).status_code == 200
            await expect(page.locator("#sd-title")).to_have_text("Dana Demo")
            sales_http, _ = await agent_client(site, "olivia")   # someone online in Sales
            await sales_http.aclose()
            r = await http.post(f"/chats/{chat['id']}/forward",
                                json={"department_id": depts["Sales"], "comment": "wants a quote"})
            assert r.status_code == 200, r.text
            await expect(page.locator(".sd-notice", has_text="forwarded to Sales")).to_have_count(1)
            await expect(page.locator("#sd-title")).to_have_text("Sales")
            await expect(page.locator("#sd-subtitle")).to_have_text("Forwarded here, waiting for an agent…")
            # the conversation goes on while the chat waits in the other department
            await page.locator("#sd-input").fill("Still here")
            await page.locator("#sd-input").press("Enter")
            await expect(page.locator('#sd-log li[data-status="sent"]')).to_have_count(2)
    finally:
        await http.aclose()
    assert errors == []
    _assert_clean_log(site)


async def test_two_tabs_of_one_visitor_share_the_chat(site, browser):
    errors: list[str] = []
    context = await browser.new_context()
    try:
        tab_a, tab_b = await context.new_page(), await context.new_page()
        for tab in (tab_a, tab_b):
            tab.set_default_timeout(TIMEOUT_MS)
            tab.on("pageerror", lambda exc: errors.append(str(exc)))
            await tab.goto(f"{site.url}/widget")
            await expect(tab.locator("#sd-view-start")).to_be_visible()
        assert await tab_a.evaluate("localStorage.getItem('supportdesk.visitor_token')") == \
            await tab_b.evaluate("localStorage.getItem('supportdesk.visitor_token')")

        await tab_a.locator("#sd-first").fill("Question from tab A")
        await tab_a.locator("#sd-start-btn").click()
        await expect(tab_b.locator(".sd-msg-visitor .sd-bubble")).to_have_text(["Question from tab A"])
        await tab_b.locator("#sd-input").fill("Follow-up from tab B")
        await tab_b.locator("#sd-input").press("Enter")
        await expect(tab_a.locator(".sd-msg-visitor .sd-bubble")).to_have_text(
            ["Question from tab A", "Follow-up from tab B"])
        await tab_b.locator("#sd-end").click()
        await tab_b.locator("#sd-confirm-yes").click()
        await expect(tab_a.locator("#sd-closed")).to_be_visible()
    finally:
        await context.close()
    assert errors == []


async def test_a_refused_start_returns_to_the_form_with_the_question_kept(site, browser):
    errors: list[str] = []
    page = await _new_page(browser, errors)
    await page.goto(f"{site.url}/widget")
    await expect(page.locator("label.sd-dept")).to_have_count(4)
    # a department that vanished between welcome and start
    await page.evaluate("window.SupportDeskWidget.state().selectedDept = 987654")
    await page.locator("#sd-first").fill("Anyone there?")
    await page.locator("#sd-start-btn").click()
    await expect(page.locator("#sd-start-error")).to_be_visible()
    await expect(page.locator("#sd-view-start")).to_be_visible()
    await expect(page.locator("#sd-first")).to_have_value("Anyone there?")
    await expect(page.locator("#sd-start-btn")).to_be_enabled()
    assert errors == []


async def test_messages_refused_by_the_rate_limit_are_sent_later(site, browser):
    """The site accepts 30 visitor messages per 10 s; the widget keeps the rest pending and
    sends them after ``retry_after``, each exactly once."""
    errors: list[str] = []
    page = await _new_page(browser, errors)
    await page.goto(f"{site.url}/widget")
    await page.locator("label.sd-dept", has_text="Sales").click()
    await page.locator("#sd-name").fill("Flood Fred")
    await page.locator("#sd-first").fill("message 0")
    await page.locator("#sd-start-btn").click()
    await expect(page.locator('#sd-log li[data-status="sent"]')).to_have_count(1)
    composer = page.locator("#sd-input")
    for i in range(1, 36):
        await composer.fill(f"message {i}")
        await composer.press("Enter")
    await expect(page.locator("#sd-error")).to_be_visible()           # told to slow down
    await expect(page.locator('#sd-log li[data-status="sent"]')).to_have_count(36, timeout=40_000)
    http, _ = await agent_client(site)
    try:
        chats = (await http.get("/chats", params={"state": "waiting"})).json()["items"]
        chat = next(c for c in chats if c["visitor_name"] == "Flood Fred")
        items = (await http.get(f"/chats/{chat['id']}/messages", params={"limit": 100})).json()["items"]
        assert sorted(m["text"] for m in items) == sorted(f"message {i}" for i in range(36))
    finally:
        await http.aclose()
    assert errors == []


async def test_widget_resends_unacknowledged_messages_after_a_server_restart(server, browser):
    errors: list[str] = []
    page = await _new_page(browser, errors)
    await page.goto(f"{server.url}/widget")
    await page.locator("label.sd-dept", has_text="Technical support").click()
    await page.locator("#sd-name").fill("Resend Rita")
    await page.locator("#sd-first").fill("My VPS does not boot")
    await page.locator("#sd-start-btn").click()
    await expect(page.locator('#sd-log li[data-status="sent"]')).to_have_count(1)

    await asyncio.to_thread(server.stop)
    composer = page.locator("#sd-input")
    await composer.fill("written while the server was down")
    await composer.press("Enter")
    pending = page.locator("li.sd-msg-visitor", has_text="written while the server was down")
    await expect(pending).to_have_attribute("data-status", "pending")
    await expect(pending.locator(".sd-status")).to_have_text(re.compile("Not sent|Sending"))

    await asyncio.to_thread(server.start)   # same port and database
    await expect(pending).to_have_attribute("data-status", "sent", timeout=40_000)

    http, _ = await agent_client(server)
    try:
        chats = (await http.get("/chats", params={"state": "waiting"})).json()["items"]
        chat = next(c for c in chats if c["visitor_name"] == "Resend Rita")
        texts = [m["text"] for m in (await http.get(f"/chats/{chat['id']}/messages")).json()["items"]]
        assert texts.count("My VPS does not boot") == 1
        assert texts.count("written while the server was down") == 1
    finally:
        await http.aclose()
    assert errors == []
    _assert_clean_log(server)
