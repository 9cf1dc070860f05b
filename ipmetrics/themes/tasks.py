"""任务分工与落实: the policy's tasks, their lead units, and the progress units report on them.

Tasks and reports are imported (kinds `tasks` and `task_reports`); the functions below work on the loaded
frames alone, so they can be checked by hand.

The rules:
- A report is for a month ('2025-09') or a quarter ('2025-Q3'). Reports are due per quarter: a task is
  reported for a quarter when it has a report for the quarter or for any month within it. Asked about a
  month, a report for that month or for the quarter containing it counts. In short, a report counts for a
  period when the two periods overlap.
- What a task stands at on a day is its latest report made by then (报送日期 on or before the day); of two
  reports, the later period wins, then the later day.
- A task is overdue on a day when it has a due date before that day and no report of 已完成 made by then.
  长期 tasks (no due date) are never overdue.
- A task owes a report for a period unless it was reported 已完成 for an earlier period: a finished task
  is not chased for more reports. A task with no report owes one too.
- Counts by article or by lead unit take each task's standing on the day; a task without any report by
  then is counted as 未汇报.
- A task's standing at the end of a month (`standing`, what the page shows and a snapshot freezes) is read
  on the month's last day: its latest report by then, overdue as above, and whether it owes a report for
  the quarter being chased — the latest quarter ended before the month began (as of 2026-10, 2026-Q3; as of
  2026-12 still 2026-Q3, since units report a quarter in the month after it ends: 2026-Q4 is chased from
  2027-01), counting only the reports made by that day. It is behind (滞后) when overdue or when its latest
  report says 滞后.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from ipmetrics.core import periods
from ipmetrics.core.policy import article_number
from ipmetrics.core.store import Store
from ipmetrics.io import edits
from ipmetrics.io.importer import ImportResult, Source, import_files
from ipmetrics.io.schemas import KINDS, TASK_STATUSES

STATUS_LABEL = {"not_started": "未启动", "in_progress": "推进中", "done": "已完成", "behind": "滞后"}
REPORT_KIND = KINDS["task_reports"]
EDIT_SOURCE = "任务进展页面填报.csv"  # the "file name" a report entered on the page is logged under
NO_REPORT = "未汇报"
TASK_COLUMNS = ["code", "article", "task", "lead_unit", "co_units", "due_on", "ongoing", "indicator_ids"]
REPORT_COLUMNS = ["task_code", "period", "status", "progress", "reporting_unit", "reported_on"]
# A task's standing at a month's end (`standing`): its columns and their dtypes, which a snapshot's frozen
# copy (meeting/snapshots.frozen_tasks) reads back the same.
STANDING_DTYPES = {
    "code": "str", "article": "str", "task": "str", "lead_unit": "str", "co_units": "str",
    "due_on": "datetime64[ns]", "ongoing": "bool", "indicator_ids": "str", "period": "str", "status": "str",
    "progress": "str", "reporting_unit": "str", "reported_on": "datetime64[ns]", "status_label": "str",
    "overdue": "bool", "days_overdue": "Int64", "report_period": "str", "unreported": "bool", "behind": "bool"}


def load_tasks(store: Store) -> pd.DataFrame:
    """Every task, by code; due_on as a timestamp (NaT when ongoing)."""
    frame = store.frame("tasks")
    frame["due_on"] = pd.to_datetime(frame["due_on"])
    frame["ongoing"] = frame["ongoing"].astype(bool)
    return frame


def load_reports(store: Store) -> pd.DataFrame:
    """Every task report, by task and period; reported_on as a timestamp."""
    frame = store.frame("task_reports")
    frame["reported_on"] = pd.to_datetime(frame["reported_on"])
    return frame


def _period(value: pd.Period | str) -> pd.Period:
    if isinstance(value, pd.Period):
        return value
    found = periods.parse_period(str(value))
    if found is None or periods.frequency_of(found) == "year":
        raise ValueError(f"任务汇报期间应为月份或季度，不能是 {value}")
    return found


def _span(text: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The first and last day a period (machine form) covers."""
    found = periods.period_from_text(text)
    return found.start_time.normalize(), found.end_time.normalize()


