"""Import templates: one xlsx per kind, with a Chinese header row to fill in, a sheet explaining each
column (required or not, format, allowed values, example) and an example row.

Everything a template says about a column comes from the column's declaration in schemas.py; only the
region's own words (its industries, goal ids and indicators, from the goal file) are passed in by the caller.
The template of reported figures lists the indicators in a sheet of its own (指标清单): how often each is
counted, so how its period is written, its unit and the office that reports it.
"""

from __future__ import annotations

import io
import types
import typing
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook

from ipmetrics.core.periods import FREQUENCY_LABEL
from ipmetrics.io.schemas import (
    EXAMPLE_PERIOD,
    GOAL_IDS,
    INDUSTRIES,
    KINDS,
    PERIOD_SPELLINGS,
    REGION_CODE,
    Kind,
    column_markers,
)
from ipmetrics.io.workbooks import add_sheet

INDICATOR_SHEET = "指标清单"


@dataclass(frozen=True)
class ReportedIndicator:
    """An indicator figures may be reported for, as the reported template lists it."""

    id: str
    name: str
    frequency: str            # 'month' | 'quarter' | 'year'
    unit: str
    reported_by: str | None   # the office that reports it
    reported_only: bool       # no computation from records: what is reported is its only value

    @classmethod
    def of(cls, goal: Any) -> "ReportedIndicator":
        """From a goal of the goal file (ipmetrics.core.goals.Goal, read by its attributes)."""
        return cls(goal.id, goal.name_zh, goal.frequency, goal.unit, goal.reported_by, goal.reported_only)


def reporting_order(indicators: Sequence[ReportedIndicator]) -> list[ReportedIndicator]:
    """The indicators only reported first (their figures are their only values), then those a report
    overrides (counted from records otherwise), each group in the goal file's order."""
    return sorted(indicators, key=lambda indicator: not indicator.reported_only)


def indicator_sheet(indicators: Sequence[ReportedIndicator]) -> pd.DataFrame:
    """The 指标清单 sheet: which ids the 指标 column takes, and how each one's period is written."""
    rows = [[i.id, i.name, FREQUENCY_LABEL[i.frequency], PERIOD_SPELLINGS[i.frequency], i.unit, i.reported_by or "",
             "仅来自上报" if i.reported_only else "由明细记录计算；上报的数值优先"]
            for i in reporting_order(indicators)]
    return pd.DataFrame(rows, columns=["指标", "名称", "统计频率", "期间写法", "单位", "上报单位", "数值来源"])


def _format(kind: Kind, column: str) -> tuple[str, str]:
    """(format, allowed values) of a column, read from its schema."""
    field = kind.model.model_fields[column]
    base = field.annotation
    if typing.get_origin(base) in (typing.Union, types.UnionType):  # Optional[...]
        base = next(a for a in typing.get_args(base) if a is not type(None))
    if typing.get_origin(base) is typing.Annotated:  # Whole, Amount, Day, Month
        base = typing.get_args(base)[0]
    if typing.get_origin(base) is typing.Literal:
        return "文本（限定取值）", "、".join(typing.get_args(base))
    dated = kind.dated(column)
    if dated is not None:
        return dated.format, ""
    if base is bool:
        return "是/否（或 true/false）", "是、否"
    if base is int:
        return "整数", ""
    if base is float:
        return "数值（可带小数）", ""
    if any(getattr(m, "pattern", None) == REGION_CODE for m in field.metadata):
        return "区划代码（数字）", ""
    return "文本", ""


def _example_and_meaning(kind: Kind, column: str, industries: Sequence[str] | None, goal_ids: Sequence[str] | None,
                         indicators: Sequence[ReportedIndicator] | None) -> tuple[str, str]:
    """The column's example and description; a column of the region's industries names them, and a column
    of goal ids takes one as its example, when the caller gives them. A kind with a period column, given the
    indicators, takes the first one listed (see reporting_order) and a period of its frequency."""
    field = kind.model.model_fields[column]
    example = field.examples[0] if field.examples else ""
    meaning = field.description or ""
    markers = column_markers(field)
    if industries and INDUSTRIES in markers:
        example = example or industries[0]
        meaning += "，如 " + "、".join(industries)
    listed = reporting_order(indicators)[0] if indicators and kind.period_columns else None
    if GOAL_IDS in markers and listed is not None:
        example = listed.id
        meaning = f"目标 id：可填的指标及其统计频率、期间写法见“{INDICATOR_SHEET}”工作表"
    elif goal_ids and GOAL_IDS in markers:
        example = example or goal_ids[0]
    if listed is not None and column == kind.period_columns[0]:
        example = EXAMPLE_PERIOD[listed.frequency]
    return example, meaning


def explanation(kind: Kind, industries: Sequence[str] | None = None, goal_ids: Sequence[str] | None = None,
                indicators: Sequence[ReportedIndicator] | None = None) -> pd.DataFrame:
    rows = []
    for column in kind.columns:
        fmt, allowed = _format(kind, column)
        example, meaning = _example_and_meaning(kind, column, industries, goal_ids, indicators)
        rows.append({"列名": kind.labels[column], "英文列名": column,
                     "必填": "是" if column in kind.required else "否", "格式": fmt, "允许的值": allowed,
                     "示例": example, "说明": meaning})
    return pd.DataFrame(rows)


def template_workbook(kind_name: str, industries: Sequence[str] | None = None,
                      goal_ids: Sequence[str] | None = None,
                      indicators: Sequence[ReportedIndicator] | None = None) -> bytes:
    """The kind's template; `industries` (the goal file's list) are named in the industry column's notes,
    and a goal-id column's example is the first of `goal_ids` (the goal file's). The template of reported
    figures lists `indicators` (the goal file's) in a sheet of its own, and its example row is a figure for
    the first of them listed, in a period of its frequency."""
    kind = KINDS[kind_name]
    notes = explanation(kind, industries, goal_ids, indicators)
    workbook = Workbook()
    workbook.remove(workbook.active)
    add_sheet(workbook, "数据", pd.DataFrame(columns=[kind.labels[c] for c in kind.columns]))
    add_sheet(workbook, "说明", notes, wrap=True)
    add_sheet(workbook, "示例", pd.DataFrame([list(notes["示例"])], columns=list(notes["列名"])))
    if indicators and kind.period_columns:
        add_sheet(workbook, INDICATOR_SHEET, indicator_sheet(indicators), wrap=True)
    workbook.properties.title = f"ipmetrics 导入模板：{kind.title}（{kind.name}）"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_name(kind_name: str) -> str:
    return f"{kind_name}_{KINDS[kind_name].title}_导入模板.xlsx"


def write_templates(directory: Path | str, industries: Sequence[str] | None = None,
                    goal_ids: Sequence[str] | None = None,
                    indicators: Sequence[ReportedIndicator] | None = None) -> list[Path]:
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for kind_name in KINDS:
        path = directory / template_name(kind_name)
        path.write_bytes(template_workbook(kind_name, industries, goal_ids, indicators))
        paths.append(path)
    return paths
