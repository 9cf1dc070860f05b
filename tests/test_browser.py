"""End-to-end: the served dashboard in headless Chromium shows the figures the library computes.

Run with `pytest -m browser`. Needs Debian's /usr/bin/chromium (Playwright's own browsers are never
downloaded). Screenshots are kept in test-artifacts/screenshots/ for a human look after the run.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from .served import click_nav, nav_titles, served_app

REPO = Path(__file__).resolve().parents[1]
SHOTS = REPO / "test-artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync", "--disable-dev-shm-usage"]
# What the page calls each status (written out here so a wording change in the app is caught).
STATUS_ZH = {"achieved": "已达成", "on_track": "正常", "at_risk": "预警", "off_track": "滞后",
             "no_data": "无数据", "no_target": "无分解目标"}
NOT_REPORTED_ZH = "未上报"  # no_data, for an indicator reported by an office
BADGE_COUNT = re.compile(rf"^({'|'.join([*STATUS_ZH.values(), NOT_REPORTED_ZH])}) (\d+) 项$")

pytestmark = pytest.mark.browser


# --- fixtures --------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def expected(module_db_url) -> dict:
    """Load the sample through the CLI, then compute what the page must show with the library itself."""
    from ipmetrics.core import catalog
    from ipmetrics.core.goals import load_registry
    from ipmetrics.core.scorecard import scorecard, status_records
    from ipmetrics.core.settings import DEFAULT_INDICATORS, Settings
    from ipmetrics.core.store import Store

    url = module_db_url("browser")
    loaded = subprocess.run([sys.executable, "-m", "ipmetrics.cli", "--db", url, "load-sample"],
                            cwd=REPO, capture_output=True, text=True)
    assert loaded.returncode == 0, loaded.stderr
    store, registry = Store(url), load_registry(DEFAULT_INDICATORS)
    latest = catalog.latest_month(store)
    records = {m: {r["id"]: r for r in status_records(scorecard(store, registry, Settings(db_url=url), None, m))}
               for m in ("2025-12", str(latest))}
    store.dispose()  # DuckDB allows one writer process: free the file for the server
    return {"url": url, "registry": registry, "latest": str(latest), "records": records}


EDITOR_ACCOUNT, EDITOR_PASSWORD = "zhangsan", "correct-horse-battery"


@pytest.fixture(scope="module")
def server(expected, tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("server")
    secrets = folder / "secrets.toml"
    from ipmetrics.auth import add_account
    add_account(secrets, EDITOR_ACCOUNT, EDITOR_PASSWORD, "张三")
    with served_app(expected["url"], folder, "--secrets.files", str(secrets)) as base:
        yield base


@pytest.fixture(scope="module")
def chromium():  # not named `browser`/`page`: those are pytest-playwright's fixtures
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def open_app(chromium, server):
    """Open a path of the app in a fresh browser context (no widget state carries over between tests)."""
    context = chromium.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")
    context.set_default_timeout(30_000)

    def open_(path: str) -> Page:
        page = context.new_page()
        page.goto(server + path)
        settle(page)
        return page
    yield open_
    context.close()


# --- helpers ---------------------------------------------------------------------------------------
def settle(page: Page) -> None:
    """Wait until the script run is over and no placeholder or stale element is left."""
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')
    page.wait_for_function("""() => !document.querySelector('[data-testid="stSkeleton"]')
                                    && !document.querySelector('[data-stale="true"]')""")
    page.wait_for_timeout(500)  # charts and fonts draw a moment after the run ends


def screenshot(page: Page, name: str) -> None:
    """Streamlit scrolls inside stMain, so grow the viewport to its full height before a full-page shot."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    height = page.locator('[data-testid="stMain"]').evaluate("el => el.scrollHeight")
    page.set_viewport_size({"width": page.viewport_size["width"], "height": max(int(height), 600)})
    page.wait_for_timeout(300)
    page.screenshot(path=str(SHOTS / name), full_page=True)


def word_download(page: Page):
    """会议简报's Word download: the files are made first (生成简报文件, behind a progress bar), then offered."""
    main(page).get_by_role("button", name="生成简报文件（Word、PDF、PPT）").click()
    word = main(page).get_by_role("button", name="Word", exact=True)
    expect(word).to_be_visible(timeout=180_000)
    return word


def main(page: Page):
    return page.locator('[data-testid="stMain"]')


