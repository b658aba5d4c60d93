"""Anything a client sends gets an answer below 500: generated bodies posted to every server
callback, generated envelopes to Dash's endpoint, generated queries and paths to every route.
A 5xx, or an exception in the log, is a bug: the client's mistake must be told as a 4xx.

The image routes draw nothing here (export_image is replaced by a stub): what is tested is how a
request is read, and drawing belongs to the export tests.
"""
from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.config import Settings
from dashboard.web import publish
from dashboard.web.app import create_app
from dashboard.web.inputs import RULES, rule_name

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = 60

# JSON as a client may write it, Infinity and NaN included (Python's json reads them).
scalars = st.none() | st.booleans() | st.integers(-(2 ** 70), 2 ** 70) | st.floats() | st.text(max_size=30)
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.text(max_size=10), inner, max_size=4), max_leaves=12)
view_keys = st.sampled_from(["parties", "start", "end", "measure", "base_year", "bases", "title", "subtitle", "note",
                             "log_scale", "elections", "leaders", "other_dates"])
plausible = (st.sampled_from([None, "", "labour", "2010", "blog", "png", "svg", "custom", "index", "x" * 3000,
                              "\u202e", "\x00", 1989, 2024, 0, -1, 1200, 3.5, True, [], ["labour", "snp"],
                              [1990, 2020], [2020], ["elections"], {"parties": ["labour"]}])
             | st.dictionaries(view_keys, json_values, max_size=4))
values = plausible | json_values

# Values of the kind each property has (web/inputs.RULES), so that most examples get past the
# kind checks and reach the callbacks' own code; one value in a few is of any kind at all.
party_slugs = st.sampled_from(["labour", "snp", "reform", "green", "conservative", "nobody", ""])
years = st.integers(1900, 2100) | st.integers(-(2 ** 40), 2 ** 40)
texty = st.text(max_size=40) | st.sampled_from(["labour", "2010", "blog", "png", "svg", "custom", "index", "change",
                                                "members", "change_pct", "x" * 2001, "\u202e", "1e9", ""])
view_values = st.fixed_dictionaries({}, optional={
    "parties": st.lists(party_slugs, max_size=4), "start": st.none() | years, "end": st.none() | years,
    "measure": texty, "base_year": st.none() | years, "bases": st.lists(texty, max_size=3),
    "title": texty, "subtitle": texty, "note": texty, "log_scale": st.booleans(), "elections": st.booleans(),
    "leaders": st.booleans(), "other_dates": st.booleans()})
KINDS = {
    "text": st.none() | texty,
    "texts": st.none() | st.lists(party_slugs | texty, max_size=5),
    "number": st.none() | years | st.floats(allow_nan=False, allow_infinity=False) | texty,
    "year_pair": st.none() | st.lists(years, min_size=2, max_size=2),
    "clicks": st.none() | st.integers(0, 5),
    "flag": st.none() | st.booleans(),
    "view_dict": st.none() | view_values,
    "record": st.none() | st.dictionaries(st.sampled_from(["kind", "fields", "defaults", "sheet", "base_version",
                                                           "digest", "file", "filename", "contents", "nonce"]),
                                          json_values, max_size=5),
    "whole_or_text": st.none() | st.integers(-5, 50) | texty,
    "list_index": st.none() | st.integers(-3, 120),
    "clicks_each": st.none() | st.lists(st.none() | st.integers(0, 5), max_size=4),
    "marks_edit_data": st.none() | st.fixed_dictionaries({}, optional={
        "marks": st.lists(st.sampled_from(["2015-09-12:Corbyn elected", "2017-06-08@labour:GE", "bad", ""]) | texty,
                          max_size=3),
        "highlights": st.lists(st.sampled_from(["2015-09-12:2020-04-04:Corbyn years", "x:y"]) | texty, max_size=2),
        "seq": st.integers(0, 5)}),
}


def value_for(name: str):
    """Mostly a value of the property's kind, sometimes anything."""
    rule = RULES.get(rule_name(*name.rsplit(".", 1)))
    kind = KINDS.get(rule.__name__) if rule is not None else None
    if kind is None:
        return values
    return st.integers(0, 5).flatmap(lambda n: values if n == 0 else kind)


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    """An app where editing is allowed (loopback, no password), so the update callbacks run too."""
    data = tmp_path_factory.mktemp("guard") / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns(".history", "*.lock"))
    app = create_app(Settings(data_path=data / "membership.csv", host="127.0.0.1"))
    return app.server.test_client()


@pytest.fixture(autouse=True)
def no_drawing(monkeypatch):
    monkeypatch.setattr(publish, "export_image", lambda *args, **kwargs: b"not drawn in this test")


def server_callbacks(client) -> list[dict]:
    return [d for d in client.get("/_dash-dependencies").get_json() if not d.get("clientside_function")]


def envelope(dep: dict, value_of, changed: list[str]) -> dict:
    names = dep["output"][2:-2].split("...") if dep["output"].startswith("..") else [dep["output"]]
    outputs = [dict(zip(("id", "property"), name.rsplit(".", 1))) for name in names]
    return {"output": dep["output"], "outputs": outputs if dep["output"].startswith("..") else outputs[0],
            "inputs": [sent(i, value_of(i)) for i in dep["inputs"]],
            "state": [sent(i, value_of(i)) for i in dep["state"]], "changedPropIds": changed}


