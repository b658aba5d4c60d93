"""Each control's round trip: the chart callback answering one change of a control, through Dash's
callback endpoint in-process (the request the browser sends, the JSON it gets back).

Controls: the parties (the reference: "as quick as changing parties"), the year range, the year
boxes, each measure (change in members, change in %, indexed), the base year, the log scale, the
annotations and the bases shown. The controls are timed in rounds, one change of each control a
round in an order that rotates, and every round starts from a different first year, so each answer
is built, not taken from a cache of views already drawn. The bundled data, copied to a temporary
folder.

    python -m bench.bench_controls [--rounds 15] [--no-write]
"""
from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.results import Spread, Target, machine, publish, record_target, versions
from dashboard.config import Settings
from dashboard.core.dataset import BUNDLED_DATA_DIR
from dashboard.core.view import View, view_to_dict
from dashboard.web import ids
from testkit.dash_wire import DashWire

ROOT = Path(__file__).resolve().parent.parent

# "Changing the measure or the range must stay as quick as changing parties": a ratio to the party
# change measured in the same rounds, with room for the noise of a shared machine.
RATIO_TARGET = 1.25
FIRST_YEAR = 1990

# name -> (the prop that changed, how the controls' values differ from the base view's)
Change = Callable[[int], dict[str, Any]]
CONTROLS: dict[str, tuple[str, Change]] = {
    "parties: Labour -> Labour, Reform UK (reference)": (f"{ids.PARTY_SELECT}.value",
                                                         lambda start: {"parties": ["labour", "reform"]}),
    "year range slider": (f"{ids.YEAR_RANGE}.value", lambda start: {"years": [start, 2023]}),
    "first-year box": (f"{ids.YEAR_FROM}.value", lambda start: {"year_from": start + 1}),
    "measure: change in members": (f"{ids.MEASURE}.value", lambda start: {"measure": "change"}),
    "measure: change in %": (f"{ids.MEASURE}.value", lambda start: {"measure": "change-percent"}),
    "measure: indexed": (f"{ids.MEASURE}.value", lambda start: {"measure": "index"}),
    "base year (indexed)": (f"{ids.BASE_YEAR}.value", lambda start: {"measure": "index", "base_year": start + 3,
                                                                      "stored_measure": "index"}),
    "log scale": (f"{ids.LOG_SCALE}.value", lambda start: {"log": ["log"]}),
    "annotations: leaders off": (f"{ids.ANNOTATIONS}.value", lambda start: {"annotations": ["elections", "other_dates"]}),
    "bases: audited accounts only": (f"{ids.BASIS_SELECT}.value", lambda start: {"bases": ["accounts"]}),
}
REFERENCE = next(iter(CONTROLS))


def control_values(start: int, change: dict[str, Any]) -> dict[str, Any]:
    """The chart callback's inputs and state once a control changed, from a Labour view starting at `start`."""
    stored_measure = change.pop("stored_measure", "members")
    base = View(parties=("labour",), start=start, end=2024, measure=stored_measure,
                base_year=start if stored_measure == "index" else None)
    controls = {"parties": ["labour"], "years": [start, 2024], "year_from": start, "year_to": 2024,
                "measure": stored_measure, "base_year": base.base_year, "log": [],
                "annotations": ["elections", "leaders", "other_dates"], "bases": [], **change}
    values = {
        f"{ids.LOCATION}.search": "", f"{ids.PARTY_SELECT}.value": controls["parties"],
        f"{ids.YEAR_RANGE}.value": controls["years"], f"{ids.YEAR_FROM}.value": controls["year_from"],
        f"{ids.YEAR_TO}.value": controls["year_to"], f"{ids.MEASURE}.value": controls["measure"],
        f"{ids.BASE_YEAR}.value": controls["base_year"], f"{ids.LOG_SCALE}.value": controls["log"],
        f"{ids.ANNOTATIONS}.value": controls["annotations"], f"{ids.BASIS_SELECT}.value": controls["bases"],
        f"{ids.VIEW_STORE}.data": view_to_dict(base),
    }
    return values


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--no-write", action="store_true", help="print the report only")
    args = parser.parse_args()

    from dashboard.web.app import create_app

    names = list(CONTROLS)
    times: dict[str, list[float]] = {name: [] for name in names}
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        shutil.copytree(BUNDLED_DATA_DIR, data)
        app = create_app(Settings(data_path=data / "membership.csv"))
        wire = DashWire.of(app.server.test_client())
        chart = wire.callback(ids.MEASURE)
        # once each, not timed: the first call of a Python function, pandas' and plotly's caches
        for name in names:
            prop, change = CONTROLS[name]
            wire.post(wire.envelope(chart, control_values(FIRST_YEAR - 1, change(FIRST_YEAR - 1)), [prop]))
        for round_ in range(args.rounds):
            start = FIRST_YEAR + round_
            for name in names[round_ % len(names):] + names[:round_ % len(names)]:
                prop, change = CONTROLS[name]
                envelope = wire.envelope(chart, control_values(start, change(start)), [prop])
                began = time.perf_counter()
                answer = wire.post(envelope)
                times[name].append((time.perf_counter() - began) * 1000)
                if answer.status != 200:
                    raise RuntimeError(f"{name}: HTTP {answer.status} {answer.text[:300]}")

    spreads = {name: Spread.of(values) for name, values in times.items()}
    reference = spreads[REFERENCE]
    rows = ["| control changed | median | min | max | ratio to the party change | met (≤ "
            f"{RATIO_TARGET:.2f}×) |", "|---|---:|---:|---:|---:|---|"]
    worst = (names[1], spreads[names[1]].median / reference.median)
    for name in names:
        spread = spreads[name]
        ratio = spread.median / reference.median
        if name != REFERENCE and ratio >= worst[1]:
            worst = (name, ratio)
        met = "–" if name == REFERENCE else ("yes" if ratio <= RATIO_TARGET else "**no**")
        rows.append(f"| {name} | {spread.median:,.1f} ms | {spread.low:,.1f} ms | {spread.high:,.1f} ms | "
                    f"{ratio:.2f}× | {met} |")
    slowest, ratio = worst
    record_target(Target(
        "Every control as quick as a change of parties",
        f"slowest: {slowest}, {spreads[slowest].text('ms', 1)}", f"party change {reference.text('ms', 1)}",
        f"{ratio:.2f}×", f"≤ {RATIO_TARGET:.2f}×", ratio <= RATIO_TARGET, "bench_controls.py"))
    report = "\n".join([
        "## Each control's round trip (bench/bench_controls.py)",
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {machine()}; {versions()}.",
        f"The chart callback answering one change of each control, in-process through Dash's callback endpoint "
        f"(request to JSON answer: the figure, the table's rows, the controls, the address, the alt text and the "
        f"share panel's links), {args.rounds} rounds of one change of each control in a rotating order; each round "
        f"starts from a different first year, so no answer comes from the cache of views already drawn.",
        "",
        *rows,
        "",
    ])
    publish(report, write=not args.no_write)


if __name__ == "__main__":
    main()
