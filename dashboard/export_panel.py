"""The page's "Export" panel: its layout and its callbacks, translating components to the export core.

The panel exports the view the chart shows (the page's `view-store`), with the title, subtitle
and note edited here; the Download button makes the file on the server with `export_image`, so
it is byte for byte the file `membership export` writes for the same view. The chart's own camera
button is set to the chosen size as the quick path that needs nothing on the server.
"""
from __future__ import annotations

from dataclasses import replace

import dash
from dash import Input, Output, State, ctx, dcc, html, no_update

from . import renderer
from .alt_text import alt_text
from .config import Settings
from .dataset import Dataset, DatasetCache
from .export import (DEFAULT_PRESET, MAX_SIDE, MIN_SIDE, PRESETS, BrowserMissing, ExportSpec, RenderFailed,
                     SpecError, export_figure, export_image, filename_for, make_spec)
from .figures import default_subtitle, default_title
from .layout import CHART_ID, GRAPH_CONFIG
from .selection import shown_figures
from .view import View, resolve, view_from_dict

MIME = {"png": "image/png", "svg": "image/svg+xml"}
FIELDS = ("export-width", "export-height", "export-scale", "export-format",
          "export-title", "export-subtitle", "export-note", "export-credit")
NO_BROWSER = [html.Strong("The server cannot make image files: "),
              renderer.INSTALL_HINT[0].upper() + renderer.INSTALL_HINT[1:] + ". ",
              "Meanwhile the camera icon above the chart downloads a PNG made in your own browser."]


def export_view(dataset: Dataset, stored: dict | None, title: str | None, subtitle: str | None,
                note: str | None) -> View:
    """The chart's view (as the page stores it) with the panel's texts; empty means the view's own."""
    view = view_from_dict(stored or {})
    view = replace(view, title=(title or "").strip() or view.title, subtitle=(subtitle or "").strip() or view.subtitle,
                   note=(note or "").strip() or view.note)
    return resolve(view, dataset)


def panel_spec(width, height, scale, fmt) -> ExportSpec:
    """make_spec for the form: an emptied size box is a message, not a silent default size."""
    empty = [name for name, value in (("width", width), ("height", height)) if value in (None, "")]
    if empty:
        raise SpecError([f"{name} is empty: type a number of pixels" for name in empty])
    return make_spec(width, height, scale, fmt)


def download_for(dataset: Dataset, stored: dict | None, width, height, scale, fmt, title=None, subtitle=None,
                 note=None, credit=None) -> tuple[bytes, str]:
    """The file and its name for the panel's fields. Raises SpecError, BrowserMissing or RenderFailed."""
    spec = panel_spec(width, height, scale, fmt)
    view = export_view(dataset, stored, title, subtitle, note)
    return export_image(dataset, view, spec, (credit or "").strip()), filename_for(view, spec.format)


def camera_config(view: View, spec: ExportSpec) -> dict:
    """The chart's config with its camera button set to the chosen size (drawn in the reader's browser)."""
    name = filename_for(view, spec.format).rsplit(".", 1)[0]
    return {**GRAPH_CONFIG, "toImageButtonOptions": {"format": spec.format, "width": spec.width,
                                                     "height": spec.height, "scale": spec.scale, "filename": name}}


def preview_figure(dataset: Dataset, view: View, spec: ExportSpec, credit: str):
    """The exported figure at its full layout size; the page scales it down to fit."""
    figure = export_figure(dataset, view, spec, credit)
    figure.update_layout(width=spec.width, height=spec.height)
    return figure


def default_texts(dataset: Dataset, view: View) -> tuple[str, str]:
    """The title and subtitle the image gets when the fields are left empty (their placeholders)."""
    shown = shown_figures(dataset, view)
    return default_title(dataset, view), default_subtitle(view, bool((shown["as_of"] != "").any()))


def _field(label: str, component, hint: str | None = None) -> html.Div:
    return html.Div([html.Label(label, htmlFor=component.id), component,
                     *([html.Span(hint, className="hint")] if hint else [])], className="export-field")


