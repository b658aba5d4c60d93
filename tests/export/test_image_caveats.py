"""An exported image carries its caveats inside it, legibly in a 700 px blog column: the basis of the
figures (marker key, labels), the comparison of the latest figures, and a source line true for an
image seen alone. The PNG is read back with Tesseract, as a reader would read it."""
from __future__ import annotations

import io
import re

import pytest
from helpers import BLOG_COLUMN, ocr
from PIL import Image

from dashboard.chart.latest import comparison_sentence, latest_rows
from dashboard.core.dataset import load_dataset
from dashboard.core.view import View, resolve
from dashboard.export import warm_browser
from dashboard.export.image import READ_WIDTH, export_figure, export_image, make_spec

pytestmark = [pytest.mark.kaleido,
              pytest.mark.skipif(warm_browser.find_browser() is None, reason="needs Chrome/Chromium for Kaleido")]
MIN_CSS_PX = 10
FIVE = ("labour", "conservative", "reform", "green", "libdem")


@pytest.fixture(scope="module")
def dataset():
    return load_dataset()


def view_of(dataset, parties, **extra):
    return resolve(View(parties=parties, **extra), dataset)


def font_sizes(node) -> list[float]:
    """Every font size set anywhere in a figure's layout (plotly JSON)."""
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "font" and isinstance(value, dict) and "size" in value:
                found.append(float(value["size"]))
            found += font_sizes(value)
    elif isinstance(node, list):
        for item in node:
            found += font_sizes(item)
    if isinstance(node, str):
        found += [float(px) for px in re.findall(r"font-size:\s*([\d.]+)px", node)]
    return found


@pytest.mark.parametrize("parties", [("labour", "reform"), FIVE])
def test_no_text_is_under_10_css_px_when_a_1200_px_export_is_shown_700_px_wide(dataset, parties):
    figure = export_figure(dataset, view_of(dataset, parties, start=2015, end=2025), make_spec(1200, 675, 2, "png"))
    layout = figure.to_plotly_json()["layout"]
    sizes = font_sizes({k: v for k, v in layout.items() if k != "hoverlabel"})  # hover text is not in an image
    assert sizes and min(sizes) * BLOG_COLUMN / 1200 >= MIN_CSS_PX, sorted(set(sizes))[:5]
    assert READ_WIDTH == BLOG_COLUMN


def test_an_svg_export_of_labour_and_reform_says_how_the_latest_figures_compare(dataset):
    view = view_of(dataset, ("labour", "reform"))
    svg = export_image(dataset, view, make_spec(1200, 675, 1, "svg")).decode()
    text = re.sub(r"\s+", " ", " ".join(re.findall(r">([^<>]+)<", svg)).replace("&#39;", "'").replace("&amp;", "&"))
    assert "The latest figures differ in basis" in text and "333,235 (31 Dec 2024)" in text
    assert "Reform UK 268,631" in text and "own claim, Dec 2025" in text and "Labour below 250,000" in text
    assert "audited accounts" in text and "own claim" in text  # the marker key
    assert "hover" not in text and "data file published" not in text  # true for an image on its own
    assert "the latest figures from BBC News, The Times" in text or "Latest figures: Labour, BBC News" in text


def test_the_png_of_labour_and_reform_carries_the_caveat_legibly_at_700_px(dataset):
    view = view_of(dataset, ("labour", "reform"))
    png = export_image(dataset, view, make_spec(1200, 675, 2, "png"))
    read = ocr(png, BLOG_COLUMN * 2)  # a 700 px column on a 2x screen shows all 1400 pixels of the 2x PNG
    assert "differ in basis" in read and "333,235 (31 Dec 2024)" in read
    assert "Reform UK 268,631" in read and "own claim" in read and "Labour below 250,000" in read
    assert "audited accounts" in read
    # on a 1x screen the same column has 700 pixels: still legible (OCR misses a letter here and there,
    # so only words and figures that matter are checked)
    small = ocr(png, BLOG_COLUMN)
    assert all(word in small for word in ("268,631", "333,235", "basis", "audited accounts", "own claim"))
    sentence = comparison_sentence(latest_rows(dataset, view))
    assert sentence.startswith("The latest figures differ in basis")


def test_the_five_party_png_says_the_latest_figures_differ_and_labels_each_party(dataset):
    view = view_of(dataset, FIVE, start=2015, end=2025)
    text = ocr(export_image(dataset, view, make_spec(1200, 675, 2, "png")), BLOG_COLUMN * 2)
    assert "differ in date and basis" in text
    for label in ("Reform UK 268,631", "Labour below 250,000", "Green more than 180,000", "Conservative about 123,000",
                  "Lib Dems more than 90,000"):
        assert label in text, label
    # every year the axis labels is legible, the first and last years among them: read in the axis's
    # own band (read with the whole chart, Tesseract takes the band for part of the drawing)
    spec = make_spec(1200, 675, 2, "png")
    figure = export_figure(dataset, view, spec)
    labelled = figure.layout.xaxis.ticktext
    assert labelled[0] == "2015" and labelled[-1] == "2025"
    png = export_image(dataset, view, spec)
    with Image.open(io.BytesIO(png)) as picture:
        top = (spec.height - figure.layout.margin.b) * spec.scale
        band = io.BytesIO()
        picture.crop((0, top, picture.width, top + figure.layout.xaxis.tickfont.size * 3 * spec.scale)).save(band, "PNG")
    axis_text = ocr(band.getvalue(), BLOG_COLUMN * 2)
    assert all(year in axis_text for year in labelled), axis_text
