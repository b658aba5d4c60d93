"""Figure building: assertions on the figure's data, not on pixels."""
from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from dashboard.chart.axes import tick_step
from dashboard.chart.captions import source_line
from dashboard.chart.end_labels import LABEL_LINE_EM
from dashboard.chart.figure import build_figure
from dashboard.chart.labels import overlaps
from dashboard.core.dataset import load_dataset
from dashboard.core.selection import position, shown_counts
from dashboard.core.view import View, resolve


@pytest.fixture(scope="module")
def dataset():
    return load_dataset()


def figure_for(dataset, **view):
    return build_figure(dataset, resolve(View(**view), dataset))


def trace(figure, name):
    return next(t for t in figure.data if t.name == name)


def party_trace(figure, party, kind):
    return next(t for t in figure.data if (t.meta or {}).get("party") == party and t.meta.get("kind") == kind)


def test_labour_year_end_trace_plots_every_sourced_figure_from_1989(dataset):
    figure = figure_for(dataset)
    labour = party_trace(figure, "labour", "year-end")
    expected = dataset.year_ends().query("party == 'labour' and year >= 1989").set_index("year")["members"]
    assert [d for d in labour.customdata if d] == [f"{y}-12-31" for y in expected.index]
    assert [y for y in labour.y if y is not None] == list(expected.values)
    assert list(labour.x) == [position(dt.date(y, 12, 31)) for y in expected.index]
    assert labour.mode == "lines+markers" and labour.line.dash is None


def test_figures_at_other_dates_beside_a_year_end_line_are_never_joined_to_it(dataset):
    figure = figure_for(dataset, end=2024)
    others = party_trace(figure, "labour", "dated")
    dated = dataset.other_dates().query("party == 'labour' and 1989 <= year <= 2024")
    assert sorted(y for y in others.y if y is not None) == sorted(dated["members"])
    # every dated figure that falls between two year ends stands alone: a break (None) on each side
    points = list(zip(others.customdata, others.y))
    for i, (date, _) in enumerate(points):
        year = int(date[:4]) if date else None
        if date and {year - 1, year} <= set(dataset.year_ends().query("party == 'labour'")["year"]):
            assert (i == 0 or points[i - 1][1] is None) and (i == len(points) - 1 or points[i + 1][1] is None)


def test_dated_figures_off_the_year_end_line_are_joined_only_when_at_most_six_months_apart(dataset):
    from dashboard.chart.series import MAX_JOIN_DAYS

    labour = party_trace(figure_for(dataset, parties=("labour",), start=2015, end=2025), "labour", "dated")
    latest_2025 = dataset.other_dates().query("party == 'labour' and year == 2025").sort_values("as_of")
    dates = [dt.date.fromisoformat(d) for d in latest_2025["as_of"]]
    assert (dates[-1] - dates[-2]).days > MAX_JOIN_DAYS  # January to December 2025: eleven months
    after = [y for d, y in zip(labour.customdata, labour.y) if d and d > "2024-12-31"]
    assert after == list(latest_2025["members"])  # every figure drawn
    index = list(labour.customdata).index(latest_2025.iloc[-1]["as_of"])
    assert labour.y[index - 1] is None  # a gap: no line across the months without a figure
    reform = party_trace(figure_for(dataset, parties=("reform",)), "reform", "dated")
    assert reform.line.dash == "dot" and reform.meta["joined"]
    points = [(dt.date.fromisoformat(d) if d else None) for d in reform.customdata]
    for before, after_point in zip(points, points[1:]):
        if before and after_point:  # joined: a line between them
            assert (after_point - before).days <= MAX_JOIN_DAYS


def test_a_party_with_no_year_end_series_is_a_dotted_line_with_its_basis_in_the_legend(dataset):
    figure = figure_for(dataset, parties=("labour", "reform"))
    reform = party_trace(figure, "reform", "dated")
    counts = dataset.counts.query("party == 'reform'")
    assert reform.line.dash == "dot" and None not in reform.y and len(reform.y) == len(counts)
    legend = party_trace(figure, "reform", "legend")
    assert legend.line.dash == "dot" and legend.showlegend is not False
    # the legend names the basis only when every figure shown has the same one (the data's own bases decide)
    one_basis = "Reform UK (dated, own claims)" if set(counts["basis"]) == {"party_claim"} else "Reform UK (dated)"
    assert legend.name == one_basis
    # figures of one basis only (here: the party's own claims) name it in the legend
    claims = figure_for(dataset, parties=("labour", "reform"), bases=("accounts", "party_claim"))
    assert len(party_trace(claims, "reform", "dated").y) == (counts["basis"] == "party_claim").sum()
    assert party_trace(claims, "reform", "legend").name == "Reform UK (dated, own claims)"


