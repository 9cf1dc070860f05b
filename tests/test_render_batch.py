"""Waits worth waiting for (issue 17): every chart rendered once, the briefing built from the month's PNGs,
the 300-dpi stamp without re-encoding, progress reported as images are written. A fake kaleido stands in
for Chromium, so these run without a browser and count what would have been rendered."""

from __future__ import annotations

import io
from datetime import date

import pandas as pd
import pytest
from PIL import Image

from ipmetrics import monthly
from ipmetrics.charts import theme
from ipmetrics.charts.month import build_month
from ipmetrics.core.settings import Settings
from ipmetrics.export import images, render_batch
from ipmetrics.export.batch import export_month

MARCH = pd.Period("2021-03", freq="M")


def png_bytes(width: int = 4, height: int = 3, **save) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (10, 20, 30)).save(buffer, format="PNG", **save)
    return buffer.getvalue()


@pytest.fixture
def fake_kaleido(monkeypatch):
    """kaleido's batch writer replaced by one that writes a tiny PNG (or text) per spec and records it."""
    import kaleido

    written: list[tuple[str, str]] = []  # (the figure's title, format)

    def write(specs, cancel_on_error=False):
        assert cancel_on_error  # a failed image must not leave a half-written batch unnoticed
        for spec in specs:
            fmt = spec["opts"]["format"]
            title = spec["fig"]["layout"]["title"]["text"]
            written.append((title, fmt))
            # each PNG of its own size, so one image cannot pass for another
            spec["path"].write_bytes(png_bytes(len(written)) if fmt == "png" else f"{fmt} {title}".encode())

    def no_single_renders(*args, **kwargs):
        raise AssertionError("a chart was rendered one at a time outside the batch")

    monkeypatch.setattr(kaleido, "write_fig_from_object_sync", write)
    monkeypatch.setattr(images, "open_session", lambda: None)
    monkeypatch.setattr(images, "close_session", lambda: None)
    monkeypatch.setattr(images, "render", no_single_renders)
    return written


def test_the_dpi_stamp_is_what_pillow_would_write_without_touching_the_pixels():
    plain = png_bytes(40, 30)
    stamped = images.with_png_dpi(plain)
    picture = Image.open(io.BytesIO(stamped))
    # 300 dpi = 300 / 0.0254 = 11811 pixels per metre, which reads back as 11811 × 0.0254 = 299.9994 dpi.
    assert picture.info["dpi"] == pytest.approx((300, 300), abs=0.001)
    assert picture.tobytes() == Image.open(io.BytesIO(plain)).tobytes()
    # Only 21 bytes more (a 9-byte pHYs chunk: length 4 + type 4 + data 9 + CRC 4), nothing re-compressed.
    assert len(stamped) == len(plain) + 21
    # A PNG that already says 72 dpi keeps one pHYs chunk: the new one.
    restamped = images.with_png_dpi(png_bytes(40, 30, dpi=(72, 72)))
    assert restamped.count(b"pHYs") == 1
    assert Image.open(io.BytesIO(restamped)).info["dpi"] == pytest.approx((300, 300), abs=0.001)
    with pytest.raises(ValueError, match="不是 PNG"):
        images.with_png_dpi(b"GIF89a" + bytes(40))


def test_the_png_cache_renders_each_figure_once():
    calls = []
    first, second, known = object(), object(), object()
    cache = render_batch.PngCache(lambda figure: calls.append(figure) or b"png")
    cache.add(known, b"made before")
    assert cache(known) == b"made before"
    assert [cache(first), cache(second), cache(first)] == [b"png", b"png", b"png"]
    assert calls == [first, second] and cache.rendered == 2


