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
  the quarter being chased — the latest quarter ended by then (as of 2026-10, 2026-Q3), counting only the
  reports made by that day. It is behind (滞后) when overdue or when its latest report says 滞后.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from ipmetrics.core import periods
from ipmetrics.core.policy import article_number
from ipmetrics.core.store import Store
from ipmetrics.io.schemas import TASK_STATUSES

STATUS_LABEL = {"not_started": "未启动", "in_progress": "推进中", "done": "已完成", "behind": "滞后"}
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


def standing(tasks: pd.DataFrame, reports: pd.DataFrame, month: pd.Period | str) -> pd.DataFrame:
    """Every task as it stands at the end of `month` (see the module's rules), by code: the columns of
    `latest` plus overdue, days_overdue (NA when not overdue), report_period (the quarter chased, e.g.
    '2026-Q3' as of 2026-10), unreported (owes a report for it and has none made by then) and behind
    (overdue, or its latest report says 滞后). Columns and dtypes as STANDING_DTYPES."""
    as_of = pd.Timestamp(periods.month_end(month))
    chased = periods.latest_ended(month, "quarter")
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
