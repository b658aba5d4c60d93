"""One results file for every benchmark: each replaces only its own section of bench/RESULTS.md."""
from __future__ import annotations

from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
HEADER = ("# Benchmark results\n\nWritten by the scripts in bench/ (`bash manage.sh bench` runs them all). "
          "Medians over several runs; the machine is shared, so compare numbers from the same run.\n")


def write_section(section: str, path: Path = RESULTS) -> None:
    """Replace the section whose `## ` heading matches the first line of `section`, or append it."""
    heading = section.splitlines()[0]
    assert heading.startswith("## "), heading
    text = path.read_text(encoding="utf-8") if path.exists() else HEADER
    start = text.find(heading)
    if start == -1:
        text = text.rstrip("\n") + "\n\n" + section.rstrip("\n") + "\n"
    else:
        end = text.find("\n## ", start + len(heading))
        text = text[:start] + section.rstrip("\n") + "\n" + (text[end:] if end != -1 else "")
    path.write_text(text, encoding="utf-8")
