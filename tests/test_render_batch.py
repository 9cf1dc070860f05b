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
from ipmetrics.export import images, kaleido_tabs, render_batch
from ipmetrics.export.batch import export_month

MARCH = pd.Period("2021-03", freq="M")


def png_bytes(width: int = 4, height: int = 3, **save) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (10, 20, 30)).save(buffer, format="PNG", **save)
    return buffer.getvalue()


class FakeBrowser(list):
    """What the fake browser made: (the figure's title, format) per image; `draws` per figure drawn."""

    def __init__(self):
        super().__init__()
        self.draws: list[tuple[str, tuple[str, ...]]] = []  # (title, the formats made from that one draw)


@pytest.fixture
def fake_kaleido(monkeypatch):
    """The browser's drawing (kaleido_tabs.draw_sets) replaced by one that makes a tiny PNG (or text) per image
    asked of each figure, and records them."""
    written = FakeBrowser()

    def draw_sets(sets):
        made = []
        for one in sets:
            title = one["figure"]["layout"]["title"]["text"]
            written.draws.append((title, tuple(fmt for _, fmt, _ in one["outputs"])))
            images_of_one = {}
            for name, fmt, _ in one["outputs"]:
                written.append((title, fmt))
                # each PNG of its own size, so one image cannot pass for another
                images_of_one[name] = png_bytes(len(written)) if fmt == "png" else f"{fmt} {title}".encode()
            made.append(images_of_one)
        return made

    def no_single_renders(*args, **kwargs):
        raise AssertionError("a chart was rendered one at a time outside the batch")

    monkeypatch.setattr(kaleido_tabs, "draw_sets", draw_sets)
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


def test_the_renderer_draws_each_figure_and_kind_once_on_its_own_thread(fake_kaleido, monkeypatch):
    import threading

    import plotly.graph_objects as go

    threads = []
    draw = kaleido_tabs.draw_sets

    def on_thread(sets):
        threads.append(threading.current_thread().name)
        return draw(sets)

    monkeypatch.setattr(kaleido_tabs, "draw_sets", on_thread)
    first, second = (theme.apply_theme(go.Figure(go.Bar(x=[1], y=[n])), f"图{n}", "副标题") for n in (1, 2))
    with render_batch.Renderer() as renderer:
        first_png, first_svg = renderer.images(first, ("png", "svg"))  # asked together: one draw makes both
        futures = [first_png, renderer.image(second, "png"), first_svg, renderer.image(first, "png"),
                   renderer.image(first, render_batch.SLIDE)]
        assert futures[3] is futures[0]  # asked again: the same image, not drawn twice
        drawn = render_batch.wait_all(futures)
        # asked once the figure's draw has been handed to the browser: a draw of its own
        pdf = renderer.image(first, "pdf").result()
    assert [fmt for _, fmt in fake_kaleido] == ["png", "svg", "png", "png", "pdf"]  # first, second, slide, PDF
    first_title, second_title = (theme.export_dict(figure)["layout"]["title"]["text"] for figure in (first, second))
    assert fake_kaleido.draws[:2] == [(first_title, ("png", "svg")), (second_title, ("png",))]
    assert [formats for _, formats in fake_kaleido.draws[2:]] == [("png",), ("pdf",)]  # the slide's, the PDF
    assert fake_kaleido.draws[2][0] != first_title and fake_kaleido.draws[3][0] == first_title  # slide layout
    assert threads and set(threads) == {"chart-images"}  # drawn on the renderer's thread, not the caller's
    assert drawn[0] == drawn[3] and drawn[0] != drawn[1] and drawn[2].startswith(b"svg ")
    assert pdf.startswith(b"pdf ")
    assert Image.open(io.BytesIO(drawn[0])).info["dpi"] == pytest.approx((300, 300), abs=0.001)
    assert Image.open(io.BytesIO(drawn[4])).info["dpi"] == pytest.approx((150, 150), abs=0.5)  # the slide's
    with pytest.raises(ValueError, match="不支持的格式 gif"):
        with render_batch.Renderer() as renderer:
            renderer.image(first, "gif")


