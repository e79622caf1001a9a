"""The tray and desktop notifications on a real desktop: Xvfb, a tray host, a notification daemon.

A module fixture starts, all private to this test run:

* ``Xvfb`` on a free display (it reports the number itself through ``-displayfd``),
* a D-Bus session bus (``dbus-daemon`` with no service directories, see conftest),
* ``dunst`` on that display and bus: it owns ``org.freedesktop.Notifications``,
* ``trayer``: an XEmbed system tray host, so ``QSystemTrayIcon.isSystemTrayAvailable()`` is true.

Qt picks its platform plugin once per process and the rest of the suite runs offscreen, so the
Qt side runs in a child ``pytest`` over ``desktop_cases.py`` with ``QT_QPA_PLATFORM=xcb`` on that
display and bus. The child writes a JUnit report; each case is reported here as its own test.
Skipped, with the reason, only when one of the programs is not installed (CI installs them:
``.ci/run``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.platform.conftest import read_line_with_deadline, start_private_bus

ROOT = Path(__file__).resolve().parents[2]
CASES = [
    "test_tray_icon_is_embedded_and_clickable",
    "test_tray_badge_and_blink_on_screen",
    "test_notification_reaches_dunst_as_plain_text",
    "test_same_chat_updates_one_notification",
    "test_clicking_the_notification_opens_its_chat",
    "test_withdraw_closes_the_notification",
    "test_without_a_notification_service_the_tray_balloon_is_used",
    "test_after_the_user_closes_it_the_next_one_is_new",
    "test_other_applications_notifications_are_not_ours",
    "test_the_desk_notifies_dunst_when_a_visitor_opens_a_chat",
]
PROGRAMS = ("Xvfb", "dbus-daemon", "dunst", "dunstctl", "trayer", "xdotool", "xwininfo",
            "notify-send")
DUNSTRC = """[global]
    markup = full
    format = "<b>%s</b>\\n%b"
    idle_threshold = 0
"""


def _wait_for(check, timeout: float, what: str, proc: subprocess.Popen | None = None) -> None:
    """Poll a child's observable state until ``check()`` or the deadline (not a sleep-and-hope:
    each round asks the child again, and a child that died fails at once)."""
    deadline = time.monotonic() + timeout
    while not check():
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{what}: the process exited with {proc.returncode}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what}: not ready after {timeout} s")
        time.sleep(0.05)


def _ok(cmd: list[str], env: dict[str, str]) -> bool:
    return subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                          timeout=10).returncode == 0


@pytest.fixture(scope="module")
def desktop_results(tmp_path_factory):
    missing = [p for p in PROGRAMS if not shutil.which(p)]
    if missing:
        pytest.skip(f"needs {', '.join(missing)} (Debian: xvfb dbus dunst trayer xdotool "
                    f"x11-utils libnotify-bin; .ci/run installs them)")
    tmp = tmp_path_factory.mktemp("desktop")
    procs: list[subprocess.Popen] = []
    log = open(tmp / "desktop.log", "wb")
    try:
        r, w = os.pipe()
        xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(w), "-screen", "0", "1280x800x24",
                                 "-nolisten", "tcp"], pass_fds=(w,), stdout=log, stderr=log)
        procs.append(xvfb)
        os.close(w)
        with os.fdopen(r, "rb") as rf:
            number = read_line_with_deadline(rf, 15)
        if not number.isdigit():
            raise RuntimeError(f"Xvfb did not report a display (got {number!r})")
        bus, address = start_private_bus(tmp / "bus")
        procs.append(bus)
        env = dict(os.environ)
        env.update(DISPLAY=f":{number}", DBUS_SESSION_BUS_ADDRESS=address,
                   QT_QPA_PLATFORM="xcb", SUPPORTDESK_DESKTOP_TEST="1", NO_AT_BRIDGE="1")
        env.pop("WAYLAND_DISPLAY", None)
        (tmp / "dunstrc").write_text(DUNSTRC)
        dunst = subprocess.Popen(["dunst", "-config", str(tmp / "dunstrc")], env=env,
                                 stdout=log, stderr=log)
        procs.append(dunst)
        _wait_for(lambda: _ok(["dunstctl", "is-paused"], env), 15, "dunst", dunst)
        trayer = subprocess.Popen(["trayer", "--edge", "top", "--align", "right",
                                   "--widthtype", "request", "--height", "24"],
                                  env=env, stdout=log, stderr=log)
        procs.append(trayer)
        _wait_for(lambda: _ok(["xdotool", "search", "--classname", "trayer"], env), 15,
                  "trayer", trayer)

        report = tmp / "cases.xml"
        child = subprocess.run(
            [sys.executable, "-m", "pytest", str(ROOT / "tests/platform/desktop_cases.py"),
             "-p", "no:cacheprovider", "-o", "addopts=", "-q", f"--junitxml={report}"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
        output = child.stdout + child.stderr
        results: dict[str, tuple[str, str]] = {}
        if report.exists():
            for case in ET.parse(report).getroot().iter("testcase"):
                outcome, message = "passed", ""
                for tag in ("failure", "error", "skipped"):
                    el = case.find(tag)
                    if el is not None:
                        outcome = tag
                        message = (el.get("message") or "") + "\n" + (el.text or "")
                        break
                results[case.get("name")] = (outcome, message)
        yield results, output
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in reversed(procs):
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
        log.close()


@pytest.mark.parametrize("case", CASES)
def test_desktop(desktop_results, case):
    results, output = desktop_results
    if case not in results:
        pytest.fail(f"{case} did not run in the desktop child:\n{output[-4000:]}")
    outcome, message = results[case]
    if outcome == "skipped":
        pytest.skip(message.strip())
    assert outcome == "passed", f"{case} {outcome} on the desktop:\n{message[-6000:]}"


def test_every_desktop_case_is_listed(desktop_results):
    results, _ = desktop_results
    assert set(results) == set(CASES), "keep CASES in step with desktop_cases.py"
