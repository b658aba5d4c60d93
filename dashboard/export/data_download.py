"""The data to take away: the figures a view shows (or the whole data set) as CSV and XLSX, safe to
open in a spreadsheet, and the text to cite the chart with.

Every figure keeps its date, basis, source, URL and note beside it, and the view's measure with
what it is measured against; the XLSX has a second sheet saying what the view was and when the
data last changed, so a file found on a disk later still says where it came from.
"""
from __future__ import annotations

import datetime as dt
import io

import pandas as pd

from dashboard.chart.captions import default_title
from dashboard.chart.measure_labels import MEASURE_CHOICES, measure_heading
from dashboard.core.dataset import Dataset, basis_of
from dashboard.core.measures import INDEX, MEMBERS, YEAR_END_ONLY
from dashboard.core.selection import shown_counts, shown_measures
from dashboard.core.view import View

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
SITE_NAME = "British party membership"
SOURCE_COLUMNS = ("basis", "source", "url", "note")
COLUMN_WIDTHS = {"party": 12, "party_name": 18, "year": 7, "members": 10, "bound": 8, "date": 11,
                 "date_precision": 13, "year_end": 9,
                 "basis": 13, "source": 50, "url": 40, "note": 60}


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


# ---------------------------------------------------------------- the figures

def measure_columns(view: View) -> tuple[str, str, str]:
    """(value, year measured against, members then) column names for a measure other than members."""
    if view.measure == INDEX:
        return f"index_{view.base_year}_100", "base_year", "base_year_members"
    name = "change_percent" if view.measure.endswith("percent") else "change"
    return f"{name}_on_previous_year_end", "previous_year", "previous_year_members"


def figures_frame(dataset: Dataset, counts: pd.DataFrame, view: View | None = None) -> pd.DataFrame:
    """One row per figure: party, year, members and its bound (empty, below, above or about), the
    view's measure (when it is not the member count) and what it is measured against, the date (31
    December for a year-end figure) and how precisely it is known, whether it is a year-end figure,
    and its basis, source, URL and note."""
    frame = pd.DataFrame({
        "party": counts["party"].astype(str).to_numpy(),
        "party_name": [dataset.party_name(p) for p in counts["party"]],
        "year": counts["year"].astype("int64").to_numpy(),
        "members": counts["members"].astype("int64").to_numpy(),
    })
    if view is not None and view.measure != MEMBERS:
        value_name, against_name, then_name = measure_columns(view)
        by_party = {m.party: m for m in shown_measures(dataset, view)}
        year_ends = dataset.year_ends()
        members = {(p, int(y)): int(m) for p, y, m in zip(year_ends["party"], year_ends["year"], year_ends["members"])}
        keys = list(zip(counts["party"], counts["year"].astype(int)))
        values = [by_party[p].values.get(y) if p in by_party else None for p, y in keys]
        against = [by_party[p].against.get(y) if p in by_party else None for p, y in keys]
        frame[value_name] = pd.array([None if v is None else round(v, 2) for v in values], dtype="Float64")
        frame[against_name] = pd.array(against, dtype="Int64")
        frame[then_name] = pd.array([members.get((p, a)) if a is not None else None
                                     for (p, _), a in zip(keys, against)], dtype="Int64")
    frame.insert(frame.columns.get_loc("members") + 1, "bound",
                 counts["bound"].astype(str).to_numpy() if "bound" in counts.columns else "")
    frame["date"] = [a or f"{y}-12-31" for a, y in zip(counts["as_of"], counts["year"])]
    # "day" for a date known to the day, which the data file leaves empty
    frame["date_precision"] = ([p or "day" for p in counts["date_precision"].astype(str)]
                               if "date_precision" in counts.columns else "day")
    frame["year_end"] = ["yes" if not a else "no" for a in counts["as_of"]]
    for column in SOURCE_COLUMNS:
        if column in counts.columns:
            frame[column] = counts[column].astype(str).to_numpy()
    return frame


def shown_figures(dataset: Dataset, view: View) -> pd.DataFrame:
    """The figures the chart of a resolved view shows, with what each is measured against."""
    return figures_frame(dataset, shown_counts(dataset, view), view)


