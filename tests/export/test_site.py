"""build-site: a self-contained static page with its files, safe with any data text."""
from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

import pytest

from dashboard.core.dataset import load_dataset
from dashboard.core.view import View, resolve
from dashboard.export import warm_browser
from dashboard.export.data_download import neutralise
from dashboard.export.image import make_spec
from dashboard.export.site import build_site, data_csv

ROOT = Path(__file__).resolve().parents[2]
HOSTILE_SOURCE = '=HYPERLINK("http://evil.example","x") </script><script>alert(1)</script>'


@pytest.fixture
def hostile_dataset(tmp_path):
    """The real data plus one figure whose source is a formula and a script tag."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "dashboard" / "data", data, ignore=shutil.ignore_patterns(".history", "*.lock"))
    with open(data / "membership.csv", "a", encoding="utf-8", newline="") as f:
        csv.writer(f).writerow(["labour", "2024", "1", "2024-06-30", HOSTILE_SOURCE, "", "-1 test row"])
    return load_dataset(data / "membership.csv")


def test_formula_cells_are_neutralised():
    assert neutralise("=1+1") == "'=1+1"
    assert neutralise("@SUM(A1)") == "'@SUM(A1)"
    assert neutralise("-2") == "'-2"
    assert neutralise("Labour accounts") == "Labour accounts"
    assert neutralise(12345) == 12345


def test_csv_has_every_shown_figure_with_source_and_no_live_formula(hostile_dataset):
    view = resolve(View(), hostile_dataset)
    rows = list(csv.DictReader(io.StringIO(data_csv(hostile_dataset, view))))
    assert rows and all(row["source"] for row in rows)
    hostile = [row for row in rows if "HYPERLINK" in row["source"]]
    assert hostile and hostile[0]["source"].startswith("'=") and hostile[0]["note"].startswith("'-")
    assert not any(value.startswith(("=", "+", "@")) for row in rows for value in row.values())


@pytest.mark.kaleido
def test_site_is_self_contained_and_escapes_data(hostile_dataset, tmp_path):
    view = resolve(View(), hostile_dataset)
    out = tmp_path / "site"
    result = build_site(hostile_dataset, view, out, make_spec(800, 450, 1, "png"), base_url="https://blog.example/chart")
    assert result.problems == []
    stem = "labour-membership-1989-2024"
    for name in ("index.html", "plotly.min.js", "embed.html", f"{stem}.png", f"{stem}.svg", f"{stem}.csv", f"{stem}.txt"):
        assert (out / name).stat().st_size > 0, name
    page = (out / "index.html").read_text()
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', page)
    assert scripts == ["plotly.min.js"]  # no CDN: the page works with no network
    assert "http://" not in " ".join(scripts) and "https://" not in " ".join(scripts)
    assert "<script>alert(1)</script>" not in page and "</script><script>alert" not in page
    assert page.count("<script") == page.count("</script>") == 3
    embed = (out / "embed.html").read_text()
    assert embed.startswith('<iframe src="https://blog.example/chart/index.html"')


def test_without_a_browser_the_rest_is_still_written(monkeypatch, tmp_path):
    monkeypatch.setattr("dashboard.export.site.export_image",
                        lambda *a, **k: (_ for _ in ()).throw(warm_browser.BrowserMissing()))
    dataset = load_dataset()
    result = build_site(dataset, resolve(View(), dataset), tmp_path, make_spec())
    assert len(result.problems) == 2 and "apt-get install chromium" in result.problems[0]
    page = (tmp_path / "index.html").read_text()
    assert ".png" not in page.split("<nav>")[1].split("</nav>")[0]  # no link to a file that is not there


@pytest.mark.browser
@pytest.mark.kaleido
def test_static_page_draws_the_chart_offline_and_fits_a_phone(chromium, tmp_path):
    dataset = load_dataset()
    build_site(dataset, resolve(View(), dataset), tmp_path, make_spec(600, 400, 1, "png"))
    for width in (1280, 390):
        context = chromium.new_context(viewport={"width": width, "height": 800})
        page = context.new_page()
        problems: list[str] = []
        note = problems.append
        page.on("console", lambda m, note=note: note(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e, note=note: note(str(e)))
        page.on("request", lambda r, note=note: note("network: " + r.url) if not r.url.startswith("file:") else None)
        page.goto((tmp_path / "index.html").as_uri())
        page.wait_for_selector("#chart .main-svg")
        assert page.locator("#chart").get_by_text("Labour membership, 1989–2024").count() == 1
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width
        assert problems == []
        context.close()
