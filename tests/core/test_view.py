"""The view: one validated object shared by URL, controls, CLI and export."""
from __future__ import annotations

from dataclasses import fields, replace

import pandas as pd
import pytest

from dashboard.core.dataset import BASES, load_dataset
from dashboard.core.marks import Mark
from dashboard.core.measures import CHANGE, CHANGE_PERCENT, INDEX, MEMBERS
from dashboard.core.view import (
    Notice,
    View,
    default_range,
    query_notices,
    read_query,
    resolve,
    resolve_explained,
    view_from_dict,
    view_from_link,
    view_from_query,
    view_to_dict,
    view_to_query,
)


@pytest.fixture(scope="module")
def dataset():
    return load_dataset()


def test_default_view_is_labour_from_1989_to_its_latest_figure_of_any_date(dataset):
    view = resolve(View(), dataset)
    latest = int(dataset.counts.query("party == 'labour'")["year"].max())
    assert (view.parties, view.start, view.end) == (("labour",), 1989, latest)
    assert (view.measure, view.base_year, view.log_scale) == (MEMBERS, None, False)


def invented(rows: list[tuple[str, int, int, str, str]]):
    """A dataset of invented figures (party, year, members, as_of, basis), marked as such."""
    dataset = load_dataset()
    counts = pd.DataFrame([{"party": p, "year": y, "members": m, "as_of": a, "source": "TEST: invented figure",
                            "url": "", "note": "", "basis": b} for p, y, m, a, b in rows])
    return replace(dataset, counts=counts.astype({"year": "int64", "members": "int64"}))


def test_default_range_runs_to_a_dated_figure_after_the_last_year_end():
    dataset = invented([("labour", 2020, 100, "", "accounts"), ("labour", 2022, 90, "", "accounts"),
                        ("labour", 2023, 80, "2023-12-01", "press"), ("reform", 2024, 50, "2024-06-01", "party_claim")])
    assert default_range(dataset, ("labour",)) == (2020, 2023)
    assert default_range(dataset, ("labour", "reform")) == (2020, 2024)
    assert default_range(dataset, ("labour",), ("accounts",)) == (2020, 2022)


def test_bases_chosen_round_trip_through_the_url_and_all_of_them_is_the_default(dataset):
    view = View(parties=("labour", "reform"), bases=("accounts", "party_report"))
    assert view_to_query(view) == "?parties=labour,reform&bases=accounts,party_report"
    assert view_from_query(view_to_query(view)) == view
    assert resolve(View(bases=tuple(BASES)), dataset).bases == ()
    assert view_to_query(resolve(View(bases=tuple(reversed(BASES))), dataset)) == view_to_query(resolve(View(), dataset))


def test_an_unknown_basis_in_a_url_opens_every_basis_with_a_short_notice():
    view = view_from_query("?parties=labour,reform&bases=accounts,rumour")
    assert view.bases == () and view.parties == ("labour", "reform")
    [notice] = query_notices("?parties=labour,reform&bases=accounts,rumour")
    assert "'rumour'" in notice and "every basis" in notice and "accounts" in notice
    assert query_notices("?parties=labour&bases=accounts") == []


def test_query_string_round_trips_a_view():
    view = View(parties=("labour", "reform"), start=2010, end=2024, leaders=False, title="Mine & yours")
    assert view_from_query(view_to_query(view)) == view


def test_default_view_has_an_empty_query_string():
    assert view_to_query(View()) == ""


ROUND_TRIPS = {
    "parties": View(parties=("snp", "labour", "libdem")),
    "start": View(start=1995),
    "end": View(end=2015),
    "measure change": View(measure=CHANGE),
    "measure change-percent": View(measure=CHANGE_PERCENT),
    "measure index and base year": View(measure=INDEX, base_year=2010),
    "log scale": View(log_scale=True),
    "elections off": View(elections=False),
    "leaders off": View(leaders=False),
    "other dates off": View(other_dates=False),
    "title": View(title="Labour & the SNP, 2010=100?"),
    "subtitle": View(subtitle="a, b; c"),
    "note": View(note="2024: provisional (#1)"),
    "bases shown": View(parties=("labour", "reform"), bases=("accounts", "party_claim")),
}


