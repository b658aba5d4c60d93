"""The data to take away: the figures a view shows (or the whole data set) as CSV and XLSX, safe to
open in a spreadsheet, and the text to cite the chart with.

Every figure keeps its date, basis, source, URL and note beside it; the XLSX has a second sheet
saying what the view was and when the data last changed, so a file found on a disk later still
says where it came from.
"""
from __future__ import annotations

import datetime as dt
import io

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from dashboard.chart.figure import default_title
from dashboard.chart.measure_labels import MEASURE_CHOICES, measure_heading
from dashboard.core.dataset import Dataset
from dashboard.core.measures import INDEX, MEMBERS, YEAR_END_ONLY
from dashboard.core.selection import shown_counts, shown_measures
from dashboard.core.view import View
from dashboard.export.image import filename_for

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
SITE_NAME = "British party membership"
# The columns every figure is given, in order (the measure's columns come after members).
FIGURE_COLUMNS = ("party", "party_name", "year", "date", "year_end", "members")
SOURCE_COLUMNS = ("basis", "source", "url", "note")


def neutralise(cell: object) -> object:
    """Text a spreadsheet would run as a formula gets a leading apostrophe (CSV injection)."""
    if isinstance(cell, str) and cell.startswith(FORMULA_PREFIXES):
        return "'" + cell
    return cell


def safe_csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV of `frame` with every text cell neutralised; numbers are left as numbers."""
    text_columns = [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])]
    safe = frame.copy()
    for column in text_columns:
        safe[column] = safe[column].map(neutralise)
    return safe.to_csv(index=False, lineterminator="\n").encode("utf-8")


def measure_columns(view: View) -> tuple[str, str, str]:
    """(value, year measured against, members then) column names for a measure other than members."""
    if view.measure == INDEX:
        return f"index_{view.base_year}_100", "base_year", "base_year_members"
    name = "change_percent" if view.measure.endswith("percent") else "change"
    return f"{name}_on_previous_year_end", "previous_year", "previous_year_members"


def figures_frame(dataset: Dataset, counts: pd.DataFrame, view: View | None = None) -> pd.DataFrame:
    """One row per figure with its date (31 December for a year-end figure), whether it is a
    year-end figure, the view's measure (when not the member count) and its basis, source, URL, note."""
    frame = pd.DataFrame({
        "party": counts["party"].astype(str),
        "party_name": [dataset.party_name(p) for p in counts["party"]],
        "year": counts["year"].astype("int64"),
        "date": [a or f"{y}-12-31" for a, y in zip(counts["as_of"], counts["year"])],
        "year_end": ["yes" if not a else "no" for a in counts["as_of"]],
        "members": counts["members"].astype("int64"),
    })
    if view is not None and view.measure != MEMBERS:
        value_name, against_name, then_name = measure_columns(view)
        by_party = {m.party: m for m in shown_measures(dataset, view)}
        members = {(p, int(y)): int(m) for p, y, m in
                   zip(dataset.year_ends()["party"], dataset.year_ends()["year"], dataset.year_ends()["members"])}
        keys = list(zip(counts["party"], counts["year"].astype(int)))
        values = [by_party[p].values.get(y) if p in by_party else None for p, y in keys]
        against = [by_party[p].against.get(y) if p in by_party else None for p, y in keys]
        frame[value_name] = pd.array([None if v is None else round(v, 2) for v in values], dtype="Float64")
        frame[against_name] = pd.array(against, dtype="Int64")
        frame[then_name] = pd.array([members.get((p, a)) if a is not None else None
                                     for (p, _), a in zip(keys, against)], dtype="Int64")
    for column in SOURCE_COLUMNS:
        frame[column] = counts[column].astype(str).to_numpy() if column in counts.columns else ""
    if "basis" not in counts.columns:
        frame = frame.drop(columns=["basis"])  # data without a basis column: say nothing rather than ""
    return frame.reset_index(drop=True)


def view_figures(dataset: Dataset, view: View) -> pd.DataFrame:
    """The figures the chart of a resolved view shows, with what each is measured against."""
    return figures_frame(dataset, shown_counts(dataset, view), view)


def all_figures(dataset: Dataset) -> pd.DataFrame:
    """Every membership figure in the data."""
    return figures_frame(dataset, dataset.counts)


