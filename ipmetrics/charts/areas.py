"""Every area's charts for one region and month, each paired with its table: goals, trademarks,
patents, financing, townships and peers."""

from __future__ import annotations

from typing import Iterator

import pandas as pd

from ipmetrics.charts import bars
from ipmetrics.charts.chart import Chart, Where, make_chart
from ipmetrics.charts.goals import goal_trend_figure
from ipmetrics.core import labels, periods
from ipmetrics.core.goals import Goal, Registry
from ipmetrics.core.scorecard import GoalCard, monthly_table
from ipmetrics.themes import peers
from ipmetrics.themes.financing import FinancingView
from ipmetrics.themes.patents import PatentView
from ipmetrics.themes.trademarks import TrademarkView


def no_value_text(card: GoalCard, region_name: str) -> str:
    """What stands in for a goal's chart when the region has no value for it in any period."""
    goal = card.goal
    if goal.reported_only:
        office = f"（上报单位：{goal.reported_by}）" if goal.reported_by else ""
        return f"{region_name}没有“{goal.name_zh}”的上报数值{office}：{card.definition}。"
    return f"{region_name}没有“{goal.name_zh}”的数据：{card.definition}。"


def goal_charts(cards: list[GoalCard], where: Where) -> list[Chart]:
    return list(each_goal_chart(cards, where))


def each_goal_chart(cards: list[GoalCard], where: Where) -> Iterator[Chart]:
    """The goals' charts, in the cards' order, each as soon as it is built."""
    for card in cards:
        # A goal with no value in any period gets a sentence, not a chart of a trajectory without data.
        has_value = card.frame["value"].notna().any()
        table = monthly_table(card)  # the detail page's table: value, source, planned value, gap
        yield make_chart(
            f"goal_{card.goal.id}", "目标", f"{card.goal.label}_趋势",
            goal_trend_figure(card, where.sample, where.region_name) if has_value else None, table,
            None if has_value else no_value_text(card, where.region_name))


def period_subtitle(goal: Goal, where: Where, unit: str) -> str:
    """A comparison chart's subtitle: the month viewed, or for a quarterly or yearly goal the period its
    values are of (2025年第三季度, 2025年)."""
    if goal.frequency == "month":
        return where.subtitle(unit)
    shown = periods.period_label(periods.latest_ended(where.as_of, goal.frequency))
    return f"{where.region_name} · {shown} · 单位：{unit}"


def trademark_charts(view: TrademarkView, where: Where, source_text: str) -> list[Chart]:
    source = where.source(source_text)
    none = "没有有效注册商标。" if view.in_force == 0 else None
    monthly = bars.stacked_bars_figure(
        view.monthly, "月份", list(labels.MARK_TYPE_LABEL.values()), "每月新注册商标", where.subtitle("件"), "件",
        source, line="同比增长（%）", line_title="合计同比增长（%）")
    return [
        make_chart("tm_monthly", "商标", "商标_每月新注册", monthly, view.monthly,
               None if view.monthly["合计"].sum() else "近24个月没有新注册商标。"),
        make_chart("tm_type", "商标", "商标_有效商标按类型",
               bars.ranking_figure(view.by_type, "商标类型", "有效件数", "有效商标按类型", where.subtitle("件"), "件",
                                     source), view.by_type, none),
        make_chart("tm_industry", "商标", "商标_有效商标按行业",
               bars.ranking_figure(view.by_industry, "行业", "有效件数", "有效商标按行业", where.subtitle("件"), "件",
                                     source), view.by_industry, none),
        make_chart("tm_township", "商标", "商标_有效商标按乡镇",
               bars.ranking_figure(view.by_township, "乡镇（街道）", "有效件数", "有效商标按乡镇（街道）",
                                     where.subtitle("件"), "件", source), view.by_township, none),
    ]


def patent_charts(view: PatentView, where: Where, source_text: str) -> list[Chart]:
    source = where.source(source_text)
    types = list(labels.PATENT_TYPE_LABEL.values())
    recent = None if len(view.by_township) else f"{where.region_name}近12个月没有专利授权记录。"
    industry = view.by_industry.assign(产业=view.by_industry["产业类别"] + "·" + view.by_industry["行业"])
    return [
        make_chart("pt_monthly", "专利", "专利_每月授权",
               bars.stacked_bars_figure(view.monthly, "月份", types, "每月专利授权", where.subtitle("件"), "件", source,
                                          line="同比增长（%）", line_title="合计同比增长（%）"), view.monthly,
               None if view.monthly["合计"].sum() else f"{where.region_name}近24个月没有专利授权记录。"),
        make_chart("pt_township", "专利", "专利_近12个月授权按乡镇",
               bars.stacked_bars_figure(view.by_township, "乡镇（街道）", types, "近12个月专利授权按乡镇（街道）",
                                          where.subtitle("件"), "件", source, horizontal=True) if not recent else None,
               view.by_township, recent),
        make_chart("pt_industry", "专利", "专利_近12个月授权按产业",
               bars.stacked_bars_figure(industry, "产业", types, "近12个月专利授权按产业", where.subtitle("件"), "件",
                                          source, horizontal=True) if not recent else None,
               view.by_industry, recent),
    ]


