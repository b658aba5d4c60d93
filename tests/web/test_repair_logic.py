"""The repair page's upload as a plain function, called without a Dash app: what the editor reads for a
damaged upload, a copy that does not validate, and one that does."""
from __future__ import annotations

import base64

from web_helpers import BROKEN, break_file

from dashboard.core.dataset import BUNDLED_DATA_PATH
from dashboard.updates.store import Store
from dashboard.web.repair import corrected


def data_url(content: bytes) -> str:
    return "data:text/csv;base64," + base64.b64encode(content).decode()


def texts(component) -> list[str]:
    """Every text in a component tree, in order."""
    children = getattr(component, "children", component)
    if isinstance(children, str):
        return [children]
    return [t for child in (children if isinstance(children, list) else [children]) for t in texts(child)]


def unread():
    raise AssertionError("the data was read again after a refused upload")


def test_a_damaged_upload_is_a_message_and_the_broken_file_stays(data_dir):
    path = data_dir / "membership.csv"
    break_file(path)
    before = path.read_bytes()
    shown, reload_hidden = corrected(Store(path), unread, "no comma here", "m.csv", 10**6, "tester")
    assert texts(shown) == ["The upload arrived empty or damaged: choose the file again."] and reload_hidden
    assert path.read_bytes() == before


def test_a_copy_that_does_not_validate_lists_its_located_problems(data_dir):
    path = data_dir / "membership.csv"
    break_file(path)
    still_broken = BUNDLED_DATA_PATH.read_bytes() + b"labour,notayear,1,,,,,\n"
    shown, reload_hidden = corrected(Store(path), unread, data_url(still_broken), "fix.csv", 10**6, "tester")
    words = texts(shown)
    assert reload_hidden and words[0].startswith("Nothing was changed: fix.csv has ") and "'notayear'" in " ".join(words)
    assert BROKEN.encode() in path.read_bytes()


def test_a_copy_that_validates_replaces_the_file_and_offers_the_reload(data_dir):
    path = data_dir / "membership.csv"
    break_file(path)
    reads = []
    good = BUNDLED_DATA_PATH.read_bytes()
    shown, reload_hidden = corrected(Store(path), lambda: reads.append(1), data_url(good), "good.csv", 10**6, "tester")
    assert texts(shown) == ["Replaced the broken data file with good.csv (change #1): the dashboard is back."]
    assert not reload_hidden and reads == [1] and path.read_bytes() == good
