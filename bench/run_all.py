"""Every benchmark under bench/, one after the other, then the summary at the top of bench/RESULTS.md:
the machine, the versions, the load average before and after, and every target with its figure,
its reference, the ratio and whether it was met. `bash manage.sh bench` runs this.

    python -m bench.run_all [--only page,load]
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.results import RESULTS, TARGETS_FILE_VARIABLE, machine, read_targets, versions

HERE = Path(__file__).resolve().parent

# The order they run in; each one writes its own section of RESULTS.md.
BENCHMARKS = ("bench_page", "bench_load", "bench_growth", "bench_ingest", "bench_export", "bench_lighthouse")
SUMMARY = "## Summary: every target, one run (bench/run_all.py)"
# A run of some benchmarks (--only) keeps the full run's summary, and its time, and says its own under this.
PARTIAL_SUMMARY = "## Summary of the last partial run (bench/run_all.py --only)"
# How long a full run takes on an idle two-core machine, said here only: run_all prints it, the README quotes it
# and tests/test_readme.py holds it to the last full run recorded in RESULTS.md (within a factor of two).
ESTIMATED_MINUTES = 10


def benchmarks(only: str | None = None) -> list[str]:
    """The benchmarks' modules to run: the known ones in order, then any other bench_*.py (added later);
    `only` names some ("page,load"). ValueError for a name that is no benchmark."""
    found = sorted(p.stem for p in HERE.glob("bench_*.py"))
    ordered = [name for name in BENCHMARKS if name in found] + [name for name in found if name not in BENCHMARKS]
    if not only:
        return ordered
    wanted = [f"bench_{name.strip()}" for name in only.split(",") if name.strip()]
    unknown = [name.removeprefix("bench_") for name in wanted if name not in ordered]
    if unknown or not wanted:
        known = ", ".join(name.removeprefix("bench_") for name in ordered)
        raise ValueError(f"no benchmark named {', '.join(unknown) or repr(only)}; there are: {known}")
    return [name for name in ordered if name in wanted]


def with_summary(text: str, summary: str) -> str:
    """RESULTS.md's text with `summary` in its place: replacing the summary of the same kind, else first
    under the file's heading (a partial run's under the full run's, which it never replaces)."""
    heading = summary.splitlines()[0]
    start = text.find(heading + "\n")
    if start != -1:
        end = text.find("\n## ", start + len(heading))
        return text[:start] + summary.rstrip("\n") + "\n" + (text[end:] if end != -1 else "")
    full_at = text.find(SUMMARY + "\n")
    after = text.find("\n## ", full_at + 1) if heading != SUMMARY and full_at != -1 else text.find("\n## ")
    head, rest = (text, "") if after == -1 else (text[:after], text[after + 1:])
    return head.rstrip("\n") + "\n\n" + summary.rstrip("\n") + "\n" + ("\n" + rest if rest else "")


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--only", help="comma-separated names, e.g. page,load (default: all)")
    args = parser.parse_args()
    try:
        chosen = benchmarks(args.only)
    except ValueError as error:
        parser.error(str(error))

    full = chosen == benchmarks()
    if full:
        print(f"Every benchmark: about {ESTIMATED_MINUTES} minutes on an idle machine, longer on a loaded one.", flush=True)
    load_before = os.getloadavg()
    began = time.monotonic()
    failed = []
    with tempfile.TemporaryDirectory() as tmp:
        targets_file = Path(tmp) / "targets.jsonl"
        env = {**os.environ, TARGETS_FILE_VARIABLE: str(targets_file)}
        for name in chosen:
            print(f"== {name}", flush=True)
            started = time.monotonic()
            done = subprocess.run([sys.executable, "-m", f"bench.{name}"], env=env, cwd=HERE.parent)
            print(f"== {name}: exit {done.returncode} after {time.monotonic() - started:.0f} s", flush=True)
            if done.returncode != 0:
                failed.append(name)
        targets = read_targets(targets_file)
    load_after = os.getloadavg()

    rows = ["| target | measured (median, min–max) | reference, same run | ratio or value | target | met |",
            "|---|---|---|---|---|---|"]
    for t in targets:
        rows.append(f"| {t.name} ({t.bench}) | {t.measured} | {t.reference} | {t.value} | {t.target} | "
                    f"{'yes' if t.met else '**no**'} |")
    summary = "\n".join([
        SUMMARY if full else PARTIAL_SUMMARY,
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} in {(time.monotonic() - began) / 60:.1f} min "
        f"{'' if full else '(only ' + ', '.join(chosen) + ') '}on "
        f"{machine()}; {versions()}.",
        f"Load average (1, 5, 15 min) before: {', '.join(f'{x:.1f}' for x in load_before)}; after: "
        f"{', '.join(f'{x:.1f}' for x in load_after)}. The machine is shared with other sessions: a load above 2 "
        "means the benchmarks waited for the cores, and every figure is slower; ratios are against references "
        "measured alternately in the same run.",
        "",
        *rows,
        "",
        (f"Benchmarks that failed to finish: {', '.join(failed)}." if failed else
         f"{sum(t.met for t in targets)} of {len(targets)} targets met."),
        "",
    ])
    RESULTS.write_text(with_summary(RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "", summary),
                       encoding="utf-8")
    print(summary)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
