"""The chart as a screen draws it, as an image: what the page and the embed show before any script
runs (and all that a reader without JavaScript, or a crawler, sees of the chart).

It is the interactive chart's own figure (`figure_dict` at the size its box has on that screen,
chart/screen_sizes.py), drawn once by the warm browser: the live chart that later takes its place
is the same drawing, so the switch shows no change. A WebP at 1x or 2x the pixels: the browser
decodes it off the page's main thread. An SVG is a tenth of the bytes, but a browser parses, lays out
and paints an SVG image on the main thread, which on a phone (Lighthouse's 4x-slower CPU) blocked it
for 0.3-0.5 s, longer than the bytes took to arrive; a PNG is 200-250 KB.

The WebP is lossless, of the drawing reduced to its 256 commonest colours (a chart has a handful of
inks and their anti-aliased edges): 35-55 KB at 2x, a third less than the browser's own lossy WebP
(60-80 KB, with smudges around the text), which on a phone's slow network is the image's load time.
The median-cut palette keeps the faint shading of the leaders' bands that a quicker one loses. It
costs 0.1-0.5 s of CPU after the drawing, once per image (they are kept).
"""
from __future__ import annotations

import hashlib
import io
import json
from typing import Any

from dashboard.chart.dark_theme import DARK_LAYOUT, apply_colour_map, dark_colour_map
from dashboard.chart.figure import figure_dict
from dashboard.chart.screen_sizes import ChartSize, is_screen_size
from dashboard.core.dataset import Dataset
from dashboard.core.view import View
from dashboard.export.image import SpecError
from dashboard.export.warm_browser import render

# Part of every image's key: a new renderer or plotly.js may draw the same figure differently.
RENDERER = "kaleido-png-palette-webp-2"
FORMAT = "webp"
MIME = "image/webp"
COLOURS = 256  # a palette image's most
SCALES = (1, 2)  # pixels per CSS pixel: 2 for phones and sharp laptop screens


def screen_size(width: object, height: object) -> ChartSize:
    """A size the page or the embed shows, from a request's text; SpecError for any other (the
    server draws no size on request that no screen would show)."""
    try:
        w, h = int(str(width)), int(str(height))
    except ValueError:
        raise SpecError([f"width and height must be whole numbers, not {width!r} and {height!r}"]) from None
    if not is_screen_size(w, h):
        raise SpecError([f"{w}×{h} is not a size the page or the embed shows"])
    return ChartSize(w, h, 0)


def merge(base: dict, extra: dict) -> dict:
    """`base` with `extra` laid over it, dicts merged key by key."""
    out = dict(base)
    for key, value in extra.items():
        out[key] = merge(out[key], value) if isinstance(out.get(key), dict) and isinstance(value, dict) else value
    return out


def dark_figure(figure: dict, colours: dict[str, dict[str, str]]) -> dict:
    """The figure for a reader in dark mode: its colours swapped (dark_theme.py), the toolbar dimmed."""
    return {"data": apply_colour_map(figure["data"], colours),
            "layout": merge(apply_colour_map(figure["layout"], colours), DARK_LAYOUT)}


def screen_figure(dataset: Dataset, view: View, size: ChartSize) -> dict:
    """The figure a screen's chart box of `size` draws, with stable trace ids (the same view gives
    the same image every time)."""
    figure = figure_dict(dataset, view, size.width, size.height)
    for i, trace in enumerate(figure["data"]):
        trace["uid"] = f"trace-{i}"
    return figure


def screen_figures(dataset: Dataset, view: View, size: ChartSize) -> dict[str, dict]:
    """{"light": figure, "dark": figure} for one size (the embed follows the reader's colour scheme)."""
    light = screen_figure(dataset, view, size)
    colours = dark_colour_map([light], [party.colour for party in dataset.parties.values()])
    return {"light": light, "dark": dark_figure(light, colours)}


def figure_key(figure: dict, size: ChartSize, scale: int) -> str:
    """A name for the image of this figure at this size: the same drawing always has the same key,
    whichever process, view spelling or data file asked for it."""
    text = json.dumps([RENDERER, size.width, size.height, scale, figure], sort_keys=True, separators=(",", ":"),
                      default=_plain)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:40]


def _plain(value: Any) -> Any:
    """numpy numbers and the like, as JSON has them."""
    return value.item() if hasattr(value, "item") else str(value)


def screen_image(figure: dict, size: ChartSize, scale: int) -> bytes:
    """The image of a screen figure. Raises BrowserMissing or RenderFailed (warm_browser)."""
    return palette_webp(render(figure, "png", size.width, size.height, scale))


def palette_webp(png: bytes) -> bytes:
    """A PNG as a lossless WebP of its COLOURS commonest colours (median cut, no dithering)."""
    from PIL import Image  # only a process that draws images needs it

    with Image.open(io.BytesIO(png)) as image:
        palette = image.convert("RGB").quantize(COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    palette.save(out, FORMAT, lossless=True, method=4, quality=80)
    return out.getvalue()
