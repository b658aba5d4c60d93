"""Export core: sizes, bounds, text inside the image, concurrency, missing browser."""
from __future__ import annotations

import html
import io
import os
import threading
from dataclasses import replace

import pytest
from PIL import Image

from dashboard.core.dataset import load_dataset
from dashboard.core.view import View, resolve
from dashboard.export import warm_browser
from dashboard.export.image import PRESETS, SpecError, export_image, make_spec

pytestmark = pytest.mark.kaleido


@pytest.fixture(scope="module")
def dataset():
    return load_dataset()


@pytest.fixture(scope="module")
def labour(dataset):
    return resolve(View(), dataset)


def image(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data)).convert("RGB")


def test_png_size_is_layout_size_times_scale(dataset, labour):
    data = export_image(dataset, labour, make_spec(1200, 675, 2, "png"))
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert image(data).size == (2400, 1350)


def test_png_is_not_blank_and_draws_the_party_colour(dataset, labour):
    picture = image(export_image(dataset, labour, make_spec(600, 400, 1, "png")))
    colours = picture.getcolors(maxcolors=1 << 20)
    assert len(colours) > 50  # text, grid, bands and the line, not a white sheet
    red = dataset.parties["labour"].colour.lstrip("#")
    target = tuple(int(red[i:i + 2], 16) for i in (0, 2, 4))
    assert any(count > 200 and all(abs(a - b) <= 8 for a, b in zip(rgb, target)) for count, rgb in colours)


@pytest.mark.parametrize("size", [(p.width, p.height) for p in PRESETS.values()] + [(400, 700)])
def test_nothing_is_cut_off_at_the_edges(dataset, size):
    """Text that ran past the edge would leave ink in the outermost pixels."""
    view = resolve(View(parties=("labour", "conservative", "reform", "green", "libdem"),
                        title="Has Reform UK overtaken Labour? What the published membership figures say, year by year",
                        note="Reform UK figures are the party's own claims; Conservative figures are rounded."), dataset)
    width, height = size
    picture = image(export_image(dataset, view, make_spec(width, height, 1, "png"), credit="Chart: a test credit"))
    assert picture.size == size
    pixels = picture.load()
    edge = [(x, y) for x in range(width) for y in (0, 1, height - 2, height - 1)]
    edge += [(x, y) for y in range(height) for x in (0, 1, width - 2, width - 1)]
    inked = [xy for xy in edge if min(pixels[xy]) < 200]
    assert not inked, f"ink at the edge of a {width}×{height} image: {inked[:5]}"


def test_svg_contains_title_source_and_credit(dataset, labour):
    view = replace(labour, title="Members & money <2024>")
    svg = export_image(dataset, view, make_spec(1200, 675, 2, "svg"), credit="Chart: A. Blogger").decode()
    assert svg.startswith("<svg")
    assert 'width="1200" height="675"' in svg  # an SVG keeps its layout size whatever the scale
    assert "<2024>" not in svg  # the user's text is text, never markup
    assert "Members & money <2024>" in html.unescape(svg)
    assert "published sources" in svg and "Chart: A. Blogger" in svg


def test_same_view_gives_the_same_bytes_every_time(dataset, labour):
    for fmt in ("png", "svg"):
        spec = make_spec(800, 450, 1, fmt)
        assert export_image(dataset, labour, spec) == export_image(dataset, labour, spec)


def test_concurrent_exports_each_get_their_own_picture(dataset, labour):
    """Kaleido#444: without the lock, threads received each other's images."""
    spec = make_spec(600, 400, 1, "png")
    views = [replace(labour, title=f"Concurrent export number {i}") for i in range(6)]
    expected = [export_image(dataset, v, spec) for v in views]
    assert len(set(expected)) == len(expected)
    results: dict[int, bytes] = {}
    barrier = threading.Barrier(len(views))

    def work(i: int) -> None:
        barrier.wait()
        results[i] = export_image(dataset, views[i], spec)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(views))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert [results.get(i) == expected[i] for i in range(len(views))] == [True] * len(views)


def test_too_small_for_its_text_is_a_message_not_a_squashed_chart(dataset, labour):
    with pytest.raises(SpecError, match="make the image taller"):
        export_image(dataset, labour, make_spec(600, 200, 1, "png"))


def test_missing_browser_is_a_message_naming_the_fix(monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    with pytest.raises(warm_browser.BrowserMissing, match=r"apt-get install chromium.*BROWSER_PATH"):
        warm_browser.require_browser()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_worker_starts_its_own_browser_and_gets_the_same_picture(dataset, labour):
    """gunicorn forks workers: a child must not talk to its parent's browser thread (it has none)."""
    spec = make_spec(600, 400, 1, "png")
    expected = export_image(dataset, labour, spec)
    pid = os.fork()
    if pid == 0:  # the child: report by exit code only, never return into pytest
        code = 1
        try:
            same = export_image(dataset, labour, spec) == expected and warm_browser._warm.pid == os.getpid()
            code = 0 if same else 2
            warm_browser.shutdown()
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert export_image(dataset, labour, spec) == expected  # the parent's browser is untouched
