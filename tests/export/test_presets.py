"""Every size preset keeps room for the plot: with the caveat note and the writer's marks the plot
takes at least half of the image's height, no text is under 10 px where the image is shown, and an
image short of room says less rather than shrinking the chart."""
from __future__ import annotations

import re

import pytest

from dashboard.chart.latest import comparison_sentence, latest_rows
from dashboard.core.dataset import load_dataset
from dashboard.core.marks import Mark, Period
from dashboard.core.view import View, resolve
from dashboard.export.image import PRESETS, export_figure_dict, make_spec, read_width
from dashboard.export.image_url import PREVIEW_SIZE

FIVE = ("labour", "conservative", "libdem", "snp", "green")
MARKS = (Mark("2015-09-12", "Corbyn elected", party="labour"), Mark("2017-06-08", "Snap election"))
PERIODS = (Period("2015-09-12", "2020-04-04", "Corbyn years"),)


@pytest.fixture(scope="module")
def dataset():
    return load_dataset()


def marked_view(dataset, parties=FIVE):
    """The view a writer exports: the parties, 2015-2025, notes and a period, and the comparison
    sentence put in the note with the panel's button."""
    view = resolve(View(parties=parties, start=2015, end=2025, marks=MARKS, highlights=PERIODS), dataset)
    return resolve(View(parties=parties, start=2015, end=2025, marks=MARKS, highlights=PERIODS,
                        note=comparison_sentence(latest_rows(dataset, view))), dataset)


def font_sizes(node) -> list[float]:
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "font" and isinstance(value, dict) and "size" in value:
                found.append(float(value["size"]))
            found += font_sizes(value)
    elif isinstance(node, list):
        for item in node:
            found += font_sizes(item)
    elif isinstance(node, str):
        found += [float(px) for px in re.findall(r"font-size:\s*([\d.]+)px", node)]
    return found


def test_there_are_presets_for_a_link_preview_and_a_portrait_post_and_the_preview_uses_one():
    assert (PRESETS["social"].width, PRESETS["social"].height) == (1200, 630) == PREVIEW_SIZE
    assert (PRESETS["portrait"].width, PRESETS["portrait"].height) == (1080, 1350)
    assert {"blog", "square", "wide"} <= set(PRESETS)


@pytest.mark.parametrize("preset", list(PRESETS))
@pytest.mark.parametrize("parties", [FIVE, ("labour", "reform")], ids=["five", "labour-reform"])
def test_the_plot_keeps_half_the_image_and_no_text_is_under_10_px_where_it_is_shown(dataset, preset, parties):
    spec = make_spec(preset=preset, scale=1)
    figure = export_figure_dict(dataset, marked_view(dataset, parties), spec, "Chart: A. Blogger")
    layout = figure["layout"]
    plot = spec.height - layout["margin"]["t"] - layout["margin"]["b"]
    assert plot >= spec.height / 2, f"{preset}: the plot is {plot} of {spec.height} px"
    shown = 1080 if preset == "portrait" else 700  # a blog column; a portrait post at its own width
    sizes = font_sizes({k: v for k, v in layout.items() if k != "hoverlabel"})
    assert min(sizes) * shown / spec.width >= 10, (preset, min(sizes))
    assert read_width(spec) <= shown
    names = [a.get("name", "") for a in layout["annotations"]]
    assert {"note-0", "note-1", "highlight-0"} <= set(names)  # the marks are all drawn
    footer = next(a["text"] for a in layout["annotations"] if a.get("name") == "footer")
    assert "Note: The latest figures differ" in footer and "Chart: A. Blogger" in footer
    assert "Sources" in footer or "Latest figures: " in footer


def test_an_image_short_of_room_says_less_rather_than_shrinking_the_chart(dataset):
    view = marked_view(dataset)
    roomy = export_figure_dict(dataset, view, make_spec(preset="portrait"))
    tight = export_figure_dict(dataset, view, make_spec(preset="social"))

    def footer(figure):
        return next(a["text"] for a in figure["layout"]["annotations"] if a.get("name") == "footer")

    # the portrait post has room for the whole sentence in the note; the link preview says it briefly
    assert comparison_sentence(latest_rows(dataset, view)).split(":")[0] in footer(roomy)
    assert len(footer(tight)) < len(footer(roomy))
    assert "compare with care" in footer(tight)


def test_a_long_note_of_the_writer_is_cut_pointing_to_the_alt_text_only_as_a_last_resort(dataset):
    long_note = "Figures for the smaller parties are rounded by their sources and may not be comparable. " * 6
    view = resolve(View(parties=FIVE, start=2015, end=2025, note=long_note.strip()), dataset)
    figure = export_figure_dict(dataset, view, make_spec(preset="social"))
    footer = next(a["text"] for a in figure["layout"]["annotations"] if a.get("name") == "footer")
    assert "(the whole note is in the alt text)" in footer
    plot = 630 - figure["layout"]["margin"]["t"] - figure["layout"]["margin"]["b"]
    assert plot >= 315
    roomy = export_figure_dict(dataset, view, make_spec(preset="portrait"))
    assert "alt text" not in next(a["text"] for a in roomy["layout"]["annotations"] if a.get("name") == "footer")
