"""Whether a month's data are loaded, so that its figures may be frozen as the figures of record.

Each import vouches for the months up to its `data_through` (数据截至月份): stated by the user, or else
inferred — the latest event month in a file of dated events (marks, patents, pledges), the last month
completed at import time for a list (enterprises, population). A month is ready when it has ended and
every source the goals are computed from vouches for it; the caller then also refuses a goal without a
value (a population year not loaded, say). An indicator an office reports is not waited for: its latest
period without a figure is frozen as 未上报, and `not_yet_reported` lists those as a warning.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from ipmetrics.core import periods
from ipmetrics.core.goals import Registry
from ipmetrics.core.measures import MEASURE_SOURCE, POPULATION_MEASURES, load_region_data
from ipmetrics.core.progress import Status
from ipmetrics.core.scorecard import scorecard_from_data, status_records
from ipmetrics.core.settings import Settings
from ipmetrics.core.store import Store
from ipmetrics.io.schemas import KINDS

# Every source a goal can be computed from, in the order the pages list them; a goal file needs those its
# goals name (required_sources). Brands and reported figures are optional.
REQUIRED_SOURCES = ("regions", "population", "trademarks", "patents", "pledges", "enterprises")
_EVENT_SOURCES = {"trademarks", "patents", "pledges"}


@dataclass(frozen=True)
class SourceCoverage:
    kind: str
    title: str
    through: pd.Period | None   # the last month this source vouches for
    imports: int
    inferred_from_records: bool  # imports logged before data_through existed: read off the records

    def text(self) -> str:
        if self.through is None:
            return "未导入"
        return f"截至{periods.month_label(self.through)}" + ("（按记录日期推断）" if self.inferred_from_records else "")


def required_sources(registry: Registry) -> tuple[str, ...]:
    """The sources the goal file's goals are computed from: the regions always, the population when a goal
    divides by it, and the record tables of the measures they name. A goal reported by an office (no
    computation) needs none: its figures are checked by `not_yet_reported` instead, as a warning."""
    used = {"regions"}
    for goal in registry.goals:
        for measure in goal.compute.measure_names() if goal.compute else ():
            used.add("population" if measure in POPULATION_MEASURES else MEASURE_SOURCE[measure])
    return tuple(source for source in REQUIRED_SOURCES if source in used)


def coverage(store: Store, sources: tuple[str, ...] = REQUIRED_SOURCES) -> list[SourceCoverage]:
    """What each required source (`sources`, see required_sources) vouches for."""
    log = store.frame("data_coverage").set_index("kind")
    latest_record = store.frame("source_counts").set_index("source")["latest_on"]
    result = []
    for kind in sources:
        through, inferred, imports = None, False, 0
        if kind in log.index:
            row = log.loc[kind]
            imports = int(row["imports"])
            if isinstance(row["data_through"], str) and row["data_through"]:
                through = pd.Period(row["data_through"], freq="M")
            elif kind in _EVENT_SOURCES and pd.notna(latest_record.get(kind)):
                through, inferred = pd.Timestamp(latest_record[kind]).to_period("M"), True
            elif pd.notna(row["last_import"]):
                through, inferred = pd.Timestamp(row["last_import"]).to_period("M") - 1, True
        result.append(SourceCoverage(kind, KINDS[kind].title, through, imports, inferred))
    return result


def missing_for(store: Store, month: pd.Period | str, today: date | None = None,
                sources: tuple[str, ...] = REQUIRED_SOURCES) -> list[str]:
    """Why `month` cannot be frozen yet, one Chinese sentence per reason; empty when it can."""
    month = pd.Period(month, freq="M")
    today = today or date.today()
    problems = []
    if periods.month_end(month) >= today:
        problems.append(f"{periods.month_label(month)}尚未结束，月末之后才能冻结该月快照。")
    for source in coverage(store, sources):
        if source.through is None:
            problems.append(f"{source.title}数据尚未导入。")
        elif source.through < month:
            problems.append(
                f"{source.title}数据只到{periods.month_label(source.through)}，需要截至{periods.month_label(month)}。"
                f"请导入该月数据；若该月确无新增记录，导入时把“数据截至月份”设为{periods.month_label(month)}。")
    return problems


UNREPORTED_HEADING = "以下上报指标最近一期尚无数值，快照中记为“未上报”（不影响冻结）："


def unreported_lines(records: pd.DataFrame, registry: Registry) -> list[str]:
    """The reported indicators (no computation from records) without a figure for the period they show,
    one sentence each, from goal rows (a snapshot's records, or live ones: goal_id, status, period)."""
    lines = []
    for _, row in records.iterrows():
        goal = registry.goal(row["goal_id"]) if row["goal_id"] in registry.ids() else None
        if goal is None or not goal.reported_only or row["status"] != Status.NO_DATA.value:
            continue
        text = row["period"] if "period" in row else None
        period = periods.period_label(periods.period_from_text(text)) if isinstance(text, str) and text else "本期"
        office = f"（上报单位：{goal.reported_by}）" if goal.reported_by else ""
        lines.append(f"“{goal.name_zh}”{period}尚未上报{office}。")
    return lines


def not_yet_reported(store: Store, registry: Registry, settings: Settings, month: pd.Period | str) -> list[str]:
    """Which of the home region's reported indicators have no figure yet for their latest period ended by
    `month` (as of 2025-11: 2025年第三季度, 2024年): a warning before freezing, not a refusal."""
    cards = scorecard_from_data(load_region_data(store, registry.region), registry, settings, month)
    records = pd.DataFrame(status_records(cards)).rename(columns={"id": "goal_id"})
    return unreported_lines(records, registry)
