"""(dataset, view, export spec) -> PNG/SVG bytes and a filename that says what the file is.

The page's Download button, the CLI and the static site all call `export_image`, so the same view
and spec give the same bytes wherever the export is made.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import plotly.graph_objects as go

from dashboard.chart.figure import figure_dict
from dashboard.core.dataset import Dataset
from dashboard.core.measures import INDEX, MEMBERS
from dashboard.core.view import View
from dashboard.export.warm_browser import BrowserMissing, RenderFailed, render

__all__ = ["BrowserMissing", "RenderFailed", "ExportSpec", "SpecError", "PRESETS", "FORMATS",
           "make_spec", "filename_for", "export_figure", "export_image"]

FORMATS = ("png", "svg")
MIN_SIDE, MAX_SIDE = 200, 4000
MIN_SCALE, MAX_SCALE = 1, 4
MIN_PLOT_PX = 100  # the chart itself, between the legend and the source line
MAX_PIXELS = 40_000_000  # output pixels (width x height x scale^2): Chrome's canvas gives out past this
# A blog column: an image is laid out so that, shown this wide, no text is smaller than on a chart of
# this width (so a 1200 px export read at 700 px has no text under 10 CSS px)
READ_WIDTH = 700
# A portrait post is seen in a phone's feed, about 390 CSS px wide: laid out as a chart this wide,
# enlarged, its text is legible there, and far above 10 px when the image is shown 1080 px wide
PORTRAIT_READ_WIDTH = 540


@dataclass(frozen=True)
class Preset:
    key: str
    label: str
    width: int
    height: int


PRESETS: dict[str, Preset] = {p.key: p for p in (
    Preset("blog", "Blog 1200×675", 1200, 675),
    Preset("square", "Square 1080×1080", 1080, 1080),
    Preset("wide", "Wide 1600×900", 1600, 900),
    Preset("social", "Link preview 1200×630", 1200, 630),
    Preset("portrait", "Portrait post 1080×1350", 1080, 1350),
)}
DEFAULT_PRESET = "blog"
# What a visitor who is not an editor may ask the server to draw: up to the largest preset at 2x
# (Portrait 1080x1350 at 2x is 2160x2700, 5.8 million pixels). Editors may go up to MAX_PIXELS.
ANONYMOUS_MAX_SCALE = 2
ANONYMOUS_MAX_PIXELS = max(p.width * p.height for p in PRESETS.values()) * ANONYMOUS_MAX_SCALE ** 2


@dataclass(frozen=True)
class ExportSpec:
    """A validated request for an image: layout size in CSS pixels, pixel density, format."""

    width: int = 1200
    height: int = 675
    scale: int = 2
    format: str = "png"

    @property
    def pixel_size(self) -> tuple[int, int]:
        """The size of the PNG in pixels (an SVG has the layout size)."""
        return self.width * self.scale, self.height * self.scale


class SpecError(ValueError):
    """An export request out of bounds; `messages` are for the user, one per problem."""

    def __init__(self, messages: list[str]):
        self.messages = list(messages)
        super().__init__("; ".join(self.messages))

    def sentence(self) -> str:
        """Every problem in one sentence ("Width must be ...; the title contains ... U+202E ...")."""
        text = "; ".join(self.messages)
        return text[:1].upper() + text[1:] + "."


def _whole(value: object, name: str, problems: list[str]) -> int | None:
    if isinstance(value, bool):
        value = None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():  # not '²' or '١٢'
        value = int(value.strip())
    if not isinstance(value, int):
        problems.append(f"{name} must be a whole number, not {value!r}")
        return None
    return value


def make_spec(width: object = None, height: object = None, scale: object = 2, format: str = "png",
              preset: str | None = None) -> ExportSpec:
    """A spec from user input (flags, form fields); SpecError lists every problem found.

    A preset gives the width and height unless they are given too ("custom").
    """
    problems: list[str] = []
    if preset not in (None, "", "custom"):
        if preset not in PRESETS:
            problems.append(f"unknown size preset '{preset}' (known: {', '.join(PRESETS)}, custom)")
        else:
            width = PRESETS[preset].width if width in (None, "") else width
            height = PRESETS[preset].height if height in (None, "") else height
    default = PRESETS[DEFAULT_PRESET]
    width = default.width if width in (None, "") else width
    height = default.height if height in (None, "") else height
    w = _whole(width, "width", problems)
    h = _whole(height, "height", problems)
    s = _whole(scale, "scale", problems)
    for name, value in (("width", w), ("height", h)):
        if value is not None and not MIN_SIDE <= value <= MAX_SIDE:
            problems.append(f"{name} must be between {MIN_SIDE} and {MAX_SIDE} pixels, not {value}")
    if s is not None and not MIN_SCALE <= s <= MAX_SCALE:
        problems.append(f"scale must be between {MIN_SCALE} and {MAX_SCALE}, not {s}")
    fmt = str(format or "").strip().lower().lstrip(".")
    if fmt not in FORMATS:
        problems.append(f"format must be one of {', '.join(FORMATS)}, not '{format}'")
    if fmt == "svg":
        s = 1  # an SVG is drawn at its layout size and scales itself; density is for PNG only
    if problems or w is None or h is None or s is None:
        raise SpecError(problems)
    if w * h * s * s > MAX_PIXELS:
        problems.append(f"{w * s}×{h * s} pixels is too large (at most {MAX_PIXELS // 1_000_000} million): "
                        "lower the scale or the size")
    if problems:
        raise SpecError(problems)
    return ExportSpec(width=w, height=h, scale=s, format=fmt)


def read_width(spec: ExportSpec) -> int:
    """The width whose layout the image enlarges (Style.for_width): a blog column's, or a phone's
    for a portrait post."""
    return min(spec.width, PORTRAIT_READ_WIDTH) if spec.height > spec.width else READ_WIDTH


def anonymous_limit(spec: ExportSpec) -> str | None:
    """Why a visitor who is not signed in may not have this size made on the server, or None."""
    width, height = spec.pixel_size if spec.format == "png" else (spec.width * 2, spec.height * 2)
    if spec.scale > ANONYMOUS_MAX_SCALE or width * height > ANONYMOUS_MAX_PIXELS:
        return (f"images larger than the presets at 2× ({ANONYMOUS_MAX_PIXELS / 1e6:.1f} million pixels) are made "
                "on the server for signed-in editors only: choose a smaller size, or use the camera icon on the "
                "chart, which draws in your own browser")
    return None


def filename_for(view: View, fmt: str) -> str:
    """`labour-membership-1989-2024.png`, `labour-snp-membership-index-2010-1989-2024.png`: the
    parties, measure and years, so a folder of exports stays legible.

    `view` must be resolved (start and end filled in).
    """
    parties = "-".join(view.parties) if len(view.parties) <= 3 else "party"
    measure = "" if view.measure == MEMBERS else f"-{view.measure}"
    if view.measure == INDEX:
        measure += f"-{view.base_year}"
    elif view.log_scale:
        measure = "-log"
    span = f"{view.start}-{view.end}" if view.start != view.end else f"{view.start}"
    return f"{parties}-membership{measure}-{span}.{fmt.lower()}"


def export_figure_dict(dataset: Dataset, view: View, spec: ExportSpec, credit: str = "") -> dict:
    """The figure exactly as exported, as plain data: laid out for the spec's size, with a source
    line that does not point at hover text a printed image does not have. (The page's preview
    takes it as it is, without building a Figure object on every change.)"""
    figure = figure_dict(dataset, view, spec.width, spec.height, credit=credit, static=True,
                         read_width=read_width(spec))
    for i, trace in enumerate(figure["data"]):
        trace["uid"] = f"trace-{i}"  # else random: the same view would give a different SVG each time
    margin = figure["layout"]["margin"]
    if spec.height - margin["t"] - margin["b"] < MIN_PLOT_PX:
        raise SpecError([f"at {spec.width}×{spec.height} the title, legend and source line leave no room "
                         f"for the chart: make the image taller (or the title and note shorter)"])
    return figure


def export_figure(dataset: Dataset, view: View, spec: ExportSpec, credit: str = "") -> go.Figure:
    """`export_figure_dict` as a validated Figure: what is drawn into the file."""
    return go.Figure(export_figure_dict(dataset, view, spec, credit))


_SVG_UID = re.compile(rb'id="defs-([0-9a-f]{4,12})"')


def stable_svg(data: bytes) -> bytes:
    """The SVG with plotly.js's random per-plot id replaced by one derived from the content, so
    the same view gives the same file every time (page and CLI alike; diffs stay quiet)."""
    found = _SVG_UID.search(data)
    if not found:
        return data
    pattern = re.compile(rb"(defs-|clip|legend\d*)" + found.group(1))  # legend2...: the chart's second legend
    neutral = pattern.sub(rb"\g<1>UID", data)
    uid = hashlib.sha256(neutral).hexdigest()[:6].encode()
    return re.sub(rb"(defs-|clip|legend\d*)UID", rb"\g<1>" + uid, neutral)


def export_image(dataset: Dataset, view: View, spec: ExportSpec, credit: str = "") -> bytes:
    """PNG or SVG bytes for a resolved view. Raises BrowserMissing or RenderFailed."""
    figure = export_figure(dataset, view, spec, credit)
    data = render(figure.to_dict(), spec.format, spec.width, spec.height, spec.scale)
    return stable_svg(data) if spec.format == "svg" else data
