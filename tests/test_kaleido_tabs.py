"""The shared Chromium's tabs are reused between images (export/kaleido_tabs.py): each image must come
out exactly as a freshly loaded tab draws it, and the patch must still fit kaleido's internals."""

from __future__ import annotations

import difflib
import inspect
import io
import re
from xml.etree import ElementTree

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
    # draw_sets: a tab's page holds kaleido's <img> and style, printed with kaleido's own PDF settings
    from kaleido import _page_generator
    from kaleido._kaleido_tab import _devtools_utils

    assert '<img id="kaleido-image"' in _page_generator.PageGenerator.footer
    assert '<style id="head-style">' in _page_generator.PageGenerator.header
    assert "Page.printToPDF" in inspect.getsource(_devtools_utils.print_pdf)
    assert "self._timeout = timeout" in inspect.getsource(Kaleido.__init__)
    # warm_start: the tabs are sent to the page server's URL through _index, set before populate_targets
    assert "self._conform_tabs()" in inspect.getsource(Kaleido.populate_targets)
    assert "tab.navigate(self._index)" in inspect.getsource(Kaleido._conform_tabs)
    # ... and navigate still turns page events on only after navigating (see WarmTabsKaleido._conform_tabs)
    from kaleido._kaleido_tab._tab import _KaleidoTab

    navigate = inspect.getsource(_KaleidoTab.navigate)
    assert navigate.index('"Page.navigate"') < navigate.index('"Page.enable"') < navigate.index("await page_ready")
    kaleido_tabs.install()
    assert _sync_server.Kaleido.__name__ == "WarmTabsKaleido" and issubclass(_sync_server.Kaleido, Kaleido)


def test_the_lean_chromium_extends_choreographer_s_command_line():
    from choreographer.browsers.chromium import Chromium

    lean = kaleido_tabs.lean_chromium()
    assert issubclass(lean, Chromium) and "def get_cli" in inspect.getsource(Chromium)
    # kaleido hands browser_cls on to choreographer's Browser, which takes it by that name
    from choreographer.browser_async import Browser

    assert "browser_cls" in inspect.signature(Browser.__init__).parameters
    # warm_start seeds the profile choreographer makes in pre_open, and keeps its caches when clean() is
    # called, which choreographer does once the browser has closed
    assert "self.tmp_dir = TmpDirectory(" in inspect.getsource(Chromium.pre_open)
    assert '"--user-data-dir={self.tmp_dir.path}"' in inspect.getsource(Chromium.get_cli)
    assert "self.tmp_dir.clean()" in inspect.getsource(Chromium.clean)
    closing = inspect.getsource(Browser.close)
    assert closing.index("await self._close()") < closing.index("self._browser_impl.clean()")


@pytest.mark.browser
@pytest.mark.skipif(images.browser_path() is None, reason="needs Chromium")
def test_the_browser_starts_without_the_omnibox_popup_pages(monkeypatch):
    from kaleido import _sync_server

    kaleido_tabs.install()

    async def ipmetrics_targets(self):
        return await self.send_command("Target.getTargets")

    monkeypatch.setattr(_sync_server.Kaleido, "ipmetrics_targets", ipmetrics_targets, raising=False)
    images.close_session()
    try:
        with images.session():
            found = _sync_server.GlobalKaleidoServer().call_function("ipmetrics_targets")["result"]["targetInfos"]
    finally:
        images.close_session()
    urls = [target["url"] for target in found]
    assert sum(target["type"] == "page" for target in found) == images.TABS  # kaleido's tabs, nothing else
    assert not [url for url in urls if url.startswith("chrome://")], urls


def _figure(title: str, values: list[float], kind: str) -> go.Figure:
    trace = go.Bar(y=values) if kind == "bar" else go.Scatter(y=values, mode="lines+markers")
    return go.Figure(trace, layout={"title": {"text": title}, "width": 600, "height": 360,
                                    "font": {"family": "Noto Sans CJK SC"}})


def _same_ids(svg: bytes) -> bytes:
    """The SVG as it draws, for comparing two draws of one figure. plotly names each plot's clip paths and each
    trace's group with a random id, fresh tab or not; it writes the legend's box attributes in an order that
    varies from draw to draw (10 of the month's 30 charts, drawn twice in one browser); the root's empty style
    attribute (style="") is sometimes written and sometimes not (seen once in CI, on the first image of a fresh
    browser). None of these changes a pixel: ids are replaced, attributes put in one order (XML's canonical
    form), empty styles left out."""
    uid = re.search(rb'<defs id="defs-(\w+)"', svg).group(1)
    text = re.sub(r"trace[0-9a-f]{6}\b", "TRACE", svg.replace(uid, b"UID").decode())
    return ElementTree.canonicalize(text).replace(' style=""', "").encode()


