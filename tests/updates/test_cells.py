"""One cell read the way the person who typed it meant it (updates/cells.py), or refused with a reason that says
what to write instead. Each case is a cell as people write it, typed here rather than taken from the module."""
from __future__ import annotations

import pytest

from dashboard.updates.cells import (
    MAX_TEXT,
    accepted_bases,
    read_as_of,
    read_basis,
    read_date,
    read_members,
    read_text,
    read_year,
)

NOT_A_NUMBER = "is not a number: write the whole number of members, e.g. 309000 or 309,000"


@pytest.mark.parametrize(("cell", "members"), [
    ("309000", 309000),
    ("0", 0),
    ("309,000", 309000),
    ("1,234,567", 1234567),
    ("309 000", 309000),
    (" 309000 ", 309000),
    ("309\u00a0000", 309000),   # a no-break space, as a spreadsheet in French or German writes thousands
    ("309\u2009000", 309000),   # a thin space
    ("309\u202f000", 309000),   # a narrow no-break space
    ("1 234 567", 1234567),
    ("309000.0", 309000),       # Excel's float of a whole number
    ("309000.00", 309000),
    ("１２３", 123),             # full-width digits, as a Japanese input method types them
])
def test_a_member_count_is_read_as_people_write_it(cell, members):
    assert read_members(cell) == (members, None)


@pytest.mark.parametrize("cell", ["", "   ", "\u00a0"])
def test_an_empty_member_count_says_it_is_empty(cell):
    assert read_members(cell) == (None, "is empty")


def test_dots_between_thousands_are_ambiguous_and_both_readings_are_offered():
    assert read_members("309.000") == (None, "'309.000' is ambiguous (a decimal point or a thousands separator?): "
                                             "write 309000 or 309,000")
    assert read_members("1.234.567")[1] == ("'1.234.567' is ambiguous (a decimal point or a thousands separator?): "
                                            "write 1234567 or 1,234,567")


@pytest.mark.parametrize("cell", ["12.5", ".5", "-0.5", "309000.5"])
def test_a_fraction_of_a_member_is_refused_as_fractional(cell):
    assert read_members(cell) == (None, f"'{cell}' is fractional: a member count is a whole number")


@pytest.mark.parametrize("cell", ["-5", "-1,000", "- 5"])
def test_a_negative_count_is_refused_as_negative_not_as_unreadable(cell):
    assert read_members(cell) == (None, f"'{cell}' is negative: a member count is zero or more")


@pytest.mark.parametrize("cell", ["abc", "c. 300k", "300k", "30,00", "12,345,67", "1.2.3,4", "--5", "5-"])
def test_text_that_is_no_number_says_how_to_write_one(cell):
    assert read_members(cell) == (None, f"'{cell}' {NOT_A_NUMBER}")


def test_a_count_of_ten_million_or_more_is_refused_however_it_is_written():
    for cell in ("10000000", "10,000,000", "10000000.0"):
        members, error = read_members(cell)
        assert members is None and error is not None and "is more than 9,999,999" in error


@pytest.mark.parametrize(("cell", "year"), [("2025", 2025), (" 2025 ", 2025), ("2025.0", 2025), ("1900", 1900)])
def test_a_year_is_read_with_spaces_and_excels_decimals_left_out(cell, year):
    assert read_year(cell) == (year, None)


@pytest.mark.parametrize(("cell", "error"), [("2025.5", "'2025.5' is not a year"), ("", "is empty"),
                                             ("1899", "1899 is outside 1900 to")])
def test_a_year_that_is_not_one_says_why(cell, error):
    year, message = read_year(cell)
    assert year is None and message is not None and message.startswith(error)


@pytest.mark.parametrize(("cell", "day"), [
    ("2026-07-17", "2026-07-17"),
    ("2026-7-1", "2026-07-01"),
    ("17/07/2026", "2026-07-17"),
    ("1/2/2026", "2026-02-01"),       # day first, as in Britain: the first of February, not the second of January
    ("17.07.2026", "2026-07-17"),
    ("17-07-2026", "2026-07-17"),
    ("  17/07/2026 ", "2026-07-17"),
    ("29/02/2024", "2024-02-29"),
])
def test_a_day_is_read_as_written_in_britain_or_as_iso(cell, day):
    assert read_date(cell) == (day, None)


@pytest.mark.parametrize("cell", ["", "   "])
def test_an_empty_date_cell_is_no_date_and_no_problem(cell):
    assert read_date(cell) == ("", None)


FORMS = "2026-07-17 or 17/07/2026"


