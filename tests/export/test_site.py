"""build-site: a self-contained static page with its files, safe with any data text."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from dashboard.core.dataset import load_dataset
from dashboard.core.view import View, resolve
from dashboard.export import warm_browser
from dashboard.export.data_download import figures_csv, figures_xlsx, neutralise
from dashboard.export.image import filename_for, make_spec
from dashboard.export.site import build_site

ROOT = Path(__file__).resolve().parents[2]
HOSTILE_SOURCE = '=HYPERLINK("http://evil.example","x") </script><script>alert(1)</script>'


@pytest.fixture
def hostile_dataset(tmp_path):
    """The real data plus one figure whose source is a formula and a script tag."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns(".history", "*.lock"))
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
    rows = list(csv.DictReader(io.StringIO(figures_csv(hostile_dataset, view).decode())))
    assert rows and all(row["source"] for row in rows)
    hostile = [row for row in rows if "HYPERLINK" in row["source"]]
    assert hostile and hostile[0]["source"].startswith("'=") and hostile[0]["note"].startswith("'-")
    assert not any(value.startswith(("=", "+", "@")) for row in rows for value in row.values())


def test_xlsx_has_the_figures_as_text_never_a_formula(hostile_dataset):
    view = resolve(View(), hostile_dataset)
    book = load_workbook(io.BytesIO(figures_xlsx(hostile_dataset, view, {"title": "=cmd|' /C calc'!A0"})))
    figures = list(book["figures"].iter_rows(values_only=True))
    assert figures[0][:4] == ("party", "party_name", "year", "members")
    assert len(figures) - 1 == len(list(csv.DictReader(io.StringIO(figures_csv(hostile_dataset, view).decode()))))
    hostile = [row for row in figures if "HYPERLINK" in str(row)]
    assert hostile and all(not str(cell).startswith("=") for row in figures for cell in row)
    assert isinstance(figures[1][3], int)  # members stay numbers
    assert book["about"]["B1"].value.startswith("'=")


@pytest.mark.kaleido
def test_site_is_self_contained_and_escapes_data(hostile_dataset, tmp_path):
    view = resolve(View(), hostile_dataset)
    out = tmp_path / "site"
    result = build_site(hostile_dataset, view, out, make_spec(800, 450, 1, "png"), base_url="https://blog.example/chart")
    assert result.problems == [] and result.notes == []
    stem = filename_for(view, "png").removesuffix(".png")
    for name in ("index.html", "plotly.min.js", "chart-page.js", "embed.html", "metadata.json", f"{stem}.png",
                 f"{stem}.svg", f"{stem}.csv", f"{stem}.xlsx", f"{stem}.txt", f"{stem}-1200x630.png",
                 "chart-640.js", "chart-640.webp", "chart-640-dark.webp"):
        assert (out / name).stat().st_size > 0, name
    page = (out / "index.html").read_text()
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', page)
    assert scripts == ["chart-page.js"]  # plotly.min.js and a chart-*.js beside it when the chart is touched
    config = json.loads(re.search(r'<script id="chart-config" type="application/json">(.*?)</script>', page).group(1))
    assert config["plotly"] == "plotly.min.js" and config["figures"]["640"] == "chart-640.js"  # no CDN: no network needed
    for text in (page, (out / "chart-640.js").read_text()):
        assert "<script>alert(1)</script>" not in text and "</script><script>alert" not in text
    assert page.count("<script") == page.count("</script>") == 2
    assert f'<meta property="og:image" content="https://blog.example/chart/{stem}-1200x630.png">' in page
    embed = (out / "embed.html").read_text()
    assert embed.startswith('<iframe src="https://blog.example/chart/index.html"')


