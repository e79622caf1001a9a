"""The Linux desktop files (``packaging/linux``): the desktop entry and the AppStream metainfo
pass Debian's validators, they agree with the desk's application id, and the icons render from
the one SVG at every hicolor size."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from supportdesk_protocol.version import app_version
from supportdesk_qt.identity import APP_ID
from tests.packaging.conftest import ROOT, run

LINUX = ROOT / "packaging" / "linux"
DESKTOP = LINUX / f"{APP_ID}.desktop"
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"


@pytest.mark.skipif(not shutil.which("desktop-file-validate"), reason="needs desktop-file-utils")
def test_desktop_entry_is_valid():
    out = subprocess.run(["desktop-file-validate", str(DESKTOP)], capture_output=True, text=True)
    assert out.returncode == 0 and not out.stdout.strip(), out.stdout    # no error, no hint
    text = DESKTOP.read_text(encoding="utf-8")
    assert f"Icon={APP_ID}\n" in text and "Exec=supportdesk\n" in text


@pytest.mark.skipif(not shutil.which("appstreamcli"), reason="needs appstream")
def test_metainfo_is_valid_and_names_the_desktop_entry():
    out = subprocess.run(["appstreamcli", "validate", "--no-net", str(METAINFO)],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "E:" not in out.stdout and "W:" not in out.stdout, out.stdout
    root = ET.parse(METAINFO).getroot()
    assert root.findtext("id") == APP_ID
    assert root.find("launchable").text == DESKTOP.name
    assert app_version() in {r.get("version") for r in root.iter("release")}


def test_flatpak_manifest_uses_the_app_id_and_installs_the_files():
    yaml = pytest.importorskip("yaml")        # flatpak-builder is not on the CI machine
    manifest = yaml.safe_load((ROOT / "packaging" / "flatpak" / f"{APP_ID}.yml").read_text(
        encoding="utf-8"))
    assert manifest["app-id"] == APP_ID and manifest["command"] == "supportdesk"
    assert {"--socket=wayland", "--socket=fallback-x11", "--share=network",
            "--talk-name=org.freedesktop.Notifications"} <= set(manifest["finish-args"])
    commands = " ".join(manifest["modules"][-1]["build-commands"])
    for needed in (f"share/applications/{DESKTOP.name}", f"share/metainfo/{METAINFO.name}",
                   "packaging/linux/render_icons.py /app/share/icons"):
        assert needed in commands


def test_icons_render_at_every_hicolor_size(tmp_path):
    out = run([sys.executable, ROOT / "packaging" / "linux" / "render_icons.py", tmp_path],
              PYTHONPATH=str(ROOT))
    assert out.returncode == 0, out.stderr
    from supportdesk_qt.qt import QImage

    for size in (16, 22, 24, 32, 48, 64, 128, 256, 512):
        image = QImage(str(tmp_path / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"))
        assert (image.width(), image.height()) == (size, size)
        assert image.hasAlphaChannel() and image.pixelColor(0, 0).alpha() == 0    # round corners
        assert image.pixelColor(size // 2, size // 2).alpha() == 255               # a solid middle
    assert (tmp_path / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").is_file()
