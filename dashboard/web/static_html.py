"""A Dash component tree as plain HTML, for the page's first response: a reader sees the page (the
chart as an image, the latest figures, the table) before any script has run, or without scripts.

The tree is the one Dash renders later (layout.page), so both are the same page: the same elements
and classes, laid out by the same CSS, and nothing moves when the live page takes this one's place.
html.* components become their elements. A dcc component becomes what it shows at rest: the chart
the image the caller draws, the party picker its chosen names on a button, the slider its track,
an input its value (read only), radio items and checklists their boxes; stores and the location
nothing. Every text and attribute is escaped.

Ids are prefixed with ID_PREFIX: the live page, rendered by Dash into the same document, has the
real ones. A stand-in for something a reader can use carries `data-live`, the CSS selector of the
live element it stands for, so a click on it can be handed on once the live page is there
(web/boot/boot.js).
"""
from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

ID_PREFIX = "fp-"
VOID = frozenset({"area", "br", "col", "hr", "img", "input", "source", "wbr"})
# React prop names that are not the HTML attribute's name
RENAMED = {"className": "class", "htmlFor": "for", "colSpan": "colspan", "rowSpan": "rowspan", "readOnly": "readonly",
           "tabIndex": "tabindex", "maxLength": "maxlength", "autoComplete": "autocomplete", "inputMode": "inputmode",
           "accessKey": "accesskey", "contentEditable": "contenteditable", "spellCheck": "spellcheck"}
NOT_ATTRIBUTES = frozenset({"children", "style", "n_clicks", "n_clicks_timestamp", "disable_n_clicks", "loading_state",
                            "key", "setProps"})
ID_REFERENCES = frozenset({"id", "htmlFor", "aria-describedby", "aria-labelledby", "aria-controls", "aria-owns",
                           "list", "form"})
BOOLEAN = frozenset({"hidden", "disabled", "readOnly", "open", "checked", "multiple", "required", "selected"})
# CSS properties whose numbers have no unit (React adds "px" to every other number)
UNITLESS = frozenset({"flex", "flexGrow", "flexShrink", "fontWeight", "lineHeight", "opacity", "order", "zIndex",
                      "zoom", "gridRow", "gridColumn"})

StandIn = Callable[[dict[str, Any], "Renderer"], str]


def live_id(component_id: str) -> str:
    """The stand-in's id for a live component's id."""
    return ID_PREFIX + component_id


def kebab(name: str) -> str:
    return re.sub(r"[A-Z]", lambda m: "-" + m.group(0).lower(), name)


def style_text(style: dict[str, Any]) -> str:
    parts = []
    for name, value in style.items():
        if value is None:
            continue
        text = f"{value}px" if isinstance(value, int | float) and not isinstance(value, bool) and name not in UNITLESS \
            else str(value)
        parts.append(f"{kebab(name)}:{text}")
    return ";".join(parts)


class Renderer:
    """Renders a tree; `stand_ins` maps a dcc component's type name to its HTML (see DCC_STAND_INS)."""

    def __init__(self, stand_ins: dict[str, StandIn], after: dict[str, str] | None = None):
        self.stand_ins = stand_ins
        self.after = after or {}  # {component id: HTML put at the end of its element}

    def render(self, node: Any) -> str:
        if node is None or isinstance(node, bool):
            return ""
        if isinstance(node, str | int | float):
            return html.escape(str(node), quote=False)
        if isinstance(node, list | tuple):
            return "".join(self.render(child) for child in node)
        described = node.to_plotly_json()
        props = {k: v for k, v in described["props"].items() if v is not None}
        kind, namespace = described["type"], described["namespace"]
        if namespace == "dash_html_components":
            if kind == "Button" and "id" in props:  # a click on it before the live page is there is handed on
                props["data-live"] = f"#{props['id']}"
            inner = self.render(props.get("children")) + self.after.get(props.get("id", ""), "")
            return self.element(kind.lower(), props, inner)
        stand_in = self.stand_ins.get(kind)
        if stand_in is None:
            raise LookupError(f"no plain-HTML stand-in for {namespace}.{kind}: add one to the first-paint page")
        return stand_in(props, self)

    def element(self, tag: str, props: dict[str, Any], inner: str = "") -> str:
        open_tag = f"<{tag}{attributes(props)}>"
        return open_tag if tag in VOID else f"{open_tag}{inner}</{tag}>"


