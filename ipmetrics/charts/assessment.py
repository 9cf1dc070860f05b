"""乡镇考核's ranking chart: each scored township's total as bars stacked by what each assessed indicator
contributes to it, the best on top."""

from __future__ import annotations

import pandas as pd

from ipmetrics.charts import bars
from ipmetrics.charts.chart import Chart, Where, make_chart
from ipmetrics.core.goals import Registry
from ipmetrics.themes import assessment
from ipmetrics.themes.peers import TOWNSHIP

UNIT = "分"


def contributions(result: assessment.Results, registry: Registry) -> pd.DataFrame:
    """One row per scored township (名次. 名称): what each indicator adds to its total, item score ÷ the weights
    assigned to it × 100, so the parts add up to the total."""
    scored = result.totals.dropna(subset=["total"])
    items = result.items.set_index(["region_code", "indicator"])
    rows = []
    for _, township in scored.iterrows():
        row = {TOWNSHIP: f"{int(township['rank'])}. {township['region_name']}"}
        for goal in assessment.assessed_goals(registry):
            score = items.loc[(township["region_code"], goal.id), "score"]
            row[goal.name_zh] = 0.0 if pd.isna(score) else round(float(score) / township["assigned_weight"] * 100, 2)
        row["总分"] = round(float(township["total"]), 2)
        rows.append(row)
    return pd.DataFrame(rows, columns=[TOWNSHIP, *(g.name_zh for g in assessment.assessed_goals(registry)), "总分"])


def ranking_chart(result: assessment.Results, registry: Registry, where: Where, source: str) -> Chart:
    """The townships ranked by total score; the sentence instead of a chart when none is scored."""
    table = contributions(result, registry)
    title = registry.assessment.title if registry.assessment else "乡镇考核"
    stacks = [goal.name_zh for goal in assessment.assessed_goals(registry)]
    figure = bars.stacked_bars_figure(table, TOWNSHIP, stacks, f"{title}：总分排名", where.subtitle(UNIT), UNIT,
                                      where.source(source), horizontal=True) if len(table) else None
    return make_chart("assessment_ranking", "乡镇考核", "乡镇考核_总分排名", figure, table,
                      None if len(table) else "没有下达目标的乡镇，无法评分。")
