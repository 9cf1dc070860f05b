"""同级对比: a region ranked among the regions of its level in its city, its province and the nation.

A provincial or city office ranks its counties on each goal, as the provincial monthly reports do.
Counts and amounts (goals whose target is a county total) are compared per 10,000 residents as well,
since a county of a million people should have more trademarks than one of two hundred thousand;
ratios and shares (per-10,000 patents, coverage) are compared as they are.

Each peer group is read with one panel query (ipmetrics.panel.goal_panel); everything after that is
pure pandas on a frame of peers × goals. No Streamlit here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ipmetrics.core import labels
from ipmetrics.core.goals import Goal, Registry
from ipmetrics.core.hierarchy import LEVEL_ZH, Hierarchy
from ipmetrics.core.panel import goal_panel
from ipmetrics.core.settings import Settings
from ipmetrics.core.store import Store

SCOPE_ZH = {"township": "所在乡镇", "county": "所在县（区）", "city": "所在市", "province": "所在省", "nation": "全国"}
NATION = "全国"


@dataclass(frozen=True)
class PeerGroup:
    """The regions of `level` under `ancestor` (None: every region of that level in the store)."""

    scope: str                 # the ancestor's level (city, province …) or "nation"
    ancestor: str | None
    name: str                  # 信阳市, 河南省, 全国
    level: str                 # the level of the regions compared
    codes: tuple[str, ...]     # the peers, the region itself included, by code

    @property
    def title(self) -> str:
        """所在市（信阳市，4 个县（区））; 全国（7 个县（区））"""
        count = f"{len(self.codes)} 个{LEVEL_ZH.get(self.level, '地区')}"
        return f"{NATION}（{count}）" if self.ancestor is None else f"{SCOPE_ZH[self.scope]}（{self.name}，{count}）"

    @property
    def members(self) -> str:
        """信阳市各县（区）"""
        return f"{self.name}各{LEVEL_ZH.get(self.level, '地区')}"


def peer_groups(tree: Hierarchy, region: str) -> list[PeerGroup]:
    """The groups `region` can be ranked in, narrowest first: the regions of its level under its
    parent, under its grandparent …, and in the whole store when it holds several top regions (several
    provinces). A group needs at least one region besides `region`; a group with the same members as a
    narrower one (a province of a single city) is left out."""
    if region not in tree:
        return []
    level = tree.levels[region]
    groups: list[PeerGroup] = []
    seen: set[tuple[str, ...]] = set()
    for ancestor in reversed(tree.ancestors(region)[:-1]):
        codes = tuple(tree.of_level(level, under=ancestor))
        if len(codes) >= 2 and codes not in seen:
            groups.append(PeerGroup(tree.levels[ancestor], ancestor, tree.label(ancestor), level, codes))
            seen.add(codes)
    if len(tree.roots) > 1:
        codes = tuple(tree.of_level(level))
        if len(codes) >= 2 and codes not in seen:
            groups.append(PeerGroup("nation", None, NATION, level, codes))
    return groups


def more_is_better(goal: Goal) -> bool:
    """The direction of the goal's comparator: ≥ and > targets are met by more."""
    return goal.comparator.startswith(">")


def _rank(values: pd.Series, goal: Goal) -> pd.Series:
    """1 = best among the peers with a value; ties share the better rank (1, 2, 2, 4)."""
    return values.rank(ascending=not more_is_better(goal), method="min").astype("Int64")


def compare(store: Store, registry: Registry, settings: Settings, tree: Hierarchy, group: PeerGroup,
            as_of: pd.Period) -> pd.DataFrame:
    """Every peer on every goal at the end of `as_of`, one row per peer × goal: code, 地区, goal, 指标,
    单位, 数值, 每万人 (counts and amounts only), 常住人口, 排名, 每万人排名, 同级数 (peers with a value)."""
    panel = goal_panel(store, registry, settings, group.ancestor or "", group.level, as_of, as_of)
    now = panel.values.xs(as_of, level="month").reindex(list(group.codes))
    residents = panel.population.xs(as_of, level="month")["resident"].reindex(now.index).astype(float)
    names = [tree.label(code) for code in now.index]
    rows = []
    for goal in registry.goals:
        value = now[goal.id].astype(float)
        per_10k = (value / residents.where(residents > 0) * 1e4 if not goal.per_region
                   else pd.Series(np.nan, index=value.index))
        rows.append(pd.DataFrame({
            "code": now.index.to_numpy(), "地区": names, "goal": goal.id, "指标": goal.label, "单位": goal.unit,
            "数值": value.to_numpy(), "每万人": per_10k.to_numpy(), "常住人口": residents.to_numpy(),
            "排名": _rank(value, goal).to_numpy(), "每万人排名": _rank(per_10k, goal).to_numpy(),
            "同级数": int(value.notna().sum()), "每万人同级数": int(per_10k.notna().sum()),
        }))
    return pd.concat(rows, ignore_index=True)


