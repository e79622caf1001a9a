"""Screenshot of the tray and a desktop notification: the real desk on the built-in demo, on a
private Xvfb with a private D-Bus session bus, dunst and trayer (the same programs as
tests/platform/test_desktop.py). Writes docs/images/tray.png: the top of the screen (window, the
notification dunst shows for the first waiting chat, the tray icon with its badge) and the tray
corner enlarged.

    .venv/bin/python scripts/screenshot_tray.py [--out docs/images/tray.png]

Needs Xvfb, dbus-daemon, dunst, dunstctl, trayer and ImageMagick (import, convert). Nothing of
the user's is touched: config, data and keyring live in a temp dir.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.platform.conftest import BUS_CONFIG, read_line_with_deadline  # noqa: E402


def wait_for(check, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise SystemExit(f"{what}: not ready after {timeout} s")
        time.sleep(0.2)


def ok(cmd: list[str], env: dict[str, str]) -> bool:
    return subprocess.run(cmd, env=env, capture_output=True, timeout=10).returncode == 0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=str(ROOT / "docs" / "images" / "tray.png"))
    out = Path(ap.parse_args().out)
    procs: list[subprocess.Popen] = []
    with tempfile.TemporaryDirectory(prefix="sd-tray-") as tmp_name:
        tmp = Path(tmp_name)
        try:
            r, w = os.pipe()
            procs.append(subprocess.Popen(["Xvfb", "-displayfd", str(w), "-screen", "0",
                                           "1280x800x24", "-nolisten", "tcp"], pass_fds=(w,),
                                          stderr=subprocess.DEVNULL))
            os.close(w)
            with os.fdopen(r, "rb") as rf:
                display = ":" + read_line_with_deadline(rf, 15)
            (tmp / "bus.conf").write_text(BUS_CONFIG)
            bus = subprocess.Popen(["dbus-daemon", f"--config-file={tmp / 'bus.conf'}",
                                    "--nofork", "--print-address=1"], stdout=subprocess.PIPE,
                                   stderr=subprocess.DEVNULL)
            procs.append(bus)
            address = read_line_with_deadline(bus.stdout, 10)
            env = dict(os.environ, DISPLAY=display, DBUS_SESSION_BUS_ADDRESS=address,
                       QT_QPA_PLATFORM="xcb", SUPPORTDESK_HOME=str(tmp / "home"),
                       XDG_CONFIG_HOME=str(tmp / "config"), XDG_DATA_HOME=str(tmp / "data"),
                       XDG_CACHE_HOME=str(tmp / "cache"), XDG_STATE_HOME=str(tmp / "state"),
                       PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring")
            env.pop("WAYLAND_DISPLAY", None)
            procs.append(subprocess.Popen(["dunst"], env=env, stderr=subprocess.DEVNULL))
            wait_for(lambda: ok(["dunstctl", "is-paused"], env), 15, "dunst")
            procs.append(subprocess.Popen(["trayer", "--edge", "top", "--align", "right",
                                           "--widthtype", "request", "--height", "28",
                                           "--transparent", "true", "--alpha", "0",
                                           "--tint", "0x303030"], env=env,
                                          stderr=subprocess.DEVNULL))
            desk = subprocess.Popen([sys.executable, "-m", "supportdesk_qt", "--demo"],
                                    cwd=ROOT, env=env, stderr=subprocess.DEVNULL)
            procs.append(desk)
            # the demo's visitor simulator opens a chat: dunst shows the desk's notification
            wait_for(lambda: subprocess.run(["dunstctl", "count", "displayed"], env=env,
                                            capture_output=True, text=True).stdout.strip()
                     not in ("", "0"), 120, "a notification for the first waiting chat")
            shot = tmp / "root.png"
            subprocess.run(["import", "-window", "root", str(shot)], env=env, check=True)
            subprocess.run(["convert", str(shot), "-crop", "1280x150+0+0", "+repage",
                            str(tmp / "top.png")], check=True)
            subprocess.run(["convert", str(shot), "-crop", "112x30+1168+0", "+repage",
                            "-filter", "point", "-resize", "300%", str(tmp / "corner.png")],
                           check=True)
            out.parent.mkdir(parents=True, exist_ok=True)
            subprocess.run(["convert", str(tmp / "top.png"), "(", str(tmp / "corner.png"),
                            "-bordercolor", "#888", "-border", "2", ")", "-background", "white",
                            "-gravity", "east", "-append", "+repage", str(out)], check=True)
            print(out)
        finally:
            for p in reversed(procs):
                p.terminate()
            for p in reversed(procs):
                try:
                    p.wait(30)
                except subprocess.TimeoutExpired:
                    p.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
