"""Routes for publishing where readers are: the chart image at a stable URL, the chart page that an
embed frames (with its "Get the data" download of the view's figures), and the link-preview tags
in the page's first HTML.

Only translation lives here (query string -> core call -> response with cache headers); the images,
pages and tags are made by dashboard/export, the same code the Export panel and build-site use.
"""
from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import dash
from flask import Response, g, request

from dashboard.chart import plotly_bundle
from dashboard.chart.screen_sizes import EMBED_SIZES, ChartSize
from dashboard.config import Settings
from dashboard.core.dataset import Dataset, DatasetCache, last_changed
from dashboard.core.problems import DataError
from dashboard.core.view import View, resolve, view_from_query, view_to_query
from dashboard.export.chart_page import (
    SCRIPT_NAME,
    PageLinks,
    chart_page,
    chart_title,
    embed_snippet,
    figures_script,
    page_script,
)
from dashboard.export.data_download import figures_csv, figures_xlsx, view_about
from dashboard.export.image import (
    BrowserMissing,
    ExportSpec,
    RenderFailed,
    SpecError,
    anonymous_limit,
    export_image,
    filename_for,
    make_spec,
)
from dashboard.export.image_cache import CachedImage, ImageCache
from dashboard.export.image_url import image_path, image_request, preview_image_path
from dashboard.export.previews import preview_tags
from dashboard.export.queue import QueueFull, anonymous_queue
from dashboard.export.screen_image import screen_figures
from dashboard.web import security

EMBED_PATH = "embed"  # the only page meant to be framed by other sites (see embed_paths)
IMAGE_MAX_AGE_S = 600  # a reader sees new figures at most 10 minutes after an import; then a cheap 304
PAGE_MAX_AGE_S = 300
ASSET_MAX_AGE_S = 86400
MIME = {"png": "image/png", "svg": "image/svg+xml"}
PAGE_CACHE_BYTES = 8 * 1024 * 1024


def embed_paths(prefix: str = "/") -> tuple[str, ...]:
    """The paths other sites may frame (for a frame-ancestors / X-Frame-Options rule)."""
    return (f"{prefix}{EMBED_PATH}",)


def public_base(settings: Settings) -> str:
    """The dashboard's address as readers reach it: MEMBERSHIP_PUBLIC_URL, else this request's. A
    response built from the request's Host then varies by Host and is never cached publicly
    (security.py), so a forged Host cannot poison a shared cache."""
    if settings.public_url:
        return settings.public_url
    g.host_shaped = True
    return request.url_root.rstrip("/")


def view_of_request(dataset: Dataset) -> View:
    return resolve(view_from_query(request.query_string.decode("utf-8", "replace")), dataset)


def cached_response(entry: CachedImage, mimetype: str, max_age: int) -> Response:
    """The bytes with a strong ETag; an If-None-Match that matches gets 304 with no body."""
    response = Response(entry.data, mimetype=mimetype)
    response.set_etag(entry.etag.strip('"'))
    response.cache_control.public = True
    response.cache_control.max_age = max_age
    response.make_conditional(request)  # turns itself into a 304 when the tag matches
    return response


FIGURES_NAME = "figures.js"


def page_links(base: str, prefix: str, view: View, images: bool = True, version: str = "") -> PageLinks:
    """The embed's files: its images are the page's screen images (first_paint.screen_url), drawn
    on request; `images` False when this server has no browser to draw them."""
    from dashboard.web.first_paint import screen_url

    query = view_to_query(view)
    figures = f"{prefix}{EMBED_PATH}/{FIGURES_NAME}{query}{'&' if query else '?'}"
    return PageLinks(plotly_js=f"{prefix}{EMBED_PATH}/plotly.min.js", script=f"{prefix}{EMBED_PATH}/{SCRIPT_NAME}",
                     figures=lambda size: f"{figures}width={size.width}",
                     image=(lambda size, theme, scale: screen_url(prefix, view, size, theme, version, scale))
                     if images else None,
                     data=f"{prefix}data/view.csv{query}", more=f"{base}{prefix}{query}")


def embed_url(base: str, prefix: str, view: View) -> str:
    return f"{base}{prefix}{EMBED_PATH}{view_to_query(view)}"


def preview_meta(settings: Settings, prefix: str, dataset: Dataset, view: View) -> str:
    base = public_base(settings)
    return preview_tags(dataset, view, f"{base}{prefix}{view_to_query(view)}", f"{base}{prefix}{preview_image_path(view)}")


