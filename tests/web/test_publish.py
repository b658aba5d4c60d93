"""Publishing routes against a real server on a free port: the chart image at a stable URL (the
panel's bytes, cached, 304, new after an import), link-preview tags in the raw HTML, the embed page."""
from __future__ import annotations

import csv
import io
import threading
import urllib.error
import urllib.request
from html.parser import HTMLParser

import pytest
from PIL import Image

from dashboard.chart.alt_text import alt_text
from dashboard.chart.captions import default_title
from dashboard.cli.main import main
from dashboard.config import Settings
from dashboard.core.dataset import load_dataset
from dashboard.core.view import View, resolve, view_to_dict
from dashboard.export import image as image_module
from dashboard.export import warm_browser
from dashboard.export.image_cache import ImageCache
from dashboard.web.export_panel import download_for
from dashboard.web.publish import publish_links


def get(url: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


class MetaTags(HTMLParser):
    """The <meta> tags of a page, as a crawler that runs no script reads them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        key = values.get("property") or values.get("name")
        if tag == "meta" and key:
            self.tags[key] = values.get("content") or ""


def meta_tags(page: bytes) -> dict[str, str]:
    parser = MetaTags()
    parser.feed(page.decode("utf-8"))
    return parser.tags


@pytest.fixture
def count_renders(monkeypatch):
    """How many images the warm browser was asked to draw (the real one still draws them)."""
    calls: list[str] = []
    real = image_module.render

    def counting(figure, fmt, *args, **kwargs):
        calls.append(fmt)
        return real(figure, fmt, *args, **kwargs)

    monkeypatch.setattr(image_module, "render", counting)
    return calls


@pytest.mark.kaleido
@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_image_url_gives_the_panels_file_for_the_same_view(live_server, data_dir, fmt):
    dataset = load_dataset(data_dir / "membership.csv")
    view = resolve(View(parties=("labour", "snp"), start=2000), dataset)
    panel_bytes, _ = download_for(dataset, view_to_dict(view), 1080, 1080, 1, fmt, "Two parties", "", "", "Chart: me")
    status, headers, body = get(f"{live_server.url}/chart.{fmt}?parties=labour,snp&start=2000&preset=square&scale=1"
                                "&title=Two+parties&credit=Chart:+me")
    assert status == 200 and headers["Content-Type"].startswith(f"image/{fmt}")
    assert body == panel_bytes


@pytest.mark.kaleido
def test_panel_image_link_is_the_url_of_the_panels_file(live_server, data_dir):
    dataset = load_dataset(data_dir / "membership.csv")
    view = resolve(View(parties=("labour", "reform")), dataset)
    spec = image_module.make_spec(1600, 900, 2, "png")
    with live_server.app.server.test_request_context("/", base_url=live_server.url):
        link = publish_links(Settings(), "/", dataset, view, spec, "Chart: A. Blogger")["image"]
    assert link.startswith(f"{live_server.url}/chart.png?") and "preset=wide" in link
    panel_bytes, _ = download_for(dataset, view_to_dict(view), 1600, 900, 2, "png", credit="Chart: A. Blogger")
    assert get(link)[2] == panel_bytes


@pytest.mark.kaleido
def test_second_request_is_served_from_the_cache_without_rendering(live_server, data_dir, count_renders):
    url = f"{live_server.url}/chart.png?parties=labour,libdem&start=2005&scale=1"
    first = get(url)
    assert first[0] == 200 and count_renders == ["png"]
    # the same image however the URL spells it: defaults written out, parameters in another order
    end = resolve(View(parties=("labour", "libdem"), start=2005), load_dataset(data_dir / "membership.csv")).end
    again = get(f"{live_server.url}/chart.png?scale=1&start=2005&parties=labour,libdem&preset=blog&end={end}")
    assert again[2] == first[2] and count_renders == ["png"]
    assert first[1]["ETag"] == again[1]["ETag"] and "max-age" in first[1]["Cache-Control"]
    assert live_server.app.server.config["IMAGE_CACHE"].stats.hits == 1


@pytest.mark.kaleido
def test_if_none_match_gets_304_without_a_body(live_server, count_renders):
    url = f"{live_server.url}/chart.svg?parties=labour&start=2010"
    status, headers, _ = get(url)
    assert status == 200
    status, _, body = get(url, {"If-None-Match": headers["ETag"]})
    assert status == 304 and body == b"" and count_renders == ["svg"]
    assert get(url, {"If-None-Match": '"something-else"'})[0] == 200


@pytest.mark.kaleido
def test_image_changes_after_an_import(live_server, data_dir, tmp_path, count_renders):
    url = f"{live_server.url}/chart.png?parties=labour&start=2015&scale=1"
    before = get(url)
    upload = tmp_path / "new.csv"
    upload.write_text("party,year,members,as_of,source\n"
                      "labour,2020,123456,2020-06-30,TEST invented figure for this test\n", encoding="utf-8")
    assert main(["import", str(upload), "--data", str(data_dir / "membership.csv")]) == 0
    after = get(url)
    assert after[0] == 200 and after[2] != before[2] and after[1]["ETag"] != before[1]["ETag"]
    assert count_renders == ["png", "png"]
    assert get(url, {"If-None-Match": before[1]["ETag"]})[0] == 200  # the old tag is stale now


def test_bad_sizes_and_texts_get_a_message_not_an_image(live_server, count_renders):
    for query, words in (("width=99999", "width must be between 200 and 4000"),
                         ("preset=poster", "unknown size preset 'poster'"),
                         ("width=4000&height=4000&scale=4", "too large"),
                         ("scale=9", "scale must be between 1 and 4"),
                         ("title=" + "x" * 301, "title is 301 characters long; at most 300"),
                         ("credit=a%00b", "credit contains the control character u+0000"),
                         ("note=" + "y" * 5000, "at most 4000")):
        status, headers, body = get(f"{live_server.url}/chart.png?{query}")
        assert status == 400, query
        assert words in body.decode().lower() and headers["Content-Type"].startswith("text/plain")
    assert count_renders == []


def test_cache_stays_within_its_byte_budget_under_a_flood_of_distinct_views():
    cache = ImageCache(max_bytes=10_000)
    for i in range(500):
        cache.get_or_make("v1", f"?title={i}", lambda: b"x" * 1000)
        assert cache.size_bytes <= 10_000
    assert len(cache) == 10 and cache.stats.renders == 500 and cache.stats.evictions == 490
    cache.get_or_make("v1", "?title=499", lambda: pytest.fail("the newest image was evicted"))
    assert cache.get_or_make("v1", "?huge", lambda: b"y" * 5000).data  # served, but not kept: too big
    assert len(cache) == 10 and cache.size_bytes <= 10_000


def test_a_new_data_version_drops_the_old_images():
    cache = ImageCache(max_bytes=10_000)
    cache.get_or_make("v1", "?a", lambda: b"old")
    assert cache.get_or_make("v2", "?a", lambda: b"new").data == b"new"
    assert len(cache) == 1 and cache.size_bytes == 3


def test_requests_for_one_image_at_once_render_it_once():
    cache = ImageCache()
    started, release = threading.Event(), threading.Event()
    renders: list[int] = []

    def slow() -> bytes:
        renders.append(1)
        started.set()
        release.wait(10)
        return b"image"

    results: list[bytes] = []
    threads = [threading.Thread(target=lambda: results.append(cache.get_or_make("v", "?k", slow).data))
               for _ in range(6)]
    for thread in threads:
        thread.start()
    started.wait(10)
    release.set()
    for thread in threads:
        thread.join(10)
    assert results == [b"image"] * 6 and renders == [1]


def test_a_failed_render_is_not_cached_and_reaches_the_caller():
    cache = ImageCache()
    with pytest.raises(warm_browser.RenderFailed):
        cache.get_or_make("v", "?k", lambda: (_ for _ in ()).throw(warm_browser.RenderFailed("crashed")))
    assert len(cache) == 0 and cache.get_or_make("v", "?k", lambda: b"ok").data == b"ok"


def test_preview_tags_are_in_the_raw_html_for_the_view_in_the_url(live_server, data_dir):
    status, _, page = get(f"{live_server.url}/?parties=labour,reform&start=2010")
    assert status == 200
    tags = meta_tags(page)
    dataset = load_dataset(data_dir / "membership.csv")
    view = resolve(View(parties=("labour", "reform"), start=2010), dataset)
    assert tags["og:title"] == tags["twitter:title"] == default_title(dataset, view) == f"Party membership, 2010–{view.end}"
    assert alt_text(dataset, view).startswith(tags["og:description"].removesuffix(" …"))
    assert tags["og:url"] == f"{live_server.url}/?parties=labour,reform&start=2010&end={view.end}"
    assert tags["og:image"] == tags["twitter:image"]
    assert tags["og:image"].startswith(f"{live_server.url}/chart.png?parties=labour,reform&start=2010")
    assert (tags["og:image:width"], tags["og:image:height"]) == ("1200", "630")
    assert tags["twitter:card"] == "summary_large_image"
    other = meta_tags(get(f"{live_server.url}/?parties=snp")[2])
    snp = resolve(View(parties=("snp",)), dataset)
    assert other["og:title"] == default_title(dataset, snp) != tags["og:title"] and "snp" in other["og:image"]


@pytest.mark.kaleido
def test_preview_image_is_a_1200_by_630_png(live_server):
    tags = meta_tags(get(f"{live_server.url}/?parties=labour,green")[2])
    status, headers, body = get(tags["og:image"])
    assert status == 200 and headers["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(body)).size == (1200, 630)


def test_preview_tags_escape_text_from_the_url(live_server):
    page = get(f"{live_server.url}/?title=%22%3E%3Cscript%3Ealert(1)%3C/script%3E")[2].decode()
    assert "<script>alert(1)" not in page
    assert meta_tags(page.encode())["og:title"] == '"><script>alert(1)</script>'


def test_public_url_setting_is_used_for_absolute_links(start_server):
    server = start_server(public_url="https://charts.example/membership")
    tags = meta_tags(get(f"{server.url}/?parties=labour")[2])
    assert tags["og:url"].startswith("https://charts.example/membership/?")
    assert tags["og:image"].startswith("https://charts.example/membership/chart.png?")


def test_embed_page_is_cached_and_carries_the_view(live_server):
    status, headers, page = get(f"{live_server.url}/embed?parties=labour,snp&start=2000")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    text = page.decode()
    assert "Get the data" in text and 'href="/data/view.csv?parties=labour,snp&amp;start=2000&amp;end=' in text
    assert '<img class="chart-image" src="/chart-screen.webp?parties=labour%2Csnp&amp;start=2000' in text
    assert meta_tags(page)["og:title"].startswith("Party membership, 2000–")
    assert get(f"{live_server.url}/embed?parties=labour,snp&start=2000", {"If-None-Match": headers["ETag"]})[0] == 304
    for asset in ("/embed/chart-page.js", "/embed/plotly.min.js", "/embed/figures.js?parties=labour,snp&width=640"):
        status, asset_headers, body = get(live_server.url + asset)
        assert status == 200 and asset_headers["Content-Type"].startswith("text/javascript") and body


def test_view_data_downloads_have_the_figures_shown(live_server, data_dir):
    status, headers, body = get(f"{live_server.url}/data/view.csv?parties=snp&start=2015")
    assert status == 200 and "snp-membership-2015-" in headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(body.decode())))
    assert rows and {row["party"] for row in rows} == {"snp"} and all(int(row["year"]) >= 2015 for row in rows)
    status, headers, body = get(f"{live_server.url}/data/view.xlsx?parties=snp&start=2015")
    assert status == 200 and body[:2] == b"PK"


def test_public_url_must_be_an_http_address():
    from dashboard.config import SettingsError

    assert Settings.from_env({"MEMBERSHIP_PUBLIC_URL": "https://x.example/a/"}).public_url == "https://x.example/a"
    for bad in ("x.example", "javascript:alert(1)", "https://x.example/?q=1"):
        with pytest.raises(SettingsError, match="MEMBERSHIP_PUBLIC_URL"):
            Settings.from_env({"MEMBERSHIP_PUBLIC_URL": bad})
    assert Settings.from_env({"MEMBERSHIP_IMAGE_CACHE_MB": "0"}).image_cache_bytes == 0



def test_only_the_embed_page_may_be_framed_by_other_sites(live_server):
    _, embed_headers, _ = get(f"{live_server.url}/embed?parties=labour")
    assert "X-Frame-Options" not in embed_headers
    assert "frame-ancestors" not in embed_headers["Content-Security-Policy"]  # any page, a local file too
    assert "'unsafe-inline'" not in embed_headers["Content-Security-Policy"].split("script-src")[1].split(";")[0]
    for path in ("/", "/?parties=labour", "/data/view.csv"):
        _, headers, _ = get(live_server.url + path)
        assert headers["X-Frame-Options"] == "DENY" and "frame-ancestors 'none'" in headers["Content-Security-Policy"]


@pytest.mark.kaleido
def test_a_panel_download_and_the_image_url_share_one_cached_image(live_server, data_dir, count_renders):
    dataset = load_dataset(data_dir / "membership.csv")
    view = resolve(View(parties=("labour", "green")), dataset)
    images = live_server.app.server.config["IMAGE_CACHE"]
    data, _ = download_for(dataset, view_to_dict(view), 1200, 675, 2, "png", images=images)
    assert get(f"{live_server.url}/chart.png?parties=labour,green")[2] == data
    assert count_renders == ["png"]


MARKED = ("parties=labour,reform&start=2015&end=2025&mark=2015-09-12@labour:Corbyn%20elected"
          "&mark=2024-07-04:Labour%20wins&highlight=2015-09-12:2020-04-04:Corbyn%20years")


def svg_text(svg: bytes) -> str:
    import re

    return " ".join(re.findall(r">([^<>]+)<", svg.decode()))


@pytest.mark.kaleido
def test_a_link_with_two_notes_and_a_period_gives_a_png_and_an_svg_carrying_them(live_server, data_dir):
    dataset = load_dataset(data_dir / "membership.csv")
    status, _, svg = get(f"{live_server.url}/chart.svg?{MARKED}")
    assert status == 200
    text = svg_text(svg)
    assert "Corbyn elected" in text and "Labour wins" in text and "Corbyn years" in text
    # the PNG is the panel's file of the same view, marks and all
    view = resolve_link(MARKED, dataset)
    assert len(view.marks) == 2 and len(view.highlights) == 1
    panel_png, _ = download_for(dataset, view_to_dict(view), 1200, 675, 2, "png")
    status, headers, png = get(f"{live_server.url}/chart.png?{MARKED}")
    assert status == 200 and png == panel_png
    # a mark the image cannot read is a message, not an image without it
    status, _, body = get(f"{live_server.url}/chart.png?parties=labour&mark=2015-02-30:Nope")
    assert status == 400 and b"is not a day of the calendar" in body


def resolve_link(query: str, dataset) -> View:
    from dashboard.core.view import view_from_link

    return view_from_link(query, dataset)[0]


def test_the_embed_draws_the_marks_and_lists_those_outside_its_years(live_server):
    status, _, page = get(f"{live_server.url}/embed?{MARKED}&mark=2001-01-01:Long%20ago")
    text = page.decode()
    assert status == 200 and "Corbyn elected" in text and "Corbyn years" in text
    assert "Outside the years shown (2015–2025), not drawn: the note &#x27;Long ago&#x27; (2001-01-01)." in text


def test_the_comparison_sentence_is_under_the_chart_in_the_embed_and_on_the_page(live_server, data_dir):
    from dashboard.chart.captions import chart_caveat
    from dashboard.web.layout import chart

    dataset = load_dataset(data_dir / "membership.csv")
    view = resolve(View(parties=("labour", "reform")), dataset)
    sentence = chart_caveat(dataset, view)
    assert sentence.startswith("The latest figures differ in basis")
    status, _, page = get(f"{live_server.url}/embed?parties=labour,reform")
    assert status == 200 and f'<p class="caveat">{sentence}'.replace("'", "&#x27;") in page.decode()
    caption = next(c for c in chart(dataset, view).children if getattr(c, "id", None) == "chart-caveat")
    assert caption.children == sentence and not caption.hidden
