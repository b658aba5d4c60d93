"""`bash manage.sh mutate`: mutation testing of the pure modules ([tool.mutmut] in pyproject.toml) with the
fast tests, and a report per module of the share of mutants the tests kill, leaving out the mutants listed
in tests/mutation_equivalents.toml (a change nobody can observe: each entry says why).

    python -m testkit.mutation_report [core/measures updates/changes ...]   # default: every module listed
    python -m testkit.mutation_report --survivors updates/changes   # again only what the last run left alive

A module passes at TARGET (90%) of its non-equivalent mutants killed; the command fails otherwise, and
lists each surviving mutant as a diff, for a test to be written that tells it from the code.
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tomllib
from collections import Counter
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EQUIVALENTS = ROOT / "tests" / "mutation_equivalents.toml"
TARGET = 0.90
# mutmut's verdicts, sorted: the tests noticed the change (a timeout is a loop the change made endless)...
NOTICED = {"killed", "timeout", "caught by type check", "segfault"}
# ...or they did not; anything else means the run did not finish.
UNNOTICED = {"survived", "no tests", "suspicious"}


@dataclass(frozen=True)
class Mutant:
    name: str     # mutmut's: dashboard.core.measures.x_default_base_year__mutmut_11
    module: str   # dashboard/core/measures.py
    function: str  # default_base_year (Class.method for a method)
    status: str


@dataclass(frozen=True)
class Equivalent:
    module: str
    function: str
    removed: str  # the lines the mutant takes out, stripped and joined by newlines
    added: str    # the lines it puts in
    why: str


def modules() -> list[str]:
    """The modules mutated, from pyproject.toml's [tool.mutmut] only_mutate."""
    return list(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mutmut"]["only_mutate"])


def module_of(name: str, paths: list[str]) -> tuple[str, str]:
    """(module path, function) of a mutant's name."""
    for path in paths:
        dotted = path.removesuffix(".py").replace("/", ".") + "."
        if name.startswith(dotted):
            mangled = name[len(dotted):].rsplit("__mutmut_", 1)[0]
            if mangled.startswith("xǁ"):  # a method: xǁClassǁmethod
                return path, ".".join(mangled.removeprefix("xǁ").split("ǁ"))
            return path, mangled.removeprefix("x_")
    raise ValueError(f"mutant {name} is of no module in {paths}")


def parse_results(text: str, paths: list[str]) -> list[Mutant]:
    """`mutmut results --all true` ("    name: status" a line) as mutants."""
    found = []
    for line in text.splitlines():
        match = re.fullmatch(r"\s*(\S+__mutmut_\d+): (.+)", line)
        if match:
            module, function = module_of(match.group(1), paths)
            found.append(Mutant(match.group(1), module, function, match.group(2).strip()))
    return found


# Run by mutmut's own interpreter in the checkout: every verdict, and the diff of each mutant the tests did not
# notice, in one process (`mutmut show` once a survivor costs a second each).
VERDICTS = """
import json
from mutmut.mutation.data import SourceFileMutationData
from mutmut.mutation.diff_apply import get_diff_for_mutant
from mutmut.stats import status_by_exit_code
from mutmut.utils.file_utils import walk_mutatable_files
found = {}
for path in walk_mutatable_files():
    data = SourceFileMutationData(path=path)
    data.load()
    for name, code in data.exit_code_by_key.items():
        status = status_by_exit_code[code]
        found[name] = [status, "" if status in NOTICED else get_diff_for_mutant(name, path=data.path)]
print(json.dumps(found))
"""


def verdicts(paths: list[str]) -> tuple[list[Mutant], dict[str, tuple[str, str]]]:
    """The mutants of the last run, and (removed, added) of each the tests did not notice."""
    script = f"NOTICED = {sorted(NOTICED)!r}\n" + VERDICTS
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"reading mutmut's results failed (is a run still going?):\n{done.stderr[-3000:]}")
    found = json.loads(done.stdout)
    text = "".join(f"    {name}: {status}\n" for name, (status, _) in found.items())
    mutants = parse_results(text, paths)
    return mutants, {name: parse_diff(diff) for name, (status, diff) in found.items() if status not in NOTICED}


def parse_diff(text: str) -> tuple[str, str]:
    """(removed, added) lines of `mutmut show`'s unified diff, each stripped, joined by newlines."""
    removed, added = [], []
    for line in text.splitlines():
        if line.startswith(("---", "+++", "# ")):
            continue
        if line.startswith("-"):
            removed.append(line[1:].strip())
        elif line.startswith("+"):
            added.append(line[1:].strip())
    return "\n".join(removed), "\n".join(added)


def load_equivalents(path: Path = EQUIVALENTS) -> list[Equivalent]:
    entries = tomllib.loads(path.read_text(encoding="utf-8")).get("equivalent", [])
    return [Equivalent(e["module"], e["function"], e["removed"].strip(), e["added"].strip(), e["why"]) for e in entries]


def is_listed(mutant: Mutant, diff: tuple[str, str], equivalents: list[Equivalent]) -> Equivalent | None:
    return next((e for e in equivalents if (e.module, e.function, e.removed, e.added) ==
                 (mutant.module, mutant.function, *diff)), None)


@dataclass(frozen=True)
class Score:
    module: str
    mutants: int
    killed: int
    equivalent: int
    unfinished: int

    @property
    def share(self) -> float:
        counted = self.mutants - self.equivalent
        return self.killed / counted if counted else 1.0

    @property
    def passed(self) -> bool:
        return self.unfinished == 0 and self.share >= TARGET


