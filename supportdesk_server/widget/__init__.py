"""The visitor widget and a small demo web site that embeds it.

* ``GET /widget``: the chat widget (plain HTML + ``widget.js`` + ``widget.css``, no build step).
  Open it directly, or embed it on any site with
  ``<script src="https://<server>/widget/static/embed.js" defer></script>``, which adds a chat button
  and an ``<iframe>`` of ``/widget?page=<url>&title=<title>&ref=<referrer>``; later in-page
  navigation reaches the widget by ``postMessage`` (see the header of ``widget.js``).
* ``GET /widget/static/<file>``: the widget's files (a fixed list, nothing else on disk is served).
* ``GET /demo-site``, ``/demo-site/pricing``, ``/demo-site/domains``: a fake hosting company's pages
  with the widget embedded, so a person can chat with the desk and watch the page URL change.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse

STATIC_DIR = Path(__file__).parent / "static"

_STATIC_FILES = {
    "widget.js": "text/javascript; charset=utf-8",
    "widget-ru.js": "text/javascript; charset=utf-8",
    "widget.css": "text/css; charset=utf-8",
    "embed.js": "text/javascript; charset=utf-8",
    "demo-site.css": "text/css; charset=utf-8",
}

router = APIRouter(tags=["widget"], include_in_schema=False)


def _ws_sources(request: Request) -> str:
    host = request.headers.get("host", "")
    if not host or any(c in host for c in " ;,'\"\r\n"):
        return ""
    return f" ws://{host} wss://{host}"


def _widget_csp(request: Request) -> str:
    from supportdesk_server.realtime.origin import frame_ancestors

    allowed = request.app.state.hub.settings.widget_origins
    return ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            f"connect-src 'self'{_ws_sources(request)}; base-uri 'none'; form-action 'none'; "
            f"frame-ancestors {frame_ancestors(allowed)}")


def _site_csp() -> str:
    # embed.js injects one <style> element, hence 'unsafe-inline' for styles on the host page.
    return ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; frame-src 'self'; base-uri 'none'; form-action 'none'")


_NO_CACHE = {"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff",
             "Referrer-Policy": "strict-origin-when-cross-origin"}


@router.get("/widget", response_class=HTMLResponse)
async def widget_page(request: Request) -> HTMLResponse:
    html = (STATIC_DIR / "widget.html").read_text(encoding="utf-8")
    return HTMLResponse(html, headers={**_NO_CACHE, "Content-Security-Policy": _widget_csp(request)})


@router.get("/widget/", include_in_schema=False)
async def widget_slash() -> RedirectResponse:
    return RedirectResponse("../widget", status_code=307)


@router.get("/widget/static/{name}")
async def widget_static(name: str) -> FileResponse:
    media_type = _STATIC_FILES.get(name)
    if media_type is None:
        raise HTTPException(status_code=404, detail="no such widget file")
    return FileResponse(STATIC_DIR / name, media_type=media_type, headers=_NO_CACHE)


# --- the demo site --------------------------------------------------------------------------------

_PAGES: dict[str, tuple[str, str]] = {}

_NAV = [("", "Home"), ("pricing", "Pricing"), ("domains", "Domains")]


def _layout(slug: str, title: str, body: str) -> str:
    nav = "".join(
        f'<a href="/demo-site{"/" + s if s else ""}"{" aria-current=page" if s == slug else ""}>{label}</a>'
        for s, label in _NAV)
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} – Example Hosting</title>
<link rel="stylesheet" href="/widget/static/demo-site.css">
<script src="/widget/static/embed.js" defer></script>
</head>
<body>
<header class="site-header">
  <a class="brand" href="/demo-site"><span class="logo" aria-hidden="true">EH</span> Example Hosting</a>
  <nav aria-label="Main">{nav}</nav>
</header>
<main>
{body}
</main>
<footer class="site-footer">
  <p>Example Hosting is a demo site of <strong>SupportDesk</strong>. Start a chat with the button
  in the corner and answer it from the desk; the page you are on shows up in the agent's chat panel.</p>
</footer>
</body>
</html>
"""


