"""The "Latest figures, side by side" panel under the chart, drawn from chart/latest.py: for each party
shown its latest figure with date and basis, its latest audited figure, the change on the year end
before and its peak; the generated sentence; and a button that puts the sentence in the export note.
"""
from __future__ import annotations

from typing import Any

from dash import Input, Output, State, html

from dashboard.chart.latest import LatestRow, comparison_sentence, latest_rows
from dashboard.core.dataset import Dataset, DatasetCache
from dashboard.core.memo import ResultCache
from dashboard.core.view import View, resolve, view_from_dict
from dashboard.web import ids

HEADINGS = ("Party", "Latest figure", "Basis", "Last audited figure", "Change on the year end before", "Peak shown")


def _cell(heading: str, *children: Any, class_name: str | None = None) -> html.Td:
    label: dict[str, Any] = {"data-label": heading}
    return html.Td(list(children), className=class_name, **label)


def _row(row: LatestRow) -> html.Tr:
    latest = row.latest
    if row.audited is not None:
        audited: list[Any] = [row.audited.value, html.Span(f" {row.audited.when}", className="when")]
    elif row.has_audited:
        audited = ["the latest figure"]
    else:
        audited = [html.Span("none shown", className="none")]
    label: dict[str, Any] = {"data-label": HEADINGS[0]}
    return html.Tr([
        html.Th(row.name, scope="row", **label),
        _cell(HEADINGS[1], html.Strong(latest.value), html.Span(f" {latest.when}", className="when"), class_name="num"),
        _cell(HEADINGS[2], latest.basis_label, class_name=f"basis basis-{latest.basis or 'none'}"),
        _cell(HEADINGS[3], *audited, class_name="num"),
        _cell(HEADINGS[4], row.change),
        _cell(HEADINGS[5], row.peak.value, html.Span(f" in {row.peak.year}", className="when"), class_name="num"),
    ])


def panel_children(dataset: Dataset, view: View) -> list[Any]:
    """The panel's contents for a resolved view: the table and the sentence, or why there is none."""
    rows = latest_rows(dataset, view)
    if not rows:
        return [html.H2("The latest figures, side by side"),
                html.P("No figures of the parties chosen in these years.", className="hint")]
    sentence = comparison_sentence(rows)
    return [
        html.H2("The latest figures, side by side"),
        html.P(sentence, id=ids.LATEST_SENTENCE, className="latest-sentence"),
        html.Div([
            html.Button("Put this in the export note", id=ids.LATEST_TO_NOTE, n_clicks=0, className="secondary"),
            html.Span(id=ids.LATEST_COPIED, role="status", className="hint"),
        ], className="buttons"),
        html.Table([
            html.Thead(html.Tr([html.Th(h, scope="col") for h in HEADINGS])),
            html.Tbody([_row(r) for r in rows]),
        ], id=ids.LATEST_TABLE, className="figures latest"),
    ]


def panel(dataset: Dataset, view: View) -> html.Section:
    live: dict[str, Any] = {"aria-live": "polite"}
    return html.Section(panel_children(dataset, view), id=ids.LATEST_PANEL, className="panel latest-panel", **live)


def register_callbacks(app: Any, cache: DatasetCache) -> None:
    answers: ResultCache[list[Any]] = ResultCache()

    @app.callback(Output(ids.LATEST_PANEL, "children"), Input(ids.VIEW_STORE, "data"), Input(ids.DATA_VERSION, "data"),
                  prevent_initial_call=True)
    def follow_view(stored, _version):
        """The panel follows the chart's view and the data."""
        dataset = cache.get()
        view = resolve(view_from_dict(stored), dataset)
        return answers.get((dataset.identity, view), lambda: panel_children(dataset, view))

    # One click puts the sentence in the Export panel's note (it is on the page once the chart is drawn).
    app.clientside_callback(
        """function(clicks, sentence) {
            const nu = window.dash_clientside.no_update;
            if (!clicks || !sentence) { return [nu, nu]; }
            if (!document.getElementById(window.DASHBOARD_IDS.EXPORT_NOTE)) {
                return [nu, 'The export panel is still loading: try again in a moment.'];
            }
            return [sentence, 'Put in the export note below.'];
        }""",
        Output(ids.EXPORT_NOTE, "value"), Output(ids.LATEST_COPIED, "children"),
        Input(ids.LATEST_TO_NOTE, "n_clicks"), State(ids.LATEST_SENTENCE, "children"),
        prevent_initial_call=True,
    )