def panel(dataset: Dataset, view: View) -> html.Section:
    """The panel for the page's first view (its callbacks keep it in step with the chart)."""
    spec = make_spec(preset=DEFAULT_PRESET)
    browser = renderer.find_browser()
    if browser:
        renderer.warm_up_in_background()
    size_options = [{"label": p.label, "value": p.key} for p in PRESETS.values()]
    size_options.append({"label": "Custom", "value": "custom"})
    # no min/max on the inputs: the browser would silently keep the last valid size, while the
    # server says what is wrong with an out-of-bounds one
    number = {"type": "number", "step": 1, "debounce": True, "className": "export-number"}
    text = {"type": "text", "debounce": True, "maxLength": 300, "className": "export-text"}
    title, subtitle = default_texts(dataset, view)
    return html.Section([
        html.H2("Export for a blog post", id="export-heading"),
        html.Div(NO_BROWSER, id="export-browser", className="export-notice", hidden=bool(browser)),
        html.Div([
            html.Div([
                html.Fieldset([
                    html.Legend("Size"),
                    dcc.RadioItems(id="export-preset", options=size_options, value=DEFAULT_PRESET,
                                   className="export-choices", inline=True),
                    html.Div([
                        _field("Width", dcc.Input(id="export-width", value=spec.width, **number)),
                        html.Span("×", className="times", **{"aria-hidden": "true"}),
                        _field("Height", dcc.Input(id="export-height", value=spec.height, **number)),
                        html.Span(f"pixels, {MIN_SIDE}–{MAX_SIDE}", className="hint"),
                    ], className="export-size"),
                ]),
                html.Div([
                    html.Fieldset([html.Legend("Sharpness"),
                                   dcc.RadioItems(id="export-scale", options=[{"label": "1×", "value": 1},
                                                                              {"label": "2× (retina)", "value": 2}],
                                                  value=spec.scale, inline=True, className="export-choices")]),
                    html.Fieldset([html.Legend("Format"),
                                   dcc.RadioItems(id="export-format", options=[{"label": "PNG", "value": "png"},
                                                                               {"label": "SVG", "value": "svg"}],
                                                  value=spec.format, inline=True, className="export-choices")]),
                ], className="export-row"),
                _field("Title", dcc.Input(id="export-title", value=view.title,
                                          placeholder=title, **text)),
                _field("Subtitle", dcc.Input(id="export-subtitle", value=view.subtitle,
                                             placeholder=subtitle, **text)),
                _field("Note (optional)", dcc.Input(id="export-note", value=view.note,
                                                    placeholder="e.g. 2024 figure is provisional", **text)),
                _field("Credit (optional)", dcc.Input(id="export-credit", value="",
                                                      placeholder="e.g. Chart: your name / your blog", **text)),
                html.Div([
                    html.Button("Download PNG", id="export-png", className="export-button", n_clicks=0),
                    dcc.Download(id="export-download"),
                    dcc.Store(id="export-camera-applied"),
                    dcc.Loading(html.Div(id="export-message", className="export-message", role="status"),
                                type="dot", delay_show=300),
                ], className="export-actions"),
            ], className="export-controls"),
            html.Div([
                html.Div(html.Div(dcc.Graph(id="export-preview", config={"staticPlot": True, "responsive": False}),
                                  id="export-preview-inner", className="export-preview-inner"),
                         id="export-preview-frame", className="export-preview-frame",
                         style={"aspectRatio": f"{spec.width} / {spec.height}"}),
                html.P(id="export-size-note", className="hint"),
                html.Div([
                    html.Label("Alt text to paste under the image", htmlFor="export-alt"),
                    dcc.Clipboard(target_id="export-alt", title="Copy the alt text", className="export-copy"),
                ], className="export-alt-head"),
                dcc.Textarea(id="export-alt", readOnly=True, className="export-alt"),
            ], className="export-preview-column"),
        ], className="export-grid"),
    ], id="export-panel", className="panel export-panel", **{"aria-labelledby": "export-heading"})


