"""What is marked on the plot besides the figures: leaders' terms as shaded bands named where the name
fits, general elections as labelled dotted lines, and the writer's own marks: highlighted periods
(a tinted band with its label) and notes with a short leader line to their point, placed by
chart/labels.py clear of the direct labels, the election and leader labels and each other."""
from __future__ import annotations

import datetime as dt
import html
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from dashboard.chart.axes import Frame
from dashboard.chart.labels import Box, place_labels
from dashboard.chart.style import BAND, INK, MUTED, Style, escape, text_px, wrap
from dashboard.core.marks import Mark, Period
from dashboard.core.selection import position, records
from dashboard.core.view import View

EVENT_GAP = 10  # between two labels in the row of election and leader labels


def event_row_px(style: Style) -> float:
    """The height of the row above the plot that names elections and leaders (never on a figure)."""
    return style.small * 1.55


def _free(spans: list[tuple[float, float]], left: float, right: float) -> bool:
    return all(right + EVENT_GAP <= a or b + EVENT_GAP <= left for a, b in spans)


def _slot(width: float, lo: float, hi: float, centre: float, taken: list[tuple[float, float]]) -> float | None:
    """The left edge nearest to centring a label of `width` on `centre`, within [lo, hi] and clear of
    the `taken` spans; None when it fits nowhere."""
    if hi - lo < width:
        return None
    edges = [centre - width / 2, lo, hi - width] + [x for a, b in taken for x in (a - EVENT_GAP - width, b + EVENT_GAP)]
    fits = [x for x in edges if lo <= x <= hi - width and _free(taken, x, x + width)]
    return min(fits, key=lambda x: abs(x + width / 2 - centre)) if fits else None


def _beyond(band: tuple[float, float], text: str, font: float, frame: Frame) -> tuple[float, float]:
    """The row's room for a label that must touch `band` (pixels), within the plot's width."""
    width = text_px(text, font) * 1.04
    return max(band[0] - width, 0.0), min(band[1] + width, frame.width)


def event_shapes(events: pd.DataFrame, frame: Frame, style: Style, markers: Sequence[Box] = (),
                 reserved: float = -math.inf) -> tuple[list[dict], list[dict], list[Box]]:
    """Leaders' terms as shaded bands, elections as dotted lines, and their names where they never sit
    on a figure: in one row above the plot, an election's label over its line ("GE 2017", or "'17"
    where the full one would touch the one before) and a leader's name (or surname) within the term's
    band where the elections leave room; else the name at the foot of its band inside the plot, if
    none of the `markers` (the figures drawn, in pixels) is there. A label that fits nowhere is left
    out (the band or line stays). The row is free from `reserved` px (from the plot's left edge; the
    axis's unit is written before it). Also the boxes the labels inside the plot take."""
    shapes: list[dict] = []
    inside: list[Box] = []
    annotations: list[dict] = []
    lo, hi = frame.lo, frame.hi
    today = dt.date.today().isoformat()
    rows = records(events)
    font = style.small
    label = {"yref": "paper", "y": 1, "yanchor": "bottom", "yshift": 2, "showarrow": False, "xref": "paper",
             "xanchor": "left"}
    taken: list[tuple[float, float]] = [(-math.inf, reserved)] if reserved > -math.inf else []
    elections = sorted((e for e in rows if e["kind"] == "general_election"), key=lambda e: e["start"])
    for election in elections:
        x = position(dt.date.fromisoformat(election["start"]))
        if not lo <= x <= hi:
            continue
        reach = 1 + event_row_px(style) * 0.75 / frame.height  # up to the label above the plot
        shapes.append({"type": "line", "xref": "x", "yref": "paper", "x0": x, "x1": x, "y0": 0, "y1": reach,
                       "line": {"color": "#8a9099", "width": 1, "dash": "dot"}, "layer": "below",
                       "name": f"election-line-{election['start']}"})
        for text in (f"GE {election['start'][:4]}", f"\u2019{election['start'][2:4]}"):
            width = text_px(text, font)
            left = frame.x_px(x) - width / 2
            left = min(max(left, 0.0), frame.width - width)
            if _free(taken, left, left + width):
                taken.append((left, left + width))
                annotations.append({**label, "x": left / frame.width, "text": text,
                                    "font": {"size": font, "color": MUTED}, "name": f"election-{election['start']}"})
                break
    leaders = sorted((event for event in rows if event["kind"] == "leader"), key=lambda event: event["start"])
    bands: list[tuple[int, tuple[float, float]]] = []
    for i, leader in enumerate(leaders):
        x0 = max(position(dt.date.fromisoformat(leader["start"])), lo)
        x1 = min(position(dt.date.fromisoformat(leader["end"] or today)), hi)
        if x1 <= x0:
            continue
        shapes.append({"type": "rect", "xref": "x", "yref": "paper", "x0": x0, "x1": x1, "y0": 0, "y1": 1,
                       "fillcolor": BAND if i % 2 == 0 else "rgba(0,0,0,0)", "line": {"width": 0}, "layer": "below",
                       "name": f"leader-band-{i}"})
        bands.append((i, (max(frame.x_px(x0), 0.0) + 3, min(frame.x_px(x1), frame.width) - 3)))
    # full names, unless they leave the latest term unnamed where surnames name it (a term begun months
    # before the chart's end, beside its predecessor's long label), or surnames with the latest placed first
    last = f"leader-name-{bands[-1][0]}" if bands else ""
    options = [_leader_names(leaders, bands, frame, style, markers, list(taken), only_surnames, latest_first)
               for only_surnames, latest_first in ((False, False), (True, False), (True, True))]
    named = next((option for option in options if any(a["name"] == last for a in option[0])), options[0])
    annotations += named[0]
    inside += named[1]
    return shapes, annotations, inside


