"""Routes for publishing where readers are: the chart image at a stable URL, the chart page that an
embed frames (with its "Get the data" download of the view's figures), and the link-preview tags
in the page's first HTML.

Only translation lives here (query string -> core call -> response with cache headers); the images,
pages and tags are made by dashboard/export, the same code the Export panel and build-site use.
"""
from __future__ import annotations

import hashlib

import dash
from flask import Response, g, request

from dashboard.chart import plotly_bundle
from dashboard.chart.screen_sizes import EMBED_SIZES
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


def attach(app: dash.Dash, settings: Settings, cache: DatasetCache) -> None:
    """Add the routes and the link-preview tags to `app`."""
    # One image cache per process, shared with the Export panel's downloads (the same bytes for the same view)
    images: ImageCache = app.server.config.setdefault("IMAGE_CACHE", ImageCache(settings.image_cache_bytes))
    pages = ImageCache(min(settings.image_cache_bytes, PAGE_CACHE_BYTES))
    prefix = app.config.requests_pathname_prefix
    server = app.server
    security.allow_framing(f"{prefix}{EMBED_PATH}")  # the embed is meant to sit in other sites' pages

    def chart_image(fmt: str) -> Response:
        dataset = cache.get()
        try:
            asked = image_request(request.query_string.decode("utf-8", "replace"), fmt, dataset)
            limit = anonymous_limit(asked.spec)  # a public URL: always a visitor's size
            if limit:
                raise SpecError([limit])

            def make() -> bytes:
                with anonymous_queue().slot():  # a public URL: the visitors' small budget, then 429
                    return export_image(dataset, asked.view, asked.spec, asked.credit)

            entry = images.get_or_make(dataset.version, asked.key, make)
        except QueueFull as error:
            return Response(f"{str(error).capitalize()}.\n", status=429, mimetype="text/plain",
                            headers={"Retry-After": str(error.retry_after)})
        except SpecError as error:
            return Response(error.sentence() + "\n", status=400, mimetype="text/plain")
        except BrowserMissing as error:
            return Response(f"This server cannot make images: {error}\n", status=503, mimetype="text/plain")
        except RenderFailed as error:
            return Response(f"Could not make the image: {error}\n", status=503, mimetype="text/plain",
                            headers={"Retry-After": "10"})
        return cached_response(entry, MIME[fmt], IMAGE_MAX_AGE_S)

    server.add_url_rule(f"{prefix}chart.png", "chart_png", lambda: chart_image("png"))
    server.add_url_rule(f"{prefix}chart.svg", "chart_svg", lambda: chart_image("svg"))

    @server.get(f"{prefix}{EMBED_PATH}")
    def embed_page():
        dataset = cache.get()
        view = view_of_request(dataset)
        base = public_base(settings)
        first = server.config.get("FIRST_PAINT")
        images = first is None or first.images.browser is not False

        def make() -> bytes:
            meta = preview_meta(settings, prefix, dataset, view)
            links = page_links(base, prefix, view, images, dataset.version)
            return chart_page(dataset, view, make_spec(), links, meta=meta).encode("utf-8")

        entry = pages.get_or_make(dataset.version, f"{base}{view_to_query(view)}:{images}", make)
        return cached_response(entry, "text/html", PAGE_MAX_AGE_S)

    @server.get(f"{prefix}{EMBED_PATH}/{FIGURES_NAME}")
    def embed_figures():
        dataset = cache.get()
        view = view_of_request(dataset)
        width = request.args.get("width", "")
        size = next((s for s in EMBED_SIZES if str(s.width) == width), None)
        if size is None:
            return Response(f"width must be one of {', '.join(str(s.width) for s in EMBED_SIZES)}.\n", status=400,
                            mimetype="text/plain")
        entry = pages.get_or_make(dataset.version, f"figures:{size.width}{view_to_query(view)}",
                                  lambda: figures_script(screen_figures(dataset, view, size), size).encode("utf-8"))
        return cached_response(entry, "text/javascript", PAGE_MAX_AGE_S)

    script = page_script().encode("utf-8")

    def asset(data: bytes, mimetype: str) -> Response:
        return cached_response(CachedImage(data, _etag(data), 0.0), mimetype, ASSET_MAX_AGE_S)

    @server.get(f"{prefix}{EMBED_PATH}/{SCRIPT_NAME}")
    def embed_script():
        return asset(script, "text/javascript")

    plotly_js: list[bytes] = []  # the basic bundle, as the page's (scatter and bar are all it draws); read on first use

    @server.get(f"{prefix}{EMBED_PATH}/plotly.min.js")
    def embed_plotly():
        if not plotly_js:
            plotly_js.append(plotly_bundle.bundle_bytes())
        return asset(plotly_js[0], "text/javascript")

    @server.get(f"{prefix}data/view.csv")
    def view_csv():
        dataset = cache.get()
        view = view_of_request(dataset)
        return Response(figures_csv(dataset, view), mimetype="text/csv",
                        headers={"Content-Disposition": f"attachment; filename={_stem(view)}.csv"})

    @server.get(f"{prefix}data/view.xlsx")
    def view_xlsx():
        dataset = cache.get()
        view = view_of_request(dataset)
        about = view_about(dataset, view, f"{public_base(settings)}{prefix}{view_to_query(view)}", last_changed(dataset))
        return Response(figures_xlsx(dataset, view, about),
                        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        headers={"Content-Disposition": f"attachment; filename={_stem(view)}.xlsx"})

    # Crawlers read the page's first HTML and run no script: the tags for the view in the address
    # go into that response (Dash calls interpolate_index for every page request).
    interpolate = app.interpolate_index

    def interpolate_with_previews(**parts: str) -> str:
        try:
            dataset = cache.get()
        except DataError:  # the data is being corrected: the page says so, with no preview of a chart
            return interpolate(**parts)
        parts["metas"] = parts.get("metas", "") + "\n" + preview_meta(settings, prefix, dataset, view_of_request(dataset))
        return interpolate(**parts)

    app.interpolate_index = interpolate_with_previews


def _etag(data: bytes) -> str:
    return '"' + hashlib.sha256(data).hexdigest()[:32] + '"'


def _stem(view: View) -> str:
    """labour-membership-1989-2024: the name the image of the view has, for its data files."""
    return filename_for(view, "csv").rsplit(".", 1)[0]
