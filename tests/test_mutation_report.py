"""`bash manage.sh mutate`'s report reads mutmut's verdicts and diffs, and counts a mutant as equivalent only
when an entry of tests/mutation_equivalents.toml matches it exactly."""
from __future__ import annotations

from pathlib import Path

from testkit import mutation_report as report

PATHS = ["dashboard/core/measures.py", "dashboard/chart/labels.py"]
RESULTS = """    dashboard.core.measures.x_default_base_year__mutmut_1: killed
    dashboard.core.measures.x_default_base_year__mutmut_11: survived
    dashboard.chart.labels.xǁBoxǁoverlaps__mutmut_2: no tests
    dashboard.chart.labels.x_place_labels__mutmut_3: timeout
"""
DIFF = """# dashboard.core.measures.x_default_base_year__mutmut_11: survived
--- dashboard/core/measures.py
+++ dashboard/core/measures.py
@@ -3,7 +3,7 @@
     for year in range(start, end + 1):
-        count = sum(1 for s in by_party.values() if s.get(year))
+        count = sum(2 for s in by_party.values() if s.get(year))
         if count > best_count:
"""


def test_verdicts_are_read_with_module_and_function_methods_included():
    mutants = report.parse_results(RESULTS, PATHS)
    assert [(m.module, m.function, m.status) for m in mutants] == [
        ("dashboard/core/measures.py", "default_base_year", "killed"),
        ("dashboard/core/measures.py", "default_base_year", "survived"),
        ("dashboard/chart/labels.py", "Box.overlaps", "no tests"),
        ("dashboard/chart/labels.py", "place_labels", "timeout")]


def test_a_diff_is_the_lines_taken_out_and_put_in():
    assert report.parse_diff(DIFF) == ("count = sum(1 for s in by_party.values() if s.get(year))",
                                       "count = sum(2 for s in by_party.values() if s.get(year))")


def test_an_equivalent_matches_only_its_module_function_and_exact_lines(tmp_path: Path):
    listing = tmp_path / "equivalents.toml"
    listing.write_text('[[equivalent]]\nmodule = "dashboard/core/measures.py"\nfunction = "default_base_year"\n'
                       'removed = "count = sum(1 for s in by_party.values() if s.get(year))"\n'
                       'added = "count = sum(2 for s in by_party.values() if s.get(year))"\nwhy = "doubles both"\n')
    equivalents = report.load_equivalents(listing)
    survivor = report.parse_results(RESULTS, PATHS)[1]
    diff = report.parse_diff(DIFF)
    assert report.is_listed(survivor, diff, equivalents).why == "doubles both"
    assert report.is_listed(survivor, (diff[0], "count = sum(3 for s in by_party.values() if s.get(year))"),
                            equivalents) is None
    other = report.Mutant("x", "dashboard/chart/labels.py", "default_base_year", "survived")
    assert report.is_listed(other, diff, equivalents) is None


def test_the_share_leaves_out_the_equivalent_and_counts_a_timeout_as_killed():
    mutants = report.parse_results(RESULTS, PATHS)
    measures = report.score("dashboard/core/measures.py", mutants, set())
    assert (measures.mutants, measures.killed, measures.share, measures.passed) == (2, 1, 0.5, False)
    equivalent = report.score("dashboard/core/measures.py", mutants,
                              {"dashboard.core.measures.x_default_base_year__mutmut_11"})
    assert (equivalent.share, equivalent.passed) == (1.0, True)
    labels = report.score("dashboard/chart/labels.py", mutants, set())
    assert (labels.killed, labels.share) == (1, 0.5)  # "no tests" is a mutant nobody noticed


def test_a_run_left_unfinished_never_passes():
    unfinished = report.parse_results("    dashboard.core.measures.x_f__mutmut_1: not checked\n", PATHS)
    score = report.score("dashboard/core/measures.py", unfinished, set())
    assert score.unfinished == 1 and not score.passed and "not run" in report.table([score])


def test_every_equivalent_listed_says_why_and_names_a_module_that_is_mutated():
    modules = set(report.modules())
    entries = report.load_equivalents()
    assert entries and all(e.why and e.module in modules and e.removed != e.added for e in entries)


def test_the_verdict_reader_runs_in_mutmuts_interpreter_and_knows_what_was_noticed():
    """The script given to mutmut's interpreter compiles, and asks for a diff only of what nobody noticed."""
    compile(report.VERDICTS, "verdicts", "exec")
    assert "status in NOTICED" in report.VERDICTS and "get_diff_for_mutant" in report.VERDICTS


def test_a_run_names_every_mutant_of_the_chosen_modules_or_only_those_the_last_run_left_alive():
    assert report.to_run(["dashboard/core/measures.py"]) == ["dashboard.core.measures.*"]
    last = report.parse_results(RESULTS + "    dashboard.core.measures.x_f__mutmut_2: not checked\n", PATHS)
    assert report.to_run(["dashboard/core/measures.py"], last) == ["dashboard.core.measures.x_default_base_year__mutmut_11",
                                                                 "dashboard.core.measures.x_f__mutmut_2"]
    assert report.to_run(["dashboard/chart/labels.py"], last) == ["dashboard.chart.labels.xǁBoxǁoverlaps__mutmut_2"]
    listed = report.listed_names(last, {"dashboard.core.measures.x_default_base_year__mutmut_11": report.parse_diff(DIFF)},
                                 [report.Equivalent("dashboard/core/measures.py", "default_base_year",
                                                    *report.parse_diff(DIFF), "doubles both")])
    assert listed == {"dashboard.core.measures.x_default_base_year__mutmut_11"}
    assert report.to_run(["dashboard/core/measures.py"], last, listed) == ["dashboard.core.measures.x_f__mutmut_2"]
