"""One results file for every benchmark: each replaces only its own section of bench/RESULTS.md.

A benchmark also records each of its targets (`record_target`); `bench/run_all.py`, which
`bash manage.sh bench` runs, gathers them into the summary table at the top of the file.
"""
from __future__ import annotations

import compileall
import json
import os
import platform
import statistics
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path

from testkit.chromium import CHROMIUM

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
HEADER = ("# Benchmark results\n\nWritten by the scripts in bench/ (`bash manage.sh bench` runs them all). "
          "Medians over several runs; the machine is shared, so compare numbers from the same run.\n")
# run_all.py names the file each benchmark appends its targets to (one JSON object a line).
TARGETS_FILE_VARIABLE = "BENCH_TARGETS_FILE"


def compile_package() -> None:
    """Byte-compile dashboard/ as `pip install` does an installed package, so that a timed start reads
    the bytecode rather than compiling some 70 modules: these machines set PYTHONDONTWRITEBYTECODE=1,
    under which no start keeps what it compiled (about a tenth of a second of every start)."""
    compileall.compile_dir(Path(__file__).resolve().parent.parent / "dashboard", quiet=1)


def publish(section: str, write: bool) -> None:
    """A benchmark's report: printed, and put in RESULTS.md unless the run said --no-write."""
    print(section)
    if write:
        write_section(section)


def write_section(section: str, path: Path = RESULTS) -> None:
    """Replace the section whose `## ` heading matches the first line of `section`, or append it."""
    heading = section.splitlines()[0]
    assert heading.startswith("## "), heading
    text = path.read_text(encoding="utf-8") if path.exists() else HEADER
    start = text.find(heading + "\n")
    if start == -1:
        text = text.rstrip("\n") + "\n\n" + section.rstrip("\n") + "\n"
    else:
        end = text.find("\n## ", start + len(heading))
        text = text[:start] + section.rstrip("\n") + "\n" + (text[end:] if end != -1 else "")
    path.write_text(text, encoding="utf-8")


@dataclass(frozen=True)
class Spread:
    """Median, min and max of several runs, in the unit they were measured in."""

    median: float
    low: float
    high: float
    runs: int

    @classmethod
    def of(cls, values: list[float]) -> Spread:
        return cls(statistics.median(values), min(values), max(values), len(values))

    def text(self, unit: str = "ms", digits: int = 0) -> str:
        return f"{self.median:,.{digits}f} {unit} ({self.low:,.{digits}f}–{self.high:,.{digits}f}, {self.runs} runs)"


@dataclass(frozen=True)
class Target:
    """One target of an issue, as measured: the figure, its reference (if a ratio), the limit."""

    name: str
    measured: str  # e.g. "812 ms (790–900, 11 runs)"
    reference: str  # what it is compared with, measured in the same run, or "–"
    value: str  # the number compared with the limit: a ratio, or the figure itself
    target: str  # e.g. "≤ 1.0×"
    met: bool
    bench: str


def record_target(target: Target) -> None:
    """Hand a target to run_all.py for the summary (a no-op when a benchmark runs on its own)."""
    name = os.environ.get(TARGETS_FILE_VARIABLE)
    if name:
        with open(name, "a", encoding="utf-8") as out:
            out.write(json.dumps(asdict(target)) + "\n")


def read_targets(path: Path) -> list[Target]:
    if not path.exists():
        return []
    return [Target(**json.loads(line)) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def versions() -> str:
    """Python and the libraries whose speed the numbers depend on."""
    import dash
    import plotly
    from plotly.offline import get_plotlyjs_version

    from dashboard.chart import plotly_bundle

    try:
        chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    except OSError:
        chromium = "no Chromium"
    return (f"Python {platform.python_version()}, dash {dash.__version__}, plotly {plotly.__version__} "
            f"(plotly.js {get_plotlyjs_version()}; page: {plotly_bundle.NPM_PACKAGE} "
            f"{plotly_bundle.VERSION}), {chromium}")


def machine() -> str:
    return f"{cpu_model()}, {os.cpu_count()} cores"
