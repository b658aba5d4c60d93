"""The folders are the layers: the contracts in pyproject.toml hold, checked by import-linter."""
from __future__ import annotations

import re
from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parents[1]


def test_every_layer_contract_in_pyproject_is_kept():
    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True) == 0


def test_core_text_names_no_dash_flask_or_kaleido_import_even_inside_a_function():
    # import-linter sees imports made inside functions too; this also catches importlib tricks in the text
    pattern = re.compile(r"^\s*(import|from)\s+(dash|flask|kaleido|choreographer|werkzeug)\b", re.M)
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "dashboard" / "core").rglob("*.py")
                 if pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []
