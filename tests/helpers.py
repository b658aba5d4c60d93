"""Small helpers shared by the browser tests and the tests that read an exported image."""
from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from contextlib import contextmanager
from pathlib import Path

import pytest

CHART = "#membership-chart .js-plotly-plot"
# How long a command, a server's start or its stop may take before a test calls it hung. A guard, not a speed
# check: on a machine at a load of 20, `membership serve` took over 60 s to refuse a broken file (9 s at rest).
HANG_SECONDS = 240


def wait_for_chart(page) -> None:
    """The chart drawn, and what the page puts under it once it is (the table of figures)."""
    page.wait_for_selector(f"{CHART} .main-svg")
    page.wait_for_selector("#figures-table caption")  # a view with no figures has an empty table
    page.wait_for_function("() => !document.querySelector('[data-dash-is-loading]')")


def show_export_preview(page) -> None:
    """Scroll to the Export panel, as a reader does, and wait for its preview: the server draws it
    only once the panel is on screen (assets/export_preview.js)."""
    page.wait_for_selector("#export-preview-frame")
    page.locator("#export-preview-frame").scroll_into_view_if_needed()
    page.wait_for_function("() => (document.querySelector('#export-preview .js-plotly-plot') || {}).data?.length > 0")
    page.wait_for_function("() => !document.querySelector('[data-dash-is-loading]')")


def plotted_traces(page) -> list[dict]:
    """The traces as plotly drew them in the page: name, x, y, mode, the ISO date of each point
    (customdata) and what the trace is (meta: party and kind, "year-end", "dated", "legend", ...)."""
    return page.evaluate(
        f"""() => document.querySelector('{CHART}').data.map(t => ({{
            name: t.name, x: Array.from(t.x), y: Array.from(t.y), mode: t.mode, customdata: t.customdata || null,
            meta: t.meta || null
        }}))"""
    )


def party_trace(page, party: str, kind: str = "year-end") -> dict | None:
    return next((t for t in plotted_traces(page) if (t["meta"] or {}).get("party") == party
                 and t["meta"].get("kind") == kind), None)


def js_party_trace(party: str, kind: str = "year-end") -> str:
    """A JavaScript expression for the drawn trace of a party (for page.wait_for_function)."""
    return (f"(document.querySelector('{CHART}').data.find(t => t.meta && t.meta.party === '{party}' "
            f"&& t.meta.kind === '{kind}'))")


def trace_named(page, name: str) -> dict | None:
    return next((t for t in plotted_traces(page) if t["name"] == name), None)


def save_screenshot(page, name: str) -> None:
    """Screenshots go to test-results/ on every run, and into docs/ (the README's pictures) when
    UPDATE_DOCS_SCREENSHOTS=1, so an ordinary test run leaves the repository unchanged."""
    import os
    import shutil
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    results = root / "test-results"
    results.mkdir(exist_ok=True)
    page.screenshot(path=str(results / name), full_page=False)
    if os.environ.get("UPDATE_DOCS_SCREENSHOTS") == "1":
        (root / "docs").mkdir(exist_ok=True)
        shutil.copyfile(results / name, root / "docs" / name)


def poll_until(check, seconds: float, what: str):
    """The first truthy answer of check(), asked again every 0.3 s for up to `seconds`: for state outside
    a browser that nothing announces (a server up, a log line written). Fails naming `what` it waited for."""
    import time

    deadline = time.monotonic() + seconds
    while True:
        answer = check()
        if answer:
            return answer
        if time.monotonic() > deadline:
            pytest.fail(f"waited {seconds:.0f} s for {what}")
        time.sleep(0.3)  # the pace of asking again, not a guess at how long anything takes


def get_when_serving(url: str, process, seconds: float = 90, what: str = "the server") -> bytes:
    """The body of `url` once the server started as `process` answers it (a loaded machine starts a
    server slowly). Fails with the server's own words when it exits first."""
    import urllib.request

    def answer() -> bytes | None:
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                return response.read()
        except OSError:
            if process.poll() is not None:
                _, err = process.communicate(timeout=30)
                said = err.decode(errors="replace") if isinstance(err, bytes) else (err or "")
                pytest.fail(f"{what} exited before answering {url}: {said[-2000:]}")
            return None

    try:
        return poll_until(answer, seconds, f"{what} to answer {url}")
    except BaseException:
        if process.poll() is None:
            process.kill()
        raise


@contextmanager
def read_only_folder(folder: Path):
    """A folder nobody can write to, root included (chattr +i on ext4), else skip."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)
        return
    chattr = shutil.which("chattr")
    if not chattr or subprocess.run([chattr, "+i", str(folder)], capture_output=True).returncode != 0:
        pytest.skip("this filesystem cannot make a folder read-only for root (chattr +i)")
    try:
        yield
    finally:
        subprocess.run([chattr, "-i", str(folder)], check=True)


MEASURE_KINDS = ("year-end", "rises", "falls", "index")


def drawn_values(page) -> dict[str, dict[int, float]]:
    """{party: {year: value}} of the year-end line, the change bars or the index line as the page's
    chart drew them (a party's rises and falls are two traces); gaps (None) left out."""
    values: dict[str, dict[int, float]] = {}
    for trace in plotted_traces(page):
        meta = trace["meta"] or {}
        if meta.get("kind") in MEASURE_KINDS:
            points = values.setdefault(meta["party"], {})
            points.update({int(x): float(y) for x, y in zip(trace["x"], trace["y"]) if y is not None and x is not None})
    return values


def expect_js(page, function: str, expected, arg=None) -> None:
    """What expect(...) does for the DOM, for state only JavaScript can read (a drawn trace, a layout):
    wait until `function`(arg) equals `expected` (compared as JSON), else fail with the value it had."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    value = f"(arg) => {{ try {{ return ({function})(arg); }} catch (error) {{ return 'threw ' + error; }} }}"
    try:
        page.wait_for_function(f"([expected, arg]) => JSON.stringify(({value})(arg)) === JSON.stringify(expected)",
                               arg=[expected, arg])
    except PlaywrightTimeout:
        raise AssertionError(f"{function} is {page.evaluate(value, arg)!r}, expected {expected!r}") from None


BLOG_COLUMN = 700  # px: how wide a blog column shows an exported image


def ocr(png: bytes, width: int) -> str:
    """What Tesseract reads in the PNG scaled to `width` pixels, as a blog column shows it."""
    from PIL import Image

    if shutil.which("tesseract") is None:
        message = "tesseract not found: install it with `apt-get install tesseract-ocr` (manage.sh does)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    picture = Image.open(io.BytesIO(png)).convert("RGB")
    picture = picture.resize((width, round(picture.height * width / picture.width)), Image.LANCZOS)
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    result = subprocess.run(["tesseract", "stdin", "stdout", "--psm", "3"], input=buffer.getvalue(),
                            capture_output=True, timeout=HANG_SECONDS, check=True)
    return re.sub(r"\s+", " ", result.stdout.decode())