def _leader_names(leaders: list[dict], bands: list[tuple[int, tuple[float, float]]], frame: Frame, style: Style,
                  markers: Sequence[Box], taken: list[tuple[float, float]], short: bool,
                  latest_first: bool = False) -> tuple[list[dict], list[Box]]:
    """Each leader's name (or surname; only surnames when `short`) over its band in the row clear of `taken`,
    else at the band's foot clear of the `markers`; a band too narrow for the surname has it reaching past the
    band but touching it. With `latest_first`, the latest term's surname is placed before any other. The labels
    and the boxes those inside the plot take."""
    font = style.small
    annotations: list[dict] = []
    inside: list[Box] = []
    narrow: list[tuple[int, tuple[float, float], str]] = []

    def surname_of(i: int) -> str:
        return str(leaders[i]["name"]).split(" (")[0].split()[-1]

    rest = bands
    if latest_first and bands:
        i, band = bands[-1]
        surname = surname_of(i)
        room = band if band[1] - band[0] >= text_px(surname, font) * 1.04 else _beyond(band, surname, font, frame)
        _place_leader(i, [(surname, room)], band, frame, font, markers, taken, annotations, inside)
        rest = bands[:-1]
    # first each name within its own band, so a narrow band's reaching label takes no room a later band needs
    for i, band in rest:
        name = leaders[i]["name"]
        surname = surname_of(i)
        tries = [(surname, band)] if short else [(name, band), (surname, band)]
        if not _place_leader(i, tries, band, frame, font, markers, taken, annotations, inside) \
                and band[1] - band[0] < text_px(surname, font) * 1.04:
            narrow.append((i, band, surname))
    for i, band, surname in narrow:  # then a band too narrow for its surname: over it, reaching past it
        _place_leader(i, [(surname, _beyond(band, surname, font, frame))], band, frame, font, markers, taken,
                      annotations, inside)
    return annotations, inside


def _place_leader(i: int, tries: list[tuple[str, tuple[float, float]]], band: tuple[float, float], frame: Frame,
                  font: float, markers: Sequence[Box], taken: list[tuple[float, float]], annotations: list[dict],
                  inside: list[Box]) -> bool:
    """The first of `tries` (a text and the room it may take) that fits: in the row above the plot clear of
    `taken`, else at the foot of the plot clear of the `markers`, centred on the band; whether one did."""
    label = {"yref": "paper", "y": 1, "yanchor": "bottom", "yshift": 2, "showarrow": False, "xref": "paper",
             "xanchor": "left", "font": {"size": font, "color": MUTED}, "name": f"leader-name-{i}"}
    for text, room in tries:
        width = text_px(text, font) * 1.04  # italic
        slot = _slot(width, room[0], room[1], (band[0] + band[1]) / 2, taken)
        if slot is not None:
            taken.append((slot, slot + width))
            annotations.append({**label, "x": slot / frame.width, "text": f"<i>{escape(text)}</i>"})
            return True
        foot = _foot(width, room, (band[0] + band[1]) / 2, 3, 3 + font * LINE_EM, markers, inside)
        if foot is not None:
            inside.append(foot)
            annotations.append({**label, "x": foot.left / frame.width, "y": 0, "yshift": 3,
                                "text": f"<i>{escape(text)}</i>"})
            return True
    return False


