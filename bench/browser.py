"""The browser side by side: Debian's Chromium in app mode on a static page made from the same data.

Used by cold_start.py and desk_memory.py. :func:`write_page` writes one HTML file: a list of the
waiting chats (the same names and previews the desk shows) and, optionally, chat tabs of messages
(the same texts as the desk's history; every tab's messages are in the DOM, the first one shown,
as a single-page agent app keeps its open tabs). :func:`run_chromium` starts
``chromium --app=file://…`` on the bench's X server with a profile used before (like an agent's
browser), and stops the clock when the page reports its first frame after ``load``: a
``requestAnimationFrame`` callback, then a task, then an image beacon to a local HTTP listener
that notes the arrival time. After a settle time, the PSS of every Chromium process is summed.
"""

from __future__ import annotations

import html
import os
import shutil
import signal
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from common import message_text, now_ms, pss_tree_mb

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-first-run", "--no-default-browser-check", "--password-store=basic",
         "--disable-background-networking", "--disable-component-update",
         "--window-size=1000,700", "--no-sandbox"]       # --no-sandbox: the bench runs as root here


def available() -> bool:
    return Path(CHROMIUM).exists() or bool(shutil.which("chromium"))


def write_page(path: Path, waiting: int, tabs: int = 0, messages: int = 0, port: int = 0) -> Path:
    rows = "\n".join(
        f'<li><b>Bench Visitor {i}</b> <span class="d">Billing</span> '
        f'<span class="p">hello, I am visitor {i}</span></li>' for i in range(waiting))
    chats = []
    for t in range(tabs):
        msgs = "\n".join(
            f'<div class="m {"v" if i % 2 == 0 else "a"}"><div class="n">'
            f'{"Big Visitor" if i % 2 == 0 else "Dana Demo"}</div>{html.escape(message_text(i))}</div>'
            for i in range(messages))
        chats.append(f'<section class="chat" style="display:{"block" if t == 0 else "none"}">'
                     f'<h2>Chat {t + 1}</h2>{msgs}</section>')
    page = f"""<!doctype html><html><head><meta charset="utf-8"><title>({waiting}) SupportDesk</title>
<style>body{{font:14px sans-serif;margin:0;display:flex}} ul{{list-style:none;margin:0;padding:0;
width:340px;height:100vh;overflow:auto;border-right:1px solid #ccc}} li{{padding:6px 10px;
border-bottom:1px solid #eee}} .d{{color:#777}} .p{{display:block;color:#555}} main{{flex:1;
height:100vh;overflow:auto;padding:8px}} .m{{margin:4px 0;padding:6px 10px;border-radius:8px;
max-width:70%}} .v{{background:#eef}} .a{{background:#efe;margin-left:auto}} .n{{font-size:11px;
color:#666}}</style></head><body><ul>{rows}</ul><main>{''.join(chats)}</main>
<script>addEventListener('load',()=>requestAnimationFrame(()=>setTimeout(()=>{{
new Image().src='http://127.0.0.1:{port}/rendered?'+Date.now();}},0)));</script></body></html>"""
    path.write_text(page, encoding="utf-8")
    return path


class Beacon:
    """A local HTTP listener that notes when the page's image request arrives."""

    def __init__(self) -> None:
        arrived = self.arrived = threading.Event()
        self.at = 0.0
        beacon = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                if self.path.startswith("/rendered"):
                    beacon.at = now_ms()
                    arrived.set()
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args) -> None:  # noqa: ANN002
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def run_chromium(page: Path, profile: Path, display: str, beacon: Beacon,
                 settle: float = 3.0, timeout: float = 60) -> dict:
    """One start: {"start_ms", "pss_mb", "processes"}."""
    beacon.arrived.clear()
    env = dict(os.environ, DISPLAY=display)
    t0 = now_ms()
    proc = subprocess.Popen([CHROMIUM, *FLAGS, f"--user-data-dir={profile}",
                             f"--app=file://{page}"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        if not beacon.arrived.wait(timeout):
            raise RuntimeError("Chromium did not render the page in time")
        start = beacon.at - t0
        time.sleep(settle)                 # let it finish what it does after the first frame
        pss, n = pss_tree_mb(proc.pid)
        return {"start_ms": start, "pss_mb": pss, "processes": n}
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)      # the session this call started
            proc.wait(15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)
