"""The shared Chromium's tabs are reused between images (export/kaleido_tabs.py): each image must come
out exactly as a freshly loaded tab draws it, and the patch must still fit kaleido's internals."""

from __future__ import annotations

import inspect
import re

import plotly.graph_objects as go
import pytest

from ipmetrics.export import images, kaleido_tabs


def test_kaleido_still_has_what_the_warm_tabs_override():
    # kaleido_tabs subclasses kaleido's private Kaleido and replaces _return_kaleido_tab; an upgrade that
    # renames either, or stops routing the sync server through the module's Kaleido name, fails here.
    from kaleido import _sync_server
    from kaleido.kaleido import Kaleido

    returned = inspect.getsource(Kaleido._return_kaleido_tab)
    assert "tab.reload()" in returned and "tabs_ready.put(tab)" in returned
    assert "async with Kaleido(" in inspect.getsource(_sync_server.GlobalKaleidoServer._server)
    assert {"_get_kaleido_tab", "_index", "tabs_ready"} <= set(dir(Kaleido)) | {"_index", "tabs_ready"}
    kaleido_tabs.install()
    assert _sync_server.Kaleido.__name__ == "WarmTabsKaleido" and issubclass(_sync_server.Kaleido, Kaleido)


def _figure(title: str, values: list[float], kind: str) -> go.Figure:
    trace = go.Bar(y=values) if kind == "bar" else go.Scatter(y=values, mode="lines+markers")
    return go.Figure(trace, layout={"title": {"text": title}, "width": 600, "height": 360,
                                    "font": {"family": "Noto Sans CJK SC"}})


def _same_ids(svg: bytes) -> bytes:
    """plotly names each plot's clip paths with a random id, fresh tab or not: compare without it."""
    uid = re.search(rb'<defs id="defs-(\w+)"', svg).group(1)
    return svg.replace(uid, b"UID")


@pytest.mark.browser
@pytest.mark.skipif(images.browser_path() is None, reason="needs Chromium")
def test_a_reused_tab_draws_each_figure_as_a_fresh_one(monkeypatch):
    bars = _figure("商标注册量（件）", [3, 1, 4, 1, 5], "bar")
    lines = _figure("每万人发明专利拥有量", [0.2, 0.4, 0.3, 0.9], "line")
    monkeypatch.setattr(kaleido_tabs, "RELOAD_EVERY", 1000)
    images.close_session()
    try:
        with images.session():
            first = {fmt: images.render(bars, fmt) for fmt in ("png", "svg")}
            # the tab has now drawn other figures, of another type, in between
            for _ in range(3):
                images.render(lines, "png")
                images.render(lines, "svg")
            again = {fmt: images.render(bars, fmt) for fmt in ("png", "svg")}
            other = images.render(lines, "png")
    finally:
        images.close_session()
    assert again["png"] == first["png"]
    assert _same_ids(again["svg"]) == _same_ids(first["svg"])
    assert other != first["png"]
