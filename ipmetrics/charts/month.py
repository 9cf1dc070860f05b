"""The month built once: every chart of the dashboard for one region and month, in page order."""

from __future__ import annotations

import pandas as pd

from ipmetrics.charts import brands as brand_charts
from ipmetrics.charts import rewards as reward_charts
from ipmetrics.charts.areas import financing_charts, goal_charts, patent_charts, township_chart, trademark_charts
from ipmetrics.charts.chart import Chart, Where, make_chart
from ipmetrics.core import periods
from ipmetrics.core.goals import Registry
from ipmetrics.core.measures import load_region_data
from ipmetrics.core.scorecard import scorecard_from_data
from ipmetrics.core.settings import Settings
from ipmetrics.core.store import Store
from ipmetrics.themes import brands, rewards
from ipmetrics.themes.financing import financing_view
from ipmetrics.themes.patents import patent_view
from ipmetrics.themes.peers import township_comparison
from ipmetrics.themes.trademarks import trademark_view


def month_charts(store: Store, registry: Registry, settings: Settings, region: str, region_name: str,
                 as_of: pd.Period, sample: bool) -> list[Chart]:
    """Every chart of the dashboard for one region and month, in page order (the batch export)."""
    where = Where(region, region_name, as_of, sample)
    data = load_region_data(store, region)
    cards = scorecard_from_data(data, registry, settings, as_of)
    result = goal_charts(cards, where)
    result += trademark_charts(trademark_view(store, region, as_of), where,
                               registry.goal("trademarks_registered").source)
    candidates = brands.load_brands(store, region)
    stages = brands.pipeline(candidates, as_of)
    result.append(make_chart("brands_pipeline", "品牌培育", "品牌培育_申报进度",
                         brand_charts.pipeline_figure(stages, region_name, as_of, sample=sample),
                         brands.pipeline_table(stages),
                         None if len(candidates) else f"{region_name}没有培育品牌的记录。"))
    result += patent_charts(patent_view(store, region, as_of), where,
                            registry.goal("invention_patents_per_10k").source)
    since = pd.Period(settings.financing_since, freq="M")
    result += financing_charts(financing_view(store, region, as_of, since), where,
                               registry.goal("pledge_financing_amount").source, periods.month_label(since))
    first = rewards.first_year(settings)
    budget = rewards.budget(rewards.events_through(store, region, first, as_of), registry.rewards,
                            rewards.default_rates(registry), first, as_of)
    result.append(make_chart("rewards_yearly", "奖励测算", "奖励测算_逐年", reward_charts.yearly_budget_figure(
        budget, region_name, sample), rewards.yearly_table(budget)))
    comparison = township_comparison(store, registry, settings, region, as_of)
    if not comparison.empty:
        result += [township_chart(comparison, registry, goal.id, not goal.per_region, where)
                   for goal in registry.goals]
    return result
