"""Helpers for the tests of the web app's server side: an app on a copy of the data, signing in as the
browser does, the page as the browser gets it, and the values the page holds after a preview. Callbacks
are posted through testkit's Dash client, the same one the benchmarks use."""
from __future__ import annotations

import base64
from pathlib import Path
from weakref import WeakKeyDictionary

from updates_helpers import INVENTED_SOURCE, first_free_year_end

from dashboard.config import Settings
from dashboard.core.dataset import load_dataset
from dashboard.updates.changes import diff
from dashboard.updates.ingest import read_upload
from dashboard.web import editor_session
from dashboard.web.app import create_app
from dashboard.web.update_panel import defaults_from
from testkit.dash_wire import DashWire

PASSWORD = "correct horse battery staple"
UNDO_1 = {"apply-changes.n_clicks": 0, "undo-change.n_clicks": 1, "undo-target.data": 1}  # "Undo change #1" clicked

_wires: WeakKeyDictionary = WeakKeyDictionary()


def make_client(data_dir: Path, **settings):
    """Flask's test client of the app on the data in `data_dir`, with these settings."""
    app = create_app(Settings(data_path=data_dir / "membership.csv", **settings))
    return app.server.test_client()


def wire(client) -> DashWire:
    """The Dash client speaking through this test client (its cookies, its app's callbacks)."""
    if client not in _wires:
        _wires[client] = DashWire.of(client)
    return _wires[client]


def sign_in(client, password: str = PASSWORD) -> int:
    """Post the sign-in form as the browser does; the client keeps the session cookie."""
    return client.post("/sign-in", data={"password": password}, headers={"Sec-Fetch-Site": "same-origin"}).status_code


def page_text(client) -> str:
    """The page as the browser gets it: the layout, then the panels it fetches once the chart is drawn."""
    layout = client.get("/_dash-layout").get_data(as_text=True)
    panels = wire(client).call("chart-drawn", {"chart-drawn.data": True, "view-store.data": None},
                               output="panels.children")
    assert panels.status == 200, panels.text
    return layout + panels.text


def upload_request(data_dir: Path, members: int = 123456) -> dict:
    """The values a browser would hold after previewing an invented new figure."""
    path = data_dir / "membership.csv"
    dataset = load_dataset(path)
    content = f"Year,Members\n{first_free_year_end(dataset)},{members}\n".encode()
    payload = {"filename": "new.csv", "contents": "data:text/csv;base64," + base64.b64encode(content).decode()}
    defaults = ["labour", INVENTED_SOURCE, "", ""]
    preview = diff(dataset, read_upload(content, "new.csv", dataset.parties, defaults_from(defaults)))
    pending = {"kind": "file", "sheet": None, "defaults": defaults, "stamp": preview.stamp(),
               "digest": preview.digest(), "file": "new.csv", "can_apply": True, "needs_overwrite": False}
    return {"apply-changes.n_clicks": 1, "undo-change.n_clicks": 0, "update-pending.data": pending,
            "upload-payload.data": payload, "overwrite-existing.value": []}


def post_callback(client, input_id: str, values: dict, headers: dict | None = None,
                  output: str | None = None) -> tuple[int, str]:
    """(status, body) of the callback `input_id` sets off (the one setting `output` when several do),
    posted as the renderer would with `values`."""
    answer = wire(client).call(input_id, values, headers=headers, output=output)
    return answer.status, answer.text


class FakeClock:
    """A clock the test moves by hand (`clock.now += 60`): sessions and sign-in limits read it."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def limited_client(data_dir: Path, clock: FakeClock, monkeypatch):
    """An app whose sessions and sign-in limits run on `clock`, so the test controls time, not sleeps."""
    monkeypatch.setattr(editor_session, "clock", clock)
    return make_client(data_dir, admin_password=PASSWORD)


def guess(client, password: str, address: str = "127.0.0.1"):
    """The sign-in form posted with `password`, as if from `address`."""
    return client.post("/sign-in", data={"password": password}, environ_base={"REMOTE_ADDR": address})


BROKEN = "lots"  # what break_file writes in place of a member count


def break_file(path: Path) -> None:
    """Replace one member count with text, as a hand edit gone wrong would."""
    lines = path.read_text("utf-8").splitlines(keepends=True)
    cells = lines[1].split(",")
    cells[2] = BROKEN
    lines[1] = ",".join(cells)
    path.write_text("".join(lines), "utf-8")