_PAGES[""] = ("Fast, reliable web hosting", """
<section class="hero">
  <h1>Fast, reliable web hosting</h1>
  <p>Shared hosting, NVMe VPS and dedicated servers in Frankfurt, Amsterdam and London, with people
  who answer in minutes, not days.</p>
  <p><a class="cta" href="/demo-site/pricing">See plans and prices</a></p>
</section>
<section class="cards">
  <article><h2>Shared hosting</h2><p>Free SSL, daily backups and one-click WordPress from 2.99 USD a month.</p></article>
  <article><h2>VPS</h2><p>Root access, NVMe disks, snapshots. Scale up without reinstalling.</p></article>
  <article><h2>Domains</h2><p>Over 400 extensions, free DNS hosting and WHOIS privacy.</p></article>
</section>
""")

_PAGES["pricing"] = ("Pricing", """
<section class="hero small">
  <h1>Plans and prices</h1>
  <p>Monthly prices, no setup fee. Pick a product line (the tabs change the address with
  <code>history.pushState</code>, and the chat reports it to the agent).</p>
</section>
<div class="tabs" role="tablist">
  <button type="button" role="tab" data-tab="shared">Shared hosting</button>
  <button type="button" role="tab" data-tab="vps">VPS</button>
  <button type="button" role="tab" data-tab="dedicated">Dedicated</button>
</div>
<section class="cards" data-panel="shared">
  <article><h2>Starter</h2><p class="price">2.99 USD</p><p>1 site, 10 GB NVMe, free SSL.</p></article>
  <article><h2>Business</h2><p class="price">7.99 USD</p><p>10 sites, 50 GB, daily backups.</p></article>
  <article><h2>Pro</h2><p class="price">14.99 USD</p><p>Unlimited sites, 100 GB, staging.</p></article>
</section>
<section class="cards" data-panel="vps" hidden>
  <article><h2>VPS S-2</h2><p class="price">7.99 USD</p><p>2 vCPU, 4 GB RAM, 80 GB NVMe.</p></article>
  <article><h2>VPS M-4</h2><p class="price">19.99 USD</p><p>4 vCPU, 8 GB RAM, 160 GB NVMe.</p></article>
  <article><h2>VPS L-8</h2><p class="price">39.99 USD</p><p>8 vCPU, 16 GB RAM, 320 GB NVMe.</p></article>
</section>
<section class="cards" data-panel="dedicated" hidden>
  <article><h2>DX-32</h2><p class="price">89 USD</p><p>8 cores, 32 GB RAM, 2 × 512 GB NVMe.</p></article>
  <article><h2>DX-64</h2><p class="price">149 USD</p><p>16 cores, 64 GB RAM, 2 × 1 TB NVMe.</p></article>
  <article><h2>EPYC-128</h2><p class="price">299 USD</p><p>32 cores, 128 GB RAM, 4 × 2 TB NVMe.</p></article>
</section>
<script src="/widget/static/demo-site.js" defer></script>
""")

_PAGES["domains"] = ("Domains", """
<section class="hero small">
  <h1>Find your domain</h1>
  <p>.com from 9.99 USD, .shop from 1.99 USD for the first year. Transfers in are free.</p>
</section>
<section class="cards">
  <article><h2>.com</h2><p class="price">9.99 USD</p><p>Renews at 14.99 USD.</p></article>
  <article><h2>.io</h2><p class="price">39.99 USD</p><p>Renews at 49.99 USD.</p></article>
  <article><h2>.de</h2><p class="price">5.99 USD</p><p>Renews at 7.99 USD.</p></article>
</section>
""")

_STATIC_FILES["demo-site.js"] = "text/javascript; charset=utf-8"


@router.get("/demo-site", response_class=HTMLResponse)
@router.get("/demo-site/{slug}", response_class=HTMLResponse)
async def demo_site(slug: str = "") -> HTMLResponse:
    page = _PAGES.get(slug)
    if page is None:
        raise HTTPException(status_code=404, detail="no such page")
    title, body = page
    return HTMLResponse(_layout(slug, title, body),
                        headers={**_NO_CACHE, "Content-Security-Policy": _site_csp()})


__all__ = ["router", "STATIC_DIR"]
