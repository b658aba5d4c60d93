"""Absolute addresses the app writes into what it publishes (link previews, embed codes)."""
from __future__ import annotations

from urllib.parse import urlsplit


def base_url(text: str) -> str:
    """An absolute http(s) address without its trailing slash, for links made from it (the
    dashboard's public address, build-site's --base-url); ValueError says what is wrong."""
    url = text.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ValueError(f"{text!r} is not an absolute http(s) address like https://example.org/charts "
                         "(no query or #fragment)")
    return url
