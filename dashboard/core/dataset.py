"""The canonical data: its schema in one place, and loading plus validation of the files in data/.

Everything downstream (figures, tables, exports, imports) takes a `Dataset`; nothing else reads data/.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import os
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import pandas as pd

from dashboard.core.memo import remembered
from dashboard.core.precision import parse_bound, parse_precision
from dashboard.core.problems import DataError, Problem, control_character
from dashboard.core.tabular import Table, read_table

# `bound` and `date_precision` (core/precision.py) came later: a file without them loads, every figure exact
# and known to the day, and the first change that fills them adds them to it
LATER_COLUMNS = ("bound", "date_precision")
COLUMNS = ("party", "year", "members", "as_of", "source", "url", "note", "basis", *LATER_COLUMNS)
REQUIRED = ("party", "year", "members", "source")
PARTY_COLUMNS = ("slug", "name", "colour")
PARTY_OPTIONAL = ("aliases", "short", "source", "url", "note")  # where a party added later was found
EVENT_COLUMNS = ("kind", "party", "name", "start", "end", "source", "url", "note")
EVENT_KINDS = ("general_election", "leader")
# related counts (supporters, votes) have no basis column: they are never compared with members
RELATED_COLUMNS = ("party", "year", "members", "as_of", "source", "url", "note", "measure")
FIRST_YEAR = 1900
# No British party has reported more than about 3 million members (the Conservatives' claims of the
# early 1950s); a count of 10 million or more is a typo or an attack, and far below 2^63.
MAX_MEMBERS = 9_999_999

# The data: `data/` at the top of a checkout; an installed wheel carries the same files as the package
# dashboard.bundled_data (pyproject.toml maps one onto the other). config.py chooses another folder.
_PACKAGE_DIR = Path(__file__).resolve().parent.parent
_INSTALLED_DATA_DIR = _PACKAGE_DIR / "bundled_data"
CHECKOUT_DATA_DIR = _PACKAGE_DIR.parent / "data"
BUNDLED_IN_PACKAGE = (_INSTALLED_DATA_DIR / "membership.csv").is_file()  # an installed copy, not a checkout
BUNDLED_DATA_DIR = _INSTALLED_DATA_DIR if BUNDLED_IN_PACKAGE else CHECKOUT_DATA_DIR
BUNDLED_DATA_PATH = BUNDLED_DATA_DIR / "membership.csv"

T = TypeVar("T")
_WHOLE_NUMBER = re.compile(r"\d+")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
_SCHEME = re.compile(r"\s*([a-zA-Z][a-zA-Z0-9+.-]*):")


@dataclass(frozen=True)
class Basis:
    """What kind of figure a count is: the difference between audited accounts and a live counter
    decides most comparisons, so every place a figure appears names its basis."""

    slug: str
    label: str        # short, for legends, tables and the control ("audited accounts")
    phrase: str       # for sentences ("the party's own claim")
    tier: str         # how the chart draws it: "audited", "reported" or "claimed"


BASES: dict[str, Basis] = {b.slug: b for b in (
    Basis("accounts", "audited accounts", "audited accounts", "audited"),
    Basis("party_report", "party report", "the party's report", "reported"),
    Basis("compiled", "compilation", "a compilation that does not give its basis", "reported"),
    Basis("press", "press report", "internal figures reported by the press", "reported"),
    Basis("party_claim", "party's own claim", "the party's own claim", "claimed"),
)}
# A figure whose basis was not recorded (an older data file, an upload that did not say): shown
# as such, never guessed.
NO_BASIS = Basis("", "basis not given", "a source that does not give its basis", "reported")


def basis_of(slug: str) -> Basis:
    return BASES.get(slug, NO_BASIS)


def parse_basis(text: str) -> tuple[str, str | None]:
    """A basis slug as the data file writes it ("" when not given), or the reason it is not one."""
    slug = text.strip().lower()
    if not slug or slug in BASES:
        return slug, None
    return "", f"unknown basis '{text}' (accepted: {', '.join(BASES)})"


@dataclass(frozen=True)
class Party:
    slug: str
    name: str
    colour: str
    aliases: tuple[str, ...] = ()
    short: str = ""   # for direct labels on the chart ("Lib Dems"); the name when empty
    source: str = ""  # who shows the party exists (parties added through the product keep theirs)
    url: str = ""
    note: str = ""

    @property
    def label(self) -> str:
        return self.short or self.name


_IDENTITIES = itertools.count(1)


@dataclass(frozen=True)
class Dataset:
    """Validated figures plus the party list, events and related (non-member) figures.

    `counts` (the membership figures) has the columns of COLUMNS; `year` and `members` are ints, `as_of` is "" for a
    year-end figure, `basis` a key of BASES ("" where the file does not give one). `file_versions` identifies the
    exact bytes of each file read (membership, parties, events, related), `version` all of them at once: a change
    to any file is a new version of the data.
    """

    counts: pd.DataFrame
    parties: dict[str, Party]
    events: pd.DataFrame
    related: pd.DataFrame
    path: Path
    version: str
    file_versions: dict[str, str] = field(default_factory=dict, compare=False)
    # A number no other Dataset of this process has, for the caches of answers about it: an id()
    # is reused once its dataset is gone, and a copy with other figures (dataclasses.replace) keeps
    # the version of the file it came from. Made afresh for every instance, copies too.
    identity: int = field(init=False, compare=False, repr=False, default_factory=lambda: next(_IDENTITIES))

    def year_ends(self) -> pd.DataFrame:
        return self.counts[self.counts["as_of"] == ""]

    def other_dates(self) -> pd.DataFrame:
        return self.counts[self.counts["as_of"] != ""]

    def party_name(self, slug: str) -> str:
        party = self.parties.get(slug)
        return party.name if party else slug

    def year_bounds(self) -> tuple[int, int]:
        return remembered("year_bounds", self, None, self._year_bounds)

    def _year_bounds(self) -> tuple[int, int]:
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
    if len(text) > 12 or int(text) > MAX_MEMBERS:
        return None, (f"{text[:20]}{'...' if len(text) > 20 else ''} is more than {MAX_MEMBERS:,}, far above any "
                      "party's membership: check the figure")
    return int(text), None


def url_problem(text: str) -> str | None:
    """Why a url cell cannot stay in the data: only http(s) addresses may become links, and a
    scheme such as javascript: or data: is refused outright (text without a scheme is kept as text)."""
    found = _SCHEME.match(text)
    if found and found.group(1).lower() not in ("http", "https"):
        return f"'{text[:60]}' is not a web address: only http:// and https:// links are allowed"
    return None


def parse_date(text: str) -> tuple[str, str | None]:
    """An ISO date (YYYY-MM-DD), or the reason it is not one."""
    if not text:
        return "", "is empty"
    try:
        if not _ISO_DATE.fullmatch(text):
            raise ValueError
        return dt.date.fromisoformat(text).isoformat(), None
    except ValueError:
        return "", f"'{text}' is not a date in the form YYYY-MM-DD"


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
    for row, cells in _records(table, index, COLUMNS):
        record, found = _count_record(cells, parties)
        if (second := _second_year_end(record, row, parties, year_end_rows)) is not None:
            found.append(("year", second))
        problems += [Problem(table.file, message, row=row, column=column, sheet=table.sheet) for column, message in found]
        records.append(record)
    frame = pd.DataFrame.from_records(records, columns=list(COLUMNS))
    if not problems:
        frame = frame.astype({"year": "int64", "members": "int64"})
        frame = frame.sort_values(["party", "year", "as_of"], kind="stable").reset_index(drop=True)
    return frame, problems


# What is wrong with one row: (column, message) in the order of the row's checks
RowProblems = list[tuple[str, str]]


def _count_record(cells: dict[str, str], parties: dict[str, Party]) -> tuple[dict[str, object], RowProblems]:
    """One row's figure, typed as far as its cells allow, and every problem of its cells."""
    found = _text_problems(cells)
    if (party_error := _party_problem(cells["party"], parties)) is not None:
        found.append(("party", party_error))
    year, year_error = parse_year(cells["year"])
    members, members_error = parse_members(cells["members"])
    as_of, as_of_error = parse_as_of(cells["as_of"], year)
    found += [(column, error) for column, error in (("year", year_error), ("members", members_error),
                                                    ("as_of", as_of_error)) if error]
    if not cells["source"]:
        found.append(("source", "is empty: every figure needs the name of who published it"))
    kinds: dict[str, str] = {}  # what kind of figure: its basis, bound and date precision, each a word of a short list
    for column, parse in (("basis", parse_basis), ("bound", parse_bound), ("date_precision", parse_precision)):
        kinds[column], error = parse(cells[column])
        if error:
            found.append((column, error))
    return {**cells, "party": cells["party"].lower(), "year": year, "members": members, "as_of": as_of, **kinds}, found