def attributes(props: dict[str, Any]) -> str:
    """The props as HTML attributes: ids prefixed, booleans bare, every value escaped."""
    out = []
    for name, value in props.items():
        if name in NOT_ATTRIBUTES or value is None or value is False:
            continue
        if name in ID_REFERENCES:
            value = " ".join(live_id(part) for part in str(value).split())
        attribute = RENAMED.get(name, name)
        if name in BOOLEAN or value is True and not attribute.startswith(("aria-", "data-")):
            if value:
                out.append(f" {attribute}")
            continue
        if isinstance(value, bool):
            value = "true" if value else "false"
        out.append(f' {attribute}="{html.escape(str(value))}"')
    if props.get("style"):
        out.append(f' style="{html.escape(style_text(props["style"]))}"')
    return "".join(out)


def _nothing(_props: dict[str, Any], _renderer: Renderer) -> str:
    return ""


def _label_text(option: dict[str, Any]) -> str:
    label = option.get("label", option.get("value"))
    return label if isinstance(label, str) else str(option.get("value"))


def _options(props: dict[str, Any]) -> list[dict[str, Any]]:
    return [o if isinstance(o, dict) else {"label": str(o), "value": o} for o in props.get("options") or []]


def choices(props: dict[str, Any], kind: str) -> str:
    """RadioItems / Checklist: Dash 4's own markup for them, with static boxes."""
    component_id = props["id"]
    chosen = props.get("value")
    chosen = set(chosen) if isinstance(chosen, list) else {chosen}
    input_type = "radio" if kind == "radioitems" else "checkbox"
    inline = f" dash-{kind}-inline" if props.get("inline") else ""
    items = []
    for i, option in enumerate(_options(props)):
        value = option.get("value")
        on = value in chosen
        selector = f'#{component_id} input[value="{value}"]'
        box = (f'<input type="{input_type}" name="{html.escape(live_id(component_id))}" '
               f'class="dash-options-list-option-checkbox" value="{html.escape(str(value))}"'
               f'{" checked" if on else ""}{" disabled" if option.get("disabled") else ""}'
               f' data-live="{html.escape(selector)}">')
        items.append(f'<label class="dash-options-list-option{" selected" if on else ""}{inline}" data-option-index="{i}">'
                     f'<span class="dash-options-list-option-wrapper">{box}</span>'
                     f'<span class="dash-options-list-option-text"><span>{html.escape(_label_text(option))}</span></span>'
                     "</label>")
    classes = f"dash-options-list dash-{kind} {props.get('className', '')}".strip()
    return f'<div id="{html.escape(live_id(component_id))}" class="{html.escape(classes)}">{"".join(items)}</div>'


CHEVRON = ('<svg width="15" height="15" viewBox="0 0 15 15" aria-hidden="true" class="dash-dropdown-trigger-icon">'
           '<path d="M4.2 6.2a.5.5 0 0 1 .6 0l2.7 2.7 2.7-2.7a.5.5 0 1 1 .6.6l-3 3a.5.5 0 0 1-.6 0l-3-3a.5.5 0 0 1 0-.6Z" '
           'fill="currentColor"/></svg>')


def dropdown(props: dict[str, Any], _renderer: Renderer) -> str:
    """The picker as Dash 4 draws it closed: a button with the chosen names."""
    component_id = props["id"]
    values = props.get("value")
    values = values if isinstance(values, list) else [values] if values is not None else []
    labels = {o.get("value"): _label_text(o) for o in _options(props)}
    items = "".join(f'<span class="dash-dropdown-value-item"><span>{html.escape(labels.get(v, str(v)))}</span></span>'
                    for v in values)
    value = (f'<span class="dash-dropdown-value">{items}</span>' if items else
             f'<span class="dash-dropdown-value dash-dropdown-placeholder">{html.escape(props.get("placeholder", ""))}</span>')
    return (f'<div class="dash-dropdown-wrapper"><button id="{html.escape(live_id(component_id))}" type="button" '
            f'class="dash-dropdown" aria-haspopup="dialog" aria-expanded="false" data-live="#{html.escape(component_id)}">'
            f'<span class="dash-dropdown-grid-container dash-dropdown-trigger">{value}{CHEVRON}</span></button></div>')


