"""A data file broken with no good copy anywhere (no last good version kept, nothing in memory):
the server starts all the same, readers read that the data is being corrected, image and data
routes answer 503 with Retry-After, and the signed-in editor sees the located problems and uploads
a corrected file through the page. `membership check` stays strict."""
from __future__ import annotations

import base64
import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from helpers import get_when_serving
from web_helpers import BROKEN, PASSWORD, break_file, make_client, sign_in, wire

from dashboard.cli.main import main as membership
from dashboard.updates.store import Store
from testkit.ports import free_port

ROOT = Path(__file__).resolve().parents[2]
ROUTES_NEEDING_DATA = ["/chart.png?parties=labour", "/chart.svg", "/embed", "/data/membership.csv",
                       "/data/membership.xlsx", "/data/view.csv", "/data/view.xlsx"]


def upload_corrected(client, content: bytes, name: str = "membership.csv"):
    """(status, body) of the repair page's upload of `content` as the file `name`."""
    answer = wire(client).call("repair-upload", {
        "repair-upload.contents": "data:text/csv;base64," + base64.b64encode(content).decode(),
        "repair-upload.filename": name})
    return answer.status, answer.text


@pytest.fixture
def broken(data_dir) -> Path:
    """The data file broken before any server kept a good copy of it."""
    path = data_dir / "membership.csv"
    assert not Store(path).last_good_path.exists()
    break_file(path)
    return path


def test_readers_get_a_page_saying_the_data_is_being_corrected_and_503_elsewhere(broken):
    client = make_client(broken.parent, admin_password=PASSWORD)
    page = client.get("/")
    assert page.status_code == 200
    layout = client.get("/_dash-layout").get_data(as_text=True)
    assert "being corrected" in layout and BROKEN not in layout and "repair-upload" not in layout
    assert "repair-sign-out" not in layout and "sign-in?next=" in layout
    for path in ROUTES_NEEDING_DATA:
        answer = client.get(path)
        assert answer.status_code == 503 and int(answer.headers["Retry-After"]) > 0, path
        assert "being corrected" in answer.get_data(as_text=True)


def test_the_editor_sees_the_problems_and_uploads_a_corrected_file_through_the_page(broken):
    good = (ROOT / "data" / "membership.csv").read_bytes()
    client = make_client(broken.parent, admin_password=PASSWORD)
    visitor = client.application.test_client()
    _, text = upload_corrected(visitor, good)
    assert "Sign in with the admin password" in text and BROKEN.encode() in broken.read_bytes()
    sign_in(client)
    layout = client.get("/_dash-layout").get_data(as_text=True)
    assert f"'{BROKEN}' is not a whole number" in layout and "row 2" in layout and "repair-upload" in layout
    assert "repair-sign-out" in layout                         # the editor can sign out from here too
    status, text = upload_corrected(client, good.replace(b"Labour", b"Labour", 1) + b"labour,notayear,1,,,,,\n",
                                    "still-broken.csv")
    assert status == 200 and "Nothing was changed" in text and "still-broken.csv" in text
    assert BROKEN.encode() in broken.read_bytes()
    status, text = upload_corrected(client, good)
    assert status == 200 and "the dashboard is back" in text
    assert broken.read_bytes() == good
    assert client.get("/data/membership.csv").status_code == 200
    assert "membership-chart" in client.get("/_dash-layout").get_data(as_text=True)
    entry = Store(broken).entries()[-1]
    assert entry.source == "membership.csv" and entry.who.startswith("web page (signed in")
    Store(broken).undo(who="test")                            # the broken bytes come back exactly
    assert BROKEN.encode() in broken.read_bytes()


def test_a_corrected_copy_is_refused_while_the_file_is_fine(data_dir):
    client = make_client(data_dir)
    before = (data_dir / "membership.csv").read_bytes()
    _, text = upload_corrected(client, before.replace(b"\n", b"\r\n"))
    assert "is valid now" in text and (data_dir / "membership.csv").read_bytes() == before


def test_membership_check_stays_strict_on_the_broken_file(broken, capsys):
    assert membership(["check", "--data", str(broken)]) == 2
    assert "is not a whole number" in capsys.readouterr().err


@pytest.mark.process
def test_gunicorn_starts_on_a_broken_file_with_no_good_copy(broken, tmp_path):
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("MEMBERSHIP_")}
    env.update({"PYTHONPATH": str(ROOT), "MEMBERSHIP_DATA": str(broken), "MEMBERSHIP_HOST": "127.0.0.1"})
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}",
                                "dashboard.web.wsgi:server"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        layout = get_when_serving(url + "/_dash-layout", process, what="gunicorn on a broken file")
        assert "repair-upload" in layout.decode()  # this machine edits: it is shown what to fix
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(url + "/chart.png", timeout=60)
        refused.value.close()
        assert refused.value.code == 503 and refused.value.headers["Retry-After"]
    finally:
        process.terminate()
        process.communicate(timeout=20)
