"""(dataset, view) -> plotly Figure. The house chart style lives here and only here.

Everything a reader needs to publish the chart is inside the figure (title, subtitle, legend,
direct labels, source line, note), laid out in pixels for the width it will be shown at, so a
screenshot or an export carries it whole.

How the chart is honest about what a figure is:
- each party has its colour (data/parties.csv, checked for colour-vision deficiencies) and its own
  marker symbol, so series stay apart without colour;
- a marker is filled for audited accounts, a ring with a dot for reported figures (party reports,
  compilations, the press) and an open ring for a party's own claim; the legend says so;
- year-end figures are joined by solid lines; a party with no year-end series has its dated figures
  joined by a thin dotted line, never mistaken for a year-end line; a party's dated figures beside
  its year-end line are markers only, never joined to it;
- each series is labelled at its end with its latest figure, as bounded as its source says.
"""
from __future__ import annotations

import datetime as dt
import functools
import html
import math
import textwrap
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from dashboard.chart.colours import text_colour
from dashboard.chart.labels import place_labels
from dashboard.chart.latest import LatestRow, comparison_sentence, differences, latest_rows
from dashboard.chart.measure_labels import axis_label, measure_subtitle, measure_title, measure_value_text, signed
from dashboard.chart.wording import BASIS_WORD, value_text, when_text
from dashboard.core.dataset import BASES, Dataset, basis_of
from dashboard.core.measures import CHANGE, CHANGE_PERCENT, INDEX, MEMBERS, Measured
from dashboard.core.memo import remembered
from dashboard.core.party_style import symbol_at
from dashboard.core.selection import (
    Rows,
    date_label,
    position,
    records,
    shown_by_party,
    shown_counts,
    shown_events,
    shown_measures,
)
from dashboard.core.view import View

FONT = "Liberation Sans, Arial, Helvetica, DejaVu Sans, sans-serif"
INK = "#1f2328"
MUTED = "#5b616b"
GRID = "#e3e5e8"
BAND = "rgba(40, 50, 70, 0.055)"
HOVER_WRAP = 60
# A line of more years than this is drawn without a marker on each year: the markers would touch,
# and drawing them is most of the browser's time for a long series (hover still finds every year).
MARKERS_UP_TO = 150
KEY_COLOUR = "#4a5058"

# How a marker is drawn for each tier of basis (core.dataset.Basis.tier).
TIER_SUFFIX = {"audited": "", "reported": "-open-dot", "claimed": "-open"}
TIER_KEY = {"audited": "audited accounts", "reported": "party report, compilation or press",
            "claimed": "party's own claim"}
TIERS = tuple(TIER_SUFFIX)


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


# ---------------------------------------------------------------- words in the chart

def default_title(dataset: Dataset, view: View) -> str:
    """The chart's title when the reader gives none; it names the measure."""
    return measure_title([dataset.party_name(p) for p in view.parties], view)


def joins_dated_figures(year_ends: Rows, others: Rows) -> bool:
    """Whether the chart joins some of a party's dated figures with a dotted line (dated_trace)."""
    dates = sorted(dt.date.fromisoformat(row["as_of"]) for row in others)
    off = off_series(dates, {int(row["year"]) for row in year_ends})
    return any(a and b for a, b in zip(off, off[1:]))


def default_subtitle(dataset: Dataset, view: View) -> str:
    """What the lines and markers are (or what the measure is), for the figures this view shows
    (remembered per view: the chart, the export preview and its placeholder all ask)."""
    return remembered("default_subtitle", dataset, view, lambda: _default_subtitle(dataset, view))


def _default_subtitle(dataset: Dataset, view: View) -> str:
    if view.measure != MEMBERS:
        text = measure_subtitle(view, False).rstrip(".")
        if view.bases:
            text += "; only " + ", ".join(BASES[b].label for b in view.bases)
        return text + "."
    parts = shown_by_party(dataset, view)
    with_year_ends = any(ends for ends, _ in parts.values())
    dated = any(others for _, others in parts.values())
    joined = any(joins_dated_figures(ends, others) for ends, others in parts.values())
    if not with_year_ends and not dated:
        return "No figures in these years."
    if not with_year_ends:
        text = "Individual members as reported at various dates" + (" (joined by dotted lines)" if joined else "")
    elif not dated:
        text = "Individual members at 31 December each year"
    elif not joined:
        text = "Individual members at 31 December (lines) and at other dates (markers)"
    else:
        text = "Individual members at 31 December (solid lines) and at other dates (markers; dotted where no year-end line)"
    if view.bases:
        text += "; only " + ", ".join(BASES[b].label for b in view.bases)
    if view.log_scale:
        text += "; log scale: equal steps up the axis are equal percentage changes"
    return text + "."


SOURCE_DETAIL = "Each figure's source is in its hover text and the table."
MIN_PLOT_SHARE = 0.42  # the source line is summarised until the plot keeps at least this share of the height


def source_names(shown: pd.DataFrame, publisher: bool = False) -> Counter[str]:
    """Who published the figures shown, most figures first ('BBC News (Dec 2025)' counts as 'BBC News');
    `publisher` keeps only the name before 'via', 'citing', 'reposted' and the like, or before a
    quoted headline."""
    cleaned = shown["source"].str.replace(r"\s*\([^)]*\)", "", regex=True).str.strip()
    if publisher:
        # and not an article's quoted headline: "London News Network 'SNP loses ...'" is London News Network
        cleaned = cleaned.str.replace(r"\s+(via|citing|reposted|scraped|reprint|quoting|relaying)\b.*$|,.*$"
                                      r"|\s+['‘\"“].*$", "", regex=True).str.strip()
    return Counter(cleaned)


