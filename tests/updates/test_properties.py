"""Property tests: whatever sequence of imports, undos and redos, the data file is byte for byte
what a small independent model predicts; whatever bytes are uploaded, the importer answers with
located problems and never raises. Figures are invented (source "TEST: invented")."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from updates_helpers import INVENTED_SOURCE

from dashboard.core.dataset import BUNDLED_DATA_DIR, load_dataset
from dashboard.core.problems import CONTROL_CHARACTERS
from dashboard.updates.changes import diff
from dashboard.updates.ingest import Defaults, read_upload
from dashboard.updates.store import NothingToRedo, NothingToUndo, Store

HEADER = "party,year,members,as_of,source,url,note"
BASE = [("labour", 2000, 100000), ("labour", 2002, 120000), ("labour", 2004, 140000), ("green", 2001, 50000)]
PARTIES = ("labour", "green", "snp")
YEARS = st.integers(1998, 2006)
MEMBERS = st.integers(0, 9_999_999)


def line(party: str, year: int, members: int) -> str:
    return f"{party},{year},{members},,{INVENTED_SOURCE},,"


def model_insert(lines: list[str], party: str, year: int, members: int) -> list[str]:
    """Where the store must put a year-end figure: in place of the same party and year; else
    after the party's last earlier year (its rows are in year order); a new party at the end."""
    out = list(lines)
    rows = [(i, text.split(",")) for i, text in enumerate(out) if i > 0]
    for i, cells in rows:
        if cells[0] == party and int(cells[1]) == year:
            out[i] = line(party, year, members)
            return out
    own = [(int(cells[1]), i) for i, cells in rows if cells[0] == party]
    if not own:
        return [*out, line(party, year, members)]
    earlier = [i for y, i in own if y <= year]
    at = earlier[-1] + 1 if earlier else own[0][1]
    return out[:at] + [line(party, year, members)] + out[at:]


def render(lines: list[str]) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


def fresh_data() -> tuple[Path, list[str]]:
    """A small data file of invented figures beside the bundled parties and events."""
    folder = Path(tempfile.mkdtemp(prefix="membership-property-"))
    for name in ("parties.csv", "events.csv", "other_figures.csv"):
        shutil.copy(BUNDLED_DATA_DIR / name, folder / name)
    lines = [HEADER, *(line(*figure) for figure in BASE)]
    (folder / "membership.csv").write_bytes(render(lines))
    return folder / "membership.csv", lines


def apply_figures(store: Store, path: Path, text: bytes) -> object:
    dataset = load_dataset(path)
    upload = read_upload(text, "upload.csv", dataset.parties, Defaults(source=INVENTED_SOURCE))
    preview = diff(dataset, upload)
    assert not preview.problems, preview.problems
    return store.apply(preview, overwrite=True, who="property test")


OPERATIONS = st.lists(st.one_of(
    st.tuples(st.just("apply"), st.sampled_from(PARTIES), YEARS, MEMBERS),
    st.just(("undo",)), st.just(("redo",))), min_size=1, max_size=6)


@given(OPERATIONS)
def test_any_sequence_of_apply_undo_and_redo_leaves_the_predicted_bytes(operations):
    path, lines = fresh_data()
    try:
        store = Store(path)
        done: list[tuple[list[str], list[str]]] = []     # (before, after) of each change that can be undone
        undone: list[tuple[list[str], list[str]]] = []
        for operation in operations:
            if operation[0] == "apply":
                _, party, year, members = operation
                after = model_insert(lines, party, year, members)
                entry = apply_figures(store, path, f"party,year,members\n{party},{year},{members}\n".encode())
                assert (entry is None) == (after == lines)
                if entry is not None:
                    done.append((lines, after))
                    undone.clear()
                    lines = after
            elif operation[0] == "undo":
                if not done:
                    try:
                        store.undo()
                    except NothingToUndo:
                        continue
                    raise AssertionError("undo with nothing to undo was not refused")
                change = done.pop()
                store.undo(expected=store.undoable().id)
                undone.append(change)
                lines = change[0]
            else:
                if not undone:
                    try:
                        store.redo()
                    except NothingToRedo:
                        continue
                    raise AssertionError("redo with nothing to redo was not refused")
                change = undone.pop()
                store.redo(expected=store.redoable().id)
                done.append(change)
                lines = change[1]
            assert path.read_bytes() == render(lines)
    finally:
        shutil.rmtree(path.parent)


FIGURES = st.dictionaries(st.tuples(st.sampled_from(("labour", "green", "snp", "libdem")), YEARS), MEMBERS,
                          min_size=1, max_size=12)


@given(FIGURES, st.booleans(), st.booleans(), st.sampled_from([",", ";"]), st.booleans(),
       st.sampled_from([("party", "year", "members"), ("Party", "Year", "Membership"),
                        ("Party name", "Year end", "Total members")]))
def test_an_import_in_any_accepted_form_writes_the_predicted_bytes(figures, bom, crlf, delimiter, title_row, header):
    path, lines = fresh_data()
    try:
        rows = []
        for (party, year), members in sorted(figures.items()):
            count = f"{members:,}" if members % 2 else str(members)  # thousands separators in some rows
            if "," in count:
                count = f'"{count}"' if delimiter == "," else count
            rows.append(delimiter.join((party.upper() if year % 3 == 0 else party, str(year), count)))
        newline = "\r\n" if crlf else "\n"
        body = ([f"Membership figures{delimiter}{delimiter}"] if title_row else []) + [delimiter.join(header), *rows]
        text = (b"\xef\xbb\xbf" if bom else b"") + (newline.join(body) + newline).encode()
        apply_figures(Store(path), path, text)
        for (party, year), members in sorted(figures.items()):
            lines = model_insert(lines, party, year, members)
        assert path.read_bytes() == render(lines)
    finally:
        shutil.rmtree(path.parent)


@given(st.binary(max_size=3000) | st.text(max_size=1500).map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_any_bytes_give_located_problems_and_never_an_exception(data):
    dataset = load_dataset(BUNDLED_DATA_DIR / "membership.csv")
    upload = read_upload(data, "fuzz.csv", dataset.parties, Defaults(party="labour", source=INVENTED_SOURCE))
    for problem in upload.problems:
        assert str(problem).startswith("fuzz.csv") and not CONTROL_CHARACTERS.search(str(problem))
    for row in upload.rows:
        assert not any(CONTROL_CHARACTERS.search(text) for text in (row.source, row.url, row.note))
        assert 0 <= row.members <= 9_999_999
