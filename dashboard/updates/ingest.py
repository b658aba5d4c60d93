"""Turn an uploaded file (or a form) into rows plus every located problem.

A file is recognised by its columns (updates/shapes.py) as membership figures, related figures, parties or
events; an .xlsx may hold several, one per sheet named after its kind. Figures come in the shapes people
actually have: long (party, year, members, ...), wide (a year column and one column per party) and two
columns (year, members) for a chosen party; title rows, thousands separators, BOMs, Windows-1252, `;` and
Excel number cells are forgiven, and dates may be ISO or British (17/07/2026). Nothing here writes or
renders anything: the result goes to `changes.diff` for a preview.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field

from dashboard.core.collector import cyclic_gc_paused
from dashboard.core.dataset import Party
from dashboard.core.precision import parse_bound, parse_precision
from dashboard.core.problems import Problem, control_character
from dashboard.core.tabular import Table
from dashboard.updates.cells import (
    known_parties,
    normalise,
    party_lookup,
    read_as_of,
    read_basis,
    read_members,
    read_text,
    read_year,
    resolve_party,
)
from dashboard.updates.excel import MAX_COLUMNS, MAX_ROWS, Workbook, open_workbook
from dashboard.updates.filekind import decode, human_size, safe_name, sniff
from dashboard.updates.located import MAX_PROBLEMS as MAX_PROBLEMS  # the bound tests and messages name
from dashboard.updates.located import Located, ProblemList
from dashboard.updates.party_changes import NewParty, slug_for
from dashboard.updates.record_rows import Context, RecordRow, read_records
from dashboard.updates.shapes import EVENTS, FIGURES, KIND_WORDS, PARTIES, RELATED, SHEETS, Recognised, recognise
from dashboard.updates.voice import CLI, Voice

HEADER_SEARCH_ROWS = 30
MAX_SHEETS = 50
DEFAULT_MAX_UPLOAD_BYTES = 5 * 1024 * 1024
FORM = "form"
TEXT_FIELDS = ("source", "url", "note")

_HEADER_ROLES = {
    "year": {"year", "yr", "years", "yearend", "yearending"},
    "members": {"members", "membership", "membercount", "numberofmembers", "totalmembers",
                "totalmembership", "individualmembers", "memberstotal"},
    "party": {"party", "partyname", "partyslug"},
    "as_of": {"asof", "asat", "asofdate", "date"},
    "source": {"source", "sources", "publishedby", "publisher"},
    "url": {"url", "link", "sourceurl", "web", "weblink"},
    "note": {"note", "notes", "comment", "comments", "caveat", "caveats"},
    "basis": {"basis", "basisoffigure", "figurebasis", "kind", "kindoffigure", "typeoffigure", "figuretype"},
    # how precisely the figure is known (core/precision.py): an empty cell is an exact figure known to the day
    "bound": {"bound", "boundofthefigure", "figurebound"},
    "date_precision": {"dateprecision", "precisionofdate", "precision", "dateknownto"},
    "remove": {"remove", "delete", "drop"},
}
# A `remove` cell that says yes: the row names a figure to take out of the data (a correction re-dating one).
_YES = {"yes", "y", "true", "x", "remove", "delete", "1"}
_NO = {"", "no", "n", "false", "0"}
_ROLE_OF = {alias: role for role, aliases in _HEADER_ROLES.items() for alias in aliases}



@dataclass(frozen=True)
class Defaults:
    """What the panel (or CLI flags) supplies for rows that do not say: the party of a two-column
    file, and source/url/note for rows with none."""

    party: str | None = None
    source: str = ""
    url: str = ""
    note: str = ""
    basis: str = ""   # a key of core.dataset.BASES, or "" (the preview then says no basis was given)
    add_parties: bool = False  # parties the figures name but the data does not know are added (else a problem)


@dataclass(frozen=True)
class Row:
    """One figure read from the upload. `line`/`sheet` locate it for messages; `given` names the
    text fields the file itself filled (the others came from Defaults or are empty)."""

    party: str
    year: int
    members: int
    as_of: str
    source: str
    url: str
    note: str
    line: int | None = None
    sheet: str | None = None
    given: frozenset[str] = frozenset()
    basis: str = ""   # a key of BASES, or "" when neither the file nor the defaults say
    bound: str = ""           # "", below, above or about (core/precision.py)
    date_precision: str = ""  # "" (the day), month, year or approximate
    remove: bool = False  # the row names a figure to remove (its count must be the data's)

    @property
    def key(self) -> tuple[str, int, str]:
        return (self.party, self.year, self.as_of)


@dataclass
class Upload:
    """What was read: figures, every problem, and how the file was understood (for the preview)."""

    file: str
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    shape: str | None = None          # "long", "wide", "two-column" or "form"
    sheet: str | None = None
    sheets: tuple[str, ...] = ()      # every sheet with a year column, so the user can choose
    ignored_columns: tuple[str, ...] = ()
    records: list[RecordRow] = field(default_factory=list)      # rows of parties, events, related figures
    kinds: list[str] = field(default_factory=list)              # what was read (updates.shapes), in order
    new_parties: dict[str, NewParty] = field(default_factory=dict)  # slug -> a party figures name, to add
    voice: Voice = CLI


_Problems = ProblemList  # the collector this module has always called it


# ---------------------------------------------------------------- finding the header

@dataclass(frozen=True)
class Header:
    """Where the header row is and what each column means."""

    index: int                       # position in Table.rows
    roles: dict[int, str]            # column -> year/members/party/as_of/source/url/note
    party_columns: dict[int, str]    # column -> party slug (wide shape)
    unknown: dict[int, str]          # column -> header text not understood

    @property
    def score(self) -> int:
        return len(self.roles) + len(self.party_columns)


def find_header(rows: list[list[str]], lookup: Mapping[str, str]) -> Header | None:
    """The first of the top rows that has a year column (title rows above it are skipped)."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        roles: dict[int, str] = {}
        party_columns: dict[int, str] = {}
        unknown: dict[int, str] = {}
        for column, text in enumerate(row):
            if not text.strip():
                continue
            role = _ROLE_OF.get(normalise(text))
            if role and role not in roles.values():
                roles[column] = role
            elif (slug := resolve_party(text, lookup)) is not None:
                party_columns[column] = slug
            else:
                unknown[column] = text.strip()
        if "year" in roles.values():
            return Header(index, roles, party_columns, unknown)
    return None


