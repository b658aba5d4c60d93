"""The page's first response as a reader without scripts (or a crawler) gets it: the chart as an image
of the view in the address, the latest figures and the table, Dash's scripts kept for later, and the
images made in the background, once for every server process."""
from __future__ import annotations

import re
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.chart.latest import comparison_sentence, latest_rows
from dashboard.chart.screen_sizes import PAGE_SIZES, size_for
from dashboard.config import Settings
from dashboard.core.dataset import load_dataset
from dashboard.core.selection import shown_counts
from dashboard.core.view import View, resolve, view_from_query, view_to_query
from dashboard.export import screen_image
from dashboard.web import first_paint
from dashboard.web.app import create_app
from dashboard.web.security import script_hash

DATASET = load_dataset()
PARTIES = sorted(set(DATASET.counts["party"]))


class Page(HTMLParser):
    """What a script-less reader of the first response has: elements by id, images, scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: dict[str, dict[str, str]] = {}
        self.images: list[dict[str, str]] = []
        self.sources: list[dict[str, str]] = []
        self.scripts: list[dict[str, str]] = []
        self.in_template = 0
        self.text: list[str] = []
        self.live_selectors: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = {k: v or "" for k, v in attrs}
        if tag == "template":
            self.in_template += 1
        if "id" in values:
            self.ids[values["id"]] = values
        if "data-live" in values:
            self.live_selectors.append(values["data-live"])
        if tag == "img":
            self.images.append(values)
        if tag == "source":
            self.sources.append(values)
        if tag == "script" and not self.in_template:
            self.scripts.append(values)

    def handle_endtag(self, tag):
        if tag == "template":
            self.in_template -= 1

    def handle_data(self, data):
        self.text.append(data)


def first_response(client, query: str = "") -> tuple[str, Page]:
    response = client.get("/" + query)
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    parsed = Page()
    parsed.feed(text)
    return text, parsed


@pytest.fixture
def client(data_dir):
    app = create_app(Settings(data_path=data_dir / "membership.csv"))
    return app.server.test_client()


def image_views(page: Page) -> set[str]:
    """The canonical query of the view each of the page's chart images draws."""
    candidates = [s["srcset"] for s in page.sources] + [i["srcset"] for i in page.images if "chart-image" in i.get("class", "")]
    urls = [part.split()[0] for srcset in candidates for part in srcset.split(", ")]
    urls += [i["src"] for i in page.images if "chart-image" in i.get("class", "")]
    assert urls
    views = set()
    for url in urls:
        parts = urlsplit(url)
        assert parts.path == "/chart-screen.webp"
        views.add(view_to_query(resolve(view_from_query(parts.query), DATASET)))
    return views


def test_the_first_response_carries_the_chart_image_the_latest_figures_and_the_table(client):
    query = "?parties=labour,reform&start=2010"
    text, page = first_response(client, query)
    view = resolve(view_from_query(query), DATASET)
    assert image_views(page) == {view_to_query(view)}
    image = next(i for i in page.images if "chart-image" in i.get("class", ""))
    assert image["alt"] == "Party membership, 2010–2025"
    words = " ".join(page.text)
    assert comparison_sentence(latest_rows(DATASET, view)) in words
    assert "fp-latest-sentence" in page.ids and "fp-figures-table" in page.ids
    rows = re.findall(r'<tr class="(?:year-end|other-date)"', text.split('id="fp-figures-table"')[1].split("</table>")[0])
    assert len(rows) == len(shown_counts(DATASET, view))
    note = text.index(f'<noscript><p class="js-note">{first_paint.JS_NOTE}</p></noscript>')
    assert text.index('class="chart-image"') < note < text.index('id="fp-latest-panel"')  # under the chart, without scripts


def test_each_screen_gets_the_image_made_for_its_chart_box(client):
    _, page = first_response(client)
    by_media = {s["media"]: (int(s["width"]), int(s["height"])) for s in page.sources}
    for size in PAGE_SIZES[1:]:
        assert by_media[size.media] == (size.width, size.height)
        srcset = next(s["srcset"] for s in page.sources if s["media"] == size.media)
        assert f"width={size.width}&height={size.height}&scale=1" in srcset.split(", ")[0] and srcset.endswith(" 2x")
    assert size_for(1280, PAGE_SIZES).width == 876 and size_for(390, PAGE_SIZES).width == 370


