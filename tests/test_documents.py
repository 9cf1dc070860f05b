"""The meeting briefing as Word, PowerPoint, HTML and PDF, written from a hand-made Briefing.

The PDF pages are rendered to PNG in test-artifacts/briefing/ for a human look after the run.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import re
from pathlib import Path

import docx
import pandas as pd
import pptx
import pytest
from docx.oxml.ns import qn
from PIL import Image, ImageDraw
from pptx.oxml.ns import qn as pqn

from ipmetrics.export import images, kaleido_tabs
from ipmetrics.export import pdf as pdf_writer
from ipmetrics.export import slides as slide_writer
from ipmetrics.export import word as word_writer
from ipmetrics.meeting.briefing_model import STATUS_COLOURS, Briefing, BriefingChart, GoalSlide

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "test-artifacts" / "briefing"
STATUS_ZH = {"achieved": "已达成", "on_track": "正常", "at_risk": "预警", "off_track": "滞后",
             "no_data": "无数据", "no_target": "无分解目标"}
COLUMNS = ["指标", "当前值", "目标（2030年）", "完成率", "较上月", "序时进度值", "预计2030年", "状态"]  # as briefing.py
GOALS = [  # the columns above, with the status id last
    ("每万人口有效发明专利拥有量", "1.82 件", "4.5", "40.4%", "+0.03", "2.6", "3.1", "off_track"),
    ("驰名商标", "0 件", "1", "0.0%", "0", "0.6", "0", "off_track"),
    ("地理标志商标", "3 件", "6", "50.0%", "0", "4.2", "4", "at_risk"),
    ("知识产权质押融资额", "0.86 亿元", "2", "43.0%", "+0.05", "1.3", "1.6", "at_risk"),
    ("商标注册总量", "9,134 件", "12,000", "76.1%", "+112", "9,800", "12,480", "on_track"),
    ("有效发明专利", "163 件", "300", "54.3%", "+4", "190", "305", "on_track"),
    ("国家知识产权优势示范企业", "2 家", "2", "100.0%", "0", "1.4", "2", "achieved"),
    ("省知识产权强企", "5 家", "—", "—", "0", "—", "—", "no_target"),
    ("贯标企业", "—", "10", "—", "—", "6", "—", "no_data"),
]
NARRATIVE = [
    "截至2025年12月底，全县9项知识产权工作目标中，1项已达成，2项进展正常，2项预警，2项滞后，1项无数据。",
    "商标注册总量达到9,134件，完成2030年目标的76.1%，较上月增加112件，按近12个月趋势预计可按期完成。",
    "每万人口有效发明专利拥有量为1.82件，仅完成目标的40.4%，进度明显滞后，需重点督办。",
]


def chart_png(colour: str, width: int = 800, height: int = 400) -> bytes:
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 60, width - 40, height - 40), fill=colour, outline="black", width=4)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def briefing() -> Briefing:
    goals = pd.DataFrame(GOALS, columns=COLUMNS)
    statuses = goals["状态"].tolist()
    goals["状态"] = [STATUS_ZH[s] for s in statuses]
    charts = [
        BriefingChart("商标注册总量", chart_png("#1F5FA8"), "图1 商标注册总量（截至2025年12月底）"),
        BriefingChart("每万人口有效发明专利拥有量", chart_png("#B3261E"), "图2 每万人口有效发明专利拥有量（截至2025年12月底）"),
        BriefingChart("地理标志商标", None, "图3 地理标志商标（截至2025年12月底）"),
    ]
    figures = lambda row: [("当前值", row[1]), ("目标", row[2]), ("完成率", row[3]),  # noqa: E731
                           ("较上月", row[4]), ("预计2030年", row[6])]
    slides = [
        GoalSlide("trademarks_registered", "商标注册总量", "on_track", "正常", figures(GOALS[4]),
                  "商标注册总量稳步增长，预计可按期完成。", charts[0]),
        GoalSlide("inventions_per_10k", "每万人口有效发明专利拥有量", "off_track", "滞后", figures(GOALS[0]),
                  "发明专利增长缓慢，按当前趋势2030年仅能完成目标的69%。", charts[1],
                  actions=["县市场监管局：走访10家高新技术企业，摸清专利申请计划（2026年2月底前）",
                           "县科技局：落实发明专利资助政策", "县财政局：安排专项资金"]),
        GoalSlide("gi_marks", "地理标志商标", "at_risk", "预警", figures(GOALS[2]), "地理标志商标申报进展偏慢。",
                  charts[2]),
        GoalSlide("well_known", "驰名商标", "off_track", "滞后", figures(GOALS[1]), "尚无驰名商标。", None),
    ]
    return Briefing(
        title="罗山县知识产权工作目标进展简报",
        subtitle="截至2025年12月底 · 2025年12月快照第1版",
        date_line="2026年1月5日",
        region_name="罗山县",
        month=pd.Period("2025-12", freq="M"),
        sample=True,
        narrative=NARRATIVE,
        goals=goals,
        goal_statuses=statuses,
        changes=pd.DataFrame({"指标": ["商标注册总量", "有效发明专利"], "上次": ["9,022", "159"],
                              "本次": ["9,134", "163"], "变化": ["+112", "+4"], "状态变化": ["—", "预警 → 正常"]}),
        brands=pd.DataFrame({"品牌": ["罗山信阳毛尖", "<script>alert('x')</script>皮影"], "类型": ["地理标志", "集体商标"],
                             "培育单位": ["县茶产业办", "县文广旅局"], "状态": ["已注册", "申请中"]}),
        actions=pd.DataFrame({"事项": ["走访高新技术企业，摸清专利申请计划", "组织地理标志商标申报材料"],
                              "责任单位": ["县市场监管局", "县农业农村局"], "期限": ["2026年2月底", "2026年3月底"],
                              "进展": ["进行中", "未开始"]}),
        charts=charts,
        slides=slides,
        footer="数据来源：2025年12月快照第1版（编号 snap-20260105-01），张三于2026年1月5日冻结，数据校验值 3f9a1c7e。",
    )


@pytest.fixture(scope="module")
def word(briefing) -> docx.document.Document:
    return docx.Document(io.BytesIO(word_writer.docx_bytes(briefing)))


@pytest.fixture(scope="module")
def slides(briefing) -> pptx.presentation.Presentation:
    return pptx.Presentation(io.BytesIO(slide_writer.pptx_bytes(briefing)))


def texts(document) -> list[str]:
    return [p.text for p in document.paragraphs]


# --- Word --------------------------------------------------------------------------------------------
def test_docx_goals_table_with_repeated_bold_shaded_header(word, briefing):
    table = word.tables[0]
    assert len(table.rows) == 1 + 9
    assert [c.text for c in table.rows[0].cells] == list(briefing.goals.columns)
    assert table.cell(1, 0).text == "每万人口有效发明专利拥有量"
    assert table.cell(5, 1).text == "9,134 件"
    assert table.cell(9, 7).text == "无数据"
    header = table.rows[0]
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(run.bold for cell in header.cells for run in cell.paragraphs[0].runs)
    assert header.cells[0]._tc.tcPr.find(qn("w:shd")).get(qn("w:fill")) == "D9D9D9"


def test_docx_status_cells_coloured_by_status(word, briefing):
    table = word.tables[0]
    for row, status in enumerate(briefing.goal_statuses, start=1):
        run = table.cell(row, 7).paragraphs[0].runs[0]
        assert str(run.font.color.rgb) == STATUS_COLOURS[status]
        assert run.bold
    assert str(table.cell(1, 7).paragraphs[0].runs[0].font.color.rgb) == "B3261E"  # off_track
    assert table.cell(1, 0).paragraphs[0].runs[0].font.color.rgb is None  # only the 状态 column


def test_docx_sections_in_order_with_text_and_pictures(word, briefing):
    paragraphs = texts(word)
    order = [paragraphs.index(h) for h in ("一、总体情况", "二、各项目标进展", "三、与上次快照相比", "四、品牌培育",
                                           "五、督办事项", "六、主要图表")]
    assert order == sorted(order)
    assert paragraphs[0] == briefing.title and briefing.subtitle in paragraphs and briefing.date_line in paragraphs
    for paragraph in NARRATIVE:
        assert paragraph in paragraphs
    assert "示例数据（仅用于演示）" in paragraphs
    assert len(word.inline_shapes) == 2  # the two charts with a PNG
    assert all(abs(shape.width.cm - 16) < 0.01 for shape in word.inline_shapes)
    assert "图1 商标注册总量（截至2025年12月底）" in paragraphs
    assert "图3 地理标志商标（截至2025年12月底）（图表未能生成）" in paragraphs
    assert paragraphs[-1] == briefing.footer
    assert len(word.tables) == 4  # goals, changes, brands, actions
    assert word.tables[2].cell(2, 0).text == "<script>alert('x')</script>皮影"


def test_docx_a4_with_page_number_field(word):
    section = word.sections[0]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7
    assert round(section.left_margin.cm, 1) == 2.2 and round(section.top_margin.cm, 1) == 2.5
    footer = section.footer.paragraphs[0]
    assert "PAGE" in "".join(footer._p.itertext()) and footer.text.startswith("第 ")


def test_docx_names_east_asian_fonts(word):
    def east_asia(rpr) -> str:
        return rpr.find(qn("w:rFonts")).get(qn("w:eastAsia"))

    assert east_asia(word.styles["Normal"].element.rPr) == "宋体"
    assert east_asia(word.styles["Heading 1"].element.rPr) == "黑体"
    assert east_asia(word.styles["Title"].element.rPr) == "黑体"
    cell_run = word.tables[0].cell(3, 0).paragraphs[0].runs[0]
    fonts = cell_run._r.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "宋体" and fonts.get(qn("w:ascii")) == "Times New Roman"
    assert cell_run.font.size.pt == 10.5
    assert word.styles["Normal"].font.size.pt == 12
    # theme font attributes would override the names in Word
    assert not any("Theme" in key or "theme" in key for key in fonts.attrib)


def test_docx_empty_tables_become_sentences(briefing):
    empty = dataclasses.replace(briefing, changes=pd.DataFrame(), brands=pd.DataFrame(), actions=pd.DataFrame(),
                                sample=False)
    word = docx.Document(io.BytesIO(word_writer.docx_bytes(empty)))
    paragraphs = texts(word)
    assert {"无上次快照可比。", "没有列入培育计划的品牌。", "当前没有督办事项。"} <= set(paragraphs)
    assert len(word.tables) == 1
    assert not any("示例数据" in p for p in paragraphs)


# --- PowerPoint --------------------------------------------------------------------------------------
def frames(shape):
    """The text frames of a shape, a table's cells included."""
    if shape.has_text_frame:
        yield shape.text_frame
    if getattr(shape, "has_table", False) and shape.has_table:
        for row in shape.table.rows:
            for cell in row.cells:
                yield cell.text_frame


