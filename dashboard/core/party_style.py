"""How parties are told apart on the chart: colours far enough apart for every reader, and a marker
symbol each.

The colour rule is the chart's own, in one place for the product and its tests: two colours collide when
their CIEDE2000 difference is below MIN_DIFFERENCE for normal vision, or for simulated deuteranopia or
protanopia (Machado et al. 2009, full severity), computed by coloraide rather than hand-written colour maths.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coloraide import Color

MIN_DIFFERENCE = 12.0  # ΔE2000: two lines this far apart are told apart at a glance
VISIONS: tuple[str | None, ...] = (None, "deutan", "protan")
VISION_NAMES = {None: "normal vision", "deutan": "deuteranopia", "protan": "protanopia"}
MIN_LINE_CONTRAST = 3.0  # a line on white: WCAG's contrast for graphics

# One marker symbol per party, in the order of parties.csv: series stay apart without colour. Every one
# has plotly's -open and -open-dot forms (how the chart draws a figure's basis).
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "pentagon", "hexagon", "star", "triangle-down",
           "cross", "x", "hourglass", "bowtie", "triangle-left", "triangle-right", "star-triangle-up", "hexagram",
           "star-square", "diamond-wide", "circle-cross", "square-x")
# The symbol as a character, for a preview or a message (the chart draws the real marker).
SYMBOL_GLYPHS = {"circle": "●", "square": "■", "diamond": "◆", "triangle-up": "▲", "pentagon": "⬟", "hexagon": "⬢",
                 "star": "★", "triangle-down": "▼", "cross": "✚", "x": "✖", "hourglass": "⧗", "bowtie": "⋈",
                 "triangle-left": "◀", "triangle-right": "▶", "star-triangle-up": "✦", "hexagram": "✡",
                 "star-square": "✧", "diamond-wide": "⬥", "circle-cross": "⊕", "square-x": "⊠"}


def symbol_at(position: int) -> str:
    """The marker symbol of the party at this position in parties.csv."""
    return SYMBOLS[position % len(SYMBOLS)]


def _color(value: str) -> Color:
    from coloraide import Color  # imported on first use: drawing a chart does not need it

    return Color(value)


def difference(a: str, b: str, vision: str | None = None) -> float:
    """ΔE2000 between two colours as a reader with this vision (None: normal) sees them."""
    first, second = _color(a), _color(b)
    if vision:
        first, second = first.filter(vision, method="machado"), second.filter(vision, method="machado")
    return float(first.delta_e(second, method="2000"))


@dataclass(frozen=True)
class Collision:
    """The party a colour is too close to, how close, and for which readers."""

    party: str          # the party's name, as a message shows it
    colour: str
    difference: float
    vision: str | None

    def describe(self) -> str:
        return (f"too close to {self.party}'s {self.colour} for readers with {VISION_NAMES[self.vision]} "
                f"(difference {self.difference:.1f}; at least {MIN_DIFFERENCE:g} keeps lines apart)")


def collision(colour: str, others: Mapping[str, str]) -> Collision | None:
    """The closest of `others` ({party name: colour}) that this colour collides with, or None."""
    found: Collision | None = None
    for party, other in others.items():
        for vision in VISIONS:
            gap = difference(colour, other, vision)
            if gap < MIN_DIFFERENCE and (found is None or gap < found.difference):
                found = Collision(party, other, gap, vision)
    return found


def parse_colour(text: str) -> tuple[str, str | None]:
    """'#RRGGBB' from '#rrggbb', '#rgb' or a CSS colour name ('teal'), or the reason it is none of these."""
    cleaned = text.strip()
    if not cleaned:
        return "", None
    from coloraide import Color

    try:
        color = Color(cleaned if cleaned.startswith("#") or cleaned.isalpha() else "invalid")
    except ValueError:
        return "", f"'{cleaned[:40]}' is not a colour: give one as #rrggbb (e.g. #8a2be2) or a CSS colour name (e.g. teal)"
    if color.alpha() < 1:
        return "", f"'{cleaned[:40]}' is transparent: a party's colour must be solid"
    return str(color.convert("srgb").to_string(hex=True, upper=True)), None


@lru_cache(maxsize=16)
def _pick(others: tuple[str, ...]) -> str | None:
    from coloraide import Color

    seen = {vision: [(_color(o).filter(vision, method="machado") if vision else _color(o)) for o in others]
            for vision in VISIONS}
    # (vision, other) pairs, the one that last ruled a candidate out first: neighbouring candidates are ruled
    # out by the same party, so most are dropped after one or two ΔE (the result is the same in any order)
    pairs = [(vision, other) for vision in VISIONS for other in seen[vision]]
    best, best_gap = None, MIN_DIFFERENCE
    for lightness in (0.55, 0.45, 0.65, 0.38):      # mid tones first: on white, and lightened for dark mode
        for chroma in (0.16, 0.12, 0.2, 0.1):        # colourful enough never to pass for the chart's grey ink
            for hue in range(0, 360, 8):
                candidate = Color("oklch", [lightness, chroma, hue]).convert("srgb")
                if not candidate.in_gamut() or candidate.contrast("white", method="wcag21") < MIN_LINE_CONTRAST:
                    continue
                shown: dict[str | None, Color] = {None: candidate}   # filtered for a vision only when needed
                gap = float("inf")
                for i, (vision, other) in enumerate(pairs):
                    if vision not in shown and vision is not None:
                        shown[vision] = candidate.filter(vision, method="machado")
                    gap = min(gap, float(shown[vision].delta_e(other, method="2000")))
                    if gap <= best_gap:
                        pairs.insert(0, pairs.pop(i))
                        break
                if gap > best_gap:
                    best, best_gap = str(candidate.to_string(hex=True, upper=True)), gap
    return best


def pick_colour(others: Iterable[str]) -> str | None:
    """A colour that collides with none of `others` (as far from the closest as the palette allows, and
    legible as a line on white), or None when every candidate collides with one of them."""
    return _pick(tuple(sorted({o.upper() for o in others})))
