"""The page under faults: a data file broken while serving or at start-up, a damaged history,
a folder that cannot be written, and reader callbacks posted with the wrong types."""
from __future__ import annotations

import logging
import shutil
import subprocess
from pathlib import Path

import pytest
from helpers import read_only_folder
from web_helpers import BROKEN, UNDO_1, break_file, make_client, page_text, post_callback, upload_request, wire

from dashboard.updates.store import Store


def test_a_data_file_broken_while_serving_keeps_the_page_and_the_download(data_dir):
    client = make_client(data_dir)
    path = data_dir / "membership.csv"
    good_csv = client.get("/data/membership.csv").get_data()
    break_file(path)
    layout = page_text(client)
    assert "membership-chart" in layout and "export-panel" in layout and "update-panel" in layout
    assert "data-banner" in layout and f"'{BROKEN}' is not a whole number" in layout  # an editor sees what to fix
    download = client.get("/data/membership.csv")
    assert download.status_code == 200 and download.get_data() == good_csv
    path.write_bytes((Path(__file__).resolve().parents[2] / "data" / "membership.csv").read_bytes())
    assert "data-banner" not in page_text(client)


def test_readers_are_told_the_data_is_being_corrected_not_the_problems(data_dir):
    client = make_client(data_dir, host="127.0.0.1", admin_password="secret for this test")
    break_file(data_dir / "membership.csv")
    layout = page_text(client)
    assert "being corrected" in layout and BROKEN not in layout and "membership-chart" in layout


def test_the_server_starts_on_a_broken_file_with_the_last_good_version(data_dir):
    make_client(data_dir)                                   # a first start keeps a good copy
    path = data_dir / "membership.csv"
    break_file(path)
    client = make_client(data_dir)                          # a restart on the broken file
    layout = page_text(client)
    assert "data-banner" in layout and "membership-chart" in layout
    assert client.get("/data/membership.csv").status_code == 200


@pytest.mark.process
def test_membership_serve_starts_on_a_broken_file_and_says_so(data_dir, tmp_path):
    import os
    import sys

    from helpers import HANG_SECONDS, get_when_serving

    from testkit.ports import free_port

    make_client(data_dir)
    break_file(data_dir / "membership.csv")
    port = free_port()
    root = Path(__file__).resolve().parents[2]
    process = subprocess.Popen([sys.executable, "-m", "dashboard.cli.main", "serve", "--port", str(port), "--data",
                                str(data_dir / "membership.csv")], cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(root)},
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert get_when_serving(f"http://127.0.0.1:{port}/data/membership.csv", process).startswith(b"party,")
    finally:
        process.terminate()
        out, err = process.communicate(timeout=HANG_SECONDS)
    assert "last good version" in out and "Traceback" not in err


def test_with_no_copy_on_disk_the_version_in_memory_is_served(data_dir):
    client = make_client(data_dir)
    good = client.get("/data/membership.csv").get_data()
    break_file(data_dir / "membership.csv")
    shutil.rmtree(data_dir / ".history")
    answer = client.get("/data/membership.csv")
    assert answer.status_code == 200 and answer.get_data() == good


ENTRY = ('{"id": %s, "when": "2026-01-01T00:00:00+00:00", "who": "x", "action": "apply", "source": "x.csv", '
         '"before": "0123456789abcdef", "after": "fedcba9876543210", "changes": %s}')
DAMAGE = {
    "invalid UTF-8": b'{"id": 7, "who": "\xff"}',
    "a change lacking its key": (ENTRY % ("2", '[{"old": null, "new": {"members": 5}}]')).encode(),
    "an id of the wrong type": (ENTRY % ('"2"', "[]")).encode(),
}


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_a_damaged_history_keeps_the_panels_on_the_page(data_dir, damage):
    client = make_client(data_dir)
    post_callback(client, "apply-changes", upload_request(data_dir))
    log = Store(data_dir / "membership.csv").log_path
    with open(log, "ab") as handle:
        handle.write(damage + b"\n")
    layout = page_text(client)
    assert "export-panel" in layout and "upload-data" in layout and "#1" in layout
    _, text = post_callback(client, "undo-change", UNDO_1)
    assert "Undone" in text


def test_undo_from_a_page_shown_before_another_change_is_refused(data_dir):
    client = make_client(data_dir)
    path = data_dir / "membership.csv"
    _, first = post_callback(client, "apply-changes", upload_request(data_dir))
    _, second = post_callback(client, "apply-changes", upload_request(data_dir, members=654321))
    assert "Applied change #1" in first and "Applied change #2" in second  # the page showed "Undo #1" before #2
    before = path.read_bytes()
    _, text = post_callback(client, "undo-change", UNDO_1)
    assert "latest change is now #2, not #1" in text and path.read_bytes() == before


def test_apply_into_a_read_only_folder_says_so_in_one_line(data_dir):
    client = make_client(data_dir)
    path = data_dir / "membership.csv"
    values = upload_request(data_dir)
    before = path.read_bytes()
    with read_only_folder(data_dir):
        status, text = post_callback(client, "apply-changes", values)
    assert status == 200 and "Nothing was changed: cannot write" in text and "Traceback" not in text
    assert path.read_bytes() == before


WRONG = [5, "text", [1, 2, 3], {"a": 1}, True, None]


@pytest.mark.parametrize("input_id", ["party-select", "year-range", "annotations", "view-store", "url"])
def test_reader_callbacks_answer_wrong_types_with_400_and_no_traceback(data_dir, input_id, caplog):
    client = make_client(data_dir)
    dep = wire(client).callback("party-select")
    good = {"url.search": "", "party-select.value": ["labour"], "year-range.value": [1989, 2024],
            "annotations.value": ["elections"], "viewport-width.data": None, "data-version.data": "x",
            "view-store.data": {"parties": ["labour"]}}
    key = next(f"{i['id']}.{i['property']}" for i in dep["inputs"] + dep["state"] if i["id"] == input_id)
    statuses = set()
    with caplog.at_level(logging.ERROR):
        for wrong in WRONG:
            if wrong is None or (input_id == "url" and isinstance(wrong, str)) or (input_id == "view-store"
                                                                                   and isinstance(wrong, dict)):
                continue  # valid: an address is any text; unknown keys of a stored view are ignored
            status, _ = post_callback(client, "party-select", {**good, key: wrong})
            statuses.add(status)
    assert statuses == {400}
    assert not [r for r in caplog.records if r.exc_info]


def test_export_callbacks_answer_wrong_types_with_400(data_dir, caplog):
    client = make_client(data_dir)
    with caplog.at_level(logging.ERROR):
        status, _ = post_callback(client, "export-preset", {"export-preset.value": ["blog"], "export-width.value": 1200,
                                                            "export-height.value": 675})
        assert status == 400
        status, _ = post_callback(client, "export-png", {"export-png.n_clicks": 1, "export-title.value": {"x": 1},
                                                         "view-store.data": None})
        assert status == 400
    assert not [r for r in caplog.records if r.exc_info]
