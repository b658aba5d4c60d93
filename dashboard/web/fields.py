"""A labelled form field, the same in every panel: the label names its input for screen readers."""
from __future__ import annotations

from typing import Any

from dash import html


def field(label: str, component: Any, hint: str | None = None, class_name: str = "field") -> html.Div:
    """The label, the input and an optional hint under it."""
    return html.Div([html.Label(label, htmlFor=component.id), component,
                     *([html.Span(hint, className="hint")] if hint else [])], className=class_name)