def test_marker_fill_says_audited_reported_or_claimed(dataset):
    figure = figure_for(dataset, parties=("labour", "reform"))
    labour = party_trace(figure, "labour", "year-end")
    rows = dataset.year_ends().query("party == 'labour' and year >= 1989").set_index("year")
    symbols = dict(zip([d for d in labour.customdata], labour.marker.symbol))
    for year, row in rows.iterrows():
        symbol = symbols[f"{year}-12-31"]
        assert symbol == {"accounts": "circle", "party_report": "circle-open-dot", "compiled": "circle-open-dot",
                          "press": "circle-open-dot", "party_claim": "circle-open"}[row["basis"]]
    reform = party_trace(figure, "reform", "dated")
    reform_rows = dataset.counts.query("party == 'reform'")
    bases = dict(zip(reform_rows["as_of"], reform_rows["basis"]))
    assert len(reform.marker.symbol) == len(reform_rows) == len(bases) > 0   # one marker per figure, each date once
    for date, symbol in zip(reform.customdata, reform.marker.symbol):
        assert symbol.endswith({"accounts": "", "party_report": "-open-dot", "compiled": "-open-dot", "press": "-open-dot",
                                "party_claim": "-open"}[bases[date]]), date
    keys = [a.text for a in figure.layout.annotations if a.name == "key"]
    assert keys[:3] == ["audited accounts", "party report, compilation or press", "party's own claim"]
    # the key draws the shapes drawn: Reform's open triangles as well as Labour's rings
    shown = {s.name for s in figure.layout.shapes if (s.name or "").startswith("key-")}
    assert {"key-circle", "key-circle-open-dot", "key-circle-open", "key-triangle-down-open"} <= shown


def test_each_party_has_its_own_marker_symbol(dataset):
    parties = tuple(dataset.parties)
    figure = figure_for(dataset, parties=parties, start=2015, end=2025)
    legends = [t for t in figure.data if (t.meta or {}).get("kind") == "legend"]
    assert len({t.marker.symbol for t in legends}) == len(legends)


def test_a_date_sits_inside_its_own_year_on_the_axis():
    assert 2015 < position(dt.date(2015, 8, 12)) < 2016
    assert 2024.99 < position(dt.date(2024, 12, 31)) < 2025   # the end of 2024, not on the 2025 tick
    assert 2024 < position(dt.date(2024, 7, 4)) < 2025        # the 2024 general election reads as 2024
    assert 2025 < position(dt.date(2025, 6, 15)) < 2026       # a June 2025 figure reads as 2025
    assert position(dt.date(2025, 1, 1)) > position(dt.date(2024, 12, 31))


def test_year_labels_are_centred_on_their_years_and_the_range_chosen_is_the_range_shown(dataset):
    figure = figure_for(dataset, parties=("labour", "reform"), start=2015, end=2025)
    axis = figure.layout.xaxis
    assert list(axis.ticktext) == [str(y) for y in range(2015, 2026)]
    assert list(axis.tickvals) == [y + 0.5 for y in range(2015, 2026)]
    assert list(axis.minor.tickvals) == list(range(2015, 2027))   # ticks at 1 January between the labels
    lo, hi = axis.range
    assert 2014.9 < lo <= 2015 and 2026 <= hi < 2026.1


@pytest.mark.parametrize("width", [1200, 390])
def test_a_long_range_labels_round_years_and_both_ends_without_crowding(dataset, width):
    view = resolve(View(), dataset)
    axis = build_figure(dataset, view, width=width).layout.xaxis
    years = [int(t) for t in axis.ticktext]
    assert years[0] == view.start and years[-1] == view.end
    assert all(y % 5 == 0 for y in years[1:-1])
    assert min(b - a for a, b in zip(years, years[1:])) >= 2
    assert tick_step(11, 1100) == 1 and tick_step(37, 1100) == 5 and tick_step(37, 300) == 10


