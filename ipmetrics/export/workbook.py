"""One Excel workbook per month: a sheet per area of the dashboard, each table formatted (bold frozen
header, number formats, column widths) and no text that Excel would run as a formula."""

from __future__ import annotations

import io

from openpyxl import Workbook

from ipmetrics.charts.month import Month
from ipmetrics.core import periods
from ipmetrics.io.workbooks import add_tables_sheet


def month_workbook(month: Month) -> bytes:
    """The month's tables (goal progress, every chart's table and the named lists), one sheet per area."""
    where = month.where
    workbook = Workbook()
    workbook.remove(workbook.active)
    heading = f"{where.region_name} · {periods.month_end_label(where.as_of)}" + ("（示例数据）" if where.sample else "")
    for area, tables in month.tables.items():
        add_tables_sheet(workbook, area, tables, heading=f"{heading} · {area}")
    workbook.properties.title = f"{month.registry.dashboard_title} {where.as_of} {where.region_name}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
