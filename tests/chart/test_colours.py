"""Party colours stay apart for everyone: every pair is checked under normal vision and under
simulated deuteranopia and protanopia (Machado et al. 2009, severity 1), by colour difference in the
perceptually uniform CAM02-UCS space, using colour-science rather than hand-written maths."""
from __future__ import annotations

import itertools
import warnings

import numpy as np
import pytest

from dashboard.chart.colours import contrast, text_colour
from dashboard.core.dataset import load_dataset

with warnings.catch_warnings():
    # colour-science says on import that SciPy and Matplotlib are missing; nothing here needs them
    warnings.simplefilter("ignore")
    import colour

MIN_DIFFERENCE = 15.0  # ΔE in CAM02-UCS: two lines this far apart are told apart at a glance
VISIONS = (None, "Deuteranomaly", "Protanomaly")


def seen_as(hex_colour: str, deficiency: str | None) -> np.ndarray:
    """A colour in CAM02-UCS as a person with the deficiency (or none) sees it."""
    rgb = np.array([int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)])
    linear = colour.models.eotf_sRGB(rgb)
    if deficiency:
        linear = np.clip(colour.blindness.matrix_cvd_Machado2009(deficiency, 1.0) @ linear, 0, 1)
    xyz = colour.RGB_to_XYZ(linear, colour.RGB_COLOURSPACES["sRGB"], apply_cctf_decoding=False)
    return colour.XYZ_to_CAM02UCS(xyz)


def difference(a: str, b: str, deficiency: str | None) -> float:
    return float(colour.difference.delta_E_CAM02UCS(seen_as(a, deficiency), seen_as(b, deficiency)))


@pytest.mark.parametrize("deficiency", VISIONS, ids=["normal", "deuteranopia", "protanopia"])
def test_no_two_party_colours_collide(deficiency):
    parties = load_dataset().parties
    close = [(a, b, round(difference(parties[a].colour, parties[b].colour, deficiency), 1))
             for a, b in itertools.combinations(parties, 2)
             if difference(parties[a].colour, parties[b].colour, deficiency) < MIN_DIFFERENCE]
    assert close == []


def test_the_check_catches_the_colours_that_collided_before():
    # the chart's earlier colours: SNP gold #C9A400 and Lib Dem orange #FAA61A; Labour #E4003B and Green #02A95B
    assert difference("#FAA61A", "#C9A400", "Protanomaly") < MIN_DIFFERENCE
    assert difference("#E4003B", "#02A95B", "Deuteranomaly") < MIN_DIFFERENCE


def test_label_text_in_a_party_colour_is_legible_on_white():
    for party in load_dataset().parties.values():
        assert contrast(text_colour(party.colour)) >= 4.5
    assert text_colour("#1f2328") == "#1F2328"