@given(parties=st.lists(st.sampled_from(PARTIES), min_size=1, max_size=5, unique=True),
       start=st.integers(1960, 2030), end=st.integers(1960, 2030), measure=st.sampled_from(["", "change", "index"]),
       extra=st.sampled_from(["", "&elections=0", "&bases=accounts", "&title=A%20%3Cb%3Etitle%3C/b%3E", "&nonsense=1"]))
def test_the_image_always_draws_the_view_the_page_shows(parties, start, end, measure, extra):
    client = _shared_client()
    query = f"?parties={','.join(parties)}&start={start}&end={end}" + (f"&measure={measure}" if measure else "") + extra
    text, page = first_response(client, query)
    canonical = re.search(r'<link rel="canonical" href="http://localhost/(\?[^"]*)?"', text)
    assert canonical is not None
    shown = view_to_query(resolve(view_from_query(query), DATASET))
    assert image_views(page) == {shown}
    assert (canonical.group(1) or "").replace("&amp;", "&") == shown  # the page's own view, as its link names it


_CLIENT: list = []


def _shared_client():
    """One app for every generated case (made once: each makes a page, not an app)."""
    if not _CLIENT:
        _CLIENT.append(create_app(Settings()).server.test_client())
    return _CLIENT[0]


def test_text_from_the_link_is_escaped_in_the_plain_page(client):
    text, page = first_response(client, "?title=%3Cscript%3Ealert(1)%3C/script%3E%22%3E&note=%3Cimg%20src=x%3E")
    assert "<script>alert(1)</script>" not in text and "<img src=x>" not in text
    assert page.images[0]["alt"] == '<script>alert(1)</script>">'  # the attribute holds the text, as text
    assert [i for i in page.images if i.get("src") == "x"] == []


def test_the_plain_page_reuses_no_id_of_the_live_page(client):
    text, page = first_response(client, "?parties=labour,snp")
    plain = text.split('<div id="first-paint"', 1)[1].split('<noscript><style>', 1)[0]
    ids = re.findall(r'\bid="([^"]+)"', plain)
    assert ids and all(i.startswith("fp-") for i in ids[1:]), [i for i in ids if not i.startswith("fp-")]
    assert re.findall(r'\b(?:for|aria-describedby|aria-controls|aria-labelledby)="([^"]+)"', plain)
    for reference in re.findall(r'\b(?:for|aria-describedby|aria-controls|aria-labelledby)="([^"]+)"', plain):
        assert all(part in ids for part in reference.split()), reference  # labels point at the plain page's own elements
    live = client.get("/_dash-layout", headers={"Referer": "http://localhost/?parties=labour,snp"}).get_data(as_text=True)
    for selector in page.live_selectors:  # every stand-in names a live control that exists
        assert f'"{selector[1:].split()[0]}"' in live, selector


def test_dash_scripts_wait_in_an_inert_template_and_only_boot_js_runs(client):
    text, page = first_response(client)
    assert [s.get("src", "") for s in page.scripts if s.get("type") != "application/json"][-1].startswith("/_boot/boot-")
    assert all("src" not in s for s in page.scripts[:-1])  # the ids (inline, by hash) and Dash's config (JSON)
    template = text.split('<template id="deferred-scripts"', 1)[1].split("</template>", 1)[0]
    for name in ("plotly-basic", "react@18", "react-dom@18", "dash_renderer", "dash_core_components", "new DashRenderer"):
        assert name in template, name
    head = text.split("</head>", 1)[0]
    assert 'rel="preload"' not in head  # nothing of the live page is fetched before it is wanted
    assert 'rel="stylesheet"' not in head and ".chart-box" in head  # the styles are in the page: no round trip first
    policy = client.get("/").headers["Content-Security-Policy"]
    for inline in re.findall(r"<script(?: id=\"_dash-renderer\" type=\"application/javascript\")?>(.*?)</script>", template, re.S):
        assert script_hash(inline) in policy  # boot.js runs them as they are: the page's CSP allows them by hash
    assert client.get(page.scripts[-1]["src"]).status_code == 200


def test_without_a_browser_the_page_has_no_image_and_draws_its_live_chart_at_once(data_dir):
    app = create_app(Settings(data_path=data_dir / "membership.csv"))
    app.first_paint.images.browser = False
    text, page = first_response(app.server.test_client(), "?parties=snp")
    assert not [i for i in page.images if "chart-image" in i.get("class", "")] and not page.sources
    assert '<template id="deferred-scripts" data-fetch="/_dash-layout /_dash-dependencies" data-now>' in text
    assert "fp-figures-table" in page.ids and "cannot make the chart" in text