@pytest.mark.parametrize("view", ROUND_TRIPS.values(), ids=ROUND_TRIPS.keys())
def test_every_field_survives_view_to_url_to_view(view, dataset):
    resolved = resolve(view, dataset)
    assert resolve(view_from_query(view_to_query(resolved)), dataset) == resolved
    assert view_from_link(view_to_query(resolved), dataset) == (resolved, [])


def test_every_field_at_once_survives_the_url(dataset):
    view = resolve(View(parties=("green", "labour"), start=2000, end=2020, elections=False, leaders=False,
                        other_dates=False, title="T", subtitle="S", note="N", measure=INDEX, base_year=2014,
                        bases=("accounts", "party_report")), dataset)
    assert view_from_link(view_to_query(view), dataset) == (view, [])


def test_party_list_in_the_url_reads_as_written():
    assert "parties=labour,snp" in view_to_query(View(parties=("labour", "snp")))


def test_unreadable_query_falls_back_to_defaults_instead_of_failing(dataset):
    view = resolve(view_from_query("?parties=nonsense,,&start=abc&end=99999&elections=maybe"), dataset)
    assert view.parties == ("labour",)
    assert view.start <= view.end <= dataset.year_bounds()[1]


def test_reversed_range_is_put_in_order(dataset):
    view = resolve(View(start=2020, end=2000), dataset)
    assert (view.start, view.end) == (2000, 2020)


def test_view_survives_the_page_store_as_json():
    view = View(parties=("snp", "labour"), start=2003, end=2020, other_dates=False, measure=INDEX, base_year=2010,
                bases=("accounts",))
    assert view_from_dict(view_to_dict(view)) == view


def test_party_without_a_year_end_series_defaults_to_the_years_it_has_figures(dataset):
    reform = dataset.counts.query("party == 'reform'")
    view = resolve(View(parties=("reform",)), dataset)
    assert (view.start, view.end) == (int(reform["year"].min()), int(reform["year"].max()))


def test_adding_a_party_keeps_the_default_start_at_1989(dataset):
    view = resolve(View(parties=("snp", "labour")), dataset)
    assert view.start == 1989


def test_parties_as_people_write_them_are_understood(dataset):
    view, notices = view_from_link("?parties=Labour,Lib%20Dems,Reform%20UK,SNP", dataset)
    assert view.parties == ("labour", "libdem", "reform", "snp")
    assert notices == []


def test_the_same_party_twice_is_shown_once(dataset):
    assert resolve(View(parties=("labour", "Labour Party", "lab")), dataset).parties == ("labour",)


# ---------------------------------------------------------------- a notice for each kind of bad parameter

def notice_texts(query: str, dataset) -> list[str]:
    return [n.text for n in view_from_link(query, dataset)[1]]


def test_unknown_party_is_left_out_with_a_notice(dataset):
    view, notices = view_from_link("?parties=labour,Monster%20Raving%20Loony", dataset)
    assert view.parties == ("labour",)
    assert [n.field for n in notices] == ["parties"]
    assert "'Monster Raving Loony'" in notices[0].text and "left out" in notices[0].text


def test_only_unknown_parties_show_labour_and_say_so(dataset):
    view, notices = view_from_link("?parties=whigs", dataset)
    assert view.parties == ("labour",)
    assert notices[0].text == "Unknown party 'whigs': showing Labour."


def test_year_before_the_data_becomes_the_first_year_with_a_notice(dataset):
    first, _ = dataset.year_bounds()
    view, notices = view_from_link("?start=1850&end=2000", dataset)
    assert view.start == first
    assert notices[0].field == "start" and f"no figures before {first}" in notices[0].text


def test_year_after_the_data_becomes_the_last_year_with_a_notice(dataset):
    _, last = dataset.year_bounds()
    view, notices = view_from_link("?end=2999", dataset)
    assert view.end == last
    assert notices[0].field == "end" and f"no figures after {last}" in notices[0].text


def test_a_year_that_is_not_a_number_is_ignored_with_a_notice(dataset):
    view, notices = view_from_link("?start=nineteen&end=2010", dataset)
    assert view.start == 1989 and view.end == 2010
    assert notices[0].text == "'nineteen' is not a year (first year): ignored."


def test_years_the_wrong_way_round_are_swapped_with_a_notice(dataset):
    view, notices = view_from_link("?start=2020&end=2000", dataset)
    assert (view.start, view.end) == (2000, 2020)
    assert "showing 2000–2020" in notices[0].text


