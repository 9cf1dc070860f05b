"""The month built once: one region's month — its goal cards, the thematic views, every chart with its
table and the named lists — as one object that the batch export, the workbook, the briefing and the
monthly run all read. Each part is computed the first time it is asked for and kept, so a briefing that
only needs the goal charts does not pay for the thematic views, and an export does not compute a view twice.
"""

from __future__ import annotations

from functools import cached_property
from typing import Iterator

import pandas as pd

from ipmetrics.charts import brands as brand_charts
from ipmetrics.charts import rewards as reward_charts
from ipmetrics.charts.areas import each_goal_chart, financing_charts, patent_charts, township_chart, trademark_charts
from ipmetrics.charts.chart import Chart, Where, make_chart
from ipmetrics.core import labels, periods
from ipmetrics.core.goals import Registry
from ipmetrics.core.measures import load_region_data
from ipmetrics.core.scorecard import PERIOD_COLUMN, GoalCard, scorecard_from_data, status_records
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
# Where each frequency's values go in the workbook: monthly values under the goals, quarterly and yearly
# ones on sheets of their own, each table on its own periods.
VALUES_AREA = {"month": "目标", "quarter": "目标（季度）", "year": "目标（年度）"}
VALUES_CAPTION = {"month": "各项目标逐月数值", "quarter": "各项目标逐季数值", "year": "各项目标逐年数值"}
OTHER_THEME = "其他"
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
        return rewards.budget_in_force(self.store, self.registry, self.settings, self.region, self.as_of)[1]

    @cached_property
    def townships(self) -> pd.DataFrame:
        """The regions one level below, ranked on every goal (empty for a region without any)."""
        return township_comparison(self.store, self.registry, self.settings, self.region, self.as_of)

    @cached_property
    def goal_charts(self) -> list[Chart]:
        return list(self.each_goal_chart())

    def each_goal_chart(self) -> Iterator[Chart]:
        """The goal charts in the cards' order, each as soon as it is built (the monthly run hands each to
        the browser meanwhile); built once: goal_charts then returns them."""
        if "goal_charts" in self.__dict__:
            yield from self.goal_charts
            return
        built = []
        for chart in each_goal_chart(self.cards, self.where):
            built.append(chart)
            yield chart
        self.__dict__["goal_charts"] = built

    def use_cards(self, cards: list[GoalCard]) -> None:
        """Give the month its goal cards (a snapshot's, the figures of record) once its other charts are built:
        the monthly run builds those while it freezes the month. Refused once anything has read the cards."""
        read = {"cards", "goal_charts", "charts", "tables"} & set(self.__dict__)
        if read or "goals" in self.__dict__.get("_chart_groups", {}):
            raise RuntimeError(f"the month's goal cards were read already ({', '.join(sorted(read)) or 'goals'})")
        self.__dict__["cards"] = cards

    def chart_groups(self, goals: bool = True) -> Iterator[list[Chart]]:
        """The charts in page order, an area's at a time, each built when it is reached: an export draws one
        area's charts while the next area is built. Without `goals`, only the charts that never read the goal
        cards (the thematic areas and the townships, all from the store)."""
        where = self.where
        builders = [
            ("goals", lambda: list(self.goal_charts)),
            ("trademarks", lambda: trademark_charts(self.trademarks, where, area_source(self.registry, "trademarks"))),
            ("brands", lambda: [self._brand_chart()]),
            ("patents", lambda: patent_charts(self.patents, where, area_source(self.registry, "patents"))),
            ("financing", lambda: financing_charts(self.financing, where, area_source(self.registry, "financing"),
                                                   periods.month_label(self.financing_since))),
            ("rewards", self._reward_charts),
            ("townships", lambda: [] if self.townships.empty else [
                township_chart(self.townships, self.registry, goal.id, not goal.per_region, where)
                for goal in self.registry.goals]),
        ]
        built = self.__dict__.setdefault("_chart_groups", {})
        for key, build in builders:
            if key == "goals" and not goals:
                continue
            if key not in built:
                built[key] = build()
            yield built[key]

    @cached_property
    def charts(self) -> list[Chart]:
        """Every chart of the dashboard for the region and month, in page order."""
        return [chart for group in self.chart_groups() for chart in group]

    def _reward_charts(self) -> list[Chart]:
        figure = reward_charts.yearly_budget_figure(self.rewards, self.where.region_name, self.where.sample,
                                                    self.registry.area_article("rewards"))
        return [make_chart("rewards_yearly", "奖励测算", "奖励测算_逐年", figure, rewards.yearly_table(self.rewards))]

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
        tables["目标"].append(("各项目标进度", goal_summary(status_records(self.cards), self.registry)))
        # Each frequency its own table (and sheet): a quarter's value belongs to its quarter, not to months.
        for frequency in periods.FREQUENCIES:
            same = [card for card in self.cards if card.frequency == frequency]
            if same:
                tables.setdefault(VALUES_AREA[frequency], []).append((VALUES_CAPTION[frequency], period_values(same)))
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
        order = [AREAS[0], VALUES_AREA["quarter"], VALUES_AREA["year"], *AREAS[1:]]
        return {area: tables[area] for area in order if tables.get(area)}


