"""The page's "Export" panel: its layout and its callbacks, translating components to the export core.

The panel exports the view the chart shows (the page's `view-store`), with the title, subtitle and
note edited here (the writer's notes on the chart are part of that view: marks_panel.py); the
Download button makes the file on the server with `export_image`, so it is byte for byte the file
`membership export` writes for the same view. The chart's own camera button is set to the chosen
size as the quick path that needs nothing on the server.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import NamedTuple

import dash
from dash import Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from dashboard.chart.alt_text import alt_text
from dashboard.chart.captions import default_subtitle, default_title
from dashboard.config import Settings
from dashboard.core.dataset import Dataset, DatasetCache
from dashboard.core.memo import ResultCache
from dashboard.core.problems import control_character
from dashboard.core.view import MAX_NOTE, MAX_TEXT, View, resolve, view_from_dict, view_to_dict
from dashboard.export import warm_browser
from dashboard.export.image import (
    DEFAULT_PRESET,
    MAX_SIDE,
    MIN_SIDE,
    PRESETS,
    BrowserMissing,
    ExportSpec,
    RenderFailed,
    SpecError,
    anonymous_limit,
    export_figure_dict,
    export_image,
    filename_for,
    make_spec,
)
from dashboard.export.image_cache import ImageCache
from dashboard.export.image_url import image_query
from dashboard.export.queue import ExportQueue, QueueFull, anonymous_queue, default_queue
from dashboard.web import ids, marks_panel, publish
from dashboard.web.access_check import is_editor
from dashboard.web.answers import Answer, outputs
from dashboard.web.fields import field
from dashboard.web.inputs import number, text, view_dict
from dashboard.web.layout import chart_config


class Fields(NamedTuple):
    """The chart's view as the page stores it and the panel's fields, each of the kind web/inputs.py checks."""

    stored: dict | None
    width: int | float | str | None
    height: int | float | str | None
    scale: int | float | str | None
    fmt: str | None
    title: str | None
    subtitle: str | None
    note: str | None
    credit: str | None


def checked_fields(stored, width, height, scale, fmt, title, subtitle, note, credit) -> Fields:
    """The panel's values as the page sends them, or 400 Bad Request (web/inputs.py)."""
    return Fields(view_dict(stored), number(width, "the width"), number(height, "the height"), number(scale, "the scale"),
                  text(fmt, "the format"), text(title, "the title"), text(subtitle, "the subtitle"), text(note, "the note"),
                  text(credit, "the credit"))


def export_field(label: str, component, hint: str | None = None) -> html.Div:
    return field(label, component, hint, class_name="export-field")


MIME = {"png": "image/png", "svg": "image/svg+xml"}
FIELDS = (ids.EXPORT_WIDTH, ids.EXPORT_HEIGHT, ids.EXPORT_SCALE, ids.EXPORT_FORMAT,
          ids.EXPORT_TITLE, ids.EXPORT_SUBTITLE, ids.EXPORT_NOTE, ids.EXPORT_CREDIT)
ALL_FIELDS = {f"{field}.value" for field in FIELDS}
NO_BROWSER = [html.Strong("The server cannot make image files: "),
              warm_browser.INSTALL_HINT[0].upper() + warm_browser.INSTALL_HINT[1:] + ". ",
              "Meanwhile the camera icon above the chart downloads a PNG made in your own browser."]


def export_view(dataset: Dataset, stored: dict | None, title: str | None, subtitle: str | None,
                note: str | None) -> View:
    """The chart's view (as the page stores it) with the panel's texts; empty means the view's own."""
    view = view_from_dict(stored or {})
    view = replace(view, title=(title or "").strip() or view.title, subtitle=(subtitle or "").strip() or view.subtitle,
                   note=(note or "").strip() or view.note)
    return resolve(view, dataset)


def panel_spec(width, height, scale, fmt, texts: dict[str, str | None] | None = None) -> ExportSpec:
    """make_spec for the form: an emptied size box is a message, not a silent default size, and so
    is a text holding a control character or a bidirectional override (as in an upload)."""
    problems = [f"{name} is empty: type a number of pixels" for name, value in (("width", width), ("height", height))
                if value in (None, "")]
    problems += [f"the {name} {problem}" for name, value in (texts or {}).items()
                 if (problem := control_character(value or ""))]
    if problems:
        raise SpecError(problems)
    return make_spec(width, height, scale, fmt)


