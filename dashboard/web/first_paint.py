"""The page's first response carries what a reader came for: the chart (as an image of the view in
the address), the latest figures and the table of figures, as plain HTML, before any script runs.

- The page is the same component tree Dash renders later (layout.page), written out by
  static_html.py, so both are laid out alike. Dash renders the live page out of sight; boot/boot.js
  puts it in the plain page's place once its chart is drawn, in one frame.
- The chart is an `<img>` of `/chart-screen.webp?<the view's query>&width=..&height=..` in a
  `<picture>` whose sources follow the sizes of the chart's box (chart/screen_sizes.py): the image
  is the live chart's own drawing at that size, so the switch changes nothing on screen.
- React, Dash's renderer and plotly.js are listed in an inert `<template>`: boot.js loads them when
  the reader needs them (a laptop: when the page is idle; a phone: at the first touch of the chart
  or a control). A reader who only looks never pays for them.
- The images of the default view are made in the background when the server starts and whenever the
  data changes; others are made on their first request, which never holds up the page. Each is kept
  on disk for every server process (export/shared_images.py: a bounded folder), and in memory.
  Without a browser on the server there is no image: the page starts its live chart at once instead.
"""
from __future__ import annotations

import hashlib
import html
import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import dash
from flask import Flask, Response, request

from dashboard.chart.captions import default_title
from dashboard.chart.screen_sizes import EMBED_TYPICAL, PAGE_SIZES, ChartSize, box_css, size_for
from dashboard.config import Settings
from dashboard.core.dataset import Dataset, DatasetCache
from dashboard.core.memo import ResultCache
from dashboard.core.problems import DataError
from dashboard.core.view import View, resolve, view_from_link, view_from_query, view_to_query
from dashboard.export.chart_page import picture
from dashboard.export.image import BrowserMissing, RenderFailed, SpecError
from dashboard.export.image_cache import CachedImage, ImageCache
from dashboard.export.queue import ExportQueue, QueueFull, anonymous_queue, default_queue
from dashboard.export.screen_image import (
    MIME,
    SCALES,
    figure_key,
    screen_figure,
    screen_figures,
    screen_image,
    screen_size,
)
from dashboard.export.shared_images import SharedImages
from dashboard.web import ids
from dashboard.web.static_html import render_tree

SCREEN_PATH = "chart-screen.webp"
BOOT_FILE = Path(__file__).resolve().parent / "boot" / "boot.js"
THEMES = ("light", "dark")
# Made when the server starts and when the data changes, for the default view: a laptop's chart,
# the commonest phones' (390, 412 and 360 px wide) and the embed in a blog's column.
PREPARED = ((PAGE_SIZES[-1], "light", 1), (PAGE_SIZES[-1], "light", 2), (size_for(390, PAGE_SIZES), "light", 2),
            (size_for(412, PAGE_SIZES), "light", 2), (size_for(360, PAGE_SIZES), "light", 2),
            (EMBED_TYPICAL, "light", 2), (EMBED_TYPICAL, "dark", 2))
JS_NOTE = ("The interactive chart (each figure's source on hover, other parties and years) needs JavaScript. "
           "This is an image of the chart; every figure is in the table below.")
NO_IMAGE = "Drawing the chart…"
NO_IMAGE_NOSCRIPT = ("This server cannot make the chart's image, and the interactive chart needs JavaScript: "
                     "every figure is in the table below.")
STARTUP_DELAY_S = 2.0
_STYLESHEET = re.compile(r'<link rel="stylesheet" href="[^"]*?assets/([\w.-]+\.css)\?m=[^"]*">')
IMMUTABLE_MAX_AGE_S = 365 * 24 * 3600
_ANY_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.S)


