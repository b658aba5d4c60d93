"""Anonymous visitors cannot exhaust the server with exports: sizes are capped, identical requests
are answered from the cache, and a flood of distinct ones meets a bounded queue that says how long
to wait, while readers keep being answered. (Readers' speed under a flood is measured in
bench/bench_flood.py, not asserted here.)"""
from __future__ import annotations

import threading
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

import pytest
from web_helpers import make_client, post_callback

from dashboard.export import warm_browser
from dashboard.export.image import ANONYMOUS_MAX_PIXELS, PRESETS, anonymous_limit, make_spec
from dashboard.web.export_panel import download_for
from testkit.dash_wire import DashWire

PASSWORD = "a password so that visitors are not editors"


def download_envelope(wire: DashWire, width: int, height: int, scale: int = 1) -> dict:
    """What the page posts when a visitor clicks Download at this size."""
    return wire.envelope(wire.callback("export-png"), {
        "export-png.n_clicks": 1, "export-width.value": width, "export-height.value": height,
        "export-scale.value": scale, "export-format.value": "png"})


def test_a_visitor_cannot_ask_for_the_largest_export(data_dir):
    client = make_client(data_dir, admin_password=PASSWORD)
    status, text = post_callback(client, "export-png", {"export-png.n_clicks": 1, "export-width.value": 4000,
                                                        "export-height.value": 2500, "export-scale.value": 2,
                                                        "export-format.value": "png"})
    assert status == 200 and "signed-in editors only" in text
    for preset in PRESETS:                                                        # the presets at 2x are fine
        assert anonymous_limit(make_spec(preset=preset, scale=2)) is None
    assert anonymous_limit(make_spec(4000, 2500, 2)) is not None
    assert max(p.width * p.height for p in PRESETS.values()) * 4 == ANONYMOUS_MAX_PIXELS


@pytest.mark.kaleido
def test_identical_exports_are_made_once(data_dir):
    from dashboard.core.dataset import load_dataset
    from dashboard.export.image_cache import ImageCache

    images = ImageCache()
    dataset = load_dataset(data_dir / "membership.csv")
    first, _ = download_for(dataset, None, 800, 450, 1, "png", editor=False, images=images)
    second, _ = download_for(dataset, None, 800, 450, 1, "png", editor=False, images=images)
    assert first == second and images.stats.renders == 1 and images.stats.hits == 1


@pytest.mark.kaleido
def test_a_flood_of_distinct_exports_meets_a_bounded_queue_and_readers_are_still_answered(start_server):
    server = start_server(admin_password=PASSWORD)
    wire = DashWire.over_http(server.server.server_port)
    warm_browser.warm_up()
    bodies = [download_envelope(wire, 700 + n, 400 + n) for n in range(12)]  # 12 distinct images at once
    reader = wire.envelope(wire.callback("party-select"), {
        "party-select.value": ["labour", "snp"], "view-store.data": {"parties": ["labour"]}, "url.search": ""},
        ["party-select.value"])
    reader_statuses: list[int] = []
    stop = threading.Event()

    def read_while_flooded() -> None:
        while not stop.is_set():
            reader_statuses.append(wire.post(reader).status)

    readers = [threading.Thread(target=read_while_flooded) for _ in range(2)]
    for thread in readers:
        thread.start()
    with ThreadPoolExecutor(len(bodies)) as pool:
        answers = list(pool.map(wire.post, bodies))
    stop.set()
    for thread in readers:
        thread.join(60)
    assert [a.status for a in answers] == [200] * len(bodies)                 # no errors
    busy = [a for a in answers if "the server is busy" in a.text]
    made = [a for a in answers if "Made " in a.text]
    assert busy and made and len(busy) + len(made) == len(bodies)
    assert all(int(a.headers["Retry-After"]) >= 1 for a in busy)
    assert reader_statuses and set(reader_statuses) == {200}


def test_a_flood_of_new_anonymous_images_meets_a_small_budget_while_cached_ones_and_pages_are_served(
        start_server, monkeypatch):
    """Six different images asked for at once by visitors: the process's budget for visitors admits
    two (one drawn, one waiting); the others are told at once to come back (429 with Retry-After).
    Meanwhile an image already made and the page are answered: they need no place in the queue."""
    from dashboard.export.queue import ANONYMOUS_CAPACITY
    from dashboard.web import publish

    release, entered = threading.Event(), threading.Semaphore(0)

    def slow_draw(*args, **kwargs) -> bytes:
        entered.release()
        assert release.wait(timeout=120)
        return b"an image"

    server = start_server(admin_password=PASSWORD)
    port = server.server.server_port
    monkeypatch.setattr(publish, "export_image", lambda *args, **kwargs: b"the cached image")

    visitor = DashWire.over_http(port)  # a new connection for each request, as many visitors make them

    def get(path: str) -> tuple[int, dict[str, str]]:
        answer = visitor.get(path)
        return answer.status, dict(answer.headers)

    assert get("/chart.png?parties=labour&title=cached")[0] == 200
    monkeypatch.setattr(publish, "export_image", slow_draw)
    with ThreadPoolExecutor(6) as pool:
        asked = [pool.submit(get, f"/chart.png?parties=labour&title=new+{n}") for n in range(6)]
        for _ in range(ANONYMOUS_CAPACITY):
            assert entered.acquire(timeout=120)           # the admitted ones are being drawn (or waiting)
        pending = set(asked)
        while len(asked) - len(pending) < 6 - ANONYMOUS_CAPACITY:  # the refusals come back at once
            done, pending = wait(pending, timeout=120, return_when=FIRST_COMPLETED)
            assert done, "no answer within two minutes"
        refused = [f.result() for f in asked if f.done()]
        assert [status for status, _ in refused] == [429] * (6 - ANONYMOUS_CAPACITY)
        assert all(int(headers["Retry-After"]) >= 1 for _, headers in refused)
        assert get("/chart.png?parties=labour&title=cached")[0] == 200   # cached: served during the flood
        assert get("/")[0] == 200
        release.set()
        made = [f.result()[0] for f in asked if f.result()[0] != 429]
    assert made == [200] * ANONYMOUS_CAPACITY
