"""What is marked on the plot besides the figures: leaders' terms as shaded bands named where the name
fits, general elections as labelled dotted lines."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard.chart.style import BAND, MUTED, Style, escape, text_px
from dashboard.core.selection import position, records


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