def changed_text(changed_at: dt.datetime) -> str:
    return changed_at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def measure_name(view: View) -> str:
    return dict(MEASURE_CHOICES)[view.measure]


def view_description(dataset: Dataset, view: View, url: str, changed_at: dt.datetime) -> list[tuple[str, str]]:
    """(what, value) rows saying what the view was: the "About" sheet of a download."""
    rows = [("Title", view.title or default_title(dataset, view)),
            ("Parties", ", ".join(dataset.party_name(p) for p in view.parties)),
            ("Years", f"{view.start} to {view.end}"),
            ("Measure", measure_name(view) + (f" ({measure_heading(view)})" if view.measure == INDEX else ""))]
    if view.measure == MEMBERS:
        rows.append(("Scale", "log" if view.log_scale else "linear"))
        rows.append(("Figures at other dates", "shown" if view.other_dates else "not shown"))
    if view.measure in YEAR_END_ONLY:
        rows.append(("Figures at other dates", "not used: a change or an index is made of year-end figures only"))
    rows += [("General elections marked", "yes" if view.elections else "no"),
             ("Leaders' terms marked", "yes" if view.leaders else "no")]
    rows += [(label, getattr(view, key)) for key, label in (("subtitle", "Subtitle"), ("note", "Note")) if getattr(view, key)]
    rows += [("Link to this view", url)] + data_rows(dataset, changed_at)
    return rows


def data_rows(dataset: Dataset, changed_at: dt.datetime) -> list[tuple[str, str]]:
    return [("Data version", dataset.version), ("Data last changed", changed_text(changed_at)),
            ("Downloaded", changed_text(dt.datetime.now(dt.UTC))),
            ("Columns", "date is 31 December for a year-end figure (year_end = yes), otherwise the date the "
                        "count refers to; every figure has its source, URL and note")]


def full_data_description(dataset: Dataset, url: str, changed_at: dt.datetime) -> list[tuple[str, str]]:
    """The "About" sheet of the whole data set."""
    return [("What", f"Every membership figure in the data of {SITE_NAME}"), ("Figures", f"{len(dataset.counts):,}"),
            ("Page", url)] + data_rows(dataset, changed_at)


def _sheet_cell(value: object) -> object:
    """A cell for openpyxl: missing values empty, text neutralised (openpyxl writes '=...' as a formula)."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    return neutralise(value)


def figures_xlsx(figures: pd.DataFrame, about: list[tuple[str, str]]) -> bytes:
    """An .xlsx with a sheet of figures and a sheet saying what they are; no cell is a formula."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Figures"
    sheet.append(list(figures.columns))
    for row in figures.itertuples(index=False):
        sheet.append([_sheet_cell(value) for value in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    widths = {"party": 12, "party_name": 18, "year": 7, "date": 11, "year_end": 9, "members": 10,
              "basis": 13, "source": 50, "url": 40, "note": 60}
    for i, column in enumerate(figures.columns):
        sheet.column_dimensions[sheet.cell(row=1, column=i + 1).column_letter].width = widths.get(column, 16)
    info = book.create_sheet("About")
    info.append(["What", "Value"])
    for what, value in about:
        info.append([_sheet_cell(what), _sheet_cell(value)])
    for cell in info[1]:
        cell.font = Font(bold=True)
    info.column_dimensions["A"].width = 26
    info.column_dimensions["B"].width = 90
    for row in info.iter_rows(min_row=2, min_col=2, max_col=2):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def download_name(view: View, suffix: str) -> str:
    """`labour-membership-change-1989-2024.xlsx`: the same name as the view's image, for its data."""
    return filename_for(view, suffix)


def citation_parts(dataset: Dataset, view: View, changed_at: dt.datetime) -> tuple[str, str]:
    """The citation's text before and after the link to the view (the page puts in the link it has)."""
    title = (view.title or default_title(dataset, view)).rstrip(".")
    changed = changed_at.astimezone(dt.UTC)
    return (f"{title}. {SITE_NAME}, ",
            f" (data version {dataset.version}, last changed {long_date(changed.date())}; "
            f"accessed {long_date(dt.date.today())}).")


def citation(dataset: Dataset, view: View, url: str, changed_at: dt.datetime) -> str:
    """The text to cite the chart with: title, the link to this view, the data version and when it last changed."""
    before, after = citation_parts(dataset, view, changed_at)
    return before + url + after


def long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"
