"""A description of the chart for readers who cannot see it, computed from the figures shown.

Pasted under the image in a blog post (the page's copy button, the CLI's NAME.txt), so it states
what the chart shows: parties, years, the peak and the latest figure with its change.
"""
from __future__ import annotations

import datetime as dt

from dashboard.chart.captions import default_subtitle, default_title
from dashboard.chart.latest import comparison_sentence, latest_rows
from dashboard.chart.legend import TIER_KEY
from dashboard.chart.measure_labels import measure_value_text
from dashboard.chart.series import TIERS
from dashboard.chart.wording import basis_phrase, possessive, value_text
from dashboard.core.dataset import Dataset, basis_of
from dashboard.core.marks import outside_years
from dashboard.core.measures import CHANGE, CHANGE_PERCENT, INDEX, MEMBERS, Measured
from dashboard.core.memo import remembered
from dashboard.core.selection import Rows, date_label, shown_by_party, shown_counts, shown_events, shown_measures
from dashboard.core.view import View


def _change(latest: int, before: int) -> str:
    diff = latest - before
    if diff == 0:
        return "unchanged"
    percent = abs(diff) / before * 100 if before else None
    share = "" if percent is None else f" ({percent:.1f}%)" if percent < 10 else f" ({percent:.0f}%)"
    return f"{'up' if diff > 0 else 'down'} {abs(diff):,}{share}"


def party_sentence(name: str, year_ends: Rows, others: Rows) -> str:
    """One party's figures in words: span, peak, latest and its change on the year before, each as
    bounded as its source says ('more than 69,000'; no change is given from or to a bound)."""
    if not year_ends:
        if not others:
            return f"{name}: no figures in these years."
        newest = sorted(others, key=lambda row: row["as_of"])[-1]
        precision = str(newest.get("date_precision") or "day")
        when = date_label(newest["as_of"], int(newest["year"]), precision)
        basis = basis_phrase(str(newest["basis"]))
        when = f"{when[:-1]}; {basis})" if when.endswith(")") else f"{when} ({basis})"  # 'Dec 2025 (month only; ...)'
        return (f"{name}: no year-end figures; {len(others)} figure{'s' if len(others) != 1 else ''} "
                f"reported at other dates, the latest {value_text(int(newest['members']), str(newest.get('bound') or ''))}"
                f" {'on' if precision == 'day' else 'in'} {when}.")  # 'on 26 Feb 2026', 'in Dec 2025'
    by_year = {int(row["year"]): int(row["members"]) for row in year_ends}
    basis_by_year = {int(row["year"]): str(row["basis"]) for row in year_ends}
    bound_by_year = {int(row["year"]): str(row.get("bound") or "") for row in year_ends}
    years = sorted(by_year)
    first, last = years[0], years[-1]
    parts = [f"{name}: year-end figures for {first}" + (f" to {last}" if last != first else "")]
    missing = (last - first + 1) - len(years)
    if missing:
        parts[0] += f" ({missing} year{'s' if missing != 1 else ''} missing)"
    if len(years) > 1:
        peak_members = max(by_year.values())
        peak_years = [y for y in years if by_year[y] == peak_members]
        parts.append(f"peak {value_text(peak_members, bound_by_year[peak_years[0]])} in {peak_years[0]}")
    latest = f"latest {value_text(by_year[last], bound_by_year[last])} in {last} ({basis_phrase(basis_by_year[last])})"
    previous = last - 1 if last - 1 in by_year else years[-2] if len(years) > 1 else None
    if previous is not None and {bound_by_year[last], bound_by_year[previous]} & {"below", "above"}:
        latest += f", no exact change on {previous} (a figure is only a bound)"
    elif previous is not None:
        gap = "" if previous == last - 1 else f" (no figure for {last - 1})"
        change = _change(by_year[last], by_year[previous])
        if "about" in (bound_by_year[last], bound_by_year[previous]) and change != "unchanged":
            change = change.replace(" ", " about ", 1)  # 'up about 7,000': made of an approximate figure
        latest += f", {change} on {previous}{gap}"
    parts.append(latest)
    sentence = "; ".join(parts)
    if others:
        sentence += f". Also {len(others)} figure{'s' if len(others) != 1 else ''} reported at other dates"
    return sentence + "."