def test_only_the_sizes_the_page_and_embed_show_are_drawn(client):
    for query in ("width=123&height=580", "width=370&height=581", "width=370", "width=x&height=580",
                  "width=370&height=580&theme=sepia", "width=370&height=580&scale=3"):
        response = client.get("/chart-screen.webp?" + query)
        assert response.status_code == 400 and response.mimetype == "text/plain", query


def test_robots_txt_and_the_sitemap_name_the_canonical_view(client):
    robots = client.get("/robots.txt")
    assert robots.status_code == 200 and robots.mimetype == "text/plain"
    lines = robots.get_data(as_text=True).splitlines()
    assert "User-agent: *" in lines and "Disallow: /_dash-" in lines and "Sitemap: http://localhost/sitemap.xml" in lines
    sitemap = client.get("/sitemap.xml")
    assert sitemap.mimetype == "application/xml"
    assert re.search(r"<loc>http://localhost/</loc><lastmod>\d{4}-\d\d-\d\d</lastmod>", sitemap.get_data(as_text=True))


def test_public_url_names_the_canonical_address(start_server):
    server = start_server(public_url="https://charts.example/membership")
    import urllib.request

    with urllib.request.urlopen(server.url + "/?parties=labour,snp&start=2000") as response:
        text = response.read().decode()
    assert '<link rel="canonical" href="https://charts.example/membership/?parties=labour,snp&amp;start=2000&amp;end=' in text
    with urllib.request.urlopen(server.url + "/robots.txt") as response:
        assert "Sitemap: https://charts.example/membership/sitemap.xml" in response.read().decode()


def test_the_default_views_images_are_made_once_for_every_server_process(tmp_path, data_dir, monkeypatch):
    drawn: list[tuple[int, int]] = []
    monkeypatch.setattr(first_paint, "screen_image", lambda figure, size, scale: drawn.append((size.width, scale))
                        or f"image {size.width}x{scale}".encode())
    cache = tmp_path / "cache"
    workers = [create_app(Settings(data_path=data_dir / "membership.csv", cache_dir=cache)) for _ in range(2)]
    for app in workers:  # two processes' worth of apps: each its own memory, one folder on disk
        app.first_paint.images.prepare(load_dataset(data_dir / "membership.csv"))
    assert len(drawn) == len(first_paint.PREPARED) and len(set(drawn)) == len(first_paint.PREPARED) - 1  # 640 light, dark
    assert len(list((cache / "screen-images").glob("*.webp"))) == len(first_paint.PREPARED)
    served = workers[1].server.test_client().get("/chart-screen.webp?width=876&height=580&scale=1")
    assert served.status_code == 200 and served.data == b"image 876x1" and len(drawn) == len(first_paint.PREPARED)
    assert served.mimetype == "image/webp"


def test_images_are_made_in_the_background_without_holding_up_the_server(tmp_path, data_dir, monkeypatch):
    release = threading.Event()
    started = threading.Event()

    def slow(figure, size, scale):
        started.set()
        assert release.wait(60)
        return b"<svg/>"

    monkeypatch.setattr(first_paint, "screen_image", slow)
    app = create_app(Settings(data_path=data_dir / "membership.csv", cache_dir=tmp_path / "cache"))
    first_paint.start(app)
    assert started.wait(60)  # an image is being drawn ...
    text, page = first_response(app.server.test_client(), "?parties=labour")  # ... and the page is served meanwhile
    assert page.images and "fp-figures-table" in page.ids
    release.set()


def test_a_data_change_makes_the_new_default_views_images(tmp_path, data_dir, monkeypatch):
    drawn: list[str] = []
    done = threading.Event()

    def draw(figure, size, scale):
        drawn.append(figure["layout"]["title"]["text"])
        if len(drawn) % len(first_paint.PREPARED) == 0:
            done.set()
        return b"<svg/>"

    monkeypatch.setattr(first_paint, "screen_image", draw)
    app = create_app(Settings(data_path=data_dir / "membership.csv", cache_dir=tmp_path / "cache"))
    first_paint.start(app)
    assert done.wait(60)
    done.clear()
    csv_path = Path(data_dir / "membership.csv")
    csv_path.write_text(csv_path.read_text().replace("labour,1989,", "labour,1989,1", 1))  # an edit, as an apply writes
    app.server.test_client().get("/robots.txt").close()  # any request notices the new data, once answered
    assert done.wait(60)
    assert len(drawn) == 2 * len(first_paint.PREPARED)


