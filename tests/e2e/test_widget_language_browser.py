"""The visitor widget speaks the visitor's browser language: a Chromium with the ru-RU locale
(navigator.languages = ["ru-RU"]) sees the start form, the conversation, the login form (with the
server's "wrong password" answer) and the registration form (with the server's field errors) in
Russian; an en-US browser sees English. Real demo server, real Chromium (playwright)."""

from __future__ import annotations

from tests.e2e.test_widget_auth_browser import (  # noqa: F401  (fixtures)
    TIMEOUT_MS,
    _demo_login,
    _open_chat,
    browser,
    site,
)
from tests.support.agent_events import AgentEvents, agent_client

from playwright.async_api import expect  # noqa: E402


async def test_a_russian_browser_sees_the_widget_and_its_forms_in_russian(site, browser, tmp_path):
    errors: list[str] = []
    http, token = await agent_client(site)
    try:
        login, client_name = await _demo_login(http)
        async with AgentEvents(site, token) as events:
            context = await browser.new_context(locale="ru-RU",
                                                viewport={"width": 600, "height": 820})
            page, chat_id = await _open_chat(context, site, http, events, "Ольга Логинова",
                                             errors)
            assert await page.evaluate("navigator.languages[0]") == "ru-RU"
            await expect(page.locator(".sd-notice", has_text="Dana Demo в чате.")).to_have_count(1)
            await expect(page.locator("#sd-send")).to_have_text("Отправить")
            await expect(page.locator("#sd-end")).to_have_text("Завершить чат")
            await page.screenshot(path=str(tmp_path / "widget-ru-chat.png"))
            r = await http.post(f"/chats/{chat_id}/auth-request", json={"kind": "login"})
            assert r.status_code == 200, r.text
            await expect(page.locator("#sd-login-form")).to_be_visible()
            await expect(page.locator("#sd-login-title")).to_have_text("Вход в личный кабинет")
            await expect(page.locator("#sd-login-btn")).to_have_text("Войти")
            await expect(page.locator("#sd-login-intro")).to_contain_text("Dana Demo просит вас")
            await page.locator("#sd-login-login").fill(login)
            await page.locator("#sd-login-password").fill("not-the-password")
            await page.locator("#sd-login-btn").click()
            # the server's English sentence, shown in Russian
            await expect(page.locator("#sd-login-error")).to_have_text("Неверный логин или пароль.")
            await page.screenshot(path=str(tmp_path / "widget-ru-login.png"))

            # the registration form, and the server's field errors in Russian
            await page.locator("#sd-login-to-register").click()
            await expect(page.locator("#sd-register-form")).to_be_visible()
            await expect(page.locator("#sd-register-title")).to_have_text(
                "Регистрация нового клиента")
            await expect(page.locator("#sd-reg-name-label")).to_have_text(
                "Ваше имя или название компании")
            await page.locator("#sd-register-btn").click()
            await expect(page.locator("#sd-reg-name-error")).to_have_text("Это поле обязательно.")
            await page.locator("#sd-reg-name").fill("ООО Ромашка")
            await page.locator("#sd-reg-email").fill("romashka-at-example")
            await page.locator("#sd-reg-login").fill("romashka")
            await page.locator("#sd-reg-password").fill("short")
            await page.locator("#sd-register-btn").click()
            await expect(page.locator("#sd-reg-email-error")).to_have_text(
                "Это не похоже на адрес эл. почты (name@example.com).")
            await expect(page.locator("#sd-reg-password-error")).to_have_text(
                "Пароль должен быть не короче 8 символов.")
            await page.screenshot(path=str(tmp_path / "widget-ru-register.png"))

            # back to logging in, the right password: the system line in Russian too
            await page.locator("#sd-register-to-login").click()
            await page.locator("#sd-login-password").fill("demo")
            await page.locator("#sd-login-password").press("Enter")
            await events.wait("chat.authorized", lambda d: d["chat"]["id"] == chat_id)
            await expect(page.locator("#sd-authorized")).to_have_text(f"Вы вошли как {client_name}")
            await expect(page.locator(".sd-system-text", has_text="Вход в личный кабинет:")
                         ).to_have_count(1)
            await context.close()
        assert not errors, errors
    finally:
        await http.aclose()


async def test_the_start_form_follows_the_browser_language(site, browser):
    """ru-RU: Russian, also a refusal made in the page and the page's lang; en-US and a language
    the widget does not have (de-DE): English; ?lang=ru in the address wins over the browser."""
    for locale, title, button, refusal in (
            ("ru-RU", "Чат с поддержкой", "Начать чат", "Напишите ваш вопрос."),
            ("en-US", "Chat with us", "Start chat", "Please type your question."),
            ("de-DE", "Chat with us", "Start chat", "Please type your question.")):
        context = await browser.new_context(locale=locale)
        page = await context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        await page.goto(f"{site.url}/widget")
        await expect(page.locator("#sd-title")).to_have_text(title)
        await expect(page.locator("#sd-start-btn")).to_have_text(button)
        await page.locator("label.sd-dept", has_text="Sales").click()
        await page.locator("#sd-start-btn").click()
        await expect(page.locator("#sd-start-error")).to_have_text(refusal)
        assert await page.evaluate("document.documentElement.lang") == locale[:2].replace(
            "de", "en")
        await context.close()
    context = await browser.new_context(locale="en-US")
    page = await context.new_page()
    await page.goto(f"{site.url}/widget?lang=ru")
    await expect(page.locator("#sd-title")).to_have_text("Чат с поддержкой")
    await context.close()