def test_unknown_measure_shows_members_with_a_notice(dataset):
    view, notices = view_from_link("?measure=vibes", dataset)
    assert view.measure == MEMBERS
    assert "Unknown measure 'vibes'" in notices[0].text


def test_base_year_outside_the_data_is_chosen_from_the_figures_with_a_notice(dataset):
    view, notices = view_from_link("?measure=index&base=1700", dataset)
    assert view.base_year is not None and view.start <= view.base_year <= view.end
    assert notices[0].field == "base_year" and "1700 is outside the data" in notices[0].text
    assert "not a year" in notice_texts("?measure=index&base=last", dataset)[0]


def test_unknown_scale_and_flag_values_are_ignored_with_a_notice(dataset):
    view, notices = view_from_link("?scale=wobbly&elections=maybe", dataset)
    assert (view.log_scale, view.elections) == (False, True)
    assert {n.field for n in notices} == {"scale", "elections"}


def test_unknown_parameters_are_named_in_the_notice(dataset):
    view, notices = view_from_link("?utm_source=x&colour=red&start=2000", dataset)
    assert view.start == 2000
    assert notices[0].text == "Unknown settings 'utm_source', 'colour' ignored."


def test_an_overlong_title_is_cut_with_a_notice(dataset):
    view, notices = view_from_link("?title=" + "x" * 400, dataset)
    assert len(view.title) == 300 and "cut to 300" in notices[0].text


def test_log_scale_and_base_year_apply_only_to_their_measures(dataset):
    assert resolve(View(measure=CHANGE, log_scale=True, base_year=2010), dataset).log_scale is False
    assert resolve(View(measure=CHANGE, base_year=2010), dataset).base_year is None
    assert resolve(View(measure=MEMBERS, log_scale=True), dataset).log_scale is True


def test_index_without_a_base_year_takes_the_year_most_parties_have_a_figure(dataset):
    view = resolve(View(parties=("labour", "snp", "libdem"), start=2000, end=2024, measure=INDEX), dataset)
    year_ends = dataset.year_ends()
    have = {p: set(year_ends.query("party == @p")["year"]) for p in view.parties}
    assert all(view.base_year in years for years in have.values())
    assert not any(all(y in years for years in have.values()) for y in range(2000, view.base_year))


def test_a_clean_link_has_no_notice(dataset):
    view = resolve(replace(View(), measure=CHANGE_PERCENT, start=2000, end=2010), dataset)
    assert read_query(view_to_query(view))[1] == []


# ---------------------------------------------------------------- default years, exactly

def test_a_year_end_measure_runs_to_the_latest_year_end_not_a_later_dated_figure():
    dataset = invented([("labour", 2020, 100, "", "accounts"), ("labour", 2022, 90, "", "accounts"),
                        ("labour", 2023, 80, "2023-12-01", "press"), ("reform", 2024, 50, "2024-06-01", "party_claim"),
                        ("snp", 2024, 70, "", "accounts")])
    assert default_range(dataset, ("labour",), year_ends_only=True) == (2020, 2022)
    assert default_range(dataset, ("labour",), year_ends_only=False) == (2020, 2023)
    for measure in (CHANGE, CHANGE_PERCENT, INDEX):
        assert (resolve(View(measure=measure), dataset).start, resolve(View(measure=measure), dataset).end) == (2020, 2022)
    assert resolve(View(measure=MEMBERS), dataset).end == 2023


def test_the_default_years_of_a_basis_are_those_of_the_parties_chosen_only():
    dataset = invented([("labour", 2020, 100, "", "accounts"), ("labour", 2022, 90, "", "accounts"),
                        ("snp", 2010, 70, "", "accounts"), ("snp", 2024, 60, "", "accounts")])
    assert default_range(dataset, ("labour",), ("accounts",)) == (2020, 2022)
    assert default_range(dataset, ("snp",), ("accounts",)) == (2010, 2024)