def screen_url(prefix: str, view: View, size: ChartSize, theme: str = "light", version: str = "",
               scale: int = 2) -> str:
    """`/chart-screen.webp?<the view's own query>&width=W&height=H&scale=S&v=<data version>`: the
    view's query as the page's address has it (commas percent-encoded, as srcset needs), then the
    size. With the data version in it, the address names one image for good, which browsers and
    CDNs may keep."""
    query = view_to_query(view).lstrip("?").replace(",", "%2C")
    size_query = (f"width={size.width}&height={size.height}&scale={scale}" + ("&theme=dark" if theme == "dark" else "")
                  + (f"&v={version}" if version else ""))
    return f"{prefix}{SCREEN_PATH}?{query + '&' if query else ''}{size_query}"


def boot_scripts(scripts: str, renderer: str, plotly_js: str, fetches: list[str], boot_url: str, now: bool) -> str:
    """Dash's script tags (files, its inline clientside functions, its renderer) inside an inert
    `<template>`, with boot.js to run them when they are needed. Raises LookupError if dash lists
    anything else (a dash upgrade must be looked at, not guessed)."""
    rest = _ANY_SCRIPT.sub("", scripts).strip()
    if rest:
        raise LookupError(f"dash's page lists something that is not a script: {rest[:120]}")
    attributes = f' data-fetch="{html.escape(" ".join(fetches))}"' + (" data-now" if now else "")
    return (f'<template id="deferred-scripts"{attributes}><script src="{html.escape(plotly_js)}"></script>'
            f"{scripts}{renderer}</template>\n"
            f'<script src="{html.escape(boot_url)}"></script>')


class ScreenImages:
    """The chart's screen images in this server process: from memory (ImageCache), from the folder
    every process shares, or drawn (one at a time, in the export queue) and kept in both."""

    def __init__(self, memory: ImageCache, shared: SharedImages):
        self.memory = memory
        self.shared = shared
        self.browser: bool | None = None  # unknown until the first image is tried
        self.enabled = False  # prepare images in the background (set when a server starts serving)
        self._prepared: str | None = None
        self._lock = threading.Lock()

    def image(self, dataset: Dataset, view: View, size: ChartSize, theme: str = "light", scale: int = 2,
              queue: ExportQueue | None = None) -> CachedImage:
        """The image of a resolved view's chart at one of the screens' sizes, drawn if need be in `queue`
        (the editors' by default: the server's own preparing). Raises BrowserMissing, RenderFailed or
        QueueFull."""
        queue = queue or default_queue()
        key = f"screen:{theme}:{size.width}x{size.height}x{scale}{view_to_query(view)}"

        def make() -> bytes:
            figure = screen_figures(dataset, view, size)[theme] if theme == "dark" else screen_figure(dataset, view, size)
            name = figure_key(figure, size, scale)

            def draw() -> bytes:
                with queue.slot():
                    try:
                        data = screen_image(figure, size, scale)
                    except BrowserMissing:
                        self.browser = False
                        raise
                self.browser = True
                return data

            return self.shared.get_or_make(name, draw)  # made once for every process

        return self.memory.get_or_make(dataset.version, key, make)

    def prepare(self, dataset: Dataset) -> None:
        """Make the default view's images (PREPARED) if they are not made yet."""
        view = resolve(View(), dataset)
        for size, theme, scale in PREPARED:
            try:
                self.image(dataset, view, size, theme, scale)
            except BrowserMissing:
                return
            except (RenderFailed, QueueFull):
                continue

    def prepare_in_background(self, cache: DatasetCache) -> None:
        """Start preparing the images of the data as it is now, unless that is done or under way."""
        try:
            dataset = cache.get()
        except DataError:  # no good data at all: there is nothing to draw
            return
        with self._lock:
            if not self.enabled or self._prepared == dataset.version or self.browser is False:
                return
            self._prepared = dataset.version
        threading.Thread(target=self.prepare, args=(dataset,), name="first-paint-images", daemon=True).start()


