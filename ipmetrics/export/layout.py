"""What the briefing documents share: the sections in order, tables with status colours, and column
widths fitted to Chinese text. Every writer (word, slides, pdf) takes a `Briefing`, whose fields are
already formatted text; nothing here reads the database or Streamlit."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import pandas as pd

from ipmetrics.core.policy import chinese_number
from ipmetrics.meeting.briefing_model import STATUS_COLOURS, Briefing, BriefingChart

SAMPLE_NOTICE = "示例数据（仅用于演示）"
NO_CHANGES = "无上次快照可比。"
NO_BRANDS = "没有列入培育计划的品牌。"
NO_ACTIONS = "当前没有督办事项。"
NO_TASKS_BEHIND = "没有逾期或报“滞后”的任务。"
CHART_MISSING = "（图表未能生成）"
STATUS_COLUMN = "状态"
CELL_PADDING = 0.9  # full-width characters: the cell margins (about 0.1 cm, 3 pt each side), a border and a margin for rounding
GREY = "6B6B6B"
SAMPLE_RED = "B3261E"
HEADER_FILL = "D9D9D9"
GROUP_FILL = "F2F2F2"  # a row heading a group of rows (a theme): lighter than the header
# Type sizes in points: 小四 body, 五号 tables, 小二 title, 四号 headings, 小五 notes.
BODY_PT, TABLE_PT, TITLE_PT, HEADING_PT, SMALL_PT = 12, 10.5, 18, 14, 9


# --- what the docx and the HTML page both say, in order ----------------------------------------------
@dataclass(frozen=True)
class Table:
    frame: pd.DataFrame
    statuses: list[str] | None = None  # status id per row: colours that row's 状态 cell
    groups: tuple[tuple[str, int], ...] = ()  # row headings (a theme, say) and how many rows each heads

    def body(self) -> list[tuple[str | None, int | None]]:
        """The table's body in order: (heading, None) for a group heading spanning the table, (None, i)
        for row i of the frame."""
        if not self.groups:
            return [(None, i) for i in range(len(self.frame))]
        rows, start = [], 0
        for heading, count in self.groups:
            rows += [(heading, None)] + [(None, i) for i in range(start, start + count)]
            start += count
        return rows


Block = str | Table | BriefingChart


def sections(b: Briefing) -> list[tuple[str, list[Block]]]:
    """Headings and their content; an empty table becomes the sentence saying so."""
    def table_or(frame: pd.DataFrame, empty: str) -> list[Block]:
        return [Table(frame)] if not frame.empty else [empty]

    sections: list[tuple[str, list[Block]]] = [
        ("总体情况", list(b.narrative)),
        ("各项目标进展", [Table(b.goals, list(b.goal_statuses), b.goal_groups)]),
        ("与上次快照相比", table_or(b.changes, NO_CHANGES)),
        ("品牌培育", table_or(b.brands, NO_BRANDS)),
        ("督办事项", [Table(b.actions, groups=b.action_groups)] if not b.actions.empty else [NO_ACTIONS]),
    ]
    if not (b.policy_parts.empty and b.tasks_behind.empty and b.units_unreported.empty and b.task_note is None):
        sections.append(("任务落实", task_blocks(b)))
    if b.charts:
        sections.append(("主要图表", list(b.charts)))
    return [(f"{chinese_number(n)}、{heading}", blocks) for n, (heading, blocks) in enumerate(sections, start=1)]


def task_blocks(b: Briefing) -> list[Block]:
    """The 任务落实 section: the policy's parts at a glance, the tasks behind schedule, the units that did
    not report (each table under a line saying what it is)."""
    blocks: list[Block] = [b.task_note] if b.task_note else []
    if not b.policy_parts.empty:
        blocks += ["政策各部分推进情况（条款按“需关注、待汇报、推进中、未跟踪”判断，规则见政策全景页）：",
                   Table(b.policy_parts)]
    if not b.tasks_behind.empty:
        blocks += ["逾期或报“滞后”的任务：", Table(b.tasks_behind)]
    elif b.tasks_frozen:
        blocks.append(NO_TASKS_BEHIND)
    if not b.units_unreported.empty:
        blocks += ["本期未汇报进展的牵头单位：", Table(b.units_unreported)]
    return blocks


def cell_text(value) -> str:
    """A cell as text: the frames hold strings, but a missing value must not print as 'nan'."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value)


# A figure as the briefing writes it: a comparator or sign, digits with separators and decimals, then a
# short unit (4,594 件, ≥ 5,000 件, 91.9%, +33, 0.76 件/万人, 1172.2%).
_FIGURE = re.compile(r"^[≥≤><+\-−]?\s*\d[\d,]*(\.\d+)?\s*(%|[^\d\s]{1,6})?$")
NO_FIGURE = ("", "—", "-")


def numeric_columns(frame: pd.DataFrame) -> list[bool]:
    """Which columns hold figures (every cell a figure or a dash, at least one figure): those are
    right-aligned, so the digits line up."""
    flags = []
    for column in frame.columns:
        cells = [cell_text(v).strip() for v in frame[column]]
        figures = [c for c in cells if c not in NO_FIGURE]
        flags.append(bool(figures) and all(_FIGURE.match(c) for c in figures))
    return flags


def status_colour(table: Table, row: int, column: str) -> str | None:
    if table.statuses is None or column != STATUS_COLUMN or row >= len(table.statuses):
        return None
    return STATUS_COLOURS.get(table.statuses[row])


# '%' runs as wide as a capital (0.83–0.89 em in Liberation and Arial): "12.4%" counted at 0.55 a character
# wrapped its % onto a second line in LibreOffice.
LATIN_WIDTHS = {"%": 0.9}


def text_width(text: str) -> float:
    """Width in full-width characters: a CJK character counts as 1, Latin as about half."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else LATIN_WIDTHS.get(ch, 0.55) for ch in text)


def _longest_cell(frame: pd.DataFrame, column) -> float:
    return max((text_width(cell_text(v)) for v in frame[column]), default=0.0)


def column_fractions(frame: pd.DataFrame, room: float) -> list[float]:
    """Each column's share of the table width, `room` being how many full-width characters fit across.
    A column asks for its longest cell (its header may wrap onto two lines); when the asks exceed the
    room, the widest columns give way and wrap, so names wrap and figures keep to one line."""
    needs = [max(0.6 * text_width(cell_text(c)), _longest_cell(frame, c), 2.0) + CELL_PADDING for c in frame.columns]
    if sum(needs) > room:
        used, ordered = 0.0, sorted(needs)
        for i, need in enumerate(ordered):
            level = (room - used) / (len(ordered) - i)
            if need >= level:
                needs = [min(n, level) for n in needs]
                break
            used += need
    return [n / sum(needs) for n in needs]

