"""The page's table of figures and the static site's are drawn from the same rows."""
from __future__ import annotations

import json
from dataclasses import replace

from plotly.utils import PlotlyJSONEncoder

from dashboard.chart.table_rows import count_rows, safe_link
from dashboard.core.dataset import load_dataset
from dashboard.core.selection import shown_counts
from dashboard.core.view import View, resolve
from dashboard.export.site import counts_table as site_table
from dashboard.web.counts_table import table_data as page_table


def test_a_link_is_made_from_http_or_https_in_any_case_and_never_from_other_schemes():
    assert safe_link("HTTPS://example.org/a") == "HTTPS://example.org/a"
    assert safe_link("http://example.org/") == "http://example.org/"
    assert safe_link("javascript:alert(1)") is None
    assert safe_link("") is None


def test_page_and_static_site_tables_show_the_same_cells_and_links():
    dataset = load_dataset()
    counts = dataset.counts.copy()
    first = counts.index[(counts["url"] != "") & (counts["party"] == "labour") & (counts["year"] == 2020)][0]
    counts.loc[first, "url"] = "HTTPS://EXAMPLE.ORG/upper"
    dataset = replace(dataset, counts=counts)
    view = resolve(View(parties=("labour",), start=1989, end=2024), dataset)
    rows = count_rows(dataset, shown_counts(dataset, view))
    page = json.dumps(page_table(dataset, shown_counts(dataset, view)), cls=PlotlyJSONEncoder)
    site = site_table(dataset, view)
    assert "HTTPS://EXAMPLE.ORG/upper" in page and 'href="HTTPS://EXAMPLE.ORG/upper"' in site
    for row in rows[:5]:
        assert row.date in site and row.date in page
    assert "31 Dec 2024 (year end)" in site
