"""会议简报's first screen (issue 17, item 5): the goals behind schedule, what changed since the last meeting
and the open action items, as short blocks a laptop (1366×768) and a phone (390×844) show before any
scrolling; on a phone no table wider than the screen, no plotly toolbar, the legend clear of the source line.

The first-screen items and the narrative's counts are checked without a browser; the layout with Debian's
Chromium (`pytest -m browser`), screenshots kept in test-artifacts/meeting/ for a human look.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from ipmetrics.core.settings import SAMPLE_DIR, Settings
from ipmetrics.core.store import Store
from ipmetrics.io.importer import import_files
from ipmetrics.meeting import briefing, first_screen, snapshots, wording

from .conftest import kind_files
from .served import served_app
from .test_browser import chromium  # noqa: F401 (the module's browser, a fixture)

REPO = Path(__file__).resolve().parents[1]
SHOTS = REPO / "test-artifacts" / "meeting"
LAPTOP, PHONE = {"width": 1366, "height": 768}, {"width": 390, "height": 844}
BLOCKS = ("behind", "changes", "actions")  # the first-screen blocks' keys, left to right (top to bottom on a phone)


# --- the first screen's text, without a browser ---------------------------------------------------
@pytest.fixture(scope="module")
def december(module_db_url, registry):
    """The sample with the snapshots of November and December 2025: December's meeting view."""
    store = Store(module_db_url("first_screen"))
    import_files(store, kind_files(SAMPLE_DIR), indicator_ids=set(registry.ids()), mark_sample=True)
    for month in ("2025-11", "2025-12"):
        info = snapshots.freeze(store, registry, Settings(db_url=store.url), month, user="统计员甲")
    return briefing.meeting_view(store, registry, info.id, date(2026, 11, 27))


def test_behind_block_lists_the_goals_behind_furthest_first(december):
    # The sample's December 2025 (README 示例数据): 驰名商标 off track, 每万人口发明专利 at risk.
    items = first_screen.behind_items(december.cards)
    assert [(item.title, item.badge, item.urgent) for item in items] == [
        ("中国驰名商标", "滞后", True), ("每万人口有效发明专利", "预警", False)]
    # 0 of 2 marks: 0 ÷ 2 = 0.0% — a count with no decimals.
    assert items[0].line == "当前0件，目标≥ 2 件，完成0.0%"


def test_changes_block_names_both_statuses(december, registry):
    items = first_screen.change_items(december.comparison, registry)
    by_title = {item.title: item for item in items}
    # 每万人口发明专利 was off track in November and is at risk in December: better, so not in red.
    assert by_title["每万人口有效发明专利"].badge == "滞后 → 预警"
    assert not by_title["每万人口有效发明专利"].urgent
    # Only the goals whose status moved (the other 26 are unchanged), a monitoring indicator (its figure
    # not reported this time) after the goal with a target, although the comparison lists it first.
    moved = december.comparison[december.comparison["status_before"] != december.comparison["status_after"]]
    assert moved["goal_id"].tolist() == ["plant_variety_rights", "invention_patents_per_10k"]
    assert [item.title for item in items] == ["每万人口有效发明专利", registry.goal("plant_variety_rights").label]
    assert by_title[registry.goal("plant_variety_rights").label].badge == "监测指标 → 未上报"


def test_actions_block_puts_overdue_items_first_in_red(december, registry):
    items = first_screen.action_items(december.action_items, registry)
    open_items = december.action_items[december.action_items["state"] == "open"]
    assert len(items) == len(open_items) >= 1
    urgent = [item.urgent for item in items]
    assert urgent == sorted(urgent, reverse=True) and urgent[0]  # overdue ones first
    # DB-2025-06-01, due 2026-06-30, open on 2026-11-27: 30 + 31 + 31 + 30 + 31 + 27 = 150 days late.
    first = items[0]
    assert first.title == "DB-2025-06-01 中国驰名商标" and first.badge == "逾期150天"
    assert first.line == "县市场监督管理局，2026-06-30前"
    assert len(first.detail) <= first_screen.MEASURE_CHARS + 1 and first.detail.endswith("…")


def test_the_narrative_lists_a_sentence_per_goal_and_counts_in_whole_units(december):
    headed = {heading: lines for heading, lines in december.sections if heading}
    behind = headed["需要加快的目标"]
    assert len(behind) == 2 and all(line.endswith("。") for line in behind)
    # 驰名商标 has had none since its baseline: the projection is 0 marks, written as a count.
    assert "预计2030年底达到0件" in behind[0] and "0.0件" not in behind[0]


