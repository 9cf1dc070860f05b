"""The thematic pages' figures: why each goal stands where it does, by type, industry, township and
holder. Every function returns tables with Chinese headers, ready to draw and to download; the store
does the counting (sql/queries/tm_*, pt_*, pl_*, ent_*), pandas only arranges the results."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import labels
from .goals import Registry
from .ledger import display, measure_records
from .panel import goal_panel
from .settings import Settings
from .store import Store

TRADITIONAL = ["茶叶", "绿色食品", "禽产品"]
EMERGING = ["电子信息", "环保装备", "新能源", "精密加工", "生物医药"]  # article 七
NO_INDUSTRY = "（未填行业）"


def month_end(month: pd.Period):
    return month.to_timestamp(how="end").date()


def month_start(month: pd.Period):
    return month.to_timestamp(how="start").date()


def _share(counts: pd.Series) -> pd.Series:
    total = counts.sum()
    return (counts / total * 100).round(1) if total else counts * 0.0


def industry_group(industry: str) -> str:
    if industry in EMERGING:
        return "新兴产业"
    if industry in TRADITIONAL:
        return "传统产业"
    return "其他"


def _tally(frame: pd.DataFrame, by: str, value: str, label: str, unit_label: str) -> pd.DataFrame:
    """Counts along one dimension, largest first, with their share (%)."""
    if frame.empty:
        return pd.DataFrame(columns=[label, unit_label, "占比（%）"])
    counts = frame.groupby(by)[value].sum().sort_values(ascending=False)
    return pd.DataFrame({label: counts.index, unit_label: counts.to_numpy().astype(int),
                         "占比（%）": _share(counts).to_numpy()})


def _monthly(frame: pd.DataFrame, months: pd.PeriodIndex, category: str, value: str,
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


# --- 商标 ---------------------------------------------------------------------------------------------
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
    new = store.frame("tm_new_by_month", region=region, start=month_start(months[0] - 12),
                      end=month_end(as_of))
    monthly = _monthly(new, months, "mark_type", "marks", labels.MARK_TYPE_LABEL)
    year_months = pd.period_range(pd.Period(f"{as_of.year}-01", freq="M"), as_of, freq="M")
    new_months = pd.to_datetime(new["month_start"]).dt.to_period("M") if len(new) else pd.Series(dtype="period[M]")
    ytd = int(new.loc[new_months.isin(year_months), "marks"].sum()) if len(new) else 0
    last = int(new.loc[new_months.isin([m - 12 for m in year_months]), "marks"].sum()) if len(new) else 0

    stock = store.frame("tm_in_force_breakdown", region=region, as_of=month_end(as_of))
    stock = stock.assign(type_name=stock["mark_type"].map(labels.MARK_TYPE_LABEL),
                         industry=stock["industry"].replace("", NO_INDUSTRY))
    holders = store.frame("tm_top_holders", region=region, as_of=month_end(as_of), top=top)
    return TrademarkView(
        in_force=int(stock["marks"].sum()),
        new_this_month=int(monthly["合计"].iloc[-1]),
        new_year_to_date=ytd,
        new_same_period_last_year=last,
        monthly=monthly,
        by_type=_tally(stock, "type_name", "marks", "商标类型", "有效件数"),
        by_industry=_tally(stock, "industry", "marks", "行业", "有效件数"),
        by_township=_tally(stock, "region_name", "marks", "乡镇（街道）", "有效件数"),
        top_holders=pd.DataFrame({"注册人": holders["holder"], "有效件数": holders["marks"].astype(int)}),
        well_known=display(measure_records(store, "well_known_marks", region, as_of), "trademarks"),
        gi=display(measure_records(store, "gi_marks", region, as_of), "trademarks"),
    )


# --- 专利 ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PatentView:
    valid_inventions: int
    grants_year_to_date: pd.DataFrame   # 专利类型, 授权件数 (this year up to the as-of month)
    monthly: pd.DataFrame               # 月份, 发明, 实用新型, 外观设计, 合计, 去年同月, 同比增长（%）
    by_township: pd.DataFrame           # last 12 months: 乡镇（街道）, 发明, 实用新型, 外观设计, 合计
    by_industry: pd.DataFrame           # last 12 months: 产业类别, 行业, 发明, 实用新型, 外观设计, 合计
    abroad: pd.DataFrame                # ledger rows of patents granted abroad


def _by_type(frame: pd.DataFrame, keys: list[str], names: list[str]) -> pd.DataFrame:
    columns = list(labels.PATENT_TYPE_LABEL.values())
    if frame.empty:
        return pd.DataFrame(columns=names + columns + ["合计"])
    wide = frame.pivot_table(index=keys, columns="patent_type", values="patents", aggfunc="sum", fill_value=0)
    wide = wide.reindex(columns=list(labels.PATENT_TYPE_LABEL), fill_value=0)
    wide.columns = columns
    wide["合计"] = wide.sum(axis=1)
    wide = wide.sort_values("合计", ascending=False).reset_index()
    return wide.rename(columns=dict(zip(keys, names))).astype({c: int for c in columns + ["合计"]})


def patent_view(store: Store, region: str, as_of: pd.Period, window: int = 24) -> PatentView:
    months = pd.period_range(as_of - (window - 1), as_of, freq="M")
    grants = store.frame("pt_grants", region=region, start=month_start(months[0] - 12), end=month_end(as_of))
    grants["month"] = pd.to_datetime(grants["month_start"]).dt.to_period("M")
    domestic = grants[grants["office"] == "CN"]
    monthly = _monthly(domestic, months, "patent_type", "patents", labels.PATENT_TYPE_LABEL)
    this_year = domestic[domestic["month"].dt.year == as_of.year]
    ytd = this_year.groupby("patent_type")["patents"].sum().reindex(list(labels.PATENT_TYPE_LABEL), fill_value=0)
    recent = domestic[domestic["month"] > as_of - 12]
    recent = recent.assign(industry=recent["industry"].replace("", NO_INDUSTRY))
    recent = recent.assign(group=recent["industry"].map(industry_group))
    abroad = store.frame("pt_granted_abroad", region=region, as_of=month_end(as_of))
    return PatentView(
        valid_inventions=len(measure_records(store, "cn_invention_patents", region, as_of)),
        grants_year_to_date=pd.DataFrame({"专利类型": list(labels.PATENT_TYPE_LABEL.values()),
                                          "授权件数": ytd.to_numpy().astype(int)}),
        monthly=monthly,
        by_township=_by_type(recent, ["region_name"], ["乡镇（街道）"]),
        by_industry=_by_type(recent, ["group", "industry"], ["产业类别", "行业"]),
        abroad=display(abroad, "patents"),
    )


# --- 质押融资 -------------------------------------------------------------------------------------------
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
    deals = store.frame("pl_deals", region=region, as_of=month_end(as_of))
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


# --- 企业培育 -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class EnterpriseView:
    eligible: int
    certified: int
    national: pd.DataFrame      # ledger rows, designated by the as-of month
    provincial: pd.DataFrame
    uncertified: pd.DataFrame   # the to-do list for the coverage goal


def enterprise_view(store: Store, region: str, as_of: pd.Period) -> EnterpriseView:
    firms = store.frame("ent_tech_firms", region=region)
    certified_on = pd.to_datetime(firms["ip_standard_on"])
    done = certified_on.notna() & (certified_on <= pd.Timestamp(month_end(as_of)))
    todo = firms[~done].drop(columns=["ip_standard_on", "national_ip_on", "provincial_strong_on"])
    return EnterpriseView(
        eligible=int(len(firms)),
        certified=int(done.sum()),
        national=display(measure_records(store, "national_ip_enterprises", region, as_of), "enterprises"),
        provincial=display(measure_records(store, "provincial_ip_enterprises", region, as_of), "enterprises"),
        uncertified=display(todo, "enterprises"),
    )


# --- 乡镇对比 -------------------------------------------------------------------------------------------
def township_comparison(store: Store, registry: Registry, settings: Settings, parent: str,
                        as_of: pd.Period) -> pd.DataFrame:
    """Every region one level below `parent` on every goal: the value, per 10,000 residents (for counts
    and amounts), the change since the same month a year before, and the rank. One row per region ×
    goal."""
    children = store.frame("child_regions", region=parent)
    if children.empty:
        return pd.DataFrame()
    level = str(children["level"].iloc[0])
    year_before = as_of - 12
    panel = goal_panel(store, registry, settings, parent, level, year_before, as_of)
    now, before = panel.values.xs(as_of, level="month"), panel.values.xs(year_before, level="month")
    residents = panel.population.xs(as_of, level="month")["resident"]
    names = children.set_index("code")["name"]
    rows = []
    for goal in registry.goals:
        value = now[goal.id]
        per_10k = None if goal.per_region else value / residents.where(residents > 0) * 1e4
        rows.append(pd.DataFrame(index=pd.RangeIndex(len(value)), data={
            "code": value.index.to_numpy(), "乡镇（街道）": names.reindex(value.index).to_numpy(), "goal": goal.id,
            "指标": goal.label, "单位": goal.unit, "数值": value.to_numpy(),
            "每万人": np.nan if per_10k is None else per_10k.to_numpy(),
            "较去年同月": (value - before[goal.id]).to_numpy(), "常住人口": residents.to_numpy(),
        }))
    # Region by region, goals in the registry's order within each, as the tables list them.
    frame = pd.concat(rows).sort_index(kind="stable").reset_index(drop=True)
    frame["排名"] = frame.groupby("goal")["数值"].rank(ascending=False, method="min").astype("Int64")
    frame["每万人排名"] = frame.groupby("goal")["每万人"].rank(ascending=False, method="min").astype("Int64")
    return frame


def township_table(comparison: pd.DataFrame, goal_id: str, per_10k: bool) -> pd.DataFrame:
    """One goal's column of the comparison: regions ranked, with value, per 10,000 and yearly change."""
    one = comparison[comparison["goal"] == goal_id]
    key = "每万人" if per_10k and one["每万人"].notna().any() else "数值"
    one = one.sort_values([key, "乡镇（街道）"], ascending=[False, True], na_position="last")
    rank = "每万人排名" if key == "每万人" else "排名"
    return pd.DataFrame({
        "排名": one[rank].to_numpy(), "乡镇（街道）": one["乡镇（街道）"].to_numpy(),
        "数值": one["数值"].round(2).to_numpy(), "每万人": one["每万人"].round(2).to_numpy(),
        "较去年同月": one["较去年同月"].round(2).to_numpy(), "常住人口": one["常住人口"].to_numpy(),
    })


def township_overview(comparison: pd.DataFrame, registry: Registry) -> pd.DataFrame:
    """All goals side by side, one row per region: the value, and per 10,000 residents for counts."""
    if comparison.empty:
        return pd.DataFrame()
    table = comparison.drop_duplicates("code")[["code", "乡镇（街道）", "常住人口"]].set_index("code")
    for goal in registry.goals:
        one = comparison[comparison["goal"] == goal.id].set_index("code")
        table[f"{goal.label}（{goal.unit}）"] = one["数值"].round(goal.decimals + 2)
        if not goal.per_region:
            table[f"{goal.label}（每万人）"] = one["每万人"].round(2)
    return table.reset_index(drop=True)