def overlaps(report_period: str, period: pd.Period | str) -> bool:
    """Whether a report for `report_period` counts for `period` (see the module's rules)."""
    wanted = _period(period)
    first, last = _span(report_period)
    return first <= wanted.end_time and last >= wanted.start_time


def reports_by(reports: pd.DataFrame, as_of: date | pd.Timestamp) -> pd.DataFrame:
    """The reports made on or before `as_of`, in the order they supersede each other (oldest first)."""
    made = reports[pd.to_datetime(reports["reported_on"]) <= pd.Timestamp(as_of)].copy()
    made["_period_end"] = [_span(text)[1] for text in made["period"]]
    made["reported_on"] = pd.to_datetime(made["reported_on"])
    return made.sort_values(["task_code", "_period_end", "reported_on"]).drop(columns="_period_end")


def latest(tasks: pd.DataFrame, reports: pd.DataFrame, as_of: date | pd.Timestamp) -> pd.DataFrame:
    """Each task with its latest report made by `as_of` (period, status, progress, reporting_unit,
    reported_on; blank when it has none) and `status_label` (未汇报 without a report)."""
    last = reports_by(reports, as_of).drop_duplicates("task_code", keep="last")
    frame = tasks.merge(last.rename(columns={"task_code": "code"}), on="code", how="left")
    frame["status_label"] = frame["status"].map(STATUS_LABEL).fillna(NO_REPORT)
    return frame.reset_index(drop=True)


def overdue(tasks: pd.DataFrame, reports: pd.DataFrame, as_of: date | pd.Timestamp) -> pd.DataFrame:
    """The tasks due before `as_of` that no report made by then says are 已完成, with their latest report
    and `days_overdue`, longest overdue first."""
    as_of = pd.Timestamp(as_of)
    made = reports_by(reports, as_of)
    finished = set(made.loc[made["status"] == "done", "task_code"])
    frame = latest(tasks, reports, as_of)
    due = pd.to_datetime(frame["due_on"])
    late = frame[due.notna() & (due < as_of) & ~frame["code"].isin(finished)].copy()
    late["days_overdue"] = (as_of - pd.to_datetime(late["due_on"])).dt.days
    return late.sort_values(["days_overdue", "code"], ascending=[False, True]).reset_index(drop=True)


def unreported(tasks: pd.DataFrame, reports: pd.DataFrame, period: pd.Period | str) -> pd.DataFrame:
    """The tasks owing a report for `period` (a month or a quarter) that have none, with their lead unit,
    by code. Finished tasks (reported 已完成 for an earlier period) owe none."""
    wanted = _period(period)
    covered = {code for code, text in zip(reports["task_code"], reports["period"]) if overlaps(text, wanted)}
    finished_before = {code for code, text, status in zip(reports["task_code"], reports["period"], reports["status"])
                       if status == "done" and _span(text)[1] < wanted.start_time}
    owing = tasks[~tasks["code"].isin(covered | finished_before)]
    return owing.sort_values("code").reset_index(drop=True)


def unreported_units(tasks: pd.DataFrame, reports: pd.DataFrame, period: pd.Period | str) -> pd.DataFrame:
    """The lead units that owe reports for `period`: each unit and how many of its tasks have none."""
    missing = unreported(tasks, reports, period)
    counts = missing.groupby("lead_unit", sort=False)["code"].agg(["count", lambda codes: "、".join(codes)])
    counts.columns = ["tasks", "codes"]
    return counts.sort_values("tasks", ascending=False, kind="stable").reset_index()


def status_counts(tasks: pd.DataFrame, reports: pd.DataFrame, as_of: date | pd.Timestamp,
                  by: str = "article") -> pd.DataFrame:
    """How many tasks stand at each status on `as_of`, by `by` ('article' in the policy's order, or
    'lead_unit' by most tasks): one column per status label, then 未汇报 and 合计."""
    frame = latest(tasks, reports, as_of)
    labels = [STATUS_LABEL[s] for s in TASK_STATUSES] + [NO_REPORT]
    counts = pd.crosstab(frame[by], frame["status_label"]).reindex(columns=labels, fill_value=0)
    counts.columns.name = None
    counts["合计"] = counts.sum(axis=1)
    if by == "article":
        counts = counts.loc[sorted(counts.index, key=article_number)]
    else:
        counts = counts.sort_values("合计", ascending=False, kind="stable")
    return counts.astype(int)