SLIDER_THUMB = 16  # px: Dash's --radix-slider-thumb-width


def range_slider(props: dict[str, Any], _renderer: Renderer) -> str:
    """The slider's track, range, marks and handles where Dash's own slider puts them (the year boxes
    beside it say the same in words, so this drawing is hidden from screen readers)."""
    low, high = props.get("min", 0), props.get("max", 1)
    span = max(high - low, 1)
    start, end = (props.get("value") or [low, high])[:2]

    def at(value: float) -> float:
        return round((value - low) / span * 100, 4)

    def place(value: float) -> str:
        """As Radix places a thumb (and Dash a mark): kept inside the track by half a thumb at the ends."""
        offset = round((0.5 - at(value) / 100) * SLIDER_THUMB, 4)
        return f"left:calc({at(value)}% + {offset}px)"

    def mark(year: int, text: object) -> str:
        outside = " dash-slider-mark-outside-selection" if not start <= year <= end else ""
        return f'<div class="dash-slider-mark{outside}" style="{place(year)}">{html.escape(str(text))}</div>'

    marks = "".join(mark(int(year), text) for year, text in (props.get("marks") or {}).items())
    handles = "".join(f'<span class="dash-slider-thumb" data-live="#{html.escape(props["id"])} .dash-slider-thumb-{i}" '
                      f'style="{place(value)}"></span>' for i, value in ((1, start), (2, end)))
    return (f'<div id="{html.escape(live_id(props["id"]))}" class="dash-slider-container" aria-hidden="true">'
            '<div class="dash-slider-wrapper"><span class="dash-slider-root has-marks">'
            f'<span class="dash-slider-track"><span class="dash-slider-range" style="left:{at(start)}%;'
            f'right:{round(100 - at(end), 4)}%"></span>{handles}</span>{marks}</span></div></div>')


def text_input(props: dict[str, Any], _renderer: Renderer) -> str:
    """An input as Dash 4 draws it, read only until the live one takes its place."""
    component_id = props["id"]
    kind = props.get("type", "text")
    value = props.get("value")
    field = (f'<input id="{html.escape(live_id(component_id))}" class="dash-input-element" type="{html.escape(kind)}"'
             + (f' inputmode="{html.escape(props["inputMode"])}"' if props.get("inputMode") else "")
             + (f' value="{html.escape(str(value))}"' if value is not None else "")
             + f' readonly data-live="#{html.escape(component_id)}">')
    steppers = ""
    if kind == "number":
        steppers = "".join(
            f'<button type="button" class="dash-input-stepper dash-stepper-{name}" tabindex="-1" aria-hidden="true" '
            f'data-live="#{html.escape(component_id)} ~ .dash-stepper-{name}">{sign}</button>'
            for name, sign in (("decrement", "−"), ("increment", "+")))
    classes = f"dash-input-container dash-input {props.get('className', '')}".strip()
    return f'<div class="{html.escape(classes)}">{field}{steppers}</div>'


def textarea(props: dict[str, Any], _renderer: Renderer) -> str:
    classes = f"dash-textarea {props.get('className', '')}".strip()
    return (f'<textarea class="{html.escape(classes)}" id="{html.escape(live_id(props["id"]))}" readonly '
            f'data-live="#{html.escape(props["id"])}">{html.escape(str(props.get("value") or ""))}</textarea>')


DCC_STAND_INS: dict[str, StandIn] = {
    "Location": _nothing,
    "Store": _nothing,
    "Dropdown": dropdown,
    "RangeSlider": range_slider,
    "Input": text_input,
    "Textarea": textarea,
    "RadioItems": lambda props, _r: choices(props, "radioitems"),
    "Checklist": lambda props, _r: choices(props, "checklist"),
}


def render_tree(tree: Any, extra: dict[str, StandIn] | None = None, after: dict[str, str] | None = None) -> str:
    """The tree as HTML; `extra` adds or replaces stand-ins (the page gives the chart's); `after` adds
    ready-made HTML at the end of the elements with those ids."""
    return Renderer({**DCC_STAND_INS, **(extra or {})}, after).render(tree)