def attach(app: dash.Dash, settings: Settings, cache: DatasetCache):
    """Register the panel's callbacks on `app`; return the function that lays the panel out."""

    @app.callback(
        Output("export-preset", "value"), Output("export-width", "value"), Output("export-height", "value"),
        Input("export-preset", "value"), Input("export-width", "value"), Input("export-height", "value"),
        prevent_initial_call=True,
    )
    def sync_size(preset, width, height):
        """A preset fills in its size; typing a size selects the preset it matches, else Custom."""
        if ctx.triggered_id == "export-preset":
            if preset in PRESETS:
                return no_update, PRESETS[preset].width, PRESETS[preset].height
            raise dash.exceptions.PreventUpdate
        match = next((p.key for p in PRESETS.values() if (p.width, p.height) == (width, height)), "custom")
        return (match if match != preset else no_update), no_update, no_update

    @app.callback(
        Output("export-preview", "figure"), Output("export-preview", "style"),
        Output("export-preview-frame", "style"), Output("export-size-note", "children"),
        Output("export-alt", "value"), Output(CHART_ID, "config"), Output("export-png", "children"),
        Output("export-png", "disabled"), Output("export-message", "children"),
        Output("export-title", "placeholder"), Output("export-subtitle", "placeholder"),
        Input("view-store", "data"), *(Input(i, "value") for i in FIELDS),
    )
    def update(stored, width, height, scale, fmt, title, subtitle, note, credit):
        """Preview, alt text and camera button follow the chart's view and the panel's fields."""
        dataset = cache.get()
        view = export_view(dataset, stored, title, subtitle, note)
        placeholders = default_texts(dataset, view)
        try:
            spec = panel_spec(width, height, scale, fmt)
            figure = preview_figure(dataset, view, spec, (credit or "").strip())
        except SpecError as error:
            return (no_update, no_update, no_update, no_update, alt_text(dataset, view), no_update,
                    f"Download {str(fmt or 'png').upper()}", True, "; ".join(error.messages).capitalize() + ".",
                    *placeholders)
        pixels = f"{spec.pixel_size[0]}×{spec.pixel_size[1]} pixels" if spec.format == "png" else "scalable"
        note_text = f"Preview of {filename_for(view, spec.format)}: {spec.width}×{spec.height}, {pixels}."
        return (figure, {"width": f"{spec.width}px", "height": f"{spec.height}px"},
                {"aspectRatio": f"{spec.width} / {spec.height}"}, note_text, alt_text(dataset, view),
                camera_config(view, spec), f"Download {spec.format.upper()}", False, "", *placeholders)

    @app.callback(
        Output("export-download", "data"), Output("export-message", "children", allow_duplicate=True),
        Input("export-png", "n_clicks"), State("view-store", "data"), *(State(i, "value") for i in FIELDS),
        prevent_initial_call=True,
    )
    def download(n_clicks, stored, width, height, scale, fmt, title, subtitle, note, credit):
        """The file made on the server: the same bytes the CLI writes for this view."""
        if not n_clicks:
            raise dash.exceptions.PreventUpdate
        try:
            data, name = download_for(cache.get(), stored, width, height, scale, fmt, title, subtitle, note, credit)
        except SpecError as error:
            return no_update, "; ".join(error.messages).capitalize() + "."
        except BrowserMissing:
            return no_update, NO_BROWSER
        except RenderFailed as error:
            return no_update, f"Could not make the file: {error}. Try again, or use the camera icon on the chart."
        return dcc.send_bytes(data, name, type=MIME[name.rsplit(".", 1)[1]]), f"Made {name}."

    # dcc.Graph applies a new config only when its figure next changes: give the camera button
    # its new size now (plotly reads toImageButtonOptions from the plot's context on click).
    app.clientside_callback(
        """function(config) {
            const plot = document.querySelector('#CHART_ID .js-plotly-plot');
            if (plot && plot._context && config && config.toImageButtonOptions) {
                plot._context.toImageButtonOptions = Object.assign({}, config.toImageButtonOptions);
            }
            return window.dash_clientside.no_update;
        }""".replace("CHART_ID", CHART_ID),
        Output("export-camera-applied", "data"),
        Input(CHART_ID, "config"),
    )

    # The preview is drawn at the export's full size and scaled to the width the panel has.
    app.clientside_callback(
        """function(figure) {
            const frame = document.getElementById('export-preview-frame');
            const inner = document.getElementById('export-preview-inner');
            if (!frame || !inner || !figure || !figure.layout) { return window.dash_clientside.no_update; }
            const fit = () => {
                const k = frame.clientWidth / figure.layout.width;
                inner.style.transform = 'scale(' + k + ')';
            };
            fit();
            if (!frame._exportObserver && window.ResizeObserver) {
                frame._exportObserver = new ResizeObserver(() => {
                    const w = inner.querySelector('.js-plotly-plot');
                    const width = w && w.layout ? w.layout.width : null;
                    if (width) { inner.style.transform = 'scale(' + frame.clientWidth / width + ')'; }
                });
                frame._exportObserver.observe(frame);
            }
            return window.dash_clientside.no_update;
        }""",
        Output("export-preview-inner", "className"),
        Input("export-preview", "figure"),
    )
    return panel
