"""A bound and a month-only date drawn in an exported image, and the key that explains them legible where a
blog shows it (700 px wide), beside a writer's note."""
from __future__ import annotations

import re

import pytest
from helpers import BLOG_COLUMN, ocr

from dashboard.core.dataset import load_dataset
from dashboard.core.view import view_from_link
from dashboard.export.image import export_figure_dict, export_image, make_spec

pytestmark = pytest.mark.kaleido


def test_the_bound_key_and_a_note_are_read_in_the_png_shown_700_px_wide():
    dataset = load_dataset()
    view, notices = view_from_link("?parties=labour,reform&start=2023&end=2025"
                                   "&mark=2024-07-04:Labour%20wins%20the%20election", dataset)
    assert not notices
    spec = make_spec(1200, 675, 1, "png")
    figure = export_figure_dict(dataset, view, spec)
    names = {s.get("name") for s in figure["layout"]["shapes"]}
    assert {"bound-labour-2025-12-01", "span-labour-2025-12-01"} <= names   # drawn in the image, not only the page
    read = ocr(export_image(dataset, view, spec), BLOG_COLUMN)
    # the key's words in their order (OCR at 700 px may lose the thin slashes between them)
    assert re.search(r"below\W+above\W+about", read) and "month or year only" in read, read
    assert "Labour wins the election" in read, read
