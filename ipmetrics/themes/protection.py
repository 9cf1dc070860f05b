"""知识产权保护 (articles 十一–十三): the goal file's protection indicators period by period, and the rates the
file declares between them (结案率, 办结率).

The indicators are those whose `theme` is 保护 (the policy's third part), never picked by id; they are
reported by offices, so a period an office has not reported stays empty (未上报), and a rate is worked out
only where both of its figures are in. Each frequency (quarter, year …) gets its own table, since a
quarter's and a year's figures do not share rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ipmetrics.core import periods
from ipmetrics.core.goals import Goal, Rate, Registry

PROTECTION_THEME = "保护"
NOT_REPORTED = "未上报"
PERIOD_HEADING = {"month": "月份", "quarter": "季度", "year": "年度"}


def protection_goals(registry: Registry) -> list[Goal]:
    """The goal file's protection indicators (theme 保护), in the file's order."""
    return [goal for goal in registry.goals if goal.theme == PROTECTION_THEME]


def column_name(goal: Goal | Rate) -> str:
    """立案数（件）: a table column, named by the indicator's short name and unit."""
    name = goal.name_zh if isinstance(goal, Rate) else goal.label
    return f"{name}（{goal.unit}）"


@dataclass(frozen=True)
class FrequencyBlock:
    """The protection indicators of one frequency: their figures per period (oldest first, NaN = not
    reported), and the declared rates among them."""

    frequency: str
    goals: list[Goal]
    rates: list[Rate]
    values: pd.DataFrame   # index: periods; columns: goal ids, then rate ids

    @property
    def heading(self) -> str:
        return PERIOD_HEADING[self.frequency]

    def table(self) -> pd.DataFrame:
        """Newest period first, columns named for people (立案数（件）); unreported figures empty (NaN)."""
        frame = self.values.iloc[::-1]
        table = pd.DataFrame({self.heading: [periods.period_label(p) for p in frame.index]})
        for item in [*self.goals, *self.rates]:
            table[column_name(item)] = frame[item.id].to_numpy()
        return table

    def text_table(self) -> pd.DataFrame:
        """The table as it reads on the page: each figure with its indicator's decimals, — where not reported."""
        table = self.table()
        for item in [*self.goals, *self.rates]:
            column = column_name(item)
            table[column] = [_formatted(item, value) for value in table[column]]
        return table

    def latest(self, item_id: str) -> tuple[pd.Period | None, float | None]:
        """The latest period shown and the figure for it (None when not reported)."""
        if self.values.empty:
            return None, None
        value = self.values[item_id].iloc[-1]
        return self.values.index[-1], None if pd.isna(value) else float(value)


def _formatted(item: Goal | Rate, value) -> str:
    if value is None or pd.isna(value):
        return "—"
    if isinstance(item, Rate):
        return f"{value:,.{item.decimals}f}"
    return item.format_value(value)


@dataclass(frozen=True)
class ProtectionView:
    goals: list[Goal]
    blocks: list[FrequencyBlock]   # one per frequency present, month → quarter → year

    @property
    def empty(self) -> bool:
        return not self.goals


def frequency_values(reported: pd.DataFrame, goals: list[Goal], rates: list[Rate], frequency: str,
                     as_of: pd.Period) -> pd.DataFrame:
    """Per period of `frequency` (rows, oldest first): each goal's reported figure (NaN where none) and each
    rate; from the first period any of the goals was reported to the latest period ended by `as_of`."""
    last = periods.latest_ended(as_of, frequency)
    ids = [goal.id for goal in goals]
    rows = reported[reported["indicator"].isin(ids)]
    own = pd.PeriodIndex(rows["month"], freq="M").asfreq(periods.PANDAS_FREQ[frequency], how="end")
    rows = rows.assign(period=own)[own <= last]
    if rows.empty:
        return pd.DataFrame(columns=[*ids, *(rate.id for rate in rates)], dtype=float)
    index = pd.period_range(rows["period"].min(), last, freq=periods.PANDAS_FREQ[frequency])
    values = rows.pivot_table(index="period", columns="indicator", values="value", aggfunc="last")
    values = values.reindex(index=index, columns=ids).astype(float)
    for rate in rates:
        values[rate.id] = [rate.value(n, d) for n, d in zip(values[rate.numerator], values[rate.denominator])]
        values[rate.id] = values[rate.id].astype(float)
    values.index.name = "period"
    values.columns.name = None
    return values


def protection_view(registry: Registry, reported: pd.DataFrame, as_of: pd.Period) -> ProtectionView:
    """The protection indicators of `registry` for one region (its reported figures: indicator, month as a
    monthly Period, value) as of a month."""
    goals = protection_goals(registry)
    blocks = []
    for frequency in periods.FREQUENCIES:
        chosen = [goal for goal in goals if goal.frequency == frequency]
        if chosen:
            rates = registry.rates_among(chosen)
            blocks.append(FrequencyBlock(frequency, chosen, rates,
                                         frequency_values(reported, chosen, rates, frequency, as_of)))
    return ProtectionView(goals, blocks)