def test_without_base_url_links_stay_relative_and_no_host_is_made_up(monkeypatch, tmp_path):
    monkeypatch.setattr("dashboard.export.site.export_image", lambda *a, **k: b"\x89PNG test image")
    monkeypatch.setattr("dashboard.export.site.screen_image", lambda *a, **k: b"RIFF test image")
    dataset = load_dataset()
    result = build_site(dataset, resolve(View(), dataset), tmp_path, make_spec())
    assert any("embed.html" in note and "relative" in note for note in result.notes)
    assert any("og:image" in note for note in result.notes)
    written = " ".join(p.read_text(errors="replace") for p in tmp_path.iterdir() if p.suffix in (".html", ".json"))
    assert "example.org" not in written and "PATH" not in written
    assert (tmp_path / "embed.html").read_text().startswith('<iframe src="index.html"')
    assert 'property="og:image"' not in (tmp_path / "index.html").read_text()


def test_metadata_json_says_what_from_which_data_under_which_licence(monkeypatch, tmp_path):
    monkeypatch.setattr("dashboard.export.site.export_image", lambda *a, **k: b"\x89PNG test image")
    monkeypatch.setattr("dashboard.export.site.screen_image", lambda *a, **k: b"RIFF test image")
    dataset = load_dataset()
    view = resolve(View(parties=("labour", "snp"), start=2000), dataset)
    build_site(dataset, view, tmp_path, make_spec(), base_url="https://charts.example/labour/", licence="CC BY 4.0")
    meta = json.loads((tmp_path / "metadata.json").read_text())
    assert meta["title"] == f"Party membership, 2000–{view.end}"
    assert meta["view"]["query"] == f"?parties=labour,snp&start=2000&end={view.end}"
    assert meta["view"]["parties"] == ["labour", "snp"]
    assert meta["data_version"] == dataset.version
    assert meta["licence"] == "CC BY 4.0" and meta["base_url"] == "https://charts.example/labour"
    generated = dt.datetime.fromisoformat(meta["generated"].replace("Z", "+00:00"))
    assert abs((dt.datetime.now(dt.UTC) - generated).total_seconds()) < 120
    rows = list(csv.DictReader(io.StringIO((tmp_path / meta["files"]["csv"]).read_text())))
    assert {s["name"] for s in meta["sources"]} == {row["source"] for row in rows}
    assert sum(s["figures"] for s in meta["sources"]) == meta["figures"] == len(rows)
    assert all((tmp_path / name).exists() for name in meta["files"].values())


def test_without_a_browser_the_rest_is_still_written(monkeypatch, tmp_path):
    missing = lambda *a, **k: (_ for _ in ()).throw(warm_browser.BrowserMissing())  # noqa: E731
    monkeypatch.setattr("dashboard.export.site.export_image", missing)
    monkeypatch.setattr("dashboard.export.site.screen_image", missing)
    dataset = load_dataset()
    result = build_site(dataset, resolve(View(), dataset), tmp_path, make_spec())
    assert len(result.problems) == 4 and "apt-get install chromium" in result.problems[0]
    assert not list(tmp_path.glob("chart-*.webp")) and (tmp_path / "chart-640.js").exists()  # the live chart still draws
    page = (tmp_path / "index.html").read_text()
    nav = page.split('<nav class="below links">')[1].split("</nav>")[0]
    assert ".png" not in nav and ".svg" not in nav and ".csv" in nav  # no link to a file that is not there
    assert "<noscript><p" in page and "<noscript><img" not in page  # the alt text instead of a missing PNG


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
        files: list[str] = []
        page.on("request", lambda r, files=files: files.append(r.url.rsplit("/", 1)[-1]))
        page.goto((tmp_path / "index.html").as_uri())
        page.wait_for_function("() => document.querySelector('.chart-image').naturalWidth > 0")
        page.wait_for_load_state("networkidle")
        assert [name for name in files if name.endswith(".js")] == ["chart-page.js"]  # the image first, no plotly.js
        page.locator("#chart-box").hover()  # the reader's pointer on the image starts the live chart
        page.wait_for_selector("#chart .main-svg")
        assert "plotly.min.js" in files and [n for n in files if re.fullmatch(r"chart-\d+\.js", n)]  # then the figure
        assert page.locator("#chart").get_by_text("Labour membership, 1989–2025").count() == 1
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width
        assert problems == []
        context.close()
