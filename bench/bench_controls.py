"""Each control's round trip: the chart callback answering one change of a control, through Dash's
callback endpoint in-process (the request the browser sends, the JSON it gets back).

Controls: the parties (the reference: "as quick as changing parties"), the year range, the year
boxes, each measure (change in members, change in %, indexed), the base year, the log scale, the
annotations and the bases shown. The controls are timed in rounds, one change of each control a
round in an order that rotates, and every round starts from a different first year, so each answer
is built, not taken from a cache of views already drawn. The bundled data, copied to a temporary
folder.

    python bench/bench_controls.py [--rounds 15] [--no-write]
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from results import Spread, Target, machine, publish, record_target, versions  # noqa: E402

from dashboard.config import Settings  # noqa: E402
from dashboard.core.dataset import BUNDLED_DATA_DIR  # noqa: E402
from dashboard.core.view import View, view_to_dict  # noqa: E402
from dashboard.web import ids  # noqa: E402

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


def chart_callback(deps: list[dict]) -> dict:
    return next(d for d in deps if any(i["id"] == ids.MEASURE for i in d["inputs"]) and d.get("clientside_function") is None)


def request_body(dep: dict, start: int, prop: str, change: dict[str, Any]) -> dict:
    """What the browser posts when `prop` changed, from a Labour view starting at `start`."""
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
    outputs = dep["outputs"] if "outputs" in dep else [
        dict(zip(("id", "property"), o.split(".", 1))) for o in dep["output"].strip(".").split("...")]

    def fill(items: list[dict]) -> list[dict]:
        return [{**i, "value": values.get(f"{i['id']}.{i['property']}")} for i in items]

    return {"output": dep["output"], "outputs": outputs, "inputs": fill(dep["inputs"]), "state": fill(dep["state"]),
            "changedPropIds": [prop]}


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
        client = app.server.test_client()
        dep = chart_callback(client.get("/_dash-dependencies").get_json())
        # once each, not timed: the first call of a Python function, pandas' and plotly's caches
        for name in names:
            prop, change = CONTROLS[name]
            client.post("/_dash-update-component", json=request_body(dep, FIRST_YEAR - 1, prop, change(FIRST_YEAR - 1)))
        for round_ in range(args.rounds):
            start = FIRST_YEAR + round_
            for name in names[round_ % len(names):] + names[:round_ % len(names)]:
                prop, change = CONTROLS[name]
                body = request_body(dep, start, prop, change(start))
                began = time.perf_counter()
                response = client.post("/_dash-update-component", json=body)
                times[name].append((time.perf_counter() - began) * 1000)
                if response.status_code != 200:
                    raise RuntimeError(f"{name}: HTTP {response.status_code} {response.get_data(as_text=True)[:300]}")

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
