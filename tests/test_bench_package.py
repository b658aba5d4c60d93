"""bench/ is one package that `bash manage.sh bench` runs as `python -m bench.run_all`: its modules import
each other without a circle, and the benchmarks to run are named, never guessed."""
from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

from bench import run_all

BENCH = Path(__file__).resolve().parents[1] / "bench"


def bench_imports() -> dict[str, set[str]]:
    """{module: the bench modules it imports}, read from the text (imports inside functions too)."""
    graph = {}
    for path in sorted(BENCH.glob("*.py")):
        names = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("bench."):
                names.add(node.module.removeprefix("bench."))
            elif isinstance(node, ast.Import):
                names |= {a.name.removeprefix("bench.") for a in node.names if a.name.startswith("bench.")}
        graph[path.stem] = names
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every import path that comes back to where it started."""
    found = []

    def visit(module: str, path: list[str]) -> None:
        for imported in sorted(graph.get(module, ())):
            if imported == path[0]:
                found.append([*path, imported])
            elif imported not in path:
                visit(imported, [*path, imported])

    for module in graph:
        visit(module, [module])
    return found


def test_bench_modules_import_each_other_without_a_circle():
    graph = bench_imports()
    assert "profile_page" in graph["bench_page"]  # the pair that used to import each other
    assert circles(graph) == []


def test_the_circle_check_finds_a_circle():
    assert circles({"bench_page": {"profile_page"}, "profile_page": {"bench_page"}, "results": set()}) == [
        ["bench_page", "profile_page", "bench_page"], ["profile_page", "bench_page", "profile_page"]]


@pytest.mark.parametrize("module", sorted(p.stem for p in BENCH.glob("*.py")))
def test_every_bench_module_imports_as_part_of_the_package(module):
    assert importlib.import_module(f"bench.{module}").__name__ == f"bench.{module}"


def test_only_runs_the_benchmarks_named_in_the_order_of_a_full_run():
    every = run_all.benchmarks()
    assert every[:len(run_all.BENCHMARKS)] == list(run_all.BENCHMARKS)
    assert {"bench_controls", "bench_flood", "bench_image_url", "bench_profile"} <= set(every)
    assert run_all.benchmarks("load,page") == ["bench_page", "bench_load"]


@pytest.mark.parametrize("only", ["pgae", "page,nothing", ","])
def test_an_unknown_benchmark_name_is_refused_with_the_known_ones(only):
    with pytest.raises(ValueError, match="no benchmark named") as error:
        run_all.benchmarks(only)
    assert "page, load" in str(error.value)


RESULTS = "# Benchmark results\n\nintro\n\n## Page load (bench/bench_page.py)\n\npage\n"


def summary(heading: str, text: str) -> str:
    return f"{heading}\n\n{text}\n"


def test_a_full_run_summary_goes_first_and_replaces_the_last_one():
    once = run_all.with_summary(RESULTS, summary(run_all.SUMMARY, "Run A in 9.0 min"))
    assert once.index(run_all.SUMMARY) < once.index("## Page load") and once.startswith("# Benchmark results\n\nintro\n\n")
    twice = run_all.with_summary(once, summary(run_all.SUMMARY, "Run B in 8.0 min"))
    assert "Run A" not in twice and twice.count(run_all.SUMMARY) == 1 and "page\n" in twice


def test_a_partial_run_keeps_the_full_runs_summary_and_time():
    full = run_all.with_summary(RESULTS, summary(run_all.SUMMARY, "Run A in 9.0 min"))
    partial = run_all.with_summary(full, summary(run_all.PARTIAL_SUMMARY, "Run P in 1.0 min (only bench_page)"))
    again = run_all.with_summary(partial, summary(run_all.PARTIAL_SUMMARY, "Run Q in 2.0 min (only bench_load)"))
    assert "Run A in 9.0 min" in again and "Run P" not in again and "Run Q" in again
    assert again.index(run_all.SUMMARY) < again.index(run_all.PARTIAL_SUMMARY) < again.index("## Page load")
