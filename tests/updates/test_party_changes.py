"""Parties through the same preview as figures: a party figures name but the data does not know, colours
checked with the chart's own rule (or picked), duplicates and aliases, renaming, removing. Parties are
invented (TEST); colours come from the data or from the product's own rule, never typed in."""
from __future__ import annotations

from pathlib import Path

import pytest
from updates_helpers import INVENTED_SOURCE, first_free_year_end

from dashboard.core.dataset import load_dataset
from dashboard.core.party_style import MIN_DIFFERENCE, SYMBOL_GLYPHS, VISIONS, collision, difference, symbol_at
from dashboard.updates import preview_apply
from dashboard.updates.ingest import Defaults
from dashboard.updates.preview_apply import Proposal
from dashboard.updates.store import Store
from dashboard.updates.voice import PAGE


@pytest.fixture(scope="module")
def dataset():
    return load_dataset()


def preview_of(dataset, text: str, voice=None, **defaults):
    proposal = Proposal("up.csv", data=text.encode(), defaults=Defaults(**defaults))
    if voice is not None:
        proposal = Proposal("up.csv", data=text.encode(), defaults=Defaults(**defaults), voice=voice)
    return preview_apply.preview(dataset, proposal)


def test_an_unknown_party_in_figures_is_named_as_written_with_how_to_add_it(dataset):
    year = first_free_year_end(dataset)
    text = f"party,year,members,source\nTEST Newcomers,{year},1,{INVENTED_SOURCE}\n"
    cli = preview_of(dataset, text)
    [problem] = cli.problems
    assert "unknown party 'TEST Newcomers'" in problem.message and "run the import again with --add-parties" in problem.message
    assert (problem.row, problem.column) == (2, "party") and not cli.writes
    page = preview_of(dataset, text, voice=PAGE)
    assert "tick “Add the new parties” and preview again" in page.problems[0].message
    assert "--" not in page.problems[0].message


def test_added_on_request_the_party_and_its_figures_are_one_preview(dataset):
    year = first_free_year_end(dataset)
    preview = preview_of(dataset, f"party,year,members,source\nTEST Newcomers,{year},1,{INVENTED_SOURCE}\n",
                         add_parties=True)
    assert not preview.problems
    party, figure = preview.writes
    assert (party.table, party.new["slug"], party.new["name"]) == ("parties", "testnewcomers", "TEST Newcomers")
    assert figure.new["party"] == "testnewcomers"
    assert dict(preview.symbols) == {"testnewcomers": symbol_at(len(dataset.parties))}


def test_without_a_colour_one_is_picked_that_collides_with_none_and_the_preview_says_so(dataset):
    preview = preview_of(dataset, "name\nTEST Party\n")
    colour = preview.added[0].new["colour"]
    for party in dataset.parties.values():
        assert all(difference(colour, party.colour, v) >= MIN_DIFFERENCE for v in VISIONS), party.name
    [notice] = preview.notices
    assert colour in notice and SYMBOL_GLYPHS[symbol_at(len(dataset.parties))] in notice


def test_a_colour_that_collides_is_refused_naming_the_party_it_collides_with(dataset):
    labour = dataset.parties["labour"].colour
    preview = preview_of(dataset, f"name,colour\nTEST Party,{labour.lower()}\n")
    [problem] = preview.problems
    assert "too close to Labour's" in problem.message and "choose another colour" in problem.message
    assert (problem.row, problem.column) == (2, "colour")


def test_a_css_colour_name_is_read_and_checked(dataset):
    named = next(n for n in ("teal", "navy", "hotpink", "olive", "chocolate", "black")
                 if collision(__import__("coloraide").Color(n).to_string(hex=True), {p.name: p.colour for p in dataset.parties.values()}) is None)
    preview = preview_of(dataset, f"name,colour\nTEST Party,{named}\n")
    assert not preview.problems and preview.added[0].new["colour"].startswith("#")


@pytest.mark.parametrize("colour", ["blurple", "#12345", "rgb(1,2,3)"])
def test_a_colour_that_cannot_be_read_is_located(dataset, colour):
    [problem] = preview_of(dataset, f'name,colour\nTEST Party,"{colour}"\n').problems
    assert "is not a colour: give one as #rrggbb" in problem.message and problem.column == "colour"


def test_a_slug_given_twice_is_located(dataset):
    problems = preview_of(dataset, "slug,name\ntestparty,TEST One\ntestparty,TEST Two\n").problems
    assert [(p.row, p.column) for p in problems] == [(3, "slug")]
    assert "'testparty' is given twice in this file (first on row 2)" in problems[0].message


def test_an_alias_that_already_means_another_party_is_located(dataset):
    alias = dataset.parties["labour"].aliases[0]
    [problem] = preview_of(dataset, f"name,aliases\nTEST Party,{alias}\n").problems
    assert f"'{alias}' already means Labour (labour)" in problem.message and problem.column == "aliases"


def test_renaming_a_party_and_giving_it_other_names_is_a_change_through_the_preview(dataset):
    party = dataset.parties["ukip"]
    preview = preview_of(dataset, "slug,short,aliases\nukip,TEST short,TEST alias\n")
    [change] = preview.changed
    assert change.table == "parties" and change.fields == ("aliases", "short")
    assert change.old["short"] == party.short and change.new["short"] == "TEST short"
    assert preview.needs_overwrite


def test_recolouring_a_party_is_checked_against_the_others_but_not_itself(dataset):
    labour, snp = dataset.parties["labour"].colour, dataset.parties["snp"].colour
    assert not preview_of(dataset, f"slug,colour\nlabour,{labour}\n").writes   # its own colour: unchanged
    [problem] = preview_of(dataset, f"slug,colour\nlabour,{snp}\n").problems
    assert "too close to SNP's" in problem.message


def test_removing_a_party_that_has_figures_is_refused_saying_so(dataset):
    preview = preview_apply.preview(dataset, Proposal("remove", remove_party="labour"))
    [problem] = preview.problems
    assert "Labour still has" in problem.message and "figures" in problem.message
    assert "a party with figures cannot be removed" in problem.message and not preview.writes


def test_a_party_without_figures_can_be_removed_and_the_removal_undone(data_dir: Path):
    path = data_dir / "membership.csv"
    store = Store(path)
    added = preview_of(load_dataset(path), f"name,source\nTEST Party,{INVENTED_SOURCE}\n")
    store.apply(added)
    with_party = (data_dir / "parties.csv").read_bytes()
    removal = preview_apply.preview(load_dataset(path), Proposal("remove", remove_party="testparty"))
    assert [(c.kind, c.key) for c in removal.writes] == [("removed", ("testparty",))]
    store.apply(removal)
    assert "testparty" not in load_dataset(path).parties
    store.undo()
    assert (data_dir / "parties.csv").read_bytes() == with_party
