"""What the thematic views share: month ends, tallies along one dimension, monthly tables with the
same month a year before, and the industry groups of the goal file."""

from __future__ import annotations

import pandas as pd

NO_INDUSTRY = "（未填行业）"


def _share(counts: pd.Series) -> pd.Series:
    total = counts.sum()
    return (counts / total * 100).round(1) if total else counts * 0.0


def tally(frame: pd.DataFrame, by: str, value: str, label: str, unit_label: str) -> pd.DataFrame:
    """Counts along one dimension, largest first, with their share (%)."""
    if frame.empty:
        return pd.DataFrame(columns=[label, unit_label, "占比（%）"])
    counts = frame.groupby(by)[value].sum().sort_values(ascending=False)
    return pd.DataFrame({label: counts.index, unit_label: counts.to_numpy().astype(int),
                         "占比（%）": _share(counts).to_numpy()})


def monthly_counts(frame: pd.DataFrame, months: pd.PeriodIndex, category: str, value: str,
             categories: dict[str, str]) -> pd.DataFrame:
    """Per month and category (columns in `categories` order), the total, and the same month a year before."""
    frame = frame.assign(month=pd.to_datetime(frame["month_start"]).dt.to_period("M")) if len(frame) else \
        frame.assign(month=pd.Series(dtype="period[M]"))
    wide = frame.pivot_table(index="month", columns=category, values=value, aggfunc="sum", fill_value=0)
    wide = wide.reindex(index=pd.period_range(months[0] - 12, months[-1], freq="M"),
                        columns=list(categories), fill_value=0)
    total = wide.sum(axis=1)
    table = pd.DataFrame({"月份": [str(m) for m in months]})
    for key, name in categories.items():
        table[name] = wide.loc[months, key].to_numpy().astype(int)
    table["合计"] = total.loc[months].to_numpy().astype(int)
    last_year = total.reindex([m - 12 for m in months]).to_numpy()
    table["去年同月"] = last_year.astype(int)
    growth = (table["合计"] - table["去年同月"]) / table["去年同月"].where(table["去年同月"] > 0) * 100
    table["同比增长（%）"] = growth.round(1)
    return table