def test_missing_years_are_gaps_in_the_line_not_bridged(dataset):
    libdem = party_trace(figure_for(dataset, parties=("libdem",)), "libdem", "year-end")
    years = {int(d[:4]): y for d, y in zip(libdem.customdata, libdem.y) if d}
    gaps = [y for d, y in zip(libdem.customdata, libdem.y) if not d]
    assert years[1994] is not None and 1995 not in years and years[2001] is not None
    assert gaps and all(y is None for y in gaps) and libdem.connectgaps is False


def test_other_parties_are_drawn_in_their_colours(dataset):
    figure = figure_for(dataset, parties=("labour", "snp"))
    assert party_trace(figure, "labour", "year-end").line.color == dataset.parties["labour"].colour
    assert party_trace(figure, "snp", "year-end").line.color == dataset.parties["snp"].colour


def labels_of(figure):
    return [a for a in figure.layout.annotations if str(a.name or "").startswith("label-")]


def test_each_series_is_labelled_at_its_end_with_its_latest_figure_basis_and_date(dataset):
    figure = figure_for(dataset, parties=("labour", "reform"))
    texts = {a.name: a.text for a in labels_of(figure)}
    assert "Reform UK 268,631" in texts["label-reform"] and "own claim, Dec 2025" in texts["label-reform"]
    assert "Labour below 250,000" in texts["label-labour"] and "press, Dec 2025" in texts["label-labour"]


def test_the_marker_before_each_label_is_the_one_its_latest_figure_has_on_the_line(dataset):
    # the key says filled is audited accounts: Labour's latest (press), Reform's (own claim) and Your Party's
    # (party report) must not be drawn filled beside their labels
    figure = figure_for(dataset, parties=("labour", "reform", "yourparty"))
    for party in ("labour", "reform", "yourparty"):
        line = party_trace(figure, party, "dated")
        last = max(range(len(line.x)), key=lambda i: str(line.x[i]))
        marker = [s for s in figure.layout.shapes if s.name == f"symbol-{party}"]
        symbol = line.marker.symbol[last]
        assert symbol.endswith(("-open", "-open-dot")), (party, symbol)
        assert marker[0].fillcolor == "rgba(0,0,0,0)", party
        assert any(s.type == "circle" and s.fillcolor != "rgba(0,0,0,0)" for s in marker[1:]) == \
            symbol.endswith("-open-dot"), party


@pytest.mark.parametrize("width", [1280, 390])
def test_labels_of_the_five_party_view_never_overlap(dataset, width):
    figure = figure_for_width(dataset, width, parties=("labour", "conservative", "reform", "green", "libdem"),
                              start=2015, end=2025)
    labels = labels_of(figure)
    assert len(labels) == 5
    plot_h = figure.layout.height - figure.layout.margin.t - figure.layout.margin.b
    centres = [a.y * plot_h for a in labels]
    heights = [a.font.size * LABEL_LINE_EM * (a.text.count("<br>") + 1) for a in labels]
    assert overlaps(centres, heights) == []
    assert all(a.xref == "paper" and a.x == 1 and a.xanchor == "left" for a in labels)  # beside the plot, off the data
    assert min(c - h / 2 for c, h in zip(centres, heights)) >= -figure.layout.margin.b
    assert max(c + h / 2 for c, h in zip(centres, heights)) <= plot_h + 1


def figure_for_width(dataset, width, **view):
    return build_figure(dataset, resolve(View(**view), dataset), width=width)


def test_hover_shows_year_exact_figure_source_and_note(dataset):
    labour = party_trace(figure_for(dataset), "labour", "year-end")
    row = dataset.year_ends().query("party == 'labour' and year == 2024").iloc[0]
    hover = labour.hovertext[list(labour.customdata).index("2024-12-31")]
    assert "31 Dec 2024" in hover and f"{row['members']:,}" in hover and "Source:" in hover
    assert row["note"].split()[0] in hover and "Basis: audited accounts" in hover


def test_range_limits_the_points_shown(dataset):
    labour = party_trace(figure_for(dataset, start=2000, end=2010), "labour", "year-end")
    dates = [d for d in labour.customdata if d]
    assert (dates[0], dates[-1]) == ("2000-12-31", "2010-12-31")


