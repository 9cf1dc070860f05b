"""The 任务落实 page through streamlit.testing: what it shows for the sample as of 2026-10 (the overdue tasks,
the units that did not report for 2026-Q3, the status by article), a task's history, and an editor's report
saved through the importer (a row in task_reports and an audit entry) or refused with the problem named."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest

from ipmetrics.core.settings import SAMPLE_DIR
from ipmetrics.core.store import Store
from ipmetrics.io import edits
from ipmetrics.io.importer import ImportRejected, import_files
from ipmetrics.meeting import actions
from ipmetrics.themes import tasks as T

from .conftest import EDITOR, kind_files
from .test_meeting_pages import ACTIONS_PAGE, button
from .test_pages import metric_values, open_app

TASKS_PAGE = "pages/tasks.py"


@pytest.fixture(scope="module")
def sample_tasks_store(module_db_url, registry) -> Store:
    """The bundled sample (data to 2026-10), as `load-sample` loads it."""
    store = Store(module_db_url("tasks_page"))
    import_files(store, kind_files(SAMPLE_DIR), indicator_ids=set(registry.ids()), mark_sample=True)
    yield store
    store.dispose()


def table_with(app, *columns: str) -> pd.DataFrame:
    """The first table on the page that has all these columns."""
    return next(d.value for d in app.main.dataframe if set(columns) <= set(d.value.columns))


def test_the_page_shows_what_needs_chasing_as_of_2026_10(monkeypatch, sample_tasks_store):
    app = open_app(monkeypatch, sample_tasks_store, TASKS_PAGE, as_of="2026-10")
    assert app.title[0].value == "任务落实"
    # 33 tasks: 11 已完成, 19 推进中, 3 滞后, none 未启动 (tests/test_tasks.py works the standing out by hand);
    # 3 not reported for 2026-Q3 and 3 overdue.
    assert metric_values(app) == {"任务": "33", "已完成": "11", "推进中": "19", "滞后": "3", "未启动": "0",
                                  "未汇报": "3", "逾期": "3"}
    late = table_with(app, "逾期天数")
    # Days from the due date to 2026-10-31: 488, 396 and 304 (see tests/test_tasks.py).
    assert list(zip(late["任务编号"], late["逾期天数"], late["最新状态"])) == [
        ("RW-08-01", 488, "滞后"), ("RW-13-01", 396, "推进中"), ("RW-07-01", 304, "滞后")]
    assert late.loc[0, "最新进展"] == "资金来源仍未落实" and late.loc[0, "完成时限"] == "2025-06-30"
    owing = table_with(app, "未汇报任务数")
    assert owing.to_dict("list") == {"牵头单位": ["各乡镇人民政府", "县农业农村局"], "未汇报任务数": [2, 1],
                                     "任务编号": ["RW-05-03、RW-14-02", "RW-12-03"]}
    assert "未汇报2026年第三季度进展的单位" in [h.value for h in app.main.subheader]
    assert any("即2026年第三季度" in c.value and "长期任务不计逾期" in c.value for c in app.main.caption)


def test_the_status_by_article_in_the_policys_order_with_titles(monkeypatch, sample_tasks_store, registry):
    app = open_app(monkeypatch, sample_tasks_store, TASKS_PAGE, as_of="2026-10")
    counts = table_with(app, "条款标题")
    assert counts["政策条款"].tolist()[:3] == ["第（一）条", "第（二）条", "第（三）条"] and len(counts) == 17
    assert counts.loc[0, "条款标题"] == next(a.title for a in registry.articles if a.number == 1)
    # 第（八）条: RW-08-01 滞后, RW-08-02 推进中.
    eight = counts.set_index("政策条款").loc["第（八）条"]
    assert (eight["滞后"], eight["推进中"], eight["合计"]) == (1, 1, 2)
    figure = json.loads(app.get("plotly_chart")[0].proto.spec)
    assert [trace["name"] for trace in figure["data"]] == ["推进中", "已完成", "滞后"]
    assert figure["data"][2]["y"][7] == 1  # 第（八）条's 滞后 bar
    app.segmented_control(key="tasks_by").set_value("按牵头单位").run()
    units = table_with(app, "牵头单位", "合计")
    assert units.loc[0, "牵头单位"] == "县市场监督管理局"  # leads the most tasks


def test_a_tasks_history_newest_first_and_its_linked_indicators(monkeypatch, sample_tasks_store, registry):
    app = open_app(monkeypatch, sample_tasks_store, TASKS_PAGE, as_of="2026-10")
    app.selectbox(key="tasks_article").set_value("第（八）条").run()
    assert table_with(app, "任务内容", "配合单位")["任务编号"].tolist() == ["RW-08-01", "RW-08-02"]
    app.selectbox(key="tasks_history").set_value("RW-08-01").run()
    history = table_with(app, "报送日期")
    assert history["汇报期间"].tolist() == ["2026年第三季度", "2026年第二季度", "2026年第一季度", "2025年第四季度",
                                        "2025年第三季度"]
    assert history.loc[0, ["进展状态", "进展情况"]].tolist() == ["滞后", "资金来源仍未落实"]
    names = [registry.goal(goal).label for goal in ("pledge_financing_count", "pledge_financing_amount")]
    assert any(f"关联指标：{'、'.join(names)}" in c.value for c in app.main.caption)
    # As of 2026-06 the reports of July and October are not yet made.
    app = open_app(monkeypatch, sample_tasks_store, TASKS_PAGE, as_of="2026-06")
    app.selectbox(key="tasks_article").set_value("第（八）条").run()
    app.selectbox(key="tasks_history").set_value("RW-08-01").run()
    assert table_with(app, "报送日期")["汇报期间"].tolist()[0] == "2026年第一季度"


def test_a_viewer_sees_no_form(monkeypatch, sample_tasks_store):
    app = open_app(monkeypatch, sample_tasks_store, TASKS_PAGE, as_of="2026-10")
    assert not [b for b in app.main.button if b.label == "保存进展"]
    assert app.main.info[-1].value.startswith("填报任务进展需要编辑权限")
    assert "report_task" not in [s.key for s in app.main.selectbox]


# --- editing, on the hand-made fixture's two tasks (RW-05-01, RW-12-01) ------------------------------------
def test_an_editor_saves_a_report_and_it_is_audited(monkeypatch, fresh_small_store):
    app = open_app(monkeypatch, fresh_small_store, TASKS_PAGE, as_of="2021-06", editor=EDITOR)
    app.selectbox(key="report_task").set_value("RW-12-01").run()
    # The period defaults to the quarter chased (2021-Q1 as of 2021-06: 2021-Q2 is reported in July), the
    # unit to the task's lead unit. The editor enters the Q2 report that came in early.
    assert app.text_input(key="report_period_2021Q1").value == "2021-Q1"
    app.text_input(key="report_period_2021Q1").input("2021-Q2")
    assert app.text_input(key="report_unit_RW-12-01").value == "县市场监督管理局"
    app.selectbox(key="report_status").set_value("滞后")
    app.text_area(key="report_progress").input("专项行动推迟到三季度")
    app.date_input(key="report_day").set_value(date(2021, 7, 9))
    button(app, "保存进展").click().run()
    assert not app.exception
    assert app.main.success[0].value == ("已保存任务 RW-12-01 的2021-Q2进展。报送日期在2021年6月底之后，"
                                         "计入2021年7月的任务情况（本页所看月份不变）。")
    saved = T.load_reports(fresh_small_store).set_index(["task_code", "period"]).loc[("RW-12-01", "2021-Q2")]
    assert saved[["status", "progress", "reporting_unit"]].tolist() == ["behind", "专项行动推迟到三季度", "县市场监督管理局"]
    assert saved["reported_on"] == pd.Timestamp("2021-07-09")
    audit = fresh_small_store.frame("audit_log", limit=5)
    entry = audit[audit["detail"].str.contains("任务进展页面填报", regex=False)].iloc[0]
    assert entry["actor"] == "zhangsan" and entry["detail"] == "任务进展（task_reports）任务进展页面填报.csv：写入 1 行"
    # The page shows the editor the audit entry, and that a report made after the month viewed counts later.
    shown = app.main.table[-1].value
    assert shown.iloc[0][["操作人", "内容"]].tolist() == ["zhangsan", entry["detail"]]
    # The same task and period again replaces the report.
    app.selectbox(key="report_status").set_value("已完成")
    button(app, "保存进展").click().run()
    reports = T.load_reports(fresh_small_store)
    assert len(reports) == 3 and reports.set_index(["task_code", "period"]).loc[("RW-12-01", "2021-Q2"), "status"] == "done"


def test_a_bad_report_is_refused_with_the_field_named_and_nothing_written(monkeypatch, fresh_small_store):
    app = open_app(monkeypatch, fresh_small_store, TASKS_PAGE, as_of="2021-06", editor=EDITOR)
    before = T.load_reports(fresh_small_store)
    app.text_input(key="report_period_2021Q1").input("2021")
    button(app, "保存进展").click().run()
    assert app.main.error[0].value == "发现 1 处问题，没有保存任何内容。请改正后再保存："
    problems = table_with(app, "字段")
    assert problems.loc[0, ["任务编号", "字段", "值"]].tolist() == ["RW-05-01", "汇报期间", "2021"]
    assert problems.loc[0, "问题"].startswith("任务进展按月或按季度汇报")
    pd.testing.assert_frame_equal(T.load_reports(fresh_small_store), before)
    assert fresh_small_store.frame("audit_log", limit=5)["detail"].str.contains("任务进展页面填报").sum() == 0



def test_a_report_on_an_unknown_task_is_refused_by_the_pages_save(fresh_small_store):
    # The page offers only the store's tasks; a task removed by a re-import meanwhile is refused all the same,
    # through the same save the form calls, and the page's problem table names the field.
    names = T.REPORT_KIND.labels
    frame = pd.DataFrame([{names["task_code"]: "RW-99-01", names["period"]: "2021-Q2", names["status"]: "推进中",
                           names["progress"]: "", names["reporting_unit"]: "县科技局",
                           names["reported_on"]: date(2021, 7, 9)}])
    with pytest.raises(ImportRejected) as rejected:
        T.save_reports(fresh_small_store, frame, user="张三（zhangsan）", actor="zhangsan")
    problems = edits.rejection_table(rejected.value, frame, "任务编号", (names["task_code"], "task_code"))
    assert problems.to_dict("records") == [{
        "任务编号": "RW-99-01", "字段": "任务编号", "值": "RW-99-01",
        "问题": "任务分工中没有此任务编号（请先导入任务分工，或与之一同导入）"}]
    assert len(T.load_reports(fresh_small_store)) == 2  # the fixture's own two
    assert fresh_small_store.frame("import_log").query("kind == 'task_reports'")["file_name"].tolist() == [
        "task_reports.csv"]


# --- the 督办事项 page: an item on a task ----------------------------------------------------------------------
def test_the_actions_page_raises_an_item_on_a_task_and_filters_by_it(monkeypatch, fresh_small_store):
    app = open_app(monkeypatch, fresh_small_store, ACTIONS_PAGE, as_of="2021-03", editor=EDITOR)
    assert app.selectbox(key="action_task").options[:2] == ["无（不针对某项任务）", "RW-05-01 指导申报地理标志商标"]
    app.selectbox(key="action_goal").set_value("")  # no indicator: the task is the subject
    app.selectbox(key="action_task").set_value("RW-05-01")
    app.text_input(key="action_problem").input("地理标志申报材料补正缓慢")
    app.text_area(key="action_measure").input("农业农村局每月报告补正进展")
    app.text_input(key="action_lead").input("县农业农村局")
    app.date_input(key="action_due").set_value(date(2021, 9, 30))
    button(app, "保存督办事项").click().run()
    assert not app.exception
    saved = actions.load(fresh_small_store).set_index("code").loc["DB-2021-03-02"]
    assert pd.isna(saved["goal_id"]) and saved["task_code"] == "RW-05-01"
    # The filter offers the items on tasks, all or one task; the table shows the task's code and text.
    app = open_app(monkeypatch, fresh_small_store, ACTIONS_PAGE, as_of="2021-03")
    subject = app.selectbox(key="actions_subject")
    assert "全部任务督办事项" in subject.options and "任务 RW-05-01 指导申报地理标志商标" in subject.options
    subject.set_value("task:RW-05-01").run()
    listing = app.main.dataframe[0].value
    assert listing[["编号", "指标", "任务"]].values.tolist() == [["DB-2021-03-02", "—", "RW-05-01 指导申报地理标志商标"]]
