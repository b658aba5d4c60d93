"""The dark theme: the house figure's colours mapped so it reads on a dark background and the
parties stay recognisable and apart (for normal vision and simulated deuteranopia and protanopia)."""
from __future__ import annotations

import itertools
import json

import plotly.io as pio
import pytest
from coloraide import Color

from dashboard.chart.dark_theme import (
    DARK_BACKGROUND,
    DISTINCT,
    MIN_CONTRAST,
    MIN_TEXT_CONTRAST,
    apply_colour_map,
    colours_in,
    dark_colour_map,
    dark_party_colours,
    difference,
)
from dashboard.chart.figure import build_figure
from dashboard.core.dataset import load_dataset
from dashboard.core.view import View, resolve


@pytest.fixture(scope="module")
def dataset():
    return load_dataset()


def palette(dataset) -> dict[str, str]:
    return dark_party_colours(tuple(sorted({p.colour.lower() for p in dataset.parties.values()})))


def test_every_party_colour_stands_out_from_the_dark_background_and_keeps_its_hue(dataset):
    dark = palette(dataset)
    for party in dataset.parties.values():
        light, shown = Color(party.colour).convert("oklch"), Color(dark[party.colour.lower()]).convert("oklch")
        assert shown.contrast(DARK_BACKGROUND) >= MIN_CONTRAST - 0.01, party.slug
        hue_shift = abs((light["hue"] - shown["hue"] + 180) % 360 - 180)
        assert hue_shift < 8, party.slug  # still the party's colour


def test_no_two_parties_come_close_in_the_dark_theme(dataset):
    light = [p.colour.lower() for p in dataset.parties.values()]
    closest_on_white = min(difference(a, b) for a, b in itertools.combinations(light, 2))
    dark = palette(dataset)
    for a, b in itertools.combinations(light, 2):
        assert difference(dark[a], dark[b]) >= min(closest_on_white, DISTINCT) - 0.05, (a, b)


def test_a_colour_lightened_towards_another_party_is_moved_on():
    # a dark purple next to a mid blue: lightened only to 3:1 it would look like the blue to a
    # reader with deuteranopia
    dark = dark_party_colours(("#2470fc", "#5b0f77"))
    assert difference(dark["#2470fc"], dark["#5b0f77"]) >= DISTINCT - 0.05


def test_the_dark_figure_has_no_light_paper_ink_or_grid_left(dataset):
    view = resolve(View(parties=("labour", "plaid", "ukip", "green")), dataset)
    figure = json.loads(pio.to_json(build_figure(dataset, view, 900, 560), validate=False))
    colours = dark_colour_map([figure], [p.colour for p in dataset.parties.values()])
    dark = apply_colour_map(figure, colours)
    assert dark["layout"]["paper_bgcolor"] == dark["layout"]["plot_bgcolor"] == DARK_BACKGROUND
    for colour, in_font in colours_in(dark):
        parsed = Color(colour)
        if parsed.alpha() > 0.5 and colour != DARK_BACKGROUND:
            # grid and axis lines as visible as on white; lines, markers and text legible
            least = MIN_TEXT_CONTRAST if in_font else (1.3 if parsed.convert("oklch")["chroma"] < 0.045 else MIN_CONTRAST)
            assert parsed.contrast(DARK_BACKGROUND) >= least - 0.01, (colour, in_font)
    assert Color(dark["layout"]["font"]["color"]).contrast(DARK_BACKGROUND) >= 7  # text reads


def test_colours_in_finds_only_colour_values_and_knows_text_from_lines():
    figure = {"layout": {"title": {"text": "#E4003B in a title", "font": {"color": "#1f2328"}}},
              "data": [{"marker": {"color": ["#E4003B", "#0087DC"]}, "line": {"color": "white"}}]}
    assert sorted(colours_in(figure)) == [("#0087DC", False), ("#1f2328", True), ("#E4003B", False), ("white", False)]
    mapping = {"graphics": {"#E4003B": "x"}, "text": {"#1f2328": "y"}}
    swapped = apply_colour_map(figure, mapping)
    assert swapped["layout"]["title"]["text"] == "#E4003B in a title" and swapped["layout"]["title"]["font"]["color"] == "y"
    assert swapped["data"][0]["marker"]["color"] == ["x", "#0087DC"]