def _text_problems(cells: dict[str, str]) -> RowProblems:
    """Texts that cannot be stored as they are: a control character, or a url that must not become a link."""
    found = [(column, error) for column in ("source", "url", "note") if (error := control_character(cells[column])) is not None]
    if cells["url"] and (error := url_problem(cells["url"])) is not None:
        found.append(("url", error))
    return found


def _party_problem(text: str, parties: dict[str, Party]) -> str | None:
    """Why the party cell names no known party, or None."""
    if not text:
        return "is empty"
    if text.lower() not in parties:
        return f"unknown party '{text}' (known: {', '.join(parties)})"
    return None


def _second_year_end(record: dict[str, object], row: int, parties: dict[str, Party],
                     first_rows: dict[tuple[str, int], int]) -> str | None:
    """Year-end figures are unique per (party, year): the problem of a second one, naming the row of the first.
    `first_rows` remembers the rows seen so far."""
    slug, year = str(record["party"]), record["year"]
    if record["as_of"] or not isinstance(year, int) or slug not in parties:
        return None
    first = first_rows.setdefault((slug, year), row)
    return f"second year-end figure for {slug} {year} (the first is on row {first})" if first != row else None


def validate_parties(table: Table) -> tuple[dict[str, Party], list[Problem]]:
    index, problems = _header_index(table, (*PARTY_COLUMNS, *PARTY_OPTIONAL), PARTY_COLUMNS)
    parties: dict[str, Party] = {}
    if problems:
        return parties, problems
    for row, cells in _records(table, index, (*PARTY_COLUMNS, *PARTY_OPTIONAL)):
        slug = cells["slug"].lower()
        if not re.fullmatch(r"[a-z][a-z0-9_-]*", slug):
            problems.append(Problem(table.file, f"'{cells['slug']}' is not a slug (lower-case letters, digits, - or _)",
                                    row=row, column="slug"))
            continue
        if not _COLOUR.fullmatch(cells["colour"]):
            problems.append(Problem(table.file, f"'{cells['colour']}' is not a colour like #E4003B", row=row, column="colour"))
        aliases = tuple(a.strip() for a in cells["aliases"].split(";") if a.strip())
        parties[slug] = Party(slug, cells["name"] or slug, cells["colour"], aliases, cells["short"], cells["source"],
                              cells["url"], cells["note"])
    return parties, problems


