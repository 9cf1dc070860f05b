"""乡镇考核: the townships scored on the indicators of the goal file's [assessment], each only against the targets
the county assigned it (import kind `targets`).

The rule (also in `rule_text`, on the page and in the README):
- completion of an item = the township's completion of its assigned target (progress.completion_ratio: value ÷
  target for a goal that goes up, the share of the way from its baseline for one that goes down), read below 0
  as 0 and with no value as 0;
- item score = weight × min(completion, 1);
- total = Σ item scores ÷ Σ weights of the items with an assigned target × 100: a township is scored only on
  what it was assigned, so a township without a pledge target is not marked down for it;
- rank by total, highest first; equal totals (to 0.01) share a rank and the next rank is skipped (1, 2, 2, 4);
  ties and the unranked are listed by name;
- a township with no assigned target on any assessed item gets no score: it is listed after the ranked ones,
  with its values only.
The results are computed from the townships' goal cards (or a snapshot's frozen figures), so the page, the
workbook and the frozen assessment agree with the cards.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ipmetrics.core.goals import Goal, Registry
from ipmetrics.core.measures import load_family_data
from ipmetrics.core.scorecard import goal_card
from ipmetrics.core.settings import Settings
from ipmetrics.core.store import Store
from ipmetrics.themes.peers import TOWNSHIP, more_is_better

ITEM_COLUMNS = ["region_code", "region_name", "indicator", "value", "target", "target_date", "completion",
                "weight", "score"]
TOTAL_COLUMNS = ["region_code", "region_name", "assigned_weight", "total", "rank"]


@dataclass(frozen=True)
class Results:
    """`items`: one row per township and assessed indicator (ITEM_COLUMNS and value_rank: the township's rank
    on the value among the townships with one); `totals`: one row per township (TOTAL_COLUMNS), ranked ones
    first by rank then name, then the unscored by name."""

    items: pd.DataFrame
    totals: pd.DataFrame

    @property
    def scored(self) -> bool:
        """Whether any township has an assigned target to be scored on."""
        return bool(self.totals["total"].notna().any())

    @property
    def empty(self) -> bool:
        return self.totals.empty


def assessed_goals(registry: Registry) -> list[Goal]:
    """The goals of the [assessment], in its order (none when the goal file has no assessment)."""
    if registry.assessment is None:
        return []
    return [registry.goal(item.indicator) for item in registry.assessment.items]


def township_records(store: Store, registry: Registry, settings: Settings, parent: str,
                     as_of: pd.Period) -> pd.DataFrame:
    """Each township's card figures on the assessed goals (region_code, region_name, indicator, value, target,
    target_date, completion), computed as its cards are."""
    rows = []
    children = store.frame("child_regions", region=parent)
    family = load_family_data(store, parent) if len(children) else {}  # the townships' data in one read
    for code, name in zip(children["code"].astype(str), children["name"].astype(str)):
        data = family[code]
        for goal in assessed_goals(registry):
            card = goal_card(data, goal, registry, settings, pd.Period(as_of, freq="M"))
            p = card.progress
            rows.append({"region_code": code, "region_name": name, "indicator": goal.id, "value": p.value,
                         "target": p.target, "completion": p.completion,
                         "target_date": None if p.target is None else card.target_period.end_time.date()})
    return pd.DataFrame(rows, columns=["region_code", "region_name", "indicator", "value", "target",
                                       "target_date", "completion"])


def results(records: pd.DataFrame, registry: Registry) -> Results:
    """The assessment from the townships' figures on the assessed goals (township_records, or a snapshot's)."""
    weights = registry.assessment.weights if registry.assessment else {}
    items = records[records["indicator"].isin(list(weights))].copy()
    for column in ("value", "target", "completion"):
        items[column] = pd.to_numeric(items[column], errors="coerce").astype(float)
    items["weight"] = items["indicator"].map(weights).astype(float)
    assigned = items["target"].notna()
    # No value, or a completion below 0 (a goal to reduce that went up), scores nothing.
    counted = items["completion"].fillna(0.0).clip(lower=0.0, upper=1.0)
    items["score"] = np.where(assigned, items["weight"] * counted, np.nan)
    items["value_rank"] = pd.array([pd.NA] * len(items), dtype="Int64")
    for goal_id, one in items.groupby("indicator"):
        items.loc[one.index, "value_rank"] = one["value"].rank(
            ascending=not more_is_better(registry.goal(goal_id)), method="min").astype("Int64")
    totals = _totals(items, assigned)
    order = {goal_id: number for number, goal_id in enumerate(weights)}
    items = items.assign(_order=items["indicator"].map(order)).sort_values(["region_code", "_order"])
    return Results(items[ITEM_COLUMNS + ["value_rank"]].reset_index(drop=True), totals)


def _totals(items: pd.DataFrame, assigned: pd.Series) -> pd.DataFrame:
    names = items.drop_duplicates("region_code").set_index("region_code")["region_name"]
    weight = items["weight"].where(assigned).groupby(items["region_code"]).sum(min_count=1)
    score = items["score"].groupby(items["region_code"]).sum(min_count=1)
    totals = pd.DataFrame({"region_name": names, "assigned_weight": weight.reindex(names.index),
                           "total": (score / weight * 100).reindex(names.index)})
    totals["rank"] = totals["total"].round(2).rank(ascending=False, method="min").astype("Int64")
    totals = totals.rename_axis("region_code").reset_index()
    totals = totals.sort_values(["rank", "region_name"], na_position="last", kind="stable")
    return totals[TOTAL_COLUMNS].reset_index(drop=True)


def rule_text(registry: Registry) -> str:
    """The scoring rule in Chinese, with the goal file's indicators and weights."""
    if registry.assessment is None:
        return "目标文件未设乡镇考核（[assessment]：考核指标与权重），不评分，只列各乡镇的数值。"
    weights = "、".join(f"{registry.goal(item.indicator).name_zh} {item.weight:g} 分"
                        for item in registry.assessment.items)
    return (f"考核指标与权重：{weights}。"
            "单项得分 = 权重 × min(完成率, 1)，完成率为对照县里下达给本乡镇的目标的完成率（“降到”类指标按已走完的路程计），"
            "无数据或低于 0 的按 0 计；总分 = 各项得分之和 ÷ 已下达目标各项的权重之和 × 100，"
            "即乡镇只就下达给它的目标考核，未下达目标的指标不计分也不扣分。"
            "按总分排名，总分相同（精确到 0.01）名次并列，其后名次顺延；未下达任何目标的乡镇不评分，列在最后，只列数值。")