def sent(dep: dict, value) -> dict | list:
    """What the page sends for a dependency: the value, or for a pattern (ALL) one component per value."""
    if not dep["id"].startswith("{"):
        return {**dep, "value": value}
    pattern_type = json.loads(dep["id"])["type"]
    return [{"id": {"type": pattern_type, "kind": "note", "do": "edit", "index": n}, "property": dep["property"],
             "value": v} for n, v in enumerate(value if isinstance(value, list) else [value])]


def assert_no_server_error(answer, caplog, what: str) -> None:
    answer.close()
    assert answer.status_code < 500, f"{answer.status_code} for {what}"
    logged = [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert not logged, f"{what} logged {logged[0].getMessage()[:300]}"


CALLBACK_OUTPUTS = ["..export-preset.value", "..export-preview.figure", "..export-download.data",
                    "..update-preview.children", "..data-version.data", "..party-select.value", "latest-panel.children",
                    "..panels.children", "..repair-status.children", "..party-form-name.value", "..party-select.options",
                    "..marks-edit.data", "..notes-list.children"]


@pytest.mark.parametrize("output_start", CALLBACK_OUTPUTS)
def test_generated_values_for_every_callback_get_no_server_error(client, caplog, output_start):
    deps = [d for d in server_callbacks(client) if d["output"].startswith(output_start)]
    assert len(deps) == 1, f"no callback (or several) for {output_start}: the list above needs updating"
    dep = deps[0]
    names = [f"{i['id']}.{i['property']}" for i in dep["inputs"]]

    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(st.fixed_dictionaries({name: value_for(name) for name in
                                  names + [f"{i['id']}.{i['property']}" for i in dep["state"]]}),
           st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True))
    def post(chosen, changed):
        caplog.clear()
        body = envelope(dep, lambda i: chosen[f"{i['id']}.{i['property']}"], changed)
        answer = client.post("/_dash-update-component", data=json.dumps(body), content_type="application/json")
        assert_no_server_error(answer, caplog, f"{output_start} with {json.dumps(body)[:400]}")

    with caplog.at_level(logging.ERROR):
        post()
    assert server_callbacks(client), "every callback answered"


def test_every_server_callback_is_covered_by_the_property_test(client):
    outputs = [d["output"] for d in server_callbacks(client)]
    assert sorted(next(s for s in CALLBACK_OUTPUTS if o.startswith(s)) for o in outputs) == sorted(CALLBACK_OUTPUTS)


@settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_generated_envelopes_get_no_server_error(client, caplog, data):
    """Dash's endpoint with bodies that are not what the renderer sends: missing or extra parts,
    other callbacks' names, values of every kind, deep nesting, not JSON at all."""
    deps = server_callbacks(client)
    dep = data.draw(st.sampled_from(deps))
    body = envelope(dep, lambda i: None, [f"{dep['inputs'][0]['id']}.{dep['inputs'][0]['property']}"])
    mutation = data.draw(st.sampled_from(["drop", "replace", "swap", "whole", "deep", "text", "extra"]))
    if mutation == "drop":
        del body[data.draw(st.sampled_from(sorted(body)))]
    elif mutation == "replace":
        body[data.draw(st.sampled_from(sorted(body)))] = data.draw(json_values)
    elif mutation == "swap":
        body["output"] = data.draw(st.sampled_from(deps))["output"]
    elif mutation == "extra":
        body["inputs"].append({"id": data.draw(st.text(max_size=8)), "property": "value", "value": 1})
    if mutation == "whole":
        raw = json.dumps(data.draw(json_values))
    elif mutation == "deep":
        depth = data.draw(st.integers(20, 3000))
        raw = "[" * depth + "]" * depth
    elif mutation == "text":
        raw = data.draw(st.text(max_size=50))
    else:
        raw = json.dumps(body)
    caplog.clear()
    with caplog.at_level(logging.ERROR):
        answer = client.post("/_dash-update-component", data=raw.encode("utf-8", "surrogatepass"),
                             content_type="application/json")
        assert_no_server_error(answer, caplog, f"{mutation}: {raw[:300]}")


QUERY_KEYS = ["parties", "start", "end", "measure", "base", "scale", "log", "bases", "title", "subtitle", "note",
              "elections", "leaders", "other_dates", "preset", "width", "height", "credit", "format", "next", "failed"]
query_values = st.text(max_size=20) | st.sampled_from(["\u00b2", "\u0661\u0662", "Infinity", "NaN", "-0", "1e400",
                                                         "labour,snp", "2010", "%", "\u202e", "\x00", "9" * 50])


