"""商标: the registered marks behind the trademark goals, by type, industry, township and holder."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ipmetrics.core import labels, periods
from ipmetrics.core.store import Store
from ipmetrics.themes.common import NO_INDUSTRY, monthly_counts, tally
from ipmetrics.themes.ledger import display, measure_records


@dataclass(frozen=True)
class TrademarkView:
    in_force: int
    new_this_month: int
    new_year_to_date: int
    new_same_period_last_year: int
    monthly: pd.DataFrame       # 月份, 普通商标, 集体商标, 证明商标, 合计, 去年同月, 同比增长（%）
    by_type: pd.DataFrame
    by_industry: pd.DataFrame
    by_township: pd.DataFrame
    top_holders: pd.DataFrame
    well_known: pd.DataFrame    # ledger rows
    gi: pd.DataFrame            # ledger rows


def trademark_view(store: Store, region: str, as_of: pd.Period, window: int = 24, top: int = 10) -> TrademarkView:
    months = pd.period_range(as_of - (window - 1), as_of, freq="M")
    new = store.frame("tm_new_by_month", region=region, start=periods.month_start(months[0] - 12),
                      end=periods.month_end(as_of))
    monthly = monthly_counts(new, months, "mark_type", "marks", labels.MARK_TYPE_LABEL)
    year_months = pd.period_range(pd.Period(f"{as_of.year}-01", freq="M"), as_of, freq="M")
    new_months = pd.to_datetime(new["month_start"]).dt.to_period("M") if len(new) else pd.Series(dtype="period[M]")
    ytd = int(new.loc[new_months.isin(year_months), "marks"].sum()) if len(new) else 0
    last = int(new.loc[new_months.isin([m - 12 for m in year_months]), "marks"].sum()) if len(new) else 0

    stock = store.frame("tm_in_force_breakdown", region=region, as_of=periods.month_end(as_of))
    stock = stock.assign(type_name=stock["mark_type"].map(labels.MARK_TYPE_LABEL),
                         industry=stock["industry"].replace("", NO_INDUSTRY))
    holders = store.frame("tm_top_holders", region=region, as_of=periods.month_end(as_of), top=top)
    return TrademarkView(
        in_force=int(stock["marks"].sum()),
        new_this_month=int(monthly["合计"].iloc[-1]),
        new_year_to_date=ytd,
        new_same_period_last_year=last,
        monthly=monthly,
        by_type=tally(stock, "type_name", "marks", "商标类型", "有效件数"),
        by_industry=tally(stock, "industry", "marks", "行业", "有效件数"),
        by_township=tally(stock, "region_name", "marks", "乡镇（街道）", "有效件数"),
        top_holders=pd.DataFrame({"注册人": holders["holder"], "有效件数": holders["marks"].astype(int)}),
        well_known=display(measure_records(store, "well_known_marks", region, as_of), "trademarks"),
        gi=display(measure_records(store, "gi_marks", region, as_of), "trademarks"),
    )