def test_the_export_renders_each_chart_once_per_format_and_reports_progress(fake_kaleido, small_store, registry,
                                                                               tmp_path):
    month = build_month(small_store, registry, Settings(db_url=small_store.url), "411521", "罗山县", MARCH, False)
    drawn = [c for c in month.charts if c.figure is not None]
    steps = []
    result = export_month(month, tmp_path, ("png", "svg"), progress=lambda text, share: steps.append((text, share)))
    # kaleido gets each chart in the export type sizes (theme.for_export, as images.render draws one).
    titles = [theme.for_export(c.figure).layout.title.text for c in drawn]
    assert all(f"font-size:{theme.EXPORT_MIN_FONT_PX}px" in title for title in titles)
    assert sorted(fake_kaleido) == sorted((t, fmt) for t in titles for fmt in ("png", "svg"))
    # Every PNG written carries its print resolution; the SVGs are left as kaleido wrote them.
    pngs = [p for p in result.files if p.suffix == ".png"]
    assert len(pngs) == len(drawn)
    assert all(Image.open(p).info["dpi"] == pytest.approx((300, 300), abs=0.001) for p in pngs)
    # Progress: the count of images done after each chunk of CHUNK images, then the workbook, then done.
    images_in_all = 2 * len(drawn)
    counts = [int(text.split("已完成 ")[1].split("/")[0]) for text, _ in steps if "已完成" in text]
    expected = list(range(render_batch.CHUNK, images_in_all, render_batch.CHUNK)) + [images_in_all]
    assert counts == expected
    shares = [share for _, share in steps]
    assert shares == sorted(shares) and shares[0] == 0.0 and steps[-1] == ("导出完成", 1.0)


def test_the_monthly_briefing_reuses_the_month_s_chart_images(fake_kaleido, monkeypatch, small_store, registry,
                                                             tmp_path):
    documents = {}

    def document_bytes(briefing, fmt):
        documents[fmt] = [chart.png for chart in briefing.charts]
        return b"document"

    monkeypatch.setattr(monthly, "document_bytes", document_bytes)
    result = monthly.run_monthly(small_store, registry, Settings(db_url=small_store.url), MARCH, tmp_path,
                                 user="统计员甲", on=date(2021, 4, 10))
    month_pngs = {p.name: p.read_bytes() for p in result.files if p.suffix == ".png"}
    charts = documents["docx"]
    # Each chart of the month went to kaleido once; the briefing's goal charts are among them and were
    # not rendered again (images.render would have failed the test). Since issue 17 each goal chart goes once
    # more, drawn for the PPT's chart box (its title is the subtitle line alone, no <br>: theme.for_slide).
    for_slides = [title for title, _ in fake_kaleido if "<br>" not in title]
    assert len(fake_kaleido) == len(month_pngs) + len(for_slides) and all(fmt == "png" for _, fmt in fake_kaleido)
    assert len(for_slides) == len(charts)
    assert charts and all(png in month_pngs.values() for png in charts)
    assert documents["pdf"] == documents["pptx"] == charts


def test_the_briefing_reports_its_charts_as_they_are_drawn(fake_kaleido, monkeypatch, small_store, registry):
    from ipmetrics.meeting import snapshots

    info = snapshots.latest(small_store, MARCH) or snapshots.freeze(
        small_store, registry, Settings(db_url=small_store.url), MARCH, user="统计员甲")
    steps = []
    briefing = monthly.briefing_for(small_store, registry, info.id, date(2021, 4, 10), with_charts=False,
                                    progress=lambda text, share: steps.append((text, share)))
    assert briefing.charts and steps == [("简报内容已生成", 1.0)]  # nothing drawn, nothing to wait for
    steps.clear()
    monkeypatch.setattr(images, "open_session", lambda: None)
    monkeypatch.setattr(images, "close_session", lambda: None)
    drawn = []
    fake = render_batch.PngCache(lambda figure: drawn.append(figure) or png_bytes(len(drawn)))
    briefing = monthly.briefing_for(small_store, registry, info.id, date(2021, 4, 10), render=fake,
                                    progress=lambda text, share: steps.append((text, share)))
    charts = len(briefing.charts)
    # One step before the first chart, one after each of the n charts (share k / (n + 1)), one as the slides'
    # charts are drawn in one batch (the last chart's share), one at the end.
    assert [share for _, share in steps] == [0.0, *(k / (charts + 1) for k in range(1, charts + 1)),
                                             charts / (charts + 1), 1.0]
    assert steps[0][0] == f"正在绘制简报图表（共 {charts} 张）……" and len(drawn) == charts
    assert steps[-3][0] == f"正在绘制简报图表：已完成 {charts}/{charts} 张"
    assert steps[-2][0] == f"正在绘制幻灯片图表（共 {charts} 张）……" and len(briefing.slide_charts) == charts
