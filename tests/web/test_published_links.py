"""The links the server publishes (link previews, the embed, the image link, the downloads' 'about'
sheet) come from MEMBERSHIP_PUBLIC_URL when it is set, never from a request's Host; without it,
an answer built from the Host varies by Host and is not cached publicly, so a forged Host cannot
poison a shared cache. `membership serve` says so when other machines can reach it.
"""
from __future__ import annotations

import io
import zipfile

import dash
import pytest
from web_helpers import make_client, post_callback

from dashboard.cli.main import main as membership
from dashboard.config import Settings

EVIL = "evil.example"
PUBLIC = "https://charts.example.org/membership"


def body_of(answer) -> str:
    """The answer's text; an .xlsx is read as its XML parts."""
    data = answer.get_data()
    answer.close()
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            return "".join(book.read(name).decode("utf-8", "replace") for name in book.namelist())
    return data.decode("utf-8", "replace")


PAGES = ["/?parties=labour", "/embed?parties=labour", "/data/view.xlsx?parties=labour", "/data/membership.xlsx"]


@pytest.mark.parametrize("path", PAGES)
def test_with_a_public_url_no_answer_reflects_the_host(data_dir, path):
    client = make_client(data_dir, public_url=PUBLIC)
    answer = client.get(path, headers={"Host": EVIL})
    text = body_of(answer)
    assert answer.status_code == 200 and EVIL not in text
    assert "Host" not in answer.headers.get("Vary", "")
    if path.startswith(("/embed", "/data/")):
        assert "charts.example.org" in text


def test_with_a_public_url_the_embed_stays_publicly_cacheable(data_dir):
    answer = make_client(data_dir, public_url=PUBLIC).get("/embed?parties=labour", headers={"Host": EVIL})
    answer.close()
    assert "public" in answer.headers["Cache-Control"] and "max-age=300" in answer.headers["Cache-Control"]


def test_with_a_public_url_the_export_panels_links_ignore_the_host(data_dir):
    client = make_client(data_dir, public_url=PUBLIC)
    status, text = post_callback(client, "export-view", {"export-view.data": {"parties": ["labour"]},
                                                         "export-width.value": 1200, "export-height.value": 675,
                                                         "export-scale.value": 2, "export-format.value": "png",
                                                         "export-in-view.data": False}, {"Host": EVIL},
                                 output="export-preview.figure")
    assert status == 200 and EVIL not in text and "charts.example.org" in text


@pytest.mark.parametrize("path", PAGES)
def test_without_a_public_url_an_answer_built_from_the_host_varies_by_host_and_is_not_public(data_dir, path):
    client = make_client(data_dir)
    answer = client.get(path, headers={"Host": EVIL})
    text = body_of(answer)
    assert EVIL in text                                   # the address the reader used, for want of another
    assert "Host" in answer.headers.get("Vary", "")
    assert "public" not in answer.headers.get("Cache-Control", "")


def test_serve_warns_when_other_machines_can_reach_it_without_a_public_url(data_dir, monkeypatch, capsys):
    assert Settings(host="0.0.0.0").public_url_warning and Settings(host="127.0.0.1").public_url_warning is None
    assert Settings(host="0.0.0.0", public_url=PUBLIC).public_url_warning is None
    assert Settings(host_is_known=False).public_url_warning                 # gunicorn without MEMBERSHIP_HOST
    monkeypatch.setattr(dash.Dash, "run", lambda self, **kwargs: None)
    monkeypatch.delenv("MEMBERSHIP_PUBLIC_URL", raising=False)
    assert membership(["serve", "--host", "0.0.0.0", "--data", str(data_dir / "membership.csv")]) == 0
    assert "MEMBERSHIP_PUBLIC_URL is not set" in capsys.readouterr().err
    assert membership(["serve", "--host", "127.0.0.1", "--data", str(data_dir / "membership.csv")]) == 0
    assert "MEMBERSHIP_PUBLIC_URL" not in capsys.readouterr().err