class FirstPaint:
    """What the page's index gets: the plain page for the view in the address, and its scripts deferred."""

    def __init__(self, prefix: str, cache: DatasetCache, layout_for: Callable[[str, bool], Any], images: ScreenImages,
                 base: Callable[[], str], plotly_js: str, assets: Path):
        self.prefix = prefix
        self.assets = assets  # the app's assets folder: its stylesheets go into the page
        self._css: dict[str, tuple[int | None, str]] = {}
        self.cache = cache
        self.layout_for = layout_for  # (the link's query, plain) -> the page's component tree (app.py)
        self.images = images
        self.base = base  # the dashboard's public address, for the canonical link
        self.plotly_js = plotly_js  # the basic bundle's URL
        self.boot_url = f"{self.prefix}_boot/boot-{hashlib.sha256(BOOT_FILE.read_bytes()).hexdigest()[:12]}.js"
        self.pages: ResultCache[str] = ResultCache(64)

    def plain_page(self, query: str) -> tuple[str, View]:
        """The page for a link's query as plain HTML, and its resolved view."""
        dataset = self.cache.get()
        view, notices = view_from_link(query, dataset)
        with_image = self.images.browser is not False
        tree = self.layout_for(query, True)

        def make() -> str:
            title = view.title or default_title(dataset, view)
            chart = (picture(PAGE_SIZES, lambda size, theme, scale: screen_url(self.prefix, view, size, theme,
                                                                                 dataset.version, scale),
                             title, dark=False)
                     if with_image else
                     f'<p class="chart-missing">{NO_IMAGE}</p>')
            note = f'<noscript><p class="js-note">{JS_NOTE if with_image else NO_IMAGE_NOSCRIPT}</p></noscript>'
            return render_tree(tree, {"Graph": lambda _props, _renderer: chart}, after={ids.CHART_FIGURE: note})

        if tree.children and getattr(tree.children[0], "id", None) == ids.DATA_BANNER:
            return make(), view  # the banner differs by reader: not kept
        return self.pages.get((dataset.identity, view, tuple(n.text for n in notices), with_image), make), view

    def index_parts(self, parts: dict[str, str]) -> dict[str, str]:
        """Dash's index parts with the plain page in the app's entry and the scripts deferred."""
        query = request.query_string.decode("utf-8", "replace")
        try:
            page, view = self.plain_page(query)
        except DataError:  # broken, and no good version kept: the live page shows the repair notice
            return parts
        now = self.images.browser is False
        parts["app_entry"] = (
            f'<div id="first-paint" class="first-paint">{page}</div>\n'
            # without scripts the stand-ins of the controls only show the view
            '<noscript><style>.first-paint .controls { pointer-events: none; } .first-paint .controls-toggle '
            '{ display: none; }</style>'
            '</noscript>\n<p id="boot-status" class="boot-status" role="status" aria-live="polite"></p>\n'
            + parts.get("app_entry", ""))
        parts["css"] = self.inline_css(parts.get("css", "")) + f"\n<style>{box_css('.chart-box', PAGE_SIZES)}</style>"
        parts["metas"] = (parts.get("metas", "") +
                          f'\n<link rel="canonical" href="{html.escape(self.base() + self.prefix + view_to_query(view))}">')
        fetches = [f"{self.prefix}_dash-layout", f"{self.prefix}_dash-dependencies"]
        parts["scripts"] = boot_scripts(parts.get("scripts", ""), parts.get("renderer", ""), self.plotly_js, fetches,
                                        self.boot_url, now)
        parts["renderer"] = ""
        return parts

    def inline_css(self, links: str) -> str:
        """The assets' stylesheets in the page itself: a phone on a slow network paints the page a
        round trip sooner than when it must first fetch six small files (about 4 KB compressed)."""
        def inline(match: re.Match) -> str:
            path = self.assets / match.group(1)
            try:
                stamp = path.stat().st_mtime_ns
            except OSError:
                return match.group(0)
            if self._css.get(path.name, (None, ""))[0] != stamp:
                self._css[path.name] = (stamp, path.read_text(encoding="utf-8").replace("</", "<\\/"))
            return f"<style>{self._css[path.name][1]}</style>"

        return _STYLESHEET.sub(inline, links)

    def start(self) -> None:
        """The server is serving: prepare the default view's images once it has answered its first
        request (or STARTUP_DELAY_S from now), and again whenever the data changes. Not sooner: the
        first page is served before a browser is started beside it (on 2 cores, at once, both slow)."""
        self.images.enabled = True
        timer = threading.Timer(STARTUP_DELAY_S, self.images.prepare_in_background, args=(self.cache,))
        timer.daemon = True
        timer.start()


