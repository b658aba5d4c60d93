"""The chart for a reader whose system is in dark mode: the house figure with each of its colours
mapped to a dark counterpart, so it stays the same chart (built by the chart modules alone).

Neutrals (background, ink, grid, bands) have their lightness turned round. A party colour keeps its
hue and is lightened only as far as needed to stand out from the dark background (3:1, the WCAG
contrast for graphics; 4.5:1 for text drawn in it), and, where lightening it would bring it close
to another party's colour (for normal vision or simulated deuteranopia and protanopia), further, so
the parties stay apart.
"""
from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from coloraide import Color

DARK_BACKGROUND = "#16181d"
DARK_INK = "#e6e8eb"
DARK_LINK = "#8ab4f8"
MIN_CONTRAST = 3.0  # lines and markers
MIN_TEXT_CONTRAST = 4.5  # text drawn in a colour (direct labels)
NEUTRAL_CHROMA = 0.045  # OKLCh chroma below this is a grey: ink, grid, bands, background
VISIONS = (None, "deutan", "protan")  # Machado et al. 2009 at full severity
DISTINCT = 8.0  # ΔE2000 in every vision: told apart at a glance (with the party's marker and dash as well)
DARK_LAYOUT = {"modebar": {"bgcolor": "rgba(0,0,0,0)", "color": "#9aa0a6", "activecolor": DARK_INK}}


def _color(value: str | Color) -> Color:
    """coloraide's Color, imported with the first dark chart page rather than at every start (a tenth of a second)."""
    from coloraide import Color

    return Color(value)


def _css(color: Color) -> str:
    srgb = color.convert("srgb").fit("srgb")
    alpha = srgb.alpha()
    if alpha >= 1:
        return srgb.to_string(hex=True)
    r, g, b = (round(min(max(v, 0.0), 1.0) * 255) for v in srgb.coords())
    return f"rgba({r},{g},{b},{round(alpha, 3)})"


def _parse(colour: str) -> Color | None:
    try:
        return _color(colour).convert("oklch")
    except ValueError:
        return None


def _lightened(color: Color, min_contrast: float) -> Iterator[Color]:
    """The colour, then lighter and lighter versions of its hue, from the first that has
    `min_contrast` against the dark background up to nearly white."""
    background = _color(DARK_BACKGROUND)
    solid = color.clone().set("alpha", 1)
    while solid.contrast(background) < min_contrast and solid.coords()[0] < 0.97:
        solid = solid.set("lightness", solid.coords()[0] + 0.01).fit("srgb")
    while solid.coords()[0] < 0.9:
        yield solid
        solid = solid.clone().set("lightness", solid.coords()[0] + 0.015).fit("srgb")
    yield solid


def dark_colour(colour: str, min_contrast: float = MIN_CONTRAST) -> str:
    """The colour's counterpart on the dark background (unchanged if it is not a CSS colour)."""
    color = _parse(colour)
    if color is None:
        return colour
    lightness, chroma, _ = color.coords(nans=False)
    if chroma < NEUTRAL_CHROMA:
        if lightness > 0.99:  # the paper itself
            return _css(_color(DARK_BACKGROUND).set("alpha", color.alpha()))
        bg_lightness = _color(DARK_BACKGROUND).convert("oklch").coords()[0]
        return _css(color.set("lightness", min(bg_lightness + 0.06 + (1 - lightness) * 0.92, 1.0)))
    return _css(next(_lightened(color, min_contrast)).set("alpha", color.alpha()))


def _seen(color: Color, vision: str | None) -> Color:
    return color if vision is None else color.filter(vision, method="machado").convert("srgb").clip()


def difference(a: str | Color, b: str | Color) -> float:
    """The smallest ΔE2000 between two colours for normal vision, deuteranopia and protanopia."""
    first, second = _color(a), _color(b)
    return min(_seen(first, v).delta_e(_seen(second, v), method="2000") for v in VISIONS)


@lru_cache(maxsize=32)
def dark_party_colours(colours: tuple[str, ...]) -> dict[str, str]:
    """{party colour: its dark-theme colour}: each lightened as little as it needs, but where that
    leaves it close to another party, further, until it is as far from every other as the palette's
    closest pair is on white (or DISTINCT), or as far as its hue allows."""
    parsed = {c: _parse(c) for c in colours}
    known = {c: p for c, p in parsed.items() if p is not None}
    target = min([DISTINCT, *(difference(a, b) for a, b in itertools.combinations(known.values(), 2))])
    background = _color(DARK_BACKGROUND)
    chosen: dict[str, Color] = {c: p for c, p in known.items() if p.clone().set("alpha", 1).contrast(background)
                                >= MIN_CONTRAST}
    for colour in sorted(set(known) - set(chosen), key=lambda c: known[c].contrast(background)):
        best, best_gap = None, -1.0
        for candidate in _lightened(known[colour], MIN_CONTRAST):
            gap = min([DISTINCT, *(difference(candidate, other) for other in chosen.values())])
            if gap > best_gap:
                best, best_gap = candidate, gap
            if gap >= target:
                break
        assert best is not None
        chosen[colour] = best
    return {c: _css(chosen[c]) if c in chosen else c for c in colours}


def _is_font(key: str) -> bool:
    return key.endswith("font")


def colours_in(value: Any, in_font: bool = False) -> Iterator[tuple[str, bool]]:
    """Every colour string in a figure dict, with whether it colours text (it is in a `font`)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if "color" in key and isinstance(item, str):
                yield item, in_font
            elif "color" in key and isinstance(item, list):
                yield from ((c, in_font) for c in item if isinstance(c, str))
            else:
                yield from colours_in(item, in_font or _is_font(key))
    elif isinstance(value, list):
        for item in value:
            yield from colours_in(item, in_font)


def dark_colour_map(figures: Iterable[dict], party_colours: Iterable[str] = ()) -> dict[str, dict[str, str]]:
    """{"graphics": {light: dark}, "text": {light: dark}} for every colour the figures use (white,
    plotly's default background, always); the page's script swaps them when the reader prefers dark."""
    parties = dark_party_colours(tuple(sorted({c.lower() for c in party_colours})))
    found: dict[bool, set[str]] = {False: {"white", "#fff", "#ffffff"}, True: set()}
    for figure in figures:
        for colour, in_font in colours_in(figure):
            found[in_font].add(colour)

    def counterpart(colour: str, min_contrast: float) -> str:
        party = parties.get(colour.lower())
        if party is None:
            return dark_colour(colour, min_contrast)
        return party if min_contrast == MIN_CONTRAST else dark_colour(party, min_contrast)

    return {"graphics": {c: counterpart(c, MIN_CONTRAST) for c in sorted(found[False])},
            "text": {c: counterpart(c, MIN_TEXT_CONTRAST) for c in sorted(found[True])}}


def apply_colour_map(value: Any, mapping: dict[str, dict[str, str]], in_font: bool = False) -> Any:
    """The figure dict with its colours swapped (the page's script does the same in the browser)."""
    table = mapping["text" if in_font else "graphics"]
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if "color" in key and isinstance(item, str):
                out[key] = table.get(item, item)
            elif "color" in key and isinstance(item, list):
                out[key] = [table.get(c, c) if isinstance(c, str) else c for c in item]
            else:
                out[key] = apply_colour_map(item, mapping, in_font or _is_font(key))
        return out
    if isinstance(value, list):
        return [apply_colour_map(item, mapping, in_font) for item in value]
    return value
