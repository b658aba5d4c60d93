"""A change rewrites only its own rows of a data file: changed rows edited in place, removed ones dropped, new
ones among their group in order, every other byte as it was."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from dashboard.core.tables import PARTIES, TableSpec
from dashboard.updates.merge import Refused, merged_table

SPEC = TableSpec("figures", "figures.csv", ("party", "year", "members", "note"), ("party", "year"), ("party",), ("year",),
                 ("party",))


@dataclass
class W:
    kind: str
    new: dict
    old: dict | None = None


def merged(text: str, *writes: W, spec: TableSpec = SPEC) -> str:
    return merged_table(text.encode(), spec, writes).decode()


FILE = "party,year,members,note,extra\nlabour,2001,10,,x\nlabour,2003,30,,y\n\ngreen,2001,5,,z\n"


def test_a_new_row_goes_in_order_among_its_group_and_a_first_one_before_the_group():
    out = merged(FILE, W("added", {"party": "labour", "year": 2002, "members": 20}),
                 W("added", {"party": "green", "year": 1999, "members": 4}))
    assert out == ("party,year,members,note,extra\nlabour,2001,10,,x\nlabour,2002,20,,\nlabour,2003,30,,y\n\n"
                   "green,1999,4,,\ngreen,2001,5,,z\n")


def test_a_changed_row_keeps_its_other_cells_and_a_removed_row_goes():
    out = merged(FILE, W("changed", {"party": "labour", "year": 2003, "members": 31, "note": "n"}),
                 W("removed", {"party": "green", "year": 2001}, old={"party": "green", "year": 2001}))
    assert out == "party,year,members,note,extra\nlabour,2001,10,,x\nlabour,2003,31,n,y\n\n"


def test_a_group_ordered_by_hand_gets_its_new_row_after_its_last():
    text = "party,year,members,note\nlabour,2003,30,\nlabour,2001,10,\ngreen,2001,5,\n"
    out = merged(text, W("added", {"party": "labour", "year": 2002, "members": 20}))
    assert out == "party,year,members,note\nlabour,2003,30,\nlabour,2001,10,\nlabour,2002,20,\ngreen,2001,5,\n"


def test_new_groups_go_at_the_end_in_order_and_rows_without_groups_in_the_order_given():
    out = merged(FILE, W("added", {"party": "snp", "year": 2005, "members": 2}),
                 W("added", {"party": "reform", "year": 2020, "members": 1}),
                 W("added", {"party": "reform", "year": 2019, "members": 3}))
    assert out.endswith("green,2001,5,,z\nreform,2019,3,,\nreform,2020,1,,\nsnp,2005,2,,\n")
    parties = merged("slug,name,colour\nlabour,Labour,#E4003B\n", W("added", {"slug": "zz", "name": "Z", "colour": "#000000"}),
                     W("added", {"slug": "aa", "name": "A", "colour": "#111111"}), spec=PARTIES)
    assert parties == "slug,name,colour\nlabour,Labour,#E4003B\nzz,Z,#000000\naa,A,#111111\n"


def test_a_column_the_header_lacks_is_added_when_a_write_fills_it_but_a_key_column_is_refused():
    out = merged("party,year,members\nlabour,2001,10\n\n", W("added", {"party": "labour", "year": 2002, "members": 2, "note": "new"}))
    assert out == "party,year,members,note\nlabour,2001,10,\nlabour,2002,2,new\n\n"
    with pytest.raises(Refused, match="no column 'year'"):
        merged("party,members\nlabour,10\n", W("added", {"party": "labour", "year": 2002, "members": 2}))
