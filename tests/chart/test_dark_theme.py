"""The dark theme: the house figure's colours mapped so it reads on a dark background and the
parties stay recognisable and apart."""
from __future__ import annotations

import itertools
import json

import plotly.io as pio
import pytest
from coloraide import Color

from dashboard.chart.dark_theme import (
    DARK_BACKGROUND,
    MIN_CONTRAST,
    apply_colour_map,
    colours_in,
    dark_colour,
    dark_colour_map,
)
from dashboard.chart.figure import build_figure
from dashboard.core.dataset import load_dataset
from dashboard.core.view import View, resolve


@pytest.fixture(scope="module")
def dataset():
    return load_dataset()


def test_every_party_colour_stands_out_from_the_dark_background_and_keeps_its_hue(dataset):
    for party in dataset.parties.values():
        light, dark = Color(party.colour).convert("oklch"), Color(dark_colour(party.colour)).convert("oklch")
        assert dark.contrast(DARK_BACKGROUND) >= MIN_CONTRAST - 0.01, party.slug
        hue_shift = abs((light["hue"] - dark["hue"] + 180) % 360 - 180)
        assert hue_shift < 8, party.slug  # still the party's colour


def test_no_two_parties_come_closer_in_the_dark_theme(dataset):
    colours = [p.colour for p in dataset.parties.values()]
    for a, b in itertools.combinations(colours, 2):
        light = Color(a).delta_e(b, method="2000")
        dark = Color(dark_colour(a)).delta_e(dark_colour(b), method="2000")
        assert dark >= min(light * 0.85, 25), (a, b, light, dark)


def test_the_dark_figure_has_no_light_paper_ink_or_grid_left(dataset):
    view = resolve(View(parties=("labour", "plaid", "ukip", "green")), dataset)
    figure = json.loads(pio.to_json(build_figure(dataset, view, 900, 560), validate=False))
    dark = apply_colour_map(figure, dark_colour_map([figure]))
    assert dark["layout"]["paper_bgcolor"] == dark["layout"]["plot_bgcolor"] == DARK_BACKGROUND
    for colour in colours_in(dark):
        parsed = Color(colour)
        if parsed.convert("oklch")["chroma"] < 0.045 and parsed.alpha() > 0.5 and colour != DARK_BACKGROUND:
            assert parsed.contrast(DARK_BACKGROUND) >= 1.3, colour  # grid, ink, axis lines: as visible as on white
    assert Color(dark["layout"]["font"]["color"]).contrast(DARK_BACKGROUND) >= 7  # text reads


def test_colours_in_finds_only_colour_values():
    figure = {"layout": {"title": {"text": "#E4003B in a title"}, "font": {"color": "#1f2328"}},
              "data": [{"marker": {"color": ["#E4003B", "#0087DC"]}, "line": {"color": "white"}}]}
    assert sorted(colours_in(figure)) == ["#0087DC", "#1f2328", "#E4003B", "white"]
    assert apply_colour_map(figure, {"#E4003B": "x"})["layout"]["title"]["text"] == "#E4003B in a title"
