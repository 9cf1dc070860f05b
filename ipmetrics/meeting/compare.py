"""Two sets of goal figures side by side (two snapshots, or a snapshot and today's figures): what moved,
which statuses changed, the goals that got worse first."""

from __future__ import annotations

import pandas as pd

from ipmetrics.core import labels, periods
from ipmetrics.core.goals import Goal, Registry
from ipmetrics.core.measures import load_region_data
from ipmetrics.core.progress import Status
from ipmetrics.core.scorecard import scorecard_from_data, status_records
from ipmetrics.core.settings import Settings
from ipmetrics.core.store import Store

# How far behind a status is; no_data and no_target are not on this scale.
SEVERITY = {Status.ACHIEVED.value: 0, Status.ON_TRACK.value: 1, Status.AT_RISK.value: 2,
            Status.OFF_TRACK.value: 3}
MOVEMENT_LABEL = {"worse": "变差", "better": "好转", "changed": "状态变化", "same": "状态未变"}
_MOVEMENT_ORDER = ["worse", "changed", "same", "better"]


def live_records(store: Store, registry: Registry, settings: Settings, month: pd.Period | str,
                 region: str) -> pd.DataFrame:
    """Today's figures of a month, in the shape of a snapshot's records."""
    cards = scorecard_from_data(load_region_data(store, region), registry, settings, month)
    frame = pd.DataFrame(status_records(cards)).rename(columns={"id": "goal_id", "name": "goal_name"})
    return frame


def _status_of(frame: pd.DataFrame | None, goal_id: str, column: str):
    if frame is None:
        return None
    rows = frame[frame["goal_id"] == goal_id]
    if rows.empty:
        return None
    value = rows.iloc[0][column]
    return None if value is None or (isinstance(value, float) and pd.isna(value)) else value


def period_label(text) -> str | None:
    """A record's period (2025-09, 2025-Q3, 2025) in Chinese; None for a row frozen before periods were
    kept (NULL: a monthly goal of the snapshot's month)."""
    if not isinstance(text, str) or not text:
        return None
    return periods.period_label(periods.period_from_text(text))


def _period_of(frame: pd.DataFrame | None, goal_id: str) -> str | None:
    return None if frame is None or "period" not in frame else _status_of(frame, goal_id, "period")


def movement(before: str | None, after: str | None) -> str:
    if before is None or before == after:
        return "same"
    if before in SEVERITY and after in SEVERITY:
        return "worse" if SEVERITY[after] > SEVERITY[before] else "better"
    return "changed"


def compare(before: pd.DataFrame | None, after: pd.DataFrame, registry: Registry) -> pd.DataFrame:
    """One row per goal of `after`: both values, the change, both statuses and the movement.

    Sorted for a meeting: goals that got worse first (the furthest behind first), then other status
    changes, then unchanged goals by how much their anticipated progress fell, improvements last.
    """
    rows = []
    for _, row in after.iterrows():
        goal_id = row["goal_id"]
        status_before = _status_of(before, goal_id, "status")
        value_before = _status_of(before, goal_id, "value")
        ap_before = _status_of(before, goal_id, "anticipated_progress")
        value_after = None if pd.isna(row["value"]) else float(row["value"])
        ap_after = None if pd.isna(row["anticipated_progress"]) else float(row["anticipated_progress"])
        rows.append({
            "goal_id": goal_id,
            "goal_name": row["goal_name"],
            "unit": row["unit"],
            "value_before": value_before,
            "value_after": value_after,
            "delta": None if value_before is None or value_after is None else value_after - value_before,
            "completion_before": _status_of(before, goal_id, "completion"),
            "completion_after": None if pd.isna(row["completion"]) else float(row["completion"]),
            "ap_delta": None if ap_before is None or ap_after is None else ap_after - ap_before,
            "status_before": status_before,
            "status_after": row["status"],
            "period_before": _period_of(before, goal_id),
            "period_after": _period_of(after, goal_id),
            "movement": movement(status_before, row["status"]),
        })
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    frame["_order"] = frame["movement"].map(_MOVEMENT_ORDER.index)
    frame["_severity"] = -frame["status_after"].map(SEVERITY).fillna(-1)
    frame["_ap"] = frame["ap_delta"].astype(float).fillna(0.0)
    return frame.sort_values(["_order", "_severity", "_ap"]).drop(columns=["_order", "_severity", "_ap"]) \
        .reset_index(drop=True)


def _goal(registry: Registry, goal_id: str) -> Goal | None:
    return registry.goal(goal_id) if goal_id in registry.ids() else None


def _status_text(status: str | None, goal: Goal | None = None) -> str:
    return "—" if status is None else labels.status_label(Status(status), goal)


def status_change_text(row, goal: Goal | None = None) -> str:
    if row["status_before"] is None or row["status_before"] == row["status_after"]:
        return "—"
    return f"{_status_text(row['status_before'], goal)} → {_status_text(row['status_after'], goal)}"


def _with_periods(comparison: pd.DataFrame) -> bool:
    """Whether a goal compared is of a quarter or a year (a snapshot frozen before periods were kept
    has none: it is monthly)."""
    texts = [t for column in ("period_before", "period_after") if column in comparison
             for t in comparison[column] if isinstance(t, str)]
    return any(periods.frequency_of(periods.period_from_text(t)) != "month" for t in texts)


COLUMNS = ["指标", "上次", "本次", "变化", "单位", "上次状态", "本次状态", "状态变化", "判断"]


def comparison_table(comparison: pd.DataFrame, registry: Registry) -> pd.DataFrame:
    """The comparison in Chinese, values formatted as the goal formats them; with the period of each value
    (上次期间, 本次期间) when a goal is counted by quarter or year."""
    with_periods = _with_periods(comparison)
    rows = []
    for _, row in comparison.iterrows():
        goal = _goal(registry, row["goal_id"])
        fmt = goal.format_value if goal else (lambda v: "—" if v is None else f"{v:,.2f}")
        delta = row["delta"]
        rows.append({
            "指标": goal.label if goal else row["goal_name"],
            "上次期间": period_label(row["period_before"]) or "—",
            "上次": fmt(row["value_before"]),
            "本次期间": period_label(row["period_after"]) or "—",
            "本次": fmt(row["value_after"]),
            "变化": "—" if delta is None or pd.isna(delta) else ("+" if delta > 0 else "") + fmt(delta),
            "单位": row["unit"],
            "上次状态": _status_text(row["status_before"], goal),
            "本次状态": _status_text(row["status_after"], goal),
            "状态变化": status_change_text(row, goal),
            "判断": MOVEMENT_LABEL[row["movement"]],
        })
    columns = ["指标", "上次期间", "上次", "本次期间", *COLUMNS[2:]] if with_periods else COLUMNS
    return pd.DataFrame(rows, columns=columns)
