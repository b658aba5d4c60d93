"""The canonical data: its schema in one place, and loading plus validation of the files in data/.

Everything downstream (figures, tables, exports, imports) takes a `Dataset`; nothing else reads data/.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pandas as pd

from dashboard.core.problems import DataError, Problem
from dashboard.core.tabular import Table, read_table

COLUMNS = ("party", "year", "members", "as_of", "source", "url", "note")
REQUIRED = ("party", "year", "members", "source")
PARTY_COLUMNS = ("slug", "name", "colour")
EVENT_COLUMNS = ("kind", "party", "name", "start", "end", "source", "url", "note")
EVENT_KINDS = ("general_election", "leader")
RELATED_COLUMNS = (*COLUMNS, "measure")
FIRST_YEAR = 1900

# The data shipped inside the package (a wheel carries it too); config.py chooses another.
BUNDLED_DATA_DIR = Path(__file__).resolve().parent.parent / "data"
BUNDLED_DATA_PATH = BUNDLED_DATA_DIR / "membership.csv"

T = TypeVar("T")
_WHOLE_NUMBER = re.compile(r"\d+")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


@dataclass(frozen=True)
class Party:
    slug: str
    name: str
    colour: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Dataset:
    """Validated figures plus the party list, events and related (non-member) figures.

    `counts` (the membership figures) has the columns of COLUMNS; `year` and `members` are ints, `as_of` is "" for a
    year-end figure. `version` identifies the exact bytes of the membership file.
    """

    counts: pd.DataFrame
    parties: dict[str, Party]
    events: pd.DataFrame
    related: pd.DataFrame
    path: Path
    version: str

    def year_ends(self) -> pd.DataFrame:
        return self.counts[self.counts["as_of"] == ""]

    def other_dates(self) -> pd.DataFrame:
        return self.counts[self.counts["as_of"] != ""]

    def party_name(self, slug: str) -> str:
        party = self.parties.get(slug)
        return party.name if party else slug

    def year_bounds(self) -> tuple[int, int]:
        years = self.counts["year"]
        return int(years.min()), int(years.max())


def latest_allowed_year(today: dt.date | None = None) -> int:
    return (today or dt.date.today()).year + 1


def parse_year(text: str) -> tuple[int | None, str | None]:
    """A year between 1900 and next year, or the reason it is not one."""
    if not _WHOLE_NUMBER.fullmatch(text):
        return None, f"'{text}' is not a year" if text else "is empty"
    year = int(text)
    if not FIRST_YEAR <= year <= latest_allowed_year():
        return None, f"{year} is outside {FIRST_YEAR} to {latest_allowed_year()}"
    return year, None


def parse_members(text: str) -> tuple[int | None, str | None]:
    """A whole, non-negative number of members, or the reason it is not one."""
    if not text:
        return None, "is empty"
    if text.startswith("-") and _WHOLE_NUMBER.fullmatch(text[1:]):
        return None, f"{text} is negative: a member count is zero or more"
    if not _WHOLE_NUMBER.fullmatch(text):
        return None, f"'{text}' is not a whole number"
    return int(text), None


def parse_as_of(text: str, year: int | None) -> tuple[str, str | None]:
    """An ISO date within the figure's year, "" for a year-end figure, or the reason it is neither."""
    if not text:
        return "", None
    try:
        if not _ISO_DATE.fullmatch(text):
            raise ValueError
        date = dt.date.fromisoformat(text)
    except ValueError:
        return "", f"'{text}' is not a date in the form YYYY-MM-DD (leave it empty for 31 December)"
    if year is not None and date.year != year:
        return "", f"{text} is not in the figure's year {year}"
    return date.isoformat(), None


def _header_index(table: Table, wanted: tuple[str, ...], required: tuple[str, ...]) -> tuple[dict[str, int], list[Problem]]:
    if not table.rows:
        return {}, [Problem(table.file, "is empty: expected a header row " + ",".join(wanted), sheet=table.sheet)]
    header = [h.strip().lower() for h in table.rows[0]]
    index = {name: header.index(name) for name in wanted if name in header}
    missing = [name for name in required if name not in index]
    problems = [
        Problem(table.file, f"missing column '{name}' (header has: {', '.join(h for h in header if h) or 'nothing'})",
                row=table.first_row, sheet=table.sheet)
        for name in missing
    ]
    return index, problems