def download_for(dataset: Dataset, stored: dict | None, width, height, scale, fmt, title=None, subtitle=None,
                 note=None, credit=None, editor: bool = True, images: ImageCache | None = None,
                 queue: ExportQueue | None = None) -> tuple[bytes, str]:
    """The file and its name for the panel's fields. Raises SpecError (also for a size a visitor may
    not have made), QueueFull, BrowserMissing or RenderFailed.

    Identical requests are answered from `images` (keyed by data version, view, spec and credit);
    a new image waits for a place in `queue`, which is bounded.
    """
    spec = panel_spec(width, height, scale, fmt, {"title": title, "subtitle": subtitle, "note": note, "credit": credit})
    limit = None if editor else anonymous_limit(spec)
    if limit:
        raise SpecError([limit])
    view = export_view(dataset, stored, title, subtitle, note)
    credit_text = (credit or "").strip()
    queue = queue or (default_queue() if editor else anonymous_queue())

    def make() -> bytes:
        with queue.slot():
            return export_image(dataset, view, spec, credit_text)

    if images is None:
        return make(), filename_for(view, spec.format)
    key = image_query(view, spec, credit_text)  # the key /chart.png uses: one entry for the same image
    return images.get_or_make(dataset.version, key, make).data, filename_for(view, spec.format)


def preview_figure(dataset: Dataset, view: View, spec: ExportSpec, credit: str) -> dict:
    """The exported figure at its full layout size; the page scales it down to fit."""
    figure = export_figure_dict(dataset, view, spec, credit)
    figure["layout"].update(width=spec.width, height=spec.height)
    return figure


def default_texts(dataset: Dataset, view: View) -> tuple[str, str]:
    """The title and subtitle the image gets when the fields are left empty (their placeholders)."""
    return default_title(dataset, view), default_subtitle(dataset, view)


STATE_PROPS = ((ids.EXPORT_PREVIEW, "figure"), (ids.EXPORT_PREVIEW, "style"), (ids.EXPORT_PREVIEW_FRAME, "style"),
               (ids.EXPORT_SIZE_NOTE, "children"), (ids.EXPORT_ALT, "value"), (ids.CHART, "config"),
               (ids.EXPORT_PNG, "children"), (ids.EXPORT_PNG, "disabled"), (ids.EXPORT_MESSAGE, "children"),
               (ids.EXPORT_TITLE, "placeholder"), (ids.EXPORT_SUBTITLE, "placeholder"))


# The preview's figure until the panel is first on screen: nothing drawn, no axes.
NOT_DRAWN = {"data": [], "layout": {"xaxis": {"visible": False}, "yaxis": {"visible": False}}}


LINK_PROPS = ((ids.EXPORT_IMAGE_URL, "value"), (ids.EXPORT_EMBED_CODE, "value"))
SIZE_PROPS = ((ids.EXPORT_PRESET, "value"), (ids.EXPORT_WIDTH, "value"), (ids.EXPORT_HEIGHT, "value"))


