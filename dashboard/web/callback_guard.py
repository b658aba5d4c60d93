"""What a client may ask of Dash's own routes: the callback endpoint's body, checked before Dash
reads it, and the component-suite files (an unknown one is 404, not Dash's DependencyException).

Dash does not validate the envelope a client posts (`{}` or a missing input became a 500 with a
traceback), nor how deep its JSON goes, nor the values' kinds. Here the body must be JSON of
bounded depth with no Infinity or NaN, name a server callback of this app, carry exactly that
callback's inputs, state and outputs, and give each property a value of its kind (inputs.RULES).
Anything else is 400 Bad Request with a one-line reason.
"""
from __future__ import annotations

import json
from typing import Any

import dash
from dash.exceptions import DependencyException
from flask import Response, request
from werkzeug.exceptions import BadRequest, UnsupportedMediaType

from dashboard.web.inputs import RULES, rule_name

MAX_DEPTH = 24  # the page's deepest value (a pending change inside its store) is 4 deep


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


def parse_body(data: bytes) -> Any:
    """The JSON body, or 400 when it is not JSON, holds Infinity/NaN, or nests too deep."""
    try:
        body = json.loads(data, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as error:
        raise BadRequest(f"the callback request is not JSON that this server reads: {str(error)[:80]}") from None
    if depth(body) > MAX_DEPTH:
        raise BadRequest(f"the callback request nests deeper than {MAX_DEPTH} levels")
    return body


def depth(value: Any) -> int:
    """How deep JSON arrays and objects nest in `value`, without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        if level <= MAX_DEPTH:  # past that the answer is already known
            stack.extend((child, level + 1) for child in children)
    return deepest


def _pairs(items: Any, what: str) -> list[tuple[str, str]]:
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise BadRequest(f"the callback request's {what} are not a list of components")
    if not all(isinstance(i.get("id"), str) and isinstance(i.get("property"), str) for i in items):
        raise BadRequest(f"the callback request's {what} do not each name a component and a property")
    return [(i["id"], i["property"]) for i in items]


def _value(dep: dict[str, Any], item: Any, part: str) -> Any:
    """The value the request gives for a plain dependency, which it must name as the callback does."""
    if _pairs([item], part) != [(dep["id"], dep["property"])]:
        raise BadRequest(f"the callback request's {part} are not its callback's")
    return item.get("value")


def _pattern_values(dep: dict[str, Any], item: Any, part: str) -> Any:
    """The values the request gives for a pattern-matching dependency: one component ({"id": {...}}) or,
    for ALL, a list of them, each of the pattern's type and property."""
    pattern_type = json.loads(dep["id"]).get("type")
    items = item if isinstance(item, list) else [item]
    if not all(isinstance(i, dict) and isinstance(i.get("id"), dict) and i["id"].get("type") == pattern_type
               and i.get("property") == dep["property"] for i in items):
        raise BadRequest(f"the callback request's {part} are not its callback's")
    values = [i.get("value") for i in items]
    return values if isinstance(item, list) else values[0]


def output_pairs(output: str) -> list[tuple[str, str]]:
    """(id, property) of each output named by a callback's output key ("..a.b...c.d.." or "a.b")."""
    names = output[2:-2].split("...") if output.startswith("..") else [output]
    return [(name.rsplit(".", 1)[0], name.rsplit(".", 1)[-1]) for name in names]


def check_envelope(body: Any, callbacks: dict[str, dict[str, Any]]) -> None:
    """400 unless `body` asks for one of `callbacks` (output -> its dependency) with its own
    inputs, state and outputs, each value of its kind."""
    if not isinstance(body, dict):
        raise BadRequest("the callback request is not a JSON object")
    output = body.get("output")
    callback = callbacks.get(output) if isinstance(output, str) else None
    if callback is None or not isinstance(output, str):
        raise BadRequest("the callback request names no callback of this page")
    outputs = body.get("outputs")
    given_outputs = _pairs(outputs if isinstance(outputs, list) else [outputs], "outputs")
    if given_outputs != output_pairs(output):
        raise BadRequest("the callback request's outputs are not its callback's")
    for part in ("inputs", "state"):
        given = body.get(part, [])
        if not isinstance(given, list) or len(given) != len(callback[part]):
            raise BadRequest(f"the callback request's {part} are not its callback's")
        for dep, item in zip(callback[part], given):
            name = rule_name(dep["id"], dep["property"])
            value = _pattern_values(dep, item, part) if dep["id"].startswith("{") else _value(dep, item, part)
            rule = RULES.get(name)
            if rule is not None:
                rule(value, name)
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(c, str) and len(c) < 200 for c in changed):
        raise BadRequest("the callback request's changedPropIds are not a list of names")


def install(app: dash.Dash) -> None:
    """Check every callback request before Dash dispatches it; answer an unknown script path with 404."""
    path = f"{app.config.routes_pathname_prefix}_dash-update-component"
    callbacks: dict[str, dict[str, Any]] = {}

    @app.server.before_request
    def guard() -> None:
        if request.path != path or request.method != "POST":
            return
        if not callbacks:  # every callback is registered once the first request arrives
            callbacks.update({d["output"]: d for d in app._callback_list if not d.get("clientside_function")})
        if not request.is_json:  # a form posted from another site is not even read
            raise UnsupportedMediaType("a callback request is JSON")
        check_envelope(parse_body(request.get_data(cache=True)), callbacks)

    @app.server.errorhandler(DependencyException)
    def unknown_script(_error: DependencyException) -> Response:
        return Response("No such file.\n", status=404, mimetype="text/plain")