def _differences(first: bytes, again: bytes) -> list[tuple[bytes, bytes]]:
    """The stretches where two SVGs differ, with a little context (at most eight)."""
    blocks = difflib.SequenceMatcher(None, first, again, autojunk=False).get_opcodes()
    return [(first[max(0, i1 - 30):i2 + 30], again[max(0, j1 - 30):j2 + 30])
            for tag, i1, i2, j1, j2 in blocks if tag != "equal"][:8]


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
    first_svg, again_svg = _same_ids(first["svg"]), _same_ids(again["svg"])
    # rare in CI and never seen locally: on failure, every differing stretch of the SVG is shown, not just the first
    assert again_svg == first_svg, _differences(first_svg, again_svg)
    assert again["png"] == first["png"], (len(first["png"]), len(again["png"]), _differences(first_svg, again_svg))
    assert other != first["png"]


def _pixels(png: bytes) -> tuple:
    from PIL import Image

    picture = Image.open(io.BytesIO(png))
    return picture.size, picture.info.get("dpi"), picture.convert("RGB").tobytes()


def _pages(pdf: bytes) -> list[tuple]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    return [(page.get_size(), page.render(scale=1).to_pil().convert("RGB").tobytes()) for page in document]


@pytest.mark.browser
@pytest.mark.skipif(images.browser_path() is None, reason="needs Chromium")
def test_one_draw_makes_each_format_as_kaleido_draws_it_on_its_own():
    from ipmetrics.export import render_batch

    two_series = go.Figure([go.Bar(y=[3, 1, 4], name="商标"), go.Bar(y=[1, 5, 9], name="专利")],
                           layout={"title": {"text": "两列（有图例）"}, "width": 600, "height": 360,
                                   "font": {"family": "Noto Sans CJK SC"}})
    figures = [two_series, _figure("每万人发明专利拥有量", [0.2, 0.4, 0.3, 0.9], "line")]
    formats = ("png", "svg", "pdf")
    images.close_session()
    try:
        with images.session():
            apart = [{fmt: images.render(figure, fmt) for fmt in formats} for figure in figures]
            with render_batch.Renderer() as renderer:
                futures = [renderer.images(figure, formats) for figure in figures]
                together = [dict(zip(formats, render_batch.wait_all(each))) for each in futures]
    finally:
        images.close_session()
    for own, one_draw in zip(apart, together):
        assert _same_ids(one_draw["svg"]) == _same_ids(own["svg"]), _differences(own["svg"], one_draw["svg"])
        assert _pixels(one_draw["png"]) == _pixels(own["png"])  # the same pixels, the same 300 dpi
        assert _pixels(own["png"])[1] == pytest.approx((300, 300), abs=0.001)
        assert _pages(one_draw["pdf"]) == _pages(own["pdf"])
    assert _pixels(together[0]["png"]) != _pixels(together[1]["png"])


@pytest.mark.browser
@pytest.mark.skipif(images.browser_path() is None, reason="needs Chromium")
def test_a_page_that_loads_before_its_page_events_are_on_still_makes_a_ready_tab(monkeypatch):
    # kaleido's navigate turns page events on (Page.enable) after Page.navigate and waits for the load
    # event with no timeout. Here every Page.enable sent after a navigation arrives three seconds late, long
    # after the page has loaded, as it could on a busy machine: the tabs must become ready all the same.
    import asyncio
    import threading

    from choreographer.protocol.devtools_async import Target

    send = Target.send_command

    async def late_page_events(self, command, params=None, **options):
        if command == "Page.navigate":
            self.ipmetrics_navigated = True
        elif command == "Page.enable" and getattr(self, "ipmetrics_navigated", False):
            await asyncio.sleep(3)
        return await send(self, command, params, **options)

    monkeypatch.setattr(Target, "send_command", late_page_events)
    drawn = []

    def draw():
        with images.session():
            drawn.append(images.render(_figure("商标注册量（件）", [3, 1, 4], "bar"), "svg"))

    images.close_session()
    drawing = threading.Thread(target=draw, daemon=True)
    drawing.start()
    drawing.join(60)
    stuck = drawing.is_alive()
    monkeypatch.undo()
    assert not stuck, "the shared browser's tabs never became ready"
    assert drawn and drawn[0].startswith(b"<svg")