def metric_values(page: Page) -> list[str]:
    return main(page).locator('[data-testid="stMetricValue"]').all_inner_texts()


def log_in(page: Page) -> None:
    """Sign in as the editor through the sidebar's form."""
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text("编辑登录").click()
    sidebar.get_by_label("用户名").fill(EDITOR_ACCOUNT)
    sidebar.get_by_label("密码", exact=True).fill(EDITOR_PASSWORD)
    sidebar.get_by_role("button", name="登录").click()
    # The login reruns the whole page: a heavy one (任务落实) on a busy machine takes more than 5 s.
    expect(sidebar.get_by_text("编辑：张三（zhangsan）")).to_be_visible(timeout=30_000)
    settle(page)


def sidebar_select(page: Page, index: int, option: str) -> None:
    box = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').nth(index)
    # Scrolled into view first: with fifteen pages in the navigation the region box sits at the foot of
    # a 900-pixel window, and a list opened while the click itself scrolls the sidebar closes again.
    box.scroll_into_view_if_needed()
    page.wait_for_timeout(200)
    box.click()
    page.get_by_role("option", name=option, exact=True).click()


# --- tests -----------------------------------------------------------------------------------------
def test_goal_detail_page_has_chart_and_table(open_app):
    # First in the file, so the fresh server's first request is this deep link: it must still run
    # through app.py's navigation, not Streamlit's older pages/ folder mode (see scripts/serve.py).
    name = "每万人口有效发明专利拥有量"
    page = open_app(f"/goal_detail?goal={quote(name)}&as_of={quote('2025年12月')}")
    nav = nav_titles(page)
    assert "总览" in nav and "指标详情" in nav and "common" not in nav
    expect(page.get_by_text("示例数据", exact=False).first).to_be_visible()
    expect(main(page).locator("h1")).to_have_text(name)
    plot = main(page).locator('[data-testid="stVegaLiteChart"]')  # drawn by Vega (charts.screen), as SVG
    expect(plot).to_have_count(1)
    # The 2030 target line is annotated inside the figure's SVG.
    expect(plot.locator("svg text", has_text="2030年目标").first).to_be_attached()
    expect(main(page).get_by_text("逐月数据", exact=True)).to_be_visible()
    screenshot(page, "detail.png")


def test_overview_shows_every_goal_with_latest_figures(open_app, expected):
    page = open_app("/")
    expect(page.get_by_text("示例数据", exact=False).first).to_be_visible()
    # The goals with a target are cards on the first screen; the monitoring indicators fold under each theme.
    folded = main(page).locator('[data-testid="stExpander"] summary', has_text="监测指标")
    assert folded.count() == len([theme for theme, goals in expected["registry"].themes
                                  if any(goal.monitoring for goal in goals)])
    for index in range(folded.count()):
        folded.nth(index).click()
    settle(page)
    expect(main(page).locator("a", has_text="查看详情")).to_have_count(len(expected["registry"].goals))
    for goal in expected["registry"].goals:
        expect(main(page).get_by_text(goal.label, exact=True).first).to_be_visible()
    value = expected["records"][expected["latest"]]["trademarks_registered"]["value"]
    assert f"{value:,.0f}" in metric_values(page)
    screenshot(page, "overview.png")


def test_as_of_month_changes_figures_and_counts(open_app, expected):
    page = open_app("/")
    for attempt in range(3):  # on a busy machine a pick made during a rerun can be lost: pick again
        sidebar_select(page, 0, "2025年12月")
        try:
            expect(page).to_have_url(re.compile(r"[?&]as_of="), timeout=15_000)
            break
        except AssertionError:
            if attempt == 2:
                raise
            settle(page)
    expect(main(page).get_by_text("截至2025年12月底", exact=False)).to_be_visible()  # the rerun has landed
    settle(page)
    records = expected["records"]["2025-12"]
    assert f"{records['trademarks_registered']['value']:,.0f}" in metric_values(page)
    # The badges at the top: one "<status> <n> 项" per status present, and no others.
    lines = [line.strip() for line in main(page).inner_text().splitlines()]
    shown = {m[1]: int(m[2]) for m in map(BADGE_COUNT.match, lines) if m}
    # Monitoring indicators (no_target) are not counted; a reported one without its figure counts as 未上报.
    named = [NOT_REPORTED_ZH if r["status"] == "no_data" and r["source"] == "reported" else STATUS_ZH[r["status"]]
             for r in records.values() if not r["monitoring"] or r["status"] == "no_data"]
    assert shown == dict(Counter(named))
    screenshot(page, "overview-2025-12.png")


