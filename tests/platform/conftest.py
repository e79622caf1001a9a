"""Fixtures for the platform components (tray, notifications, sounds, single instance).

In-process tests here run on whatever display the session uses (offscreen by default, like the UI
suite). Tests that need a real X server, tray host and notification daemon run in a child process
on a private Xvfb + D-Bus session: see ``test_desktop.py``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import select
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

# Qt Multimedia reports, through Qt's logging, which optional libraries and audio servers this
# machine lacks when QSoundEffect is first used (no PipeWire, no VA-API, no PulseAudio daemon on a
# headless CI box). Those are facts about the machine, not defects of the desk, which handles
# "no audio output" itself (logs once, stays silent); pyproject fails tests on Qt warnings, so the
# sound tests ignore exactly these lines.
MULTIMEDIA_NOISE = (r"Couldn't (load|resolve) (pipewire-0\.3|va|va-drm|va-x11|va\(in plugin\)) "
                    r"(library|symbols)$",
                    r"PulseAudioService: pa_context_connect\(\) failed$")


def read_line_with_deadline(stream, timeout: float) -> str:
    """One line from a child's pipe, or "" after ``timeout`` s (a child that never answers)."""
    deadline = time.monotonic() + timeout
    buf = b""
    fd = stream.fileno()
    while not buf.endswith(b"\n"):
        left = deadline - time.monotonic()
        if left <= 0:
            return ""
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            return ""
        chunk = os.read(fd, 1)
        if not chunk:
            return buf.decode()
        buf += chunk
    return buf.decode().strip()


# A session bus (socket in /tmp: pytest tmp paths can exceed the ~100-byte socket path limit)
# with no service directories: nothing is started on demand (the system's session
# config would let the bus launch dunst by itself through its D-Bus activation file), so the
# only services on it are the ones a test starts.
BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=/tmp</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


def start_private_bus(directory) -> tuple[subprocess.Popen, str]:
    """Start ``dbus-daemon`` with :data:`BUS_CONFIG`; returns (process, address)."""
    exe = shutil.which("dbus-daemon")
    if not exe:
        pytest.skip("dbus-daemon is not installed (Debian package: dbus)")
    directory.mkdir(parents=True, exist_ok=True)
    config = directory / "bus.conf"
    config.write_text(BUS_CONFIG)
    proc = subprocess.Popen([exe, f"--config-file={config}", "--nofork", "--print-address=1"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    address = read_line_with_deadline(proc.stdout, 10)
    if not address.startswith("unix:"):
        proc.kill()
        raise RuntimeError(f"dbus-daemon did not start (printed {address!r})")
    return proc, address


@pytest.fixture
def private_bus(tmp_path):
    """A private D-Bus session bus with no services on it; yields its address."""
    proc, address = start_private_bus(tmp_path / "bus")
    try:
        yield address
    finally:
        proc.terminate()
        proc.wait(10)
