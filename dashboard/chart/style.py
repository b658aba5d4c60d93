"""The house style's measures: fonts, inks and sizes chosen by the width a chart is drawn at, and how
much room a line of text takes there. Every other chart module sizes its text with these."""
from __future__ import annotations

import functools
import html
import textwrap
from dataclasses import dataclass

FONT = "Liberation Sans, Arial, Helvetica, DejaVu Sans, sans-serif"
INK = "#1f2328"
MUTED = "#5b616b"
GRID = "#e3e5e8"
BAND = "rgba(40, 50, 70, 0.055)"
KEY_COLOUR = "#4a5058"
HOVER_WRAP = 60


@dataclass(frozen=True)
class Style:
    """Sizes in pixels, chosen by the width the chart is drawn at."""

    pad: float
    title: float
    subtitle: float
    small: float
    tick: float
    marker: float
    line: float
    label: float

    @classmethod
    def for_width(cls, width: int, read_width: int | None = None) -> Style:
        """The sizes for a chart `width` px wide; with `read_width`, for an image that will be shown
        only that wide (a 1200 px export in a 700 px blog column): the layout of a `read_width` chart,
        enlarged, so no text is smaller there than it is on a chart of that width."""
        if read_width and width > read_width:
            base = cls.for_width(read_width)
            factor = width / read_width
            return cls(*(value * factor for value in (base.pad, base.title, base.subtitle, base.small, base.tick,
                                                       base.marker, base.line, base.label)))
        if width < 600:
            return cls(pad=10, title=17, subtitle=12.5, small=10.5, tick=11, marker=5.5, line=2, label=11)
        scale = min(max(width / 1200, 0.85), 1.6)
        return cls(pad=round(18 * scale), title=max(22 * scale, 17), subtitle=max(14 * scale, 12.5),
                   small=max(11.5 * scale, 10.5), tick=max(12.5 * scale, 11), marker=6 * scale,
                   line=2.6 * scale, label=max(12.5 * scale, 12))

    @property
    def smallest_text(self) -> float:
        return min(self.title, self.subtitle, self.small, self.tick, self.label, self.subtitle * 0.95)


def escape(text: str) -> str:
    """Data and user text as plain text for plotly's HTML-like labels: never markup."""
    return html.escape(str(text), quote=False)


GLYPH_EM = 0.52  # an average glyph of the house font, in em: how many characters a line holds

# Advance widths of Liberation Sans (metric-compatible with Arial and Helvetica), in thousandths of
# an em, for the printable ASCII characters from the space on; any other character counts as 600.
_WIDTHS = dict(zip(
    " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~",
    (278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, *(556,) * 10, 278, 278,
     584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667,
     778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556,
     278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500,
     334, 260, 334, 584)))
BOLD = 1.08  # bold glyphs of the house font are about this much wider
HINTING = 1.04  # at the small sizes of a chart, Chromium draws a line about this much wider than its glyphs


def text_px(text: str, font_px: float, bold: bool = False) -> float:
    """How wide a line of plain text is drawn in the house font (from its glyphs' widths)."""
    return sum(_WIDTHS.get(c, 600) for c in text) / 1000 * font_px * (BOLD if bold else 1) * HINTING


def wrap(text: str, width_px: float, font_px: float) -> list[str]:
    """Lines of escaped text that fit `width_px` at `font_px`."""
    return list(_wrap(text, width_px, font_px))


@functools.lru_cache(maxsize=16384)
def _wrap(text: str, width_px: float, font_px: float) -> tuple[str, ...]:
    """Remembered: many figures share a source, and textwrap is the slowest step of a large chart."""
    chars = max(int(width_px / (font_px * GLYPH_EM)), 12)
    return tuple(escape(line) for line in textwrap.wrap(text, chars, break_on_hyphens=False)) or ("",)