def build_month(store: Store, registry: Registry, settings: Settings, region: str, region_name: str,
                as_of: pd.Period | str, sample: bool, cards: list[GoalCard] | None = None) -> Month:
    return Month(store, registry, settings, region, region_name, as_of, sample, cards)


def theme_order(registry: Registry) -> dict[str, str] | None:
    """Each goal id's theme (创造、运用 …) in the file's theme order, when the file groups its goals into more
    than one theme; None otherwise (the tables then keep no theme column)."""
    groups = registry.themes
    if len(groups) < 2:
        return None
    return {goal.id: theme or OTHER_THEME for theme, goals in groups for goal in goals}


def goal_summary(records: list[dict], registry: Registry) -> pd.DataFrame:
    """Every goal's progress as the workbook lists it (numbers, not formatted text); grouped by theme when
    the goal file has themes, with the period shown when a goal is not counted by month."""
    due = registry.target_year_text()
    themes = theme_order(registry)
    if themes is not None:
        rank = {theme: number for number, theme in enumerate(dict.fromkeys(themes.values()))}
        records = sorted(records, key=lambda r: rank[themes[r["id"]]])  # stable: file order within a theme
    with_periods = any(r["frequency"] != "month" for r in records)
    rows = []
    for r in records:
        goal = registry.goal(r["id"])
        target = goal.target_text() if r["target"] is not None or goal.monitoring else None
        row = {"主题": themes[goal.id]} if themes is not None else {}
        row |= {"指标": goal.name_zh}
        if with_periods:
            row["期间"] = r["period_label"]
        row |= {
            "单位": goal.unit, "当前值": r["value"], f"{due}目标": target,
            "完成率（%）": None if r["completion"] is None else round(r["completion"] * 100, 1),
            "序时进度值": r["expected"], "与序时进度之差": r["gap"], f"按趋势预计{due}": r["projection"],
            "预期进度比": r["anticipated_progress"], "状态": labels.status_label(r["status"], goal),
            "口径": r["definition"],
        }
        rows.append(row)
    frame = pd.DataFrame(rows)
    for column in ("当前值", "序时进度值", "与序时进度之差", f"按趋势预计{due}", "预期进度比"):
        frame[column] = frame[column].astype(float).round(3)
    return frame


def period_values(cards: list[GoalCard]) -> pd.DataFrame:
    """The values of goals counted alike (all by month, by quarter or by year), period by period, newest
    first: one column per goal, one row per period of any of them."""
    frequency = cards[0].frequency
    values = pd.DataFrame({f"{card.goal.label}（{card.goal.unit}）": card.frame["value"].round(card.goal.decimals + 2)
                           for card in cards}).sort_index()
    first = values.first_valid_index()  # from the first period any of them has a value
    values = values.loc[first:] if first is not None else values
    names = [str(p) if frequency == "month" else periods.period_label(p) for p in values.index]
    values.insert(0, PERIOD_COLUMN[frequency], names)
    return values.iloc[::-1].reset_index(drop=True)
