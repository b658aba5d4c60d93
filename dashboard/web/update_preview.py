"""The update panel's drawings: a preview of any kind of change (figures, parties, leaders' terms and
elections, related figures) and the history, in the page's words: parties by name, fields by their labels,
never a slug, a CLI flag or a column's internal name. Upload text is only ever a Dash text child (escaped).
"""
from __future__ import annotations

from collections.abc import Callable, Mapping

from dash import html

from dashboard.core.dataset import Dataset, basis_of
from dashboard.core.party_style import SYMBOL_GLYPHS
from dashboard.core.problems import Problem, printable
from dashboard.updates.changes import Change, Preview, summary
from dashboard.updates.ingest import FORM
from dashboard.updates.shapes import KIND_WORDS
from dashboard.updates.store import Entry
from dashboard.updates.voice import PAGE
from dashboard.updates.wording import change_lines

SHOWN_ROWS = 200
HISTORY_SHOWN = 15
LABELS = {"added": "New", "changed": "Changed", "unchanged": "Unchanged", "removed": "Removed"}
FORM_WORDS = {"figures": "The figure you typed", "parties": "The party you entered",
              "events": "The event you entered"}
EVENT_KINDS = {"leader": "Leader's term", "general_election": "General election"}


def _td(label: str, children, **kwargs) -> html.Td:
    """A cell labelled for the phone layout, where each row becomes a card (style.css)."""
    return html.Td(children, **{"data-label": label}, **kwargs)


def _cell(change: Change, field: str, label: str, shown: Callable[[object], object] = lambda v: v or "",
          **kwargs) -> html.Td:
    """A field of a row; when the change alters it, the old value struck through and the new one."""
    new = shown(change.new.get(field))
    if change.kind == "changed" and change.old is not None and field in change.fields:
        old = shown(change.old.get(field))
        return _td(label, [html.Del(old or "(empty)"), " → ", html.Ins(new or "(empty)")], **kwargs)
    return _td(label, new, **kwargs)


def _table(changes: list[Change], head: tuple[str, ...], cells: Callable[[Change], list], table_id: str) -> html.Table:
    rows = [html.Tr([_td("What", LABELS[c.kind], className="kind"), *cells(c)], className=c.kind)
            for c in changes[:SHOWN_ROWS]]
    if len(changes) > SHOWN_ROWS:
        rows.append(html.Tr(html.Td(f"… and {len(changes) - SHOWN_ROWS:,} more", colSpan=len(head) + 1)))
    return html.Table([html.Thead(html.Tr([html.Th(h, scope="col") for h in ("", *head)])), html.Tbody(rows)],
                      id=table_id, className="figures preview")


def _count(value: object) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value or "")


def figures_table(dataset: Dataset, changes: list[Change], table_id: str, names: Mapping[str, str]) -> html.Table:
    def cells(c: Change) -> list:
        party, year, as_of = c.key
        return [_td("Party", names.get(party, party)), _td("Year", str(year)),
                _td("Date", as_of or "year end", className="date"), _cell(c, "members", "Members", _count, className="num"),
                _cell(c, "basis", "Basis", lambda b: basis_of(str(b or "")).label,
                      className="missing" if not c.new.get("basis") else None),
                _cell(c, "source", "Source"), _cell(c, "note", "Note")]
    return _table(changes, ("Party", "Year", "Date", "Members", "Basis", "Source", "Note"), cells, table_id)


def _swatch(colour: object) -> html.Span:
    return html.Span([html.Span(className="swatch", style={"background": str(colour)}), str(colour)],
                     className="colour")


def parties_table(changes: list[Change], symbols: Mapping[str, str], dataset: Dataset) -> html.Table:
    order = list(dataset.parties)

    def marker(c: Change) -> html.Td:
        slug = str(c.key[0])
        symbol = symbols.get(slug) or (_symbol_of(order, slug))
        return _td("Marker", html.Span(f"{SYMBOL_GLYPHS.get(symbol, '')} {symbol}",
                                       style={"color": str(c.new.get("colour"))}, className="marker"))

    def cells(c: Change) -> list:
        return [_cell(c, "name", "Party"), _cell(c, "colour", "Colour", _swatch), marker(c),
                _cell(c, "aliases", "Other names", lambda a: ", ".join(str(a or "").split(";")) if a else ""),
                _cell(c, "short", "Short name"), _cell(c, "source", "Source")]
    return _table(changes, ("Party", "Colour", "Marker", "Other names", "Short name", "Source"), cells,
                  "preview-parties")


def _symbol_of(order: list[str], slug: str) -> str:
    from dashboard.core.party_style import symbol_at

    return symbol_at(order.index(slug)) if slug in order else ""


def events_table(changes: list[Change], names: Mapping[str, str]) -> html.Table:
    def cells(c: Change) -> list:
        kind, party, _ = c.key
        return [_td("Event", EVENT_KINDS.get(str(kind), str(kind))), _td("Party", names.get(party, party) or "—"),
                _cell(c, "name", "Name"), _td("From", c.new.get("start", ""), className="date"),
                _cell(c, "end", "To", lambda e: e or "", className="date"), _cell(c, "source", "Source")]
    return _table(changes, ("Event", "Party", "Name", "From", "To", "Source"), cells, "preview-events")