def score(module: str, mutants: list[Mutant], equivalent_names: set[str]) -> Score:
    mine = [m for m in mutants if m.module == module]
    return Score(module, len(mine), sum(m.status in NOTICED for m in mine),
                 sum(m.name in equivalent_names for m in mine),
                 sum(m.status not in NOTICED | UNNOTICED for m in mine))


def table(scores: list[Score]) -> str:
    rows = ["| module | mutants | killed | survived, not equivalent | equivalent | killed of the non-equivalent |",
            "|---|---:|---:|---:|---:|---:|"]
    for s in scores:
        survived = s.mutants - s.killed - s.equivalent - s.unfinished
        rows.append(f"| {s.module} | {s.mutants} | {s.killed} | {survived} | {s.equivalent} | {s.share:.0%}"
                    f"{'' if s.passed else ' **below ' + format(TARGET, '.0%') + '**'}"
                    f"{f' ({s.unfinished} not run)' if s.unfinished else ''} |")
    return "\n".join(rows)


def to_run(chosen: list[str], last_run: list[Mutant] | None = None, equivalent: AbstractSet[str] = frozenset()) -> list[str]:
    """What to name to mutmut: every mutant of the chosen modules, or of the `last_run`'s, those not killed
    and not listed as equivalent."""
    if last_run is None:
        return [p.removesuffix(".py").replace("/", ".") + ".*" for p in chosen]
    return [m.name for m in last_run if m.module in chosen and m.status not in NOTICED and m.name not in equivalent]


def listed_names(mutants: list[Mutant], diffs: dict[str, tuple[str, str]], equivalents: list[Equivalent]) -> set[str]:
    """The mutants an entry of the equivalents' list matches."""
    return {m.name for m in mutants if m.name in diffs and is_listed(m, diffs[m.name], equivalents)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("modules", nargs="*", help="e.g. core/measures (default: every module in [tool.mutmut])")
    parser.add_argument("--report-only", action="store_true", help="report the last run, run nothing")
    parser.add_argument("--survivors", action="store_true",
                        help="test again only the mutants the last run did not kill (after adding tests: a test "
                             "added cannot bring a killed mutant back)")
    args = parser.parse_args(argv)
    paths = modules()
    chosen = [p for p in paths if not args.modules or any(p.removeprefix("dashboard/").removesuffix(".py") == m.strip("/")
                                                           .removeprefix("dashboard/").removesuffix(".py")
                                                           for m in args.modules)]
    if not chosen:
        parser.error(f"no module named {', '.join(args.modules)}; there are: {', '.join(paths)}")
    if not args.report_only:
        # naming the mutants makes mutmut test each again, rather than keep a verdict from before a test changed
        if args.survivors:
            last, last_diffs = verdicts(paths)
            names = to_run(chosen, last, listed_names(last, last_diffs, load_equivalents()))
        else:
            names = to_run(chosen)
        log = ROOT / "mutants" / "run.log"
        log.parent.mkdir(exist_ok=True)
        # mutmut maps each test to the functions it calls once, then adds only new tests to the map: a test of code
        # that has moved since (a function split or renamed) would never be run against that code's mutants
        (ROOT / "mutants" / "mutmut-stats.json").unlink(missing_ok=True)
        print(f"mutmut 3.8.1 on {', '.join(chosen)}{f' ({len(names)} survivors)' if args.survivors else ''} "
              f"(its output: {log.relative_to(ROOT)})", flush=True)
        with log.open("w", encoding="utf-8") as out:
            done = subprocess.run([sys.executable, "-m", "mutmut", "run", *names],
                                  cwd=ROOT, stdout=out, stderr=subprocess.STDOUT) if names else None
        if done is not None and done.returncode != 0:
            raise SystemExit(f"mutmut run failed (exit {done.returncode}): see {log.relative_to(ROOT)}")
    every, every_diff = verdicts(paths)
    mutants = [m for m in every if m.module in chosen]
    equivalents = load_equivalents()
    diffs = {m.name: every_diff[m.name] for m in mutants if m.name in every_diff}
    listed = {name: is_listed(m, diffs[name], equivalents) for m in mutants if (name := m.name) in diffs}
    equivalent_names = {name for name, entry in listed.items() if entry}
    scores = [score(module, mutants, equivalent_names) for module in chosen]
    print(table(scores))
    counts = Counter(m.status for m in mutants)
    print("\nverdicts: " + ", ".join(f"{n} {status}" for status, n in counts.most_common()))
    used = {id(entry) for entry in listed.values() if entry}
    stale = [e for e in equivalents if e.module in chosen and id(e) not in used]
    for e in stale:
        print(f"\nlisted as equivalent but no surviving mutant matches it (killed now, or the code changed): "
              f"{e.module} {e.function}: {e.removed!r} -> {e.added!r}")
    survivors = [m for m in mutants if m.name in diffs and m.name not in equivalent_names]
    if survivors:
        print(f"\n{len(survivors)} mutants the tests do not notice (a test to write, or an entry in "
              f"{EQUIVALENTS.relative_to(ROOT)} saying why nobody could):")
    for m in survivors:
        removed, added = diffs[m.name]
        print(f"  {m.name} ({m.status})\n    - {removed.replace(chr(10), chr(10) + '    - ')}\n"
              f"    + {added.replace(chr(10), chr(10) + '    + ')}")
    return 0 if all(s.passed for s in scores) else 1


if __name__ == "__main__":
    sys.exit(main())
