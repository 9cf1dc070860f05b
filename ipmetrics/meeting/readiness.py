"""Whether a month's data are loaded, so that its figures may be frozen as the figures of record.

Each import vouches for the months up to its `data_through` (数据截至月份): stated by the user, or else
inferred — the latest event month in a file of dated events (marks, patents, pledges), the last month
completed at import time for a list (enterprises, population). A month is ready when it has ended and
every source the goals are computed from vouches for it; the caller then also refuses a goal without a
value (a population year not loaded, say).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from ipmetrics.core import periods
from ipmetrics.core.goals import Registry
from ipmetrics.core.measures import MEASURE_SOURCE, POPULATION_MEASURES
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
    divides by it, and the record tables of the measures they name."""
    used = {"regions"}
    for goal in registry.goals:
        for measure in goal.compute.measure_names():
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
