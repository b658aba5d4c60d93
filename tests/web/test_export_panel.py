"""The Export panel's core calls (no browser page): same view as the chart, same bytes as the CLI."""
from __future__ import annotations

import pytest

from dashboard.cli.main import main
from dashboard.core.dataset import load_dataset
from dashboard.core.view import View, resolve, view_to_dict
from dashboard.export.image import SpecError, make_spec
from dashboard.web.export_panel import download_for, export_view, panel_spec
from dashboard.web.layout import chart_config


@pytest.fixture(scope="module")
def dataset():
    return load_dataset()


def test_empty_fields_export_the_charts_own_view(dataset):
    chart_view = resolve(View(parties=("labour", "snp"), start=2010, elections=False), dataset)
    assert export_view(dataset, view_to_dict(chart_view), "", None, " ") == chart_view


def test_panel_texts_replace_the_views(dataset):
    chart_view = resolve(View(title="From the URL"), dataset)
    view = export_view(dataset, view_to_dict(chart_view), "Mine", "Sub", "A note")
    assert (view.title, view.subtitle, view.note) == ("Mine", "Sub", "A note")


def test_camera_button_downloads_at_the_chosen_size(dataset):
    view = resolve(View(), dataset)
    options = chart_config(view, make_spec(1080, 1080, 1, "svg"))["toImageButtonOptions"]
    assert options == {"format": "svg", "width": 1080, "height": 1080, "scale": 1,
                       "filename": "labour-membership-1989-2025"}


@pytest.mark.kaleido
@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_page_download_is_the_cli_file_for_the_same_view(dataset, tmp_path, fmt):
    chart_view = resolve(View(parties=("labour", "libdem"), start=2005, end=2024), dataset)
    data, name = download_for(dataset, view_to_dict(chart_view), 1080, 1080, 1, fmt, "Two parties", "", "", "Chart: me")
    assert name == f"labour-libdem-membership-2005-2024.{fmt}"
    out = tmp_path / name
    assert main(["export", "--out", str(out), "--parties", "labour,libdem", "--start", "2005", "--end", "2024",
                 "--preset", "square", "--scale", "1", "--title", "Two parties", "--credit", "Chart: me"]) == 0
    assert out.read_bytes() == data


def test_an_emptied_size_box_is_a_message_not_a_default_size():
    with pytest.raises(SpecError, match="width is empty"):
        panel_spec(None, 675, 2, "png")