@pytest.mark.parametrize(("cell", "error"), [
    ("2026-02-30", f"'2026-02-30' is not a day of the calendar (day, month and year as in {FORMS})"),
    ("31/04/2026", f"'31/04/2026' is not a day of the calendar (day, month and year as in {FORMS})"),
    ("07/17/2026", f"'07/17/2026' is not a day of the calendar (day, month and year as in {FORMS})"),  # American order
    ("17/07/26", f"'17/07/26' has a two-digit year: write the year in full, as in {FORMS}"),
    ("1.2.26", f"'1.2.26' has a two-digit year: write the year in full, as in {FORMS}"),
    ("2026-07", f"'2026-07' gives no day: write the whole date, as in {FORMS}"),
    ("07/2026", f"'07/2026' gives no day: write the whole date, as in {FORMS}"),
    ("July 2026", f"'July 2026' gives no day: write the whole date, as in {FORMS}"),
    ("Jul. 2026", f"'Jul. 2026' gives no day: write the whole date, as in {FORMS}"),
    ("yesterday", f"'yesterday' is not a date: write it as {FORMS}"),
    ("x2026-07-17", f"'x2026-07-17' is not a date: write it as {FORMS}"),
    ("17/07/2026x", f"'17/07/2026x' is not a date: write it as {FORMS}"),
])
def test_a_date_that_is_not_a_day_says_what_to_write(cell, error):
    assert read_date(cell) == ("", error)


def test_a_long_cell_that_is_no_date_is_quoted_only_in_part():
    assert read_date("a" * 100) == ("", f"'{'a' * 40}' is not a date: write it as {FORMS}")


def test_a_figures_date_must_fall_in_its_year():
    assert read_as_of("2025-03-01", 2025) == ("2025-03-01", None)
    assert read_as_of("01/03/2025", 2025) == ("2025-03-01", None)
    assert read_as_of("2024-03-01", 2025) == ("", "2024-03-01 is not in the figure's year 2025")
    assert read_as_of("2024-03-01", None) == ("2024-03-01", None)  # no year read: its own problem, said elsewhere


def test_a_figure_without_a_date_is_its_year_end_one():
    assert read_as_of("", 2025) == ("", None)


def test_a_figures_date_that_is_not_a_day_says_how_to_mean_the_year_end():
    assert read_as_of("March 2025", 2025) == (
        "", f"'March 2025' gives no day: write the whole date, as in {FORMS} "
            "(leave it empty for a 31 December year-end figure)")


def test_a_text_cell_is_kept_on_one_line_with_single_spaces():
    assert read_text("", "source") == ("", None)
    assert read_text("  Labour   Party\n annual\treport ", "source") == ("Labour Party annual report", None)


def test_a_text_cell_up_to_the_limit_is_kept_and_one_longer_is_refused():
    assert read_text("a" * MAX_TEXT, "note") == ("a" * MAX_TEXT, None)
    assert read_text("a" * (MAX_TEXT + 1), "note") == ("", f"is {MAX_TEXT + 1:,} characters long (limit {MAX_TEXT:,})")
    assert MAX_TEXT == 1000


@pytest.mark.parametrize("url", ["https://example.org/a", "http://example.org", "HTTPS://EXAMPLE.ORG/A"])
def test_a_url_cell_keeps_a_web_address(url):
    assert read_text(f" {url} ", "url") == (url, None)


@pytest.mark.parametrize("cell", ["example.org", "ftp://example.org", "javascript:alert(1)", "see https://x.org",
                                  "https://"])
def test_a_url_cell_refuses_what_is_not_a_web_address_and_other_cells_keep_it(cell):
    assert read_text(cell, "url") == ("", f"'{cell}' is not a web address starting with http:// or https://")
    assert read_text(cell, "source") == (cell, None)


def test_a_refused_url_is_quoted_only_in_part():
    cell = "x" * 200
    assert read_text(cell, "url") == ("", f"'{'x' * 80}' is not a web address starting with http:// or https://")


# How people write the kind of figure a count is, and the basis each is read as.
BASES_AS_WRITTEN = {
    "accounts": ["accounts", "Accounts", "account", "Audited", "audited accounts", "Party accounts",
                 "Statement of accounts", "Electoral Commission", "EC"],
    "party_report": ["party_report", "Party report", "report", "Annual report", "Report to conference",
                     "Conference report", "NEC report", "official", "Official figure", "officers"],
    "compiled": ["compiled", "Compilation", "Commons Library", "Wikipedia", "not stated", "secondary"],
    "press": ["press", "Press report", "leak", "Leaked", "internal", "Internal figures", "media", "journalist"],
    "party_claim": ["party_claim", "Party claim", "claim", "claimed", "own claim", "Press release", "counter",
                    "Live counter", "self-reported", "estimate", "Party estimate"],
}


@pytest.mark.parametrize(("cell", "slug"), [(cell, slug) for slug, cells in BASES_AS_WRITTEN.items() for cell in cells])
def test_a_basis_is_read_as_people_write_it(cell, slug):
    assert read_basis(cell) == (slug, None)


@pytest.mark.parametrize("cell", ["", "  "])
def test_an_empty_basis_is_not_given_and_not_guessed(cell):
    assert read_basis(cell) == ("", None)


def test_an_unknown_basis_names_every_accepted_one():
    accepted = ("accounts (audited accounts), party_report (party report), compiled (compilation), "
                "press (press report), party_claim (party's own claim)")
    assert accepted_bases() == accepted
    assert read_basis(" rumour ") == ("", f"unknown basis 'rumour' (accepted: {accepted})")
    assert read_basis("r" * 100)[1] == f"unknown basis '{'r' * 60}' (accepted: {accepted})"
