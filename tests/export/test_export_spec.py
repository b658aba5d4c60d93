"""Export requests: presets, bounds and filenames (no browser needed)."""
from __future__ import annotations

import pytest

from dashboard.core.view import View
from dashboard.export.image import ExportSpec, SpecError, filename_for, make_spec


def test_presets_give_their_sizes():
    assert make_spec(preset="blog") == ExportSpec(1200, 675, 2, "png")
    assert make_spec(preset="square", scale=1) == ExportSpec(1080, 1080, 1, "png")
    assert make_spec(preset="wide", format="SVG") == ExportSpec(1600, 900, 1, "svg")


def test_custom_size_overrides_the_preset():
    assert make_spec(400, 600, 1, "png", preset="blog") == ExportSpec(400, 600, 1, "png")


def test_form_text_is_accepted_as_numbers():
    assert make_spec("800", "450", "2", "png") == ExportSpec(800, 450, 2, "png")


def test_every_out_of_bounds_value_gets_its_own_message():
    with pytest.raises(SpecError) as error:
        make_spec(100, 5000, 9, "gif")
    assert error.value.messages == [
        "width must be between 200 and 4000 pixels, not 100",
        "height must be between 200 and 4000 pixels, not 5000",
        "scale must be between 1 and 4, not 9",
        "format must be one of png, svg, not 'gif'",
    ]


def test_not_a_number_is_a_message():
    with pytest.raises(SpecError, match="width must be a whole number, not 'wide'"):
        make_spec("wide", 600)


def test_huge_png_is_refused_with_what_to_do():
    with pytest.raises(SpecError, match="lower the scale"):
        make_spec(4000, 4000, 4, "png")


def test_unknown_preset_is_named():
    with pytest.raises(SpecError, match="unknown size preset 'poster'"):
        make_spec(preset="poster")


def test_filename_says_parties_and_years():
    assert filename_for(View(parties=("labour",), start=1989, end=2024), "png") == "labour-membership-1989-2024.png"
    assert filename_for(View(parties=("labour", "reform"), start=2015, end=2024), "svg") == \
        "labour-reform-membership-2015-2024.svg"
    many = View(parties=("labour", "conservative", "libdem", "snp"), start=2000, end=2000)
    assert filename_for(many, "png") == "party-membership-2000.png"
