"""The page's script list: the polyfill swapped for regenerator-runtime alone, no dash_table, and
dcc's first-render chunks among the page's scripts (web/page_scripts.py)."""
from __future__ import annotations

import re

import pytest

from dashboard.config import Settings
from dashboard.web.app import create_app
from dashboard.web.page_scripts import FIRST_RENDER_CHUNKS, REGENERATOR_URL_PATH, page_scripts


def served_scripts() -> tuple[list[str], object]:
    client = create_app(Settings()).server.test_client()
    html = client.get("/").get_data(as_text=True)
    return re.findall(r'<script src="([^"]+)"', html), client


def test_the_page_loads_regenerator_runtime_instead_of_the_babel_polyfill_and_no_dash_table():
    scripts, _ = served_scripts()
    assert not [s for s in scripts if "polyfill" in s or "dash_table" in s]
    names = [s.rsplit("/", 1)[-1] for s in scripts]
    # dash's bundles call the global regeneratorRuntime as they run: it comes before them
    runtime = scripts.index("/" + REGENERATOR_URL_PATH)
    assert runtime < min(i for i, name in enumerate(names) if name.startswith(("dash_renderer", "dash_core")))


def test_the_first_render_chunks_run_after_dcc_and_before_the_renderer_starts():
    scripts, _ = served_scripts()
    dcc = next(i for i, s in enumerate(scripts) if "/dcc/dash_core_components." in s)
    for chunk in FIRST_RENDER_CHUNKS:
        assert scripts.index(f"/_dash-component-suites/{chunk}") > dcc


def test_regenerator_runtime_is_served_as_javascript_kept_for_good():
    _, client = served_scripts()
    response = client.get("/" + REGENERATOR_URL_PATH)
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    assert "immutable" in response.headers["Cache-Control"]
    assert b"regeneratorRuntime = runtime" in response.data


def test_a_dash_that_no_longer_lists_the_polyfill_is_an_error_not_a_silent_page():
    with pytest.raises(LookupError, match="polyfill"):
        page_scripts('<script src="/_dash-component-suites/dash/dcc/x.js"></script>\n', "/")