def _foot(width: float, room: tuple[float, float], centre: float, bottom: float, top: float, markers: Sequence[Box],
          others: Sequence[Box]) -> Box | None:
    """The box nearest to centring a label of `width` on `centre` at the plot's foot, within `room`, meeting
    none of the `markers` and EVENT_GAP clear of the `others` (names side by side closer read as one, as in
    the row above the plot); None when there is no such place."""
    lo, hi = room[0], room[1] - width
    if hi < lo:
        return None
    edges = [centre - width / 2, lo, hi]
    edges += [x for box in others for x in (box.left - EVENT_GAP - width, box.right + EVENT_GAP)]
    edges += [x for box in markers if box.bottom < top and bottom < box.top for x in (box.left - width, box.right)]

    def free(left: float) -> bool:
        box = Box(left, left + width, bottom, top)
        spaced = Box(left - EVENT_GAP, left + width + EVENT_GAP, bottom, top)
        return not any(box.meets(m) for m in markers) and not any(spaced.meets(o) for o in others)

    fits = [x for x in edges if lo - 1e-9 <= x <= hi + 1e-9 and free(x)]
    if not fits:
        return None
    left = min(fits, key=lambda x: (abs(x + width / 2 - centre), x))
    return Box(left, left + width, bottom, top)


# ---------------------------------------------------------------- the writer's marks

LINE_EM = 1.3  # plotly.js spaces the lines of an annotation's text about this far apart
HIGHLIGHT = "rgba(232, 176, 32, 0.17)"  # an amber wash: unlike the grey of leaders' terms, and under the lines
HIGHLIGHT_EDGE = "rgba(176, 122, 0, 0.55)"
NOTE_LINE = "#4a5058"
NOTE_PAD = 3  # around a note's text, on its white ground
NOTE_OFFSET = 10  # from a note's point to its box
PIN_DAYS = 183  # a note pinned to a party's line beyond its figures is drawn at its date only past this


@dataclass(frozen=True)
class MarkBox:
    """One writer's label (a note or a period's label) as placed: its text, size and point."""

    name: str
    lines: list[str]        # escaped, wrapped
    left: float
    width: float
    height: float
    wanted: float           # the centre it would have, in pixels up from the plot's bottom
    point: tuple[float, float] | None = None  # what its leader line points at (pinned notes)


def line_value(points: list[tuple[dt.date, int]], day: dt.date) -> float | None:
    """A party's line at `day`: between its two figures either side, along the straight line that joins
    them; before its first or after its last figure, that figure if it is within PIN_DAYS; else None."""
    if not points:
        return None
    before = [(d, v) for d, v in points if d <= day]
    after = [(d, v) for d, v in points if d >= day]
    if before and after:
        (d0, v0), (d1, v1) = before[-1], after[0]
        return float(v0) if d1 == d0 else v0 + (v1 - v0) * (day - d0).days / (d1 - d0).days
    (d, v) = before[-1] if before else after[0]
    return float(v) if abs((day - d).days) <= PIN_DAYS else None


def note_point(mark: Mark, frame: Frame, lines: Mapping[str, list[tuple[dt.date, int]]]) -> tuple[float, float] | None:
    """Where a note's leader line points (pixels): on its party's line or at its value at its date;
    None for a note at its date only (or pinned where the chart cannot place it)."""
    if frame.y_top is None:
        return None
    value = float(mark.value) if mark.value is not None else (
        line_value(lines[mark.party], mark.day) if mark.party in lines else None)
    if value is None or not 0 <= frame.y_px(value) <= frame.height:
        return None
    return frame.x_px(position(mark.day)), frame.y_px(value)


def text_box(text: str, font: float, max_px: float) -> tuple[list[str], float, float]:
    """The wrapped lines of a writer's text and the box they take with their padding."""
    lines = wrap(text, max_px, font)
    width = max(text_px(html.unescape(line), font) for line in lines) + 2 * NOTE_PAD
    return lines, width, font * LINE_EM * len(lines) + 2 * NOTE_PAD


def note_box(i: int, mark: Mark, frame: Frame, style: Style,
             lines: Mapping[str, list[tuple[dt.date, int]]]) -> MarkBox:
    """A note's box beside its point, to the right when it fits there (else to the left), above
    the point when it fits (else below); a note at its date only starts at the top of the plot."""
    font = style.small
    text, width, height = text_box(mark.text, font, note_width(frame, style))
    x = frame.x_px(position(mark.day))
    point = note_point(mark, frame, lines)
    left = x + NOTE_OFFSET if x + NOTE_OFFSET + width <= frame.width else x - NOTE_OFFSET - width
    left = min(max(left, 0.0), max(frame.width - width, 0.0))
    if point is None:
        wanted = frame.height - height / 2 - 2
    elif point[1] + NOTE_OFFSET + height <= frame.height:
        wanted = point[1] + NOTE_OFFSET + height / 2
    else:
        wanted = point[1] - NOTE_OFFSET - height / 2
    return MarkBox(f"note-{i}", text, left, width, height, wanted, point)


def note_width(frame: Frame, style: Style) -> float:
    """The widest a note's text runs before it wraps: about 18 em, narrower on a small plot."""
    return max(min(style.small * 18, frame.width * 0.42), style.small * 8)


