"""Colours derived from a party's colour for text: a light colour (Lib Dem amber) draws a line well
but is unreadable as small text on white, so labels use the same hue darkened to a legible contrast.

The party colours themselves are in data/parties.csv, chosen so that no two collide, also under
simulated deuteranopia and protanopia (tests/chart/test_colours.py checks every pair).
"""
from __future__ import annotations

from functools import lru_cache

MIN_TEXT_CONTRAST = 4.5  # WCAG 2 AA for normal text

# text_colour of each bundled party colour (data/parties.csv), looked up so that drawing a chart does
# not import coloraide (a tenth of a second of every start); tests/chart/test_colours.py recomputes each.
BUNDLED_TEXT_COLOURS = {
    "#C02B32": "#C02B32",  # Labour
    "#2470FC": "#236EF7",  # Conservative
    "#FAC251": "#91712F",  # Liberal Democrats
    "#B29629": "#8B7520",  # SNP
    "#37B181": "#298561",  # Green
    "#186366": "#186366",  # Plaid Cymru
    "#5B0F77": "#5B0F77",  # UKIP
    "#0BA3C7": "#09819D",  # Reform UK
    "#228466": "#228466",  # Your Party (chosen by the product when the party was added: see data/.history)
}


def contrast(a: str, b: str = "#FFFFFF") -> float:
    """WCAG 2 contrast ratio between two colours (1 to 21)."""
    from coloraide import Color  # imported on first use: see BUNDLED_TEXT_COLOURS

    return float(Color(a).contrast(b, method="wcag21"))


def text_colour(colour: str, minimum: float = MIN_TEXT_CONTRAST) -> str:
    """The colour itself if text in it is legible on white, else the same hue mixed with black just
    enough to be."""
    known = BUNDLED_TEXT_COLOURS.get(colour.upper()) if minimum == MIN_TEXT_CONTRAST else None
    return known or computed_text_colour(colour, minimum)


@lru_cache(maxsize=256)
def computed_text_colour(colour: str, minimum: float = MIN_TEXT_CONTRAST) -> str:
    """text_colour worked out with coloraide, for a colour not in BUNDLED_TEXT_COLOURS."""
    from coloraide import Color  # imported on first use: see BUNDLED_TEXT_COLOURS

    for step in range(0, 101):
        mixed = Color(colour).mix("black", step / 100, space="srgb").to_string(hex=True, upper=True)
        if contrast(mixed) >= minimum:
            return str(mixed)
    return "#000000"
