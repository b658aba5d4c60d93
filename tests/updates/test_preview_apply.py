"""The one preview-then-apply path the page and the CLI share: what it decides, and that it writes only
what was shown. Figures are invented (TEST source) and written to a copy of data/."""
from __future__ import annotations

from pathlib import Path

import pytest
from updates_helpers import INVENTED_SOURCE, first_free_year_end, real_year_end

from dashboard.core.dataset import load_dataset
from dashboard.updates import preview_apply
from dashboard.updates.ingest import Defaults
from dashboard.updates.preview_apply import Proposal, Shown
from dashboard.updates.store import Store


@pytest.fixture
def path(data_dir: Path) -> Path:
    return data_dir / "membership.csv"


def proposal_of(text: str, party: str = "labour") -> Proposal:
    return Proposal("up.csv", data=text.encode(), defaults=Defaults(party=party, source=INVENTED_SOURCE))


def test_a_file_and_the_form_give_the_same_preview(path):
    dataset = load_dataset(path)
    year = first_free_year_end(dataset)
    from_file = preview_apply.preview(dataset, proposal_of(f"Year,Members\n{year},123456\n"))
    from_form = preview_apply.preview(dataset, Proposal("form", fields={
        "party": "labour", "year": str(year), "members": "123,456", "source": INVENTED_SOURCE}))
    assert [c.new for c in from_file.writes] == [c.new for c in from_form.writes]
    assert from_file.digest() == from_form.digest()


def test_the_verdict_names_the_first_thing_that_stops_an_apply(path):
    dataset = load_dataset(path)
    year, members = real_year_end(dataset)
    assert preview_apply.verdict(preview_apply.preview(dataset, proposal_of("Year,Members\n2025,c. 3k\n")), True) == "problems"
    assert preview_apply.verdict(preview_apply.preview(dataset, proposal_of(f"Year,Members\n{year},{members}\n")), True) == "nothing"
    changed = preview_apply.preview(dataset, proposal_of(f"Year,Members\n{year},{members + 1}\n"))
    assert preview_apply.verdict(changed, False) == "needs_overwrite"
    assert preview_apply.verdict(changed, True) == "ready"


def test_an_apply_of_something_other_than_what_was_shown_writes_nothing(path):
    dataset = load_dataset(path)
    result = preview_apply.preview(dataset, proposal_of(f"Year,Members\n{first_free_year_end(dataset)},123456\n"))
    before = path.read_bytes()
    for shown in (Shown("membership=another version", result.digest()), Shown(result.stamp(), "another digest")):
        outcome = preview_apply.apply(Store(path), result, overwrite=False, who="test", shown=shown)
        assert outcome.status == "refused" and "preview again" in outcome.message and outcome.entry is None
    assert path.read_bytes() == before
    outcome = preview_apply.apply(Store(path), result, overwrite=False, who="test",
                                  shown=Shown(result.stamp(), result.digest()))
    assert outcome.status == "applied" and outcome.entry is not None and outcome.entry.id == 1


def test_a_refused_write_is_an_outcome_not_an_exception(path):
    dataset = load_dataset(path)
    year, members = real_year_end(dataset)
    changed = preview_apply.preview(dataset, proposal_of(f"Year,Members\n{year},{members + 1}\n"))
    before = path.read_bytes()
    assert preview_apply.apply(Store(path), changed, overwrite=False, who="test").status == "needs_overwrite"
    bad = preview_apply.preview(dataset, proposal_of("Year,Members\n2025,c. 3k\n"))
    outcome = preview_apply.apply(Store(path), bad, overwrite=True, who="test")
    assert outcome.status == "problems" and outcome.problems and path.read_bytes() == before
