"""A test module imports shared helpers from the helpers modules (helpers.py, updates_helpers.py, web_helpers.py,
testkit), never from another test module: importing one runs its module-level code and ties the two together."""
from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def imported_test_modules(source: str) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
    return {name for name in names if name.split(".")[-1].startswith("test_")}


def test_no_test_module_imports_another():
    found = {str(path.relative_to(TESTS)): sorted(imported_test_modules(path.read_text(encoding="utf-8")))
             for path in sorted(TESTS.rglob("*.py"))}
    assert {path: names for path, names in found.items() if names} == {}


def test_the_check_sees_an_import_from_a_test_module():
    assert imported_test_modules("from test_update_panel import make_client\nimport web.test_access\n"
                                 "from helpers import wait_for_chart\n") == {"test_update_panel", "web.test_access"}