def test_township_has_no_target_for_county_totals(open_app):
    page = open_app("/")
    sidebar_select(page, 1, "丽水街道")
    expect(main(page).locator("h1")).to_have_text("总览 · 丽水街道")
    settle(page)
    assert main(page).get_by_text("无分解目标", exact=True).count() >= 1
    screenshot(page, "overview-township.png")


def test_a_deep_link_carries_over_to_the_next_page(open_app):
    # Opened from a shared link, the month and region must stay when the reader clicks another page in
    # the navigation (they used to fall back to the defaults on the first click, and come back on the
    # second).
    page = open_app("/trademarks?as_of=" + quote("2025年12月") + "&region=" + quote("丽水街道"))
    expect(main(page).locator("h1")).to_have_text("商标 · 丽水街道")
    for title, heading in (("总览", "总览 · 丽水街道"), ("专利", "专利 · 丽水街道")):
        click_nav(page, title)
        expect(main(page).locator("h1")).to_have_text(heading)
        settle(page)
        expect(main(page).get_by_text("截至2025年12月底", exact=False).first).to_be_visible()
        assert "as_of=" in page.url and "region=" in page.url, page.url
    # Another township on this page, then the browser's back button: the address it returns to decides
    # (the choice is undone), not the session's latest choice.
    sidebar_select(page, 1, "龙山街道")
    expect(main(page).locator("h1")).to_have_text("专利 · 龙山街道")
    settle(page)
    assert "region=411521003" in page.url, page.url
    page.go_back()
    expect(main(page).locator("h1")).to_have_text("专利 · 丽水街道")
    settle(page)
    screenshot(page, "deep-link-back.png")


PAGES = {"overview": "/", "goal_detail": "/goal_detail", "trademarks": "/trademarks", "brands": "/brands",
         "patents": "/patents", "financing": "/financing", "enterprises": "/enterprises", "rewards": "/rewards",
         "townships": "/townships", "export_center": "/export_center", "data_import": "/data_import",
         "meeting": "/meeting", "snapshots": "/snapshots", "actions": "/actions", "peers": "/peers"}


# Each page's key figures at 2025-12: (metric label, goal id, unit as the metric shows it), and for the
# pages without a goal metric a sentence or value they must show.
PAGE_FIGURES = {
    "goal_detail": [("当前值", "trademarks_registered", " 件")],
    "trademarks": [("有效注册商标", "trademarks_registered", " 件")],
    "brands": [("地理标志商标（全县）", "gi_marks", " 件")],
    "patents": [("每万人口有效发明专利", "invention_patents_per_10k", " 件/万人")],
    "financing": [("累计融资（家次）", "pledge_financing_count", ""), ("累计融资额", "pledge_financing_amount", " 万元")],
    "enterprises": [("国家知识产权优势示范企业", "national_ip_enterprises", " 家"),
                    ("省知识产权强企", "provincial_ip_enterprises", " 家")],
}
PAGE_TEXT = {"overview": "截至2025年12月底", "rewards": "2021年12月15日以来合计", "townships": "丽水街道",
             "export_center": "每项指标一张趋势图", "data_import": "导入数据需要编辑权限", "meeting": "还没有月度快照",
             "snapshots": "各类数据已覆盖2025年12月", "actions": "其中逾期",
             "peers": "sample --scale province"}


def metrics_by_label(page: Page) -> dict[str, str]:
    found = {}
    for metric in main(page).locator('[data-testid="stMetric"]').all():
        label = metric.locator('[data-testid="stMetricLabel"]').inner_text().strip()
        found[label] = metric.locator('[data-testid="stMetricValue"]').inner_text().strip()
    return found


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_in_the_browser(open_app, expected, name):
    page = open_app(PAGES[name] + "?as_of=" + quote("2025年12月"))
    expect(main(page).locator("h1").first).to_be_visible()
    assert main(page).locator('[data-testid="stException"]').count() == 0
    assert "示例数据" in main(page).inner_text()
    nav = nav_titles(page)
    assert all(title in nav for title in ("总览", "商标", "品牌培育", "专利", "质押融资", "企业培育", "奖励测算", "乡镇对比",
                                          "同级对比", "导出中心", "数据导入", "会议简报", "月度快照", "督办事项"))
    records, registry = expected["records"]["2025-12"], expected["registry"]
    shown = metrics_by_label(page)
    for label, goal_id, unit in PAGE_FIGURES.get(name, []):
        assert shown[label] == registry.goal(goal_id).format_value(records[goal_id]["value"]) + unit, label
    if name in PAGE_TEXT:
        assert PAGE_TEXT[name] in main(page).inner_text()
    screenshot(page, f"page-{name}.png")


