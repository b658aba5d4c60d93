"""Link previews: the Open Graph and Twitter card tags that make a pasted link show the chart, its
title and its description on social sites and in chat apps. Their crawlers read the page's first
HTML response and run no JavaScript, so the tags are written into that response, for its view."""
from __future__ import annotations

import html
import textwrap

from dashboard.chart.alt_text import alt_text
from dashboard.chart.captions import default_title
from dashboard.core.dataset import Dataset
from dashboard.core.view import View
from dashboard.export.image_url import PREVIEW_SIZE

SITE_NAME = "British party membership"
MAX_DESCRIPTION = 300  # social sites cut descriptions long before this; the alt text can be longer


def description(dataset: Dataset, view: View) -> str:
    """The alt text, shortened at a word to fit a preview card."""
    return textwrap.shorten(alt_text(dataset, view), MAX_DESCRIPTION, placeholder=" …")


def preview_tags(dataset: Dataset, view: View, page_url: str | None, image_url: str | None) -> str:
    """<meta> tags for a resolved view; the URLs must be absolute (crawlers ignore relative ones),
    so a tag whose URL is None is left out. Every value is escaped."""
    title = view.title or default_title(dataset, view)
    text = description(dataset, view)
    tags: list[tuple[str, str, str]] = [
        ("property", "og:type", "website"),
        ("property", "og:site_name", SITE_NAME),
        ("property", "og:title", title),
        ("property", "og:description", text),
        ("name", "description", text),
        ("name", "twitter:card", "summary_large_image" if image_url else "summary"),
        ("name", "twitter:title", title),
        ("name", "twitter:description", text),
    ]
    if page_url:
        tags.append(("property", "og:url", page_url))
    if image_url:
        width, height = PREVIEW_SIZE
        alt = textwrap.shorten(alt_text(dataset, view), 420, placeholder=" …")
        tags += [("property", "og:image", image_url), ("property", "og:image:type", "image/png"),
                 ("property", "og:image:width", str(width)), ("property", "og:image:height", str(height)),
                 ("property", "og:image:alt", alt), ("name", "twitter:image", image_url),
                 ("name", "twitter:image:alt", alt)]
    return "".join(f'<meta {kind}="{html.escape(key)}" content="{html.escape(value)}">\n' for kind, key, value in tags)
