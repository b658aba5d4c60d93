"""Party colours stay apart for everyone: every pair is checked under normal vision and under
simulated deuteranopia and protanopia (Machado et al. 2009, full severity), by CIEDE2000 colour
difference, with coloraide rather than hand-written colour maths. The rule is the product's own
(core/party_style.py), the one a new party's colour is checked and picked by."""
from __future__ import annotations

import itertools

import pytest

from dashboard.chart.colours import BUNDLED_TEXT_COLOURS, computed_text_colour, contrast, text_colour
from dashboard.core.dataset import load_dataset
from dashboard.core.party_style import MIN_DIFFERENCE, VISIONS, difference


@pytest.mark.parametrize("deficiency", VISIONS, ids=["normal", "deuteranopia", "protanopia"])
def test_no_two_party_colours_collide(deficiency):
    parties = load_dataset().parties
    close = [(a, b, round(difference(parties[a].colour, parties[b].colour, deficiency), 1))
             for a, b in itertools.combinations(parties, 2)
             if difference(parties[a].colour, parties[b].colour, deficiency) < MIN_DIFFERENCE]
    assert close == []


def test_the_check_catches_the_colours_that_collided_before():
    # the chart's earlier colours: SNP gold #C9A400 and Lib Dem orange #FAA61A; Labour #E4003B and Green #02A95B
    assert difference("#FAA61A", "#C9A400", "protan") < MIN_DIFFERENCE
    assert difference("#E4003B", "#02A95B", "deutan") < MIN_DIFFERENCE


def test_label_text_in_a_party_colour_is_legible_on_white():
    for party in load_dataset().parties.values():
        assert contrast(text_colour(party.colour)) >= 4.5
    assert text_colour("#1F2328") == "#1F2328"


def test_looked_up_text_colours_are_what_coloraide_computes():
    assert {colour: computed_text_colour(colour) for colour in BUNDLED_TEXT_COLOURS} == BUNDLED_TEXT_COLOURS


def test_every_bundled_party_colour_has_its_text_colour_looked_up():
    # a colour missing from the table is still right (computed), but costs every start coloraide's import
    missing = {party.colour.upper() for party in load_dataset().parties.values()} - set(BUNDLED_TEXT_COLOURS)
    assert missing == set(), f"add to BUNDLED_TEXT_COLOURS: {({c: computed_text_colour(c) for c in missing})}"


def test_a_colour_not_in_the_table_is_computed():
    assert "#FFFF00" not in BUNDLED_TEXT_COLOURS
    assert text_colour("#FFFF00") == computed_text_colour("#FFFF00")
    assert contrast(text_colour("#ffff00")) >= 4.5