def rank_text(rank, count) -> str:
    """第 3 / 10, or — when the region has no value."""
    return "—" if rank is None or pd.isna(rank) else f"第 {int(rank)} / {int(count)}"


def summary(table: pd.DataFrame, registry: Registry, region: str) -> pd.DataFrame:
    """The region's standing on every goal, one row per goal in the registry's order: value, rank
    among the peers, their median and the gap to it (value − median: ahead of the median when positive,
    for goals where more is better), and the same per 10,000 residents for counts and amounts.
    Values are rounded to the goal's decimals plus two, per-10,000 figures to four decimals."""
    rows = []
    for goal in registry.goals:
        one = table[table["goal"] == goal.id]
        own = one[one["code"] == region]
        if own.empty:
            continue
        own = own.iloc[0]
        median, per_median = one["数值"].median(), one["每万人"].median()  # NaN skipped
        digits = goal.decimals + 2
        rows.append({
            "goal": goal.id, "指标": goal.label, "单位": goal.unit,
            "本地数值": round(own["数值"], digits), "排名": rank_text(own["排名"], own["同级数"]),
            "中位数": round(median, digits), "较中位数": round(own["数值"] - median, digits),
            "每万人": round(own["每万人"], 4), "每万人排名": rank_text(own["每万人排名"], own["每万人同级数"]),
            "每万人中位数": round(per_median, 4), "每万人较中位数": round(own["每万人"] - per_median, 4),
            "同级数": int(own["同级数"]), "名次": own["排名"], "每万人名次": own["每万人排名"],
        })
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


SUMMARY_COLUMNS = ["goal", "指标", "单位", "本地数值", "排名", "中位数", "较中位数", "每万人", "每万人排名",
                   "每万人中位数", "每万人较中位数", "同级数", "名次", "每万人名次"]


def ranking(table: pd.DataFrame, goal_id: str, per_10k: bool, region: str) -> pd.DataFrame:
    """One goal, every peer from best to worst (those without a value last): 排名, 地区, 数值, 每万人,
    常住人口, 本地区 (True on the region's own row), code."""
    one = table[table["goal"] == goal_id]
    key, rank = ("每万人", "每万人排名") if per_10k else ("数值", "排名")
    one = one.sort_values([rank, "code"], na_position="last")
    return pd.DataFrame({
        "排名": one[rank].to_numpy(), "地区": one["地区"].to_numpy(),
        "数值": one["数值"].round(4).to_numpy(), "每万人": one["每万人"].round(4).to_numpy(),
        "常住人口": one["常住人口"].to_numpy(), "本地区": (one["code"] == region).to_numpy(),
        "code": one["code"].to_numpy(),
    })


def chart_rows(ranked: pd.DataFrame, value: str, top: int = 10) -> tuple[pd.DataFrame, bool]:
    """What a chart can show of a long ranking: the best `top`, the worst `top` and the region itself
    (wherever it stands); everything when that is not fewer. True when rows were left out; then the
    column 略过 is True on each row that follows left-out ones."""
    rows = ranked.dropna(subset=[value]).reset_index(drop=True)
    if len(rows) <= 2 * top + 1:
        return rows.assign(略过=False), False
    keep = sorted(set(range(top)) | set(range(len(rows) - top, len(rows))) | set(rows.index[rows["本地区"]]))
    shown = rows.loc[keep]
    return shown.assign(略过=[i > 0 and k != keep[i - 1] + 1 for i, k in enumerate(keep)]), True


def overview(table: pd.DataFrame, registry: Registry) -> pd.DataFrame:
    """Every peer on every goal, one row per peer (the full table to download): 地区, 区划代码, 常住人口,
    then per goal its value and rank, and for counts and amounts the value and rank per 10,000."""
    if table.empty:
        return pd.DataFrame()
    wide = table.drop_duplicates("code")[["code", "地区", "常住人口"]].set_index("code")
    for goal in registry.goals:
        one = table[table["goal"] == goal.id].set_index("code")
        wide[f"{goal.label}（{goal.unit}）"] = one["数值"].round(goal.decimals + 2)
        wide[f"{goal.label}排名"] = one["排名"]
        if not goal.per_region:
            wide[f"{goal.label}（每万人）"] = one["每万人"].round(4)
            wide[f"{goal.label}每万人排名"] = one["每万人排名"]
    return wide.rename_axis("区划代码").reset_index()[["地区", "区划代码", *wide.columns.drop("地区")]]


def summary_display(standing: pd.DataFrame) -> pd.DataFrame:
    """The summary as the page shows it: numbers as text without trailing zeros, gaps signed, "—"
    where there is no figure (ratios have no per-10,000 column)."""
    shown = standing.drop(columns=["goal", "同级数", "名次", "每万人名次"]).copy()
    for column in ("本地数值", "中位数", "每万人", "每万人中位数"):
        shown[column] = shown[column].map(labels.compact_number)
    for column in ("较中位数", "每万人较中位数"):
        shown[column] = shown[column].map(lambda v: labels.compact_number(v, sign=True))
    return shown


# --- 乡镇对比 -------------------------------------------------------------------------------------------
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
