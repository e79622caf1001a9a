"""The widget's HTTP surface: pages, a fixed list of static files, security headers."""

from __future__ import annotations

import httpx
import pytest

from supportdesk_server.widget import STATIC_DIR


@pytest.fixture(scope="module")
def http(shared_server):
    with httpx.Client(base_url=shared_server.url, timeout=10) as client:
        yield client


def test_widget_page_and_its_files(http):
    r = http.get("/widget")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'self'" in csp   # the default widget origin allow-list
    assert 'src="widget/static/widget.js"' in r.text
    assert 'src="widget/static/widget-ru.js"' in r.text
    for name, kind in (("widget.js", "text/javascript"), ("widget-ru.js", "text/javascript"),
                       ("widget.css", "text/css"),
                       ("embed.js", "text/javascript"), ("demo-site.css", "text/css"),
                       ("demo-site.js", "text/javascript")):
        f = http.get(f"/widget/static/{name}")
        assert f.status_code == 200, name
        assert f.headers["content-type"].startswith(kind)
        assert f.content == (STATIC_DIR / name).read_bytes()
        assert f.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("path", ["/widget/static/widget.html", "/widget/static/nope.js",
                                  "/widget/static/..%2F__init__.py", "/widget/static/%2e%2e/__init__.py",
                                  "/demo-site/admin"])
def test_nothing_else_is_served(http, path):
    r = http.get(path)
    assert r.status_code == 404
    assert r.json()["code"] == "not_found"


@pytest.mark.parametrize("path", ["/demo-site", "/demo-site/pricing", "/demo-site/domains"])
def test_demo_site_pages_embed_the_widget(http, path):
    r = http.get(path)
    assert r.status_code == 200
    assert '<script src="/widget/static/embed.js" defer></script>' in r.text
    assert "Example Hosting" in r.text


def test_widget_never_puts_untrusted_text_into_html():
    """A cheap guard next to the browser tests: the widget sets text with textContent only."""
    js = (STATIC_DIR / "widget.js").read_text() + (STATIC_DIR / "widget-ru.js").read_text()
    assert "innerHTML" not in js and "insertAdjacentHTML" not in js and "document.write" not in js