def test_parties_with_no_figure_of_the_bases_chosen_open_on_every_year_from_1989_or_the_first():
    dataset = invented([("labour", 2020, 100, "", "accounts"), ("reform", 2024, 50, "2024-06-01", "party_claim")])
    assert default_range(dataset, ("labour",), ("party_report",)) == (2020, 2024)
    real = load_dataset()
    first, last = real.year_bounds()
    assert first < 1989
    assert default_range(real, ("reform",), ("accounts",)) == (1989, last)  # Reform has no audited figure


def test_a_party_whose_figures_all_end_before_1989_opens_on_its_last_year():
    dataset = invented([("labour", 1980, 100, "", "compiled"), ("labour", 1985, 90, "", "compiled"),
                        ("snp", 2020, 10, "", "accounts")])
    assert default_range(dataset, ("labour",)) == (1985, 1985)


# ---------------------------------------------------------------- resolving, exactly

def test_a_slug_means_its_own_party_even_where_another_party_lists_it_as_an_alias(dataset):
    tory = replace(dataset.parties["conservative"], aliases=("labour",))
    parties = {"conservative": tory, **{slug: p for slug, p in dataset.parties.items() if slug != "conservative"}}
    confusing = replace(dataset, parties=parties)
    assert resolve(View(parties=("labour",)), confusing).parties == ("labour",)


def test_many_unknown_parties_are_named_five_at_most_each_cut_to_forty_characters(dataset):
    long_name = "The Official Monster Raving Loony Party of Great Britain"
    six = ["whigs", "peelites", "levellers", "diggers", "chartists", long_name]
    assert notice_texts("?parties=" + ",".join(six), dataset) == [
        "Unknown parties 'whigs', 'peelites', 'levellers', 'diggers', 'chartists' and more: showing Labour."]
    assert notice_texts("?parties=labour," + ",".join(six[1:]), dataset) == [
        f"Unknown parties 'peelites', 'levellers', 'diggers', 'chartists', '{long_name[:40]}': left out."]
    assert notice_texts("?parties=snp,whigs,peelites", dataset) == ["Unknown parties 'whigs', 'peelites': left out."]
    assert notice_texts("?parties=snp,whigs", dataset) == ["Unknown party 'whigs': left out."]


def test_the_first_and_last_years_of_the_data_are_taken_without_a_notice(dataset):
    first, last = dataset.year_bounds()
    view, notices = view_from_link(f"?start={first}&end={last}", dataset)
    assert (view.start, view.end, notices) == (first, last, [])
    view, notices = view_from_link(f"?start={last}&end={last}", dataset)
    assert (view.start, view.end, notices) == (last, last, [])


def test_years_out_of_the_data_are_named_and_brought_in(dataset):
    first, last = dataset.year_bounds()
    assert notice_texts(f"?start={first - 1}&end={last + 1}", dataset) == [
        f"There are no figures before {first}: {first - 1} became {first}.",
        f"There are no figures after {last}: {last + 1} became {last}."]
    [swapped] = view_from_link("?start=2020&end=2000", dataset)[1]
    assert swapped == Notice("end", "The first year was after the last: showing 2000–2020.")


def test_a_measure_the_view_does_not_know_is_members_with_a_notice_that_names_it(dataset):
    view, notices = resolve_explained(View(measure="vibes" * 10), dataset)
    assert view.measure == MEMBERS
    assert notices == [Notice("measure", f"Unknown measure '{('vibes' * 10)[:40]}': showing members.")]


def test_the_first_and_last_years_of_the_data_may_be_an_index_base(dataset):
    first, last = dataset.year_bounds()
    for base in (first, last):
        view, notices = resolve_explained(View(measure=INDEX, base_year=base), dataset)
        assert (view.base_year, notices) == (base, [])
    view, notices = resolve_explained(View(measure=INDEX, base_year=last + 1), dataset)
    assert notices == [Notice("base_year", f"{last + 1} is outside the data ({first}–{last}): "
                                           "the base year was chosen from the figures.")]


def test_an_index_of_some_bases_is_based_on_a_year_every_party_has_a_figure_of_those_bases(dataset):
    view = resolve(View(parties=("labour", "snp"), measure=INDEX, bases=("accounts",)), dataset)
    year_ends = dataset.year_ends()
    audited = year_ends[year_ends["basis"] == "accounts"]
    for party in ("labour", "snp"):
        assert view.base_year in set(audited[audited["party"] == party]["year"])