def publish_links(settings: Settings, prefix: str, dataset: Dataset, view: View, spec: ExportSpec | None = None,
                  credit: str = "") -> dict[str, str]:
    """The image URL (at the Export panel's size and credit) and the embed code for a view."""
    base = public_base(settings)
    spec = spec or make_spec()
    return {"image": f"{base}{prefix}{image_path(view, spec, credit)}",
            "embed": embed_snippet(embed_url(base, prefix, view), chart_title(dataset, view))}


@dataclass(frozen=True)
class Refusal:
    """An answer that is not what was asked for: its status, its one line for a person, and after how many
    seconds a retry may work (None: not worth retrying as it is)."""

    status: int
    text: str
    retry_after: int | None = None


def chart_image(dataset: Dataset, query: str, fmt: str, images: ImageCache) -> CachedImage | Refusal:
    """The image a public URL asks for (always at a visitor's size, from the visitors' small budget, then 429),
    made once per data version and query; or why not."""
    try:
        asked = image_request(query, fmt, dataset)
        limit = anonymous_limit(asked.spec)
        if limit:
            raise SpecError([limit])

        def make() -> bytes:
            with anonymous_queue().slot():
                return export_image(dataset, asked.view, asked.spec, asked.credit)

        return images.get_or_make(dataset.version, asked.key, make)
    except QueueFull as error:
        return Refusal(429, f"{str(error).capitalize()}.", error.retry_after)
    except SpecError as error:
        return Refusal(400, error.sentence())
    except BrowserMissing as error:
        return Refusal(503, f"This server cannot make images: {error}")
    except RenderFailed as error:
        return Refusal(503, f"Could not make the image: {error}", 10)


def refused(refusal: Refusal) -> Response:
    headers = {"Retry-After": str(refusal.retry_after)} if refusal.retry_after is not None else None
    return Response(refusal.text + "\n", status=refusal.status, mimetype="text/plain", headers=headers)


def draws_screen_images(first_paint: Any) -> bool:
    """Whether the embed may point at the page's screen images: not when this server knows it has no browser."""
    return first_paint is None or first_paint.images.browser is not False


def embed_page(pages: ImageCache, dataset: Dataset, view: View, base: str, prefix: str, images: bool,
               meta: Callable[[], str]) -> CachedImage:
    """The embed's page for a view, made once per data version, address and whether it has images; `meta`
    gives its link-preview tags."""

    def make() -> bytes:
        tags = meta()
        links = page_links(base, prefix, view, images, dataset.version)
        return chart_page(dataset, view, make_spec(), links, meta=tags).encode("utf-8")

    return pages.get_or_make(dataset.version, f"{base}{view_to_query(view)}:{images}", make)


def embed_size(width: str) -> ChartSize | Refusal:
    """The embed's size of this width, or 400 naming the widths there are."""
    size = next((s for s in EMBED_SIZES if str(s.width) == width), None)
    if size is None:
        return Refusal(400, f"width must be one of {', '.join(str(s.width) for s in EMBED_SIZES)}.")
    return size


def embed_figures(pages: ImageCache, dataset: Dataset, view: View, size: ChartSize) -> CachedImage:
    """The script holding the embed's figures for a view at one size, made once per data version."""
    return pages.get_or_make(dataset.version, f"figures:{size.width}{view_to_query(view)}",
                             lambda: figures_script(screen_figures(dataset, view, size), size).encode("utf-8"))


