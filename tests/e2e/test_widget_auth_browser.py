"""Log in and register from the widget in a real browser (Debian's Chromium, playwright) against
the real demo server: the agent (HTTP API) asks the visitor to authorize / register, the visitor
fills the form in Chromium, the chat becomes the client's (chat.authorized on the agent stream,
"Logged in as" in the widget). Demo client users' password is "demo" (docs/widget.md)."""

from __future__ import annotations

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


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    srv = ServerProcess(tmp_path_factory.mktemp("widget-auth-server"), demo=True, demo_clients=20)
    srv.start()
    yield srv
    srv.stop()
    text = srv.log_path.read_text(errors="replace")
    for marker in ("Traceback", "Exception in ASGI application", "500 Internal Server Error"):
        assert marker not in text, f"server log has {marker!r}:\n{text[-6000:]}"


@pytest.fixture
async def browser():
    async with async_playwright() as p:
        b = await p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            await b.close()


async def _open_chat(browser, site, http, events, name: str, errors: list[str]):
    """``browser``: a playwright Browser, or a BrowserContext (a locale of its own)."""
    size = {"viewport": {"width": 600, "height": 820}} if hasattr(browser, "new_context") else {}
    page = await browser.new_page(**size)      # a context has its own viewport
    page.set_default_timeout(TIMEOUT_MS)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    await page.goto(f"{site.url}/widget")
    await page.locator("label.sd-dept", has_text="Sales").click()
    await page.locator("#sd-name").fill(name)
    await page.locator("#sd-first").fill("Where is my invoice?")
    await page.locator("#sd-start-btn").click()
    chat = await events.wait("chat.created", lambda c: c["visitor_name"] == name)
    r = await http.post(f"/chats/{chat['id']}/take")
    assert r.status_code == 200, r.text
    await expect(page.locator("#sd-title")).to_have_text("Dana Demo")
    return page, chat["id"]


async def _demo_login(http) -> tuple[str, str]:
    """An enabled login user of a demo client (and the client's name)."""
    clients = (await http.get("/clients/search", params={"q": "a"})).json()
    for hit in clients["items"]:
        client = hit["client"]
        users = (await http.get(f"/clients/{client['id']}/users")).json()["items"]
        for user in users:
            if user["enabled"]:
                return user["login"], client["name"]
    raise AssertionError(f"no enabled demo client user in {clients!r}"[:2000])


async def test_visitor_logs_in_when_asked(site, browser, tmp_path):
    errors: list[str] = []
    http, token = await agent_client(site)
    try:
        login, client_name = await _demo_login(http)
        async with AgentEvents(site, token) as events:
            page, chat_id = await _open_chat(browser, site, http, events, "Lena Login", errors)
            await expect(page.locator("#sd-authorized")).to_be_hidden()

            # "Ask to authorize": the widget asks first; the visitor agrees.
            r = await http.post(f"/chats/{chat_id}/auth-request", json={"kind": "authorize"})
            assert r.status_code == 200, r.text
            await expect(page.locator("#sd-auth-ask")).to_be_visible()
            await expect(page.locator("#sd-ask-text")).to_contain_text("Dana Demo asks you to log in")
            await page.locator("#sd-ask-login").click()
            await expect(page.locator("#sd-login-form")).to_be_visible()

            # A wrong password: a sentence, the login stays, the password is cleared.
            await page.locator("#sd-login-login").fill(login)
            await page.locator("#sd-login-password").fill("not-the-password")
            await page.locator("#sd-login-btn").click()
            await expect(page.locator("#sd-login-error")).to_have_text("Wrong login or password.")
            await expect(page.locator("#sd-login-login")).to_have_value(login)
            await expect(page.locator("#sd-login-password")).to_have_value("")
            await page.screenshot(path=str(tmp_path / "widget-login-error.png"))

            await page.locator("#sd-login-password").fill("demo")
            await page.locator("#sd-login-password").press("Enter")
            event = await events.wait("chat.authorized", lambda d: d["chat"]["id"] == chat_id)
            assert event["login"] == login and event["registered"] is False
            assert event["chat"]["client_name"] == client_name
            await expect(page.locator("#sd-authorized")).to_have_text(f"Logged in as {client_name}")
            await expect(page.locator("#sd-view-chat")).to_be_visible()
            await expect(page.locator(".sd-system-text", has_text="Logged in to the client area as")
                         ).to_have_count(1)
            await page.screenshot(path=str(tmp_path / "widget-logged-in.png"))
            r = await http.get(f"/chats/{chat_id}")
            assert r.json()["client_name"] == client_name
        assert not errors, errors
    finally:
        await http.aclose()