def test_a_readers_new_views_share_the_visitors_budget_not_the_editors_queue(data_dir, monkeypatch):
    """Images of views not drawn yet are renders a visitor asked for: beyond the visitors' small budget they
    are told to come back (429 with Retry-After), and the editors' queue keeps its places."""
    from concurrent.futures import ThreadPoolExecutor

    from dashboard.export.queue import ANONYMOUS_CAPACITY, anonymous_queue

    release, entered = threading.Event(), threading.Semaphore(0)

    def slow(figure, size, scale):
        if threading.current_thread().name == "first-paint-images":
            return b"an image"   # another app's preparing, left running by an earlier test: not a reader's
        entered.release()
        assert release.wait(120)
        return b"an image"

    monkeypatch.setattr(first_paint, "screen_image", slow)
    app = create_app(Settings(data_path=data_dir / "membership.csv"))

    def get(start: int):
        answer = app.server.test_client().get(f"/chart-screen.webp?width=876&height=580&scale=1&start={start}")
        return answer.status_code, answer.headers.get("Retry-After")

    with ThreadPoolExecutor(ANONYMOUS_CAPACITY) as pool:
        held = [pool.submit(get, 1990 + n) for n in range(ANONYMOUS_CAPACITY)]
        for _ in range(ANONYMOUS_CAPACITY):
            assert entered.acquire(timeout=120)   # the budget's places are taken by two new views
        status, retry_after = get(2000)
        assert (status, int(retry_after or 0) >= 1) == (429, True)
        assert anonymous_queue().in_flight == ANONYMOUS_CAPACITY   # the readers' draws hold the visitors' places
        release.set()
        assert [f.result()[0] for f in held] == [200] * ANONYMOUS_CAPACITY


def test_screen_image_is_the_pages_own_figure_at_that_size():
    view = resolve(View(parties=("labour", "snp")), DATASET)
    size = size_for(390, PAGE_SIZES)
    figure = screen_image.screen_figure(DATASET, view, size)
    from dashboard.web.layout import page_figure

    live = page_figure(DATASET, view, size.width)
    assert live["layout"].pop("meta") == {"laid_out_for": size.width}
    for trace in figure["data"]:
        trace.pop("uid")
    assert figure == live  # the image is the live chart's own drawing: the switch changes nothing


def test_the_css_switches_layout_where_the_chart_sizes_say_it_does():
    from dashboard.chart.screen_sizes import PAGE_MAX_WIDTH, WIDE_LAYOUT

    css = (Path(first_paint.__file__).parent / "assets" / "style.css").read_text(encoding="utf-8")
    assert f"@media (min-width: {WIDE_LAYOUT}px)" in css and f"@media (max-width: {WIDE_LAYOUT - 1}.98px)" in css
    assert f".page {{ max-width: {PAGE_MAX_WIDTH}px;" in css
    assert "grid-template-columns: 300px minmax(0, 1fr); column-gap: 24px;" in css  # screen_sizes.WIDE_SIDE


def test_screen_image_is_a_lossless_palette_webp_that_keeps_the_leaders_faint_bands():
    import io
    import re as regex

    from PIL import Image

    from dashboard.chart.style import BAND

    size = size_for(390, PAGE_SIZES)
    data = screen_image.screen_image(screen_image.screen_figure(DATASET, resolve(View(), DATASET), size), size, 2)
    assert data[:4] == b"RIFF" and data[12:16] == b"VP8L"  # lossless: no smudges around the text
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (2 * size.width, 2 * size.height)
        colours = image.convert("RGB").getcolors(maxcolors=1 << 16)
    assert colours is not None and len(colours) <= screen_image.COLOURS
    r, g, b, alpha = (float(x) for x in regex.findall(r"[\d.]+", BAND))
    band = tuple(round(255 * (1 - alpha) + c * alpha) for c in (r, g, b))  # the band's tint over white
    assert any(all(abs(a - b) <= 2 for a, b in zip(colour, band)) and count > 1000 for count, colour in colours)
