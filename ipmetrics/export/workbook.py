"""One Excel workbook per month: a sheet per area of the dashboard, each table formatted (bold frozen
header, number formats, column widths) and no text that Excel would run as a formula."""

from __future__ import annotations

import io

import pandas as pd
from openpyxl import Workbook
from openpyxl.worksheet.properties import PageSetupProperties

from ipmetrics.charts.month import Month
from ipmetrics.core import periods
from ipmetrics.core.goals import Registry
from ipmetrics.io.workbooks import add_tables_sheet
from ipmetrics.themes import assessment


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


def assessment_workbook(result: assessment.Results, registry: Registry, as_of: pd.Period | str,
                        sample: bool = False) -> bytes:
    """The year's township assessment on one sheet, ready to print: a title row with the assessment and the
    month, the rule under it, the table (numbers as numbers, Chinese headers), landscape and one page wide."""
    title = registry.assessment.title if registry.assessment else "乡镇考核"
    heading = f"{title}（{periods.month_end_label(pd.Period(as_of, freq='M'))}）" + ("（示例数据）" if sample else "")
    table = assessment.display_table(result, registry) if result.scored else assessment.values_table(result, registry)
    workbook = Workbook()
    workbook.remove(workbook.active)
    add_tables_sheet(workbook, "乡镇考核", [(assessment.rule_text(registry), table)], heading=heading)
    sheet = workbook["乡镇考核"]
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_title_rows = "4:4"  # the header repeats on every printed page
    workbook.properties.title = heading
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
