"""Proxy headers are trusted only when MEMBERSHIP_TRUSTED_PROXIES says so, under gunicorn too (which
by itself believes X-Forwarded-Proto from 127.0.0.1); chart texts refuse control characters and
bidirectional overrides as uploads do."""
from __future__ import annotations

import http.client
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import get_when_serving
from web_helpers import PASSWORD, make_client, post_callback

from dashboard.core.view import view_from_link
from dashboard.web import publish
from testkit.ports import free_port

ROOT = Path(__file__).resolve().parents[2]
BIDI = "\u202e"


def request(port: int, method: str, path: str, body: str = "", headers: dict | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request(method, path, body=body, headers=headers or {})
    answer = connection.getresponse()
    data = answer.read().decode("utf-8", "replace")
    connection.close()
    return answer, data


def gunicorn(data_dir: Path, extra_env: dict[str, str]):
    """gunicorn as the README runs it: from the repository's root (where manage.sh runs it)."""
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("MEMBERSHIP_")}
    env.update({"PYTHONPATH": str(ROOT), "MEMBERSHIP_DATA": str(data_dir / "membership.csv"),
                "MEMBERSHIP_HOST": "127.0.0.1", "MEMBERSHIP_ADMIN_PASSWORD": PASSWORD, **extra_env})
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", "1", "-b", f"127.0.0.1:{port}",
                                "dashboard.web.wsgi:server"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    get_when_serving(f"http://127.0.0.1:{port}/sign-in", process, what="gunicorn")
    return process, port


def stop(process) -> None:
    process.terminate()
    try:
        process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()


def sign_in_over(port: int, forwarded_proto: str):
    answer, _ = request(port, "POST", "/sign-in", f"password={PASSWORD.replace(' ', '+')}",
                        {"Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-Proto": forwarded_proto})
    return answer.getheader("Set-Cookie") or ""


@pytest.mark.process
def test_gunicorn_ignores_x_forwarded_proto_unless_proxies_are_declared(data_dir):
    process, port = gunicorn(data_dir, {})
    try:
        cookie = sign_in_over(port, "https")
        assert cookie.startswith("membership_session=") and "Secure" not in cookie
        _, embed = request(port, "GET", "/embed?parties=labour", headers={"X-Forwarded-Proto": "https"})
        assert f"http://127.0.0.1:{port}/" in embed and "https://127.0.0.1" not in embed
    finally:
        stop(process)
    process, port = gunicorn(data_dir, {"MEMBERSHIP_TRUSTED_PROXIES": "1"})
    try:  # declared: the app's own rule (ProxyFix) takes the proxy's word
        assert "Secure" in sign_in_over(port, "https")
    finally:
        stop(process)


def test_the_gunicorn_settings_trust_no_peer():
    from dashboard.web import gunicorn_conf

    assert gunicorn_conf.forwarded_allow_ips == ""
    assert "from dashboard.web.gunicorn_conf import *" in (ROOT / "gunicorn.conf.py").read_text()


@pytest.mark.parametrize("text", [BIDI + "gninrael", "a\x1bb", "x\u2066y"])
def test_an_image_url_with_a_bidi_override_or_control_character_in_a_text_is_refused(data_dir, monkeypatch, text):
    monkeypatch.setattr(publish, "export_image", lambda *args, **kwargs: b"not drawn")
    client = make_client(data_dir)
    for name in ("title", "subtitle", "note", "credit"):
        answer = client.get("/chart.png", query_string={"parties": "labour", name: text})
        assert answer.status_code == 400 and "control character" in answer.get_data(as_text=True)


def test_a_link_with_a_bidi_override_in_its_title_opens_without_it_and_says_so(data_dir):
    from dashboard.core.dataset import load_dataset

    view, notices = view_from_link(f"parties=labour&title=Membership{BIDI}gninrael", load_dataset(data_dir / "membership.csv"))
    assert view.title == "" and any(n.field == "title" and "control character U+202E" in n.text for n in notices)


def test_the_export_panel_names_a_bidi_override_in_its_title(data_dir):
    client = make_client(data_dir)
    status, text = post_callback(client, "export-view", {"export-view.data": {"parties": ["labour"]},
                                                         "export-width.value": 1200, "export-height.value": 675,
                                                         "export-scale.value": 2, "export-format.value": "png",
                                                         "export-title.value": f"Labour{BIDI}", "export-in-view.data": True},
                                 output="export-preview.figure")
    assert status == 200 and "The title contains the control character U+202E" in text