def chased_quarter(month: pd.Period | str) -> pd.Period:
    """The quarter whose reports are chased as of `month`: the latest ended before the month began (a quarter
    is reported in the month after it ends)."""
    return periods.latest_ended(pd.Period(month, freq="M") - 1, "quarter")


def standing(tasks: pd.DataFrame, reports: pd.DataFrame, month: pd.Period | str) -> pd.DataFrame:
    """Every task as it stands at the end of `month` (see the module's rules), by code: the columns of
    `latest` plus overdue, days_overdue (NA when not overdue), report_period (the quarter chased, e.g.
    '2026-Q3' as of 2026-10), unreported (owes a report for it and has none made by then) and behind
    (overdue, or its latest report says 滞后). Columns and dtypes as STANDING_DTYPES."""
    as_of = pd.Timestamp(periods.month_end(month))
    chased = chased_quarter(month)
    frame = latest(tasks, reports, as_of)
    late = overdue(tasks, reports, as_of).set_index("code")["days_overdue"]
    frame["overdue"] = frame["code"].isin(late.index)
    frame["days_overdue"] = pd.array([late.get(code) for code in frame["code"]], dtype="Int64")
    frame["report_period"] = periods.period_text(chased)
    owing = unreported(tasks, reports_by(reports, as_of), chased)
    frame["unreported"] = frame["code"].isin(owing["code"])
    frame["behind"] = frame["overdue"] | (frame["status"] == "behind")
    return typed_standing(frame.sort_values("code"))


def typed_standing(frame: pd.DataFrame) -> pd.DataFrame:
    """A standing frame in STANDING_DTYPES' columns and dtypes (text blanks as NA, not the text 'nan'; a
    column the frame lacks, as a hand-made fixture may, all blank)."""
    frame = frame.reset_index(drop=True)
    typed = pd.DataFrame(index=frame.index)
    for column, dtype in STANDING_DTYPES.items():
        values = frame[column] if column in frame else pd.Series([None] * len(frame), dtype=object)
        if dtype == "str":
            values = values.map(lambda v: None if v is None or pd.isna(v) else str(v))
        elif dtype == "bool":
            values = values.fillna(False)
        elif dtype.startswith("datetime"):
            values = pd.to_datetime(values)
        typed[column] = values.astype(dtype)
    return typed


# --- the 任务落实 page's tables, from a month's standing ----------------------------------------------------
def due_text(due_on, ongoing: bool) -> str:
    """完成时限 as the tables show it: the date, or 长期."""
    return "长期" if ongoing or pd.isna(due_on) else f"{pd.Timestamp(due_on):%Y-%m-%d}"


def _text(value) -> str:
    return "" if value is None or pd.isna(value) else str(value)


def overdue_table(standing_frame: pd.DataFrame) -> pd.DataFrame:
    """The overdue tasks, longest overdue first, with their latest status and progress."""
    late = standing_frame[standing_frame["overdue"]].sort_values(["days_overdue", "code"], ascending=[False, True])
    return pd.DataFrame({
        "任务编号": late["code"].to_numpy(), "政策条款": late["article"].to_numpy(), "任务内容": late["task"].to_numpy(),
        "牵头单位": late["lead_unit"].to_numpy(), "完成时限": [due_text(d, False) for d in late["due_on"]],
        "逾期天数": late["days_overdue"].astype(int).to_numpy(), "最新状态": late["status_label"].to_numpy(),
        "最新进展": [_text(p) for p in late["progress"]]})


