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
                   line=2.6 * scale, label=max(12.5 * scale, 11))

    @property
    def smallest_text(self) -> float:
        return min(self.title, self.subtitle, self.small, self.tick, self.label, self.subtitle * 0.95)


def escape(text: str) -> str:
    """Data and user text as plain text for plotly's HTML-like labels: never markup."""
    return html.escape(str(text), quote=False)


GLYPH_EM = 0.52  # an average glyph of the house font, in em


def text_px(text: str, font_px: float, bold: bool = False) -> float:
    """About how wide a line of text is drawn."""
    return len(text) * font_px * (GLYPH_EM + (0.05 if bold else 0))


def wrap(text: str, width_px: float, font_px: float) -> list[str]:
    """Lines of escaped text that fit `width_px` at `font_px`."""
    return list(_wrap(text, width_px, font_px))


@functools.lru_cache(maxsize=16384)
def _wrap(text: str, width_px: float, font_px: float) -> tuple[str, ...]:
    """Remembered: many figures share a source, and textwrap is the slowest step of a large chart."""
    chars = max(int(width_px / (font_px * GLYPH_EM)), 12)
    return tuple(escape(line) for line in textwrap.wrap(text, chars, break_on_hyphens=False)) or ("",)
