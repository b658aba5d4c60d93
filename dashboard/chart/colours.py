"""Colours derived from a party's colour for text: a light colour (Lib Dem amber) draws a line well
but is unreadable as small text on white, so labels use the same hue darkened to a legible contrast.

The party colours themselves are in data/parties.csv, chosen so that no two collide, also under
simulated deuteranopia and protanopia (tests/chart/test_colours.py checks every pair).
"""
from __future__ import annotations

MIN_TEXT_CONTRAST = 4.5  # WCAG 2 AA for normal text


def _rgb(colour: str) -> tuple[float, float, float]:
    return (int(colour[1:3], 16) / 255, int(colour[3:5], 16) / 255, int(colour[5:7], 16) / 255)


def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance of a #RRGGBB colour."""
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (linear(c) for c in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str = "#FFFFFF") -> float:
    """WCAG 2 contrast ratio between two colours (1 to 21)."""
    high, low = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_colour(colour: str, minimum: float = MIN_TEXT_CONTRAST) -> str:
    """The colour itself if text in it is legible on white, else the same hue mixed with black
    just enough to be."""
    r, g, b = _rgb(colour)
    for step in range(0, 101):
        keep = 1 - step / 100
        mixed = "#{:02X}{:02X}{:02X}".format(*(round(c * keep * 255) for c in (r, g, b)))
        if contrast(mixed) >= minimum:
            return mixed
    return "#000000"
