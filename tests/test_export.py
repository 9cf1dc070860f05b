"""Print-quality exports: images with Chinese text through the system Chromium, the monthly workbook,
the batch with its ZIP, and what happens when Chromium is missing."""

import io
import re
import zipfile

import pandas as pd
import plotly.graph_objects as go
import pptx
import pytest
from openpyxl import Workbook, load_workbook
from PIL import Image

from ipmetrics.charts import bars, theme
from ipmetrics.charts import goals as charts
from ipmetrics.charts.chart import Where
from ipmetrics.charts.month import build_month
from ipmetrics.core.scorecard import scorecard
from ipmetrics.core.settings import Settings
from ipmetrics.export import images
from ipmetrics.export.batch import export_month
from ipmetrics.export.workbook import month_workbook
from ipmetrics.io.workbooks import add_tables_sheet

from .test_cli import call

JUNE = pd.Period("2021-06", freq="M")
TITLE = "商标注册总量：实际与目标"


@pytest.fixture(scope="module")
def figure(small_store, registry):
    card = next(c for c in scorecard(small_store, registry, Settings(db_url=small_store.url), None, JUNE)
                if c.goal.id == "trademarks_registered")
    return charts.goal_trend_figure(card, sample=True, region_name="罗山县")


@pytest.fixture(scope="module")
def rendered(figure):
    with images.session():
        return {fmt: images.render(figure, fmt) for fmt in images.FORMATS}


def test_png_is_print_size(rendered, figure):
    picture = Image.open(io.BytesIO(rendered["png"]))
    # 756 px × scale 2.5 = 1890 px: 300 dpi over a 16 cm column of an A4 page.
    # Issue 17: the exported figure is taller than the screen one by its larger type (460 px × 17/14 = 559 px).
    height = theme.for_export(figure).layout.height * images.SCALE  # 559 × 2.5 = 1397.5: Chromium rounds down
    assert picture.size[0] == 1890 and picture.size[1] == pytest.approx(height, abs=1)
    # …and the file says 300 dpi (issue 17), so an office suite places it 1890 / 300 in = 16.0 cm wide.
    assert picture.info["dpi"] == pytest.approx((300, 300), abs=0.01)
    assert picture.size[0] / picture.info["dpi"][0] * 2.54 == pytest.approx(16.0, abs=0.01)


