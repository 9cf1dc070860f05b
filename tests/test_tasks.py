"""任务分工与落实: tasks and their reports are imported all or nothing (unknown tasks, years, statuses and
indicators refused with file, row and field named); overdue and unreported tasks, each task's standing and
the status counts are worked out by hand on a small fixture and on the bundled sample."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from ipmetrics.core.goals import load_registry
from ipmetrics.core.policy import article_number, article_text
from ipmetrics.core.settings import DEFAULT_INDICATORS, SAMPLE_DIR
from ipmetrics.demo import sample_tasks
from ipmetrics.demo.examples import sample_files
from ipmetrics.io.importer import ImportRejected, import_files
from ipmetrics.io.readers import Source
from ipmetrics.themes import tasks as T

MARKET, SCIENCE, FARMING = "县市场监督管理局", "县科技局", "县农业农村局"
GOALS = {"gi_marks", "well_known_marks"}


# --- the pure functions, on a fixture worked out by hand ----------------------------------------------
def fixture_tasks() -> pd.DataFrame:
    rows = [("T1", "第（一）条", MARKET, "2025-12-31"), ("T2", "第（一）条", SCIENCE, "2025-11-30"),
            ("T3", "第（十一）条", MARKET, None), ("T4", "第（三）条", FARMING, "2026-06-30"),
            ("T5", "第（二）条", SCIENCE, "2025-09-30"), ("T6", "第（二）条", FARMING, "2025-12-31")]
    frame = pd.DataFrame(rows, columns=["code", "article", "lead_unit", "due_on"])
    frame["due_on"] = pd.to_datetime(frame["due_on"])
    frame["ongoing"] = frame["due_on"].isna()  # T3 is 长期
    return frame


def fixture_reports() -> pd.DataFrame:
    rows = [("T1", "2025-Q3", "in_progress", "2025-10-08"), ("T1", "2025-Q4", "done", "2026-01-10"),
            ("T2", "2025-Q3", "behind", "2025-10-09"), ("T2", "2025-10", "behind", "2025-11-05"),
            ("T3", "2025-Q3", "in_progress", "2025-10-08"),
            ("T5", "2025-Q3", "done", "2025-10-08"),
            ("T6", "2025-Q4", "done", "2026-01-20")]  # reported after 2026-01-15
    frame = pd.DataFrame(rows, columns=["task_code", "period", "status", "reported_on"])
    frame["reported_on"] = pd.to_datetime(frame["reported_on"])
    return frame


def test_each_task_stands_at_its_latest_report_made_by_the_day():
    standing = T.latest(fixture_tasks(), fixture_reports(), date(2026, 1, 15)).set_index("code")
    # T2: 2025-10 ends after 2025-Q3, so the month's report is the later one. T4 has none; T6's only
    # report was made on 2026-01-20, after the day.
    assert standing["status_label"].to_dict() == {"T1": "已完成", "T2": "滞后", "T3": "推进中", "T4": "未汇报",
                                                  "T5": "已完成", "T6": "未汇报"}
    assert standing.loc["T2", "period"] == "2025-10"


def test_overdue_tasks_are_due_before_the_day_and_not_reported_done_by_then():
    late = T.overdue(fixture_tasks(), fixture_reports(), date(2026, 1, 15))
    # Due before 2026-01-15: T1 (done 01-10), T2 (never done), T5 (done in Q3), T6 (done only on 01-20).
    # T2: 2025-11-30 → 2026-01-15 = 31 (December) + 15 = 46 days; T6: 2025-12-31 → 2026-01-15 = 15 days.
    # T3 is 长期 and T4 is due in June: neither can be overdue.
    assert list(zip(late["code"], late["days_overdue"])) == [("T2", 46), ("T6", 15)]
    # Ten days later T6's 已完成 of 2026-01-20 is in: only T2 is left, 56 days late.
    later = T.overdue(fixture_tasks(), fixture_reports(), date(2026, 1, 25))
    assert list(zip(later["code"], later["days_overdue"])) == [("T2", 56)]


def test_a_quarter_is_reported_by_a_report_for_it_or_for_one_of_its_months():
    tasks, reports = fixture_tasks(), fixture_reports()
    # 2025-Q4: T1 and T6 reported for the quarter, T2 for October; T5 was reported 已完成 for Q3, so it owes
    # nothing. T3 (last reported for Q3) and T4 (never) owe a report.
    missing = T.unreported(tasks, reports, "2025-Q4")
    assert list(zip(missing["code"], missing["lead_unit"])) == [("T3", MARKET), ("T4", FARMING)]
    assert list(T.unreported(tasks, reports, "2025年第四季度")["code"]) == ["T3", "T4"]
    # 2025-11: the Q4 reports of T1 and T6 cover November; T2's October report does not.
    assert list(T.unreported(tasks, reports, "2025-11")["code"]) == ["T2", "T3", "T4"]
    # 2025-10: T2's October report covers it.
    assert list(T.unreported(tasks, reports, "2025-10")["code"]) == ["T3", "T4"]
    # 2025-Q3: T1, T2, T3, T5 reported; T4 never, T6 only for Q4.
    assert list(T.unreported(tasks, reports, "2025-Q3")["code"]) == ["T4", "T6"]
    units = T.unreported_units(tasks, reports, "2025-11")
    assert units.set_index("lead_unit")["codes"].to_dict() == {SCIENCE: "T2", MARKET: "T3", FARMING: "T4"}
    with pytest.raises(ValueError, match="不能是 2025"):
        T.unreported(tasks, reports, "2025")


def test_status_counts_by_article_in_the_policys_order_and_by_lead_unit():
    counts = T.status_counts(fixture_tasks(), fixture_reports(), date(2026, 1, 15))
    # Columns: 未启动 推进中 已完成 滞后 未汇报 合计, with each task at its standing on 2026-01-15 (see above).
    # 第（三）条 sorts before 第（十一）条 by number (as text, 三 would come before 二).
    assert list(counts.columns) == ["未启动", "推进中", "已完成", "滞后", "未汇报", "合计"]
    assert counts.to_dict("index") == {
        "第（一）条": {"未启动": 0, "推进中": 0, "已完成": 1, "滞后": 1, "未汇报": 0, "合计": 2},   # T1, T2
        "第（二）条": {"未启动": 0, "推进中": 0, "已完成": 1, "滞后": 0, "未汇报": 1, "合计": 2},   # T5, T6
        "第（三）条": {"未启动": 0, "推进中": 0, "已完成": 0, "滞后": 0, "未汇报": 1, "合计": 1},   # T4
        "第（十一）条": {"未启动": 0, "推进中": 1, "已完成": 0, "滞后": 0, "未汇报": 0, "合计": 1},  # T3
    }
    assert list(counts.index) == ["第（一）条", "第（二）条", "第（三）条", "第（十一）条"]
    units = T.status_counts(fixture_tasks(), fixture_reports(), date(2026, 1, 15), by="lead_unit")
    assert units.loc[MARKET, ["推进中", "已完成"]].tolist() == [1, 1]     # T3, T1
    assert units.loc[SCIENCE, ["已完成", "滞后"]].tolist() == [1, 1]      # T5, T2
    assert units.loc[FARMING, "未汇报"] == 2                              # T4, T6


def test_each_tasks_standing_at_a_months_end():
    standing = T.standing(fixture_tasks(), fixture_reports(), pd.Period("2026-01", freq="M")).set_index("code")
    # Read on 2026-01-31. Overdue: T2 only (due 2025-11-30, never 已完成): 31 (December) + 31 (January) = 62
    # days; T6's 已完成 of 2026-01-20 is in by then, T1 was done on 01-10, T5 in Q3.
    assert standing["overdue"].to_dict() == {"T1": False, "T2": True, "T3": False, "T4": False, "T5": False,
                                             "T6": False}
    assert standing.loc["T2", "days_overdue"] == 62 and standing["days_overdue"].isna().sum() == 5
    # The quarter chased as of 2026-01 is the latest ended: 2025-Q4. T3 (last reported for Q3) and T4 (never)
    # owe it; T6's Q4 report made on 01-20 counts by the month's end.
    assert set(standing["report_period"]) == {"2025-Q4"}
    assert standing.index[standing["unreported"]].tolist() == ["T3", "T4"]
    # Behind: overdue (T2) or latest report 滞后 (T2 again): nobody else.
    assert standing.index[standing["behind"]].tolist() == ["T2"]
    assert standing["status_label"].tolist() == ["已完成", "滞后", "推进中", "未汇报", "已完成", "已完成"]
    assert list(standing.reset_index().columns) == list(T.STANDING_DTYPES)
    assert {c: str(t) for c, t in standing.reset_index().dtypes.items()} == T.STANDING_DTYPES


def test_a_months_standing_counts_only_the_reports_made_by_its_end():
    standing = T.standing(fixture_tasks(), fixture_reports(), pd.Period("2025-12", freq="M")).set_index("code")
    # Read on 2025-12-31: 2025-Q4 ends that day and is chased only from January (units report a quarter in
    # the month after it), so 2025-Q3 is still chased: T4 and T6 have no Q3 report made by then.
    assert set(standing["report_period"]) == {"2025-Q3"}
    assert standing.index[standing["unreported"]].tolist() == ["T4", "T6"]
    # The reports made by then: the Q3 reports and T2's October report (11-05); T1's latest is its Q3 one.
    assert standing.loc["T1", ["period", "status_label"]].tolist() == ["2025-Q3", "推进中"]
    # Overdue: T2 (due 11-30): 31 days. T1 and T6 are due on 12-31 itself, not before it.
    assert standing.index[standing["overdue"]].tolist() == ["T2"] and standing.loc["T2", "days_overdue"] == 31
    assert standing.loc["T6", "status_label"] == "未汇报" and pd.isna(standing.loc["T6", "period"])
    # As of 2025-11 the chased quarter is 2025-Q3: T4 and T6 have no Q3 report.
    november = T.standing(fixture_tasks(), fixture_reports(), "2025-11").set_index("code")
    assert set(november["report_period"]) == {"2025-Q3"}
    assert november.index[november["unreported"]].tolist() == ["T4", "T6"]


def test_articles_are_written_as_the_policy_writes_them():
    assert [article_text(text) for text in ["第（十一）条", "第(十一)条", "第十一条", "十一", "11", "20", "七"]] == [
        "第（十一）条"] * 5 + ["第（二十）条", "第（七）条"]


# --- importing ---------------------------------------------------------------------------------------
TASKS_CSV = ("任务编号,政策条款,任务内容,牵头单位,配合单位,完成时限,长期任务,关联指标\n"
             "RW-11-01,第十一条,开展“铁拳”行动,县市场监督管理局,县公安局,长期,,gi_marks、well_known_marks\n"
             "RW-05-01,5,指导申报集体商标,县市场监督管理局,,2025年12月31日,,\n")
REPORTS_HEADER = "任务编号,汇报期间,进展状态,进展情况,报送单位,报送日期\n"


def source(name: str, text: str) -> Source:
    return Source(name, text.encode("utf-8"))


def test_tasks_and_their_reports_import_together_and_replace_by_key(empty_store):
    reports = REPORTS_HEADER + ("RW-11-01,2025年第三季度,推进中,立案3起,县市场监督管理局,2025-10-10\n"
                                "RW-05-01,2025-09,进度滞后,,县市场监督管理局,2025/10/9\n")
    import_files(empty_store, [("task_reports", source("进展.csv", reports)), ("tasks", source("任务.csv", TASKS_CSV))],
                 indicator_ids=GOALS, user="tester")
    tasks = T.load_tasks(empty_store).set_index("code")
    assert tasks.loc["RW-11-01", ["article", "ongoing", "indicator_ids"]].tolist() == \
        ["第（十一）条", True, "gi_marks,well_known_marks"]
    assert pd.isna(tasks.loc["RW-11-01", "due_on"])
    assert tasks.loc["RW-05-01", "due_on"] == pd.Timestamp("2025-12-31") and not tasks.loc["RW-05-01", "ongoing"]
    stored = T.load_reports(empty_store)
    assert list(zip(stored["task_code"], stored["period"], stored["status"])) == [
        ("RW-05-01", "2025-09", "behind"), ("RW-11-01", "2025-Q3", "in_progress")]
    # A later file names a task of the store; the same task and quarter (another spelling) replaces the report.
    import_files(empty_store, [("task_reports", source("进展2.csv", REPORTS_HEADER +
                               "RW-11-01,2025-Q3,已完成,结案,县市场监督管理局,2025-10-20\n"))], indicator_ids=GOALS)
    stored = T.load_reports(empty_store).set_index(["task_code", "period"])
    assert len(stored) == 2 and stored.loc[("RW-11-01", "2025-Q3"), "status"] == "done"
    log = empty_store.frame("import_log")
    assert sorted(zip(log["kind"], log["rows_loaded"])) == [("task_reports", 1), ("task_reports", 2), ("tasks", 2)]
    audit = empty_store.frame("audit_log", limit=10)
    assert "任务进展（task_reports）进展2.csv：写入 1 行" in set(audit["detail"])


@pytest.mark.parametrize("reports, expected", [
    ("RW-99-01,2025-Q3,推进中,,县科技局,2025-10-10\n",
     "进展.csv 第2行，字段“任务编号”（task_code），值“RW-99-01”：任务分工中没有此任务编号（请先导入任务分工，或与之一同导入）"),
    ("RW-11-01,2025,推进中,,县科技局,2025-10-10\n",
     "进展.csv 第2行，字段“汇报期间”（period），值“2025”：任务进展按月或按季度汇报，期间应为月份或季度"
     "（如 2025-Q3 或 2025年第三季度），不能是年份 2025"),
    ("RW-11-01,2025-Q3,有进展,,县科技局,2025-10-10\n",
     "进展.csv 第2行，字段“进展状态”（status），值“有进展”：不认识的进展状态（可填：未启动、推进中、已完成、滞后）"),
])
def test_a_bad_report_is_refused_with_file_row_and_field_and_nothing_is_written(empty_store, reports, expected):
    good = "RW-05-01,2025-Q3,未启动,,县市场监督管理局,2025-10-09\n"
    with pytest.raises(ImportRejected) as caught:
        import_files(empty_store, [("tasks", source("任务.csv", TASKS_CSV)),
                                   ("task_reports", source("进展.csv", REPORTS_HEADER + reports + good))],
                     indicator_ids=GOALS)
    assert [str(e) for r in caught.value.results for e in r.errors] == [expected]
    assert empty_store.frame("tasks").empty and empty_store.frame("task_reports").empty
    assert empty_store.frame("import_log").empty


def test_a_task_linked_to_an_unknown_indicator_is_refused(empty_store):
    bad = TASKS_CSV.replace("gi_marks、well_known_marks", "gi_marks、no_such_goal")
    with pytest.raises(ImportRejected) as caught:
        import_files(empty_store, [("tasks", source("任务.csv", bad))], indicator_ids=GOALS)
    assert [str(e) for e in caught.value.results[0].errors] == [
        "任务.csv 第2行，字段“关联指标”（indicator_ids），值“gi_marks、no_such_goal”：不认识的指标 no_such_goal"
        "（可选：gi_marks、well_known_marks）"]
    assert empty_store.frame("tasks").empty


def test_a_task_needs_a_due_date_or_ongoing(empty_store):
    bad = TASKS_CSV.replace("2025年12月31日", "")
    with pytest.raises(ImportRejected) as caught:
        import_files(empty_store, [("tasks", source("任务.csv", bad))], indicator_ids=GOALS)
    assert [str(e) for e in caught.value.results[0].errors] == [
        "任务.csv 第3行，字段“完成时限”（due_on）：请填写完成时限（日期），长期任务写“长期”"]


# --- the bundled sample ------------------------------------------------------------------------------
def test_the_sample_has_tasks_for_all_seventeen_articles(sample_store):
    tasks = T.load_tasks(sample_store)
    assert sorted(set(tasks["article"]), key=article_number) == [article_text(str(n)) for n in range(1, 18)]
    assert len(tasks) == len(sample_tasks.TASKS) == 33


def test_the_samples_overdue_and_unreported_tasks(sample_store):
    tasks, reports = T.load_tasks(sample_store), T.load_reports(sample_store)
    late = T.overdue(tasks, reports, date(2026, 2, 1))
    # Due before 2026-02-01 and not reported 已完成 by then (the 2025-Q4 reports came in by 2026-01-15):
    # RW-08-01 due 2025-06-30: 184 days to 12-31 (31+31+30+31+30+31) + 32 = 216; RW-13-01 due 2025-09-30:
    # 92 + 32 = 124; RW-02-02, RW-05-01, RW-07-01, RW-11-01 due 2025-12-31: 32. Done: RW-01-01, RW-03-01,
    # RW-06-02, RW-10-01, RW-15-02.
    assert list(zip(late["code"], late["days_overdue"])) == [
        ("RW-08-01", 216), ("RW-13-01", 124), ("RW-02-02", 32), ("RW-05-01", 32), ("RW-07-01", 32), ("RW-11-01", 32)]
    # No 2025-Q4 report: RW-05-03, RW-09-02, RW-12-03, RW-14-02, RW-16-01 (RW-15-02 was done in Q3).
    assert list(T.unreported(tasks, reports, "2025-Q4")["code"]) == [
        "RW-05-03", "RW-09-02", "RW-12-03", "RW-14-02", "RW-16-01"]
    units = T.unreported_units(tasks, reports, "2025-Q4")
    assert units.iloc[0].tolist() == ["各乡镇人民政府", 2, "RW-05-03、RW-14-02"]
    # Latest standing: 滞后 RW-05-02, RW-07-01, RW-08-01, RW-13-01; 未启动 RW-12-03, RW-14-02 (Q3, no Q4 report);
    # 已完成 RW-01-01, RW-03-01, RW-06-02, RW-10-01, RW-15-02; the other 33 - 4 - 2 - 5 = 22 推进中.
    totals = T.status_counts(tasks, reports, date(2026, 2, 1)).sum()
    assert totals.to_dict() == {"未启动": 2, "推进中": 22, "已完成": 5, "滞后": 4, "未汇报": 0, "合计": 33}


def test_the_samples_standing_as_of_2026_10(sample_store):
    standing = T.standing(T.load_tasks(sample_store), T.load_reports(sample_store), "2026-10").set_index("code")
    # Read on 2026-10-31 (the 2026-Q3 reports came in by 10-15). Overdue: RW-08-01 due 2025-06-30: 184 days
    # to 2025-12-31 + 304 in 2026 (31+28+31+30+31+30+31+31+30+31) = 488; RW-13-01 due 2025-09-30: 92 + 304 =
    # 396; RW-07-01 due 2025-12-31: 304. The other tasks due by then were reported 已完成.
    late = standing[standing["overdue"]].sort_values("days_overdue", ascending=False)
    assert list(zip(late.index, late["days_overdue"])) == [("RW-08-01", 488), ("RW-13-01", 396), ("RW-07-01", 304)]
    # Not reported for 2026-Q3: the townships' two tasks and 县农业农村局's 植物新品种 task.
    assert set(standing["report_period"]) == {"2026-Q3"}
    assert standing.index[standing["unreported"]].tolist() == ["RW-05-03", "RW-12-03", "RW-14-02"]
    # Behind: the three overdue, and RW-05-02 reporting 滞后 (due 2026-12-31, not overdue); RW-13-01 is
    # overdue though its last report says 推进中.
    assert standing.index[standing["behind"]].tolist() == ["RW-05-02", "RW-07-01", "RW-08-01", "RW-13-01"]
    assert standing.loc["RW-13-01", "status_label"] == "推进中"
    # 已完成: 5 in 2025 + RW-02-02, RW-03-02, RW-11-01 (Q1) + RW-05-01, RW-09-01, RW-16-02 (Q2) = 11; 滞后:
    # RW-05-02, RW-07-01, RW-08-01; the other 33 - 11 - 3 = 19 推进中.
    assert standing["status_label"].value_counts().to_dict() == {"推进中": 19, "已完成": 11, "滞后": 3}


def test_load_sample_leaves_out_reports_after_the_cut_and_unknown_linked_indicators():
    registry = load_registry(DEFAULT_INDICATORS)
    files = {f.kind: f for f in sample_files(SAMPLE_DIR, DEFAULT_INDICATORS, registry.ids(),
                                             pd.Period("2025-11", freq="M"))}
    # Ending after November 2025: the 26 reports for 2025-Q4 and the 70 of 2026 (27 for Q1, 24 for Q2, 19
    # for Q3): 96 of the 129 (33 for 2025-Q3 are kept).
    assert files["task_reports"].left_out == "task_reports.csv 中 96 行的期间在2025年11月之后，未导入"
    assert files["tasks"].left_out is None
    pruned = {f.kind: f for f in sample_files(SAMPLE_DIR, DEFAULT_INDICATORS, {"gi_marks"},
                                              pd.Period("2026-10", freq="M"))}["tasks"]
    # Nine tasks are linked to indicators; only RW-05-02's (gi_marks) are all known.
    assert pruned.left_out == "tasks.csv 中 8 行关联的指标不在当前目标文件中，已略去这些指标"
    assert b"RW-05-02" in pruned.source.data and b"well_known_marks" not in pruned.source.data
