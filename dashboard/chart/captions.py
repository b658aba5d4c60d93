"""The words around the plot: the title and subtitle a view gets when the writer gives none, and the
footer (what could not be drawn, the writer's note, the comparison caveat of an image, the source
line and the credit), shortened until the plot keeps its room.
"""
from __future__ import annotations

from collections import Counter

import pandas as pd

from dashboard.chart.latest import LatestRow, comparison_sentence, differences
from dashboard.chart.measure_labels import measure_subtitle, measure_title
from dashboard.chart.series import joins_dated_figures
from dashboard.chart.style import INK, Style, wrap
from dashboard.core.dataset import BASES, Dataset
from dashboard.core.measures import CHANGE, CHANGE_PERCENT, INDEX, MEMBERS, Measured
from dashboard.core.memo import remembered
from dashboard.core.selection import shown_by_party
from dashboard.core.view import View


def default_title(dataset: Dataset, view: View) -> str:
    """The chart's title when the reader gives none; it names the measure."""
    return measure_title([dataset.party_name(p) for p in view.parties], view)


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
