"""The month built once: one region's month — its goal cards, the thematic views, every chart with its
table and the named lists — as one object that the batch export, the workbook, the briefing and the
monthly run all read. Each part is computed the first time it is asked for and kept, so a briefing that
only needs the goal charts does not pay for the thematic views, and an export does not compute a view twice.
"""

from __future__ import annotations

from functools import cached_property

import pandas as pd

from ipmetrics.charts import brands as brand_charts
from ipmetrics.charts import rewards as reward_charts
from ipmetrics.charts.areas import financing_charts, goal_charts, patent_charts, township_chart, trademark_charts
from ipmetrics.charts.chart import Chart, Where, make_chart
from ipmetrics.core import labels, periods
from ipmetrics.core.goals import Registry
from ipmetrics.core.measures import load_region_data
from ipmetrics.core.scorecard import GoalCard, scorecard_from_data, status_records
from ipmetrics.core.settings import Settings
from ipmetrics.core.store import Store
from ipmetrics.themes import brands, rewards
from ipmetrics.themes.enterprises import EnterpriseView, enterprise_view
from ipmetrics.themes.financing import FinancingView, financing_view
from ipmetrics.themes.patents import PatentView, patent_view
from ipmetrics.themes.peers import township_comparison
from ipmetrics.themes.trademarks import TrademarkView, trademark_view

# The areas of the dashboard in page order: the workbook's sheets and the charts' folders.
AREAS = ["目标", "商标", "品牌培育", "专利", "质押融资", "企业培育", "奖励测算", "乡镇对比"]
# Where a thematic chart's source line comes from when the goal file tags no goal for its area.
DEFAULT_SOURCES = {"trademarks": "商标注册数据", "patents": "专利数据", "financing": "知识产权质押登记数据"}


def area_source(registry: Registry, tag: str) -> str:
    """The data source named by the first goal tagged `tag`, for the area's chart source lines (the pages'
    and the exports' alike)."""
    goal = registry.first_tagged(tag)
    return goal.source if goal else DEFAULT_SOURCES[tag]


