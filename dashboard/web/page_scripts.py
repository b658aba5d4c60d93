"""The scripts the page loads: Dash's list, less what the page never runs, and the lazy chunks the
first render needs run up front. Every script is evaluated on the reader's main thread before the
chart can be drawn, so each one left out draws the chart sooner.

- @babel/polyfill (core-js 2 and regenerator-runtime, 124 ms of the first load's CPU): core-js only
  fills in ES2015-2017 features that every browser React 18 and plotly.js 4 run in has natively;
  what dash's bundles do need from it is the global `regeneratorRuntime` (their async functions are
  compiled to it), so the page loads regenerator-runtime alone, the npm package unchanged (vendor/).
- dash_table's bundle: the page has no DataTable (the tables are drawn by assets/figures_table.js).
- dcc's chunks for the graph, the party picker and the slider: the renderer asks for them only once
  it has rendered the page once, and renders it again when they have run; already run, they are
  there for the first render.
"""
from __future__ import annotations

import re
from pathlib import Path

REGENERATOR_VERSION = "0.14.1"  # npm package regenerator-runtime, its runtime.js unchanged
REGENERATOR_FILENAME = f"regenerator-runtime-{REGENERATOR_VERSION}.js"
REGENERATOR_PATH = Path(__file__).resolve().parent / "vendor" / REGENERATOR_FILENAME
# served under the app's prefix; the version in the name lets browsers keep it for good
REGENERATOR_URL_PATH = f"_vendor/{REGENERATOR_FILENAME}"
# dcc's lazy chunks that the first render uses (dcc.Graph, dcc.Dropdown, dcc.RangeSlider), by the
# URL its webpack loader asks for them: run before the renderer, they are never asked for.
FIRST_RENDER_CHUNKS = ("dash/dcc/async-graph.js", "dash/dcc/async-dropdown.js", "dash/dcc/async-slider.js")

_POLYFILL = re.compile(r'<script src="[^"]*/_dash-component-suites/dash/deps/polyfill@[^"]*"></script>\n?')
_DASH_TABLE = re.compile(r'<script src="[^"]*/_dash-component-suites/dash/dash_table/[^"]*"></script>\n?')


def regenerator_bytes() -> bytes:
    """The runtime's bytes, to serve."""
    return REGENERATOR_PATH.read_bytes()


def page_scripts(scripts: str, prefix: str) -> str:
    """Dash's script tags for the page with the polyfill replaced by regenerator-runtime, without
    dash_table, and with the first render's chunks after them. Raises LookupError when dash no
    longer lists a script this expects to replace: a dash upgrade must be looked at, not guessed."""
    runtime = f'<script src="{prefix}{REGENERATOR_URL_PATH}"></script>\n'
    if not _POLYFILL.search(scripts) or not _DASH_TABLE.search(scripts):
        raise LookupError("dash's page no longer lists @babel/polyfill and dash_table as expected")
    scripts = _DASH_TABLE.sub("", _POLYFILL.sub(runtime, scripts, count=1))
    chunks = "".join(f'<script src="{prefix}_dash-component-suites/{path}"></script>\n'
                     for path in FIRST_RENDER_CHUNKS)
    return scripts.rstrip("\n") + "\n" + chunks