def test_an_index_is_never_on_a_log_scale(dataset):
    assert resolve(View(measure=INDEX, log_scale=True), dataset).log_scale is False
    assert resolve(View(measure=CHANGE_PERCENT, log_scale=True), dataset).log_scale is False


@pytest.mark.parametrize(("key", "limit"), [("title", 300), ("subtitle", 300), ("note", 700)])
def test_a_chart_text_is_cut_to_its_limit_and_one_with_a_control_character_set_aside(key, limit, dataset):
    view = resolve(View(**{key: "x" * (limit + 50)}), dataset)
    assert getattr(view, key) == "x" * limit
    view, notices = resolve_explained(View(**{key: "red\x1b[31m"}), dataset)
    assert getattr(view, key) == ""
    assert notices == [Notice(key, f"The {key} was set aside: it contains the control character U+001B at position 4: "
                                   "remove it (it may be hidden, or pasted from a terminal).")]


# ---------------------------------------------------------------- reading a link, exactly

@pytest.mark.parametrize("word", ["1", "true", "yes", "on", "TRUE", " Yes ", "On"])
def test_a_flag_turned_on_in_a_link_is_on(word):
    view, notices = read_query(f"?elections={word}&leaders={word}&other_dates={word}")
    assert (view.elections, view.leaders, view.other_dates, notices) == (True, True, True, [])


@pytest.mark.parametrize("word", ["0", "false", "no", "off", "FALSE", " No ", "Off"])
def test_a_flag_turned_off_in_a_link_is_off(word):
    view, notices = read_query(f"?elections={word}&leaders={word}&other_dates={word}")
    assert (view.elections, view.leaders, view.other_dates, notices) == (False, False, False, [])


def test_elections_1_keeps_the_election_markers_on():
    assert read_query("?elections=1") == (View(elections=True), [])
    assert read_query("?elections=0") == (View(elections=False), [])


def test_a_flag_that_is_neither_on_nor_off_is_named_in_words():
    view, notices = read_query("?other_dates=" + "sometimes" * 5)
    assert view.other_dates is True
    assert notices == [Notice("other_dates", f"'{('sometimes' * 5)[:20]}' is not on or off (other dates): ignored.")]


def test_a_year_in_a_link_has_four_ascii_digits_at_most():
    assert read_query("?start=2000&end= 2010 ")[0] == View(start=2000, end=2010)
    for written in ("02000", "２０００", "-2000", "2000.0"):
        view, notices = read_query(f"?start={written}")
        assert view.start is None
        assert notices == [Notice("start", f"'{written}' is not a year (first year): ignored.")]
    view, notices = read_query("?end=" + "9" * 30)
    assert notices == [Notice("end", f"'{'9' * 20}' is not a year (last year): ignored.")]
    view, notices = read_query("?base=last")
    assert notices == [Notice("base_year", "'last' is not a year (base year): ignored.")]


def test_an_unknown_measure_or_scale_in_a_link_is_named_with_those_known():
    view, notices = read_query("?measure=" + "vibes" * 10 + "&scale=" + "wobbly" * 5)
    assert (view.measure, view.log_scale) == (MEMBERS, False)
    assert notices == [
        Notice("measure", f"Unknown measure '{('vibes' * 10)[:40]}' ignored (known: members, change, change-percent, index)."),
        Notice("scale", f"Unknown scale '{('wobbly' * 5)[:20]}' ignored (known: linear, log).")]


def test_a_measure_and_scale_in_a_link_are_read_whatever_their_case():
    assert read_query("?measure=INDEX&scale=Log") == (View(measure=INDEX, log_scale=True), [])
    assert read_query("?scale=linear") == (View(log_scale=False), [])


def test_unknown_bases_are_named_three_at_most_each_cut_to_forty_characters():
    long_basis = "a-rumour-heard-in-the-tea-room-of-the-house-of-commons"
    [notice] = read_query("?bases=rumour")[1]
    assert notice == Notice("bases", "This link asks for an unknown basis 'rumour', so figures of every basis are shown "
                                     "(the bases are accounts, party_report, compiled, press, party_claim).")
    [notice] = read_query(f"?bases=rumour,gossip,hearsay,{long_basis}")[1]
    assert notice.text.startswith("This link asks for unknown bases 'rumour', 'gossip', 'hearsay', so figures")
    [notice] = read_query(f"?bases={long_basis},gossip")[1]
    assert notice.text.startswith(f"This link asks for unknown bases '{long_basis[:40]}', 'gossip', so figures")