def attach(app: dash.Dash, settings: Settings, cache: DatasetCache, layout_for: Callable[[str, bool], Any],
           base: Callable[[], str], plotly_js: str) -> FirstPaint:
    """The image route, boot.js and the index hook; returns the FirstPaint (`start()` it when serving)."""
    server: Flask = app.server
    prefix = app.config.requests_pathname_prefix
    memory: ImageCache = server.config.setdefault("IMAGE_CACHE", ImageCache(settings.image_cache_bytes))
    shared = SharedImages(settings.cache_dir / "screen-images" if settings.cache_dir else None, suffix=".webp")
    images = ScreenImages(memory, shared)
    first = FirstPaint(prefix, cache, layout_for, images, base, plotly_js, Path(app.config.assets_folder))
    boot = BOOT_FILE.read_bytes()

    @server.get(first.boot_url)
    def boot_js() -> Response:
        return Response(boot, mimetype="text/javascript",
                        headers={"Cache-Control": "public, max-age=31536000, immutable"})

    @server.get(f"{prefix}{SCREEN_PATH}")
    def screen_image() -> Response:
        from dashboard.web.publish import IMAGE_MAX_AGE_S, cached_response

        dataset = cache.get()
        query = request.query_string.decode("utf-8", "replace")
        params = {k: v[-1] for k, v in parse_qs(query, keep_blank_values=True).items()}
        try:
            size = screen_size(params.get("width"), params.get("height"))
            theme, scale = params.get("theme", "light"), params.get("scale", "2")
            if theme not in THEMES:
                raise SpecError([f"theme must be light or dark, not {theme!r}"])
            if scale not in [str(s) for s in SCALES]:
                raise SpecError([f"scale must be one of {', '.join(map(str, SCALES))}, not {scale!r}"])
            # a reader's new view is a visitor's render: it shares their small budget (429 beyond it), so a
            # flood of new views cannot take the places the editors' exports and the default view's need
            entry = images.image(dataset, resolve(view_from_query(query), dataset), size, theme, int(scale),
                                 anonymous_queue())
        except SpecError as error:
            return Response("; ".join(error.messages).capitalize() + ".\n", status=400, mimetype="text/plain")
        except QueueFull as error:
            return Response(f"{str(error).capitalize()}.\n", status=429, mimetype="text/plain",
                            headers={"Retry-After": str(error.retry_after)})
        except BrowserMissing as error:
            return Response(f"This server cannot make images: {error}\n", status=503, mimetype="text/plain")
        except RenderFailed as error:
            return Response(f"Could not make the image: {error}\n", status=503, mimetype="text/plain",
                            headers={"Retry-After": "10"})
        if params.get("v") != dataset.version:  # an address without the data's version: revalidated
            return cached_response(entry, MIME, IMAGE_MAX_AGE_S)
        response = cached_response(entry, MIME, IMMUTABLE_MAX_AGE_S)
        response.cache_control.immutable = True  # the version names the data: this address never shows another
        return response

    @server.after_request
    def follow_the_data(response: Response) -> Response:
        if images.enabled:  # once the answer is sent: a stat of the data file, a thread only when it changed
            response.call_on_close(lambda: images.prepare_in_background(cache))
        return response

    server.config["FIRST_PAINT"] = first
    return first


def start(app: dash.Dash) -> None:
    """Called by `membership serve` and the WSGI entry point once the app is made."""
    first = app.server.config.get("FIRST_PAINT")
    if first is not None:
        first.start()