def test_elections_and_leaders_can_be_switched_off(dataset):
    on = figure_for(dataset)
    off = figure_for(dataset, elections=False, leaders=False)
    texts = [a.text for a in on.layout.annotations]
    assert "GE 1997" in texts and "<i>Tony Blair</i>" in texts
    def events(figure):
        return [s for s in figure.layout.shapes if (s.name or "").startswith(("election-", "leader-"))]
    assert len(events(on)) > 10 and len(events(off)) == 0
    assert not any(str(a.text).startswith("GE ") for a in off.layout.annotations)


@pytest.mark.parametrize("width", [1200, 390])
def test_election_and_leader_labels_never_sit_on_a_figure(dataset, width):
    from dashboard.chart.figure import figure_dict, marker_boxes
    from dashboard.chart.labels import Box
    from dashboard.chart.style import Style, text_px

    view = resolve(View(), dataset)
    figure = figure_dict(dataset, view, width, 620)
    layout = figure["layout"]
    plot_w = width - layout["margin"]["l"] - layout["margin"]["r"]
    plot_h = layout["height"] - layout["margin"]["t"] - layout["margin"]["b"]
    events = [a for a in layout["annotations"] if str(a.get("name", "")).startswith(("election-", "leader-name-"))]
    assert len(events) >= (8 if width > 600 else 4)  # a phone names fewer, never on a figure
    lo, hi = layout["xaxis"]["range"]
    from dashboard.chart.axes import Frame
    markers = marker_boxes(figure["data"], Frame(lo, hi, plot_w, plot_h, layout["yaxis"]["range"][1]), Style.for_width(width))
    boxes = []
    for label in events:
        assert label["yref"] == "paper" and label["yanchor"] == "bottom" and label["y"] in (0, 1)
        left = label["x"] * plot_w
        width_px = text_px(label["text"].replace("<i>", "").replace("</i>", ""), label["font"]["size"]) * 1.04
        bottom = label["yshift"] + (plot_h if label["y"] == 1 else 0)  # above the plot, or at its foot
        boxes.append(Box(left, left + width_px, bottom, bottom + label["font"]["size"] * 1.3))
    for i, box in enumerate(boxes):
        assert not any(box.meets(m) for m in markers), events[i]["text"]
        assert not any(box.meets(other) for other in boxes[i + 1:]), events[i]["text"]


@pytest.mark.parametrize(("width", "height"), [(1200, 675), (1080, 1350), (390, 620)])
def test_a_leaders_term_begun_months_before_the_charts_end_is_named_over_its_narrow_band(dataset, width, height):
    """Andy Burnham's term (from July 2026) is a band too narrow for his name on a chart ending in 2026: the
    surname stands in the row above it, reaching past the band but touching it, inside the plot's width."""
    from dashboard.chart.figure import figure_dict

    start = dataset.events.query("kind == 'leader' and name.str.contains('Burnham')")["start"].iloc[0]
    view = resolve(View(parties=("labour",), start=2015, end=int(start[:4])), dataset)
    layout = figure_dict(dataset, view, width, height)["layout"]
    plot_w = width - layout["margin"]["l"] - layout["margin"]["r"]
    lo, hi = layout["xaxis"]["range"]
    band = next(s for s in layout["shapes"] if str(s.get("name", "")).startswith("leader-band-")
                and s["x0"] >= position(dt.date.fromisoformat(start)) - 1e-9)
    label = next(a for a in layout["annotations"] if a.get("name") == band["name"].replace("band", "name"))
    assert label["text"] == "<i>Burnham</i>"
    from dashboard.chart.style import text_px

    left = label["x"] * plot_w
    right = left + text_px("Burnham", label["font"]["size"]) * 1.04
    band_left, band_right = ((band[k] - lo) / (hi - lo) * plot_w for k in ("x0", "x1"))
    assert left < band_right and right > band_left and left >= 0 and right <= plot_w + 0.5


def test_title_subtitle_and_source_line_are_inside_the_figure(dataset):
    figure = figure_for(dataset)
    end = int(dataset.counts.query("party == 'labour'")["year"].max())
    assert figure.layout.title.text == f"Labour membership, 1989–{end}"
    assert "31 December" in figure.layout.title.subtitle.text
    assert any("Source" in str(a.text) for a in figure.layout.annotations)


