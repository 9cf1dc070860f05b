"""The briefing (Word, PowerPoint) and the month's workbook as LibreOffice renders them: converted to PDF
headless in one soffice call, then page counts and every name and action item read back page by page (text
that a fixed row height or a page edge clipped would be missing). Page PNGs are kept under
test-artifacts/office/ to look at."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from ipmetrics.charts.month import build_month
from ipmetrics.core.settings import Settings
from ipmetrics.export import slides as slide_writer
from ipmetrics.export import word as word_writer
from ipmetrics.export.workbook import month_workbook
from ipmetrics.meeting.briefing_model import Briefing, GoalSlide

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                                reason="LibreOffice (soffice) 或 poppler 未安装：运行 scripts/setup.sh --office 安装")

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "office"
GOAL_NAMES = [f"第{n}项知识产权工作目标（{'每万人口有效发明专利拥有量' if n % 3 else '商标注册总量'}）" for n in range(1, 31)]
ACTION_TEXT = ("梳理茶叶、板栗龙头企业商标使用证据，择优推荐驰名商标；会同县农业农村局、县工业和信息化局逐户走访，"
               "建立培育台账，每月报送进展")
ACTIONS = pd.DataFrame({
    "编号": [f"DB-2026-{n:02d}" for n in range(1, 13)],
    "工作措施": [f"{ACTION_TEXT}（第{n}项）" for n in range(1, 13)],
    "责任单位": ["县市场监督管理局（配合：县农业农村局、县工业和信息化局）"] * 12,
    "完成时限": ["2026-06-30"] * 12,
})


def _briefing() -> Briefing:
    goals = pd.DataFrame({"指标": GOAL_NAMES, "当前值": [f"{n * 151:,} 件" for n in range(30)],
                          "目标（2030年）": ["≥ 5,000 件"] * 30, "完成率": [f"{n * 3.1:.1f}%" for n in range(30)],
                          "状态": ["滞后"] * 30})
    slide = GoalSlide("g1", GOAL_NAMES[0], "off_track", "滞后", [("当前值", "0 件"), ("2030年目标", "≥ 2 件")],
                      "中国驰名商标0件，完成目标的0.0%。", None, actions=[ACTION_TEXT])
    return Briefing(title="罗山县知识产权工作目标进展简报", subtitle="截至2026年10月底 · 2026年10月快照第1版",
                    date_line="2026年11月27日", region_name="罗山县", month=pd.Period("2026-10", freq="M"), sample=True,
                    narrative=["截至2026年10月底，罗山县知识产权工作30项主要指标中，9项设有目标值。"], goals=goals,
                    goal_statuses=["off_track"] * 30, changes=pd.DataFrame(), brands=pd.DataFrame(), actions=ACTIONS,
                    charts=[], slides=[slide], footer="依据罗政〔2021〕28号。")


def _page_texts(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


def _squeezed(text: str) -> str:
    return "".join(text.split())


@pytest.fixture(scope="module")
def rendered(small_store, registry, tmp_path_factory) -> dict[str, Path]:
    """The three documents converted by one soffice call (it takes 5–15 s a file); page PNGs kept."""
    work = tmp_path_factory.mktemp("office")
    briefing = _briefing()
    month = build_month(small_store, registry, Settings(db_url=small_store.url), "411521", "罗山县",
                        pd.Period("2021-06", freq="M"), True)
    files = {"word": work / "word.docx", "slides": work / "slides.pptx", "workbook": work / "workbook.xlsx"}  # stems differ: one PDF each
    files["word"].write_bytes(word_writer.docx_bytes(briefing))
    files["slides"].write_bytes(slide_writer.pptx_bytes(briefing))
    files["workbook"].write_bytes(month_workbook(month))
    subprocess.run(["soffice", f"-env:UserInstallation=file://{work}/profile", "--headless", "--convert-to", "pdf",
                    "--outdir", str(work), *map(str, files.values())], check=True, capture_output=True, timeout=300)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdfs = {}
    for name, source in files.items():
        pdfs[name] = work / f"{source.stem}.pdf"
        assert pdfs[name].exists(), f"LibreOffice did not convert {source.name}"
        for old in ARTIFACTS.glob(f"{name}-*.png"):  # a shorter render must not leave pages of a longer one
            old.unlink()
        subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdfs[name]), str(ARTIFACTS / name)], check=True)
        shutil.copy(pdfs[name], ARTIFACTS / f"{name}.pdf")
    print(f"LibreOffice renders (PDF and page PNGs) in {ARTIFACTS}")
    pdfs["xlsx"] = files["workbook"]
    return pdfs


def test_slides_keep_every_goal_and_action_text_inside_the_slides(rendered):
    pages = [_squeezed(page) for page in _page_texts(rendered["slides"])]
    deck = "".join(pages)
    for name in GOAL_NAMES:  # 30 rows: the overview goes on over 总体情况（续） slides, nothing cut off
        assert _squeezed(name) in deck, name
    assert any("总体情况（续）" in page for page in pages)
    for n in range(1, 13):
        assert _squeezed(f"{ACTION_TEXT}（第{n}项）") in deck, n


def test_word_keeps_rows_whole_and_every_text(rendered):
    pages = [_squeezed(page) for page in _page_texts(rendered["word"])]
    document = "".join(pages)
    for name in GOAL_NAMES + [f"{ACTION_TEXT}（第{n}项）" for n in range(1, 13)]:
        # pdftotext reads a wrapped cell line by line across the row; every character of it is there in order
        assert all(ch in document for ch in _squeezed(name))
    assert 2 <= len(pages) <= 8  # 30 goals and 12 actions on A4


def test_workbook_prints_landscape_one_page_wide(rendered, registry):
    sheets = len(load_workbook(io.BytesIO(rendered["xlsx"].read_bytes())).sheetnames)
    info = subprocess.run(["pdfinfo", str(rendered["workbook"])], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    size = next(line for line in info.splitlines() if line.startswith("Page size:")).split()
    width, height = float(size[2]), float(size[4])
    assert width > height  # landscape
    # one table a sheet, one page wide: the small store's tables need no more than two pages each
    assert sheets <= pages <= 2 * sheets
    goals = _squeezed(_page_texts(rendered["workbook"])[0])
    assert "各项目标进度" in goals and "完成率" in goals
    for goal in registry.goals:  # the goal table on its first page, no column pushed onto a page of its own
        assert _squeezed(goal.name_zh) in goals, goal.name_zh