def measure_sentence(name: str, measured: Measured, base_year: int | None) -> str:
    """One party's values of a change or an index in words: span, gaps, extremes and the latest."""
    values, measure = measured.values, measured.measure
    if measured.not_indexed:
        return f"{name}: not indexed, no year-end figure for {base_year}."
    if not values:
        if measure == INDEX:
            return f"{name}: no year-end figures in these years."
        return f"{name}: no change to draw, no year-end figures for two years in a row."
    years = sorted(values)
    first, last = years[0], years[-1]
    kind = "changes" if measure in (CHANGE, CHANGE_PERCENT) else "index values"
    parts = [f"{name}: {kind} for {first}" + (f" to {last}" if last != first else "")]
    missing = (last - first + 1) - len(years)
    if missing:
        lacking = "both figures" if kind == "changes" else "a figure"
        parts[0] += f" ({missing} year{'s' if missing != 1 else ''} without {lacking})"
    if measure in (CHANGE, CHANGE_PERCENT):
        rise = max(years, key=lambda y: values[y])
        fall = min(years, key=lambda y: values[y])
        if values[rise] > 0:
            parts.append(f"largest rise {measure_value_text(measure, values[rise])} in {rise}")
        if values[fall] < 0:
            parts.append(f"largest fall {measure_value_text(measure, values[fall])} in {fall}")
    elif len(years) > 1:
        peak = max(years, key=lambda y: values[y])
        parts.append(f"peak {measure_value_text(measure, values[peak])} in {peak}")
    parts.append(f"latest {measure_value_text(measure, values[last])} in {last}")
    return "; ".join(parts) + "."


def alt_text(dataset: Dataset, view: View) -> str:
    """The alt text for a resolved view: what a reader would learn from looking at the chart.
    Remembered per view and day (a leader's term in office runs to today): the chart's description
    and the export panel both ask on every view change."""
    return remembered("alt_text", dataset, (view, dt.date.today()), lambda: _alt_text(dataset, view))


def _alt_text(dataset: Dataset, view: View) -> str:
    shown = shown_counts(dataset, view)
    title = view.title or default_title(dataset, view)
    span = f"{view.start} to {view.end}" if view.start != view.end else str(view.start)
    title = title.rstrip()
    title = title if title.endswith(('.', '?', '!')) else title + '.'
    if view.measure == MEMBERS:
        measure = ("Individual party members at 31 December of each year" if (shown["as_of"] == "").any()
                   else "Individual party members as reported at various dates")
        scale = ", on a log scale" if view.log_scale else ""
        lines = [f"Line chart: {title} {measure}, {span}{scale}."]
        for slug, (year_ends, others) in shown_by_party(dataset, view).items():
            lines.append(party_sentence(dataset.party_name(slug), year_ends, others))
    else:
        kind = "Line chart" if view.measure == INDEX else "Bar chart"
        lines = [f"{kind}: {title} {default_subtitle(dataset, view)}"]
        lines += [measure_sentence(dataset.party_name(m.party), m, view.base_year) for m in shown_measures(dataset, view)]
    marked = shown if view.measure in (MEMBERS, INDEX) else shown.iloc[0:0]
    tiers = [t for t in TIERS if t in {basis_of(b).tier for b in marked["basis"]}]
    if len(tiers) > 1:
        lines.append("Markers show the basis of each figure: " + "; ".join(
            f"{'filled' if t == 'audited' else 'a ring with a dot' if t == 'reported' else 'an open ring'} for "
            f"{TIER_KEY[t]}" for t in tiers) + ".")
    sentence = comparison_sentence(latest_rows(dataset, view)) if view.measure == MEMBERS else ""
    if len(view.parties) > 1 and sentence and sentence not in view.note:
        lines.append(sentence)
    events = shown_events(dataset, view)
    marks = []
    if (events["kind"] == "general_election").any():
        marks.append("dotted lines mark general elections")
    if (events["kind"] == "leader").any():
        marks.append(f"shaded bands mark the terms of {dataset.party_name(view.parties[0])} leaders")
    if marks:
        text = " and ".join(marks)
        lines.append(text[0].upper() + text[1:] + ".")
    lines += marks_sentences(dataset, view)
    if view.note:
        lines.append("Note: " + view.note.rstrip(".") + ".")
    return " ".join(lines)


def _day(iso: str) -> str:
    return date_label(iso, 0)


def marks_sentences(dataset: Dataset, view: View) -> list[str]:
    """The writer's notes and highlighted periods drawn on the chart, in words; those outside the
    years shown, said to be left out."""
    assert view.start is not None and view.end is not None
    inside = [m for m in view.marks if view.start <= m.day.year <= view.end]
    periods = [p for p in view.highlights if not (p.last_day.year < view.start or p.first_day.year > view.end)]
    lines = []
    if inside:
        notes = []
        for mark in inside:
            where = (f" on {possessive(dataset.party_name(mark.party))} line" if mark.party
                     else f" at {mark.value:,} members" if mark.value is not None else "")
            notes.append(f"{_day(mark.date)}{where}, “{mark.text}”")
        lines.append(f"Note{'s' if len(notes) > 1 else ''} on the chart: " + "; ".join(notes) + ".")
    if periods:
        lines.append(f"Highlighted period{'s' if len(periods) > 1 else ''}: " + "; ".join(
            f"{_day(p.start)} to {_day(p.end)}" + (f", “{p.label}”" if p.label else "") for p in periods) + ".")
    lines += outside_years(view.marks, view.highlights, view.start, view.end)
    return lines
