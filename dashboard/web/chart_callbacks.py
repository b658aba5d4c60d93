"""The page's callbacks: they only translate between components and the core (view, figures).

One view drives everything. A change of a control makes a new view, which is drawn and written
into the address bar as a new search (dcc.Location with refresh=False pushes a history entry for
it). Back and Forward change the search the other way: the view is read from it and drawn, and
nothing is pushed. A link that asked for something the data does not have keeps its address
(with a notice of what was set aside); "Copy link" gives the view's own, clean link. The address
is never rewritten behind dcc.Location's back: it would take its next update for a change and
push the old address again.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any

from dash import ClientsideFunction, Input, Output, State, ctx, no_update
from dash.exceptions import PreventUpdate

from dashboard.chart.captions import chart_caveat, default_title
from dashboard.core.dataset import Dataset, DatasetCache
from dashboard.core.marks import read_marks, read_periods
from dashboard.core.measures import INDEX, MEMBERS, YEAR_END_ONLY
from dashboard.core.memo import ResultCache
from dashboard.core.selection import shown_counts
from dashboard.core.view import (
    FLAGS,
    Notice,
    View,
    default_range,
    resolve,
    resolve_explained,
    view_from_dict,
    view_from_link,
    view_to_dict,
    view_to_query,
)
from dashboard.web import ids, latest_panel
from dashboard.web.counts_table import table_data
from dashboard.web.inputs import bad, marks_edit_data, number, text, texts, view_dict, year_pair
from dashboard.web.layout import (
    annotation_options,
    annotation_values,
    bases_from_values,
    basis_values,
    chart_description,
    log_scale_options,
    page_figure,
    view_notice,
    view_summary,
    year_marks,
)
from dashboard.web.share_panel import share_info

CONTROL_IDS = {ids.PARTY_SELECT, ids.YEAR_RANGE, ids.YEAR_FROM, ids.YEAR_TO, ids.MEASURE, ids.BASE_YEAR,
               ids.LOG_SCALE, ids.ANNOTATIONS, ids.BASIS_SELECT, ids.MARKS_EDIT}

OUTPUTS = {
    "parties": Output(ids.PARTY_SELECT, "value"),
    "years": Output(ids.YEAR_RANGE, "value"), "first": Output(ids.YEAR_RANGE, "min"),
    "last": Output(ids.YEAR_RANGE, "max"), "marks": Output(ids.YEAR_RANGE, "marks"),
    "year_from": Output(ids.YEAR_FROM, "value"), "year_to": Output(ids.YEAR_TO, "value"),
    "measure": Output(ids.MEASURE, "value"),
    "base_year": Output(ids.BASE_YEAR, "value"), "base_hidden": Output(ids.BASE_YEAR_WRAP, "hidden"),
    "log": Output(ids.LOG_SCALE, "value"), "log_options": Output(ids.LOG_SCALE, "options"),
    "annotations": Output(ids.ANNOTATIONS, "value"), "annotation_options": Output(ids.ANNOTATIONS, "options"),
    "bases": Output(ids.BASIS_SELECT, "value"),
    "figure": Output(ids.CHART, "figure"), "chart_name": Output(ids.CHART_FIGURE, "aria-label"),
    "description": Output(ids.CHART_ALT, "children"), "table": Output(ids.FIGURES_TABLE_DATA, "data"),
    "summary": Output(ids.VIEW_SUMMARY, "children"),
    "caveat": Output(ids.CHART_CAVEAT, "children"), "caveat_hidden": Output(ids.CHART_CAVEAT, "hidden"),
    "store": Output(ids.VIEW_STORE, "data"), "search": Output(ids.LOCATION, "search"),
    "share": Output(ids.SHARE_STORE, "data"),
    "notice": Output(ids.VIEW_NOTICE, "children"), "notice_hidden": Output(ids.VIEW_NOTICE, "hidden"),
    "year_message": Output(ids.YEAR_MESSAGE, "children"), "measure_message": Output(ids.MEASURE_MESSAGE, "children"),
}
INPUTS = {
    "search": Input(ids.LOCATION, "search"), "parties": Input(ids.PARTY_SELECT, "value"),
    "years": Input(ids.YEAR_RANGE, "value"), "year_from": Input(ids.YEAR_FROM, "value"),
    "year_to": Input(ids.YEAR_TO, "value"), "measure": Input(ids.MEASURE, "value"),
    "base_year": Input(ids.BASE_YEAR, "value"), "log": Input(ids.LOG_SCALE, "value"),
    "annotations": Input(ids.ANNOTATIONS, "value"), "bases": Input(ids.BASIS_SELECT, "value"),
    "marks_edit": Input(ids.MARKS_EDIT, "data"), "width": Input(ids.VIEWPORT_WIDTH, "data"),
    "version": Input(ids.DATA_VERSION, "data"), "drawn": Input(ids.CHART_DRAWN, "data"),
    "stored": State(ids.VIEW_STORE, "data"),
}


def whole_year(value: Any) -> int | None:
    """A year box's value as a whole number, or None (empty, or not a number)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
        return None
    return int(value)


