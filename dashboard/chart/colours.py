"""Colours derived from a party's colour for text: a light colour (Lib Dem amber) draws a line well
but is unreadable as small text on white, so labels use the same hue darkened to a legible contrast.

The party colours themselves are in data/parties.csv, chosen so that no two collide, also under
simulated deuteranopia and protanopia (tests/chart/test_colours.py checks every pair).
"""
from __future__ import annotations

from functools import lru_cache

from coloraide import Color

MIN_TEXT_CONTRAST = 4.5  # WCAG 2 AA for normal text


def contrast(a: str, b: str = "#FFFFFF") -> float:
    """WCAG 2 contrast ratio between two colours (1 to 21)."""
    return float(Color(a).contrast(b, method="wcag21"))


@lru_cache(maxsize=256)
def text_colour(colour: str, minimum: float = MIN_TEXT_CONTRAST) -> str:
    """The colour itself if text in it is legible on white, else the same hue mixed with black just
    enough to be."""
    for step in range(0, 101):
        mixed = Color(colour).mix("black", step / 100, space="srgb").to_string(hex=True, upper=True)
        if contrast(mixed) >= minimum:
            return str(mixed)
    return "#000000"