class Month:
    """One region's month. `cards` may be given (a snapshot's, the figures of record); otherwise the goals
    are computed from the store's current data."""

    def __init__(self, store: Store, registry: Registry, settings: Settings, region: str, region_name: str,
                 as_of: pd.Period | str, sample: bool, cards: list[GoalCard] | None = None):
        self.store, self.registry, self.settings = store, registry, settings
        self.where = Where(region, region_name, periods.month(as_of), sample)
        if cards is not None:
            self.__dict__["cards"] = cards  # what cached_property would have computed

    @property
    def region(self) -> str:
        return self.where.region

    @property
    def as_of(self) -> pd.Period:
        return self.where.as_of

    @property
    def financing_since(self) -> pd.Period:
        return periods.month(self.settings.financing_since)

    # --- the parts, each computed once ------------------------------------------------------------
    @cached_property
    def cards(self) -> list[GoalCard]:
        data = load_region_data(self.store, self.region)
        return scorecard_from_data(data, self.registry, self.settings, self.as_of)

    @cached_property
    def trademarks(self) -> TrademarkView:
        return trademark_view(self.store, self.region, self.as_of)

    @cached_property
    def patents(self) -> PatentView:
        return patent_view(self.store, self.region, self.as_of, self.registry)

    @cached_property
    def financing(self) -> FinancingView:
        return financing_view(self.store, self.region, self.as_of, self.financing_since)

    @cached_property
    def enterprises(self) -> EnterpriseView:
        return enterprise_view(self.store, self.region, self.as_of)

    @cached_property
    def brands(self) -> pd.DataFrame:
        """The brand candidates of the region and everything under it."""
        return brands.load_brands(self.store, self.region)

    @cached_property
    def rewards(self) -> rewards.Budget:
        first = rewards.first_year(self.settings)
        events = rewards.events_through(self.store, self.region, first, self.as_of)
        return rewards.budget(events, self.registry.rewards, rewards.default_rates(self.registry), first, self.as_of)

    @cached_property
    def townships(self) -> pd.DataFrame:
        """The regions one level below, ranked on every goal (empty for a region without any)."""
        return township_comparison(self.store, self.registry, self.settings, self.region, self.as_of)

    @cached_property
    def goal_charts(self) -> list[Chart]:
        return goal_charts(self.cards, self.where)

    @cached_property
    def charts(self) -> list[Chart]:
        """Every chart of the dashboard for the region and month, in page order."""
        where, name = self.where, self.where.region_name
        result = list(self.goal_charts)
        result += trademark_charts(self.trademarks, where, area_source(self.registry, "trademarks"))
        result.append(self._brand_chart())
        result += patent_charts(self.patents, where, area_source(self.registry, "patents"))
        result += financing_charts(self.financing, where, area_source(self.registry, "financing"),
                                   periods.month_label(self.financing_since))
        figure = reward_charts.yearly_budget_figure(self.rewards, name, where.sample,
                                                    self.registry.area_article("rewards"))
        result.append(make_chart("rewards_yearly", "奖励测算", "奖励测算_逐年", figure,
                                 rewards.yearly_table(self.rewards)))
        if not self.townships.empty:
            result += [township_chart(self.townships, self.registry, goal.id, not goal.per_region, where)
                       for goal in self.registry.goals]
        return result

    def _brand_chart(self) -> Chart:
        stages = brands.pipeline(self.brands, self.as_of)
        figure = brand_charts.pipeline_figure(stages, self.where.region_name, self.as_of, sample=self.where.sample,
                                              basis=self.registry.cited_article("brands"))
        return make_chart("brands_pipeline", "品牌培育", "品牌培育_申报进度", figure, brands.pipeline_table(stages),
                          None if len(self.brands) else f"{self.where.region_name}没有培育品牌的记录。")

    def goal_chart(self, goal_id: str) -> Chart:
        return next(chart for chart, card in zip(self.goal_charts, self.cards) if card.goal.id == goal_id)

    @cached_property
    def tables(self) -> dict[str, list[tuple[str, pd.DataFrame]]]:
        """The month's tables by area, captioned: the goals' progress and monthly values, every chart's
        table, and the named lists behind the figures (the workbook writes these, one sheet per area)."""
        tables: dict[str, list[tuple[str, pd.DataFrame]]] = {area: [] for area in AREAS}
        tables["目标"] += [("各项目标进度", goal_summary(status_records(self.cards), self.registry)),
                         ("各项目标逐月数值", monthly_values(self.cards))]
        for chart in self.charts:
            if chart.area != "目标":
                tables[chart.area].append((chart.name.split("_", 1)[-1], chart.table))
        marks, firms = self.trademarks, self.enterprises
        tables["商标"] += [("持有有效商标最多的注册人", marks.top_holders), ("地理标志商标", marks.gi),
                         ("中国驰名商标", marks.well_known)]
        tables["品牌培育"].append(("培育品牌清单", brands.brand_table(self.brands, self.as_of)))
        tables["专利"].append(("国外授权专利", self.patents.abroad))
        tables["质押融资"].append(("获得融资的企业", self.financing.enterprises))
        tables["企业培育"] += [("国家知识产权优势示范企业", firms.national), ("省知识产权强企", firms.provincial),
                           ("尚未贯标的高新技术、科技型企业", firms.uncertified)]
        return {area: found for area, found in tables.items() if found}


def build_month(store: Store, registry: Registry, settings: Settings, region: str, region_name: str,
                as_of: pd.Period | str, sample: bool, cards: list[GoalCard] | None = None) -> Month:
    return Month(store, registry, settings, region, region_name, as_of, sample, cards)


def goal_summary(records: list[dict], registry: Registry) -> pd.DataFrame:
    """Every goal's progress as the workbook lists it (numbers, not formatted text)."""
    due = registry.target_year_text()
    rows = []
    for r in records:
        goal = registry.goal(r["id"])
        rows.append({
            "指标": goal.name_zh, "单位": goal.unit, "当前值": r["value"],
            f"{due}目标": None if r["target"] is None else goal.target_text(),
            "完成率（%）": None if r["completion"] is None else round(r["completion"] * 100, 1),
            "序时进度值": r["expected"], "与序时进度之差": r["gap"], f"按趋势预计{due}": r["projection"],
            "预期进度比": r["anticipated_progress"], "状态": labels.STATUS_LABEL[labels.Status(r["status"])],
            "口径": r["definition"],
        })
    frame = pd.DataFrame(rows)
    for column in ("当前值", "序时进度值", "与序时进度之差", f"按趋势预计{due}", "预期进度比"):
        frame[column] = frame[column].astype(float).round(3)
    return frame


def monthly_values(cards: list[GoalCard]) -> pd.DataFrame:
    """Every goal's value month by month, newest first."""
    monthly = pd.DataFrame({"月份": [str(m) for m in cards[0].frame.index]})
    for card in cards:
        monthly[f"{card.goal.label}（{card.goal.unit}）"] = card.frame["value"].round(card.goal.decimals + 2).to_numpy()
    return monthly.iloc[::-1].reset_index(drop=True)
