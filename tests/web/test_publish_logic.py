"""The publishing routes' bodies as plain functions, called without Flask or a browser: what a public image
URL answers when it cannot give the image, and the embed's sizes."""
from __future__ import annotations

from contextlib import contextmanager
from types import SimpleNamespace

import pytest

from dashboard.chart.screen_sizes import EMBED_SIZES
from dashboard.core.dataset import load_dataset
from dashboard.export.image import MAX_SIDE, MIN_SIDE, BrowserMissing, RenderFailed
from dashboard.export.image_cache import ImageCache
from dashboard.export.queue import QueueFull
from dashboard.web import publish
from dashboard.web.publish import Refusal, chart_image, draws_screen_images, embed_size, refused


@pytest.fixture(scope="module")
def dataset():
    return load_dataset()


def never_drawn(*args, **kwargs):
    raise AssertionError("an image was drawn for a request that should have been refused")


def test_a_bad_size_is_400_with_every_problem_and_nothing_is_drawn(dataset, monkeypatch):
    monkeypatch.setattr(publish, "export_image", never_drawn)
    answer = chart_image(dataset, "width=abc&height=10", "png", ImageCache(10**6))
    assert isinstance(answer, Refusal) and answer.status == 400 and answer.retry_after is None
    assert answer.text == (f"Width must be a whole number, not 'abc'; height must be between {MIN_SIDE} and {MAX_SIDE} "
                           "pixels, not 10.")


def test_a_size_only_editors_may_have_made_is_400_on_the_public_url(dataset, monkeypatch):
    monkeypatch.setattr(publish, "export_image", never_drawn)
    answer = chart_image(dataset, "width=3000&height=3000&scale=2", "png", ImageCache(10**6))
    assert isinstance(answer, Refusal) and answer.status == 400 and "signed-in editors only" in answer.text


def test_a_full_queue_is_429_saying_when_to_retry(dataset, monkeypatch):
    class Full:
        @contextmanager
        def slot(self):
            raise QueueFull(retry_after=4, waiting=2)
            yield

    monkeypatch.setattr(publish, "anonymous_queue", Full)
    monkeypatch.setattr(publish, "export_image", never_drawn)
    answer = chart_image(dataset, "", "png", ImageCache(10**6))
    assert answer == Refusal(429, "The server is busy making 2 other images: try again in 4 s.", 4)
    response = refused(answer)
    assert (response.status_code, response.headers["Retry-After"]) == (429, "4")
    assert response.get_data(as_text=True) == "The server is busy making 2 other images: try again in 4 s.\n"


@pytest.mark.parametrize("error, status, retry_after", [(RenderFailed("it broke"), 503, 10),
                                                        (BrowserMissing("no chromium"), 503, None)])
def test_a_render_that_fails_is_503_and_is_not_cached(dataset, monkeypatch, error, status, retry_after):
    def failing(*args, **kwargs):
        raise error

    monkeypatch.setattr(publish, "export_image", failing)
    images = ImageCache(10**6)
    answer = chart_image(dataset, "", "svg", images)
    assert isinstance(answer, Refusal) and (answer.status, answer.retry_after) == (status, retry_after)
    assert str(error) in answer.text
    assert refused(answer).headers.get("Retry-After") == (None if retry_after is None else str(retry_after))
    monkeypatch.setattr(publish, "export_image", lambda *args: b"<svg/>")
    assert chart_image(dataset, "", "svg", images).data == b"<svg/>"  # the failure was not kept


def test_the_embeds_figures_come_only_at_the_embeds_own_widths():
    assert embed_size(str(EMBED_SIZES[0].width)) == EMBED_SIZES[0]
    answer = embed_size("999")
    assert isinstance(answer, Refusal) and answer.status == 400
    assert answer.text == f"width must be one of {', '.join(str(s.width) for s in EMBED_SIZES)}."


def test_the_embed_points_at_screen_images_unless_the_server_knows_it_has_no_browser():
    assert draws_screen_images(None)
    assert draws_screen_images(SimpleNamespace(images=SimpleNamespace(browser=None)))
    assert not draws_screen_images(SimpleNamespace(images=SimpleNamespace(browser=False)))