def view_from_controls(current: View, triggered: set[str], values: dict[str, Any],
                       dataset: Dataset) -> tuple[View, list[Notice]]:
    """The view the controls now describe: the control that changed decides its part, and a year
    box that holds no year is left as it was with a message."""
    notices: list[Notice] = []
    first, last = dataset.year_bounds()
    start, end = current.start, current.end
    if ids.YEAR_RANGE in triggered and values["years"]:
        start, end = values["years"][:2]
    for box, key in ((ids.YEAR_FROM, "start"), (ids.YEAR_TO, "end")):
        if box in triggered:
            year = whole_year(values["year_from" if key == "start" else "year_to"])
            if year is None:
                notices.append(Notice(key, f"Type a year from {first} to {last}."))
            elif key == "start":
                start = year
            else:
                end = year
    measure = values["measure"] or MEMBERS
    if ids.MEASURE in triggered and (start, end) == default_range(dataset, current.parties, current.bases,
                                                                  current.measure in YEAR_END_ONLY):
        # the default years of one measure become the other's: a change ends at the latest year end
        start, end = None, None
    base_year = current.base_year if measure == INDEX and current.measure == INDEX else None
    if ids.BASE_YEAR in triggered:
        base_year = whole_year(values["base_year"])
        if base_year is None:
            notices.append(Notice("base_year", "Type the year the index is 100 at."))
    # a switch counts only when it was touched: one the measure cannot use (figures at other
    # dates in a change) is shown off, and keeps its setting for when the measure can
    flags = {key: getattr(current, key) for key in FLAGS}
    if ids.ANNOTATIONS in triggered:
        flags.update({key: key in (values["annotations"] or []) for key in FLAGS
                      if key != "other_dates" or current.measure == MEMBERS})
    log_scale = "log" in (values["log"] or []) if ids.LOG_SCALE in triggered else current.log_scale
    bases = bases_from_values(values["bases"]) if ids.BASIS_SELECT in triggered else current.bases
    marks, highlights = current.marks, current.highlights
    if ids.MARKS_EDIT in triggered and values.get("marks_edit"):
        marks = read_marks(values["marks_edit"].get("marks", []))[0]
        highlights = read_periods(values["marks_edit"].get("highlights", []))[0]
    view = replace(current, parties=tuple(values["parties"] or current.parties), start=start, end=end,
                   measure=measure, base_year=base_year, log_scale=log_scale, bases=bases, marks=marks,
                   highlights=highlights, **flags)
    return view, notices