def related_table(changes: list[Change], names: Mapping[str, str]) -> html.Table:
    def cells(c: Change) -> list:
        party, year, as_of, measure = c.key
        return [_td("Party", names.get(party, party)), _td("Year", str(year)),
                _td("Date", as_of or "year end", className="date"), _td("What is counted", str(measure)),
                _cell(c, "members", "Number", _count, className="num"), _cell(c, "source", "Source")]
    return _table(changes, ("Party", "Year", "Date", "What is counted", "Number", "Source"), cells, "preview-related")


def problem_text(problem: Problem) -> str:
    """A problem in the page's words: a form's by its field label ("As of: ..."), a file's where it is."""
    if problem.file == FORM:
        label = PAGE.field(problem.column) if problem.column else ""
        return printable(f"{label}: {problem.message}" if label else problem.message[:1].upper() + problem.message[1:])
    return str(problem)


def heading(preview: Preview) -> list:
    """What was read, and how it was understood: 'new.csv (parties): …', 'The party you entered: …'."""
    if preview.file == FORM or preview.shape == "form":
        kind = preview.kinds[0] if preview.kinds else "figures"
        what = "Removing a party" if preview.changes and preview.changes[0].kind == "removed" else FORM_WORDS[kind]
        return [html.Strong(what), f": {summary(preview)}"]
    kinds = [KIND_WORDS[k] + (f" ({preview.shape})" if k == "figures" and preview.shape else "")
             for k in preview.kinds] or ["not read"]
    how = ", ".join(kinds) + (f", sheet '{preview.sheet}'" if preview.sheet else "")
    return [html.Strong(preview.file), f" ({how}): {summary(preview)}"]


def preview_view(dataset: Dataset, preview: Preview) -> html.Div:
    """New and changed rows of each kind first (highlighted), unchanged figures folded away, every problem."""
    names = {slug: p.name for slug, p in dataset.parties.items()}
    names.update({str(c.key[0]): str(c.new.get("name")) for c in preview.changes if c.table == "parties"})
    parts: list = [html.P(heading(preview), className="preview-summary")]
    if preview.problems:
        parts.append(html.Div([
            html.P("Nothing can be applied until these are fixed:", className="problems-title"),
            html.Ul([html.Li(problem_text(p)) for p in preview.problems], className="problems"),
        ], role="alert"))
    for text in preview.notices:
        parts.append(html.P(text, className="notice preview-notice"))
    writes = preview.writes
    by_table = {t: [c for c in writes if c.table == t] for t in ("parties", "membership", "events", "related")}
    if by_table["parties"]:
        parts.append(parties_table(by_table["parties"], dict(preview.symbols), dataset))
    if by_table["membership"]:
        parts.append(figures_table(dataset, by_table["membership"], "preview-changes", names))
    if by_table["events"]:
        parts.append(events_table(by_table["events"], names))
    if by_table["related"]:
        parts.append(related_table(by_table["related"], names))
    unchanged = preview.unchanged
    if unchanged:
        figures = [c for c in unchanged if c.table == "membership"]
        n = len(unchanged)
        parts.append(html.Details([
            html.Summary(f"{n:,} {'figure' if len(figures) == n else 'row'}{'s' if n != 1 else ''} already in the data "
                         "(unchanged)"),
            *([figures_table(dataset, figures, "preview-unchanged", names)] if figures else []),
        ]))
    if preview.ignored_columns:
        parts.append(html.P(f"Ignored columns: {', '.join(preview.ignored_columns)}", className="hint"))
    if not writes and not preview.problems:
        parts.append(html.P("Nothing to change: everything here is already in the data.", className="hint"))
    return html.Div(parts)


def _what(entry: Entry) -> str:
    """What an entry did, in words for every visitor (no who, no file name)."""
    if entry.action == "undo":
        return f"undid #{entry.undoes}"
    if entry.action == "redo":
        return f"redid #{entry.source.rsplit('#', 1)[-1]}"
    tables = {c.get("table", "membership") for c in entry.changes}
    return "changed the figures" if tables == {"membership"} else "changed the data"


def history_view(entries: list[Entry], names: Mapping[str, str], editor: bool = False) -> list:
    """What changed and when for everyone, parties by name; who made it and from which file only for editors."""
    if not entries:
        return [html.P("No changes recorded yet.", className="hint")]
    known = dict(names)
    for entry in entries:  # a party the history names but the data no longer has keeps its name
        for change in entry.changes:
            if change.get("table") == "parties":
                record = change.get("new") or change.get("old") or {}
                known.setdefault(str(change["key"][0]), str(record.get("name", change["key"][0])))
    names = known
    items = []
    for entry in reversed(entries[-HISTORY_SHOWN:]):
        lines = change_lines(entry, limit=10, arrow="→", names=names)
        detail = f" · {entry.who} · {_source(entry)}" if editor else f" · {_what(entry)}"
        items.append(html.Li([
            html.Strong(f"#{entry.id} "),
            html.Time(entry.when.replace("T", " ").replace("+00:00", " UTC"), dateTime=entry.when),
            detail,
            html.Ul([html.Li(line) for line in lines]),
        ]))
    return [html.Ul(items, className="history")]


def _source(entry: Entry) -> str:
    """Where a change came from, in the page's words ('a form', not the store's 'form')."""
    return "a form in this page" if entry.source == FORM else entry.source
