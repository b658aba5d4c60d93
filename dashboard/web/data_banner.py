"""The banner shown while the data file on disk is broken and the last good version is served."""
from __future__ import annotations

from dash import html

from dashboard.core.problems import Problem
from dashboard.web import ids

SHOWN_PROBLEMS = 20


def banner(problems: list[Problem], editor: bool) -> html.Div | None:
    """None when the file is fine. Readers learn that the data is being corrected; editors also get
    every problem with its place, so they know what to fix."""
    if not problems:
        return None
    if not editor:
        return html.Div(html.P("The data file is being corrected. The figures shown are the last good version."),
                        id=ids.DATA_BANNER, className="data-banner", role="status")
    listed = [html.Li(str(p)) for p in problems[:SHOWN_PROBLEMS]]
    if len(problems) > SHOWN_PROBLEMS:
        listed.append(html.Li(f"… and {len(problems) - SHOWN_PROBLEMS:,} more (membership check lists them all)"))
    return html.Div([
        html.P([html.Strong("The data file has problems, "), "so the page shows its last good version and changes "
                "are refused until it is fixed. Fix these in the file (membership check lists them):"]),
        html.Ul(listed),
    ], id=ids.DATA_BANNER, className="data-banner", role="alert")