def source_line(shown: pd.DataFrame, latest: list[LatestRow] | None = None, static: bool = False,
                brevity: int = 0) -> str:
    """Where the shown figures come from, true where the chart is seen: on the page each figure's source
    is in its hover text; an image seen alone names the source of every figure its labels state and
    the main sources of the rest. `brevity` 1 and 2 give shorter lines for small images."""
    counts = source_names(shown)
    n = len(counts)
    if n == 0:
        return "Source: no figures in this range."
    if not static:
        if n == 1 or (n == 2 and brevity == 0):
            return "Source: " + "; ".join(sorted(set(shown["source"]))) + "."
        top = [name for name, _ in counts.most_common(2)]
        if brevity == 0:
            return f"Sources: {n} published sources, mainly {top[0]} and {top[1]}. " + SOURCE_DETAIL
        return f"Sources: {n} published sources, mainly {top[0]}. " + SOURCE_DETAIL
    latest = latest or []
    named = {row.latest.source for row in latest}
    parts = []
    if latest and n > 1:
        parts.append("Latest figures: " + "; ".join(f"{row.name}, {row.latest.source}" for row in latest) + ".")
    else:
        named = set()
    rest = Counter({name: c for name, c in source_names(shown[~shown["source"].isin(named)]).items()})
    if rest:
        top = [name for name, _ in rest.most_common(3 - brevity if brevity < 2 else 1)]
        head = "Earlier figures" if parts else "Sources"
        if len(rest) <= len(top):
            parts.append(f"{head}: " + "; ".join(top) + ".")
        else:
            others = len(rest) - len(top)
            parts.append(f"{head}: {'; '.join(top)} and {others} other published source{'s' if others != 1 else ''}.")
    if brevity >= 2 and len(parts) > 1:
        publishers = source_names(shown[shown["source"].isin(named)], publisher=True)
        parts = [f"Sources: {n} published sources; the latest figures from " + ", ".join(publishers) + "."]
    return " ".join(parts)


def caveat_sentence(view: View, latest: list[LatestRow], brief: bool = False) -> str:
    """For an image: when the parties' latest figures differ in date or basis, the panel's sentence
    (unless the note already carries it), or `brief`ly, pointing to the labels that give each one."""
    if len(latest) < 2:
        return ""
    differ = differences(latest)
    if not differ:
        return ""
    sentence = comparison_sentence(latest)
    if sentence in view.note:
        return ""
    if not brief:
        return sentence
    unaudited = [r for r in latest if r.latest.basis != "accounts"]
    audited = [f"{r.label} {r.audited.value} ({r.audited.when})" for r in unaudited if r.audited is not None]
    missing = [r.name for r in unaudited if not r.has_audited]
    text = f"The latest figures differ in {differ} (see the labels): compare with care"
    if audited:
        text += "; last audited: " + ", ".join(audited)
    if missing:
        text += "; none shown for " + (" or ".join(missing) if len(missing) <= 2
                                       else ", ".join(missing[:-1]) + " or " + missing[-1])
    return text + "."


CAVEAT_LINES = 3  # the full comparison sentence in an image's footer only when it fits in this many lines


def footer_lines(shown: pd.DataFrame, view: View, width_px: float, style: Style, budget: int, credit: str = "",
                 static: bool = False, latest: list[LatestRow] | None = None,
                 not_drawn: list[str] | None = None) -> list[str]:
    """What was not drawn, note, the comparison caveat (images), source line and credit, wrapped to
    the width; the source line is summarised more briefly until the footer fits in `budget` lines
    (what was not drawn, the note, caveat and credit are never cut)."""
    note = [line for text in (not_drawn or []) for line in wrap(text, width_px, style.small)]
    note += wrap("Note: " + view.note, width_px, style.small) if view.note else []
    warn: list[str] = []
    if static and latest:
        warn = wrap(caveat_sentence(view, latest), width_px, style.small)
        if len(warn) > CAVEAT_LINES:
            warn = wrap(caveat_sentence(view, latest, brief=True), width_px, style.small)
        warn = [] if warn == [""] else warn
    tail = wrap(credit, width_px, style.small) if credit else []
    source: list[str] = []
    for brevity in (0, 1, 2):
        source = wrap(source_line(shown, latest, static, brevity), width_px, style.small)
        if len(note) + len(warn) + len(source) + len(tail) <= budget:
            break
    return note + warn + source + tail


def hover_text(party_name: str, row: Mapping) -> str:
    return _hover_text(party_name, str(row["as_of"]), int(row["year"]), int(row["members"]), str(row["basis"]),
                       str(row["source"]), str(row["note"]))


@functools.lru_cache(maxsize=16384)
def _hover_text(party_name: str, as_of: str, year: int, members: int, basis: str, source: str, note: str) -> str:
    """Remembered: every view shows figures of the same few hundred rows, and wrapping is the slow part."""
    lines = [f"<b>{escape(party_name)}</b>, {date_label(as_of, year)}",
             f"{members:,} members",
             f"Basis: {escape(basis_of(basis).label)}"]
    lines += ["Source: " + line if i == 0 else line
              for i, line in enumerate(wrap(source, HOVER_WRAP * 7, 13.5))]
    if note:
        lines += [f"<i>{line}</i>" for line in wrap(note, HOVER_WRAP * 7, 13.5)]
    return "<br>".join(lines)


# ---------------------------------------------------------------- series

def party_symbol(dataset: Dataset, slug: str) -> str:
    """The party's own marker symbol (core.party_style: one per party, in the order of parties.csv)."""
    order = list(dataset.parties)
    return symbol_at(order.index(slug) if slug in order else 0)


def marker_symbols(symbol: str, bases: list[str]) -> list[str]:
    """The party's symbol filled, dotted or open by the basis of each figure."""
    return [symbol + TIER_SUFFIX[basis_of(b).tier] for b in bases]


