"""The month's close without busywork (issue 17, item 3): 本月无新增 confirmed per source instead of an empty
file, yearly and lasting sources, one checklist, a freeze whose confirmation stays with the way on, and the
month viewers see first — the newest frozen or complete one, never a partly loaded one."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from ipmetrics.core.settings import Settings
from ipmetrics.meeting import readiness, snapshots

from .conftest import EDITOR
from .test_cli import call
from .test_pages import open_app

SNAPSHOT_PAGE = "pages/snapshots.py"
TODAY = date(2026, 11, 25)


def through(store) -> dict[str, str]:
    return {c.kind: c.text() for c in readiness.coverage(store)}


# --- the library ---------------------------------------------------------------------------------------
def test_no_new_pledges_is_confirmed_without_a_file_and_logged_like_an_import(fresh_small_store, registry):
    # The small fixture's last pledge is of 2021-03, so pledges vouch for March only.
    assert through(fresh_small_store)["pledges"] == "截至2021年3月"
    version = fresh_small_store.data_version()
    month = readiness.confirm_no_new_data(fresh_small_store, "pledges", "2021-06", user="统计员甲", today=TODAY)
    assert month == pd.Period("2021-06")
    assert through(fresh_small_store)["pledges"] == "截至2021年6月"
    assert fresh_small_store.data_version() == version + 1  # caches keyed on it see the change at once
    log = fresh_small_store.frame("import_log")
    line = log[log["file_name"] == readiness.NO_NEW_DATA_FILE].iloc[0]
    assert (line["kind"], line["rows_read"], line["rows_loaded"], line["data_through"], line["imported_by"]) == \
        ("pledges", 0, 0, "2021-06", "统计员甲")
    audit = fresh_small_store.frame("audit_log", limit=50)
    assert audit["detail"].str.contains("知识产权质押融资（pledges）确认截至2021年6月无新增记录").any()
    # Trademarks (last event 2021-06) and patents (2021-08) already cover June: the month is now ready.
    assert readiness.missing_for(fresh_small_store, "2021-06", today=TODAY) == []
    assert snapshots.freeze(fresh_small_store, registry, Settings(db_url=fresh_small_store.url), "2021-06",
                            user="甲", today=TODAY).month == pd.Period("2021-06")


@pytest.mark.parametrize("kind, month, today, message", [
    ("pledges", "2026-11", TODAY, "2026年11月尚未结束，月末之后才能确认知识产权质押融资该月无新增。"),
    ("patents", "2021-08", TODAY, "已覆盖2021年8月，无需确认"),
    ("regions", "2021-08", TODAY, "不适用“确认无新增”"),
    # A list (brands) vouches for the last month completed when it was imported (after 2021 here).
    ("brands", "2021-08", TODAY, "品牌培育数据截至.*已覆盖2021年8月"),
])
def test_a_confirmation_is_refused_when_it_would_mean_nothing(fresh_small_store, kind, month, today, message):
    with pytest.raises(ValueError, match=message):
        readiness.confirm_no_new_data(fresh_small_store, kind, month, user="甲", today=today)


def test_a_source_never_imported_cannot_be_confirmed(empty_store):
    with pytest.raises(ValueError, match="知识产权质押融资数据尚未导入，无法确认无新增"):
        readiness.confirm_no_new_data(empty_store, "pledges", "2021-06", user="甲", today=TODAY)


def test_population_covers_its_year_and_regions_every_month(fresh_small_store):
    found = {c.kind: c for c in readiness.coverage(fresh_small_store)}
    # Population holds 2020 and 2021: a year's figure stands for its twelve months, so at least 2021-12.
    assert found["population"].covers(pd.Period("2021-12"))
    assert found["regions"].lasting and found["regions"].covers(pd.Period("2030-12"))
    assert found["regions"].text() == "已导入（长期有效）"


def test_the_month_shown_first_is_the_newest_complete_or_frozen_one(fresh_small_store, registry):
    latest = pd.Period("2021-08")  # the small fixture's newest record (a patent)
    # Sources vouch for: trademarks 2021-06, patents 2021-08, pledges 2021-03 → March is the newest complete.
    assert readiness.default_month(fresh_small_store, registry, latest, TODAY) == pd.Period("2021-03")
    readiness.confirm_no_new_data(fresh_small_store, "pledges", "2021-08", user="甲", today=TODAY)
    # Now trademarks' June is the newest month every source covers.
    assert readiness.default_month(fresh_small_store, registry, latest, TODAY) == pd.Period("2021-06")
    # A month not yet over is never shown first: on 2021-06-15 June is partial, so May.
    assert readiness.default_month(fresh_small_store, registry, latest, date(2021, 6, 15)) == pd.Period("2021-05")
    # A frozen month newer than the complete one (frozen with June covered, before July's trademarks
    # would be checked) is shown first.
    snapshots.freeze(fresh_small_store, registry, Settings(db_url=fresh_small_store.url), "2021-06", user="甲",
                     today=TODAY)
    assert readiness.default_month(fresh_small_store, registry, latest, TODAY) == pd.Period("2021-06")


def test_the_cli_confirms_no_new_data(fresh_small_store, capsys):
    code, out, _ = call(capsys, "--db", fresh_small_store.url, "confirm", "pledges", "--month", "2021-06",
                        "--user", "统计员乙")
    assert code == 0 and "已确认：知识产权质押融资截至2021年6月无新增记录" in out
    assert through(fresh_small_store)["pledges"] == "截至2021年6月"
    code, _, err = call(capsys, "--db", fresh_small_store.url, "confirm", "pledges", "--month", "2021-05")
    assert code != 0 and "已覆盖2021年5月，无需确认" in err


# --- the pages -----------------------------------------------------------------------------------------
def test_the_checklist_confirms_each_source_then_the_freeze_stays_on_screen(monkeypatch, fresh_small_store):
    app = open_app(monkeypatch, fresh_small_store, SNAPSHOT_PAGE, as_of="2021-08", editor=EDITOR)
    (error,) = app.main.error
    # One line per source behind, and the how-to once (it used to follow every line).
    assert "知识产权质押融资数据只到2021年3月，需要截至2021年8月" in error.value
    assert "商标数据只到2021年6月" in error.value or "注册商标数据只到2021年6月" in error.value
    assert error.value.count("确认无新增") == 1
    labels = [b.label for b in app.main.button]
    assert "确认知识产权质押融资2021年8月无新增" in labels
    next(b for b in app.main.button if b.label == "确认知识产权质押融资2021年8月无新增").click().run()
    assert not app.exception
    assert any(s.value == "已确认知识产权质押融资截至2021年8月无新增记录。" for s in app.main.success)
    assert through(fresh_small_store)["pledges"] == "截至2021年8月"
    # The trademarks still stop August; confirm them as well, then freeze.
    trademarks = next(b for b in app.main.button if b.label.startswith("确认") and "商标" in b.label)
    trademarks.click().run()
    assert any(s.value == "各类数据已覆盖2021年8月，可以冻结。" for s in app.main.success)
    next(b for b in app.main.button if b.label == "冻结2021年8月快照").click().run()
    assert not app.exception
    (info,) = snapshots.list_snapshots(fresh_small_store)
    assert any(s.value.startswith(f"已冻结{info.label}（编号 {info.id}）") for s in app.main.success)
    links = [link.proto.label for link in app.main.get("page_link")]
    assert "查看会议简报" in links and "到导出中心下载图表与数据" in links
    # Nothing differs from what was frozen: no revision form.
    assert not [b for b in app.main.button if b.label.startswith("冻结2021年8月快照")]
    assert any("当前数据与冻结时一致，无需修订" in i.value for i in app.main.info)


def test_viewers_first_see_the_newest_complete_month_and_later_ones_are_marked(monkeypatch, fresh_small_store):
    app = open_app(monkeypatch, fresh_small_store)
    box = app.sidebar.selectbox(key="as_of")
    assert box.value == "2021-03"
    assert box.format_func("2021-08") == "2021年8月（数据未齐）"
    assert box.format_func("2021-03") == "2021年3月"
    assert "as_of" not in app.query_params  # the default stays out of the address