def financing_charts(view: FinancingView, where: Where, source_text: str, since_text: str) -> list[Chart]:
    source = where.source(source_text)
    none = None if view.deals else f"{where.region_name}自{since_text}起没有知识产权质押融资记录。"
    return [
        make_chart("pl_monthly", "质押融资", "质押融资_每月登记",
               bars.stacked_bars_figure(view.monthly, "月份", ["笔数"], "每月知识产权质押登记", where.subtitle("笔"),
                                          "笔", source, line="金额（万元）", line_title="金额（万元）"),
               view.monthly, none),
        make_chart("pl_lender", "质押融资", "质押融资_按银行",
               bars.ranking_figure(view.by_lender, "质权人（银行）", "金额（万元）", "融资额按银行",
                                     where.subtitle("万元"), "万元", source), view.by_lender, none),
        make_chart("pl_type", "质押融资", "质押融资_按质押物类型",
               bars.ranking_figure(view.by_ip_type, "质押物类型", "金额（万元）", "融资额按质押物类型",
                                     where.subtitle("万元"), "万元", source), view.by_ip_type, none),
    ]


def ranking_source(goal_source: str, per_10k: bool) -> str:
    """A ranking's source line: the goal's, and for figures per 10,000 the population they divide by
    (常住人口), named once: a goal's source may cite the population already ("人口：统计年鉴")."""
    if not per_10k:
        return goal_source
    if "人口：" in goal_source:
        return goal_source.replace("人口：", "常住人口：", 1)
    return f"{goal_source}；人口：常住人口"


def township_chart(comparison: pd.DataFrame, registry: Registry, goal_id: str, per_10k: bool,
                   where: Where, below: str = peers.TOWNSHIP) -> Chart:
    """One goal, the regions one level below side by side (乡镇对比); `below` names them (乡镇（街道）, or 县（区）
    under a city)."""
    goal = registry.goal(goal_id)
    table = peers.township_table(comparison, goal_id, per_10k).rename(columns={peers.TOWNSHIP: below})
    value = "每万人" if per_10k else "数值"
    unit = f"{goal.unit}/万人" if per_10k else goal.unit
    has_values = bool(len(table)) and table[value].notna().any()
    figure = bars.ranking_figure(
        table, below, value, f"{goal.name_zh}：各{below}{'每万人' if per_10k else ''}排名",
        period_subtitle(goal, where, unit), unit, where.source(ranking_source(goal.source, per_10k)),
        smallest_on_top=not goal.increasing) if has_values else None
    return make_chart(f"township_{goal_id}{'_per_10k' if per_10k else ''}", "乡镇对比",
                  f"乡镇对比_{goal.label}{'_每万人' if per_10k else ''}", figure, table,
                  None if has_values else f"各{below}都没有“{goal.name_zh}”的数据。")


def peer_chart(table: pd.DataFrame, registry: Registry, goal_id: str, per_10k: bool, group: peers.PeerGroup,
               where: Where, top: int = 10) -> Chart:
    """One goal, the region among its peers (同级对比): every peer, or with many of them the best and the
    worst `top` and the region itself; its table holds every peer."""
    goal = registry.goal(goal_id)
    ranked = peers.ranking(table, goal_id, per_10k, where.region)
    value = "每万人" if per_10k else "数值"
    unit = f"{goal.unit}/万人" if per_10k else goal.unit
    rows, cut = peers.chart_rows(ranked, value, top)
    subtitle = period_subtitle(goal, where, unit)
    if cut:
        rows = rows.assign(地区=[f"{int(r)}. {n}" for r, n in zip(rows["排名"], rows["地区"])])
        subtitle += f" · 共 {int(ranked[value].notna().sum())} 个，显示前 {top}、后 {top} 名及本地区"
    figure = bars.peer_ranking_figure(
        rows, "地区", value, "本地区", f"{goal.name_zh}：{group.members}{'每万人' if per_10k else ''}排名", subtitle,
        unit, where.source(ranking_source(goal.source, per_10k)),
        median=ranked[value].median(), gap="略过" if cut else None) if len(rows) else None
    name = f"同级对比_{group.name}_{goal.label}{'_每万人' if per_10k else ''}"
    return make_chart(f"peers_{group.scope}_{goal_id}{'_per_10k' if per_10k else ''}", "同级对比", name, figure,
                  ranked.drop(columns=["本地区", "code"]),
                  None if len(rows) else f"{group.members}都没有“{goal.name_zh}”的数据。")
