"""What `membership serve` loads before its first page is served: no library that only an export,
an upload, a write or the dark chart page needs (each is imported where it is first used)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import HANG_SECONDS

ROOT = Path(__file__).resolve().parents[2]
# kaleido and choreographer make images; openpyxl reads and writes Excel files; filelock guards a write;
# coloraide works out colours the bundled parties do not need worked out
LOADED_ONLY_WHEN_USED = ("kaleido", "choreographer", "openpyxl", "filelock", "coloraide")

FIRST_PAGE = """
import json, sys
from pathlib import Path
from dashboard.cli.main import build_parser
build_parser()  # the modules the command loads before it serves
from dashboard.config import Settings
from dashboard.web.app import create_app
app = create_app(Settings(data_path=Path(sys.argv[1])))
client = app.server.test_client()
statuses = [client.get(path).status_code for path in ("/", "/_dash-layout", "/_dash-dependencies")]
print(json.dumps({"statuses": statuses, "loaded": sorted({name.split(".")[0] for name in sys.modules})}))
"""


@pytest.mark.process
def test_the_first_page_is_served_without_export_upload_or_colour_libraries(data_dir):
    done = subprocess.run([sys.executable, "-c", FIRST_PAGE, str(data_dir / "membership.csv")], cwd=ROOT,
                          capture_output=True, text=True, timeout=HANG_SECONDS, check=True)
    result = json.loads(done.stdout.splitlines()[-1])
    assert result["statuses"] == [200, 200, 200]
    assert "dash" in result["loaded"] and "pandas" in result["loaded"]  # the check sees what is loaded
    assert [name for name in LOADED_ONLY_WHEN_USED if name in result["loaded"]] == []
