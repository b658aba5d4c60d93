"""The warm browser's use of Kaleido internals falls back to plain Kaleido when they change."""
from __future__ import annotations

import kaleido
import pytest

from dashboard.export import warm_browser


def test_background_reload_is_used_while_kaleido_has_the_private_hook():
    chosen = warm_browser._kaleido_class()
    assert chosen is not kaleido.Kaleido and issubclass(chosen, kaleido.Kaleido)


def test_plain_kaleido_is_used_when_the_private_hook_is_gone(monkeypatch: pytest.MonkeyPatch):
    class KaleidoWithoutTheHook:  # what a Kaleido release that renamed the method would look like
        pass

    monkeypatch.setattr(kaleido, "Kaleido", KaleidoWithoutTheHook)
    assert warm_browser._kaleido_class() is KaleidoWithoutTheHook
