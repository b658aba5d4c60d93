"""The update panel's server side: who may change data, checked in the callbacks themselves.

Requests are crafted the way a script (not the page) would post them to Dash's callback endpoint;
the same request with the right password must work, so a refusal is not a malformed request.
"""
from __future__ import annotations

import base64

import pytest
from updates_helpers import INVENTED_SOURCE
from web_helpers import PASSWORD, UNDO_1, make_client, page_text, post_callback, sign_in, upload_request, wire

from dashboard.config import Settings
from dashboard.core.dataset import load_dataset
from dashboard.updates.changes import diff
from dashboard.updates.ingest import read_upload
from dashboard.updates.store import Store
from dashboard.web.update_panel import defaults_from, request_limit


def test_apply_without_signing_in_changes_nothing(data_dir):
    client = make_client(data_dir, admin_password=PASSWORD)
    path = data_dir / "membership.csv"
    before = path.read_bytes()
    values = upload_request(data_dir)
    for password in ("wrong", PASSWORD + " "):  # two typos: the limiter lets the third try through
        assert sign_in(client, password) == 303
        status, text = post_callback(client, "apply-changes", {**values, "admin-password.value": PASSWORD})
        assert status == 200 and "Sign in with the admin password" in text
        assert path.read_bytes() == before
    assert Store(path).entries() == []
    assert sign_in(client) == 303
    status, text = post_callback(client, "apply-changes", values)
    assert "Applied change #1" in text
    assert path.read_bytes() != before


def test_undo_without_signing_in_changes_nothing(data_dir):
    editor = make_client(data_dir, admin_password=PASSWORD)
    sign_in(editor)
    path = data_dir / "membership.csv"
    original = path.read_bytes()
    post_callback(editor, "apply-changes", upload_request(data_dir))
    applied = path.read_bytes()
    visitor = editor.application.test_client()
    _, text = post_callback(visitor, "undo-change", UNDO_1)
    assert "Sign in with the admin password" in text and path.read_bytes() == applied
    _, text = post_callback(editor, "undo-change", UNDO_1)
    assert "Undone" in text and path.read_bytes() == original


def test_signing_out_ends_the_session(data_dir):
    client = make_client(data_dir, admin_password=PASSWORD)
    sign_in(client)
    client.post("/sign-out", headers={"Sec-Fetch-Site": "same-origin"})
    path = data_dir / "membership.csv"
    before = path.read_bytes()
    _, text = post_callback(client, "apply-changes", upload_request(data_dir))
    assert "Sign in with the admin password" in text and path.read_bytes() == before


def test_preview_without_signing_in_reads_nothing(data_dir):
    client = make_client(data_dir, admin_password=PASSWORD)
    values = upload_request(data_dir)
    _, text = post_callback(client, "upload-payload", {**values, "update-party.value": "labour"})
    assert "Sign in with the admin password" in text and "preview-changes" not in text


def test_editing_is_off_on_a_reachable_address_without_a_password(data_dir):
    client = make_client(data_dir, host="0.0.0.0", admin_password="")
    layout = page_text(client)
    assert "Editing is off" in layout and "MEMBERSHIP_ADMIN_PASSWORD" in layout and "upload-data" not in layout
    assert not any(wire(client).callbacks(i) for i in ("apply-changes", "undo-change", "upload-payload"))
    # The request a loopback server would accept finds no callback to run here.
    loopback = wire(make_client(data_dir))
    path = data_dir / "membership.csv"
    before = path.read_bytes()
    request = loopback.envelope(loopback.callback("apply-changes"), upload_request(data_dir))
    assert wire(client).post(request).status >= 400
    assert path.read_bytes() == before


def test_the_callbacks_themselves_refuse_when_editing_is_off(data_dir, monkeypatch):
    """Defence in depth: were the callbacks registered anyway, they would still refuse."""
    import dashboard.web.update_panel as panel

    monkeypatch.setattr(panel, "editing_off_reason", lambda settings: None)  # registers the callbacks
    client = make_client(data_dir, host="0.0.0.0", admin_password="")
    monkeypatch.undo()
    path = data_dir / "membership.csv"
    before = path.read_bytes()
    for password in ("", "anything"):
        sign_in(client, password)
        _, text = post_callback(client, "apply-changes", upload_request(data_dir))
        assert "Editing is off" in text
    assert path.read_bytes() == before


def test_a_reachable_address_with_a_password_asks_to_sign_in(data_dir):
    client = make_client(data_dir, host="0.0.0.0", admin_password=PASSWORD)
    layout = page_text(client)
    assert "Sign in to change data" in layout and "upload-data" not in layout
    sign_in(client)
    layout = page_text(client)
    assert "upload-data" in layout and "Sign out" in layout
    assert PASSWORD not in layout


def test_loopback_without_a_password_allows_editing(data_dir):
    client = make_client(data_dir, host="127.0.0.1", admin_password="")
    _, text = post_callback(client, "apply-changes", upload_request(data_dir))
    assert "Applied change #1" in text


