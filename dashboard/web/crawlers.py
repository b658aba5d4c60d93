"""What search engines ask a site for: `/robots.txt` (crawl the pages and images, not Dash's callback
endpoints or the sign-in form) and `/sitemap.xml` (the canonical view, the page's own address,
dated by the data's last change). Each view's page also names its canonical address
(first_paint.py), so the many spellings of a link count as one page.
"""
from __future__ import annotations

from xml.sax.saxutils import escape

import dash
from flask import Response

from dashboard.config import Settings
from dashboard.core.dataset import DatasetCache, last_changed
from dashboard.web import publish

MAX_AGE_S = 3600
# Dash's own endpoints: what a crawler would find there is JSON for the page's scripts, or a POST-only route
PRIVATE = ("_dash-", "_reload-hash", "sign-in", "sign-out")


def robots_txt(prefix: str, sitemap_url: str) -> str:
    lines = ["User-agent: *", f"Allow: {prefix}"]
    lines += [f"Disallow: {prefix}{path}" for path in PRIVATE]
    return "\n".join([*lines, f"Sitemap: {sitemap_url}", ""])


def sitemap_xml(page_url: str, lastmod: str) -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"  <url><loc>{escape(page_url)}</loc><lastmod>{lastmod}</lastmod></url>\n"
            "</urlset>\n")


def attach(app: dash.Dash, settings: Settings, cache: DatasetCache) -> None:
    prefix = app.config.requests_pathname_prefix

    @app.server.get("/robots.txt")
    def robots() -> Response:
        text = robots_txt(prefix, f"{publish.public_base(settings)}{prefix}sitemap.xml")
        return Response(text, mimetype="text/plain", headers={"Cache-Control": f"public, max-age={MAX_AGE_S}"})

    @app.server.get(f"{prefix}sitemap.xml")
    def sitemap() -> Response:
        changed = last_changed(cache.get()).date().isoformat()
        text = sitemap_xml(f"{publish.public_base(settings)}{prefix}", changed)
        return Response(text, mimetype="application/xml", headers={"Cache-Control": f"public, max-age={MAX_AGE_S}"})