def validate_events(table: Table, parties: dict[str, Party] | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """Elections and leaders' terms; with `parties`, a leader's party must be one of them."""
    index, problems = _header_index(table, EVENT_COLUMNS, ("kind", "name", "start", "source"))
    if problems:
        return pd.DataFrame(columns=list(EVENT_COLUMNS)), problems
    records = []
    for row, cells in _records(table, index, EVENT_COLUMNS):
        if cells["kind"] not in EVENT_KINDS:
            problems.append(Problem(table.file, f"unknown kind '{cells['kind']}' (known: {', '.join(EVENT_KINDS)})",
                                    row=row, column="kind"))
        elif cells["kind"] == "leader" and parties is not None and cells["party"].lower() not in parties:
            problems.append(Problem(table.file, f"unknown party '{cells['party']}' (known: {', '.join(parties)})",
                                    row=row, column="party"))
        for column in ("start", "end"):
            if cells[column] or column == "start":
                _, error = parse_date(cells[column])
                if error:
                    problems.append(Problem(table.file, error, row=row, column=column))
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


COMPANIONS = {"parties": "parties.csv", "events": "events.csv", "related": "other_figures.csv"}


def companion_path(data_path: Path, name: str) -> Path:
    """parties.csv, events.csv and other_figures.csv beside the data file, else the bundled ones."""
    beside = (data_path if data_path.is_dir() else data_path.parent) / name
    return beside if beside.exists() else BUNDLED_DATA_DIR / name


def data_paths(path: Path, companions_from: Path | None = None) -> dict[str, Path]:
    """Where each table is read from: the membership file, and its companions beside it (or the bundled ones)."""
    beside = companions_from or path
    return {"membership": path, **{name: companion_path(beside, file) for name, file in COMPANIONS.items()}}


def reading_path(data_path: Path, seed_dir: Path | None = None) -> Path:
    """The data file to read now: the user's own once it exists, else the copy its first change starts from."""
    if seed_dir is not None and not data_path.exists():
        return seed_dir / "membership.csv"
    return data_path


def file_version(data: bytes) -> str:
    """A short fingerprint of the file's exact bytes: an apply names the version it previewed."""
    return hashlib.sha256(data).hexdigest()[:16]


def data_version(file_versions: dict[str, str]) -> str:
    """One fingerprint for all the files: any change to any of them is a new version of the data."""
    return file_version("\n".join(f"{name}={file_versions[name]}" for name in sorted(file_versions)).encode())


def dataset_from_tables(tables: dict[str, Table | None], path: Path,
                        file_versions: dict[str, str]) -> tuple[Dataset | None, list[Problem]]:
    """Validate the tables together (figures and leaders name known parties); the dataset when all is well.
    A missing related table is no problem; the others must be there (their reading said why not)."""
    problems: list[Problem] = []

    def validated(name: str, validate: Callable[[Table], tuple[T, list[Problem]]], empty: T) -> T:
        table = tables.get(name)
        if table is None:
            return empty
        value, found = validate(table)
        problems.extend(found)
        return value

    no_parties: dict[str, Party] = {}
    parties = validated("parties", validate_parties, no_parties)
    events = validated("events", lambda table: validate_events(table, parties),
                       pd.DataFrame(columns=list(EVENT_COLUMNS)))
    related = validated("related", validate_related, pd.DataFrame(columns=list(RELATED_COLUMNS)))
    table = tables.get("membership")
    if table is None:
        return None, problems
    figures, found = validate_counts(table, parties)
    problems.extend(found)
    if not problems and figures.empty:
        problems.append(Problem(path.name, "has no figures"))
    if problems:
        return None, problems
    return Dataset(figures, parties, events, related, path, data_version(file_versions), dict(file_versions)), []


def inspect(path: Path | None = None, companions_from: Path | None = None) -> tuple[Dataset | None, list[Problem]]:
    """Load and validate the data file and its companions (beside it, or in `companions_from`);
    the dataset only when there is no problem."""
    path = Path(path or BUNDLED_DATA_PATH)
    problems: list[Problem] = []
    tables: dict[str, Table | None] = {}
    versions: dict[str, str] = {}
    for name, source in data_paths(path, companions_from).items():
        if name == "related" and not source.exists():
            tables[name] = None
            continue
        tables[name], found = read_table(source)
        problems.extend(found)
        versions[name] = table_version(source)
    dataset, found = dataset_from_tables(tables, path, versions)
    problems.extend(found)
    return (dataset, []) if dataset is not None and not problems else (None, problems)


def table_version(path: Path) -> str:
    try:
        return file_version(path.read_bytes())
    except OSError:
        return "unreadable"


def load_dataset(path: Path | None = None) -> Dataset:
    """The validated dataset, or DataError listing every problem."""
    dataset, problems = inspect(path)
    if dataset is None:
        raise DataError(problems)
    return dataset


class DatasetCache:
    """The dataset as it is on disk now: reloaded whenever the file changes, so every server
    process (gunicorn worker) sees a write by any other as soon as it lands.

    A file broken while serving (or at start-up) does not take the page down: the last good
    version keeps being served, from memory or from `last_good` (a copy the store keeps), and
    `problems` says what is wrong with the file on disk until it is fixed.
    """

    def __init__(self, path: Path, last_good: Path | None = None, seed_dir: Path | None = None):
        self.path = Path(path)
        self.last_good = last_good
        self.seed_dir = seed_dir
        self._lock = threading.Lock()
        self._key: tuple[int, ...] | None = None
        self._dataset: Dataset | None = None
        self._problems: list[Problem] = []

    def _stat_key(self) -> tuple[int, ...]:
        """Every file the data is read from, as it is on disk now: a change to any of them is seen."""
        key: list[int] = []
        for path in data_paths(reading_path(self.path, self.seed_dir)).values():
            try:
                st = os.stat(path)
            except OSError as exc:
                key += (-1, exc.errno or 0, 0)
            else:
                key += (st.st_mtime_ns, st.st_size, st.st_ino)
        return tuple(key)

    def _refresh(self) -> None:
        key = self._stat_key()
        if key == self._key and self._dataset is not None:
            return
        dataset, problems = inspect(reading_path(self.path, self.seed_dir))
        if dataset is not None:
            self._dataset, self._problems = dataset, []
        else:
            self._problems = problems
            if self._dataset is None and self.last_good is not None and self.last_good.exists():
                self._dataset, _ = inspect(self.last_good, companions_from=self.path.parent)
        self._key = key

    def get(self) -> Dataset:
        """The current dataset, or the last good one while the file on disk is broken."""
        with self._lock:
            self._refresh()
            if self._dataset is None:
                raise DataError(self._problems)
            return self._dataset

    def problems(self) -> list[Problem]:
        """What is wrong with the file on disk now (empty when it is the version being served)."""
        with self._lock:
            self._refresh()
            return list(self._problems)


def last_changed(dataset: Dataset) -> dt.datetime:
    """When the data files were last written (the store replaces a file whole on every change and undo),
    in UTC: what a citation and a download say about the data's age."""
    times = []
    for path in data_paths(dataset.path).values():
        try:
            times.append(os.stat(path).st_mtime)
        except OSError:
            pass
    return dt.datetime.fromtimestamp(max(times), dt.UTC)