def test_a_township_without_tech_firms_says_so(open_app):
    page = open_app("/enterprises?as_of=" + quote("2025年12月") + "&region=" + quote("朱堂乡"))
    expect(main(page).get_by_text("朱堂乡名单内没有高新技术企业或科技型中小企业。")).to_be_visible()
    screenshot(page, "empty-state-enterprises-zhutang.png")


def test_a_chart_downloads_as_png(open_app):
    page = open_app("/trademarks?as_of=" + quote("2025年12月"))
    main(page).get_by_role("button", name="导出图片").first.click()
    with page.expect_download() as download:  # the popover's button, not plotly's own toolbar
        page.locator('[data-testid="stPopoverBody"]').get_by_role("button", name="PNG", exact=True).click()
    path = download.value.path()
    assert download.value.suggested_filename == "2025-12_商标注册总量_趋势.png"
    from PIL import Image
    assert Image.open(path).size[0] == 1890


def test_freeze_a_month_then_hold_the_meeting(open_app, expected, tmp_path):
    # Freezes December 2025 in the served store (the meeting page reads only snapshots).
    page = open_app("/snapshots?as_of=" + quote("2025年12月"))
    expect(main(page).get_by_text("各类数据已覆盖2025年12月，可以冻结。")).to_be_visible()
    expect(main(page).get_by_text("冻结快照需要编辑权限", exact=False)).to_be_visible()  # a viewer cannot
    log_in(page)
    main(page).get_by_label("备注").fill("12月例会用")
    main(page).get_by_role("button", name="冻结2025年12月快照").click()
    # Freezing computes 21 regions' scorecards (about 3 s here, more on a busy machine).
    expect(main(page).get_by_text("已冻结2025年12月快照第1版", exact=False)).to_be_visible(timeout=60_000)
    settle(page)
    screenshot(page, "snapshots.png")

    page = open_app("/meeting")
    records = expected["records"]["2025-12"]
    marks = expected["registry"].goal("trademarks_registered")
    expect(main(page).get_by_text(f"商标注册总量{marks.format_value(records['trademarks_registered']['value'])}件",
                                  exact=False).first).to_be_visible()
    text = main(page).inner_text()
    goals = expected["registry"].goals  # the nine goals with a target, and the monitoring indicators
    assert f"截至2025年12月底，罗山县知识产权工作{len(goals)}项主要指标" in text and "9项设有目标值" in text
    assert "落后于进度的目标" in text
    assert "DB-2025-06-01" in text  # a sample action item raised before December's meeting
    screenshot(page, "meeting.png")
    with page.expect_download(timeout=120_000) as download:
        word_download(page).click()
    assert download.value.suggested_filename == "2025-12_罗山县_知识产权工作简报.docx"
    import docx
    document = docx.Document(download.value.path())
    # The header, a heading row per theme (创造, 运用 …) and a row per indicator; a trend chart per indicator.
    themes = len(expected["registry"].themes)
    assert len(document.tables[0].rows) == 1 + themes + len(goals) and len(document.inline_shapes) == len(goals)

    page = open_app("/actions")
    expect(main(page).locator("h1")).to_have_text("督办事项")
    screenshot(page, "actions.png")