class ViewResults:
    """The figure and the table of a view, remembered per data version, view and width: fifty
    readers ask for the same few views, and each costs more to make than to look up."""

    def __init__(self) -> None:
        self.figures: ResultCache[dict] = ResultCache()
        self.tables: ResultCache[dict] = ResultCache()

    def figure(self, dataset: Dataset, view: View, width: int | None) -> dict:
        return self.figures.get((dataset.identity, view, width), lambda: page_figure(dataset, view, width))

    def table(self, dataset: Dataset, view: View) -> dict:
        return self.tables.get((dataset.identity, view),
                               lambda: table_data(dataset, shown_counts(dataset, view), view))


def view_outputs(dataset: Dataset, view: View, width: int | None, results: ViewResults,
                 prefix: str = "/") -> dict[str, Any]:
    """Everything on the page that follows the view."""
    first, last = dataset.year_bounds()
    return {
        "parties": list(view.parties), "years": [view.start, view.end], "first": first, "last": last,
        "marks": year_marks(first, last), "year_from": view.start, "year_to": view.end,
        "measure": view.measure, "base_year": view.base_year, "base_hidden": view.measure != INDEX,
        "log": ["log"] if view.log_scale else [], "log_options": log_scale_options(view),
        "annotations": annotation_values(view), "annotation_options": annotation_options(view),
        "bases": basis_values(view), "figure": results.figure(dataset, view, width),
        "chart_name": view.title or default_title(dataset, view), "summary": view_summary(dataset, view),
        "description": chart_description(dataset, view),
        "caveat": chart_caveat(dataset, view), "caveat_hidden": not chart_caveat(dataset, view),
        "table": results.table(dataset, view),
        "store": view_to_dict(view), "share": share_info(dataset, view, prefix),
    }


def messages(notices: list[Notice]) -> dict[str, str]:
    """A control's notices beside it: years by the year boxes, the base year by the measure."""
    def text(fields: tuple[str, ...]) -> str:
        return " ".join(n.text for n in notices if n.field in fields)
    return {"year_message": text(("start", "end")), "measure_message": text(("base_year", "measure"))}


def checked_width(width: object) -> int | None:
    """The chart box's width as the page measures it (web/inputs.py's rule for a number it did not type), or 400."""
    if width is not None and (not isinstance(width, int) or isinstance(width, bool) or not 100 <= width <= 10_000):
        bad("the chart width")
    return width


def synced_view(dataset: Dataset, current: View, triggered: set[str], search: str | None, values: dict[str, Any],
                width: int | None, results: ViewResults, prefix: str = "/") -> dict[str, Any] | None:
    """What the page shows after `triggered` (the component ids that fired), keyed as OUTPUTS; a key left out
    stays as it is, and None changes nothing. The address sets the controls, the controls set the address,
    and new data redraws the view; otherwise the view is the one drawn, and only the screen's width or the
    first chart drawn can change what shows."""
    if ids.LOCATION in triggered:
        view, notices = view_from_link(search or "", dataset)
        if view != current:  # else the page's own first address, or the address of the view drawn: below
            return {**view_outputs(dataset, view, width, results, prefix), **view_notice(view, notices),
                    "year_message": "", "measure_message": ""}
    elif triggered & CONTROL_IDS:
        return from_controls(dataset, current, triggered, search, values, width, results, prefix)
    elif ids.DATA_VERSION in triggered:
        view = resolve(current, dataset)
        return {**view_outputs(dataset, view, width, results, prefix), **view_notice(view)}
    return redrawn(dataset, current, triggered, width, results)


def from_controls(dataset: Dataset, current: View, triggered: set[str], search: str | None, values: dict[str, Any],
                  width: int | None, results: ViewResults, prefix: str = "/") -> dict[str, Any]:
    """The page for the view the controls now describe, with its new address (a new search is a new history
    entry). A control already showing its value is not sent it again: Dash would re-render it, and the party
    picker would lose the place of a reader moving through its list by keyboard."""
    view, control_notices = view_from_controls(current, triggered, values, dataset)
    view, notices = resolve_explained(view, dataset)
    query = view_to_query(view)
    out = {**view_outputs(dataset, view, width, results, prefix), **messages(control_notices + notices),
           **view_notice(view)}
    if query != search:
        out["search"] = query
    return {key: value for key, value in out.items() if not (key in values and values[key] == value)}


