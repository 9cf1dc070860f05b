"""Import templates: one xlsx per kind, with a Chinese header row to fill in, a sheet explaining each
column (required or not, format, allowed values, example) and an example row.

Everything a template says about a column comes from the column's declaration in schemas.py; only the
region's own words (its industries and goal ids, from the goal file) are passed in by the caller.
"""

from __future__ import annotations

import io
import types
import typing
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
from openpyxl import Workbook

from ipmetrics.io.schemas import GOAL_IDS, INDUSTRIES, KINDS, REGION_CODE, Kind, column_markers
from ipmetrics.io.workbooks import add_sheet


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


def _example_and_meaning(kind: Kind, column: str, industries: Sequence[str] | None,
                         goal_ids: Sequence[str] | None) -> tuple[str, str]:
    """The column's example and description; a column of the region's industries names them, and a column
    of goal ids takes one as its example, when the caller gives them."""
    field = kind.model.model_fields[column]
    example = field.examples[0] if field.examples else ""
    meaning = field.description or ""
    markers = column_markers(field)
    if industries and INDUSTRIES in markers:
        example = example or industries[0]
        meaning += "，如 " + "、".join(industries)
    if goal_ids and GOAL_IDS in markers:
        example = example or goal_ids[0]
    return example, meaning


def explanation(kind: Kind, industries: Sequence[str] | None = None,
                goal_ids: Sequence[str] | None = None) -> pd.DataFrame:
    rows = []
    for column in kind.columns:
        fmt, allowed = _format(kind, column)
        example, meaning = _example_and_meaning(kind, column, industries, goal_ids)
        rows.append({"列名": kind.labels[column], "英文列名": column,
                     "必填": "是" if column in kind.required else "否", "格式": fmt, "允许的值": allowed,
                     "示例": example, "说明": meaning})
    return pd.DataFrame(rows)


def template_workbook(kind_name: str, industries: Sequence[str] | None = None,
                      goal_ids: Sequence[str] | None = None) -> bytes:
    """The kind's template; `industries` (the goal file's list) are named in the industry column's notes,
    and a goal-id column's example is the first of `goal_ids` (the goal file's)."""
    kind = KINDS[kind_name]
    notes = explanation(kind, industries, goal_ids)
    workbook = Workbook()
    workbook.remove(workbook.active)
    add_sheet(workbook, "数据", pd.DataFrame(columns=[kind.labels[c] for c in kind.columns]))
    add_sheet(workbook, "说明", notes, wrap=True)
    add_sheet(workbook, "示例", pd.DataFrame([list(notes["示例"])], columns=list(notes["列名"])))
    workbook.properties.title = f"ipmetrics 导入模板：{kind.title}（{kind.name}）"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_name(kind_name: str) -> str:
    return f"{kind_name}_{KINDS[kind_name].title}_导入模板.xlsx"


def write_templates(directory: Path | str, industries: Sequence[str] | None = None,
                    goal_ids: Sequence[str] | None = None) -> list[Path]:
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for kind_name in KINDS:
        path = directory / template_name(kind_name)
        path.write_bytes(template_workbook(kind_name, industries, goal_ids))
        paths.append(path)
    return paths
