"""Fixtures for the update tests; the lead's conftest (same `data_dir`) replaces this on merge."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A private copy of data/, so no test can change the real files."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target, ignore=shutil.ignore_patterns(".history", "*.lock"))
    return target