def _marker(dataset: Dataset, slug: str, bases: list[str], style: Style, scale: float = 1.4) -> dict:
    colour = dataset.parties[slug].colour
    return {"symbol": marker_symbols(party_symbol(dataset, slug), bases), "color": colour,
            "size": style.marker * scale, "line": {"width": max(style.line * 0.7, 1.4), "color": colour}}


def year_end_trace(dataset: Dataset, slug: str, rows: Rows, style: Style) -> dict:
    """One party's year-end line; a missing year is a gap in the line, never bridged."""
    party = dataset.parties[slug]
    by_year = {int(r["year"]): r for r in rows}
    years = list(range(min(by_year), max(by_year) + 1)) if by_year else []
    present = [y for y in years if y in by_year]
    trace = dict(
        type="scatter", x=[position(dt.date(y, 12, 31)) for y in years],
        y=[int(by_year[y]["members"]) if y in by_year else None for y in years],
        customdata=[f"{y}-12-31" if y in by_year else None for y in years],
        hovertext=[hover_text(party.name, by_year[y]) if y in by_year else "" for y in years],
        hovertemplate="%{hovertext}<extra></extra>",
        name=f"{party.name}, 31 December", legendgroup=slug, showlegend=False,
        mode="lines+markers" if len(years) <= MARKERS_UP_TO else "lines",
        connectgaps=False, line={"color": party.colour, "width": style.line},
        marker=_marker(dataset, slug, [str(by_year[y]["basis"]) if y in by_year else "" for y in years], style),
    )
    trace["meta"] = {"party": slug, "kind": "year-end", "points": len(present)}
    return trace


def off_series(dates: list[dt.date], year_end_years: set[int]) -> list[bool]:
    """Which dated figures lie where the party has no year-end line: a figure of year Y is on the line
    only when both the Y - 1 and the Y year ends are drawn, joined, on either side of it."""
    return [not (d.year - 1 in year_end_years and d.year in year_end_years) for d in dates]


def dated_trace(dataset: Dataset, slug: str, rows: Rows, style: Style, year_end_years: set[int]) -> dict:
    """Figures reported at other dates, at their date. Where the party's year-end line runs they are
    markers only, never joined to it; where it has none (a party with no year-end series, or after
    its last year end) a thin dotted line joins them, so the trend can be followed and is never taken
    for a year-end line."""
    party = dataset.parties[slug]
    rows = sorted(rows, key=lambda row: row["as_of"])
    dates = [dt.date.fromisoformat(row["as_of"]) for row in rows]
    off = off_series(dates, year_end_years)
    x: list[float | None] = []
    y: list[int | None] = []
    custom: list[str | None] = []
    hover: list[str] = []
    bases: list[str] = []
    for i, (date, row) in enumerate(zip(dates, rows)):
        if x and not (off[i] and off[i - 1]):
            # a break: this figure is not joined to the one before
            x.append(None)
            y.append(None)
            custom.append(None)
            hover.append("")
            bases.append("")
        x.append(position(date))
        y.append(int(row["members"]))
        custom.append(str(row["as_of"]))
        hover.append(hover_text(party.name, row))
        bases.append(str(row["basis"]))
    joined = any(a and b for a, b in zip(off, off[1:]))
    return dict(
        type="scatter", x=x, y=y, customdata=custom, hovertext=hover, hovertemplate="%{hovertext}<extra></extra>",
        name=f"{party.name}, other dates", legendgroup=slug, showlegend=False,
        mode="lines+markers" if joined else "markers", connectgaps=False,
        line={"color": party.colour, "width": max(style.line * 0.6, 1.2), "dash": "dot"},
        marker=_marker(dataset, slug, bases, style, 1.6),
        meta={"party": slug, "kind": "dated", "joined": joined},
    )


def legend_name(dataset: Dataset, slug: str, rows: Rows, has_line: bool) -> str:
    """The party's legend entry (a long name in its short form, as on the labels); for a party with only
    dated figures, also what they are."""
    party = dataset.parties[slug]
    name = party.name if len(party.name) <= 12 else party.label
    if has_line:
        return name
    labels = sorted({basis_of(row["basis"]).label for row in rows})
    if len(labels) == 1:
        return f"{name} (dated, {labels[0].removeprefix('party' + chr(39) + 's ')}{'' if labels[0].endswith('s') else 's'})"
    return f"{name} (dated)"


def legend_entry(dataset: Dataset, slug: str, name: str, has_line: bool, style: Style) -> dict:
    """A legend-only entry (no data) for a party: its colour, its filled symbol and the line it has."""
    colour = dataset.parties[slug].colour
    return dict(type="scatter", x=[None], y=[None], name=name, legendgroup=slug, mode="lines+markers", hoverinfo="skip",
                      line={"color": colour, "width": style.line if has_line else max(style.line * 0.6, 1.2),
                            "dash": "solid" if has_line else "dot"},
                      marker={"symbol": party_symbol(dataset, slug), "color": colour, "size": style.marker * 1.4},
                      meta={"party": slug, "kind": "legend"})


def basis_key(tier: str, style: Style) -> dict:
    """A legend-only entry explaining one way of drawing a marker."""
    return dict(type="scatter", x=[None], y=[None], name=TIER_KEY[tier], legendgroup=f"basis-{tier}", mode="markers",
                      hoverinfo="skip", legend="legend2",
                      marker={"symbol": "circle" + TIER_SUFFIX[tier], "color": KEY_COLOUR, "size": style.marker * 1.5,
                              "line": {"width": max(style.line * 0.7, 1.4), "color": KEY_COLOUR}},
                      meta={"kind": "basis-key", "tier": tier})


# ---------------------------------------------------------------- axes and events

def tick_step(span: int, width: int, label_px: float = 38) -> int:
    """Label every 1, 2, 5 or 10 years so labels never crowd (each label takes about 1.6 of its width)."""
    room = max(int(width // (label_px * 1.6)), 3)
    return next(step for step in (1, 2, 5, 10, 20, 50) if span / step <= room)


def year_labels(start: int, end: int, step: int, px_per_year: float, label_px: float) -> list[int]:
    """The years labelled: round ones every `step`, and always the first and last years chosen (a
    2015–2025 chart shows 2015 and 2025), dropping a round year that would crowd an end."""
    gap = label_px / max(px_per_year, 1e-9)
    middle = [y for y in range(start, end + 1) if y % step == 0 and gap <= y - start and gap <= end - y]
    return sorted({start, *middle, end})


def year_axis(start: int, end: int, plot_px: float, style: Style) -> dict:
    """Each year's label in the middle of its span, with ticks at 1 January between the years: a
    reader places each point in its year, and a 2015–2025 chart shows 2015 to 2025."""
    label_px = text_px("2025", style.tick) + 8
    step = tick_step(end - start + 1, int(plot_px), label_px)
    labelled = year_labels(start, end, step, plot_px / (end - start + 1), label_px)
    boundaries = list(range(start, end + 2)) if plot_px / (end - start + 1) >= 5 else \
        [y for y in range(start, end + 2) if y % step == 0]
    return {"tickmode": "array", "tickvals": [y + 0.5 for y in labelled], "ticktext": [str(y) for y in labelled],
            "ticks": "", "showgrid": False, "zeroline": False, "linecolor": "#9aa0a6", "fixedrange": True,
            "tickfont": {"size": style.tick},
            "minor": {"tickvals": boundaries, "ticks": "outside", "ticklen": 5, "tickcolor": "#9aa0a6",
                      "showgrid": False}}


def event_shapes(events: pd.DataFrame, x_range: tuple[float, float], plot_px: float,
                 style: Style) -> tuple[list[dict], list[dict]]:
    """Leaders' terms as shaded bands named where the name fits; elections as labelled lines."""
    shapes: list[dict] = []
    annotations: list[dict] = []
    lo, hi = x_range
    px_per_year = plot_px / (hi - lo)
    today = dt.date.today().isoformat()
    rows = records(events)
    leaders = sorted((event for event in rows if event["kind"] == "leader"), key=lambda event: event["start"])
    for i, leader in enumerate(leaders):
        x0 = max(position(dt.date.fromisoformat(leader["start"])), lo)
        x1 = min(position(dt.date.fromisoformat(leader["end"] or today)), hi)
        if x1 <= x0:
            continue
        shapes.append({"type": "rect", "xref": "x", "yref": "paper", "x0": x0, "x1": x1, "y0": 0, "y1": 1,
                       "fillcolor": BAND if i % 2 == 0 else "rgba(0,0,0,0)", "line": {"width": 0}, "layer": "below"})
        band_px = (x1 - x0) * px_per_year
        for label in (leader["name"], leader["name"].split(" (")[0].split()[-1]):
            if text_px(label, style.small) + 6 <= band_px:
                annotations.append({"x": (x0 + x1) / 2, "y": 0, "xref": "x", "yref": "paper", "yanchor": "bottom",
                                    "yshift": 4, "text": escape(label), "showarrow": False,
                                    "font": {"size": style.small, "color": MUTED}})
                break
    for election in (event for event in rows if event["kind"] == "general_election"):
        x = position(dt.date.fromisoformat(election["start"]))
        if not lo <= x <= hi:
            continue
        shapes.append({"type": "line", "xref": "x", "yref": "paper", "x0": x, "x1": x, "y0": 0, "y1": 1,
                       "line": {"color": "#8a9099", "width": 1, "dash": "dot"}, "layer": "below"})
        annotations.append({"x": x, "y": 1, "xref": "x", "yref": "paper", "yanchor": "top", "xanchor": "right",
                            "textangle": -90, "text": f"GE {election['start'][:4]}", "showarrow": False,
                            "font": {"size": style.small, "color": MUTED}})
    return shapes, annotations


def nice_top(value: float) -> float:
    """A round number a little above `value`, for the top of the y axis."""
    if value <= 0:
        return 1.0
    target = value * 1.06
    magnitude = 10 ** math.floor(math.log10(target))
    return next(m * magnitude for m in (1, 1.2, 1.4, 1.6, 1.8, 2, 2.5, 3, 3.5, 4, 4.5, 5, 6, 7, 8, 9, 10)
                if m * magnitude >= target)


# ---------------------------------------------------------------- legend and direct labels

def legend_height(groups: list[list[str]], width_px: float, style: Style) -> float:
    """Pixels the horizontal legend takes, so the plot starts below it. plotly.js puts the entries in one
    row when they fit, else in a grid of columns as wide as the widest entry; a row is about 1.6 em,
    plus 18 px of padding and gap before the plot (measured in Chromium)."""
    if not groups:
        return 0.0
    font = style.subtitle * 0.95
    row_px = font * 1.6 * max(len(names) for names in groups)
    items = [font * 3.65 + max(text_px(n, font) for n in names) * 1.08 for names in groups]
    if sum(items) <= width_px * 0.94:  # when unsure, reckon on a second row: a gap is better than an overlap
        rows = 1
    else:
        rows = math.ceil(len(items) / max(int(width_px // max(items)), 1))
    return rows * row_px + 18


def legend_groups(traces: list[dict]) -> list[list[str]]:
    """The names shown in the legend, grouped as plotly draws them (by legendgroup, in order)."""
    groups: dict[str, list[str]] = {}
    for trace in traces:
        if trace.get("showlegend") is not False:
            groups.setdefault(trace.get("legendgroup") or trace["name"], []).append(trace["name"])
    return list(groups.values())


@dataclass(frozen=True)
class EndLabel:
    """A series' direct label: where its last point is and the lines of text beside it."""

    slug: str
    value: int
    lines: tuple[str, ...]   # plain text, escaped when drawn
    colour: str


def end_labels(dataset: Dataset, latest: list[LatestRow], narrow: bool) -> list[EndLabel]:
    """The party's name with its latest figure, then its basis and date (shorter on a phone)."""
    labels = []
    for row in latest:
        party = dataset.parties[row.slug]
        figure = row.latest
        name = party.label if narrow or len(party.name) > 12 else party.name
        value = value_text(figure.members, figure.note, compact=narrow)
        detail = (when_text(figure.as_of, figure.year, figure.note, short=True) if narrow
                  else f"{BASIS_WORD.get(figure.basis, 'basis not given')}, {figure.when}")
        labels.append(EndLabel(row.slug, figure.members, (f"{name} {value}", detail), text_colour(party.colour)))
    return labels


def fit_labels(labels: list[EndLabel], plot_px: float, below_px: float, style: Style) -> tuple[list[EndLabel], float]:
    """The labels and their font size such that, stacked, they fit beside the plot (and the axis labels'
    band under it): two lines each if they fit, else one, else a smaller font (never below style.small)."""
    room = plot_px + below_px
    for lines in (2, 1):
        trimmed = [EndLabel(lb.slug, lb.value, lb.lines[:lines], lb.colour) for lb in labels]
        if sum(label_heights(trimmed, style.label)) <= room:
            return trimmed, style.label
    font = style.label
    while font > style.small and sum(label_heights(trimmed, font)) > room:
        font = max(font * 0.92, style.small)
    return trimmed, font


LABEL_LINE_EM = 1.4  # plotly.js spaces the lines of an annotation about this far apart


def label_heights(labels: list[EndLabel], font: float) -> list[float]:
    return [font * LABEL_LINE_EM * len(label.lines) for label in labels]


def detail_font(font: float, style: Style) -> float:
    """The second line of a label, a little smaller, never below the chart's smallest text."""
    return max(font * 0.9, style.small)


LEADER_PX = 13  # the short line from a series' last value at the plot's edge to its label
LEADER_GAP = 5  # between the leader's end and the label's first letter, so the line never reads as part of it


def label_annotations(labels: list[EndLabel], font: float, y_top: float, plot_px: float, below_px: float,
                      plot_w: float, style: Style, y_bottom: float | None = None) -> tuple[list[dict], list[dict]]:
    """The labels at the right of the plot, each at its series' last value, moved apart where they
    would overlap (chart/labels.py); they may go down beside the axis labels' band. A label moved
    away from its value gets a short leader line from the value at the plot's edge."""
    if not labels:
        return [], []
    heights = label_heights(labels, font)
    if y_bottom is None:
        wanted = [label.value / y_top * plot_px for label in labels]
    else:  # a log axis from y_bottom to y_top
        span = math.log10(y_top) - math.log10(y_bottom)
        wanted = [(math.log10(max(label.value, y_bottom)) - math.log10(y_bottom)) / span * plot_px for label in labels]
    centres = place_labels(wanted, heights, -below_px, plot_px, gap=2)
    annotations, leaders = [], []
    for label, centre, value_px in zip(labels, centres, wanted):
        if abs(centre - value_px) > 2:
            leaders.append({"type": "line", "xref": "paper", "yref": "paper",
                            "x0": 1, "x1": 1 + (LEADER_PX - LEADER_GAP) / plot_w,
                            "y0": value_px / plot_px, "y1": centre / plot_px, "layer": "above",
                            "line": {"color": label.colour, "width": 1}, "name": f"leader-{label.slug}"})
        first, *rest = label.lines
        text = f"<b>{escape(first)}</b>" + "".join(
            f"<br><span style='font-size:{detail_font(font, style):.1f}px'>{escape(line)}</span>" for line in rest)
        # in paper units: a label may sit below the plot, beside the axis labels, where one in data
        # units would not be drawn
        annotations.append({"xref": "paper", "yref": "paper", "x": 1, "y": centre / plot_px, "xanchor": "left",
                            "yanchor": "middle", "xshift": LEADER_PX, "align": "left", "showarrow": False, "text": text,
                            "font": {"size": font, "color": label.colour}, "name": f"label-{label.slug}"})
    return annotations, leaders


def label_width(labels: list[EndLabel], font: float, style: Style) -> float:
    widest = max((text_px(line, font if i == 0 else detail_font(font, style), bold=i == 0)
                  for label in labels for i, line in enumerate(label.lines)), default=0.0)
    return widest + style.pad * 0.6 + LEADER_PX


# ---------------------------------------------------------------- the figure

def build_figure(dataset: Dataset, view: View, width: int = 1200, height: int = 620, *,
                 credit: str = "", static: bool = False, read_width: int | None = None) -> go.Figure:
    """The chart for a resolved view, laid out for `width` x `height` pixels.

    `credit` adds a line under the source (an exported image's "Chart: ..."); `static` is for an
    image, which has no hover text: its source line names the sources and its footer says how the
    latest figures compare when they differ in date or basis. `read_width` is the width the image
    will be shown at, if narrower (Style.for_width). A validated Figure, for export and the static
    site; the page sends `figure_dict` as it is.
    """
    return go.Figure(figure_dict(dataset, view, width, height, credit=credit, static=static, read_width=read_width))


_TEMPLATES: dict[str, dict] = {}


def default_template() -> dict:
    """plotly's default template as plain JSON, once: a Figure would fill it in, and the page's
    chart must look the same as the exported one."""
    name = pio.templates.default
    if name not in _TEMPLATES:
        _TEMPLATES[name] = pio.templates[name].to_plotly_json()
    return _TEMPLATES[name]


def figure_dict(dataset: Dataset, view: View, width: int = 1200, height: int = 620, *,
                credit: str = "", static: bool = False, read_width: int | None = None) -> dict:
    """The same chart as plain JSON-ready data: building and checking a Figure object costs
    several times more than the chart itself, on every view change of every reader."""
    if view.start is None or view.end is None:
        raise ValueError("build_figure needs a resolved view (core.view.resolve)")
    style = Style.for_width(width, read_width)
    shown = shown_counts(dataset, view)
    narrow = width < 600
    members = view.measure == MEMBERS
    latest = latest_rows(dataset, view) if members else []

    data: list[dict] = []
    legend: list[dict] = []
    measured: list[Measured] = []
    if members:
        for slug, (ends, dated) in shown_by_party(dataset, view).items():
            if not ends and not dated:
                continue
            has_line = bool(ends)
            if has_line:
                data.append(year_end_trace(dataset, slug, ends, style))
            if dated:
                data.append(dated_trace(dataset, slug, dated, style, {int(row["year"]) for row in ends}))
            legend.append(legend_entry(dataset, slug, legend_name(dataset, slug, dated, has_line), has_line, style))
    else:
        measured = shown_measures(dataset, view)
        data = measure_traces(dataset, view, measured, style)
    not_drawn = not_drawn_lines(dataset, view, shown, measured)
    marked = shown if view.measure in (MEMBERS, INDEX) and data else shown.iloc[0:0]
    tiers = {basis_of(b).tier for b in marked["basis"]}
    keys = [basis_key(tier, style) for tier in TIERS if tier in tiers]

    full_width = width - 2 * style.pad
    title = wrap(view.title or default_title(dataset, view), full_width, style.title)
    subtitle = wrap(view.subtitle or default_subtitle(dataset, view), full_width, style.subtitle)
    legend_px = legend_height(legend_groups([*legend, *data] if not members else legend), full_width, style)
    key_px = legend_height(legend_groups(keys), full_width, style) if keys else 0.0
    # plotly.js draws a title of several lines about 0.7 em higher than a one-line title,
    # cutting the first line off at the top: push it down by as much
    title_shift = style.title * 0.72 if len(title) > 1 else 0
    title_px = title_shift + style.title * 1.3 * len(title) + style.subtitle * 1.4 * len(subtitle) + 10
    top = round(style.pad + title_px + legend_px + 8 + style.small * 1.6)  # and the axis label above the plot
    axis_px = style.tick * 2.2 + 6
    line_px = style.small * 1.3
    room = height - top - axis_px - key_px - style.pad - MIN_PLOT_SHARE * height
    footer = footer_lines(shown, view, full_width, style, max(int(room // line_px), 1), credit, static, latest,
                          not_drawn if data else [])
    bottom = round(axis_px + key_px + line_px * len(footer) + style.pad)
    left = round(style.tick * (4.6 if not narrow else 3.4))
    plot_h = height - top - bottom
    labels, label_font = fit_labels(end_labels(dataset, latest, narrow), plot_h, axis_px, style)
    right = round(max(label_width(labels, label_font, style), style.pad))
    plot_w = width - left - right

    lo, hi = view.start - 0.06, view.end + 1.06
    yaxis, y_top, y_bottom = y_axis(view, shown, measured, narrow, style)
    if data:
        shapes, annotations = event_shapes(shown_events(dataset, view), (lo, hi), plot_w, style)
        shapes += reference_shapes(view)
        annotations.append(axis_label_annotation(view, left, style))
    else:
        shapes, annotations = [], [empty_message(not_drawn, style, width)]
    label_notes, leaders = label_annotations(labels, label_font, y_top, plot_h, axis_px, plot_w, style, y_bottom)
    annotations += label_notes
    shapes += leaders
    annotations.append({"xref": "paper", "yref": "paper", "x": 0, "y": 0, "xanchor": "left", "yanchor": "top",
                        "xshift": -left + style.pad, "yshift": -axis_px - key_px, "align": "left", "showarrow": False,
                        "text": "<br>".join(footer), "font": {"size": style.small, "color": MUTED},
                        "name": "footer"})

    layout = dict(
        template=default_template(),
        height=height,
        font={"family": FONT, "color": INK, "size": style.tick},
        paper_bgcolor="white", plot_bgcolor="white",
        margin={"t": top, "b": bottom, "l": left, "r": right, "pad": 0},
        title={"text": "<br>".join(title), "x": 0, "xref": "container", "xanchor": "left",
               "y": 1, "yref": "container", "yanchor": "top", "pad": {"t": style.pad + title_shift, "l": style.pad},
               "font": {"size": style.title, "weight": 700},
               "subtitle": {"text": "<br>".join(subtitle), "font": {"size": style.subtitle, "color": MUTED}}},
        # indentation below 0 sends plotly.js into an endless redraw at some widths
        legend={"orientation": "h", "x": 0, "xref": "container", "xanchor": "left",
                "y": 1 - (style.pad + title_px + 4) / height, "yref": "container", "yanchor": "top",
                "font": {"size": style.subtitle * 0.95}, "bgcolor": "rgba(0,0,0,0)", "traceorder": "normal",
                "indentation": max(style.pad - 12, 0), "itemwidth": 30},
        legend2={"orientation": "h", "x": style.pad / width, "xref": "container", "xanchor": "left",
                 "y": (bottom - axis_px) / height, "yref": "container", "yanchor": "top",
                 "font": {"size": style.subtitle * 0.95, "color": MUTED}, "bgcolor": "rgba(0,0,0,0)",
                 "itemwidth": 30, "traceorder": "normal"},
        hovermode="closest",
        hoverlabel={"bgcolor": "white", "font": {"family": FONT, "size": 13, "color": INK}, "align": "left"},
        # fixed: drawn narrower than laid out (a phone before it sends its width), rotating tick
        # labels and the margin they push send plotly.js into an endless redraw
        xaxis={"range": [lo, hi], **year_axis(view.start, view.end, plot_w, style), "tickangle": 0, "automargin": False,
               **({} if data else {"visible": False})},
        yaxis={**yaxis, **({} if data else {"visible": False})},
        shapes=shapes, annotations=annotations,
        separators=".,",
        barmode="group", bargap=0.25, bargroupgap=0.05,
    )
    return {"data": [*data, *legend, *keys], "layout": layout}


def figure_dates(figure: go.Figure) -> list[str]:
    """The ISO dates of every point drawn (tests and the page read which figures are on the chart)."""
    return [d for trace in figure.data for d in (trace.customdata or ()) if d]


# ---------------------------------------------------------------- the measures other than members

def figure_row(dataset: Dataset, slug: str, year: int) -> dict | None:
    """The year-end figure of a party for a year (the row with its source and note), if there is one.
    Looked up in a table made once per dataset: a change's hover text asks twice for every year."""
    rows = remembered("year_end_rows", dataset, None,
                      lambda: {(r["party"], int(r["year"])): r for r in records(dataset.year_ends())})
    return rows.get((slug, year))


def measure_hover(dataset: Dataset, measured: Measured, year: int) -> str:
    """What a value is made of: the measure, the two year-end figures and the source of each."""
    name = dataset.party_name(measured.party)
    value = measured.values[year]
    against = measured.against[year]
    now, then = figure_row(dataset, measured.party, year), figure_row(dataset, measured.party, against)
    assert now is not None and then is not None, "a measure is made of year-end figures only"
    if measured.measure == INDEX:
        lines = [f"<b>{escape(name)}</b>, 31 Dec {year}",
                 f"Index {measure_value_text(INDEX, value)} ({against} = 100)",
                 f"{int(now['members']):,} members; {int(then['members']):,} at 31 Dec {against}"]
    else:
        change = int(now["members"]) - int(then["members"])
        percent = change / int(then["members"]) * 100 if int(then["members"]) else None
        main, other = ((signed(change) + " members", None if percent is None else signed(percent, 1) + "%")
                       if measured.measure == CHANGE else (signed(percent or 0, 1) + "%", signed(change) + " members"))
        lines = [f"<b>{escape(name)}</b>, 31 Dec {against} to 31 Dec {year}",
                 f"{'Fall' if change < 0 else 'Rise' if change > 0 else 'No change'}: {main}"
                 + (f" ({other})" if other else ""),
                 f"{int(then['members']):,} → {int(now['members']):,} members"]
    bases = [basis_of(str(row["basis"])).label for row in ((now, then) if against != year else (now,))]
    if len(set(bases)) > 1:
        lines.append(f"Bases differ: {escape(bases[1])} ({against}), {escape(bases[0])} ({year})")
    else:
        lines.append(f"Basis: {escape(bases[0])}")
    sources = [(year, now)] if against == year or now["source"] == then["source"] else [(year, now), (against, then)]
    for source_year, row in sources:
        label = "Source: " if len(sources) == 1 else f"Source ({source_year}): "
        lines += [label + line if i == 0 else line for i, line in enumerate(wrap(row["source"], HOVER_WRAP * 7, 13.5))]
    for row in (now, then) if against != year else (now,):
        if row["note"]:
            lines += [f"<i>{line}</i>" for line in wrap(f"{row['year']}: {row['note']}", HOVER_WRAP * 7, 13.5)]
    return "<br>".join(lines)


def measure_traces(dataset: Dataset, view: View, measured: list[Measured], style: Style) -> list[dict]:
    """A change as bars (falls hatched, below the zero line); an index as lines with gaps."""
    traces: list[dict] = []
    for m in measured:
        if not m.values:
            continue
        party = dataset.parties[m.party]
        years = list(range(min(m.values), max(m.values) + 1))
        y = [m.values.get(year) for year in years]
        hover = [measure_hover(dataset, m, year) if year in m.values else "" for year in years]
        if view.measure in (CHANGE, CHANGE_PERCENT):
            # a change belongs to the whole year it happened in: the bar fills the year's span
            traces += change_bars(party.name, m.party, party.colour, [year + 0.5 for year in years], y, hover,
                                  [f"{year}-12-31" if year in m.values else None for year in years])
        else:
            bases = [str(row["basis"]) if (row := figure_row(dataset, m.party, year)) is not None else "" for year in years]
            traces.append(dict(
                type="scatter", x=[position(dt.date(year, 12, 31)) for year in years], y=y, hovertext=hover,
                customdata=[f"{year}-12-31" if year in m.values else None for year in years],
                hovertemplate="%{hovertext}<extra></extra>",
                name=party.name, legendgroup=m.party, mode="lines+markers", connectgaps=False,
                line={"color": party.colour, "width": style.line}, marker=_marker(dataset, m.party, bases, style),
                meta={"party": m.party, "kind": "index"},
            ))
    return traces


def change_bars(name: str, slug: str, colour: str, years: list[float], values: list[float | None],
                hover: list[str], dates: list[str | None]) -> list[dict]:
    """One party's changes as bars: rises solid, falls hatched (so a fall reads as one without
    colour), both in the party's slot of each year (one offset group) and one legend entry."""
    bars: list[dict] = []
    for falls in (False, True):
        keep = [v is not None and (v < 0) == falls for v in values]
        if not any(keep):
            continue
        pattern = {"shape": "/", "fgcolor": "white", "size": 6, "solidity": 0.45} if falls else {"shape": ""}
        bars.append(dict(
            type="bar", x=[x for x, k in zip(years, keep) if k], y=[v for v, k in zip(values, keep) if k],
            hovertext=[h for h, k in zip(hover, keep) if k], hovertemplate="%{hovertext}<extra></extra>",
            customdata=[d for d, k in zip(dates, keep) if k],
            name=name, legendgroup=slug, offsetgroup=slug, showlegend=not bars,
            marker={"color": colour, "line": {"color": colour, "width": 1}, "pattern": pattern},
            meta={"party": slug, "kind": "falls" if falls else "rises"},
        ))
    return bars


def not_drawn_lines(dataset: Dataset, view: View, shown: pd.DataFrame, measured: list[Measured]) -> list[str]:
    """Sentences for what the view asked for and the chart cannot draw, and why."""
    def names(slugs: list[str]) -> str:
        return ", ".join(dataset.party_name(s) for s in slugs)

    span = f"{view.start}–{view.end}" if view.start != view.end else str(view.start)
    lines = []
    if view.measure == MEMBERS:
        missing = [s for s in view.parties if not (shown["party"] == s).any()]
        if missing:
            kind = "figures" if view.other_dates else "year-end figures"
            lines.append(f"No {kind} in {span} for {names(missing)}.")
        return lines
    if view.measure == INDEX:
        missing = [m.party for m in measured if m.not_indexed]
        if missing:
            lines.append(f"Not indexed: no year-end figure for {view.base_year} for {names(missing)}.")
        empty = [m.party for m in measured if not m.not_indexed and not m.values]
        if empty:
            lines.append(f"No year-end figures in {span} for {names(empty)}.")
    else:
        empty = [m.party for m in measured if not m.values]
        if empty:
            lines.append(f"No change to draw for {names(empty)}: no year-end figures for two years in a row in {span}.")
    others = dataset.other_dates()
    if view.other_dates and (others["party"].isin(view.parties) & others["year"].between(view.start, view.end)).any():
        lines.append("Figures reported at other dates are not used in " +
                     ("a change." if view.measure in (CHANGE, CHANGE_PERCENT) else "an index."))
    return lines


def empty_message(not_drawn: list[str], style: Style, width: int) -> dict:
    """A short message in the chart's place when nothing can be drawn (never an empty 0–4 axis)."""
    text = " ".join(not_drawn) or "No figures to draw for this view."
    return {"xref": "paper", "yref": "paper", "x": 0.5, "y": 0.5, "xanchor": "center", "yanchor": "middle",
            "showarrow": False, "align": "center",
            "text": "<br>".join(wrap(text, min(520, width - 4 * style.pad), style.subtitle * 1.1)),
            "font": {"size": style.subtitle * 1.1, "color": INK}}


def reference_shapes(view: View) -> list[dict]:
    """The line a measure is read against: 100 for an index (zero is the axis's own zero line)."""
    if view.measure != INDEX:
        return []
    return [{"type": "line", "xref": "paper", "yref": "y", "x0": 0, "x1": 1, "y0": 100, "y1": 100,
             "line": {"color": "#5b616b", "width": 1.2, "dash": "dash"}, "layer": "below"}]


def axis_label_annotation(view: View, left: float, style: Style) -> dict:
    """The y axis's unit above its top tick, where the eye starts reading the axis."""
    return {"xref": "paper", "yref": "paper", "x": 0, "y": 1, "xanchor": "left", "yanchor": "bottom",
            "xshift": -left + style.pad, "yshift": 6, "showarrow": False, "text": escape(axis_label(view)),
            "font": {"size": style.small, "color": MUTED}}


def nice_bottom(value: float) -> float:
    """A round number a little below `value`, for the bottom of a log axis (1, 2 or 5 times a power of 10)."""
    target = max(value, 1) / 1.1
    magnitude = 10 ** math.floor(math.log10(target))
    return next(m * magnitude for m in (5, 2, 1) if m * magnitude <= target)


def y_axis(view: View, shown: pd.DataFrame, measured: list[Measured], narrow: bool,
           style: Style) -> tuple[dict, float, float | None]:
    """The y axis for the measure, and its top and (for a log axis) its bottom, which the direct
    labels are placed by: members from zero or on a log scale, a change around a strong zero line,
    an index from zero."""
    axis: dict = {"gridcolor": GRID, "zeroline": True, "zerolinecolor": "#9aa0a6", "fixedrange": True, "ticks": "",
                  "automargin": False, "tickfont": {"size": style.tick}, "exponentformat": "none"}
    values = [v for m in measured for v in m.values.values()]
    if view.measure in (CHANGE, CHANGE_PERCENT):
        axis.update(zerolinecolor=INK, zerolinewidth=1.5,
                    tickformat=("~s" if narrow else ",") if view.measure == CHANGE else ".0f",
                    ticksuffix="%" if view.measure == CHANGE_PERCENT else "")
        return axis, 1.0, None
    if view.measure == INDEX:
        top = nice_top(max([100.0, *values]))
        axis.update(range=[0, top], tickformat=",.0f")
        return axis, top, None
    counts = [int(v) for v in shown["members"]]
    top = nice_top(max([0, *counts]))
    if view.log_scale and counts:
        bottom = nice_bottom(min(c for c in counts if c > 0) if any(counts) else 1)
        axis.update(type="log", range=[math.log10(bottom), math.log10(top)], tickformat="~s" if narrow else ",",
                    dtick="D2")
        return axis, top, bottom
    axis.update(range=[0, top], tickformat="," if not narrow else "~s")
    return axis, top, None
