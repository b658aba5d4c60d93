"""Values refused wherever they are typed: a non-web URL in the one-figure form or in the panel's
fields that fill a file's rows, control characters in any cell."""
from __future__ import annotations

import pytest
from updates_helpers import INVENTED_SOURCE

from dashboard.core.dataset import BUNDLED_DATA_PATH, load_dataset
from dashboard.updates.ingest import Defaults, read_form, read_upload


@pytest.fixture(scope="module")
def parties():
    return load_dataset(BUNDLED_DATA_PATH).parties


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "vbscript:x", "//evil.example/x"])
def test_the_form_refuses_a_url_that_is_not_http_or_https(parties, url):
    upload = read_form({"party": "labour", "year": "2025", "members": "5", "source": INVENTED_SOURCE, "url": url},
                       parties)
    assert not upload.rows and any(p.column == "url" and "http://" in p.message for p in upload.problems)


def test_the_panels_url_for_rows_without_one_is_checked_too(parties):
    upload = read_upload(b"Year,Members\n2025,5\n", "f.csv", parties,
                         Defaults(party="labour", source=INVENTED_SOURCE, url="javascript:alert(1)"))
    assert [p.message for p in upload.problems if "URL given for rows" in p.message]


def test_a_control_character_in_the_party_cell_is_refused_not_read_as_the_party(parties):
    upload = read_upload(b"party,year,members,source\nlab\x1bour,2025,5,TEST\n", "f.csv", parties)
    assert not upload.rows or upload.problems
    assert any(p.column == "party" and "U+001B" in p.message for p in upload.problems)
