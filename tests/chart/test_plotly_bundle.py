"""The page draws with the basic plotly.js bundle: the file is the pinned npm package's, and every
trace the chart makes is of a type that bundle has."""
from __future__ import annotations

import hashlib

import pytest

from dashboard.chart import plotly_bundle, series
from dashboard.chart.figure import figure_dict
from dashboard.core.dataset import load_dataset
from dashboard.core.view import View, resolve
from dashboard.export.image import export_figure_dict, make_spec


def test_vendored_bundle_is_the_pinned_file_of_the_npm_package():
    data = plotly_bundle.bundle_bytes()
    assert hashlib.sha256(data).hexdigest() == plotly_bundle.SHA256
    assert f"plotly.js (basic - minified) v{plotly_bundle.VERSION}".encode() in data[:200]
    assert b"window.Plotly = Plotly" in data[-200:]


@pytest.mark.parametrize("view", [
    View(), View(parties=("labour", "conservative", "libdem", "snp", "green", "plaid", "ukip", "reform")),
    View(parties=("reform",)), View(start=2015, end=2016, leaders=False, elections=False, other_dates=False),
])
def test_every_trace_of_the_chart_and_its_export_is_a_type_the_basic_bundle_draws(view):
    dataset = load_dataset()
    view = resolve(view, dataset)
    drawn = figure_dict(dataset, view)["data"] + export_figure_dict(dataset, view, make_spec(preset="blog"))["data"]
    assert drawn and {trace.get("type", "scatter") for trace in drawn} <= plotly_bundle.TRACE_TYPES


def test_a_series_longer_than_the_marker_limit_is_a_line_without_markers(monkeypatch):
    dataset = load_dataset()
    view = resolve(View(parties=("labour",), start=1989, end=2024), dataset)
    assert figure_dict(dataset, view)["data"][0]["mode"] == "lines+markers"
    monkeypatch.setattr(series, "MARKERS_UP_TO", 10)
    line = figure_dict(dataset, view)["data"][0]
    assert line["mode"] == "lines" and len(line["hovertext"]) == len(line["x"])  # every year still has its hover
