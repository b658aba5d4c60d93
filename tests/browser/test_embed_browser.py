"""The embed and the image URL as a blog reader meets them: a local HTML post with the embed snippet
and an <img> of /chart.png, in headless Chromium, in light and dark mode, at phone to desktop widths."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import save_screenshot
from playwright.sync_api import expect

from dashboard.chart.alt_text import alt_text
from dashboard.chart.dark_theme import DARK_BACKGROUND, dark_colour
from dashboard.chart.screen_sizes import EMBED_SIZES, size_for
from dashboard.config import Settings
from dashboard.core.dataset import load_dataset
from dashboard.core.view import resolve, view_from_query
from dashboard.export.image import make_spec
from dashboard.export.site import build_site
from dashboard.web.publish import publish_links

pytestmark = pytest.mark.browser

VIEW_QUERY = "?parties=labour,reform,libdem&start=2010"


def rgb(hex_colour: str) -> str:
    value = hex_colour.lstrip("#")
    return "rgb({}, {}, {})".format(*(int(value[i:i + 2], 16) for i in (0, 2, 4)))


def as_rgb(colour: str) -> str:
    colour = {"white": "#ffffff", "#fff": "#ffffff"}.get(colour, colour)
    return rgb(colour) if colour.startswith("#") else colour


def blog_post(live_server, data_dir: Path, out: Path) -> Path:
    """A blog post as a blogger would write it: the page's embed code and its image link pasted in."""
    dataset = load_dataset(data_dir / "membership.csv")
    view = resolve(view_from_query(VIEW_QUERY), dataset)
    with live_server.app.server.test_request_context("/", base_url=live_server.url):
        links = publish_links(Settings(), "/", dataset, view)
    post = out / "post.html"
    post.write_text(f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark"><title>A blog post</title>
<style>body {{ font-family: Georgia, serif; max-width: 700px; margin: 0 auto; padding: 0 16px; line-height: 1.5; }}
@media (prefers-color-scheme: dark) {{ body {{ background: #111; color: #ddd; }} }}</style></head>
<body><h1>Has Reform overtaken Labour?</h1><p>The interactive chart:</p>
{links["embed"]}
<p>The same chart as a picture:</p>
<img id="picture" src="{links["image"]}" alt="{alt_text(dataset, view)}" style="width:100%;height:auto">
<p>Thanks for reading.</p></body></html>""", encoding="utf-8")
    return post


def frame_of(page):
    """The embed's frame once its live chart is drawn: the reader's pointer over the chart starts it."""
    page.wait_for_selector("iframe[data-membership-chart]")
    frame = page.frame_locator("iframe[data-membership-chart]")
    frame.locator("#chart-box").hover()
    frame.locator("#chart .main-svg").first.wait_for(timeout=60_000)
    return next(f for f in page.frames if "/embed" in f.url)


def wait_until_frame_fits(page, frame) -> tuple[float, float]:
    """The frame's height once it equals its page's content (the snippet set it by postMessage)."""
    page.wait_for_function(
        """([inner]) => {
            const el = document.querySelector('iframe[data-membership-chart]');
            return el && Math.abs(el.getBoundingClientRect().height - inner) <= 1;
        }""", arg=[frame.evaluate("() => Math.ceil(document.body.getBoundingClientRect().height)")], timeout=20_000)
    outer = page.evaluate("() => document.querySelector('iframe[data-membership-chart]').getBoundingClientRect().height")
    inner = frame.evaluate("() => document.body.getBoundingClientRect().height")
    return outer, inner


@pytest.mark.kaleido
def test_embed_frame_height_follows_its_content_at_320_700_and_1200(live_server, data_dir, tmp_path, chromium):
    post = blog_post(live_server, data_dir, tmp_path)
    context = chromium.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.goto(post.as_uri())
    frame = frame_of(page)
    heights = {}
    for width in (1200, 700, 320):
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_function("([w]) => document.documentElement.clientWidth === w", arg=[width])
        frame_width = page.evaluate("() => document.querySelector('iframe').clientWidth")
        chart_width = size_for(frame_width, EMBED_SIZES).width  # the widest chart the frame holds
        assert chart_width <= frame_width
        frame.wait_for_function("([w]) => Math.abs(document.querySelector('#chart .main-svg').getBoundingClientRect().width - w) <= 1",
                                arg=[chart_width], timeout=20_000)
        outer, inner = wait_until_frame_fits(page, frame)
        heights[width] = outer
        assert frame.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")
        assert frame.evaluate("() => document.documentElement.scrollHeight <= Math.ceil(document.body.getBoundingClientRect().height) + 1")
    assert heights[320] > heights[700]  # the narrow layout is taller: it follows, it is not fixed
    context.close()


@pytest.mark.kaleido
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_blog_post_shows_the_embed_and_the_image_in_light_and_dark_mode(live_server, data_dir, tmp_path, chromium,
                                                                         scheme):
    post = blog_post(live_server, data_dir, tmp_path)
    context = chromium.new_context(viewport={"width": 760, "height": 1500}, color_scheme=scheme)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(post.as_uri())
    frame = frame_of(page)
    wait_until_frame_fits(page, frame)
    page.wait_for_function("() => document.getElementById('picture').complete && document.getElementById('picture').naturalWidth > 0",
                           timeout=60_000)
    assert page.evaluate("() => document.getElementById('picture').naturalWidth") == 2400
    dataset = load_dataset(data_dir / "membership.csv")
    paper = frame.evaluate("() => document.getElementById('chart')._fullLayout.paper_bgcolor")
    body = frame.evaluate("() => getComputedStyle(document.body).backgroundColor")
    labour = frame.evaluate("() => document.getElementById('chart')._fullData.find(t => t.name === 'Labour').line.color")
    if scheme == "dark":
        assert frame.evaluate("() => document.documentElement.dataset.theme") == "dark"
        assert as_rgb(paper) == rgb(DARK_BACKGROUND)
        assert body == rgb(DARK_BACKGROUND)
        assert labour.lower() == dark_colour(dataset.parties["labour"].colour).lower()
    else:
        assert as_rgb(paper) == body == "rgb(255, 255, 255)"
        assert labour.lower() == dataset.parties["labour"].colour.lower()
    expect(frame.get_by_role("link", name="Get the data")).to_have_count(1)
    expect(frame.locator(".source")).to_have_text(re.compile(r"^Source"))
    page.evaluate("() => window.scrollTo(0, 0)")
    save_screenshot(page, f"blog-post-{scheme}.png")
    assert errors == []
    context.close()


@pytest.mark.kaleido
def test_embed_without_javascript_shows_the_image_with_its_alt_text(live_server, data_dir, chromium):
    context = chromium.new_context(viewport={"width": 700, "height": 900}, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/embed" + VIEW_QUERY)
    picture = page.locator("img.chart-image")
    picture.wait_for()
    page.wait_for_function("() => document.querySelector('img.chart-image').naturalWidth > 0", timeout=60_000)
    dataset = load_dataset(data_dir / "membership.csv")
    expect(picture).to_have_attribute("alt", alt_text(dataset, resolve(view_from_query(VIEW_QUERY), dataset)))
    assert picture.bounding_box()["width"] == size_for(700, EMBED_SIZES).width  # the chart made for a 700 px frame
    assert "width=640" in page.evaluate("() => document.querySelector('img.chart-image').currentSrc")
    expect(page.get_by_role("link", name="Get the data")).to_have_count(1)
    context.close()


@pytest.mark.kaleido
def test_static_site_has_no_share_lasso_or_box_select_button(chromium, tmp_path):
    dataset = load_dataset()
    build_site(dataset, resolve(view_from_query("?parties=labour,snp"), dataset), tmp_path, make_spec(800, 450, 1, "png"))
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto((tmp_path / "index.html").as_uri())
    page.hover("#chart-box")  # the reader's pointer on the chart's image starts the live chart
    page.wait_for_selector("#chart .main-svg")
    page.hover("#chart .main-svg")
    titles = page.evaluate("() => Array.from(document.querySelectorAll('#chart .modebar-btn')).map(b => b.dataset.title)")
    assert "Download plot as a PNG" in titles
    unwanted = ("lasso", "box select", "share", "cloud", "chart studio", "zoom", "pan")
    assert not [t for t in titles if any(word in t.lower() for word in unwanted)], titles
    context.close()


@pytest.mark.kaleido
def test_export_panel_gives_the_image_link_and_embed_code_of_the_view(live_server, browser_page):
    page = browser_page
    page.goto(live_server.url + "/?parties=labour,snp&start=2000")
    page.wait_for_function("() => (document.getElementById('export-image-url') || {}).value")
    link = page.input_value("#export-image-url")
    assert link.startswith(f"{live_server.url}/chart.png?parties=labour,snp&start=2000") and "preset=blog" in link
    expect(page.locator("#export-embed-code")).to_have_value(
        re.compile("^" + re.escape(f'<iframe src="{live_server.url}/embed?parties=labour,snp&amp;start=2000')))
    page.get_by_label("Square 1080×1080").check()
    page.wait_for_function("() => document.getElementById('export-image-url').value.includes('preset=square')")
    response = page.request.get(page.input_value("#export-image-url"))
    assert response.status == 200 and response.headers["content-type"] == "image/png"
    assert page.console_log.errors() == []