def test_without_a_password_a_request_for_another_host_name_is_refused(data_dir):
    """DNS rebinding: a foreign page whose name now points at 127.0.0.1 still sends its own Host."""
    client = make_client(data_dir, host="127.0.0.1", admin_password="")
    path = data_dir / "membership.csv"
    before = path.read_bytes()
    _, text = post_callback(client, "apply-changes", upload_request(data_dir), {"Host": "evil.example:8050"})
    assert "only accepted through 127.0.0.1 or localhost" in text and path.read_bytes() == before
    _, text = post_callback(client, "apply-changes", upload_request(data_dir), {"Host": "localhost:8050"})
    assert "Applied change #1" in text


def test_a_cross_site_form_post_is_not_even_parsed(data_dir):
    client = make_client(data_dir, host="127.0.0.1", admin_password="")
    response = client.post("/_dash-update-component", data='{"output": "x"}', content_type="text/plain")
    assert response.status_code == 415


def test_apply_of_a_preview_made_before_another_change_is_refused(data_dir):
    client = make_client(data_dir)
    path = data_dir / "membership.csv"
    values = upload_request(data_dir)
    dataset = load_dataset(path)
    other = read_upload(b"Year,Members\n2026,1\n", "other.csv", dataset.parties, defaults_from(["green", "t", "", ""]))
    Store(path).apply(diff(dataset, other))
    before = path.read_bytes()
    _, text = post_callback(client, "apply-changes", values)
    assert "data changed since this preview" in text and path.read_bytes() == before


def test_a_tampered_pending_change_is_refused(data_dir):
    client = make_client(data_dir)
    path = data_dir / "membership.csv"
    before = path.read_bytes()
    values = upload_request(data_dir)
    values["update-pending.data"] = {**values["update-pending.data"], "defaults": ["green", "forged", "", ""]}
    _, text = post_callback(client, "apply-changes", values)
    assert "no longer matches the preview" in text and path.read_bytes() == before


def test_changes_to_existing_figures_need_the_overwrite_box_on_the_server_too(data_dir):
    client = make_client(data_dir)
    path = data_dir / "membership.csv"
    dataset = load_dataset(path)
    year = int(dataset.year_ends().query("party == 'labour'")["year"].max())
    members = int(dataset.year_ends().query("party == 'labour' and year == @year")["members"].item())
    content = f"Year,Members\n{year},{members + 1}\n".encode()
    defaults = ["labour", INVENTED_SOURCE, "", ""]
    preview = diff(dataset, read_upload(content, "fix.csv", dataset.parties, defaults_from(defaults)))
    values = {"apply-changes.n_clicks": 1, "undo-change.n_clicks": 0,
              "update-pending.data": {"kind": "file", "defaults": defaults, "stamp": preview.stamp(),
                                      "digest": preview.digest()},
              "upload-payload.data": {"filename": "fix.csv",
                                      "contents": "data:text/csv;base64," + base64.b64encode(content).decode()}}
    before = path.read_bytes()
    _, text = post_callback(client, "apply-changes", {**values, "overwrite-existing.value": []})
    assert "existing figure(s) would change" in text and path.read_bytes() == before
    _, text = post_callback(client, "apply-changes", {**values, "overwrite-existing.value": ["yes"]})
    assert "Applied change #1" in text


def test_garbage_in_the_callback_request_is_refused_without_writing(data_dir):
    client = make_client(data_dir)
    path = data_dir / "membership.csv"
    before = path.read_bytes()
    status, _ = post_callback(client, "apply-changes", {"apply-changes.n_clicks": 1, "update-pending.data": ["not", "a", "dict"],
                                                        "upload-payload.data": "nope"})
    assert status == 400  # not even of the stores' kind (web/inputs.RULES)
    for pending, payload in (({"kind": "file", "defaults": 5}, {"contents": 7}), ({"kind": "form", "fields": "x"}, None)):
        status, text = post_callback(client, "apply-changes", {"apply-changes.n_clicks": 1, "update-pending.data": pending,
                                                               "upload-payload.data": payload})
        assert status == 200 and "Nothing was changed" in text
    assert path.read_bytes() == before


def test_requests_over_the_size_limit_are_refused_by_the_server(data_dir):
    client = make_client(data_dir, max_upload_bytes=1024)
    status = client.post("/_dash-update-component", data=b"x" * (request_limit(Settings(max_upload_bytes=1024)) + 1),
                         content_type="application/json").status_code
    assert status == 413


@pytest.mark.parametrize("limit, shown", [(3 * 1024 * 1024, "Up to 3 MB."), (512 * 1024, "Up to 512 KB.")])
def test_the_size_limit_is_shown_in_the_panel(data_dir, limit, shown):
    # not the default (5 MB): the panel must show the limit it was given
    layout = page_text(make_client(data_dir, max_upload_bytes=limit))
    assert shown in layout and "Up to 5 MB." not in layout