def period_box(i: int, period: Period, frame: Frame, style: Style) -> MarkBox | None:
    """A highlighted period's label, at the top of its band from its start (None without a label)."""
    if not period.label:
        return None
    font = style.small
    start = max(frame.x_px(position(period.first_day)), 0.0)
    text, width, height = text_box(period.label, font, note_width(frame, style))
    left = min(start + 3, max(frame.width - width, 0.0))
    return MarkBox(f"highlight-{i}", text, left, width, height, frame.height - height / 2 - 2)


def writer_marks(view: View, frame: Frame, style: Style, lines: Mapping[str, list[tuple[dt.date, int]]],
                 taken: list[Box], markers: Sequence[Box] = ()) -> tuple[list[dict], list[dict]]:
    """The writer's highlighted periods and notes within the years shown, as shapes and annotations;
    their labels placed clear of `taken` (the direct, election and leader labels), of each other
    and, where there is room, of the figures' `markers`."""
    assert view.start is not None and view.end is not None
    shapes: list[dict] = []
    boxes: list[MarkBox] = []
    for i, period in enumerate(view.highlights):
        x0, x1 = max(position(period.first_day), frame.lo), min(position(period.last_day), frame.hi)
        if x1 <= x0:
            continue
        shapes.append({"type": "rect", "xref": "x", "yref": "paper", "x0": x0, "x1": x1, "y0": 0, "y1": 1,
                       "fillcolor": HIGHLIGHT, "line": {"width": 0}, "layer": "below", "name": f"highlight-{i}"})
        shapes += [{"type": "line", "xref": "x", "yref": "paper", "x0": x, "x1": x, "y0": 0, "y1": 1,
                    "line": {"color": HIGHLIGHT_EDGE, "width": 1}, "layer": "below"} for x in (x0, x1)
                   if frame.lo < x < frame.hi]
        box = period_box(i, period, frame, style)
        if box is not None:
            boxes.append(box)
    for i, mark in enumerate(view.marks):
        if not view.start <= mark.day.year <= view.end:
            continue
        box = note_box(i, mark, frame, style, lines)
        boxes.append(box)
        if box.point is None:  # a note at its date: a thin rule through the plot at that date
            x = position(mark.day)
            shapes.append({"type": "line", "xref": "x", "yref": "paper", "x0": x, "x1": x, "y0": 0, "y1": 1,
                           "line": {"color": NOTE_LINE, "width": 1}, "opacity": 0.6, "layer": "below",
                           "name": f"rule-{box.name}"})
    centres = place_labels([b.wanted for b in boxes], [b.height for b in boxes], 0, frame.height, gap=3,
                           spans=[(b.left, b.left + b.width) for b in boxes],
                           taken=[*taken, *(Box(p[0] - 3, p[0] + 3, p[1] - 3, p[1] + 3)
                                            for b in boxes if (p := b.point) is not None)], avoid=markers)
    annotations = []
    for box, centre in zip(boxes, centres):
        note = box.name.startswith("note")
        annotations.append({"xref": "paper", "yref": "paper", "x": box.left / frame.width, "y": centre / frame.height,
                            "xanchor": "left", "yanchor": "middle", "align": "left", "showarrow": False,
                            "text": "<br>".join(f"<b>{line}</b>" if not note else line for line in box.lines),
                            "font": {"size": style.small, "color": INK},
                            "bgcolor": "rgba(255, 255, 255, 0.85)" if note else "rgba(0, 0, 0, 0)",
                            "borderpad": NOTE_PAD, "borderwidth": 0, "name": box.name})
        if box.point is not None:
            shapes += leader(box, centre, frame)
    return shapes, annotations


def leader(box: MarkBox, centre: float, frame: Frame) -> list[dict]:
    """A short line from a note's point to the nearest edge of its box, and a ring at the point."""
    assert box.point is not None
    px, py = box.point
    bottom, top = centre - box.height / 2, centre + box.height / 2
    ex, ey = min(max(px, box.left), box.left + box.width), min(max(py, bottom), top)
    x, y = px / frame.width, py / frame.height
    return [{"type": "line", "xref": "paper", "yref": "paper", "x0": x, "y0": y, "x1": ex / frame.width,
             "y1": ey / frame.height, "line": {"color": NOTE_LINE, "width": 1}, "layer": "above",
             "name": f"leader-{box.name}"},
            {"type": "circle", "xref": "paper", "yref": "paper", "xsizemode": "pixel", "ysizemode": "pixel",
             "xanchor": x, "yanchor": y, "x0": -4, "x1": 4, "y0": -4, "y1": 4,
             "line": {"color": NOTE_LINE, "width": 1.2}, "layer": "above", "name": f"point-{box.name}"}]