def _first_line_cells(rows: list[list[str]]) -> str:
    for row in rows[:HEADER_SEARCH_ROWS]:
        cells = [c.strip() for c in row if c.strip()]
        if cells:
            return ", ".join(f"'{c[:40]}'" for c in cells[:8])
    return "nothing"


# ---------------------------------------------------------------- reading CSV text

def _parse_csv(text: str, delimiter: str, limit: int | None, problems: _Problems | None) -> list[list[str]]:
    rows: list[list[str]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    too_wide = False
    try:
        for row in reader:
            if limit is not None and len(rows) >= limit:
                break
            if len(rows) >= MAX_ROWS:
                if problems:
                    problems.add(f"has more than {MAX_ROWS:,} rows (the limit)")
                break
            if len(row) > MAX_COLUMNS:
                too_wide = too_wide or any(c.strip() for c in row[MAX_COLUMNS:])
                row = row[:MAX_COLUMNS]
            rows.append(row)
    except csv.Error as exc:
        if problems:
            problems.add(f"cannot be read as CSV: {exc}", row=len(rows) + 1)
    if too_wide and problems:
        problems.add(f"has more than {MAX_COLUMNS} columns (the limit)")
    return rows


def csv_table(text: str, file: str, lookup: Mapping[str, str], problems: _Problems) -> Table:
    """Rows of the CSV, with the delimiter (`,` `;` or tab) that makes a header appear."""
    head = "\n".join(text.splitlines()[:HEADER_SEARCH_ROWS])
    best, best_score = None, -1
    for delimiter in (",", ";", "\t"):
        header = find_header(_parse_csv(head, delimiter, HEADER_SEARCH_ROWS, None), lookup)
        if header and header.score > best_score:
            best, best_score = delimiter, header.score
    if best is None:
        first = next((line for line in text.splitlines() if line.strip()), "")
        best = max((",", ";", "\t"), key=first.count)
    return Table(file=file, rows=_parse_csv(text, best, None, problems))


# ---------------------------------------------------------------- rows from a table

def table_shape(header: Header) -> str:
    """long, two-column or wide: the shape decides where each figure's party comes from (a column of
    the table, the panel's choice, or the header)."""
    roles = header.roles.values()
    if "party" in roles:
        return "long"
    if "members" in roles:
        return "two-column"
    return "wide"


def figure_columns(shape: str, header: Header, heading: list[str], parties: Mapping[str, Party], defaults: Defaults,
                   header_line: int, voice: Voice = CLI, unknown: _Unknown | None = None
                   ) -> tuple[list[tuple[int, str | None]], list[Located]]:
    """The columns holding member counts, each with its party (None: the row's party column says), and
    what is wrong with the header; no columns when nothing under the header can be read. A wide table's
    column headed by a party the data does not know is a party to add, when the user chose that."""
    column_of = {role: column for column, role in header.roles.items()}
    if shape == "long":
        if "members" not in column_of:
            return [], [("has a party column but no members column", header_line, None)]
        return [(column_of["members"], None)], []
    if shape == "two-column":
        if not defaults.party:
            return [], [("has year and members columns but no party column: choose the party these figures "
                         f"belong to ({voice.field('party')})", header_line, None)]
        if defaults.party not in parties:
            return [], [(f"unknown party '{defaults.party}' (known: {known_parties(parties)})", None, None)]
        return [(column_of["members"], defaults.party)], []
    columns = dict(header.party_columns)
    found: list[Located] = []
    for column, text in header.unknown.items():
        if unknown is not None and defaults.add_parties:
            columns[column] = unknown.slug(text, header_line, text)
        else:
            found.append((unknown_party(text, parties, voice), header_line, text))
    if not columns:
        found.append(("has a year column but no members column and no party columns "
                      f"(header: {', '.join(repr(c) for c in heading if c.strip()) or 'nothing'})", header_line, None))
        return [], found
    return sorted(columns.items()), found


def unknown_party(text: str, parties: Mapping[str, Party], voice: Voice) -> str:
    """The message for a party the data does not know: its name as written, and how to add it."""
    return f"unknown party '{text}' (known: {known_parties(parties)}): to add it as a new party, {voice.add_parties}"


class _Unknown:
    """Parties figures name but the data does not know, each with the slug it is added under."""

    def __init__(self, upload: Upload, taken: set[str], sheet: str | None):
        self.upload, self.taken, self.sheet = upload, taken, sheet
        self.by_text: dict[str, str] = {}

    def slug(self, text: str, line: int | None, column: str | None) -> str:
        key = normalise(text)
        if key not in self.by_text:
            slug = slug_for(text, self.taken | set(self.upload.new_parties))
            self.by_text[key] = slug
            self.upload.new_parties[slug] = NewParty(text.strip(), line, self.sheet, column)
        return self.by_text[key]


def ignored_columns(header: Header, heading: list[str]) -> tuple[str, ...]:
    """Header cells a long or two-column table has but nothing reads, so the preview can name them."""
    return tuple([heading[c].strip() for c in header.party_columns] + list(header.unknown.values()))


@dataclass(frozen=True, slots=True)
class _TableReading:
    """What reading a row needs, worked out once per table rather than once per row (a file may have 50,000)."""

    width: int                                 # cells in the header row
    at: dict[str, int]                         # field -> column; a field the file lacks -> the blank pad cell
    names: list[str]                           # column -> header text, to locate problems (the pad cell: "")
    figures: list[tuple[int, str | None]]      # from figure_columns
    texts: list[tuple[str, int, str]]          # source/url/note: field, column, the default when the row has none
    basis_default: str                         # the basis for a row that gives none ("" for none)
    wide: bool
    excel: bool
    parties: Mapping[str, Party]
    lookup: Mapping[str, str]
    unknown: _Unknown | None = None            # set when the user chose to add the parties the data lacks
    voice: Voice = CLI
    party_cache: dict[str, str | None] = field(default_factory=dict)
    given_sets: dict[tuple[str, ...], frozenset[str]] = field(default_factory=dict)


def _cells_to_read(row: list[str], reading: _TableReading) -> list[str] | None:
    """The row's cells, stripped and padded to the header plus one blank; None for a row that holds no
    figure (blank, a year with no figures, a footnote under the table), which is no problem either."""
    width = reading.width
    cells = [c.strip() for c in row[:width]]
    cells += [""] * (width + 1 - len(cells))
    for column, _ in reading.figures:
        if cells[column]:
            return cells
    if not any(cells) and not any(c.strip() for c in row[width:]):
        return None  # blank
    if reading.wide or not any(ch.isdigit() for ch in cells[reading.at["year"]]):
        return None  # a year with no figures, or a footnote
    return cells


def _row_fields(cells: list[str], row: list[str], line: int, reading: _TableReading
                ) -> tuple[int | None, str, list[str], str, frozenset[str], list[Located]]:
    """The year, date, texts (in TEXT_FIELDS order, then the bound and date precision) and basis that every
    figure in the row shares, which of those the file gave, and what is wrong with the row; a row with any of
    these problems yields no figure."""
    at, names, width = reading.at, reading.names, reading.width
    found: list[Located] = []
    if len(row) > width and any(c.strip() for c in row[width:]):
        extra = [c for c in row[width:] if c.strip()]
        found.append((f"has {len(extra)} more cell(s) than the header ({', '.join(repr(c) for c in extra[:3])}): "
                      "a number written with commas, like 309,000, must be in quotes in a CSV file", line, None))
    year, error = read_year(cells[at["year"]])
    if error:
        found.append((error, line, names[at["year"]]))
    as_of, error = read_as_of(cells[at["as_of"]], year)
    if error:
        found.append((error, line, names[at["as_of"]]))
    texts: list[str] = []
    given: list[str] = []
    for name, column, default in reading.texts:
        value, error = read_text(cells[column], name)
        if error:
            found.append((error, line, names[column]))
        if value:
            given.append(name)
        texts.append(value or default)
    for name, parse in (("bound", parse_bound), ("date_precision", parse_precision)):
        value, error = parse(cells[at[name]])
        if error:
            found.append((error, line, names[at[name]]))
        if cells[at[name]]:
            given.append(name)  # 'day' or 'exact' written out is given too
        texts.append(value)
    basis, error = read_basis(cells[at["basis"]])
    if error:
        found.append((error, line, names[at["basis"]]))
    if basis:
        given.append("basis")
    key = tuple(given)
    given_set = reading.given_sets.get(key) or reading.given_sets.setdefault(key, frozenset(given))
    return year, as_of, texts, basis or reading.basis_default, given_set, found


def _figure(cells: list[str], column: int, party: str | None, line: int, reading: _TableReading
            ) -> tuple[str | None, int | None, list[Located]]:
    """The party and member count of one figure cell (party None: the row's party column says), and what is
    wrong with either; (None, None) with no problem for a wide table's empty cell, which is simply no figure."""
    found: list[Located] = []
    members_text = cells[column]
    if party is None:
        party_column = reading.at["party"]
        party_text = cells[party_column]
        cache = reading.party_cache
        if party_text not in cache:
            cache[party_text] = resolve_party(party_text, reading.lookup) if party_text else None
        party = cache[party_text]
        if not party_text:
            found.append(("is empty", line, reading.names[party_column]))
        elif party is None and reading.unknown is not None:
            party = reading.unknown.slug(party_text, line, reading.names[party_column])
        elif party is None:
            found.append((unknown_party(party_text, reading.parties, reading.voice), line, reading.names[party_column]))
    elif not members_text and reading.wide:
        return None, None, found  # no figure for this party this year
    members, error = read_members(members_text)
    if error:
        hint = (" (a formula whose result Excel has not saved reads as empty: open and save the file in Excel)"
                if error == "is empty" and reading.excel else "")
        found.append((error + hint, line, reading.names[column]))
    return party, members, found


def _seen_before(first_seen: dict[tuple[str, int, str], tuple[int, int]], key: tuple[str, int, str], members: int,
                 line: int) -> tuple[bool, str | None]:
    """Whether the file already gave a figure for this party, year and date (if not, it is remembered), and
    the clash in words when the two differ: the same figure twice is harmless, two different ones are not."""
    if key not in first_seen:
        first_seen[key] = (line, members)
        return False, None
    first_line, first_members = first_seen[key]
    if first_members == members:
        return True, None
    party, year, as_of = key
    when = f"on {as_of}" if as_of else "year-end"
    return True, (f"two different figures for {party} {year} {when} in this file: "
                  f"{first_members:,} on row {first_line} and {members:,} here")


def rows_from_table(table: Table, header: Header, parties: Mapping[str, Party], defaults: Defaults,
                    problems: _Problems, upload: Upload, lookup: Mapping[str, str] | None = None) -> None:
    """Fill `upload` with one Row per figure in the table, and a problem for each bad cell."""
    heading = table.rows[header.index]
    shape = table_shape(header)
    upload.shape = (upload.shape or shape) if shape == "long" else shape  # the one-figure form keeps "form"
    unknown = _Unknown(upload, set(parties), table.sheet) if defaults.add_parties else None
    figures, found = figure_columns(shape, header, heading, parties, defaults, table.first_row + header.index,
                                    upload.voice, unknown)
    problems.add_all(found)
    if not figures:
        return
    if shape != "wide":
        upload.ignored_columns = ignored_columns(header, heading)

    width = len(heading)
    column_of = {role: column for column, role in header.roles.items()}
    at = {name: column_of.get(name, width) for name in ("year", "party", "as_of", "basis", "bound", "date_precision",
                                                        "remove", *TEXT_FIELDS)}
    reading = _TableReading(
        width=width, at=at, names=[c.strip() for c in heading] + [""], figures=figures,
        texts=[(name, at[name], getattr(defaults, name)) for name in TEXT_FIELDS], basis_default=defaults.basis,
        wide=upload.shape == "wide", excel=bool(table.sheet),
        parties=parties, lookup=lookup if lookup is not None else party_lookup(parties), unknown=unknown,
        voice=upload.voice)
    first_seen: dict[tuple[str, int, str], tuple[int, int]] = {}  # figure -> (row, members) of its first appearance
    form = upload.shape == "form"
    for offset, row in enumerate(table.rows[header.index + 1:], start=header.index + 1):
        cells = _cells_to_read(row, reading)
        if cells is None:
            continue
        line = table.first_row + offset
        year, as_of, (source, url, note, bound, precision), basis, given, row_problems = _row_fields(cells, row, line,
                                                                                                    reading)
        remove = normalise(cells[at["remove"]]) in _YES
        if normalise(cells[at["remove"]]) not in _YES | _NO:
            row_problems.append((f"'{cells[at['remove']][:20]}' is not yes or no: write yes to remove the figure the "
                                 "row names, or leave it empty", line, reading.names[at["remove"]]))
        if row_problems:
            problems.add_all(row_problems)
        for column, fixed_party in figures:
            party, members, found = _figure(cells, column, fixed_party, line, reading)
            if found:
                problems.add_all(found)
            if row_problems or party is None or year is None or members is None:
                continue
            seen, conflict = _seen_before(first_seen, (party, year, as_of), members, line)
            if conflict:
                problems.add(conflict, line, reading.names[column])
            if seen:
                continue
            upload.rows.append(Row(party, year, members, as_of, source, url, note, line=None if form else line,
                                   sheet=table.sheet, given=given, basis=basis, bound=bound,
                                   date_precision=precision, remove=remove))


# ---------------------------------------------------------------- entry points

def read_upload(data: bytes, filename: str, parties: Mapping[str, Party], defaults: Defaults = Defaults(),
                sheet: str | None = None, max_bytes: int = DEFAULT_MAX_UPLOAD_BYTES, voice: Voice = CLI) -> Upload:
    """Everything the file says, as rows and located problems; never raises for bad input."""
    with cyclic_gc_paused():
        return _read_upload(data, filename, parties, defaults, sheet, max_bytes, voice)


def _read_upload(data: bytes, filename: str, parties: Mapping[str, Party], defaults: Defaults,
                 sheet: str | None, max_bytes: int, voice: Voice) -> Upload:
    file = safe_name(filename)
    upload = Upload(file=file, voice=voice)
    if len(data) > max_bytes:
        upload.problems = [Problem(file, f"is {human_size(len(data))}, over the {human_size(max_bytes)} limit")]
        return upload
    kind, reason = sniff(data, file)
    if reason:
        upload.problems = [Problem(file, reason)]
        return upload
    lookup = party_lookup(parties)
    problems = _Problems(file)
    check_defaults(defaults, problems, voice)
    if kind == "xlsx":
        tables = _workbook_tables(data, file, lookup, sheet, upload, problems)
    else:
        text, reason = decode(data)
        if text is None:
            upload.problems = [Problem(file, reason or "cannot be read as text")]
            return upload
        if not text.strip():
            upload.problems = [Problem(file, "is empty: it has no rows")]
            return upload
        table = csv_table(text, file, lookup, problems)
        tables = [(table, recognise(table.rows))]
    _read_tables(tables, parties, lookup, defaults, problems, upload)
    upload.problems = problems.result()
    return upload


def _read_tables(tables: list[tuple[Table, Recognised]], parties: Mapping[str, Party], lookup: dict[str, str],
                 defaults: Defaults, problems: _Problems, upload: Upload) -> None:
    """Each table by its kind: parties first, so figures, events and related figures may name a party the
    same upload adds."""
    order = (PARTIES, EVENTS, RELATED, FIGURES)
    for table, recognised in sorted(tables, key=lambda pair: order.index(pair[1].kind or FIGURES)):
        problems.sheet = table.sheet
        for message, index in recognised.problems:
            problems.add(message, row=None if index is None else table.first_row + index)
        if recognised.problems:
            continue
        if recognised.kind is None or recognised.header is None:
            problems.add(f"has no 'year' column: looked for a header row with 'Year' in the first "
                         f"{HEADER_SEARCH_ROWS} rows; the first row has {_first_line_cells(table.rows)}")
            continue
        upload.kinds.append(recognised.kind)
        if recognised.kind == FIGURES:
            _read_figures(table, parties, lookup, defaults, problems, upload)
            continue
        context = Context(lookup, known_parties(parties), {n: getattr(defaults, n) for n in TEXT_FIELDS}, upload.voice)
        found, ignored = read_records(table, recognised.kind, recognised.header, None, context, problems)
        upload.records.extend(found)
        upload.ignored_columns += ignored
        if recognised.kind == PARTIES:
            for row in found:  # the names a later table of this upload may use for the parties it adds
                slug = str(row.values["slug"]) or lookup.get(normalise(str(row.values["name"]))) \
                    or slug_for(str(row.values["name"]), set(parties))
                for spelling in (slug, str(row.values["name"]), *str(row.values["aliases"]).split(";")):
                    if normalise(spelling):
                        lookup.setdefault(normalise(spelling), slug)
        if not found and not problems.items:
            problems.add(f"has a header but no {KIND_WORDS[recognised.kind]} under it",
                         row=table.first_row + recognised.header)


def _read_figures(table: Table, parties: Mapping[str, Party], lookup: dict[str, str], defaults: Defaults,
                  problems: _Problems, upload: Upload) -> None:
    header = find_header(table.rows, lookup)
    if header is None:
        problems.add(f"has no 'year' column: looked for a header row with 'Year' in the first "
                     f"{HEADER_SEARCH_ROWS} rows; the first row has {_first_line_cells(table.rows)}")
        return
    refuse_control_characters(table, header, problems)
    rows_from_table(table, header, parties, defaults, problems, upload, lookup)
    if not upload.rows and not problems.items:
        problems.add("has a header but no figures under it", row=table.first_row + header.index)


def _workbook_tables(data: bytes, file: str, lookup: Mapping[str, str], wanted: str | None, upload: Upload,
                     problems: _Problems) -> list[tuple[Table, Recognised]]:
    """The sheets to read: every sheet of a workbook of several kinds (sheets named membership, parties, events,
    related), else the sheet asked for, or the first with a header the product knows."""
    workbook, found = open_workbook(data, file)
    if workbook is None:
        problems.extend(found)
        return []
    try:
        names = workbook.sheet_names
        if wanted is not None and wanted not in names:
            problems.add(f"has no sheet named '{wanted}' (sheets: {', '.join(names)})")
            return []
        heads: dict[str, Table] = {}
        for name in names[:MAX_SHEETS]:
            head, found = workbook.read_sheet(name, head=HEADER_SEARCH_ROWS)
            if found:
                problems.extend(found)
                return []
            heads[name] = head
        if not any(c for head in heads.values() for row in head.rows for c in row):
            problems.add("is empty: no sheet has any cells")
            return []
        by_kind = {name: SHEETS[name.strip().lower()] for name in heads if name.strip().lower() in SHEETS}
        if by_kind and wanted is None:
            return _kind_sheets(workbook, heads, by_kind, upload, problems)
        candidates = [name for name, head in heads.items() if recognise(head.rows).kind is not None]
        upload.sheets = tuple(name for name in candidates if find_header(heads[name].rows, lookup) is not None)
        chosen = wanted or (candidates[0] if candidates else None)
        if chosen is None:
            problems.add(f"has no 'year' column in any sheet (sheets: {', '.join(names)}): looked for a header "
                         f"row with 'Year' in the first {HEADER_SEARCH_ROWS} rows")
            return []
        table, found = workbook.read_sheet(chosen)
        problems.extend(found)
        upload.sheet = chosen
        if found and not table.rows:
            return []  # refused whole (too big to read in time): that reason is the message
        return [(table, recognise(table.rows))]
    finally:
        workbook.close()


def _kind_sheets(workbook: Workbook, heads: dict[str, Table], by_kind: dict[str, str], upload: Upload,
                 problems: _Problems) -> list[tuple[Table, Recognised]]:
    """Each sheet named after a kind, read as that kind; any other sheet with cells is a problem naming the
    sheets found and those accepted."""
    others = [name for name, head in heads.items() if name not in by_kind and any(c for r in head.rows for c in r)]
    if others:
        problems.add(f"has sheets the product does not know: {', '.join(repr(n) for n in others)} (sheets found: "
                     f"{', '.join(heads)}; a workbook of several kinds takes sheets named "
                     f"{', '.join(SHEETS)}): rename or remove them")
        return []
    tables = []
    for name, kind in by_kind.items():
        table, found = workbook.read_sheet(name)
        problems.extend(found)
        if found and not table.rows:
            continue
        if not any(c for row in table.rows for c in row):
            continue  # an empty sheet of the template: nothing to read
        recognised = recognise(table.rows)
        if recognised.kind is None and not recognised.problems:  # the sheet's name says what it holds
            first = next((i for i, row in enumerate(table.rows[:HEADER_SEARCH_ROWS]) if any(c.strip() for c in row)), 0)
            recognised = Recognised(kind, first)
        elif recognised.kind is not None and recognised.kind != kind and not recognised.problems:
            recognised = Recognised(kind, recognised.header, ((
                f"is named '{name}' but has the columns of {KIND_WORDS[recognised.kind]}: put them in a sheet named "
                f"{next(n for n, k in SHEETS.items() if k == recognised.kind)}", recognised.header),))
        tables.append((table, recognised))
    upload.sheets = tuple(by_kind)
    return tables


def refuse_control_characters(table: Table, header: Header, problems: _Problems) -> None:
    """A problem for every cell under the header holding a NUL or another control character: such
    text can hide what it says or drive a terminal, so it is never stored."""
    heading = table.rows[header.index]
    for offset, row in enumerate(table.rows[header.index + 1:], start=header.index + 1):
        for column, text in enumerate(row):
            if text and (error := control_character(text)) is not None:
                name = heading[column].strip() if column < len(heading) and heading[column].strip() else None
                problems.add(error, table.first_row + offset, name)


DEFAULT_LABELS = {"source": "the source", "url": "the URL", "note": "the note"}


def check_defaults(defaults: Defaults, problems: _Problems, voice: Voice = CLI) -> None:
    """The source, url and note given for rows without one (CLI flags, the panel's fields) pass the
    same checks as a file's cells: a `javascript:` URL is refused wherever it is typed."""
    for name, label in DEFAULT_LABELS.items():
        value = getattr(defaults, name)
        error = control_character(value) if value else None
        if value and error is None:
            _, error = read_text(value, name)
        if error:
            problems.add(f"{label} given for rows without one ({voice.field(name)}) {error}")


FORM_FIELDS = ("party", "year", "members", "as_of", "source", "url", "note", "basis", "bound", "date_precision")


def read_form(fields: Mapping[str, object], parties: Mapping[str, Party], voice: Voice = CLI) -> Upload:
    """The one-figure form, through exactly the same checks as a file."""
    values = ["" if fields.get(name) is None else str(fields.get(name)) for name in FORM_FIELDS]
    table = Table(file=FORM, rows=[list(FORM_FIELDS), values])
    upload = Upload(file=FORM, shape="form", voice=voice, kinds=[FIGURES])
    problems = _Problems(FORM)
    if not any(values[FORM_FIELDS.index(name)].strip() for name in ("year", "members")):
        upload.problems = [Problem(FORM, f"nothing to preview yet: {voice.give('year')} and {voice.field('members')} "
                                         f"(and {voice.field('source')})", column="year")]
        return upload
    header = find_header(table.rows, party_lookup(parties))
    assert header is not None
    refuse_control_characters(table, header, problems)
    rows_from_table(table, header, parties, Defaults(), problems, upload)
    upload.problems = [Problem(FORM, p.message, column=p.column) for p in problems.result()]
    return upload