def test_a_browser_error_reaches_the_caller_waiting_for_the_image(fake_kaleido, monkeypatch):
    import plotly.graph_objects as go

    def fails(sets):
        raise RuntimeError("Chromium crashed")

    monkeypatch.setattr(kaleido_tabs, "draw_sets", fails)
    with pytest.raises(RuntimeError, match="Chromium crashed"):
        with render_batch.Renderer() as renderer:
            render_batch.wait_all([renderer.image(go.Figure(go.Bar(x=[1], y=[1])), "png")])


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
    # ... each chart drawn once, its PNG and SVG both made from that draw
    assert sorted(fake_kaleido.draws) == sorted((t, ("png", "svg")) for t in titles)
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
        documents[fmt] = [(chart.png, chart.svg) for chart in briefing.charts]
        documents[f"{fmt} slides"] = briefing.slide_charts
        return b"document"

    monkeypatch.setattr(monthly, "document_bytes", document_bytes)
    result = monthly.run_monthly(small_store, registry, Settings(db_url=small_store.url), MARCH, tmp_path,
                                 user="统计员甲", on=date(2021, 4, 10))
    month_pngs = {p.name: p.read_bytes() for p in result.files if p.suffix == ".png"}
    charts = documents["docx"]
    # Each chart of the month went to kaleido once as a PNG; the briefing's goal charts are among them and
    # were not rendered again (images.render would have failed the test). Each goal chart goes twice more, in
    # one batch: as an SVG (the PDF's vector chart) and drawn for the PPT's chart box (its title is the
    # subtitle line alone, no <br>: theme.slide_dict).
    pngs = [title for title, fmt in fake_kaleido if fmt == "png" and "<br>" in title]
    for_slides = [title for title, fmt in fake_kaleido if fmt == "png" and "<br>" not in title]
    svgs = [title for title, fmt in fake_kaleido if fmt == "svg"]
    assert len(pngs) == len(month_pngs) and len(fake_kaleido) == len(pngs) + len(for_slides) + len(svgs)
    assert len(for_slides) == len(svgs) == len(charts) and len(set(svgs)) == len(svgs)
    # a goal chart's PNG and SVG come from one draw; the slide's layout is a draw of its own
    assert [formats for _, formats in fake_kaleido.draws if "svg" in formats] == [("png", "svg")] * len(charts)
    assert len(fake_kaleido.draws) == len(pngs) + len(for_slides)
    assert charts and all(png in month_pngs.values() for png, _ in charts)
    assert all(svg.startswith(b"svg ") for _, svg in charts)  # the fake's SVG of that very chart
    assert sorted(svg.decode()[4:] for _, svg in charts) == sorted(svgs)
    assert documents["pdf"] == documents["pptx"] == charts
    assert len(documents["pptx slides"]) == len(charts)


def test_the_briefing_reports_its_charts_as_they_are_drawn(fake_kaleido, monkeypatch, small_store, registry):
    from ipmetrics.meeting import snapshots

    info = snapshots.latest(small_store, MARCH) or snapshots.freeze(
        small_store, registry, Settings(db_url=small_store.url), MARCH, user="统计员甲")
    steps = []
    briefing = monthly.briefing_for(small_store, registry, info.id, date(2021, 4, 10), with_charts=False,
                                    progress=lambda text, share: steps.append((text, share)))
    assert briefing.charts and steps == [("简报内容已生成", 1.0)]  # nothing drawn, nothing to wait for
    assert all(chart.png is None and chart.svg is None for chart in briefing.charts) and not briefing.slide_charts
    steps.clear()
    briefing = monthly.briefing_for(small_store, registry, info.id, date(2021, 4, 10),
                                    progress=lambda text, share: steps.append((text, share)))
    charts = len(briefing.charts)
    # No PNG was made before (no month's export): each chart is drawn three times in one batch, PNG, SVG and
    # for the slide; the bar moves after each chunk of CHUNK images, (done / (all + 1)), then ends at 1.
    images_in_all = 3 * charts
    assert len(fake_kaleido) == images_in_all and sorted({fmt for _, fmt in fake_kaleido}) == ["png", "svg"]
    assert len(fake_kaleido.draws) == 2 * charts  # the export sizes' one draw (PNG and SVG), the slide's
    done = [*range(render_batch.CHUNK, images_in_all, render_batch.CHUNK), images_in_all]
    assert steps == [(f"正在绘制简报的 {charts} 幅图表……", 0.0),
                     *((f"正在绘制简报图表：已完成 {n}/{images_in_all} 张图片", n / (images_in_all + 1)) for n in done),
                     ("简报内容已生成", 1.0)]
    assert all(chart.png and chart.svg for chart in briefing.charts) and len(briefing.slide_charts) == charts
    # Each chart's three images are its own: the PNG, the SVG and the slide's PNG differ from chart to chart.
    assert len({chart.png for chart in briefing.charts}) == len({chart.svg for chart in briefing.charts}) == charts
    assert len(set(briefing.slide_charts.values())) == charts


