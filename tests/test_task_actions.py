"""Issue 15: a 督办事项 on a task of the policy (任务编号, checked against the tasks), shown under its own
heading; a snapshot freezes every task's standing at its month's end; migration 010 upgrades an older store
without touching its items or its snapshots' fingerprints."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from ipmetrics.core import store as store_module
from ipmetrics.core.settings import Settings
from ipmetrics.core.store import Store
from ipmetrics.io.importer import ImportRejected, Source, import_files
from ipmetrics.meeting import actions, snapshots
from ipmetrics.themes import tasks as T

from .conftest import SMALL, kind_files

HEADER = ("code,goal_id,region_code,problem,measure,lead_unit,co_units,due_on,raised_month,status,closed_on,progress,"
          "task_code\n")
# RW-05-01 and RW-12-01 are the small fixture's tasks (tests/fixtures/small/tasks.csv).
ON_TASK = HEADER + "DB-2021-03-02,,411521,地理标志申报滞后,农业农村局每月报告进展,县农业农村局,,2021-06-30,2021-03,open,,,RW-05-01\n"
ON_BOTH = HEADER + ("DB-2021-03-03,gi_marks,411521,地理标志差2件,两件同时申报,县市场监督管理局,,2021-06-30,2021-03,open,,,"
                    "RW-05-01\n")
REPORTS_HEADER = "task_code,period,status,progress,reporting_unit,reported_on\n"


def load(store, registry, *files):
    return import_files(store, [(kind, Source(f"{kind}.csv", text.encode())) for kind, text in files],
                        indicator_ids=set(registry.ids()), user="张三")


def freeze(store, registry, month: str):
    return snapshots.freeze(store, registry, Settings(db_url=store.url), month, user="统计员甲",
                            today=date(2026, 11, 25))


# --- 督办 on a task ------------------------------------------------------------------------------------------
def test_an_item_on_a_task_is_imported_and_shown_with_the_tasks_text(fresh_small_store, registry):
    load(fresh_small_store, registry, ("actions", ON_TASK + ON_BOTH.split("\n", 1)[1]))
    items = actions.load(fresh_small_store).set_index("code")
    assert items.loc["DB-2021-03-02", "task_code"] == "RW-05-01" and pd.isna(items.loc["DB-2021-03-02", "goal_id"])
    assert items.loc["DB-2021-03-02", "task_text"] == "指导申报地理标志商标"
    assert pd.isna(items.loc["DB-2021-02-01", "task_code"])  # the fixture's own items concern no task
    meeting = actions.for_meeting(actions.load(fresh_small_store), "2021-03", date(2021, 4, 10))
    subjects = dict(zip(meeting["code"], actions.subject_of(meeting)))
    assert subjects == {"DB-2021-02-01": "indicator", "DB-2021-02-02": "indicator", "DB-2021-03-01": "indicator",
                        "DB-2021-03-02": "task", "DB-2021-03-03": "task"}
    # An item on a task is no meeting decision, though it names no indicator.
    assert actions.summary(meeting)["decisions"] == 0
    table = actions.meeting_table(meeting, registry, {}).set_index("编号")
    assert table.loc["DB-2021-03-02", ["指标", "任务"]].tolist() == ["—", "RW-05-01 指导申报地理标志商标"]
    assert table.loc["DB-2021-03-03", ["指标", "任务"]].tolist() == ["地理标志商标", "RW-05-01 指导申报地理标志商标"]
    assert table.loc["DB-2021-02-01", "任务"] == ""
    printed, groups = actions.briefing_section(meeting, registry)
    # Items on indicators first (3), then those on tasks (2) under 任务督办事项; the task in the 指标 cell.
    assert groups == (("指标督办事项", 3), ("任务督办事项", 2))
    assert printed["指标"].tolist()[3:] == ["任务 RW-05-01 指导申报地理标志商标",
                                           "地理标志商标；任务 RW-05-01 指导申报地理标志商标"]


def test_an_item_on_an_unknown_task_is_refused_and_nothing_is_written(fresh_small_store, registry):
    before = actions.load(fresh_small_store)
    wrong = ON_TASK.replace("RW-05-01", "RW-99-01")
    with pytest.raises(ImportRejected) as rejected:
        load(fresh_small_store, registry, ("actions", wrong))
    assert [str(e) for e in rejected.value.results[0].errors] == [
        "actions.csv 第2行，字段“任务编号”（task_code），值“RW-99-01”：任务分工中没有此任务编号"
        "（请先导入任务分工，或与之一同导入）"]
    pd.testing.assert_frame_equal(actions.load(fresh_small_store), before)


def test_an_item_may_name_a_task_imported_with_it(empty_store, registry):
    tasks = "code,article,task,lead_unit,due_on\nRW-08-01,8,建立质押融资风险补偿机制,县财政局,2025-06-30\n"
    item = ON_TASK.replace("RW-05-01", "RW-08-01")
    regions = "code,name,level,parent_code\n411521,罗山县,county,\n"
    # The actions file comes first in the list; the tasks are loaded before it all the same.
    load(empty_store, registry, ("actions", item), ("tasks", tasks), ("regions", regions))
    assert actions.load(empty_store)["task_text"].tolist() == ["建立质押融资风险补偿机制"]


# --- snapshots -------------------------------------------------------------------------------------------
def test_a_snapshot_freezes_the_tasks_standing(fresh_small_store, registry):
    store = fresh_small_store
    # A report made in March 2021 (the fixture's own reports were made in 2025, after the month).
    load(store, registry, ("task_reports", REPORTS_HEADER + "RW-05-01,2021-02,滞后,材料未齐,县农业农村局,2021-03-05\n"))
    march = freeze(store, registry, "2021-03")
    frozen = snapshots.frozen_tasks(store, march.id)
    live = T.standing(T.load_tasks(store), T.load_reports(store), "2021-03")
    pd.testing.assert_frame_equal(frozen, live)
    # As of 2021-03-31: the quarter chased is 2020-Q4 (2021-Q1 is reported in April), which neither task
    # reported; RW-05-01's latest report is February's.
    assert frozen.set_index("code")["status_label"].to_dict() == {"RW-05-01": "滞后", "RW-12-01": "未汇报"}
    assert frozen["unreported"].tolist() == [True, True] and set(frozen["report_period"]) == {"2020-Q4"}
    assert frozen["behind"].tolist() == [True, False] and frozen["days_overdue"].isna().all()

    # The report is corrected to 已完成: the live standing changes, the frozen one does not, and the
    # snapshot no longer matches the records of its month.
    load(store, registry, ("task_reports", REPORTS_HEADER + "RW-05-01,2021-02,已完成,材料已报送,县农业农村局,2021-03-06\n"))
    assert T.standing(T.load_tasks(store), T.load_reports(store), "2021-03").loc[0, "status_label"] == "已完成"
    pd.testing.assert_frame_equal(snapshots.frozen_tasks(store, march.id), frozen)
    assert not snapshots.is_current(store, march)


def test_tasks_count_in_the_fingerprint_only_from_the_month_of_the_first_report(fresh_small_store, registry):
    store = fresh_small_store
    june = snapshots.data_fingerprint(store, "2021-06")
    # The fixture's reports were made in October 2025: no month of 2021 hashes the tasks, so a task changed
    # leaves 2021's fingerprints alone (they stay those of a store without tasks) …
    load(store, registry, ("tasks", "code,article,task,lead_unit,due_on\nRW-12-01,12,改写的任务,县公安局,长期\n"))
    assert snapshots.data_fingerprint(store, "2021-06") == june
    # … while a month after the first report does hash them.
    october = snapshots.data_fingerprint(store, "2025-10")
    load(store, registry, ("tasks", "code,article,task,lead_unit,due_on\nRW-12-01,12,再次改写,县公安局,长期\n"))
    assert snapshots.data_fingerprint(store, "2025-10") != october


# --- migration 010 ---------------------------------------------------------------------------------------
def test_migration_010_upgrades_an_older_store(db_url, registry, monkeypatch):
    """A store made before 010 keeps its items (on no task) and its snapshots (no frozen tasks, the same
    fingerprint), then takes items on tasks."""
    every = store_module.migration_files()
    # Every migration but 010: today's freeze also reads the township targets of 011, which does not
    # depend on 010, so the store lacks only what this test is about.
    monkeypatch.setattr(store_module, "migration_files", lambda directory=None: [m for m in every if m[0] != 10])
    store = Store(db_url("before_010"))
    try:
        # Today's importer writes actions with a task_code: the older store's item is inserted as its own
        # importer wrote it. Its tasks come after the upgrade (today's freeze writes them to snapshot_tasks).
        older = [(kind, path) for kind, path in kind_files(SMALL) if kind not in ("actions", "tasks", "task_reports", "targets")]
        import_files(store, older, indicator_ids=set(registry.ids()))
        with store.engine.begin() as connection:
            connection.exec_driver_sql(
                "INSERT INTO actions (code, goal_id, region_code, problem, measure, lead_unit, due_on, raised_month,"
                " status) VALUES ('DB-2021-02-01', 'gi_marks', '411521', '问题', '措施', '县市场监督管理局',"
                " DATE '2021-04-30', '2021-02', 'open')")
        march = freeze(store, registry, "2021-03")
        with store.engine.connect() as connection:
            before = pd.read_sql("SELECT * FROM actions", connection)
        assert "task_code" not in before.columns

        monkeypatch.setattr(store_module, "migration_files", lambda directory=None: every)
        assert store.migrate() == [10]
        after = actions.load(store)
        assert after["code"].tolist() == ["DB-2021-02-01"] and after["task_code"].isna().all()
        assert after.loc[0, ["goal_id", "status", "due_on"]].tolist() == ["gi_marks", "open", pd.Timestamp("2021-04-30")]
        assert snapshots.is_current(store, march)
        old = snapshots.frozen_tasks(store, march.id)
        assert old.empty and list(old.columns) == list(T.STANDING_DTYPES)
        tasks = [(kind, path) for kind, path in kind_files(SMALL) if kind in ("tasks", "task_reports")]
        import_files(store, tasks, indicator_ids=set(registry.ids()))
        load(store, registry, ("actions", ON_TASK))
        assert actions.load(store).set_index("code").loc["DB-2021-03-02", "task_code"] == "RW-05-01"
        # The tasks' reports were made in 2025: March 2021's records hash as they did.
        assert snapshots.is_current(store, march)
    finally:
        store.dispose()
