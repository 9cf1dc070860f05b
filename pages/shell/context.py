"""The pages' addresses and the choices every page reads from the sidebar."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ipmetrics import auth
from ipmetrics.charts.chart import Where
from ipmetrics.core import labels, periods
from ipmetrics.core.goals import Registry
from ipmetrics.core.settings import Settings

# Paths as app.py's navigation names them; pages link and switch to each other by these.
OVERVIEW_PAGE = "pages/overview.py"
MEETING_PAGE = "pages/meeting.py"
SNAPSHOT_PAGE = "pages/snapshots.py"
ACTIONS_PAGE = "pages/actions.py"
DETAIL_PAGE = "pages/goal_detail.py"
IMPORT_PAGE = "pages/data_import.py"
EXPORT_PAGE = "pages/export_center.py"
TOWNSHIPS_PAGE = "pages/townships.py"
PEERS_PAGE = "pages/peers.py"
POLICY_PAGE = "pages/policy.py"
ASSESSMENT_PAGE = "pages/assessment.py"
TASKS_PAGE = "pages/tasks.py"
PROTECTION_PAGE = "pages/protection.py"


@dataclass(frozen=True)
class Context:
    """The sidebar's choices, read by every page."""

    settings: Settings
    registry: Registry
    data_version: int
    sample: bool
    has_data: bool
    region: str | None = None
    region_name: str | None = None
    as_of: pd.Period | None = None
    editor: auth.Editor | None = None   # None: a viewer, who sees everything and changes nothing
    home_name: str | None = None        # the goal file's region, as named in the store
    whole: str = "全县"                  # what the home region's whole area is called (全县, 全市 …)
    below: str = "乡镇（街道）"           # what the regions one level below it are called
    snapshots_version: int = 0           # the newest snapshot's number when the run began (0: none)

    def status_texts(self) -> dict:
        """What each status means, in the goal file's terms (its [method], trend windows and target year)."""
        return labels.status_texts(self.registry.method, self.registry.target_year, self.whole, self.below,
                                   window=trend_window(self.registry))


def trend_window(registry: Registry) -> str:
    """The trend's window in words for the goals that have a status (those with a target): 近12个月 when they
    are all monthly; 近12个月（季度指标近8个季度、年度指标近5年） when some are quarterly or yearly; 近期（季度指标
    近8个季度、年度指标近5年） when none is monthly; 近5年 when all are yearly."""
    goals = registry.targeted or registry.goals
    present = [f for f in periods.FREQUENCIES if any(goal.frequency == f for goal in goals)]
    windows = {f: periods.window_text(registry.method.window(f), f) for f in present}
    if len(present) == 1:
        return windows[present[0]]
    others = "、".join(f"{periods.FREQUENCY_LABEL[f]}指标{windows[f]}"
                      for f in present if f != "month")
    return f"{windows['month'] if 'month' in present else '近期'}（{others}）"


def where(ctx: Context) -> Where:
    """The region and month a chart is about, as the figure builders take them."""
    return Where(ctx.region, ctx.region_name, ctx.as_of, ctx.sample)


def periods_shown(goals, as_of: pd.Period) -> str | None:
    """季度指标为2026年第三季度、年度指标为2025年的数值: which periods a page of every goal shows as of a month;
    None when every goal is monthly (the month says it)."""
    present = [f for f in ("quarter", "year") if any(goal.frequency == f for goal in goals)]
    if not present:
        return None
    shown = "、".join(f"{periods.FREQUENCY_LABEL[f]}指标为{periods.period_label(periods.latest_ended(as_of, f))}"
                     for f in present)
    return f"{shown}的数值"


def period_shown(goal, as_of: pd.Period) -> str | None:
    """年度指标：显示2025年的数值 …, for one quarterly or yearly goal; None for a monthly one."""
    if goal.frequency == "month":
        return None
    return (f"{goal.frequency_label}指标：显示{periods.period_label(periods.latest_ended(as_of, goal.frequency))}"
            f"的数值（截至{periods.month_label(as_of)}底已结束的最近一{periods.COUNT_UNIT[goal.frequency]}）")
