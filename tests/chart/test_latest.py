"""The latest figures side by side, and the sentence comparing them, on hand-made data.

Every figure here is invented (source "TEST: ..."), so each test states exactly what the words must say.
"""
from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from dashboard.chart.latest import comparison_sentence, latest_rows, relation
from dashboard.core.dataset import load_dataset
from dashboard.core.view import View, resolve

SOURCE = "TEST: invented figure (not a real count)"


@pytest.fixture(scope="module")
def parties():
    return load_dataset()


def dataset_of(base, rows):
    """(party, year, members, as_of, basis, note[, bound[, date_precision]]) rows as a dataset with the real
    party list: a bound and a precision are data (core/precision.py), the note's words are only words."""
    counts = pd.DataFrame([{"party": p, "year": y, "members": m, "as_of": a, "source": SOURCE, "url": "",
                            "note": n, "basis": b, "bound": rest[0] if rest else "",
                            "date_precision": rest[1] if len(rest) > 1 else "day"}
                           for p, y, m, a, b, n, *rest in rows])
    return replace(base, counts=counts.astype({"year": "int64", "members": "int64"}))


def sentence(dataset, parties):
    return comparison_sentence(latest_rows(dataset, resolve(View(parties=parties), dataset)))


def test_same_date_and_basis_says_they_are_alike_and_lists_them_highest_first(parties):
    data = dataset_of(parties, [("labour", 2023, 300_000, "", "accounts", ""), ("libdem", 2023, 80_000, "", "accounts", ""),
                                ("labour", 2022, 310_000, "", "accounts", "")])
    text = sentence(data, ("libdem", "labour"))
    assert text == ("The latest figures are of one kind (audited accounts) and one date (31 Dec 2023): "
                    "Labour 300,000, Liberal Democrats 80,000.")


def test_different_dates_are_said_plainly(parties):
    data = dataset_of(parties, [("labour", 2023, 300_000, "", "accounts", ""), ("libdem", 2022, 90_000, "", "accounts", "")])
    text = sentence(data, ("labour", "libdem"))
    assert text.startswith("The latest figures differ in date: Labour's, 300,000 (audited accounts, 31 Dec 2023), "
                           "is above Liberal Democrats', 90,000 (audited accounts, 31 Dec 2022)")


def test_different_bases_name_each_basis_and_the_last_audited_figure(parties):
    data = dataset_of(parties, [
        ("labour", 2024, 333_000, "", "accounts", ""),
        ("labour", 2025, 250_000, "2025-12-01", "press", "month only; 'below 250,000' (upper bound)", "below", "month"),
        ("reform", 2025, 268_000, "2025-12-01", "party_claim", "month only; live counter", "", "month"),
    ])
    text = sentence(data, ("labour", "reform"))
    assert text == ("The latest figures differ in basis: Reform UK's, 268,000 (the party's own claim, Dec 2025), "
                    "is above Labour's, below 250,000 (internal figures reported by the press, Dec 2025), while "
                    "Labour's last audited figure is 333,000 (31 Dec 2024) and no audited figure is shown for Reform UK.")


def test_a_party_with_no_audited_figure_says_so_in_the_row_and_the_sentence(parties):
    data = dataset_of(parties, [("reform", 2025, 200_000, "2025-06-01", "party_claim", "")])
    [row] = latest_rows(data, resolve(View(parties=("reform",)), data))
    assert row.audited is None and not row.has_audited and row.change == "no earlier year-end figure"
    assert sentence(data, ("reform",)) == ("Reform UK's latest figure is 200,000 (the party's own claim, 1 Jun 2025); "
                                           "no audited figure is shown for it.")


def test_rows_give_latest_audited_change_on_the_year_end_before_and_peak(parties):
    data = dataset_of(parties, [
        ("labour", 2017, 550_000, "", "party_report", ""), ("labour", 2023, 370_000, "", "accounts", ""),
        ("labour", 2024, 330_000, "", "accounts", ""), ("labour", 2025, 300_000, "2025-01-31", "press", ""),
    ])
    [row] = latest_rows(data, resolve(View(parties=("labour",)), data))
    assert (row.latest.value, row.latest.when, row.latest.basis_label) == ("300,000", "31 Jan 2025", "press report")
    assert (row.audited.value, row.audited.when) == ("330,000", "31 Dec 2024")
    assert row.change == "down 30,000 on 31 Dec 2024"
    assert (row.peak.value, row.peak.year) == ("550,000", 2017)


def test_a_new_figure_changes_the_sentence(parties):
    rows = [("labour", 2024, 333_000, "", "accounts", ""), ("reform", 2025, 268_000, "2025-12-01", "party_claim", "")]
    before = sentence(dataset_of(parties, rows), ("labour", "reform"))
    after = sentence(dataset_of(parties, [*rows, ("labour", 2025, 280_000, "", "accounts", "")]), ("labour", "reform"))
    assert "Labour's, 280,000 (audited accounts, 31 Dec 2025), is above Reform UK's" in after and after != before


def test_bounds_decide_whether_figures_can_be_ranked(parties):
    data = dataset_of(parties, [
        ("labour", 2025, 250_000, "2025-12-01", "press", "'below 250,000' (upper bound)", "below"),
        ("reform", 2025, 240_000, "2025-12-01", "party_claim", ""),
        ("green", 2025, 90_000, "2025-12-01", "party_claim", "(more than)", "above"),
    ])
    rows = {r.slug: r.latest for r in latest_rows(data, resolve(View(parties=("labour", "reform", "green")), data))}
    assert relation(rows["labour"], rows["reform"]) == "cannot be ranked against"   # 'below 250,000' may be under 240,000
    assert relation(rows["reform"], rows["green"]) == "is above"
    assert relation(rows["labour"], rows["green"]) == "is above"                    # far apart, whatever the bounds


def test_the_real_labour_and_reform_sentence_names_both_bases_and_the_audited_figure():
    dataset = load_dataset()
    text = sentence(dataset, ("labour", "reform"))
    assert "Reform UK's, 268,631 (the party's own claim, Dec 2025), is above Labour's, below 250,000" in text
    assert "Labour's last audited figure is 333,235 (31 Dec 2024)" in text
