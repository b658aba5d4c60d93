"""Every benchmark under bench/, one after the other, then the summary at the top of bench/RESULTS.md:
the machine, the versions, the load average before and after, and every target with its figure,
its reference, the ratio and whether it was met. `bash manage.sh bench` runs this.

    python bench/run_all.py [--only page,load]
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from results import RESULTS, TARGETS_FILE_VARIABLE, machine, read_targets, versions, write_section  # noqa: E402

# The order they run in; each one writes its own section of RESULTS.md.
BENCHMARKS = ("bench_page.py", "bench_lighthouse.py", "bench_load.py", "bench_growth.py", "bench_ingest.py", "bench_export.py")
SUMMARY = "## Summary: every target, one run (bench/run_all.py)"


def scripts(only: str | None) -> list[Path]:
    """The benchmarks to run: the known ones in order, then any other bench_*.py (added later)."""
    found = sorted(p.name for p in HERE.glob("bench_*.py"))
    ordered = [name for name in BENCHMARKS if name in found] + [name for name in found if name not in BENCHMARKS]
    if only:
        wanted = {f"bench_{name.strip()}.py" for name in only.split(",")}
        ordered = [name for name in ordered if name in wanted]
    return [HERE / name for name in ordered]


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--only", help="comma-separated names, e.g. page,load (default: all)")
    args = parser.parse_args()

    load_before = os.getloadavg()
    began = time.monotonic()
    failed = []
    with tempfile.TemporaryDirectory() as tmp:
        targets_file = Path(tmp) / "targets.jsonl"
        env = {**os.environ, TARGETS_FILE_VARIABLE: str(targets_file)}
        for script in scripts(args.only):
            print(f"== {script.name}", flush=True)
            started = time.monotonic()
            done = subprocess.run([sys.executable, str(script)], env=env, cwd=HERE.parent)
            print(f"== {script.name}: exit {done.returncode} after {time.monotonic() - started:.0f} s", flush=True)
            if done.returncode != 0:
                failed.append(script.name)
        targets = read_targets(targets_file)
    load_after = os.getloadavg()

    rows = ["| target | measured (median, min–max) | reference, same run | ratio or value | target | met |",
            "|---|---|---|---|---|---|"]
    for t in targets:
        rows.append(f"| {t.name} ({t.bench}) | {t.measured} | {t.reference} | {t.value} | {t.target} | "
                    f"{'yes' if t.met else '**no**'} |")
    summary = "\n".join([
        SUMMARY,
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} in {(time.monotonic() - began) / 60:.1f} min on "
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
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    if SUMMARY not in text:
        # the summary goes first, under the file's heading
        head, _, rest = text.partition("\n## ")
        RESULTS.write_text(head.rstrip("\n") + "\n\n" + summary + ("\n## " + rest if rest else ""), encoding="utf-8")
    else:
        write_section(summary)
    print(summary)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