def test_a_log_scale_is_written_in_the_link_as_log():
    assert view_to_query(View(log_scale=True)) == "?scale=log"
    assert view_to_query(View(measure=INDEX, base_year=2010)) == "?measure=index&base=2010"


def test_unknown_settings_are_named_five_at_most_each_cut_to_thirty_characters():
    long_key = "utm_campaign_of_a_newsletter_sent_in_december"
    [notice] = read_query(f"?{long_key}=x")[1]
    assert notice == Notice(long_key, f"Unknown setting '{long_key[:30]}' ignored.")
    [notice] = read_query("?a=1&b=2&c=3&d=4&e=5&f=6")[1]
    assert notice == Notice("a", "Unknown settings 'a', 'b', 'c', 'd', 'e' ignored.")


def test_a_text_is_cut_to_its_limit_with_a_notice_and_one_at_the_limit_is_kept_whole():
    view, notices = read_query("?note=" + "n" * 701 + "&subtitle=" + "s" * 300)
    assert (view.note, view.subtitle) == ("n" * 700, "s" * 300)
    assert notices == [Notice("note", "The note was cut to 700 characters.")]


def test_parties_in_a_link_are_trimmed_and_empty_ones_dropped(dataset):
    assert read_query("?parties= labour ,, Reform UK ,")[0].parties == ("labour", "Reform UK")
    assert view_from_link("?parties= ,", dataset)[0].parties == ("labour",)


def test_flags_turned_off_and_texts_are_written_in_the_link():
    view = View(elections=False, leaders=False, other_dates=False, title="T", subtitle="S", note="N")
    assert view_to_query(view) == "?elections=0&leaders=0&other_dates=0&title=T&subtitle=S&note=N"


def test_a_view_from_the_page_store_ignores_what_it_does_not_know_and_takes_empty_lists():
    view = view_from_dict({"parties": None, "bases": None, "marks": None, "highlights": None, "start": 2000,
                           "colour": "red"})
    assert view == View(parties=(), bases=(), start=2000)
    assert view_from_dict(None) == View()
    assert view_to_dict(View(parties=("snp",), bases=("accounts",)))["parties"] == ["snp"]


def test_a_note_pinned_to_an_unknown_party_is_named_in_a_notice_about_the_marks(dataset):
    party = "The Official Monster Raving Loony Party of Great Britain"
    view, notices = resolve_explained(View(marks=(Mark("2015-09-12", "Corbyn elected", party=party),)), dataset)
    assert view.marks == (Mark("2015-09-12", "Corbyn elected"),)
    assert notices == [Notice("mark", f"The note 'Corbyn elected' is pinned to '{party[:40]}', an unknown party: drawn at its date.")]


def test_marks_and_highlights_a_link_cannot_read_are_named_under_their_own_setting():
    assert [n.field for n in read_query("?mark=2015-02-30:Nope&highlight=2020:Nope")[1]] == ["mark", "highlight"]


def test_unknown_bases_in_a_view_do_not_change_the_index_base_year(dataset):
    plain = resolve(View(parties=("labour", "snp"), measure=INDEX), dataset)
    assert resolve(View(parties=("labour", "snp"), measure=INDEX, bases=("rumour",)), dataset).base_year == plain.base_year


def test_an_empty_year_in_a_link_is_named_and_a_setting_starting_with_x_is_read_whole():
    assert read_query("?start=")[1] == [Notice("start", "'' is not a year (first year): ignored.")]
    assert read_query("?Xmas=1")[1] == [Notice("Xmas", "Unknown setting 'Xmas' ignored.")]


def test_a_link_joins_the_settings_and_the_marks_with_an_ampersand():
    view = View(parties=("snp",), marks=(Mark("2015-09-12", "Corbyn elected"),))
    assert view_to_query(view) == "?parties=snp&mark=2015-09-12:Corbyn+elected"


def test_the_page_store_holds_the_views_fields_as_json_lists():
    stored = view_to_dict(View(parties=("snp",), bases=("accounts",)))
    assert set(stored) == {f.name for f in fields(View)}
    assert (stored["parties"], stored["bases"]) == (["snp"], ["accounts"])
