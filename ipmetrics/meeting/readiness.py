"""Whether a month's data are loaded, so that its figures may be frozen as the figures of record.

Each import vouches for the months up to its `data_through` (数据截至月份): stated by the user, or else
inferred — the latest event month in a file of dated events (marks, patents, pledges), the last month
completed at import time for a list (enterprises, population). A month without new records needs no file:
`confirm_no_new_data` records that the source holds through it (logged and audited like an import). Yearly
figures (population) vouch for every month of their year, and the region table for every month once loaded
(it holds until changed). A month is ready when it has ended and
every source the goals are computed from vouches for it; the caller then also refuses a goal without a
value (a population year not loaded, say). An indicator an office reports is not waited for: its latest
period without a figure is frozen as 未上报, and `not_yet_reported` lists those as a warning.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

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
_LASTING_SOURCES = {"regions"}   # holds until changed: loaded once, it covers every month
_YEARLY_SOURCES = {"population"}  # a year's figure covers the twelve months of its year
# What confirm_no_new_data writes as the import log's file name: no file was loaded.
NO_NEW_DATA_FILE = "（确认本月无新增）"


@dataclass(frozen=True)
class SourceCoverage:
    kind: str
    title: str
    through: pd.Period | None   # the last month this source vouches for
    imports: int
    inferred_from_records: bool  # imports logged before data_through existed: read off the records
    lasting: bool = False        # the region table: once loaded, every month

    def covers(self, month: pd.Period) -> bool:
        return self.imports > 0 and (self.lasting or (self.through is not None and self.through >= month))

    def text(self) -> str:
        if self.imports == 0 or (self.through is None and not self.lasting):
            return "未导入"
        if self.lasting:
            return "已导入（长期有效）"
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
        if kind in _YEARLY_SOURCES and imports:
            year_end = _latest_year_end(store)
            if year_end is not None and (through is None or year_end > through):
                through, inferred = year_end, False
        result.append(SourceCoverage(kind, KINDS[kind].title, through, imports, inferred,
                                     lasting=kind in _LASTING_SOURCES))
    return result


def _latest_year_end(store: Store) -> pd.Period | None:
    """December of the latest year with a population figure."""
    year = store.frame("population_latest_year")["latest_year"].iloc[0]
    return None if pd.isna(year) else pd.Period(f"{int(year)}-12", freq="M")


def missing_for(store: Store, month: pd.Period | str, today: date | None = None,
                sources: tuple[str, ...] = REQUIRED_SOURCES) -> list[str]:
    """Why `month` cannot be frozen yet, one Chinese sentence per reason; empty when it can."""
    month = pd.Period(month, freq="M")
    today = today or date.today()
    problems = []
    if periods.month_end(month) >= today:
        problems.append(f"{periods.month_label(month)}尚未结束，月末之后才能冻结该月快照。")
    for source in coverage(store, sources):
        if source.covers(month):
            continue
        if source.imports == 0 or source.through is None:
            problems.append(f"{source.title}数据尚未导入。")
        else:
            problems.append(
                f"{source.title}数据只到{periods.month_label(source.through)}，需要截至{periods.month_label(month)}。")
    return problems


MISSING_HOW_TO = ("请导入该月数据；某类数据该月确无新增记录时，在“月度快照”页点“确认无新增”"
                  "（或运行 ipmetrics confirm 类型 --month 月份），不必上传空文件。")


def confirm_no_new_data(store: Store, kind: str, month: pd.Period | str, *, user: str, client: str = "cli",
                        actor: str | None = None, today: date | None = None) -> pd.Period:
    """Record that source `kind` has no new records up to `month`: the month is then covered as if a file had
    been imported through it (an import log line with no rows, an audit line, the data version bumped, in one
    transaction). Refused (ValueError, Chinese) for a month not yet over, a source that is never confirmed
    this way (the region table), a source never imported, or a month already covered."""
    month = pd.Period(month, freq="M")
    today = today or date.today()
    if kind not in KINDS or kind in _LASTING_SOURCES:
        raise ValueError(f"{KINDS[kind].title if kind in KINDS else kind}不适用“确认无新增”")
    title = KINDS[kind].title
    if periods.month_end(month) >= today:
        raise ValueError(f"{periods.month_label(month)}尚未结束，月末之后才能确认{title}该月无新增。")
    (current,) = coverage(store, (kind,))
    if current.imports == 0:
        raise ValueError(f"{title}数据尚未导入，无法确认无新增：请先导入一次{title}。")
    if current.covers(month):
        raise ValueError(f"{title}数据{current.text()}，已覆盖{periods.month_label(month)}，无需确认。")
    now = datetime.now()
    with store.transaction() as tx:
        tx.execute("log_import", kind=kind, file_name=NO_NEW_DATA_FILE, sha256="", rows_read=0, rows_loaded=0,
                   rows_rejected=0, imported_by=user, imported_at=now, data_through=str(month))
        tx.execute("audit", at=now, actor=actor or user, action="confirm_no_new_data", client=client,
                   detail=f"{title}（{kind}）确认截至{periods.month_label(month)}无新增记录")
        tx.execute("bump_data_version")
    return month


def default_month(store: Store, registry: Registry, latest: pd.Period, today: date | None = None) -> pd.Period:
    """The month a viewer sees first: the newest month frozen or complete (over, with every source the goals
    need covering it), never one partly loaded or not yet over; else the newest month over (at most `latest`,
    the newest month with data). The caller falls back to `latest` when that month is not on offer."""
    today = today or date.today()
    last_over = min(latest, periods.month(today) - 1)
    candidates = [_latest_frozen(store), _latest_complete(store, required_sources(registry), last_over)]
    known = [m for m in candidates if m is not None and m <= latest]
    if known:
        return max(known)
    return last_over


def _latest_frozen(store: Store) -> pd.Period | None:
    month = store.frame("latest_frozen_month")["month"].iloc[0]
    return None if month is None or pd.isna(month) else pd.Period(month, freq="M")


def _latest_complete(store: Store, sources: tuple[str, ...], last_over: pd.Period) -> pd.Period | None:
    """The newest month up to `last_over` every source covers; None while one has never been imported."""
    found = coverage(store, sources)
    if any(c.imports == 0 or (c.through is None and not c.lasting) for c in found):
        return None
    throughs = [c.through for c in found if not c.lasting]
    return min([last_over, *throughs])


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