def frozen_rows(result: Results) -> pd.DataFrame:
    """The rows a snapshot keeps (migration 011's snapshot_assessment, without its snapshot id)."""
    frame = result.items[ITEM_COLUMNS].merge(result.totals[["region_code", "total", "rank"]], on="region_code")
    frame["target_date"] = pd.to_datetime(frame["target_date"])
    frame["rank"] = frame["rank"].astype("Int64")
    return frame


def from_frozen(frame: pd.DataFrame, registry: Registry) -> Results:
    """A snapshot's assessment read back as it was frozen: its weights, scores, totals and ranks are the
    stored ones, not scored again (a later change of weights in the goal file leaves a snapshot as it was)."""
    items = frame.astype({"region_code": str, "region_name": str, "indicator": str}).copy()
    for column in ("value", "target", "completion", "weight", "score", "total"):
        items[column] = pd.to_numeric(items[column], errors="coerce").astype(float)
    items["value_rank"] = pd.array([pd.NA] * len(items), dtype="Int64")
    for goal_id, one in items.groupby("indicator"):
        ascending = goal_id in registry.ids() and not more_is_better(registry.goal(goal_id))
        items.loc[one.index, "value_rank"] = one["value"].rank(ascending=ascending, method="min").astype("Int64")
    totals = items.drop_duplicates("region_code")[["region_code", "region_name", "total", "rank"]].copy()
    weight = items["weight"].where(items["target"].notna()).groupby(items["region_code"]).sum(min_count=1)
    totals["assigned_weight"] = totals["region_code"].map(weight)
    totals["rank"] = pd.to_numeric(totals["rank"], errors="coerce").astype("Int64")
    totals = totals.sort_values(["rank", "region_name"], na_position="last", kind="stable")
    return Results(items[ITEM_COLUMNS + ["value_rank"]].reset_index(drop=True),
                   totals[TOTAL_COLUMNS].reset_index(drop=True))


def _percent(value: float) -> float | None:
    return None if pd.isna(value) else round(float(value) * 100, 1)


def display_table(result: Results, registry: Registry) -> pd.DataFrame:
    """One row per township in ranking order: per assessed indicator its value, target, completion (%) and
    score, then the total and rank (blank where nothing was assigned)."""
    rows = []
    items = result.items.set_index(["region_code", "indicator"])
    for _, township in result.totals.iterrows():
        row = {TOWNSHIP: township["region_name"]}
        for goal in assessed_goals(registry):
            item = items.loc[(township["region_code"], goal.id)]
            digits = goal.decimals + 2
            row[f"{goal.name_zh}·数值"] = None if pd.isna(item["value"]) else round(float(item["value"]), digits)
            row[f"{goal.name_zh}·目标"] = None if pd.isna(item["target"]) else float(item["target"])
            row[f"{goal.name_zh}·完成率%"] = _percent(item["completion"]) if pd.notna(item["target"]) else None
            row[f"{goal.name_zh}·得分"] = None if pd.isna(item["score"]) else round(float(item["score"]), 2)
        row["总分"] = None if pd.isna(township["total"]) else round(float(township["total"]), 2)
        row["名次"] = township["rank"]
        rows.append(row)
    return pd.DataFrame(rows)


def values_table(result: Results, registry: Registry) -> pd.DataFrame:
    """Without assigned targets: each township's value and its rank on every assessed indicator, by name."""
    rows = []
    items = result.items.set_index(["region_code", "indicator"])
    for code, name in sorted(zip(result.totals["region_code"], result.totals["region_name"]), key=lambda t: t[1]):
        row = {TOWNSHIP: name}
        for goal in assessed_goals(registry):
            item = items.loc[(code, goal.id)]
            row[f"{goal.name_zh}·数值"] = None if pd.isna(item["value"]) else round(float(item["value"]),
                                                                                goal.decimals + 2)
            row[f"{goal.name_zh}·排名"] = item["value_rank"]
        rows.append(row)
    return pd.DataFrame(rows)
