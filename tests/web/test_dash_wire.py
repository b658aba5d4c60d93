"""testkit's Dash client, which the tests and the benchmarks share, posts what the page's renderer posts."""
from __future__ import annotations

import pytest
from web_helpers import make_client

from testkit.dash_wire import DashWire, output_specs


def test_a_callback_of_one_output_is_posted_with_that_output_alone_and_answered(data_dir):
    wire = DashWire.of(make_client(data_dir))
    latest = wire.callback("view-store", "latest-panel.children")
    assert output_specs(latest) == {"id": "latest-panel", "property": "children"}
    answer = wire.call("view-store", {"view-store.data": {"parties": ["labour", "reform"]}, "data-version.data": None},
                       output="latest-panel.children")
    assert answer.status == 200 and "Reform UK" in answer.text
    assert list(answer.response) == ["latest-panel"]


def test_the_input_that_changed_is_the_one_called_with_its_own_property(data_dir):
    wire = DashWire.of(make_client(data_dir))
    chart = wire.callback("party-select")
    assert chart["inputs"][0]["id"] != "party-select"  # not the first input: its property must be looked up
    envelope = wire.envelope(chart, {"party-select.value": ["snp"]}, ["party-select.value"])
    assert envelope["changedPropIds"] == ["party-select.value"]
    assert [i["value"] for i in envelope["inputs"] if i["id"] == "party-select"] == [["snp"]]
    answer = wire.call("party-select", {"party-select.value": ["labour", "snp"], "url.search": "",
                                        "view-store.data": {"parties": ["labour"]}})
    assert answer.status == 200 and "snp" in answer.response["view-store"]["data"]["parties"]


def test_a_callback_nobody_registered_is_a_key_error_naming_it(data_dir):
    wire = DashWire.of(make_client(data_dir, host="0.0.0.0", admin_password=""))  # editing off: no apply callback
    with pytest.raises(KeyError, match="no server callback takes apply-changes"):
        wire.callback("apply-changes")


def test_clientside_callbacks_are_never_posted(data_dir):
    wire = DashWire.of(make_client(data_dir))
    listed = [d for d in wire.dependencies() if any(i["id"] == "upload-data" for i in d["inputs"])]
    assert listed and all(d["clientside_function"] for d in listed)  # the page reads the file in the browser
    assert wire.callbacks("upload-data") == []


def test_an_input_that_sets_off_several_callbacks_needs_the_output_named(data_dir):
    wire = DashWire.of(make_client(data_dir))
    with pytest.raises(LookupError, match="server callbacks take chart-drawn: name the output"):
        wire.callback("chart-drawn")  # the chart's callback and the panels' both take it
    assert "panels.children" in wire.callback("chart-drawn", "panels.children")["output"]
