"""A chart of the dashboard: a figure paired with its table, named for files, and the region and month
it speaks of — what the pages draw and what the exports write, so a chart in a report is the chart on
the screen."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from ipmetrics.charts import theme
from ipmetrics.core import periods


@dataclass(frozen=True)
class Where:
    """The region and month a chart speaks of, and whether the data are the sample."""

    region: str
    region_name: str
    as_of: pd.Period
    sample: bool = False

    def subtitle(self, unit: str) -> str:
        return f"{self.region_name} · {periods.month_end_label(self.as_of)} · 单位：{unit}"

    def source(self, text: str) -> str:
        return theme.source_line(text, self.sample)


@dataclass(frozen=True)
class Chart:
    key: str                      # stable id, e.g. "tm_monthly"
    area: str                     # 目标, 商标, 专利 … (the workbook sheet and the export folder)
    name: str                     # what it shows, for file names: "商标注册总量_趋势"
    figure: go.Figure | None      # None when there is nothing to draw
    table: pd.DataFrame
    empty: str | None = None      # the sentence shown instead of an empty axis

    def file_stem(self, where: Where, county: str | None = None) -> str:
        region = "" if where.region == county else f"{where.region_name}_"
        return f"{where.as_of}_{region}{self.name}"


def make_chart(key: str, area: str, name: str, figure, table: pd.DataFrame, empty: str | None = None) -> Chart:
    return Chart(key, area, name, None if empty else figure, table, empty)