def all_figures(dataset: Dataset) -> pd.DataFrame:
    """Every membership figure in the data."""
    return figures_frame(dataset, dataset.counts)


def figures_csv(dataset: Dataset, view: View) -> bytes:
    """The figures shown, as CSV safe to open in a spreadsheet (the page's and the static site's download)."""
    return safe_csv(shown_figures(dataset, view))


# ---------------------------------------------------------------- what the figures are

def changed_text(changed_at: dt.datetime) -> str:
    return changed_at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def view_about(dataset: Dataset, view: View, link: str, changed_at: dt.datetime | None = None) -> dict[str, str]:
    """What a download of the view is: title, parties, years, measure, what is marked, the link to
    the view, the data version and when the data last changed (the XLSX's "about" sheet)."""
    about = {"title": view.title or default_title(dataset, view),
             "parties": ", ".join(dataset.party_name(p) for p in view.parties),
             "years": f"{view.start} to {view.end}",
             "measure": dict(MEASURE_CHOICES)[view.measure] + (f" ({measure_heading(view)})" if view.measure == INDEX else "")}
    if view.measure == MEMBERS:
        about["scale"] = "log" if view.log_scale else "linear"
        about["figures at other dates"] = "shown" if view.other_dates else "not shown"
    if view.measure in YEAR_END_ONLY:
        about["figures at other dates"] = "not used: a change or an index is made of year-end figures only"
    about["bases shown"] = ", ".join(basis_of(b).label for b in view.bases) if view.bases else "all"
    about["general elections marked"] = "yes" if view.elections else "no"
    about["leaders' terms marked"] = "yes" if view.leaders else "no"
    about.update({key: getattr(view, key) for key in ("subtitle", "note") if getattr(view, key)})
    about["view"] = link
    about["figures"] = str(len(shown_counts(dataset, view)))
    return about | data_about(dataset, changed_at)


def data_about(dataset: Dataset, changed_at: dt.datetime | None) -> dict[str, str]:
    about = {"data version": dataset.version}
    if changed_at is not None:
        about["data last changed"] = changed_text(changed_at)
    about["downloaded"] = changed_text(dt.datetime.now(dt.UTC))
    about["columns"] = ("date is 31 December for a year-end figure (year_end = yes), otherwise the date the count "
                        "refers to; every figure has its basis, source, URL and note")
    return about


def data_set_about(dataset: Dataset, link: str, changed_at: dt.datetime | None = None) -> dict[str, str]:
    """The "about" sheet of the whole data set."""
    return {"title": f"Every membership figure in the data of {SITE_NAME}", "figures": f"{len(dataset.counts):,}",
            "page": link} | data_about(dataset, changed_at)


# ---------------------------------------------------------------- XLSX

def _text_cell(value: object) -> object:
    """A cell value for openpyxl: numbers stay numbers, missing values are empty; text is
    neutralised (openpyxl would store '=...' as a live formula)."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return neutralise(str(value))


def frame_xlsx(frame: pd.DataFrame, about: dict[str, str]) -> bytes:
    """An .xlsx with a sheet of figures and a sheet saying what they are; no cell is a formula."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = "figures"
    sheet.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        sheet.append([_text_cell(value) for value in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for i, column in enumerate(frame.columns):
        sheet.column_dimensions[sheet.cell(row=1, column=i + 1).column_letter].width = COLUMN_WIDTHS.get(column, 16)
    about_sheet = book.create_sheet("about")
    for key, value in about.items():
        about_sheet.append([_text_cell(key), _text_cell(value)])
    about_sheet.column_dimensions["A"].width = 26
    about_sheet.column_dimensions["B"].width = 90
    for row in about_sheet.iter_rows(min_col=2, max_col=2):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def figures_xlsx(dataset: Dataset, view: View, about: dict[str, str]) -> bytes:
    """The figures shown as an .xlsx: a sheet of figures and one saying what they are (`about`)."""
    return frame_xlsx(shown_figures(dataset, view), about)


def data_set_xlsx(dataset: Dataset, about: dict[str, str]) -> bytes:
    """The whole data set as an .xlsx, with its "about" sheet."""
    return frame_xlsx(all_figures(dataset), about)


# ---------------------------------------------------------------- citing the chart

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
