"""One Excel workbook per month: each table of the dashboard on a sheet of its own, formatted and set up to
print (io.workbooks.write_table: frozen header repeated on every page, landscape one page wide, counts as
integers, each indicator with its own decimals, months as dates), and no text Excel would run as a formula."""

from __future__ import annotations

import io

import pandas as pd
from openpyxl import Workbook

from ipmetrics.charts.month import Month
from ipmetrics.core import periods
from ipmetrics.core.goals import Registry
from ipmetrics.io.workbooks import add_table_sheet, sheet_title
from ipmetrics.themes import assessment

GOAL_COLUMN = "指标"


def goal_decimals(frame: pd.DataFrame, registry: Registry) -> list[int | None] | None:
    """Per row, the decimals of the goal the row is about (a table with a 指标 column naming goals), so a
    count reads 4,653 and a ratio 0.76 in the same column; None for other tables."""
    if GOAL_COLUMN not in frame.columns:
        return None
    by_label = {}
    for goal in registry.goals:
        by_label[goal.name_zh] = by_label[goal.label] = goal.decimals
    return [by_label.get(str(name)) for name in frame[GOAL_COLUMN]]


def month_workbook(month: Month) -> bytes:
    """The month's tables (goal progress, every chart's table and the named lists), one table per sheet:
    an area's first table under the area's name, the others under the area's name and their caption."""
    where = month.where
    workbook = Workbook()
    workbook.remove(workbook.active)
    heading = f"{where.region_name} · {periods.month_end_label(where.as_of)}" + ("（示例数据）" if where.sample else "")
    for area, tables in month.tables.items():
        for number, (caption, frame) in enumerate(tables):
            title = area if number == 0 else sheet_title(workbook, f"{area}·{caption}")
            add_table_sheet(workbook, title, caption, frame, heading=f"{heading} · {title}",
                            row_decimals=goal_decimals(frame, month.registry))
    workbook.properties.title = f"{month.registry.dashboard_title} {where.as_of} {where.region_name}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def assessment_workbook(result: assessment.Results, registry: Registry, as_of: pd.Period | str,
                        sample: bool = False) -> bytes:
    """The year's township assessment on one sheet, ready to print: a title row with the assessment and the
    month, the rule under it, the table (numbers as numbers, Chinese headers), landscape and one page wide."""
    title = registry.assessment.title if registry.assessment else "乡镇考核"
    heading = f"{title}（{periods.month_end_label(pd.Period(as_of, freq='M'))}）" + ("（示例数据）" if sample else "")
    table = assessment.display_table(result, registry) if result.scored else assessment.values_table(result, registry)
    workbook = Workbook()
    workbook.remove(workbook.active)
    add_table_sheet(workbook, "乡镇考核", assessment.rule_text(registry), table, heading=heading)
    workbook.properties.title = heading
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
