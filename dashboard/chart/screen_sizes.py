"""The sizes a chart is laid out for on a screen, and which one a screen of a given width gets.

The page and the embed show the chart as an image before any script runs, then let the interactive
chart take its place. For that switch to change nothing a reader can see, the image and the live
chart must be the same drawing: laid out for the same width and height, and shown at exactly that
size. So the chart's box does not stretch with the window: it snaps to the widest size here that
fits, the `<picture>` picks the image made for that size, and the live chart is laid out for the
width of its box. One table decides all three (the CSS, the picture's sources and the sizes the
server agrees to draw), so they cannot disagree.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ChartSize:
    """A chart `width` x `height` CSS pixels, for screens (or frames) at least `min_viewport` wide."""

    width: int
    height: int
    min_viewport: int

    @property
    def media(self) -> str:
        """The media condition of the screens that get this size ("" for every screen)."""
        return f"(min-width: {self.min_viewport}px)" if self.min_viewport else ""


# The dashboard page. Below WIDE_LAYOUT the chart fills the page less its 10 px padding on each side
# (a 390 px phone: 370); from WIDE_LAYOUT on the controls sit in a 300 px column beside it, with a
# 24 px gap and 20 px of padding each side, and the page is at most PAGE_MAX_WIDTH wide. A desktop
# browser's scroll bar (up to SCROLLBAR px) takes from the width its media queries see.
WIDE_LAYOUT = 1000
PAGE_MAX_WIDTH = 1240
NARROW_PADDING = 10
WIDE_SIDE = 20 + 300 + 24 + 20
SCROLLBAR = 17
PAGE_CHART_HEIGHT = 580
_NARROW_WIDTHS = (300, 340, 355, 370, 392, 410, 460, 520, 600, 680, 760, 840, 920)
_WIDE_WIDTHS = (600, 660, 720, 780, 840, PAGE_MAX_WIDTH - WIDE_SIDE)


def _page_sizes() -> tuple[ChartSize, ...]:
    narrow = [ChartSize(w, PAGE_CHART_HEIGHT, 0 if i == 0 else w + 2 * NARROW_PADDING)
              for i, w in enumerate(_NARROW_WIDTHS)]
    wide = [ChartSize(w, PAGE_CHART_HEIGHT, max(WIDE_LAYOUT, w + WIDE_SIDE + SCROLLBAR)) for w in _WIDE_WIDTHS]
    return tuple(narrow + wide)


PAGE_SIZES = _page_sizes()
PAGE_DESKTOP = PAGE_SIZES[-1]  # a laptop's chart (1280 px and wider): what the layout is first made for


def embed_height(width: int) -> int:
    """The embed's chart: taller than 16:9 when narrow, so the title and source line leave room."""
    return max(round(width * 9 / 16), 560)


# The embed (and the static site's page): the frame is the screen, with no padding (a frame in a
# 320 px phone's column, less the blog's margins, is about 288 px wide).
EMBED_SIZES = tuple(ChartSize(w, embed_height(w), 0 if i == 0 else w)
                    for i, w in enumerate((280, 320, 360, 400, 480, 560, 640, 720, 820, 940, 1200)))
EMBED_TYPICAL = next(s for s in EMBED_SIZES if s.width == 640)  # a blog's column (700 px) gets this one


def size_for(viewport: int, sizes: tuple[ChartSize, ...]) -> ChartSize:
    """The size a screen `viewport` CSS pixels wide gets: the last whose media condition it meets."""
    chosen = sizes[0]
    for size in sizes:
        if viewport >= size.min_viewport:
            chosen = size
    return chosen


def is_screen_size(width: int, height: int) -> bool:
    """Whether the page or the embed ever shows a chart of this size (the only ones drawn on request)."""
    return any((s.width, s.height) == (width, height) for s in (*PAGE_SIZES, *EMBED_SIZES))


def box_css(selector: str, sizes: tuple[ChartSize, ...]) -> str:
    """CSS giving `selector` the width and height of the size each screen gets (narrowest first, so
    each wider rule overrides the one before)."""
    rules = []
    for size in sizes:
        rule = f"{selector}{{width:{size.width}px;height:{size.height}px}}"
        rules.append(f"@media {size.media}{{{rule}}}" if size.media else rule)
    return "\n".join(rules)