async def test_visitor_registers_when_invited(site, browser, tmp_path):
    errors: list[str] = []
    http, token = await agent_client(site)
    try:
        async with AgentEvents(site, token) as events:
            page, chat_id = await _open_chat(browser, site, http, events, "Rita Register", errors)
            r = await http.post(f"/chats/{chat_id}/auth-request", json={"kind": "register"})
            assert r.status_code == 200, r.text
            form = page.locator("#sd-register-form")
            await expect(form).to_be_visible()
            await expect(page.locator("#sd-register-intro")).to_contain_text("Dana Demo invited you")

            # Missing fields are caught in the page; wrong ones by the server, next to the field.
            await page.locator("#sd-register-btn").click()
            await expect(page.locator("#sd-reg-name-error")).to_have_text("This field is required.")
            await page.locator("#sd-reg-name").fill("Rita's <Shop>")
            await page.locator("#sd-reg-email").fill("rita-at-example")
            await page.locator("#sd-reg-login").fill("rita.shop")
            await page.locator("#sd-reg-password").fill("short")
            await page.locator("#sd-register-btn").click()
            await expect(page.locator("#sd-reg-email-error")).to_contain_text("email address")
            await expect(page.locator("#sd-reg-password-error")).to_contain_text("at least 8")
            await expect(page.locator("#sd-reg-name-error")).to_be_hidden()
            await expect(page.locator("#sd-reg-name")).to_have_value("Rita's <Shop>")
            await page.screenshot(path=str(tmp_path / "widget-register-errors.png"))

            await page.locator("#sd-reg-email").fill("rita@shop.example")
            await page.locator("#sd-reg-password").fill("a-long-password")
            await page.locator("#sd-register-btn").click()
            event = await events.wait("chat.authorized", lambda d: d["chat"]["id"] == chat_id)
            assert event["registered"] is True and event["login"] == "rita.shop"
            assert event["chat"]["client_name"] == "Rita's <Shop>"
            await expect(page.locator("#sd-authorized")).to_have_text("Logged in as Rita's <Shop>")
            client = (await http.get(f"/clients/{event['client_id']}")).json()
            assert client["email"] == "rita@shop.example"
        assert not errors, errors
    finally:
        await http.aclose()


async def test_ask_made_while_the_page_reloads_shows_after_the_reload(site, browser, tmp_path):
    """The agent asks while the visitor is between pages: the reloaded widget shows the ask box.
    "Not now" is remembered by the server: the next reload does not ask again."""
    errors: list[str] = []
    http, token = await agent_client(site)
    try:
        async with AgentEvents(site, token) as events:
            page, chat_id = await _open_chat(browser, site, http, events, "Paula Reload", errors)
            await page.goto("about:blank")               # the visitor navigates away ...
            r = await http.post(f"/chats/{chat_id}/auth-request", json={"kind": "authorize"})
            assert r.status_code == 200, r.text
            await page.goto(f"{site.url}/widget")        # ... and comes back
            await expect(page.locator("#sd-auth-ask")).to_be_visible()
            await expect(page.locator("#sd-ask-text")).to_contain_text("Dana Demo asks you to log in")
            await page.screenshot(path=str(tmp_path / "widget-ask-after-reload.png"))

            await page.locator("#sd-ask-later").click()  # "Not now"
            await expect(page.locator("#sd-view-chat")).to_be_visible()
            # the visitor's next message is handled after the dismissal (frames are in order)
            await page.locator("#sd-input").fill("Maybe later")
            await page.locator("#sd-input").press("Enter")
            await events.wait("chat.message", lambda d: d["chat"]["id"] == chat_id
                              and d["message"]["text"] == "Maybe later")

            await page.reload()
            await expect(page.locator(".sd-msg", has_text="Maybe later")).to_have_count(1)
            # a live message after the reload: every frame sent before it (a re-sent ask would
            # come right after the replay) has been handled by then
            r = await http.post(f"/chats/{chat_id}/messages",
                                json={"client_msg_id": "a-reload-1", "text": "No problem"})
            assert r.status_code == 201, r.text
            await expect(page.locator(".sd-msg", has_text="No problem")).to_have_count(1)
            await expect(page.locator("#sd-view-chat")).to_be_visible()
            await expect(page.locator("#sd-view-auth")).to_be_hidden()
        assert not errors, errors
    finally:
        await http.aclose()
