"""The month's close in a real browser (issue 17): a source with nothing new is confirmed on 月度快照, the
month frozen, and the briefing reached from the confirmation already compares with the previous snapshot;
and Streamlit's own chrome speaks Chinese, with the editor's login at the top of the sidebar."""

from __future__ import annotations

import csv
import io
from urllib.parse import quote

import pytest
from playwright.sync_api import Page, expect

from ipmetrics.core.settings import SAMPLE_DIR
from ipmetrics.io.importer import Source, import_files
from ipmetrics.io.schemas import KINDS

from .served import served_app

# chromium: the module's browser, a fixture
from .test_browser import EDITOR_ACCOUNT, EDITOR_PASSWORD, chromium, log_in, main, screenshot, settle  # noqa: F401

pytestmark = pytest.mark.browser
LAST_PLEDGE_KEPT = "2026-08"  # pledges registered after August are left out: the office has sent nothing since


def pledges_through_august() -> bytes:
    rows = list(csv.DictReader(io.StringIO((SAMPLE_DIR / "pledges.csv").read_text(encoding="utf-8"))))
    kept = [row for row in rows if row["registered_on"][:7] <= LAST_PLEDGE_KEPT]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(kept)
    return out.getvalue().encode("utf-8")


@pytest.fixture(scope="module")
def close_server(module_db_url, registry, tmp_path_factory):
    from ipmetrics.auth import add_account
    from ipmetrics.core.store import Store

    url = module_db_url("close")
    store = Store(url)
    files = [(kind, SAMPLE_DIR / f"{kind}.csv") for kind in KINDS
             if kind != "pledges" and (SAMPLE_DIR / f"{kind}.csv").is_file()]
    import_files(store, [*files, ("pledges", Source("pledges.csv", pledges_through_august()))],
                 indicator_ids=set(registry.ids()))
    store.dispose()  # DuckDB allows one writer process: free the file for the server
    folder = tmp_path_factory.mktemp("close")
    secrets = folder / "secrets.toml"
    add_account(secrets, EDITOR_ACCOUNT, EDITOR_PASSWORD, "张三")
    with served_app(url, folder, "--secrets.files", str(secrets)) as base:
        yield base


def open_page(browser, base: str, path: str, width: int = 1400, height: int = 900) -> Page:
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    context.set_default_timeout(60_000)
    page = context.new_page()
    page.goto(base + path)
    settle(page)
    return page


def pick_month(page: Page, label: str, month: str) -> None:
    """Choose in a main-area select box by typing (its list, opened by a click, closes again when the
    click scrolls the page on a busy machine)."""
    box = main(page).locator('[data-testid="stSelectbox"]').filter(has_text=label).first
    box.scroll_into_view_if_needed()
    field = box.locator("input")
    field.click()
    field.fill(month)
    page.keyboard.press("Enter")
    settle(page)


def confirm_and_freeze(page: Page, month: str, pledges_through: str) -> None:
    expect(main(page).get_by_text(f"知识产权质押融资数据只到{pledges_through}", exact=False)).to_be_visible()
    main(page).get_by_role("button", name=f"确认知识产权质押融资{month}无新增").click()
    expect(main(page).get_by_text(f"已确认知识产权质押融资截至{month}无新增记录。")).to_be_visible()
    expect(main(page).get_by_text(f"各类数据已覆盖{month}，可以冻结。")).to_be_visible()
    main(page).get_by_role("button", name=f"冻结{month}快照").click()
    expect(main(page).get_by_text(f"已冻结{month}快照第1版", exact=False)).to_be_visible(timeout=90_000)
    settle(page)


def test_confirm_no_new_pledges_freeze_and_land_on_a_briefing_that_compares(chromium, close_server):
    page = open_page(chromium, close_server, "/snapshots?as_of=" + quote("2026年9月"))
    log_in(page)
    confirm_and_freeze(page, "2026年9月", pledges_through="2026年8月")
    pick_month(page, "月份", "2026年10月")
    confirm_and_freeze(page, "2026年10月", pledges_through="2026年9月")  # September's confirmation holds
    # The confirmation stays, and offers the way on instead of a revision form.
    expect(main(page).get_by_role("button", name="冻结2026年10月快照（第2版）")).to_have_count(0)
    screenshot(page, "close-frozen.png")
    main(page).get_by_role("link", name="查看会议简报").click()
    expect(main(page).locator("h1")).to_have_text("会议简报 · 2026年10月")  # the newest snapshot
    # The briefing is computed on its first view (seconds on a busy machine): wait for the comparison.
    expect(main(page).get_by_text("2026年9月快照第1版", exact=False).first).to_be_visible(timeout=90_000)
    settle(page)
    text = main(page).inner_text()
    # The briefing is of the newest snapshot and compares with the one frozen just before, at once.
    assert "2026年10月快照第1版" in text and "2026年9月快照第1版" in text, text[:2000]
    assert "这是第一个快照" not in text
    screenshot(page, "close-briefing.png")


def test_chrome_is_chinese_and_the_login_is_at_the_top_of_the_sidebar(chromium, close_server):
    page = open_page(chromium, close_server, "/data_import", 1366, 768)
    sidebar = page.locator('[data-testid="stSidebar"]')
    login = sidebar.get_by_text("编辑登录").bounding_box()
    month = sidebar.get_by_text("截至月份").bounding_box()
    assert login["y"] < month["y"] and login["y"] + login["height"] <= 768  # above the pickers, in view
    log_in(page)
    button = page.locator('[data-testid="stFileUploaderDropzone"] button p')
    # Streamlit's "Upload" is drawn at size 0 with the Chinese after it (pages/shell/chrome.py).
    assert button.evaluate("el => getComputedStyle(el, '::after').content") == '"选择文件"'
    assert button.evaluate("el => getComputedStyle(el).fontSize") == "0px"
    hint = page.locator('[data-testid="stFileUploaderDropzoneInstructions"] span').first
    assert hint.evaluate("el => getComputedStyle(el, '::after').content") == '"或把文件拖放到此处"'
    screenshot(page, "chrome-import.png")
