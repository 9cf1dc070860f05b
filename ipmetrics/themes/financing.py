"""质押融资: the pledge deals since the window opened, by month, lender, pledged right and enterprise."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ipmetrics.core import periods
from ipmetrics.core.store import Store


@dataclass(frozen=True)
class FinancingView:
    deals: int
    amount_wan: float
    monthly: pd.DataFrame       # 月份, 笔数, 金额（万元） since the window opened
    by_lender: pd.DataFrame
    by_ip_type: pd.DataFrame
    enterprises: pd.DataFrame   # 出质企业, 笔数, 金额（万元）, 最近登记日期


def _sum_by(frame: pd.DataFrame, by: str, label: str) -> pd.DataFrame:
    if frame.empty:
        return pd.DataFrame(columns=[label, "笔数", "金额（万元）"])
    grouped = frame.groupby(by).agg(deals=("contract_no", "count"), amount=("amount_wan", "sum"))
    grouped = grouped.sort_values(["amount", "deals"], ascending=False)
    return pd.DataFrame({label: grouped.index, "笔数": grouped["deals"].to_numpy().astype(int),
                         "金额（万元）": grouped["amount"].round(2).to_numpy()})


def financing_view(store: Store, region: str, as_of: pd.Period, since: pd.Period) -> FinancingView:
    deals = store.frame("pl_deals", region=region, as_of=periods.month_end(as_of))
    deals["month"] = pd.to_datetime(deals["registered_on"]).dt.to_period("M")
    deals = deals[deals["month"] >= since]
    deals = deals.assign(ip_type=deals["ip_type"].fillna("（未填）"), lender=deals["lender"].fillna("（未填）"))
    months = pd.period_range(since, as_of, freq="M") if since <= as_of else pd.PeriodIndex([], freq="M")
    per_month = deals.groupby("month").agg(deals=("contract_no", "count"), amount=("amount_wan", "sum"))
    per_month = per_month.reindex(months, fill_value=0)
    firms = deals.groupby("enterprise").agg(deals=("contract_no", "count"), amount=("amount_wan", "sum"),
                                            latest=("registered_on", "max"))
    firms = firms.sort_values(["amount", "deals"], ascending=False)
    return FinancingView(
        deals=int(len(deals)),
        amount_wan=float(deals["amount_wan"].sum()),
        monthly=pd.DataFrame({"月份": [str(m) for m in months], "笔数": per_month["deals"].to_numpy().astype(int),
                              "金额（万元）": per_month["amount"].round(2).to_numpy()}),
        by_lender=_sum_by(deals, "lender", "质权人（银行）"),
        by_ip_type=_sum_by(deals, "ip_type", "质押物类型"),
        enterprises=pd.DataFrame({"出质企业": firms.index, "笔数": firms["deals"].to_numpy().astype(int),
                                  "金额（万元）": firms["amount"].round(2).to_numpy(),
                                  "最近登记日期": pd.to_datetime(firms["latest"]).dt.strftime("%Y-%m-%d").to_numpy()}),
    )
