"""The writer's marks in exported images: drawn clear of the direct labels and of each other in the
file itself (measured in Chromium), and legible in a 700 px blog column (read back with Tesseract)."""
from __future__ import annotations

import io
import re

import pytest
from helpers import BLOG_COLUMN, ocr
from PIL import Image

from dashboard.chart.style import text_px
from dashboard.core.dataset import load_dataset
from dashboard.core.view import view_from_link
from dashboard.export.image import export_figure_dict, export_image, make_spec

pytestmark = pytest.mark.kaleido

FIVE = "labour,conservative,libdem,snp,green"
# the five-party 2015-2025 view, with notes where the chart is busiest: at elections, on lines, at the end
MARKED = (f"?parties={FIVE}&start=2015&end=2025&mark=2015-09-12@labour:Corbyn%20elected"
          "&mark=2017-06-08:Snap%20election&mark=2019-12-12@labour:Labour%27s%20worst%20result%20since%201935"
          "&mark=2020-04-04@labour:Starmer%20elected&mark=2024-07-04:Labour%20wins%20the%20general%20election"
          "&mark=2025-06-01@green:Green%20surge%20begins&highlight=2015-09-12:2020-04-04:Corbyn%20years"
          "&highlight=2024-07-04:2025-12-31:In%20government")


@pytest.fixture(scope="module")
def dataset():
    return load_dataset()


def drawn_boxes(chromium, svg: bytes, names: list[str]) -> dict[str, dict]:
    """Each named annotation's box as Chromium lays out the exported SVG."""
    page = chromium.new_page()
    try:
        page.set_content(f"<!DOCTYPE html><body style='margin:0'>{svg.decode()}</body>")
        boxes = page.evaluate("""() => Array.from(document.querySelectorAll('g.annotation')).map(g => {
            const text = g.querySelector('.annotation-text-g') || g;
            const r = text.getBoundingClientRect();
            return [Number(g.getAttribute('data-index')), {left: r.left, right: r.right, top: r.top, bottom: r.bottom}];
        })""")
    finally:
        page.close()
    return {names[i]: box for i, box in boxes if names[i]}


def meets(a: dict, b: dict) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


@pytest.mark.parametrize("size", [(1200, 675), (1080, 1350)], ids=["1200x675", "1080x1350"])
def test_no_note_in_an_exported_svg_meets_a_direct_label_or_another_note(dataset, chromium, size):
    view, notices = view_from_link(MARKED, dataset)
    assert notices == []
    spec = make_spec(*size, 1, "svg")
    names = [a.get("name", "") for a in export_figure_dict(dataset, view, spec)["layout"]["annotations"]]
    boxes = drawn_boxes(chromium, export_image(dataset, view, spec), names)
    marks = {n: b for n, b in boxes.items() if n.startswith(("note-", "highlight-"))}
    labels = {n: b for n, b in boxes.items() if n.startswith("label-")}
    assert len(marks) == 8 and len(labels) == 5
    clashes = [(a, b) for a in marks for b in [*marks, *labels] if a != b and meets(marks[a], {**marks, **labels}[b])]
    assert clashes == []


def region(png: bytes, figure: dict, name: str, scale: int) -> bytes:
    """The part of the image around a named annotation (plotly lays it out from the plot's corner)."""
    layout = figure["layout"]
    margin, width, height = layout["margin"], layout["width"], layout["height"]
    note = next(a for a in layout["annotations"] if a.get("name") == name)
    plot_w, plot_h = width - margin["l"] - margin["r"], height - margin["t"] - margin["b"]
    x = margin["l"] + note["x"] * plot_w
    y = margin["t"] + (1 - note["y"]) * plot_h
    size = note["font"]["size"]
    text = re.sub(r"<[^>]+>", "", note["text"])
    box = (x - 4, y - 0.95 * size, x + text_px(text, size, bold=True) + 10, y + 0.95 * size)  # its one line
    with Image.open(io.BytesIO(png)) as picture:
        cut = picture.crop(tuple(round(v * scale) for v in box))
        out = io.BytesIO()
        cut.save(out, "PNG")
    return out.getvalue()


def test_a_note_and_a_period_label_are_legible_in_the_png_shown_700_px_wide(dataset):
    view, _ = view_from_link(f"?parties={FIVE}&start=2015&end=2025&mark=2017-06-08:Snap%20election%20surge"
                             "&highlight=2015-09-12:2020-04-04:Corbyn%20years", dataset)
    spec = make_spec(1200, 675, 1, "png")
    png = export_image(dataset, view, spec)
    figure = export_figure_dict(dataset, view, spec)
    figure["layout"].setdefault("width", spec.width)
    # read where a reader looks for it, at the size a 700 px column shows it: the plot's lines
    # around a note make Tesseract take a whole-page read for a drawing
    for name, words in (("note-0", "Snap election surge"), ("highlight-0", "Corbyn years")):
        part = region(png, figure, name, 1)
        with Image.open(io.BytesIO(part)) as cut:
            shown = round(cut.width * BLOG_COLUMN / spec.width)
        assert words in ocr(part, shown), name