def panel_state(dataset: Dataset, stored: dict | None, width, height, scale, fmt, title, subtitle, note,
                credit, preview: bool = True) -> dict:
    """What the panel shows for these fields, keyed by (component id, property); a size that is
    out of bounds leaves the last preview in place and says what is wrong. Without `preview` (the
    panel is off screen) all but the preview's figure, the one costly part: a view change then
    costs a third less on the server."""
    view = export_view(dataset, stored, title, subtitle, note)
    default_title_text, default_subtitle_text = default_texts(dataset, view)
    state: dict[tuple[str, str], object] = {(ids.EXPORT_ALT, "value"): alt_text(dataset, view),
             (ids.EXPORT_TITLE, "placeholder"): default_title_text,
             (ids.EXPORT_SUBTITLE, "placeholder"): default_subtitle_text}
    try:
        spec = panel_spec(width, height, scale, fmt, {"title": title, "subtitle": subtitle, "note": note, "credit": credit})
        figure = preview_figure(dataset, view, spec, (credit or "").strip()) if preview else None
    except SpecError as error:
        return {**state, (ids.EXPORT_PNG, "children"): f"Download {str(fmt or 'png').upper()}",
                (ids.EXPORT_PNG, "disabled"): True,
                (ids.EXPORT_MESSAGE, "children"): error.sentence()}
    pixels = f"{spec.pixel_size[0]}×{spec.pixel_size[1]} pixels" if spec.format == "png" else "scalable"
    if figure is not None:
        state[(ids.EXPORT_PREVIEW, "figure")] = figure
    return {**state,
            (ids.EXPORT_PREVIEW, "style"): {"width": f"{spec.width}px", "height": f"{spec.height}px"},
            (ids.EXPORT_PREVIEW_FRAME, "style"): {"aspectRatio": f"{spec.width} / {spec.height}"},
            (ids.EXPORT_SIZE_NOTE, "children"): f"Preview of {filename_for(view, spec.format)}: "
                                              f"{spec.width}×{spec.height}, {pixels}.",
            (ids.CHART, "config"): chart_config(view, spec),
            (ids.EXPORT_PNG, "children"): f"Download {spec.format.upper()}",
            (ids.EXPORT_PNG, "disabled"): False,
            (ids.EXPORT_MESSAGE, "children"): ""}