def slide_text(slide) -> str:
    return "\n".join(frame.text for shape in slide.shapes for frame in frames(shape))


def test_pptx_slides_in_order(slides, briefing):
    assert (slides.slide_width, slides.slide_height) == (pptx.util.Inches(13.333), pptx.util.Inches(7.5))
    assert len(slides.slides) == 2 + len(briefing.slides) + 1
    cover, overview, *goals, actions = slides.slides
    assert briefing.title in slide_text(cover) and briefing.date_line in slide_text(cover)
    assert "示例数据（仅用于演示）" in slide_text(cover)
    assert overview.shapes.title.text == "总体情况" and NARRATIVE[0] in slide_text(overview)
    table = next(s for s in overview.shapes if s.has_table).table
    assert [table.cell(0, i).text for i in range(len(table.columns))] == ["指标", "当前值", "目标（2030年）", "完成率", "状态"]
    assert len(table.rows) == 10
    assert str(table.cell(1, 4).text_frame.paragraphs[0].runs[0].font.color.rgb) == "B3261E"
    assert actions.shapes.title.text == "督办事项" and "走访高新技术企业" in slide_text(actions)


def test_pptx_goal_slides(slides, briefing):
    for slide, goal in zip(list(slides.slides)[2:], briefing.slides):
        title = slide.shapes.title.text_frame.paragraphs[0]
        assert goal.title in title.text and goal.status_label in title.text
        assert str(title.runs[-1].font.color.rgb) == STATUS_COLOURS[goal.status]
        pictures = [s for s in slide.shapes if s.shape_type == pptx.enum.shapes.MSO_SHAPE_TYPE.PICTURE]
        has_png = goal.chart is not None and goal.chart.png is not None
        assert len(pictures) == has_png
        for picture in pictures:  # inside the slide, right of the figures, aspect ratio kept
            assert picture.left >= pptx.util.Inches(4.5) and picture.left + picture.width <= slides.slide_width
            assert picture.width <= pptx.util.Inches(8.1)
            assert abs(picture.width / picture.height - 2.0) < 0.01
        text = slide_text(slide)
        assert goal.sentence in text and goal.figures[0][1] in text
        values = [r for s in slide.shapes if s.has_text_frame for p in s.text_frame.paragraphs for r in p.runs
                  if r.text == goal.figures[2][1]]
        assert values and values[0].font.size.pt >= 20
        for shape in slide.shapes:  # nothing placed off the slide
            assert shape.left >= 0 and shape.top >= 0
            assert shape.left + shape.width <= slides.slide_width and shape.top + shape.height <= slides.slide_height
    inventions = list(slides.slides)[3]
    assert "走访10家高新技术企业" in slide_text(inventions) and "另有1项" in slide_text(inventions)
    assert "（图表未能生成）" in slide_text(list(slides.slides)[4])