def test_png_title_area_is_not_blank(rendered):
    picture = Image.open(io.BytesIO(rendered["png"])).convert("L")
    title = picture.crop((0, 0, picture.width // 2, 160))            # where the title and subtitle sit
    margin = picture.crop((picture.width - 200, 0, picture.width, 60))  # the empty top-right corner
    dark = sum(title.histogram()[:128])  # pixels darker than mid-grey
    assert dark > 2000  # glyph strokes, not an empty band
    assert sum(margin.histogram()[:128]) == 0


def test_svg_keeps_the_chinese_title_as_text(rendered):
    svg = rendered["svg"].decode("utf-8")
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert re.search(rf"<text[^>]*>(<tspan[^>]*>)?{TITLE}</tspan>", svg)  # the title's first line, as text
    assert "数据来源：商标注册数据（国家知识产权局商标局，按注册人地址归属乡镇）；示例数据" in texts
    assert "Noto Sans CJK SC" in svg


def test_pdf_has_one_page(rendered):
    pdf = rendered["pdf"]
    assert pdf.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1


def test_unknown_format_is_refused(figure):
    with pytest.raises(ValueError, match="不支持的格式 eps"):
        images.render(figure, "eps")


def test_batch_export_writes_named_files_a_workbook_and_a_zip(small_store, registry, tmp_path):
    settings = Settings(db_url=small_store.url)
    result = export_month(build_month(small_store, registry, settings, "411521", "罗山县", JUNE, False), tmp_path,
                          ("png", "svg"))
    names = sorted(p.name for p in result.files)
    assert "2021-06_商标注册总量_趋势.png" in names and "2021-06_商标注册总量_趋势.svg" in names
    assert "2021-06_数据表.xlsx" in names and "2021-06_商标_每月新注册.png" in names
    assert result.zip_path.name == "2021-06_图表与数据.zip"
    with zipfile.ZipFile(result.zip_path) as archive:
        assert sorted(archive.namelist()) == names
    drawn = [c for c in build_month(small_store, registry, settings, "411521", "罗山县", JUNE, False).charts if c.figure]
    assert len(names) == 2 * len(drawn) + 1
    # A township: its name in the file names; a chart with nothing to draw is listed, not drawn.
    township = export_month(build_month(small_store, registry, settings, "411521101", "周党镇",
                                        pd.Period("2020-12", freq="M"), False), tmp_path / "t", ("png",))
    assert all("周党镇" in p.name for p in township.files)
    assert "专利_每月授权：周党镇近24个月没有专利授权记录。" in township.skipped
    assert not any("专利_每月授权" in p.name for p in township.files)


def test_month_workbook_has_a_formatted_sheet_per_table(small_store, registry):
    settings = Settings(db_url=small_store.url)
    month = build_month(small_store, registry, settings, "411521", "罗山县", JUNE, True)
    book = load_workbook(io.BytesIO(month_workbook(month)))
    # The goal file's quarterly and yearly indicators get sheets of their own beside the monthly goals; since
    # issue 17 every table has a sheet of its own (an area's first under the area's name, in this order).
    areas = ["目标", "目标（季度）", "目标（年度）", "商标", "品牌培育", "专利", "质押融资", "企业培育", "奖励测算", "乡镇对比"]
    assert [name for name in book.sheetnames if "·" not in name] == areas
    assert len(book.sheetnames) == sum(len(tables) for tables in month.tables.values())
    assert "目标·各项目标逐月数值" in book.sheetnames and "商标·有效商标按类型" in book.sheetnames
    goals = book["目标"]
    assert goals["A1"].value == "罗山县 · 截至2021年6月底（示例数据） · 目标"
    assert goals["A3"].value == "各项目标进度" and goals.freeze_panes == "A5"
    header = [c.value for c in goals[4]]
    # Grouped by theme, each figure with its period (the file has quarterly and yearly indicators too).
    assert header[:6] == ["主题", "指标", "期间", "单位", "当前值", "2030年目标"] and "完成率（%）" in header
    first = {h: c for h, c in zip(header, goals[5])}
    assert first["指标"].value == "商标注册总量" and first["当前值"].value == 3
    assert first["完成率（%）"].value == 0.1 and first["完成率（%）"].number_format == "0.0"
    assert goals[4][0].font.bold
    # A count is an integer in a column that also holds ratios; a ratio has its goal's decimals.
    assert first["当前值"].number_format == "#,##0"
    rows = {row[1].value: {h: c for h, c in zip(header, row)} for row in goals.iter_rows(min_row=5)}
    per_10k = registry.goal("invention_patents_per_10k")
    assert rows[per_10k.name_zh]["当前值"].number_format == "#,##0." + "0" * per_10k.decimals
    # Printed: landscape, one page wide, the header on every page.
    assert goals.page_setup.orientation == "landscape" and goals.page_setup.fitToWidth == 1
    assert goals.page_setup.fitToHeight == 0 and goals.print_title_rows == "$4:$4"
    # Months are dates shown as 2021年6月, not text.
    monthly = book["目标·各项目标逐月数值"]
    assert monthly["A5"].is_date and monthly["A5"].number_format == 'yyyy"年"m"月"'


def test_text_that_looks_like_a_formula_stays_text():
    book = Workbook()
    book.remove(book.active)
    add_tables_sheet(book, "表", [("清单", pd.DataFrame({"名称": ["=SUM(A1:A2)", "+86", "-x", "@cmd", "正常"],
                                                         "金额": [1200.5, 3, 4, 5, 6]}))])
    buffer = io.BytesIO()
    book.save(buffer)
    sheet = load_workbook(buffer)["表"]
    values = [sheet.cell(row=r, column=1).value for r in range(3, 8)]
    assert values == ["'=SUM(A1:A2)", "'+86", "'-x", "'@cmd", "正常"]
    assert all(sheet.cell(row=r, column=1).data_type == "s" for r in range(3, 8))
    # Issue 17: each figure with its own decimals (1200.5 has one), a whole number as an integer.
    assert sheet.cell(row=3, column=2).number_format == "#,##0.0"
    assert sheet.cell(row=4, column=2).number_format == "#,##0"


def test_without_chromium_exports_say_what_to_install(monkeypatch, figure, small_store, tmp_path, capsys):
    monkeypatch.setattr(images, "browser_path", lambda: None)
    assert not images.available()
    with pytest.raises(images.ExportUnavailable, match="sudo apt-get install chromium fonts-noto-cjk"):
        images.render(figure, "png")
    code, _, err = call(capsys, "--db", small_store.url, "export", "--as-of", "2021-06", "--out", str(tmp_path))
    assert code == 1 and "chromium fonts-noto-cjk" in err


def test_where_names_region_month_and_sample():
    where = Where("411521001", "丽水街道", JUNE, True)
    assert where.subtitle("件") == "丽水街道 · 截至2021年6月底 · 单位：件"
    assert where.source("商标注册数据") == "数据来源：商标注册数据；示例数据"


def _font_sizes(figure) -> list[float]:
    """Every text size a figure sets: layout, title, legend, axes' ticks, annotations, sized spans."""
    layout = figure.layout
    sizes = [layout.font.size, layout.title.font.size, layout.legend.font.size]
    sizes += [axis.tickfont.size for axis in (layout.xaxis, layout.yaxis)]
    sizes += [annotation.font.size for annotation in layout.annotations]
    sizes += [float(px) for px in re.findall(r"font-size:(\d+)px", layout.title.text)]
    return sizes


def test_exported_chart_text_is_at_least_9_pt_at_16_cm(figure):
    # 16 cm at 300 dpi: 16 / 2.54 × 300 = 1890 px = the 756 px layout rendered at scale 2.5.
    assert images.WIDTH * images.SCALE == pytest.approx(16 / 2.54 * 300, abs=1)
    # One layout px placed 16 cm wide: 16 / 2.54 × 72 = 453.5 pt over 756 px = 0.6 pt, so 16 px is 9.6 pt.
    assert theme.printed_pt(theme.EXPORT_MIN_FONT_PX) == pytest.approx(9.6, abs=0.01)
    exported = theme.for_export(figure)
    sizes = _font_sizes(exported)
    assert None not in sizes and min(sizes) >= theme.EXPORT_MIN_FONT_PX
    assert min(theme.printed_pt(size) for size in sizes) >= 9
    # The screen figure keeps its sizes (the source line is 11 px there: 6.6 pt had it been printed).
    assert min(s for s in _font_sizes(figure) if s) == 11 and "<sup>" in figure.layout.title.text
    # Room grows with the type: 460 px × 17/14 = 559 px.
    assert exported.layout.height == round(figure.layout.height * 17 / 14)


def test_a_slide_chart_is_drawn_at_the_size_it_is_placed_with_14_pt_text(figure):
    from ipmetrics.export import slides
    from ipmetrics.meeting.briefing_model import Briefing, BriefingChart, GoalSlide

    with images.session():
        png = images.render_for_slide(figure, *slides.CHART_BOX_PT)
    layout_width, layout_height = theme.slide_layout_px(*slides.CHART_BOX_PT)
    # The box is 7.98 in × 4.3 in = 574.6 pt × 309.6 pt; at 0.875 pt a layout px: 657 × 354 px.
    assert (layout_width, layout_height) == (657, 354)
    chart = BriefingChart("商标注册总量", b"not used: the slide chart replaces it", "图1")
    goal = GoalSlide("trademarks_registered", "商标注册总量", "on_track", "正常", [("当前值", "3 件")], "稳步增长。", chart)
    briefing = Briefing(title="简报", subtitle="", date_line="", region_name="罗山县", month=JUNE, sample=False,
                        narrative=[], goals=pd.DataFrame({"指标": ["商标注册总量"]}), goal_statuses=["on_track"],
                        changes=pd.DataFrame(), brands=pd.DataFrame(), actions=pd.DataFrame(), charts=[chart],
                        slides=[goal], footer="")
    deck = pptx.Presentation(io.BytesIO(slides.pptx_bytes(briefing, {"trademarks_registered": png})))
    picture = next(s for s in deck.slides[2].shapes if s.shape_type == pptx.enum.shapes.MSO_SHAPE_TYPE.PICTURE)
    placed_pt_per_px = picture.width / 12700 / layout_width  # 12,700 EMU a point
    smallest = min(_font_sizes(theme.for_slide(figure, layout_width, layout_height)))
    # 16 px × (574.6 pt / 657 px) = 14.0 pt: the smallest chart text as projected
    assert smallest * placed_pt_per_px >= 13.95
    # Drawn at 300 dpi over the box: 574.6 pt / 72 × 300 = 2394 px wide.
    assert Image.open(io.BytesIO(png)).size[0] == pytest.approx(574.6 / 72 * 300, abs=3)
    # The briefing's own slide charts (monthly.briefing_for draws them) are used when none are passed.
    from dataclasses import replace
    deck = pptx.Presentation(io.BytesIO(slides.pptx_bytes(replace(briefing, slide_charts={"trademarks_registered": png}))))
    picture = next(s for s in deck.slides[2].shapes if s.shape_type == pptx.enum.shapes.MSO_SHAPE_TYPE.PICTURE)
    assert picture.image.blob == png


def test_slide_charts_are_drawn_in_one_batch_at_projector_resolution(figure):
    from ipmetrics.export import slides
    from ipmetrics.export.render_batch import SLIDE_DPI, render_for_slides

    with images.session():
        (png,) = render_for_slides([figure], *slides.CHART_BOX_PT)
    # 150 dpi over the 574.6 pt box: 574.6 / 72 × 150 = 1197 px, stamped 150 dpi for the office suites.
    picture = Image.open(io.BytesIO(png))
    assert SLIDE_DPI == 150 and picture.size[0] == pytest.approx(574.6 / 72 * 150, abs=3)
    assert picture.info["dpi"] == pytest.approx((150, 150), abs=0.5)


def test_a_table_download_goes_through_the_same_writer():
    from ipmetrics.io.workbooks import table_workbook, write_workbook

    frame = pd.DataFrame({"月份": ["2026-10", "2026-11"], "件数": [4653.0, 12.0], "每万人": [0.766, 1.2]})
    sheet = load_workbook(io.BytesIO(table_workbook(frame)))["数据"]
    assert sheet["A2"].is_date and sheet["A2"].number_format == 'yyyy"年"m"月"'
    assert sheet["B2"].value == 4653 and sheet["B2"].number_format == "#,##0"  # never 4,653.00
    assert sheet["C2"].number_format == "#,##0.000" and sheet["C3"].number_format == "#,##0.000"  # 0.766 has three
    assert sheet.page_setup.orientation == "landscape" and sheet.freeze_panes == "A2"
    assert sheet.print_title_rows == "$1:$1"
    # Import templates and error files keep months as text: they go back into the importer.
    buffer = io.BytesIO()
    write_workbook({"数据": frame}, buffer)
    assert load_workbook(buffer)["数据"]["A2"].value == "2026-10"


def test_a_table_continued_on_the_next_slide_repeats_its_group_heading():
    from ipmetrics.export import slides
    from ipmetrics.export.layout import Table

    # Five rows under two themes, at most three body lines (headings included) a slide:
    # [创造, a, b] | [c, 运用, d] | [e] → the second slide continues 创造, the third 运用.
    frame = pd.DataFrame({"指标": list("abcde")})
    table = Table(frame, None, (("创造", 3), ("运用", 2)))
    pages = slides.table_pages(table, 14, 10**9, 10**9, most_rows=3)
    assert [page.groups for page in pages] == [(("创造", 2),), (("创造（续）", 1), ("运用", 1)), (("运用（续）", 1),)]
    assert [list(page.frame["指标"]) for page in pages] == [["a", "b"], ["c", "d"], ["e"]]


def test_a_long_source_line_ends_inside_the_picture():
    # Long names push the plot right (plotly's automargin); the source line under it used to run past the
    # picture's right edge, cut off there ("…人口：统计年鉴；" without "示例数据"). Now the last 8 px are blank.
    names = ["新兴产业 · 精密加工", "新兴产业 · 电子信息", "其他 · 建材"]
    figure = theme.apply_theme(go.Figure(go.Bar(x=[76, 72, 17], y=names, orientation="h")),
                               "近12个月专利授权按产业", "罗山县 · 件",
                               "数据来源：专利数据（省知识产权局月报，国家知识产权局数据）；人口：统计年鉴；示例数据")
    with images.session():
        picture = Image.open(io.BytesIO(images.render(figure, "png"))).convert("L")
    width, height = picture.size
    edge = picture.crop((width - round(8 * images.SCALE), 0, width, height))
    assert edge.getextrema() == (255, 255)  # white: no text reaches the edge
    foot = picture.crop((0, height - round(60 * images.SCALE), width, height))
    rows_with_text = [y for y in range(foot.height) if foot.crop((0, y, width, y + 1)).getextrema()[0] < 160]
    # two lines of 16 px text (40 px apart at scale 2.5 would be one line): the line was wrapped, not dropped
    assert rows_with_text and rows_with_text[-1] - rows_with_text[0] > round(30 * images.SCALE)


def test_a_ranking_s_number_axis_reads_as_numbers():
    # The theme's month format on a ranking's number axis made plotly print its raw float: 0.6000000000000001.
    table = pd.DataFrame({"乡镇": ["龙山街道", "尤店乡", "青山镇"], "每万人": [0.97, 0.7, 0.42]})
    figure = bars.ranking_figure(table, "乡镇", "每万人", "每万人口高价值发明专利拥有量", "罗山县 · 件/万人", "件/万人",
                                 "数据来源：示例")
    with images.session():
        svg = images.render(figure, "svg").decode()
    ticks = re.findall(r'class="xtick"><text[^>]*>([^<]*)</text>', svg)
    assert ticks[:4] == ["0", "0.2", "0.4", "0.6"]


def test_a_ranking_s_source_line_follows_its_axis_title_without_a_legend_s_gap():
    # A ranking has no legend; the theme kept a legend's band for it all the same, so its source line sat
    # 214 px (at 300 dpi) below the axis title. Now the gap is a line's spacing.
    table = pd.DataFrame({"乡镇": ["龙山街道", "尤店乡", "青山镇"], "每万人": [0.97, 0.7, 0.42]})
    figure = bars.ranking_figure(table, "乡镇", "每万人", "每万人口高价值发明专利拥有量", "罗山县 · 件/万人", "件/万人",
                                 "数据来源：示例")
    assert figure.layout.margin.b == 100 and figure.layout.annotations[-1].yshift == -84
    legend_kept = theme.apply_theme(go.Figure(go.Bar(x=[1, 2], y=[3, 4])), "两列", "罗山县", "数据来源：示例")
    assert legend_kept.layout.margin.b == 150  # a chart that may show a legend keeps its room
    with images.session():
        picture = Image.open(io.BytesIO(images.render(figure, "png"))).convert("L")
    width, height = picture.size
    inked = [y for y in range(height) if picture.crop((0, y, width, y + 1)).getextrema()[0] < 160]
    gaps = [after - before for before, after in zip(inked, inked[1:]) if after - before > 1]
    assert gaps[-1] < 40 * images.SCALE  # between the axis title and the source line, the last text