def test_y_axis_starts_at_zero_with_thousands_separators(dataset):
    figure = figure_for(dataset)
    top = int(dataset.counts.query("party == 'labour' and year >= 1989")["members"].max())
    assert figure.layout.yaxis.range[0] == 0 and top < figure.layout.yaxis.range[1] < top * 1.3
    assert figure.layout.yaxis.tickformat == ","


def test_text_from_data_is_never_markup(dataset):
    figures = dataset.counts.copy()
    figures.loc[figures.index[0], "note"] = "<img src=x onerror=alert(1)>"
    tampered = replace(dataset, counts=figures)
    party = figures.iloc[0]["party"]
    figure = build_figure(tampered, resolve(View(parties=(party,), start=1900, end=2030, title="<script>x</script>"), tampered))
    everything = str(figure.to_plotly_json())
    assert "<img" not in everything and "<script>" not in everything
    assert "&lt;img src=x onerror=alert(1)&gt;" in everything


def test_text_is_wrapped_to_fit_a_phone_width(dataset):
    figure = build_figure(dataset, resolve(View(parties=("labour", "libdem", "snp")), dataset), width=390)
    footer = next(a.text for a in figure.layout.annotations if "Source" in str(a.text))
    assert all(len(line) <= 75 for line in footer.split("<br>"))


def test_source_line_names_the_main_sources_of_what_is_shown(dataset):
    shown = shown_counts(dataset, resolve(View(), dataset))
    line = source_line(shown)
    assert line.startswith("Sources: ") and "Labour Annual Report" in line


@pytest.mark.parametrize("static", [False, True], ids=["page", "image"])
@pytest.mark.parametrize(("width", "height"), [(300, 580), (370, 580), (340, 620), (520, 580)])
@pytest.mark.parametrize("parties", [("labour",), ("labour", "reform", "yourparty"),
                                     ("labour", "conservative", "libdem", "snp", "reform")])
def test_leaders_names_at_the_foot_of_a_narrow_chart_keep_a_gap_between_them(dataset, static, width, height, parties):
    """Names side by side at the plot's foot closer than the row's gap read as one ("Smith Tony Blair")."""
    from dashboard.chart.figure import figure_dict
    from dashboard.chart.marks import EVENT_GAP
    from dashboard.chart.style import text_px

    layout = figure_dict(dataset, resolve(View(parties=parties), dataset), width, height, static=static)["layout"]
    plot_w = width - layout["margin"]["l"] - layout["margin"]["r"]
    spans = sorted((a["x"] * plot_w, a["x"] * plot_w + text_px(a["text"][3:-4], a["font"]["size"]) * 1.04)
                   for a in layout["annotations"] if str(a.get("name", "")).startswith("leader-name-") and a["y"] == 0)
    for (_, right), (left, _) in zip(spans, spans[1:]):
        assert left - right >= EVENT_GAP - 1e-6


@pytest.mark.parametrize("static", [False, True], ids=["page", "image"])
@pytest.mark.parametrize("width", [300, 370, 520])
def test_a_phones_legend_has_the_rows_plotly_wraps_it_into_at_the_plots_width(dataset, static, width):
    """plotly.js wraps a horizontal legend at the plot's width (the direct labels take the figure's right):
    the room above the plot, between the legend's top and the row naming elections, holds that many rows."""
    from dashboard.chart.figure import figure_dict
    from dashboard.chart.legend import legend_groups, legend_height
    from dashboard.chart.marks import event_row_px
    from dashboard.chart.style import Style

    height = 580
    figure = figure_dict(dataset, resolve(View(parties=("labour", "reform", "yourparty")), dataset), width, height,
                         static=static)
    layout, style = figure["layout"], Style.for_width(width)
    plot_w = width - layout["margin"]["l"] - layout["margin"]["r"]
    legend_top = (1 - layout["legend"]["y"]) * height
    room = layout["margin"]["t"] - event_row_px(style) - legend_top
    groups = legend_groups([t for t in figure["data"] if t.get("meta", {}).get("kind") == "legend"])
    assert room >= legend_height(groups, plot_w, style) - 1e-6
