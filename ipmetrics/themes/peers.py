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
from typing import Sequence

import numpy as np
import pandas as pd

from ipmetrics.core import labels
from ipmetrics.core.goals import Goal, Registry
from ipmetrics.core.hierarchy import LEVEL_ZH, Hierarchy
from ipmetrics.core.panel import goal_panel
from ipmetrics.core.progress import increasing
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
    return increasing(goal.comparator)


def _rank(values: pd.Series, goal: Goal) -> pd.Series:
    """1 = best among the regions with a value; ties share the better rank (1, 2, 2, 4)."""
    return values.rank(ascending=not more_is_better(goal), method="min").astype("Int64")


def rank_regions(store: Store, registry: Registry, settings: Settings, ancestor: str, level: str,
                 codes: Sequence[str], names: Sequence[str], as_of: pd.Period, *,
                 year_change: bool = False) -> pd.DataFrame:
    """The one ranking of regions side by side: every region of `codes` (of `level` under `ancestor`, ''
    for everywhere; `names` as they are shown) on every goal at the end of `as_of`, ranked in the
    direction of the goal's comparator. One row per goal × region: code, 地区, goal, 指标, 单位, 数值,
    每万人 (counts and amounts only), 常住人口, 排名, 每万人排名, 同级数 and 每万人同级数 (regions with a
    value), and with `year_change` 较去年同月 (the change since the same month a year before)."""
    first = as_of - 12 if year_change else as_of
    panel = goal_panel(store, registry, settings, ancestor, level, first, as_of)
    now = panel.at(as_of).reindex(list(codes))
    before = panel.at(as_of - 12).reindex(now.index) if year_change else None
    residents = panel.population.xs(as_of, level="month")["resident"].reindex(now.index).astype(float)
    rows = []
    for goal in registry.goals:
        value = now[goal.id].astype(float)
        per_10k = (value / residents.where(residents > 0) * 1e4 if not goal.per_region
                   else pd.Series(np.nan, index=value.index))
        columns = {
            "code": now.index.to_numpy(), "地区": list(names), "goal": goal.id, "指标": goal.label, "单位": goal.unit,
            "数值": value.to_numpy(), "每万人": per_10k.to_numpy(), "常住人口": residents.to_numpy(),
            # .array keeps the nullable integers (a region without a value has no rank, not NaN).
            "排名": _rank(value, goal).array, "每万人排名": _rank(per_10k, goal).array,
            "同级数": int(value.notna().sum()), "每万人同级数": int(per_10k.notna().sum()),
        }
        if before is not None:
            columns["较去年同月"] = (value - before[goal.id].astype(float)).to_numpy()
        rows.append(pd.DataFrame(columns))
    return pd.concat(rows, ignore_index=True)


def compare(store: Store, registry: Registry, settings: Settings, tree: Hierarchy, group: PeerGroup,
            as_of: pd.Period) -> pd.DataFrame:
    """Every peer of `group` on every goal at the end of `as_of` (rank_regions), named as the tree labels them."""
    return rank_regions(store, registry, settings, group.ancestor or "", group.level, group.codes,
                        [tree.label(code) for code in group.codes], as_of)


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


def ranking(table: pd.DataFrame, goal_id: str, per_10k: bool, region: str | None = None, *,
            digits: int = 4, ties: str = "code") -> pd.DataFrame:
    """One goal, every region from best to worst (those without a value last; ties by `ties`: the code,
    or 地区 for names): 排名, 地区, 数值, 每万人, 常住人口, 本地区 (True on `region`'s row), code, and
    较去年同月 when the table has it. Figures rounded to `digits`."""
    one = table[table["goal"] == goal_id]
    rank = "每万人排名" if per_10k else "排名"
    one = one.sort_values([rank, ties], na_position="last")
    ranked = pd.DataFrame({
        "排名": one[rank].to_numpy(), "地区": one["地区"].to_numpy(),
        "数值": one["数值"].round(digits).to_numpy(), "每万人": one["每万人"].round(digits).to_numpy(),
        "常住人口": one["常住人口"].to_numpy(), "本地区": (one["code"] == region).to_numpy(),
        "code": one["code"].to_numpy(),
    })
    if "较去年同月" in one:
        ranked.insert(4, "较去年同月", one["较去年同月"].round(digits).to_numpy())
    return ranked


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


def overview(table: pd.DataFrame, registry: Registry, *, ranks: bool = True, per_10k_digits: int = 4,
             codes: bool = True) -> pd.DataFrame:
    """Every region on every goal, one row per region (the full table to download): 地区, 区划代码 (with
    `codes`), 常住人口, then per goal its value (and rank, with `ranks`), and for counts and amounts the value
    per 10,000 residents (and its rank)."""
    if table.empty:
        return pd.DataFrame()
    wide = table.drop_duplicates("code")[["code", "地区", "常住人口"]].set_index("code")
    for goal in registry.goals:
        one = table[table["goal"] == goal.id].set_index("code")
        wide[f"{goal.label}（{goal.unit}）"] = one["数值"].round(goal.decimals + 2)
        if ranks:
            wide[f"{goal.label}排名"] = one["排名"]
        if not goal.per_region:
            wide[f"{goal.label}（每万人）"] = one["每万人"].round(per_10k_digits)
            if ranks:
                wide[f"{goal.label}每万人排名"] = one["每万人排名"]
    if not codes:
        return wide.reset_index(drop=True)
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


# --- 乡镇对比: the townships of a county, a use of the one ranking ------------------------------------------
TOWNSHIP = "乡镇（街道）"


def township_comparison(store: Store, registry: Registry, settings: Settings, parent: str,
                        as_of: pd.Period) -> pd.DataFrame:
    """Every region one level below `parent` on every goal (rank_regions, with the change since the same
    month a year before); empty when `parent` has no lower regions."""
    children = store.frame("child_regions", region=parent)
    if children.empty:
        return pd.DataFrame()
    return rank_regions(store, registry, settings, parent, str(children["level"].iloc[0]),
                        children["code"].astype(str).tolist(), children["name"].astype(str).tolist(), as_of,
                        year_change=True)


def township_table(comparison: pd.DataFrame, goal_id: str, per_10k: bool) -> pd.DataFrame:
    """One goal's column of the comparison: townships ranked (ties by name), with value, per 10,000 and yearly
    change; per 10,000 only where the goal has it (counts and amounts)."""
    one = comparison[comparison["goal"] == goal_id]
    per_10k = per_10k and one["每万人"].notna().any()
    ranked = ranking(comparison, goal_id, per_10k, digits=2, ties="地区")
    return ranked[["排名", "地区", "数值", "每万人", "较去年同月", "常住人口"]].rename(columns={"地区": TOWNSHIP})


def township_overview(comparison: pd.DataFrame, registry: Registry) -> pd.DataFrame:
    """All goals side by side, one row per township: the value, and per 10,000 residents for counts."""
    wide = overview(comparison, registry, ranks=False, per_10k_digits=2, codes=False)
    return wide.rename(columns={"地区": TOWNSHIP})