def unreported_table(standing_frame: pd.DataFrame) -> pd.DataFrame:
    """The lead units owing reports for the quarter chased: each unit, how many tasks, which (most first)."""
    owing = standing_frame[standing_frame["unreported"]]
    grouped = owing.groupby("lead_unit", sort=False)["code"].agg(list)
    table = pd.DataFrame({"牵头单位": grouped.index.astype(str), "未汇报任务数": grouped.map(len).to_numpy(),
                          "任务编号": ["、".join(codes) for codes in grouped]})
    return table.sort_values(["未汇报任务数", "牵头单位"], ascending=[False, True], kind="stable").reset_index(drop=True)


def counts_table(counts: pd.DataFrame, by: str, titles: dict[str, str] | None = None) -> pd.DataFrame:
    """status_counts as a table with its heading column (政策条款 with the article's title when the goal
    file declares it, or 牵头单位)."""
    table = counts.reset_index().rename(columns={by: "政策条款" if by == "article" else "牵头单位"})
    if by == "article" and titles:
        table.insert(1, "条款标题", [titles.get(article, "") for article in table["政策条款"]])
    return table


def task_list(standing_frame: pd.DataFrame) -> pd.DataFrame:
    """Every task with its latest report, in the policy's order."""
    frame = standing_frame.assign(_n=standing_frame["article"].map(article_number)).sort_values(["_n", "code"])
    return pd.DataFrame({
        "任务编号": frame["code"].to_numpy(), "政策条款": frame["article"].to_numpy(), "任务内容": frame["task"].to_numpy(),
        "牵头单位": frame["lead_unit"].to_numpy(), "配合单位": [_text(u) for u in frame["co_units"]],
        "完成时限": [due_text(d, o) for d, o in zip(frame["due_on"], frame["ongoing"])],
        "最新状态": frame["status_label"].to_numpy(),
        "汇报期间": [periods.period_label(periods.period_from_text(p)) if _text(p) else "" for p in frame["period"]],
        "最新进展": [_text(p) for p in frame["progress"]],
        "逾期": ["逾期{}天".format(d) if late else "" for d, late in zip(frame["days_overdue"], frame["overdue"])],
        "未汇报": ["是" if owing else "" for owing in frame["unreported"]]})


def history(reports: pd.DataFrame, code: str, as_of: date | pd.Timestamp) -> pd.DataFrame:
    """One task's reports made by `as_of`, newest first (the later period, then the later day)."""
    own = reports_by(reports[reports["task_code"] == code], as_of).iloc[::-1]
    return pd.DataFrame({
        "汇报期间": [periods.period_label(periods.period_from_text(p)) for p in own["period"]],
        "进展状态": own["status"].map(STATUS_LABEL).to_numpy(), "进展情况": [_text(p) for p in own["progress"]],
        "报送单位": own["reporting_unit"].to_numpy(), "报送日期": own["reported_on"].dt.strftime("%Y-%m-%d").to_numpy()})


def save_reports(store: Store, frame: pd.DataFrame, user: str, client: str | None = None,
                 actor: str | None = None) -> ImportResult:
    """Write reports entered on the page (the import's Chinese headers) through the importer: validated
    like a file, all saved or none, logged and audited; a task and period already reported is replaced."""
    data = edits.as_text(frame).to_csv(index=False).encode("utf-8")
    return import_files(store, [("task_reports", Source(EDIT_SOURCE, data))], user=user, client=client,
                        actor=actor)[0]


def report_audit(store: Store, limit: int = 10) -> pd.DataFrame:
    """The audit log's latest entries on task reports (entered on the page or imported as a file), newest
    first, with Chinese headers: who wrote how many reports when, and from where."""
    log = store.frame("audit_log", limit=max(limit * 20, 200))
    ours = log[log["detail"].fillna("").str.contains(f"（{REPORT_KIND.name}）", regex=False)].head(limit)
    return pd.DataFrame({"时间": pd.to_datetime(ours["happened_at"]).dt.strftime("%Y-%m-%d %H:%M").to_numpy(),
                         "操作人": ours["actor"].to_numpy(), "内容": ours["detail"].to_numpy(),
                         "来源": ours["client"].fillna("").to_numpy()})
