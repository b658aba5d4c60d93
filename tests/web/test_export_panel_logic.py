"""The Export panel's callbacks as plain functions, called without a Dash app or a browser: the size boxes and
presets, when the panel answers at all, what it answers, and what the writer is told when no file is made."""
from __future__ import annotations

import pytest

from dashboard.config import Settings
from dashboard.core.dataset import load_dataset
from dashboard.core.memo import ResultCache
from dashboard.core.view import View, view_to_dict
from dashboard.export.image import PRESETS, BrowserMissing, RenderFailed
from dashboard.export.queue import QueueFull
from dashboard.web import export_panel, ids
from dashboard.web.export_panel import (
    ALL_FIELDS,
    NO_BROWSER,
    Fields,
    followed_state,
    made_file,
    needs_answer,
    synced_size,
)

SETTINGS = Settings(public_url="https://charts.example.org")  # published links without a request's Host
PRESET, WIDTH, HEIGHT = (ids.EXPORT_PRESET, "value"), (ids.EXPORT_WIDTH, "value"), (ids.EXPORT_HEIGHT, "value")
IN_VIEW = f"{ids.EXPORT_IN_VIEW}.data"


@pytest.fixture(scope="module")
def dataset():
    return load_dataset()


def fields(**given) -> Fields:
    values = {"stored": view_to_dict(View(parties=("labour",))), "width": 1200, "height": 675, "scale": 1, "fmt": "png",
              "title": "", "subtitle": "", "note": "", "credit": ""}
    return Fields(**{**values, **given})


def test_a_preset_fills_in_its_size_and_an_unknown_one_changes_nothing():
    square = PRESETS["square"]
    assert synced_size(ids.EXPORT_PRESET, "square", 1, 1) == {WIDTH: square.width, HEIGHT: square.height}
    assert synced_size(ids.EXPORT_PRESET, "custom", 1, 1) is None


def test_typing_a_size_selects_the_preset_it_matches_else_custom():
    wide = PRESETS["wide"]
    assert synced_size(ids.EXPORT_WIDTH, "blog", wide.width, wide.height) == {PRESET: "wide"}
    assert synced_size(ids.EXPORT_HEIGHT, "blog", 1000, 777) == {PRESET: "custom"}
    assert synced_size(ids.EXPORT_HEIGHT, "custom", 1000, 777) == {}  # already Custom: nothing to send


def test_the_panel_answers_a_field_or_coming_on_screen_but_not_its_first_state_or_going_off_screen():
    assert not needs_answer(set(ALL_FIELDS) | {f"{ids.EXPORT_VIEW}.data"}, in_view=True)
    assert not needs_answer({IN_VIEW}, in_view=False)
    assert needs_answer({IN_VIEW}, in_view=True)
    assert needs_answer({f"{ids.EXPORT_TITLE}.value"}, in_view=False)


def test_off_screen_the_panel_follows_the_view_without_drawing_its_preview(dataset):
    off = followed_state(SETTINGS, "/", dataset, ResultCache(), fields(), in_view=False, chart_config_now=None)
    on = followed_state(SETTINGS, "/", dataset, ResultCache(), fields(), in_view=True, chart_config_now=None)
    assert (ids.EXPORT_PREVIEW, "figure") not in off and (ids.EXPORT_PREVIEW, "figure") in on
    assert off[(ids.EXPORT_ALT, "value")] == on[(ids.EXPORT_ALT, "value")] != ""
    assert off[(ids.EXPORT_IMAGE_URL, "value")].startswith("https://charts.example.org/chart.png?")


def test_the_charts_config_is_sent_only_when_it_changes(dataset):
    states: ResultCache[dict] = ResultCache()
    first = followed_state(SETTINGS, "/", dataset, states, fields(), in_view=False, chart_config_now=None)
    config = first[(ids.CHART, "config")]
    again = followed_state(SETTINGS, "/", dataset, states, fields(), in_view=False, chart_config_now=config)
    assert (ids.CHART, "config") not in again
    assert followed_state(SETTINGS, "/", dataset, states, fields(width=1000), in_view=False,
                          chart_config_now=config)[(ids.CHART, "config")] != config


def test_an_emptied_size_box_disables_download_and_blanks_the_image_link(dataset):
    state = followed_state(SETTINGS, "/", dataset, ResultCache(), fields(width=None), in_view=True, chart_config_now=None)
    assert state[(ids.EXPORT_PNG, "disabled")] is True
    assert state[(ids.EXPORT_MESSAGE, "children")] == "Width is empty: type a number of pixels."
    assert state[(ids.EXPORT_IMAGE_URL, "value")] == "" and state[(ids.EXPORT_EMBED_CODE, "value")]


def test_a_visitor_asking_for_a_size_only_editors_may_have_made_is_told_why_and_gets_no_file(dataset):
    made = made_file(dataset, fields(width=3000, height=3000, scale=2), editor=False, images=None)
    assert made.data is None and "signed-in editors only" in str(made.message)


@pytest.mark.parametrize("error, words, retry_after", [
    (QueueFull(7, 3), "Not made: the server is busy making 3 other images: try again in 7 s. Meanwhile", 7),
    (RenderFailed("it broke"), "Could not make the file: it broke. Try again", None),
    (BrowserMissing("no chromium"), None, None),
])
def test_a_file_that_cannot_be_made_is_a_message_and_a_full_queue_says_when_to_retry(dataset, monkeypatch, error, words,
                                                                                     retry_after):
    def failing(*args, **kwargs):
        raise error

    monkeypatch.setattr(export_panel, "download_for", failing)
    made = made_file(dataset, fields(), editor=True, images=None)
    assert made.data is None and made.retry_after == retry_after
    assert made.message == NO_BROWSER if words is None else str(made.message).startswith(words)


def test_a_made_file_is_named_for_its_view_and_said_to_be_made(dataset, monkeypatch):
    monkeypatch.setattr(export_panel, "download_for", lambda *args, **kwargs: (b"PNG", "labour-membership.png"))
    made = made_file(dataset, fields(), editor=True, images=None)
    assert (made.data, made.name, made.message, made.retry_after) == (b"PNG", "labour-membership.png",
                                                                      "Made labour-membership.png.", None)
