"""The plotly.js that draws the house chart in a browser: plotly's official basic bundle.

The plotly package ships the full plotly.js (4.8 MB: maps, 3D, WebGL, finance); the chart uses
scatter traces only, which the basic bundle (1.2 MB: scatter, bar, pie) draws with the same code,
hover, modebar and camera button. It is the npm package below, committed unchanged under vendor/
so that a wheel, a bare machine and the static site have it without npm or a network; refresh it
with `bash manage.sh vendor-plotly`, which fetches the pinned version with npm and checks it.
"""
from __future__ import annotations

from pathlib import Path

NPM_PACKAGE = "plotly.js-basic-dist-min"
VERSION = "4.1.1"
# The package's integrity as the npm registry publishes it (`npm view NAME@VERSION dist.integrity`).
NPM_INTEGRITY = "sha512-1oNF8PeQx2hv/y7tqEVWKD3JGwn/MGEMQ8mL9HUwsaqG9FGy/OU5FHUHvzqbqxN4mnwZGI9abTiE775C4kkjMQ=="
# The minified file inside it, as committed.
SHA256 = "99784e3abfb07b142a15e521a439e6d9addceadb3f79553fd24c72774f0649ba"
FILENAME = f"plotly-basic-{VERSION}.min.js"
PATH = Path(__file__).resolve().parent / "vendor" / FILENAME
# The trace types the bundle registers: a figure of any other type would not draw on the page.
TRACE_TYPES = frozenset({"scatter", "bar", "pie"})


def bundle_bytes() -> bytes:
    """The bundle's bytes, to serve or to write beside a static page."""
    return PATH.read_bytes()