class Routes:
    """The publishing routes of one app. Each only translates: it reads the request, calls a function above
    or in dashboard/export, and answers with cache headers."""

    def __init__(self, app: dash.Dash, settings: Settings, cache: DatasetCache):
        # One image cache per process, shared with the Export panel's downloads (the same bytes for the same view)
        self.images: ImageCache = app.server.config.setdefault("IMAGE_CACHE", ImageCache(settings.image_cache_bytes))
        self.pages = ImageCache(min(settings.image_cache_bytes, PAGE_CACHE_BYTES))
        self.settings, self.cache, self.server = settings, cache, app.server
        self.prefix = app.config.requests_pathname_prefix
        self.script = page_script().encode("utf-8")
        self.plotly_js: list[bytes] = []  # the basic bundle, as the page's (scatter and bar are all it draws); read on first use

    def chart_image(self, fmt: str) -> Response:
        answer = chart_image(self.cache.get(), request.query_string.decode("utf-8", "replace"), fmt, self.images)
        return refused(answer) if isinstance(answer, Refusal) else cached_response(answer, MIME[fmt], IMAGE_MAX_AGE_S)

    def embed_page(self) -> Response:
        dataset = self.cache.get()
        view = view_of_request(dataset)
        base = public_base(self.settings)
        images = draws_screen_images(self.server.config.get("FIRST_PAINT"))
        entry = embed_page(self.pages, dataset, view, base, self.prefix, images,
                           lambda: preview_meta(self.settings, self.prefix, dataset, view))
        return cached_response(entry, "text/html", PAGE_MAX_AGE_S)

    def embed_figures(self) -> Response:
        dataset = self.cache.get()
        view = view_of_request(dataset)
        size = embed_size(request.args.get("width", ""))
        if isinstance(size, Refusal):
            return refused(size)
        return cached_response(embed_figures(self.pages, dataset, view, size), "text/javascript", PAGE_MAX_AGE_S)

    def embed_script(self) -> Response:
        return _asset(self.script, "text/javascript")

    def embed_plotly(self) -> Response:
        if not self.plotly_js:
            self.plotly_js.append(plotly_bundle.bundle_bytes())
        return _asset(self.plotly_js[0], "text/javascript")

    def view_csv(self) -> Response:
        dataset = self.cache.get()
        view = view_of_request(dataset)
        return Response(figures_csv(dataset, view), mimetype="text/csv",
                        headers={"Content-Disposition": f"attachment; filename={_stem(view)}.csv"})

    def view_xlsx(self) -> Response:
        dataset = self.cache.get()
        view = view_of_request(dataset)
        address = f"{public_base(self.settings)}{self.prefix}{view_to_query(view)}"
        return Response(figures_xlsx(dataset, view, view_about(dataset, view, address, last_changed(dataset))),
                        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        headers={"Content-Disposition": f"attachment; filename={_stem(view)}.xlsx"})

    def index_with_previews(self, interpolate: Callable[..., str], **parts: str) -> str:
        """Crawlers read the page's first HTML and run no script: the tags for the view in the address go into
        that response (Dash calls interpolate_index for every page request)."""
        try:
            dataset = self.cache.get()
        except DataError:  # the data is being corrected: the page says so, with no preview of a chart
            return interpolate(**parts)
        tags = preview_meta(self.settings, self.prefix, dataset, view_of_request(dataset))
        parts["metas"] = parts.get("metas", "") + "\n" + tags
        return interpolate(**parts)


def attach(app: dash.Dash, settings: Settings, cache: DatasetCache) -> None:
    """Add the routes and the link-preview tags to `app`."""
    routes = Routes(app, settings, cache)
    prefix = routes.prefix
    security.allow_framing(f"{prefix}{EMBED_PATH}")  # the embed is meant to sit in other sites' pages
    for rule, endpoint, view_function in (
            (f"{prefix}chart.png", "chart_png", lambda: routes.chart_image("png")),
            (f"{prefix}chart.svg", "chart_svg", lambda: routes.chart_image("svg")),
            (f"{prefix}{EMBED_PATH}", "embed_page", routes.embed_page),
            (f"{prefix}{EMBED_PATH}/{FIGURES_NAME}", "embed_figures", routes.embed_figures),
            (f"{prefix}{EMBED_PATH}/{SCRIPT_NAME}", "embed_script", routes.embed_script),
            (f"{prefix}{EMBED_PATH}/plotly.min.js", "embed_plotly", routes.embed_plotly),
            (f"{prefix}data/view.csv", "view_csv", routes.view_csv),
            (f"{prefix}data/view.xlsx", "view_xlsx", routes.view_xlsx)):
        app.server.add_url_rule(rule, endpoint, view_function, methods=["GET"])
    app.interpolate_index = functools.partial(routes.index_with_previews, app.interpolate_index)


def _asset(data: bytes, mimetype: str) -> Response:
    return cached_response(CachedImage(data, _etag(data), 0.0), mimetype, ASSET_MAX_AGE_S)


def _etag(data: bytes) -> str:
    return '"' + hashlib.sha256(data).hexdigest()[:32] + '"'


def _stem(view: View) -> str:
    """labour-membership-1989-2024: the name the image of the view has, for its data files."""
    return filename_for(view, "csv").rsplit(".", 1)[0]