def test_pptx_long_sentence_gets_smaller_type(briefing):
    sentence = "按近12个月趋势，" * 20  # 180 characters: three lines at 18 pt would not fit the box
    goal = dataclasses.replace(briefing.slides[0], sentence=sentence)
    deck = pptx.Presentation(io.BytesIO(slide_writer.pptx_bytes(dataclasses.replace(briefing, slides=[goal]))))
    run = next(r for s in deck.slides[2].shapes if s.has_text_frame for p in s.text_frame.paragraphs
               for r in p.runs if r.text == sentence)
    assert run.font.size.pt < 18


def test_pptx_names_east_asian_font_on_every_run(slides):
    runs = [r for slide in slides.slides for shape in slide.shapes for frame in frames(shape)
            for p in frame.paragraphs for r in p.runs]
    assert runs
    for run in runs:
        rpr = run._r.find(pqn("a:rPr"))
        assert rpr.find(pqn("a:ea")).get("typeface") == "微软雅黑"
        children = [child.tag for child in rpr]
        assert children.index(pqn("a:latin")) < children.index(pqn("a:ea"))  # schema order


def test_pptx_sample_mark_on_every_slide_and_actions_split(briefing):
    many = pd.DataFrame({"事项": [f"督办事项{i}" for i in range(17)], "责任单位": ["县市场监管局"] * 17})
    deck = pptx.Presentation(io.BytesIO(slide_writer.pptx_bytes(dataclasses.replace(briefing, actions=many))))
    assert len(deck.slides) == 2 + len(briefing.slides) + 3  # 8 + 8 + 1 rows
    assert all("示例数据" in slide_text(slide) for slide in deck.slides)
    action_slides = list(deck.slides)[-3:]
    assert [s.shapes.title.text for s in action_slides] == ["督办事项（1/3）", "督办事项（2/3）", "督办事项（3/3）"]
    assert [len(next(x for x in s.shapes if x.has_table).table.rows) for s in action_slides] == [9, 9, 2]

    real = dataclasses.replace(briefing, sample=False, actions=pd.DataFrame())
    deck = pptx.Presentation(io.BytesIO(slide_writer.pptx_bytes(real)))
    assert not any("示例数据" in slide_text(slide) for slide in deck.slides)
    assert "当前没有督办事项" in slide_text(list(deck.slides)[-1])


