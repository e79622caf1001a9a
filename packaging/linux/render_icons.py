#!/usr/bin/env python3
"""Render the application icon (``resources/icons/app.svg``) into the hicolor theme layout.

    python packaging/linux/render_icons.py OUT_DIR

writes ``OUT_DIR/hicolor/<n>x<n>/apps/io.github.supportdesk.SupportDesk.png`` for every standard
size (16 to 512) and ``OUT_DIR/hicolor/scalable/apps/io.github.supportdesk.SupportDesk.svg``.
The PNGs are build products (not committed): ``dev.py package``, the Flatpak manifest and the
tests render them from the one SVG with Qt's SVG renderer. Needs PySide6 (the desk's own
dependency); runs without a display (``offscreen``).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "resources" / "icons" / "app.svg"
APP_ID = "io.github.supportdesk.SupportDesk"      # supportdesk_qt/identity.py
SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


def render(out: Path, source: Path = SOURCE) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    renderer = QSvgRenderer(str(source))
    if not renderer.isValid():
        raise ValueError(f"{source} is not a valid SVG")
    written = []
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        target = out / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        if not image.save(str(target), "PNG"):
            raise OSError(f"could not write {target}")
        written.append(target)
    scalable = out / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, scalable)
    written.append(scalable)
    return written


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    for path in render(Path(sys.argv[1])):
        print(path)