def panel(dataset: Dataset, view: View) -> html.Section:
    """The panel for the page's first view (its callbacks keep it in step with the chart)."""
    spec = make_spec(preset=DEFAULT_PRESET)
    browser = warm_browser.find_browser()
    if browser:
        warm_browser.warm_up_in_background()
    size_options = [{"label": p.label, "value": p.key} for p in PRESETS.values()]
    size_options.append({"label": "Custom", "value": "custom"})
    # no min/max on the inputs: the browser would silently keep the last valid size, while the
    # server says what is wrong with an out-of-bounds one
    number = {"type": "number", "step": 1, "debounce": True, "className": "export-number"}
    text = {"type": "text", "debounce": True, "maxLength": MAX_TEXT, "className": "export-text"}
    section = html.Section([
        html.H2("Export for a blog post", id=ids.EXPORT_HEADING),
        html.Div(NO_BROWSER, id=ids.EXPORT_BROWSER, className="export-notice", hidden=bool(browser)),
        html.Div([
            html.Div([
                html.Fieldset([
                    html.Legend("Size"),
                    dcc.RadioItems(id=ids.EXPORT_PRESET, options=size_options, value=DEFAULT_PRESET,
                                   className="export-choices", inline=True),
                    html.Div([
                        export_field("Width", dcc.Input(id=ids.EXPORT_WIDTH, value=spec.width, **number)),
                        html.Span("×", className="times", **{"aria-hidden": "true"}),
                        export_field("Height", dcc.Input(id=ids.EXPORT_HEIGHT, value=spec.height, **number)),
                        html.Span(f"pixels, {MIN_SIDE}–{MAX_SIDE}", className="hint"),
                    ], className="export-size"),
                ]),
                html.Div([
                    html.Fieldset([html.Legend("Sharpness"),
                                   dcc.RadioItems(id=ids.EXPORT_SCALE, options=[{"label": "1×", "value": 1},
                                                                              {"label": "2× (retina)", "value": 2}],
                                                  value=spec.scale, inline=True, className="export-choices")]),
                    html.Fieldset([html.Legend("Format"),
                                   dcc.RadioItems(id=ids.EXPORT_FORMAT, options=[{"label": "PNG", "value": "png"},
                                                                               {"label": "SVG", "value": "svg"}],
                                                  value=spec.format, inline=True, className="export-choices")]),
                ], className="export-row"),
                export_field("Title", dcc.Input(id=ids.EXPORT_TITLE, value=view.title, **text)),
                export_field("Subtitle", dcc.Input(id=ids.EXPORT_SUBTITLE, value=view.subtitle, **text)),
                export_field("Note (optional)", dcc.Input(id=ids.EXPORT_NOTE, value=view.note,
                                                    placeholder="e.g. 2024 figure is provisional",
                                                    **{**text, "maxLength": MAX_NOTE})),
                export_field("Credit (optional)", dcc.Input(id=ids.EXPORT_CREDIT, value="",
                                                      placeholder="e.g. Chart: your name / your blog", **text)),
                marks_panel.form(dataset, view),
                html.Div([
                    html.Button("Download PNG", id=ids.EXPORT_PNG, className="export-button", n_clicks=0),
                    dcc.Download(id=ids.EXPORT_DOWNLOAD),
                    dcc.Store(id=ids.EXPORT_CAMERA_APPLIED),
                    dcc.Store(id=ids.EXPORT_VIEW, data=view_to_dict(view)),
                    dcc.Store(id=ids.EXPORT_IN_VIEW, data=False),  # set by assets/export_preview.js
                    dcc.Loading(html.Div(id=ids.EXPORT_MESSAGE, className=ids.EXPORT_MESSAGE, role="status"),
                                type="dot", delay_show=300),
                ], className="export-actions"),
            ], className="export-controls"),
            html.Div([
                html.Div(html.Div(dcc.Graph(id=ids.EXPORT_PREVIEW, figure=NOT_DRAWN,
                                            config={"staticPlot": True, "responsive": False}),
                                  id=ids.EXPORT_PREVIEW_INNER, className=ids.EXPORT_PREVIEW_INNER),
                         id=ids.EXPORT_PREVIEW_FRAME, className=ids.EXPORT_PREVIEW_FRAME,
                         style={"aspectRatio": f"{spec.width} / {spec.height}"}),
                html.P(id=ids.EXPORT_SIZE_NOTE, className="hint"),
                html.Div([
                    html.Label("Alt text to paste under the image", htmlFor=ids.EXPORT_ALT),
                    dcc.Clipboard(target_id=ids.EXPORT_ALT, title="Copy the alt text", className="export-copy"),
                ], className="export-alt-head"),
                dcc.Textarea(id=ids.EXPORT_ALT, readOnly=True, className=ids.EXPORT_ALT),
                html.Div([
                    html.Label("Image link (for an <img> in a blog: always the current figures)",
                               htmlFor=ids.EXPORT_IMAGE_URL),
                    dcc.Clipboard(target_id=ids.EXPORT_IMAGE_URL, title="Copy the image link", className="export-copy"),
                ], className="export-alt-head"),
                dcc.Input(id=ids.EXPORT_IMAGE_URL, type="text", readOnly=True, className="export-link"),
                html.Div([
                    html.Label("Embed code (an interactive chart that sizes itself)", htmlFor=ids.EXPORT_EMBED_CODE),
                    dcc.Clipboard(target_id=ids.EXPORT_EMBED_CODE, title="Copy the embed code", className="export-copy"),
                ], className="export-alt-head"),
                dcc.Textarea(id=ids.EXPORT_EMBED_CODE, readOnly=True, className=ids.EXPORT_ALT + " export-embed"),
            ], className="export-preview-column"),
        ], className="export-grid"),
    ], id=ids.EXPORT_PANEL, className="panel export-panel", **{"aria-labelledby": ids.EXPORT_HEADING})
    state = panel_state(dataset, view_to_dict(view), spec.width, spec.height, spec.scale, spec.format,
                        view.title, view.subtitle, view.note, "", preview=False)
    set_props(section, {key: value for key, value in state.items() if key[0] != ids.CHART})
    return section


def set_props(component, state: dict) -> None:
    """Give the components in a layout tree their first state, keyed by (id, property)."""
    for (component_id, prop), value in state.items():
        if getattr(component, "id", None) == component_id:
            setattr(component, prop, value)
    children = getattr(component, "children", None)
    for child in children if isinstance(children, (list, tuple)) else [children]:
        if hasattr(child, "to_plotly_json"):
            set_props(child, state)