# --- HTML and PDF ------------------------------------------------------------------------------------
def test_html_escapes_and_inlines_charts(briefing):
    page = pdf_writer.html_text(briefing)
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;皮影" in page
    assert page.count('<img src="data:image/png;base64,') == 2
    # A chart drawn as SVG too is placed as the vector drawing (the PNG stays for Word).
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>商标</text></svg>'.encode()
    with_svg = dataclasses.replace(briefing, charts=[dataclasses.replace(briefing.charts[0], svg=svg),
                                                     *briefing.charts[1:]])
    page = pdf_writer.html_text(with_svg)
    assert page.count('<img src="data:image/png;base64,') == 1
    assert f'<figure aria-label="商标注册总量">{svg.decode()}<figcaption>' in page
    assert "@page { size: A4; margin: 20mm 18mm;" in re.sub(r"\s+", " ", page)
    assert "thead { display: table-header-group; }" in page
    assert f'style="color:#{STATUS_COLOURS["off_track"]};font-weight:bold">滞后</td>' in page
    for heading in ("一、总体情况", "六、主要图表"):
        assert f"<h2>{heading}</h2>" in page
    assert "示例数据（仅用于演示）" in page


def test_pdf_without_browser_says_what_to_install(briefing, monkeypatch):
    monkeypatch.setattr(images, "browser_path", lambda: None)
    with pytest.raises(images.ExportUnavailable, match="chromium"):
        pdf_writer.pdf_bytes(briefing)