def redrawn(dataset: Dataset, current: View, triggered: set[str], width: int | None,
            results: ViewResults) -> dict[str, Any] | None:
    """For the view drawn: its table once the page's first chart is drawn (the page came with the chart only),
    and its figure laid out for this screen's width (not the table again); None when neither fired."""
    view = resolve(current, dataset)
    out: dict[str, Any] = {}
    if ids.CHART_DRAWN in triggered:
        out["table"] = results.table(dataset, view)
    if width and ids.VIEWPORT_WIDTH in triggered:
        out["figure"] = results.figure(dataset, view, width)
    return out or None


def register_callbacks(app, cache: DatasetCache) -> None:
    results = ViewResults()

    # The chart comes laid out for a laptop's box; a screen whose box is another size (CSS from
    # chart/screen_sizes.py) says its width once, and the chart is laid out again to fit it.
    app.clientside_callback(
        """function(_, figure) {
            const chart = document.getElementById(window.DASHBOARD_IDS.CHART);
            const box = chart && chart.closest('.chart-box');
            const width = box ? Math.round(box.getBoundingClientRect().width) : 0;
            const laidOut = figure && figure.layout && figure.layout.meta && figure.layout.meta.laid_out_for;
            return width && width !== laidOut ? width : window.dash_clientside.no_update;
        }""",
        Output(ids.VIEWPORT_WIDTH, "data"),
        Input(ids.LOCATION, "pathname"), State(ids.CHART, "figure"),
    )
    prefix = app.config.requests_pathname_prefix

    # On a phone the controls are a drawer, opened from the bar above the chart (assets/explore.js)
    app.clientside_callback(ClientsideFunction(namespace="explore", function_name="drawer"),
                            Output(ids.CONTROLS, "className"), Output(ids.CONTROLS_TOGGLE, "aria-expanded"),
                            Input(ids.CONTROLS_TOGGLE, "n_clicks"), Input(ids.CONTROLS_CLOSE, "n_clicks"),
                            prevent_initial_call=True)

    # the table of figures is drawn in the browser from plain rows (assets/figures_table.js)
    app.clientside_callback(ClientsideFunction(namespace="figures", function_name="draw"),
                            Output(ids.FIGURES_TABLE_DRAWN, "data"), Input(ids.FIGURES_TABLE_DATA, "data"))

    @app.callback(output=OUTPUTS, inputs=INPUTS)
    def sync_view(search, parties, years, year_from, year_to, measure, base_year, log, annotations, bases, marks_edit,
                  width, version, drawn, stored):
        """One view drives everything: the URL sets the controls, the controls set the URL."""
        # what the browser sent is checked first (a script may post anything): 400 with a reason
        search, parties, annotations = text(search, "the address"), texts(parties, "parties"), texts(annotations, "show")
        years, stored, bases, log = year_pair(years), view_dict(stored), texts(bases, "bases"), texts(log, "log scale")
        year_from, year_to = number(year_from, "the first year"), number(year_to, "the last year")
        base_year, measure = number(base_year, "the base year"), text(measure, "the measure")
        marks_edit, width = marks_edit_data(marks_edit), checked_width(width)
        values = {"parties": parties, "years": years, "year_from": year_from, "year_to": year_to,
                  "measure": measure, "base_year": base_year, "log": log, "annotations": annotations,
                  "bases": bases, "marks_edit": marks_edit}
        triggered = {prop.split(".")[0] for prop in ctx.triggered_prop_ids}
        out = synced_view(cache.get(), view_from_dict(stored), triggered, search, values, width, results, prefix)
        if out is None:
            raise PreventUpdate
        return {key: out.get(key, no_update) for key in OUTPUTS}

    latest_panel.register_callbacks(app, cache)
