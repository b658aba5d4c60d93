"""Tests that cannot flake: what a callback, the network or a timer sets is asserted through Playwright's
expect(...) (or a wait for exactly that state), which retries until it holds. A bare read right after
an action sees the page as it was a moment before, and passes or fails with the machine's load; a sleep
is a guess at how long something takes. These rules are read from the tests' own text."""
from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent
# Locator methods that answer at once, never waiting for the state they report.
INSTANT_STATE = {"is_enabled", "is_disabled", "is_visible", "is_hidden", "is_checked", "is_editable"}
# Reads of the page that, inside an assert, claim what the page shows now: expect(...) says it instead.
INSTANT_READS = INSTANT_STATE | {"inner_text", "text_content", "input_value", "get_attribute", "all_inner_texts",
                                 "all_text_contents", "inner_html"}
NOT_A_WAIT = "# not a wait"  # a sleep that is not waiting for anything (a random moment to kill a process at)
CLOCKS = {"time.time", "time.monotonic", "time.perf_counter", "time.process_time"}


def method_calls(node: ast.AST) -> list[tuple[ast.Call, str, str]]:
    """(call, method name, what it is called on) for every `x.method(...)` in node."""
    return [(n, n.func.attr, ast.unparse(n.func.value)) for n in ast.walk(node)
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)]


def offences(source: str, browser: bool) -> list[str]:
    """'line: what is wrong' for each bare read of page state (in a browser test) and each sleep."""
    lines = source.splitlines()
    tree = ast.parse(source)
    found = []
    for call, name, receiver in method_calls(tree):
        if name in INSTANT_STATE:
            found.append(f"{call.lineno}: .{name}() answers at once: use expect(locator).to_be_...()")
        if (name == "wait_for_timeout" or (name == "sleep" and receiver == "time")) and \
                NOT_A_WAIT not in lines[call.lineno - 1]:
            found.append(f"{call.lineno}: {receiver}.{name}() is a guess: wait for the state itself")
    for statement in (n for n in ast.walk(tree) if isinstance(n, ast.Assert)):
        if any(f"{receiver}.{name}" in CLOCKS for _, name, receiver in method_calls(statement.test)):
            found.append(f"{statement.lineno}: a timed assertion: bench/ measures speed, a test pins a bound it can count")
    if browser:
        for statement in (n for n in ast.walk(tree) if isinstance(n, ast.Assert)):
            for _, name, receiver in method_calls(statement.test):
                if name in INSTANT_READS - INSTANT_STATE or (name == "count" and "locator" in receiver):
                    found.append(f"{statement.lineno}: assert on .{name}(): use expect(...) on the locator")
    return found


def offences_in(paths: list[Path], browser: bool) -> list[str]:
    return [f"{path.relative_to(TESTS)}:{offence}" for path in paths
            for offence in offences(path.read_text(encoding="utf-8"), browser)]


def test_no_browser_test_asserts_page_state_without_waiting_for_it():
    assert offences_in(sorted((TESTS / "browser").glob("test_*.py")), browser=True) == []


def test_no_test_sleeps_to_wait_for_something_or_times_itself():
    others = sorted(p for p in TESTS.rglob("test_*.py") if "browser" not in p.parts)
    assert offences_in(others, browser=False) == []


def test_the_rules_find_the_read_that_flaked_on_a_bare_debian():
    """The checks above can fail: the flaky way to write a browser test is found, line by line."""
    flaky = ("import time\n"
             "def test_x(page):\n"
             "    page.locator('#box').check()\n"
             "    assert page.locator('#apply').is_enabled()\n"
             "    assert 'x' in page.locator('#status').inner_text()\n"
             "    assert page.locator('tr').count() == 1\n"
             "    time.sleep(1)\n"
             "    time.sleep(0.1)  # not a wait: a random moment\n"
             "    page.wait_for_timeout(500)\n"
             "    assert time.perf_counter() - started < 5\n")
    found = offences(flaky, browser=True)
    assert sorted(int(line.split(":")[0]) for line in found) == [4, 5, 6, 7, 9, 10], found
    assert sorted(int(line.split(":")[0]) for line in offences(flaky, browser=False)) == [4, 7, 9, 10]
    steady = ("from playwright.sync_api import expect\n"
              "def test_x(page):\n"
              "    page.locator('#box').check()\n"
              "    expect(page.locator('#apply')).to_be_enabled()\n"
              "    assert 'x'.count('x') == 1\n")
    assert offences(steady, browser=True) == []
