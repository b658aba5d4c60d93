"""The chart image's stable URL: `/chart.png?<the view's query>&preset=blog&scale=2&credit=...`.

The query is the page's shareable view plus the Export panel's size and credit, read with the same
parser and checked with the same bounds as the panel, so the URL gives the panel's file byte for
byte. The canonical key names the image, whatever order or spelling of defaults the URL used.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode

from dashboard.core.dataset import Dataset
from dashboard.core.marks import read_marks, read_periods
from dashboard.core.problems import control_character
from dashboard.core.view import MAX_TEXT, View, resolve, view_from_query, view_to_query
from dashboard.export.image import DEFAULT_PRESET, PRESETS, ExportSpec, SpecError, make_spec

IMAGE_PARAMS = ("preset", "width", "height", "scale", "credit")
TEXT_PARAMS = ("title", "subtitle", "note", "credit")
MAX_QUERY = 4000  # characters: four texts at their limit, percent-encoded, and the view fit well within
PREVIEW_SIZE = (PRESETS["social"].width, PRESETS["social"].height)  # what Open Graph and Twitter cards show (1.91:1)


@dataclass(frozen=True)
class ImageRequest:
    view: View  # resolved
    spec: ExportSpec
    credit: str

    @property
    def key(self) -> str:
        """The same image, however the URL spelled it: the resolved view and the exact spec."""
        return image_query(self.view, self.spec, self.credit)


def image_request(query: str, fmt: str, dataset: Dataset) -> ImageRequest:
    """What `/chart.<fmt>?<query>` asks for; SpecError lists every problem (sizes and texts as
    the panel checks them), so a bad URL gets a message, never a default image."""
    query = query.lstrip("?")
    if len(query) > MAX_QUERY:
        raise SpecError([f"the query is {len(query)} characters long; at most {MAX_QUERY}"])
    lists = parse_qs(query, keep_blank_values=True)
    params = {k: v[-1] for k, v in lists.items()}
    problems = []
    # a note or period that cannot be read is refused, as a text is: an image cannot say what it left out
    problems += [p.rstrip(".").replace(": set aside", "") for p in read_marks(lists.get("mark", []))[1]]
    problems += [p.rstrip(".").replace(": set aside", "") for p in read_periods(lists.get("highlight", []))[1]]
    for name in TEXT_PARAMS:
        text = params.get(name, "")
        if len(text) > MAX_TEXT:
            problems.append(f"{name} is {len(text)} characters long; at most {MAX_TEXT}")
        problem = control_character(text)  # C0/C1 controls and bidi overrides, as uploads refuse them
        if problem:
            problems.append(f"{name} {problem}")
    preset = params.get("preset") or (None if ("width" in params or "height" in params) else DEFAULT_PRESET)
    try:
        spec = make_spec(params.get("width"), params.get("height"), params.get("scale", 2), fmt, preset)
    except SpecError as error:
        problems.extend(error.messages)
    if problems:
        raise SpecError(problems)
    view = resolve(view_from_query(query), dataset)
    return ImageRequest(view, spec, params.get("credit", "").strip())


def image_query(view: View, spec: ExportSpec, credit: str = "") -> str:
    """The query string of the image URL for a resolved view and spec ("?..."): the view's own
    query, then the size as a preset when it is one (shorter, and legible in a blog's source)."""
    params: dict[str, str] = {}
    preset = next((p.key for p in PRESETS.values() if (p.width, p.height) == (spec.width, spec.height)), None)
    if preset:
        params["preset"] = preset
    else:
        params["width"], params["height"] = str(spec.width), str(spec.height)
    if spec.format == "png":
        params["scale"] = str(spec.scale)
    if credit:
        params["credit"] = credit
    # the view's own query as the page writes it (commas kept, marks repeated), then the image's settings
    return "?" + "&".join(part for part in (view_to_query(view).lstrip("?"), urlencode(params, safe=",")) if part)


def image_path(view: View, spec: ExportSpec, credit: str = "") -> str:
    """`/chart.png?...` (relative to the dashboard's root) for a resolved view and spec."""
    return f"chart.{spec.format}" + image_query(view, spec, credit)


def preview_image_path(view: View) -> str:
    """The link-preview image of a view: 1200×630 at 1×, the size social sites show."""
    width, height = PREVIEW_SIZE
    return image_path(view, ExportSpec(width, height, 1, "png"))

