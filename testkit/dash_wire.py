"""Dash's callback protocol, spoken as the page's renderer speaks it: read the callbacks from
/_dash-dependencies, fill one's inputs and state with values, POST the envelope to
/_dash-update-component. The tests use it to post what a script (not the page) could send; the benchmarks
use it to time a view change without a browser. Both through one client, so a change of the protocol
(a new key in the envelope, a renamed input) is made once.

    wire = DashWire.of(app.server.test_client())          # in this process (Flask's test client)
    wire = DashWire.over_http(port)                       # a real socket: a live server, gunicorn, a proxy
    answer = wire.call("apply-changes", {"apply-changes.n_clicks": 1, ...})
    answer.status, answer.text, answer.response           # HTTP status, body, the outputs Dash returned
"""
from __future__ import annotations

import gzip
import http.client
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

UPDATE = "/_dash-update-component"
DEPENDENCIES = "/_dash-dependencies"
JSON = {"Content-Type": "application/json"}


@dataclass(frozen=True)
class Answer:
    """The server's answer to one request."""

    status: int
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def response(self) -> dict[str, dict[str, Any]]:
        """{component id: {property: value}} that a callback's answer sets (Dash's "response")."""
        return self.json()["response"]


class Transport(Protocol):
    def request(self, method: str, path: str, body: bytes | None, headers: Mapping[str, str]) -> Answer: ...


class InProcess:
    """Requests answered by the app in this process, through Flask's test client (cookies kept)."""

    def __init__(self, client: Any):
        self.client = client

    def request(self, method: str, path: str, body: bytes | None, headers: Mapping[str, str]) -> Answer:
        response = self.client.open(path, method=method, data=body, headers=dict(headers))
        return Answer(response.status_code, response.get_data(), dict(response.headers))


def decoded(body: bytes, encoding: str | None) -> bytes:
    """A response body as sent before compression (flask-compress answers a browser's Accept-Encoding)."""
    if encoding == "zstd":
        from backports import zstd  # flask-compress's own dependency

        return zstd.decompress(body)
    if encoding == "br":
        import brotli

        return brotli.decompress(body)
    if encoding == "gzip":
        return gzip.decompress(body)
    return body


class OverHttp:
    """Requests over a real socket to 127.0.0.1:port, a new connection each (gunicorn's sync workers close
    it, and threads may share one transport)."""

    def __init__(self, port: int, host: str = "127.0.0.1", timeout: float = 120,
                 headers: Mapping[str, str] | None = None):
        self.host, self.port, self.timeout = host, port, timeout
        self.headers = dict(headers or {})

    def request(self, method: str, path: str, body: bytes | None, headers: Mapping[str, str]) -> Answer:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            connection.request(method, path, body=body, headers={**self.headers, **headers})
            response = connection.getresponse()
            data = decoded(response.read(), response.getheader("Content-Encoding"))
            return Answer(response.status, data, dict(response.getheaders()))
        finally:
            connection.close()


def output_specs(callback: Mapping[str, Any]) -> list[dict[str, str]] | dict[str, str]:
    """The `outputs` of an envelope: a list for a callback of several outputs, the one output alone
    otherwise, as the renderer sends them (`..a.b...c.d..` is several)."""
    names = callback["output"]
    specs = [dict(zip(("id", "property"), name.split(".", 1))) for name in names.strip(".").split("...")]
    return specs if names.startswith("..") else specs[0]


def outputs_of(callback: Mapping[str, Any]) -> list[str]:
    """The "id.property" a callback sets, without the suffix Dash adds to a duplicate output ("@1a2b...")."""
    return [name.split("@", 1)[0] for name in callback["output"].strip(".").split("...")]


class DashWire:
    """One app's callbacks, called as the renderer calls them."""

    def __init__(self, transport: Transport):
        self.transport = transport
        self._dependencies: list[dict[str, Any]] | None = None

    @classmethod
    def of(cls, flask_client: Any) -> DashWire:
        return cls(InProcess(flask_client))

    @classmethod
    def over_http(cls, port: int, **options: Any) -> DashWire:
        return cls(OverHttp(port, **options))

    def get(self, path: str, headers: Mapping[str, str] | None = None) -> Answer:
        return self.transport.request("GET", path, None, headers or {})

    def dependencies(self) -> list[dict[str, Any]]:
        """Every callback of the page, as /_dash-dependencies lists them (asked once)."""
        if self._dependencies is None:
            answer = self.get(DEPENDENCIES)
            if answer.status != 200:
                raise RuntimeError(f"{DEPENDENCIES}: HTTP {answer.status} {answer.text[:300]}")
            self._dependencies = answer.json()
        return self._dependencies

    def callbacks(self, input_id: str) -> list[dict[str, Any]]:
        """The server's callbacks (clientside ones never reach the server) that `input_id` sets off."""
        return [d for d in self.dependencies() if d.get("clientside_function") is None
                and any(i["id"] == input_id for i in d["inputs"])]

    def callback(self, input_id: str, output: str | None = None) -> dict[str, Any]:
        """The server's callback that `input_id` sets off; when several do, the one that sets `output`
        (e.g. "panels.children"). KeyError when there is none, LookupError when it is not one."""
        found = [d for d in self.callbacks(input_id) if output is None or output in outputs_of(d)]
        if not found:
            raise KeyError(f"no server callback takes {input_id}" + (f" and sets {output}" if output else ""))
        if len(found) > 1:
            raise LookupError(f"{len(found)} server callbacks take {input_id}: name the output wanted")
        return found[0]

    def envelope(self, callback: Mapping[str, Any], values: Mapping[str, Any],
                 changed: Sequence[str] | None = None) -> dict[str, Any]:
        """What the renderer posts for `callback`: each input and state filled from values["id.property"]
        (None when missing); `changed` defaults to the callback's first input."""

        def fill(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
            return [{**i, "value": values.get(f"{i['id']}.{i['property']}")} for i in items]

        first = callback["inputs"][0]
        return {"output": callback["output"], "outputs": output_specs(callback), "inputs": fill(callback["inputs"]),
                "state": fill(callback["state"]),
                "changedPropIds": list(changed or [f"{first['id']}.{first['property']}"])}

    def post(self, envelope: Mapping[str, Any] | bytes | str, headers: Mapping[str, str] | None = None) -> Answer:
        """POST an envelope (or any body, to see what the server makes of it) to the callback endpoint."""
        body = envelope if isinstance(envelope, bytes) else (
            envelope.encode() if isinstance(envelope, str) else json.dumps(envelope).encode())
        return self.transport.request("POST", UPDATE, body, {**JSON, **(headers or {})})

    def call(self, input_id: str, values: Mapping[str, Any], changed: Sequence[str] | None = None,
             headers: Mapping[str, str] | None = None, output: str | None = None) -> Answer:
        """The callback that `input_id` sets off, called with `values` as if `input_id` had just changed."""
        callback = self.callback(input_id, output)
        if changed is None:
            prop = next(i["property"] for i in callback["inputs"] if i["id"] == input_id)
            changed = [f"{input_id}.{prop}"]
        return self.post(self.envelope(callback, values, changed), headers)
