"""One Excel workbook per month: a sheet per area of the dashboard, each table formatted (bold frozen
header, number formats, column widths) and no text that Excel would run as a formula."""

from __future__ import annotations

import io

import pandas as pd
from openpyxl import Workbook

from ipmetrics.charts.chart import Chart
from ipmetrics.core import labels, periods
from ipmetrics.core.goals import Registry
from ipmetrics.core.measures import load_region_data
from ipmetrics.core.scorecard import scorecard_from_data, status_records
from ipmetrics.core.settings import Settings
from ipmetrics.core.store import Store
from ipmetrics.io.workbooks import add_tables_sheet
from ipmetrics.themes import brands, enterprises, financing, patents, trademarks

AREA_ORDER = ["目标", "商标", "品牌培育", "专利", "质押融资", "企业培育", "奖励测算", "乡镇对比"]


def goal_summary(records: list[dict], registry: Registry) -> pd.DataFrame:
    rows = []
    for r in records:
        goal = registry.goal(r["id"])
        rows.append({
            "指标": goal.name_zh, "单位": goal.unit, "当前值": r["value"],
            "2030年目标": None if r["target"] is None else goal.target_text(),
            "完成率（%）": None if r["completion"] is None else round(r["completion"] * 100, 1),
            "序时进度值": r["expected"], "与序时进度之差": r["gap"], "按趋势预计2030年": r["projection"],
            "预期进度比": r["anticipated_progress"], "状态": labels.STATUS_LABEL[labels.Status(r["status"])],
            "口径": r["definition"],
        })
    frame = pd.DataFrame(rows)
    for column in ("当前值", "序时进度值", "与序时进度之差", "按趋势预计2030年", "预期进度比"):
        frame[column] = frame[column].astype(float).round(3)
    return frame


def month_workbook(store: Store, registry: Registry, settings: Settings, region: str, region_name: str,
                   as_of: pd.Period, sample: bool, charts: list[Chart]) -> bytes:
    """The tables of every chart in `charts`, the goal summary and the named lists, by area."""
    data = load_region_data(store, region)
    cards = scorecard_from_data(data, registry, settings, as_of)
    tables: dict[str, list[tuple[str, pd.DataFrame]]] = {area: [] for area in AREA_ORDER}
    tables["目标"].append(("各项目标进度", goal_summary(status_records(cards), registry)))
    monthly = pd.DataFrame({"月份": [str(m) for m in cards[0].frame.index]})
    for card in cards:
        monthly[f"{card.goal.label}（{card.goal.unit}）"] = card.frame["value"].round(card.goal.decimals + 2).to_numpy()
    tables["目标"].append(("各项目标逐月数值", monthly.iloc[::-1].reset_index(drop=True)))
    for chart in charts:
        if chart.area != "目标":
            tables[chart.area].append((chart.name.split("_", 1)[-1], chart.table))

    marks = trademarks.trademark_view(store, region, as_of)
    tables["商标"] += [("持有有效商标最多的注册人", marks.top_holders), ("地理标志商标", marks.gi),
                     ("中国驰名商标", marks.well_known)]
    tables["品牌培育"].append(("培育品牌清单", brands.brand_table(brands.load_brands(store, region), as_of)))
    tables["专利"].append(("国外授权专利", patents.patent_view(store, region, as_of).abroad))
    since = pd.Period(settings.financing_since, freq="M")
    tables["质押融资"].append(("获得融资的企业", financing.financing_view(store, region, as_of, since).enterprises))
    firms = enterprises.enterprise_view(store, region, as_of)
    tables["企业培育"] += [("国家知识产权优势示范企业", firms.national), ("省知识产权强企", firms.provincial),
                       ("尚未贯标的高新技术、科技型企业", firms.uncertified)]

    workbook = Workbook()
    workbook.remove(workbook.active)
    heading = f"{region_name} · {periods.month_end_label(as_of)}" + ("（示例数据）" if sample else "")
    for area in AREA_ORDER:
        if tables[area]:
            add_tables_sheet(workbook, area, tables[area], heading=f"{heading} · {area}")
    workbook.properties.title = f"罗山县知识产权工作目标监测 {as_of} {region_name}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