def _records(table: Table, index: dict[str, int], columns: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """(spreadsheet row number, {column: text}) for each non-blank data row."""
    for offset, row in enumerate(table.rows[1:], start=1):
        if not any(cell.strip() for cell in row):
            continue
        cells = {name: (row[i].strip() if i < len(row) else "") for name, i in index.items()}
        yield table.first_row + offset, {name: cells.get(name, "") for name in columns}


def validate_counts(table: Table, parties: dict[str, Party]) -> tuple[pd.DataFrame, list[Problem]]:
    """Turn text rows into typed figures; every problem is reported, not just the first."""
    index, problems = _header_index(table, COLUMNS, REQUIRED)
    if problems:
        return pd.DataFrame(columns=list(COLUMNS)), problems
    records: list[dict[str, object]] = []
    year_end_rows: dict[tuple[str, int], int] = {}

    def problem(row: int, column: str, message: str) -> None:
        problems.append(Problem(table.file, message, row=row, column=column, sheet=table.sheet))

    for row, cells in _records(table, index, COLUMNS):
        slug = cells["party"].lower()
        if not slug:
            problem(row, "party", "is empty")
        elif slug not in parties:
            problem(row, "party", f"unknown party '{cells['party']}' (known: {', '.join(parties)})")
        year, error = parse_year(cells["year"])
        if error:
            problem(row, "year", error)
        members, error = parse_members(cells["members"])
        if error:
            problem(row, "members", error)
        as_of, error = parse_as_of(cells["as_of"], year)
        if error:
            problem(row, "as_of", error)
        if not cells["source"]:
            problem(row, "source", "is empty: every figure needs the name of who published it")
        if not as_of and year is not None and slug in parties:
            first = year_end_rows.setdefault((slug, year), row)
            if first != row:
                problem(row, "year", f"second year-end figure for {slug} {year} (the first is on row {first})")
        records.append({**cells, "party": slug, "year": year, "members": members, "as_of": as_of})
    frame = pd.DataFrame.from_records(records, columns=list(COLUMNS))
    if not problems:
        frame = frame.astype({"year": "int64", "members": "int64"})
        frame = frame.sort_values(["party", "year", "as_of"], kind="stable").reset_index(drop=True)
    return frame, problems


def validate_parties(table: Table) -> tuple[dict[str, Party], list[Problem]]:
    index, problems = _header_index(table, (*PARTY_COLUMNS, "aliases"), PARTY_COLUMNS)
    parties: dict[str, Party] = {}
    if problems:
        return parties, problems
    for row, cells in _records(table, index, (*PARTY_COLUMNS, "aliases")):
        slug = cells["slug"].lower()
        if not re.fullmatch(r"[a-z][a-z0-9_-]*", slug):
            problems.append(Problem(table.file, f"'{cells['slug']}' is not a slug (lower-case letters, digits, - or _)",
                                    row=row, column="slug"))
            continue
        if not _COLOUR.fullmatch(cells["colour"]):
            problems.append(Problem(table.file, f"'{cells['colour']}' is not a colour like #E4003B", row=row, column="colour"))
        aliases = tuple(a.strip() for a in cells["aliases"].split(";") if a.strip())
        parties[slug] = Party(slug, cells["name"] or slug, cells["colour"], aliases)
    return parties, problems


def validate_events(table: Table) -> tuple[pd.DataFrame, list[Problem]]:
    index, problems = _header_index(table, EVENT_COLUMNS, ("kind", "name", "start", "source"))
    if problems:
        return pd.DataFrame(columns=list(EVENT_COLUMNS)), problems
    records = []
    for row, cells in _records(table, index, EVENT_COLUMNS):
        if cells["kind"] not in EVENT_KINDS:
            problems.append(Problem(table.file, f"unknown kind '{cells['kind']}' (known: {', '.join(EVENT_KINDS)})",
                                    row=row, column="kind"))
        for column in ("start", "end"):
            if cells[column] or column == "start":
                _, error = parse_as_of(cells[column], None)
                if error or not cells[column]:
                    problems.append(Problem(table.file, error or "is empty", row=row, column=column))
        if not cells["source"]:
            problems.append(Problem(table.file, "is empty: every date needs its source", row=row, column="source"))
        records.append(cells)
    return pd.DataFrame.from_records(records, columns=list(EVENT_COLUMNS)), problems


def validate_related(table: Table) -> tuple[pd.DataFrame, list[Problem]]:
    """Related counts that are not members (supporters, votes): shown apart, never in a member line."""
    index, problems = _header_index(table, RELATED_COLUMNS, (*REQUIRED, "measure"))
    if problems:
        return pd.DataFrame(columns=list(RELATED_COLUMNS)), problems
    records = []
    for row, cells in _records(table, index, RELATED_COLUMNS):
        year, error = parse_year(cells["year"])
        count, error2 = parse_members(cells["members"])
        for column, message in (("year", error), ("members", error2)):
            if message:
                problems.append(Problem(table.file, message, row=row, column=column))
        records.append({**cells, "year": year, "members": count})
    return pd.DataFrame.from_records(records, columns=list(RELATED_COLUMNS)), problems


def companion_path(data_path: Path, name: str) -> Path:
    """parties.csv, events.csv and other_figures.csv beside the data file, else the bundled ones."""
    beside = data_path.parent / name
    return beside if beside.exists() else BUNDLED_DATA_DIR / name


def _load_companion(data_path: Path, name: str, validate: Callable[[Table], tuple[T, list[Problem]]],
                    problems: list[Problem], empty: T) -> T:
    path = companion_path(data_path, name)
    if not path.exists() and name == "other_figures.csv":
        return empty
    table, read_problems = read_table(path)
    if table is None:
        problems.extend(read_problems)
        return empty
    value, found = validate(table)
    problems.extend(found)
    return value


def file_version(data: bytes) -> str:
    """A short fingerprint of the file's exact bytes: an apply names the version it previewed."""
    return hashlib.sha256(data).hexdigest()[:16]


def inspect(path: Path | None = None) -> tuple[Dataset | None, list[Problem]]:
    """Load and validate the data file and its companions; the dataset only when there is no problem."""
    path = Path(path or BUNDLED_DATA_PATH)
    problems: list[Problem] = []
    no_parties: dict[str, Party] = {}
    parties = _load_companion(path, "parties.csv", validate_parties, problems, no_parties)
    events = _load_companion(path, "events.csv", validate_events, problems, pd.DataFrame(columns=list(EVENT_COLUMNS)))
    related = _load_companion(path, "other_figures.csv", validate_related, problems, pd.DataFrame(columns=list(RELATED_COLUMNS)))
    table, read_problems = read_table(path)
    problems.extend(read_problems)
    if table is None:
        return None, problems
    figures, found = validate_counts(table, parties)
    problems.extend(found)
    if not problems and figures.empty:
        problems.append(Problem(path.name, "has no figures"))
    if problems:
        return None, problems
    version = file_version(path.read_bytes())
    return Dataset(figures, parties, events, related, path, version), []


def load_dataset(path: Path | None = None) -> Dataset:
    """The validated dataset, or DataError listing every problem."""
    dataset, problems = inspect(path)
    if dataset is None:
        raise DataError(problems)
    return dataset


class DatasetCache:
    """The dataset as it is on disk now: reloaded whenever the file changes, so every server
    process (gunicorn worker) sees a write by any other as soon as it lands."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.Lock()
        self._key: tuple[int, int, int] | None = None
        self._dataset: Dataset | None = None

    def _stat_key(self) -> tuple[int, int, int]:
        st = os.stat(self.path)
        return (st.st_mtime_ns, st.st_size, st.st_ino)

    def get(self) -> Dataset:
        key = self._stat_key()
        with self._lock:
            if key != self._key or self._dataset is None:
                self._dataset = load_dataset(self.path)
                self._key = key
            return self._dataset


def last_changed(dataset: Dataset) -> dt.datetime:
    """When the data file was last written (the store replaces it whole on every change and undo),
    in UTC: what a citation and a download say about the data's age."""
    return dt.datetime.fromtimestamp(os.stat(dataset.path).st_mtime, dt.UTC)
