"""专利: patent grants by type, township and industry group, and the patents granted abroad."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ipmetrics.core import labels, periods
from ipmetrics.core.goals import Registry
from ipmetrics.core.store import Store
from ipmetrics.themes.common import NO_INDUSTRY, monthly_counts
from ipmetrics.themes.ledger import display, measure_records


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


def patent_view(store: Store, region: str, as_of: pd.Period, registry: Registry, window: int = 24) -> PatentView:
    """The patents of `region` at `as_of`; industries grouped as the goal file's [[industry_groups]] say."""
    months = pd.period_range(as_of - (window - 1), as_of, freq="M")
    grants = store.frame("pt_grants", region=region, start=periods.month_start(months[0] - 12),
                        end=periods.month_end(as_of))
    grants["month"] = pd.to_datetime(grants["month_start"]).dt.to_period("M")
    domestic = grants[grants["office"] == "CN"]
    monthly = monthly_counts(domestic, months, "patent_type", "patents", labels.PATENT_TYPE_LABEL)
    this_year = domestic[domestic["month"].dt.year == as_of.year]
    ytd = this_year.groupby("patent_type")["patents"].sum().reindex(list(labels.PATENT_TYPE_LABEL), fill_value=0)
    recent = domestic[domestic["month"] > as_of - 12]
    recent = recent.assign(industry=recent["industry"].replace("", NO_INDUSTRY))
    recent = recent.assign(group=recent["industry"].map(registry.industry_group))
    abroad = store.frame("pt_granted_abroad", region=region, as_of=periods.month_end(as_of))
    return PatentView(
        valid_inventions=len(measure_records(store, "cn_invention_patents", region, as_of)),
        grants_year_to_date=pd.DataFrame({"专利类型": list(labels.PATENT_TYPE_LABEL.values()),
                                          "授权件数": ytd.to_numpy().astype(int)}),
        monthly=monthly,
        by_township=_by_type(recent, ["region_name"], ["乡镇（街道）"]),
        by_industry=_by_type(recent, ["group", "industry"], ["产业类别", "行业"]),
        abroad=display(abroad, "patents"),
    )