def test_a_projected_count_is_rounded_towards_falling_short(registry):
    marks = registry.goal("well_known_marks")  # a count, 0 decimals, aimed upwards
    assert (marks.kind, marks.decimals) == ("count", 0)
    assert wording.projection_text(marks, 1.7) == "1"       # 1.7 of 2 marks is not yet 2
    assert wording.projection_text(marks, 2.9999999999) == "3"  # float noise is not a shortfall
    assert wording.projection_text(marks, 3.0) == "3"
    per_10k = registry.goal("invention_patents_per_10k")  # a ratio keeps its decimals
    assert wording.projection_text(per_10k, 0.8123) == per_10k.format_estimate(0.8123)


# --- the layout in a browser ----------------------------------------------------------------------
@pytest.fixture(scope="module")
def served(module_db_url, tmp_path_factory):
    """The sample loaded and November and December 2025 frozen through the CLI, then served."""
    url = module_db_url("first_screen_browser")
    for args in (["load-sample"], ["snapshot", "--month", "2025-11"], ["snapshot", "--month", "2025-12"]):
        done = subprocess.run([sys.executable, "-m", "ipmetrics.cli", "--db", url, *args], cwd=REPO,
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
    with served_app(url, tmp_path_factory.mktemp("first_screen_server")) as base:
        yield base


def open_meeting(chromium, served, viewport):
    from .test_browser import settle
    context = chromium.new_context(viewport=viewport, locale="zh-CN")
    context.set_default_timeout(60_000)
    page = context.new_page()
    page.goto(f"{served}/meeting")
    settle(page)
    page.wait_for_timeout(1000)  # the charts and their legends draw after the run
    return context, page


def assert_blocks_in_first_screen(page, viewport) -> None:
    for key in BLOCKS:
        heading = page.locator(f".st-key-first_{key} h5")
        first = page.locator(f".st-key-meeting_card_{key}_0")
        for element in (heading, first):
            box = element.bounding_box()
            assert box is not None, f"{key}: not shown"
            assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"], \
                f"{key}: bottom at {box['y'] + box['height']:.0f} px, the screen is {viewport['height']} px"
    # The blocks' first items are the ones the library puts first.
    assert "中国驰名商标" in page.locator(".st-key-meeting_card_behind_0").inner_text()
    assert "逾期" in page.locator(".st-key-meeting_card_actions_0").inner_text()
    assert "→" in page.locator(".st-key-meeting_card_changes_0").inner_text()


@pytest.mark.browser
def test_laptop_first_screen_holds_the_three_blocks(chromium, served):
    context, page = open_meeting(chromium, served, LAPTOP)
    try:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "laptop-1366x768.png"))
        assert_blocks_in_first_screen(page, LAPTOP)
        # The snapshot picker is folded away: its select box is not on the screen until asked for.
        assert page.locator('[data-testid="stSelectbox"]').count() == 0 \
            or not page.locator('[data-testid="stMain"] [data-testid="stSelectbox"]').first.is_visible()
        assert page.locator("h1").first.inner_text().startswith("会议简报 · 2025年12月")
    finally:
        context.close()


@pytest.mark.browser
def test_phone_first_screen_cards_lists_and_charts(chromium, served):
    context, page = open_meeting(chromium, served, PHONE)
    try:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "phone-390x844.png"))
        assert_blocks_in_first_screen(page, PHONE)
        width = PHONE["width"]
        # No table wider than the screen: the data frames give way to lists, and nothing scrolls sideways.
        for table in page.locator('[data-testid="stDataFrame"], [data-testid="stTable"], table').all():
            box = table.bounding_box()
            assert box is None or box["x"] + box["width"] <= width + 1
        assert page.locator('[class*="st-key-meeting_narrow_actions"]').inner_text().count("DB-") >= 1
        assert page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollWidth") <= width
        # No plotly toolbar; each chart's legend ends above its source line. The charts are drawn by Vega
        # (charts.screen, as SVG): the legend is its group of role-legend, the source line a text mark.
        charts = page.locator('[data-testid="stVegaLiteChart"]')
        assert charts.count() >= 1
        assert page.locator(".modebar-btn").count() == 0
        for chart in charts.all():
            legend = chart.locator("g.role-legend").first.bounding_box()
            source = chart.locator("text", has_text="数据来源").first.bounding_box()
            assert legend["y"] + legend["height"] <= source["y"] + 1
        height = page.locator('[data-testid="stMain"]').evaluate("el => el.scrollHeight")
        page.set_viewport_size({"width": width, "height": int(height)})
        page.wait_for_timeout(500)
        page.screenshot(path=str(SHOTS / "phone-390-full.png"), full_page=True)
    finally:
        context.close()


def test_the_documents_paragraphs_are_the_sections_run_on(december):
    paragraphs = briefing.paragraphs_of(december.sections)
    assert paragraphs == december.narrative
    heading, lines = next(section for section in december.sections if section[0] == "需要加快的目标")
    assert f"{heading}：{''.join(lines)}" in paragraphs