def test_the_monthly_run_has_the_browser_draw_the_charts_without_goal_cards_while_it_freezes(
        fake_kaleido, monkeypatch, fresh_small_store, registry, tmp_path):
    from ipmetrics.meeting import snapshots

    asked, asked_before_freezing = [], []
    images_of = render_batch.Renderer.images

    def images_asked(self, figure, kinds):
        asked.append((figure.layout.title.text, tuple(kinds)))
        return images_of(self, figure, kinds)

    def freezing(*args, **kwargs):
        asked_before_freezing.extend(asked)
        return freeze(*args, **kwargs)

    freeze = snapshots.freeze
    monkeypatch.setattr(render_batch.Renderer, "images", images_asked)
    monkeypatch.setattr(snapshots, "freeze", freezing)
    monkeypatch.setattr(monthly, "document_bytes", lambda briefing, fmt: b"document")  # the fake's SVGs are text
    settings = Settings(db_url=fresh_small_store.url)
    result = monthly.run_monthly(fresh_small_store, registry, settings, MARCH, tmp_path, user="统计员甲",
                                 on=date(2021, 4, 10))
    assert not result.reused
    month = build_month(fresh_small_store, registry, settings, "411521", "罗山县", MARCH, False)
    store_charts = [c.figure.layout.title.text for g in month.chart_groups(goals=False) for c in g if c.figure]
    goal_charts = [c.figure.layout.title.text for c in month.goal_charts if c.figure]
    # before the freeze: every chart that does not read the goal cards, as the month's PNG, and no goal chart
    assert store_charts and asked_before_freezing == [(title, ("png",)) for title in store_charts]
    # after it: the goal charts, in every form the briefing places, from the snapshot's cards
    after = asked[len(asked_before_freezing):]
    assert after[:len(goal_charts)] == [(title, ("png", "svg", render_batch.SLIDE)) for title in goal_charts]
    # the export asks for the store's charts again and is handed the images already drawn: one draw each
    assert len([p for p in result.files if p.suffix == ".png"]) == len(store_charts) + len(goal_charts)
    # (and each goal chart twice: the export's layout, and the slide's)
    assert len(fake_kaleido.draws) == len(store_charts) + 2 * len(goal_charts)


def test_a_month_takes_its_goal_cards_only_before_anything_has_read_them(small_store, registry):
    from ipmetrics.meeting import snapshots

    settings = Settings(db_url=small_store.url)
    info = snapshots.latest(small_store, MARCH) or snapshots.freeze(small_store, registry, settings, MARCH,
                                                                    user="统计员甲")
    frozen = snapshots.cards(small_store, registry, info.id)
    month = build_month(small_store, registry, settings, "411521", "罗山县", MARCH, False)
    assert [c for group in month.chart_groups(goals=False) for c in group]
    assert "cards" not in month.__dict__  # the store's charts never computed the goal cards
    month.use_cards(frozen)
    assert month.cards is frozen and len(month.goal_charts) == len(frozen)
    with pytest.raises(RuntimeError, match="read already"):
        month.use_cards(frozen)
    computed = build_month(small_store, registry, settings, "411521", "罗山县", MARCH, False)
    assert computed.cards  # computed from the store's data: a snapshot's cards may no longer replace them
    with pytest.raises(RuntimeError, match="read already"):
        computed.use_cards(frozen)
