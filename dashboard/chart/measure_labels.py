"""The words and number formats of each measure, in one place: the chart's title, subtitle, axis
label and hover, the table, the alt text and the downloads all say the same thing the same way."""
from __future__ import annotations

from dashboard.core.measures import CHANGE, CHANGE_PERCENT, INDEX, MEMBERS
from dashboard.core.view import View

MINUS = "\u2212"  # a real minus sign: a hyphen is easy to miss in front of a number

MEASURE_CHOICES = (
    (MEMBERS, "Members"),
    (CHANGE, "Change on the previous year-end"),
    (CHANGE_PERCENT, "Change on the previous year-end, %"),
    (INDEX, "Indexed to a base year = 100"),
)


def span_text(view: View) -> str:
    return f"{view.start}–{view.end}" if view.start != view.end else str(view.start)


def measure_title(names: list[str], view: View) -> str:
    """'Labour membership, 1989–2024', 'Change in Labour membership on the previous year-end, %, 1990–2024'."""
    subject = f"{names[0]} membership" if len(names) == 1 else "party membership"
    capitalised = subject[0].upper() + subject[1:]
    span = span_text(view)
    if view.measure == CHANGE:
        return f"Change in {subject} on the previous year-end, {span}"
    if view.measure == CHANGE_PERCENT:
        return f"Change in {subject} on the previous year-end, %, {span}"
    if view.measure == INDEX:
        return f"{capitalised} indexed to {view.base_year} = 100, {span}"
    return f"{capitalised}, {span}"


def measure_subtitle(view: View, has_other_dates: bool) -> str:
    """What is measured, in a sentence, and how gaps and other dates are treated."""
    if view.measure == CHANGE:
        text = ("Members at 31 December minus members at the previous 31 December; falls are below the "
                "line and hatched; a year without both year-end figures is left blank")
    elif view.measure == CHANGE_PERCENT:
        text = ("Change on the previous 31 December as a percentage of it; falls are below the line and "
                "hatched; a year without both year-end figures is left blank")
    elif view.measure == INDEX:
        text = (f"Members at 31 December as a share of the same party's figure at 31 December {view.base_year} "
                "(= 100)")
    else:
        text = "Individual members at 31 December of each year"
        if has_other_dates:
            text += "; hollow markers are figures reported at other dates"
        if view.log_scale:
            text += "; log scale: equal steps up the axis are equal percentage changes"
    return text + "."


def axis_label(view: View) -> str:
    """The y axis's unit, written above it."""
    if view.measure == CHANGE:
        return "Change in members on the previous year-end"
    if view.measure == CHANGE_PERCENT:
        return "Change on the previous year-end, %"
    if view.measure == INDEX:
        return f"Index, {view.base_year} = 100"
    return "Members (log scale)" if view.log_scale else "Members"


def signed(number: float, decimals: int = 0) -> str:
    """'+1,234', '−56', '0': the sign always shown, with a true minus."""
    text = f"{abs(number):,.{decimals}f}"
    if float(text.replace(",", "")) == 0:
        return text
    return ("+" if number > 0 else MINUS) + text


def measure_value_text(measure: str, value: float) -> str:
    """A value of the measure as a reader sees it: '543,645', '+155,000', '−3.1%', '140.2'."""
    if measure == CHANGE:
        return signed(value)
    if measure == CHANGE_PERCENT:
        return signed(value, 1) + "%"
    if measure == INDEX:
        return f"{value:,.1f}"
    return f"{value:,.0f}"


def measure_heading(view: View) -> str:
    """The table's column for the measure (no column for the member count, which has its own)."""
    if view.measure == CHANGE:
        return "Change on previous year-end"
    if view.measure == CHANGE_PERCENT:
        return "Change on previous year-end, %"
    if view.measure == INDEX:
        return f"Index ({view.base_year} = 100)"
    return ""
