"""The table of figures as the page gets it: plain rows for assets/figures_table.js, bounded."""
from __future__ import annotations

from dashboard.core.dataset import load_dataset
from dashboard.core.selection import shown_counts
from dashboard.core.view import View, resolve
from dashboard.web import counts_table


def test_table_rows_carry_the_cells_links_and_kind_of_every_figure_shown():
    dataset = load_dataset()
    shown = shown_counts(dataset, resolve(View(), dataset))
    table = counts_table.table_data(dataset, shown)
    assert len(table["rows"]) == len(shown) and table["caption"].startswith(f"{len(shown)} figures shown")
    assert [table["headings"][i] for i in table["number_columns"]] == ["Members"]
    assert all(row["link"] is None or row["link"].lower().startswith("http") for row in table["rows"])
    assert {row["year_end"] for row in table["rows"]} == {True, False}


def test_a_table_longer_than_the_limit_shows_the_first_rows_and_says_where_the_rest_are(monkeypatch):
    dataset = load_dataset()
    shown = shown_counts(dataset, resolve(View(), dataset))
    monkeypatch.setattr(counts_table, "MAX_TABLE_ROWS", 5)
    table = counts_table.table_data(dataset, shown)
    assert len(table["rows"]) == 5
    assert table["caption"].startswith(f"The first 5 of {len(shown)} figures shown") and "data download" in table["caption"]