@settings(max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_generated_queries_and_paths_to_every_route_get_no_server_error(client, caplog, data):
    rules = sorted({(r.rule, tuple(sorted(r.methods or ()))) for r in client.application.url_map.iter_rules()})
    rule, methods = data.draw(st.sampled_from(rules))
    path = rule
    for argument in ("<path:path>", "<string:package_name>", "<path:fingerprinted_path>", "<path:filename>"):
        if argument in path:
            path = path.replace(argument, quote(data.draw(st.text(min_size=1, max_size=20)).lstrip("/") or "x", safe="/"))
    query = "&".join(f"{quote(data.draw(st.sampled_from(QUERY_KEYS) | st.text(max_size=6)))}="
                     f"{quote(data.draw(query_values))}" for _ in range(data.draw(st.integers(0, 4))))
    method = data.draw(st.sampled_from([m for m in methods if m in ("GET", "POST")]))
    caplog.clear()
    with caplog.at_level(logging.ERROR):
        if method == "GET":
            answer = client.get(f"{path}?{query}")
        else:
            answer = client.post(f"{path}?{query}", data=data.draw(st.binary(max_size=200)),
                                 content_type=data.draw(st.sampled_from(["application/json", "text/plain",
                                                                         "application/x-www-form-urlencoded"])))
        assert_no_server_error(answer, caplog, f"{method} {path}?{query}")


SIX = {  # finding 6 of issue 19, item by item, and the two from the acceptance bar
    "a Unicode digit in a width": ("GET", "/chart.png?width=%C2%B2", None),
    "JSON nested 1,000 deep": ("POST", "/_dash-update-component", "[" * 1000 + "]" * 1000),
    "an empty envelope": ("POST", "/_dash-update-component", "{}"),
    "an envelope without inputs": ("POST", "/_dash-update-component", '{"output": "latest-panel.children", '
                                   '"outputs": {"id": "latest-panel", "property": "children"}}'),
    "a bad component-suite path": ("GET", "/_dash-component-suites/dash/not-there.js", None),
    "a component-suite path out of the package": ("GET", "/_dash-component-suites/dash/..%2F..%2Fsetup.py", None),
}


@pytest.mark.parametrize("case", SIX.values(), ids=SIX.keys())
def test_each_request_of_finding_six_is_a_client_error(client, caplog, case):
    method, path, body = case
    with caplog.at_level(logging.ERROR):
        answer = client.open(path, method=method, data=body, content_type="application/json")
        assert_no_server_error(answer, caplog, path)
    assert 400 <= answer.status_code < 500


CALLBACK_SIX = {
    "Infinity in a year box": ("..party-select.value", {"year-from.value": float("inf")}, ["year-from.value"]),
    "NaN in the base year box": ("..party-select.value", {"base-year.value": float("nan"), "measure.value": "index"},
                                 ["base-year.value"]),
    "the latest-figures panel given a number": ("latest-panel.children", {"view-store.data": 5}, ["view-store.data"]),
    "the latest-figures panel given text": ("latest-panel.children", {"view-store.data": "labour"},
                                            ["view-store.data"]),
    "the export preview given a list for the width": ("..export-preview.figure", {"export-width.value": [1, 2]},
                                                      ["export-width.value"]),
    "the export preview given a text for the view": ("..export-preview.figure", {"export-view.data": "labour"},
                                                     ["export-view.data"]),
    "view-store.data as a dict of strings": ("latest-panel.children", {"view-store.data": {"parties": "labour",
                                                                                           "start": "1990"}},
                                             ["view-store.data"]),
    "view-store.data as a string": ("latest-panel.children", {"view-store.data": "parties=labour"}, ["view-store.data"]),
}


def test_the_export_preview_given_nothing_at_all_answers(client, caplog):
    """Every field empty (None) is what a page with cleared boxes sends: an answer, not a crash."""
    dep = next(d for d in server_callbacks(client) if d["output"].startswith("..export-preview.figure"))
    with caplog.at_level(logging.ERROR):
        answer = client.post("/_dash-update-component", json=envelope(dep, lambda i: None, ["export-view.data"]))
        assert_no_server_error(answer, caplog, "the export preview with nothing")
    assert answer.status_code == 200


@pytest.mark.parametrize("case", CALLBACK_SIX.values(), ids=CALLBACK_SIX.keys())
def test_each_callback_value_of_finding_six_is_a_client_error(client, caplog, case):
    output_start, given_values, changed = case
    dep = next(d for d in server_callbacks(client) if d["output"].startswith(output_start))
    body = envelope(dep, lambda i: given_values.get(f"{i['id']}.{i['property']}"), changed)
    with caplog.at_level(logging.ERROR):
        answer = client.post("/_dash-update-component", data=json.dumps(body), content_type="application/json")
        assert_no_server_error(answer, caplog, output_start)
    assert answer.status_code == 400


# Read by a callback that checks the kind itself: the repair page's upload (contents may be megabytes of a
# data URL, over the text rule's bound; a wrong kind leaves the page as it was).
CHECKED_BY_THEIR_CALLBACK = {"repair-upload.contents", "repair-upload.filename"}


def test_every_property_a_server_callback_reads_has_a_rule_of_its_kind(client):
    """A callback added later (the party and event forms were) has its inputs checked before it runs."""
    read = {rule_name(i["id"], i["property"]) for d in server_callbacks(client) for i in d["inputs"] + d["state"]}
    assert read - set(RULES) == CHECKED_BY_THEIR_CALLBACK

