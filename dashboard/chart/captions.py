"""The words around the plot: the title and subtitle a view gets when the writer gives none, and the
footer (what could not be drawn, the writer's note, the comparison caveat of an image, the source
line and the credit), shortened until the plot keeps its room.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pandas as pd

from dashboard.chart.latest import LatestRow, comparison_sentence, differences, latest_rows
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


def short_subtitle(dataset: Dataset, view: View) -> str:
    """The default subtitle said in fewer words, for an image short of room: what is counted, the bases
    and the scale; how lines and markers are drawn is left to the key under the axis."""
    if view.measure != MEMBERS:
        return default_subtitle(dataset, view)
    parts = shown_by_party(dataset, view)
    with_year_ends = any(ends for ends, _ in parts.values())
    dated = any(others for _, others in parts.values())
    text = ("Individual members at 31 December and at other dates" if with_year_ends and dated
            else "Individual members at 31 December" if with_year_ends else "Individual members at various dates")
    if view.bases:
        text += "; only " + ", ".join(BASES[b].label for b in view.bases)
    if view.log_scale:
        text += "; log scale"
    return text + "."


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


FULL, BRIEF, MINIMAL = 0, 1, 2  # how much an image's caveat says


def chart_caveat(dataset: Dataset, view: View) -> str:
    """The sentence an image carries when the parties' latest figures differ in date or basis, for the
    page and the embed to show beside the chart too ('' when they are alike, or for one party)."""
    if view.measure != MEMBERS:
        return ""
    latest = latest_rows(dataset, view)
    return comparison_sentence(latest) if len(latest) > 1 and differences(latest) else ""


def caveat_sentence(view: View, latest: list[LatestRow], brief: bool | int = False) -> str:
    """For an image: when the parties' latest figures differ in date or basis, the panel's sentence
    (unless the note already carries it); BRIEF, pointing to the labels that give each one, with the
    last audited figures; MINIMAL, only that they differ and where to look."""
    level = int(brief)
    if len(latest) < 2:
        return ""
    differ = differences(latest)
    if not differ:
        return ""
    sentence = comparison_sentence(latest)
    if sentence in view.note:
        return ""
    if level == FULL:
        return sentence
    if level == MINIMAL:
        return f"The latest figures differ in {differ}: compare with care (each label gives its own; sources below)."
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
# An image says less, step by step, until its footer fits: (caveat, source line brevity). The first
# caveat is the full sentence when it fits in CAVEAT_LINES, else the brief one.
SAYING_LESS = ((FULL, 0), (FULL, 1), (FULL, 2), (BRIEF, 2), (MINIMAL, 2))


def note_text(view: View, latest: list[LatestRow] | None, level: int) -> str:
    """The writer's note; where it carries the panel's comparison sentence (copied with "Put this in
    the export note"), that sentence said as briefly as `level` asks."""
    if not view.note or not latest or level == FULL:
        return view.note
    sentence = comparison_sentence(latest)
    if not sentence or sentence not in view.note:
        return view.note
    shorter = caveat_sentence(replace(view, note=""), latest, level)
    return view.note.replace(sentence, shorter).strip()


def cut_note(note: str, lines: int, width_px: float, font: float) -> list[str]:
    """The writer's note in at most `lines` lines, cut at a word and pointing to the alt text, which
    carries it whole: the last resort where the image has no room for all of it."""
    wrapped = wrap("Note: " + note, width_px, font)
    if len(wrapped) <= lines:
        return wrapped
    tail = " … (the whole note is in the alt text)"
    words = ("Note: " + note).split()
    while words and len(wrap(" ".join(words) + tail, width_px, font)) > max(lines, 1):
        words.pop()
    return wrap(" ".join(words).rstrip(",;:") + tail, width_px, font)


def footer_lines(shown: pd.DataFrame, view: View, width_px: float, style: Style, budget: int, credit: str = "",
                 static: bool = False, latest: list[LatestRow] | None = None,
                 not_drawn: list[str] | None = None, most: int = MINIMAL) -> list[str]:
    """What was not drawn, note, the comparison caveat (images), source line and credit, wrapped to
    the width; an image says less (SAYING_LESS, the caveat no shorter than `most`) until the footer
    fits in `budget` lines: the source line summarised, the caveat (and a comparison sentence copied
    into the note) shortened, and at last (`most` MINIMAL) the writer's note cut (the alt text
    carries it whole). What was not drawn and the credit are never cut."""
    missing = [line for text in (not_drawn or []) for line in wrap(text, width_px, style.small)]
    tail = wrap(credit, width_px, style.small) if credit else []
    full = wrap(caveat_sentence(view, latest or []), width_px, style.small) if static and latest else []
    lines: list[str] = []
    for caveat, brevity in [(c, b) for c, b in SAYING_LESS if c <= most] if static else ((FULL, 0), (FULL, 1), (FULL, 2)):
        if caveat == FULL and len(full) > CAVEAT_LINES:
            caveat = BRIEF
        note_words = note_text(view, latest, caveat)
        note = wrap("Note: " + note_words, width_px, style.small) if note_words else []
        warn = wrap(caveat_sentence(view, latest, caveat), width_px, style.small) if static and latest else []
        warn = [] if warn == [""] else warn
        source = wrap(source_line(shown, latest, static, brevity), width_px, style.small)
        lines = missing + note + warn + source + tail
        if len(lines) <= budget:
            return lines
    room = budget - (len(lines) - len(note))
    if static and most == MINIMAL and view.note and 1 <= room < len(note):
        note = cut_note(note_text(view, latest, MINIMAL), room, width_px, style.small)
        lines = missing + note + warn + source + tail
    return lines


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
    set_aside = [f"{dataset.party_name(m.party)} {', '.join(str(y) for y in sorted(m.set_aside))}"
                 for m in measured if m.set_aside]
    if set_aside:
        lines.append("Not drawn where a figure it needs is only a bound ('more than', 'below'): "
                     + "; ".join(set_aside) + ".")
    approximate = [f"{dataset.party_name(m.party)} {', '.join(str(y) for y in sorted(m.approximate))}"
                   for m in measured if m.approximate]
    if approximate:
        lines.append("Approximate where a figure it needs is 'about': " + "; ".join(approximate) + ".")
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