def test_pdf_browser_failure_is_reported_in_chinese(briefing, monkeypatch):
    # The PDF is printed by a tab of the shared Chromium (export/kaleido_tabs.py); what the browser says
    # when printing fails reaches the user after a Chinese sentence. (It used to start a Chromium of its
    # own and report that process's exit code and last lines of output.)
    monkeypatch.setattr(images, "session", contextlib.nullcontext)

    def refuses(url):
        assert url.startswith("file://") and url.endswith("briefing.html")
        raise RuntimeError("Chromium: {'code': -32000, 'message': 'Printing failed'}")

    monkeypatch.setattr(kaleido_tabs, "print_page_pdf", refuses)
    with pytest.raises(images.ExportUnavailable, match=r"^Chromium 未能生成 PDF：.*Printing failed"):
        pdf_writer.pdf_bytes(briefing)


@pytest.mark.browser
@pytest.mark.skipif(images.browser_path() is None, reason="needs Chromium")
def test_pdf_prints_the_briefing_with_embedded_chinese_fonts(briefing):
    pdfium = pytest.importorskip("pypdfium2")
    data = pdf_writer.pdf_bytes(briefing)
    assert data.startswith(b"%PDF")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("page-*.png"):
        old.unlink()
    (ARTIFACTS / "briefing.pdf").write_bytes(data)

    pdf = pdfium.PdfDocument(data)
    assert len(pdf) >= 2
    text, dark = "", []
    for n, page in enumerate(pdf, start=1):
        image = page.render(scale=1.5).to_pil().convert("L")
        image.save(ARTIFACTS / f"page-{n}.png")
        dark.append(sum(image.histogram()[:128]))  # pixels darker than mid-grey: glyphs, rules, charts
        text += page.get_textpage().get_text_range()
    pdf.close()
    assert min(dark) > 200, dark  # no blank page (the last may hold only the source line)
    assert dark[0] > 20000, dark  # title, narrative and the goals table
    assert briefing.title in text and "每万人口有效发明专利拥有量" in text and "第 1 页" in text
    assert "file://" not in text and "briefing.html" not in text  # no browser header or footer
