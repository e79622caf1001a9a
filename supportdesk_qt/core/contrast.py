"""WCAG 2.x contrast between two colours (Qt-free).

Colours are ``(red, green, blue)`` in 0..1 (``QColor.getRgbF()[:3]``). The ratio goes from 1
(the same luminance) to 21 (black on white). WCAG 2.1 level AA asks 4.5:1 for text and 3:1 for
large text (18 pt, or 14 pt bold) and for the parts of graphics and controls a person must see
(success criteria 1.4.3 and 1.4.11).
"""

from __future__ import annotations

RGB = tuple[float, float, float]

AA_TEXT = 4.5
AA_LARGE_OR_GRAPHIC = 3.0


def _linear(channel: float) -> float:
    return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4


def luminance(rgb: RGB) -> float:
    """Relative luminance (WCAG 2.x definition, sRGB)."""
    r, g, b = (_linear(max(0.0, min(1.0, c))) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ratio(a: RGB, b: RGB) -> float:
    """The contrast ratio of two colours, >= 1, in either order."""
    la, lb = luminance(a), luminance(b)
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)
