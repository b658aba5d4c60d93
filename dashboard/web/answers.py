"""A callback's answer as its plain function gives it: the value of each output that changes, keyed by
(component id, property). The callback turns it into Dash's tuple, leaving every other output as it is, so
the function that decides needs no Dash to be called or tested."""
from __future__ import annotations

from typing import Any

from dash import no_update

# What a panel shows after a callback, keyed by (component id, property); a key left out stays as it is.
Answer = dict[tuple[str, str], Any]


def outputs(answer: Answer, props: tuple[tuple[str, str], ...]) -> tuple:
    """A callback's answer in the order of its outputs (`props`): each one's value in `answer`, or left as it is."""
    return tuple(answer.get(prop, no_update) for prop in props)