def synced_size(changed: str, preset: str | None, width: object, height: object) -> Answer | None:
    """A preset fills in its size; typing a size selects the preset it matches, else Custom. None: an unknown
    preset, nothing to change."""
    if changed == ids.EXPORT_PRESET:
        if preset not in PRESETS:
            return None
        return {(ids.EXPORT_WIDTH, "value"): PRESETS[preset].width, (ids.EXPORT_HEIGHT, "value"): PRESETS[preset].height}
    match = next((p.key for p in PRESETS.values() if (p.width, p.height) == (width, height)), "custom")
    return {(ids.EXPORT_PRESET, "value"): match} if match != preset else {}


def links_state(settings: Settings, prefix: str, dataset: Dataset, stored: dict | None, width, height, scale, fmt,
                title, subtitle, note, credit) -> Answer:
    """The image link at the panel's size and texts, and the embed code of the view."""
    view = export_view(dataset, stored, title, subtitle, note)
    try:
        spec: ExportSpec | None = panel_spec(width, height, scale, fmt)
    except SpecError:
        spec = None
    links = publish.publish_links(settings, prefix, dataset, view, spec, (credit or "").strip())
    return {(ids.EXPORT_IMAGE_URL, "value"): links["image"] if spec else "",
            (ids.EXPORT_EMBED_CODE, "value"): links["embed"]}


def needs_answer(triggered: set[str], in_view: object) -> bool:
    """Whether a change of what the panel follows (`triggered`: the properties that fired) needs an answer:
    not every field at once (the panel was just put on the page, with this state), nor the panel going off
    screen (the preview stays as it is)."""
    if triggered >= ALL_FIELDS:
        return False
    return not (triggered == {f"{ids.EXPORT_IN_VIEW}.data"} and not in_view)


def followed_state(settings: Settings, prefix: str, dataset: Dataset, states: ResultCache[dict], fields: Fields,
                   in_view: object, chart_config_now: object) -> Answer:
    """Preview, alt text, camera button and links for the chart's view and the panel's `fields` (view, width,
    height, scale, format, title, subtitle, note, credit), remembered in `states`; the preview is drawn only
    while the panel is on screen. The chart's config only when it changes (a new one re-draws the chart)."""
    key = (dataset.identity, bool(in_view), json.dumps(list(fields), sort_keys=True, default=repr))
    state = dict(states.get(key, lambda: {**panel_state(dataset, *fields, preview=bool(in_view)),
                                          **links_state(settings, prefix, dataset, *fields)}))
    if state.get((ids.CHART, "config")) == chart_config_now:
        state.pop((ids.CHART, "config"), None)
    return state


@dataclass(frozen=True)
class Made:
    """The answer to the Download button: the file and its name, or what to tell the writer instead (and, when
    the queue is full, in how many seconds to try again)."""

    message: object  # a sentence, or NO_BROWSER's children
    data: bytes | None = None
    name: str = ""
    retry_after: int | None = None


def made_file(dataset: Dataset, fields: Fields, editor: bool, images: ImageCache | None) -> Made:
    """The file made on the server for the panel's `fields`: the same bytes the CLI writes for this view."""
    try:
        data, name = download_for(dataset, *fields, editor=editor, images=images)
    except SpecError as error:
        return Made(error.sentence())
    except QueueFull as error:
        return Made(f"Not made: {error}. Meanwhile the camera icon on the chart draws it in your browser.",
                    retry_after=error.retry_after)
    except BrowserMissing:
        return Made(NO_BROWSER)
    except RenderFailed as error:
        return Made(f"Could not make the file: {error}. Try again, or use the camera icon on the chart.")
    return Made(f"Made {name}.", data, name)


def laid_out(settings: Settings, prefix: str, dataset: Dataset, view: View) -> html.Section:
    """The panel as the page first draws it, with the links of its first view."""
    section = panel(dataset, view)
    spec = make_spec(preset=DEFAULT_PRESET)
    set_props(section, links_state(settings, prefix, dataset, view_to_dict(view), spec.width, spec.height, spec.scale,
                                   spec.format, view.title, view.subtitle, view.note, ""))
    return section


