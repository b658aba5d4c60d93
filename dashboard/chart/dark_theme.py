"""The chart for a reader whose system is in dark mode: the house figure with each of its colours
mapped to a dark counterpart, so it stays the same chart (built by figure.py alone).

Neutrals (background, ink, grid, bands) have their lightness turned round; a party colour keeps its
hue and is lightened only as far as needed to stand out from the dark background (3:1, the WCAG
contrast for graphics), so each party stays recognisable and the parties stay apart.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from coloraide import Color

DARK_BACKGROUND = "#16181d"
DARK_INK = "#e6e8eb"
DARK_LINK = "#8ab4f8"
MIN_CONTRAST = 3.0
NEUTRAL_CHROMA = 0.045  # OKLCh chroma below this is a grey: ink, grid, bands, background
DARK_LAYOUT = {"modebar": {"bgcolor": "rgba(0,0,0,0)", "color": "#9aa0a6", "activecolor": DARK_INK}}


def _css(color: Color) -> str:
    srgb = color.convert("srgb").fit("srgb")
    alpha = srgb.alpha()
    if alpha >= 1:
        return srgb.to_string(hex=True)
    r, g, b = (round(min(max(v, 0.0), 1.0) * 255) for v in srgb.coords())
    return f"rgba({r},{g},{b},{round(alpha, 3)})"


def dark_colour(colour: str) -> str:
    """The colour's counterpart on the dark background (unchanged if it is not a CSS colour)."""
    try:
        color = Color(colour).convert("oklch")
    except ValueError:
        return colour
    lightness, chroma, hue = color.coords(nans=False)
    background = Color(DARK_BACKGROUND).convert("oklch")
    bg_lightness = background.coords()[0]
    if chroma < NEUTRAL_CHROMA:
        if lightness > 0.99:  # the paper itself
            return _css(Color(DARK_BACKGROUND).set("alpha", color.alpha()))
        color = color.set("lightness", min(bg_lightness + 0.06 + (1 - lightness) * 0.92, 1.0))
        return _css(color)
    solid = color.clone().set("alpha", 1)
    step = 0
    while solid.contrast(background) < MIN_CONTRAST and step < 40:
        solid = solid.set("lightness", min(solid.coords()[0] + 0.01, 1.0)).fit("srgb")
        step += 1
    return _css(solid.set("alpha", color.alpha()))


def colours_in(value: Any) -> Iterator[str]:
    """Every colour string in a figure dict (values of keys named like `color`, `bgcolor`, ...)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if "color" in key and isinstance(item, str):
                yield item
            elif "color" in key and isinstance(item, list):
                yield from (c for c in item if isinstance(c, str))
            else:
                yield from colours_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from colours_in(item)


def dark_colour_map(figures: Iterable[dict]) -> dict[str, str]:
    """{light colour: dark colour} for every colour the figures use, with white (plotly's default
    background) always in it; the page's script swaps them when the reader prefers dark."""
    found = {"white", "#fff", "#ffffff"}
    for figure in figures:
        found.update(colours_in(figure))
    return {colour: dark_colour(colour) for colour in sorted(found)}


def apply_colour_map(value: Any, mapping: dict[str, str]) -> Any:
    """The figure dict with its colours swapped (the page's script does the same in the browser)."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if "color" in key and isinstance(item, str):
                out[key] = mapping.get(item, item)
            elif "color" in key and isinstance(item, list):
                out[key] = [mapping.get(c, c) if isinstance(c, str) else c for c in item]
            else:
                out[key] = apply_colour_map(item, mapping)
        return out
    if isinstance(value, list):
        return [apply_colour_map(item, mapping) for item in value]
    return value