def test_an_editors_task_report_reaches_the_audit_log_and_the_next_briefing(open_app):
    # After the December meeting (the test above): a unit's late 2026-Q3 report, entered on 任务落实 by the
    # editor, is audited, frozen with October's snapshot and listed in the briefing's 任务落实 section.
    page = open_app("/tasks?as_of=" + quote("2026年10月"))
    # Before: 3 tasks not reported for 2026-Q3 (RW-05-03, RW-14-02 of the townships, RW-12-03), 3 滞后.
    assert {k: v for k, v in metrics_by_label(page).items() if k in ("未汇报", "滞后")} == {"未汇报": "3", "滞后": "3"}
    log_in(page)
    box = main(page).get_by_label("任务", exact=True)  # the form's task (a selectbox's input carries its label)
    box.scroll_into_view_if_needed()
    box.click()
    page.keyboard.type("RW-12-03")  # the list shows a few of the 33 tasks at a time: narrow it first
    page.get_by_role("option", name=re.compile(r"^RW-12-03 ")).click()
    settle(page)
    form = main(page).locator('[data-testid="stForm"]')
    expect(form.get_by_label("汇报期间", exact=True)).to_have_value("2026-Q3")
    expect(form.get_by_label("报送单位", exact=True)).to_have_value("县农业农村局")
    form.get_by_label("进展状态", exact=True).click()
    page.get_by_role("option", name="滞后", exact=True).click()
    day = form.locator('[data-testid="stDateInput"] input')
    day.fill("2026-10-28")
    day.press("Enter")
    form.get_by_label("进展情况", exact=True).fill("执法检查因机构调整推迟，已排入11月计划")
    form.get_by_role("button", name="保存进展").click()
    expect(main(page).get_by_text("已保存任务 RW-12-03 的2026-Q3进展。", exact=True)).to_be_visible(timeout=60_000)
    settle(page)
    # Made on 10-28, the report counts as of October: RW-12-03 is reported, and 滞后.
    assert {k: v for k, v in metrics_by_label(page).items() if k in ("未汇报", "滞后")} == {"未汇报": "2", "滞后": "4"}
    # The audit log's entry, in the table at the foot of the page.
    audit = main(page).locator('[data-testid="stTable"]').last
    first = [cell.strip() for cell in audit.locator("tbody tr").first.locator("th, td").all_inner_texts()]
    assert first[1:3] == ["zhangsan", "任务进展（task_reports）任务进展页面填报.csv：写入 1 行"]
    screenshot(page, "tasks-report-saved.png")

    page = open_app("/snapshots?as_of=" + quote("2026年10月"))
    log_in(page)
    main(page).get_by_role("button", name="冻结2026年10月快照").click()
    expect(main(page).get_by_text("已冻结2026年10月快照第1版", exact=False)).to_be_visible(timeout=90_000)

    page = open_app("/meeting")
    expect(main(page).get_by_text("任务落实", exact=True)).to_be_visible()
    with page.expect_download(timeout=120_000) as download:
        word_download(page).click()
    assert download.value.suggested_filename == "2026-10_罗山县_知识产权工作简报.docx"
    import docx
    document = docx.Document(download.value.path())
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert "六、任务落实" in headings
    rows = {row.cells[0].text: [cell.text for cell in row.cells] for table in document.tables for row in table.rows}
    # The report made the task 滞后: it is listed behind schedule with its progress, and its unit reported.
    assert rows["RW-12-03"][5:] == ["滞后", "—", "执法检查因机构调整推迟，已排入11月计划"]
    assert "县农业农村局" not in rows and rows["各乡镇人民政府"][1:] == ["2", "RW-05-03、RW-14-02"]


def test_import_page_uploads_checks_and_loads(open_app, tmp_path):
    # Last in the file: it changes the store the other tests read.
    # A GBK file as Chinese Windows tools save it: one good row, one with an unknown township.
    upload = tmp_path / "商标_gbk.csv"
    upload.write_bytes(("注册号,商标名称,注册人,区划代码,商标类型,地理标志,注册日期\r\n"
                        "B1,灵山云雾,罗山县灵山茶业有限公司,411521103,普通商标,否,2026/10/30\r\n"
                        "B2,无名,某公司,411521999,普通商标,否,2026年10月30日\r\n").encode("gbk"))
    page = open_app("/data_import")
    expect(main(page).locator("h1")).to_have_text("数据导入")
    assert page.locator('[data-testid="stFileUploader"]').count() == 0  # a viewer gets no uploader
    log_in(page)
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(upload))
    expect(main(page).get_by_text("校验发现 1 处问题，涉及 1 行", exact=False)).to_be_visible()
    settle(page)
    assert "GBK/GB18030" in main(page).inner_text()
    expect(main(page).get_by_role("button", name="导入 1 行有效数据")).to_be_disabled()
    main(page).get_by_text("只导入有效行", exact=False).click()
    settle(page)
    main(page).get_by_role("button", name="导入 1 行有效数据").click()
    expect(main(page).get_by_text("已导入 商标_gbk.csv：写入 1 行，拒绝 1 行", exact=False)).to_be_visible(timeout=60_000)
    settle(page)
    screenshot(page, "data-import.png")