def attach(app: dash.Dash, settings: Settings, cache: DatasetCache) -> Callable[[Dataset, View], html.Section]:
    """Register the panel's callbacks on `app` (each translates to a function above); return the function
    that lays the panel out."""
    images: ImageCache = app.server.config.setdefault("IMAGE_CACHE", ImageCache(settings.image_cache_bytes))
    states: ResultCache[dict] = ResultCache()
    prefix = app.config.requests_pathname_prefix
    marks_panel.register(app, cache.get)

    @app.callback(
        Output(ids.EXPORT_PRESET, "value"), Output(ids.EXPORT_WIDTH, "value"), Output(ids.EXPORT_HEIGHT, "value"),
        Input(ids.EXPORT_PRESET, "value"), Input(ids.EXPORT_WIDTH, "value"), Input(ids.EXPORT_HEIGHT, "value"),
        prevent_initial_call=True,
    )
    def sync_size(preset, width, height):
        state = synced_size(ctx.triggered_id, text(preset, "the size"), number(width, "the width"),
                            number(height, "the height"))
        if state is None:
            raise PreventUpdate
        return outputs(state, SIZE_PROPS)

    @app.callback(
        *(Output(component, prop) for component, prop in STATE_PROPS + LINK_PROPS),
        Input(ids.EXPORT_VIEW, "data"), *(Input(i, "value") for i in FIELDS), Input(ids.EXPORT_IN_VIEW, "data"),
        State(ids.CHART, "config"),
        prevent_initial_call=True,
    )
    def update(stored, width, height, scale, fmt, title, subtitle, note, credit, in_view, chart_config_now):
        """One answer for all that follows the view and the fields: a view change is one request to the panel."""
        fields = checked_fields(stored, width, height, scale, fmt, title, subtitle, note, credit)
        if not needs_answer(set(ctx.triggered_prop_ids), in_view):
            raise PreventUpdate
        state = followed_state(settings, prefix, cache.get(), states, fields, in_view, chart_config_now)
        return outputs(state, STATE_PROPS + LINK_PROPS)

    @app.callback(
        Output(ids.EXPORT_DOWNLOAD, "data"), Output(ids.EXPORT_MESSAGE, "children", allow_duplicate=True),
        Input(ids.EXPORT_PNG, "n_clicks"), State(ids.VIEW_STORE, "data"), *(State(i, "value") for i in FIELDS),
        prevent_initial_call=True,
    )
    def download(n_clicks, stored, width, height, scale, fmt, title, subtitle, note, credit):
        fields = checked_fields(stored, width, height, scale, fmt, title, subtitle, note, credit)
        if not n_clicks:
            raise PreventUpdate
        made = made_file(cache.get(), fields, is_editor(settings), images)
        if made.retry_after is not None:
            # 200 with the message, so the page shows it (Dash drops a callback's non-200 answer);
            # Retry-After says the same to a script.
            ctx.response.set_header("Retry-After", str(made.retry_after))
        if made.data is None:
            return no_update, made.message
        return dcc.send_bytes(made.data, made.name, type=MIME[made.name.rsplit(".", 1)[1]]), made.message

    # The chart's view, mirrored into the panel, so that no callback of the panel is set off by a
    # change of the page before the panel is on it.
    app.clientside_callback("function(view) { return view; }", Output(ids.EXPORT_VIEW, "data"),
                            Input(ids.VIEW_STORE, "data"), prevent_initial_call=True)

    # dcc.Graph applies a new config only when its figure next changes: give the camera button
    # its new size now (plotly reads toImageButtonOptions from the plot's context on click).
    app.clientside_callback(
        """function(config) {
            const plot = document.querySelector('#' + window.DASHBOARD_IDS.CHART + ' .js-plotly-plot');
            if (plot && plot._context && config && config.toImageButtonOptions) {
                plot._context.toImageButtonOptions = Object.assign({}, config.toImageButtonOptions);
            }
            return window.dash_clientside.no_update;
        }""",
        Output(ids.EXPORT_CAMERA_APPLIED, "data"),
        Input(ids.CHART, "config"),
    )

    # The preview is drawn at the export's full size; assets/export_preview.js scales it to fit.
    return lambda dataset, view: laid_out(settings, prefix, dataset, view)
