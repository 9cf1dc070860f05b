"""What a meeting briefing holds, independent of how it is written out (docx, pdf, pptx).

`ipmetrics.briefing` fills it from a frozen snapshot; `ipmetrics.export.documents` writes it.
Everything here is already text: numbers are formatted once, where the snapshot is read.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


@dataclass(frozen=True)
class ChartImages:
    """A briefing chart in the three forms its documents place."""

    png: bytes    # for print: 16 cm wide at 300 dpi (Word)
    svg: bytes    # vector (the PDF: sharp at any zoom, its text searchable, and printed far faster than a PNG)
    slide: bytes  # drawn for the PPT's chart box (text at 14 pt or more as projected)


@dataclass(frozen=True)
class BriefingChart:
    title: str          # e.g. "商标注册总量"
    png: bytes | None   # the chart rendered at print quality; None when it could not be rendered
    caption: str        # one line under the chart, e.g. "图1 商标注册总量（截至2025年12月底）"
    svg: bytes | None = None  # the same chart as vector graphics, for the PDF (the PNG stands in without it)


@dataclass(frozen=True)
class GoalSlide:
    """One goal on one slide for the meeting room projector."""

    goal_id: str
    title: str                # goal name, e.g. "商标注册总量"
    status: str               # status id: achieved | on_track | at_risk | off_track | no_data | no_target
    status_label: str         # Chinese status, e.g. "滞后"
    figures: list[tuple[str, str]]   # (label, formatted value) pairs: 当前值, 目标, 完成率, 较上月, 预计2030年
    sentence: str             # the narrative sentence on this goal
    chart: BriefingChart | None
    actions: list[str] = field(default_factory=list)  # open action items on this goal, one line each


@dataclass(frozen=True)
class Briefing:
    title: str                # "罗山县知识产权工作目标进展简报"
    subtitle: str             # "截至2025年12月底 · 2025年12月快照第1版"
    date_line: str            # "2026年1月5日" (the day the briefing was made)
    region_name: str
    month: pd.Period
    sample: bool              # sample data: every output says so
    narrative: list[str]      # paragraphs, generated from the snapshot's figures
    goals: pd.DataFrame       # all goals, formatted text columns, behind schedule first
    goal_statuses: list[str]  # status id per row of `goals` (for colouring the 状态 cell)
    changes: pd.DataFrame     # comparison with the previous snapshot (may be empty)
    brands: pd.DataFrame      # the named brands and their status (may be empty)
    actions: pd.DataFrame     # action items carried into this meeting (may be empty)
    charts: list[BriefingChart]
    slides: list[GoalSlide]
    footer: str               # source and provenance line: snapshot id, who froze it, data hash
    # The goals' themes as row headings of the goals table, in its order: (theme, how many rows it heads);
    # empty when the goal file has one theme or none.
    goal_groups: tuple[tuple[str, int], ...] = ()
    # The action items' row headings in the same way (指标督办事项, 会议决定事项); empty when no item is a
    # meeting decision.
    action_groups: tuple[tuple[str, int], ...] = ()
    # 任务落实 (政策全景's parts, the tasks behind schedule, the units that did not report); all empty when
    # the plan declares no articles and the snapshot froze no tasks.
    policy_parts: pd.DataFrame = field(default_factory=pd.DataFrame)
    tasks_behind: pd.DataFrame = field(default_factory=pd.DataFrame)
    units_unreported: pd.DataFrame = field(default_factory=pd.DataFrame)
    task_note: str | None = None   # the period the reports were chased for, or why there are no tasks
    tasks_frozen: bool = False     # whether the snapshot froze the tasks' standing
    # Each goal's chart drawn for the PPT's chart box (text ≥ 14 pt projected), by goal id; empty when not
    # drawn (the slides then scale the print chart).
    slide_charts: dict[str, bytes] = field(default_factory=dict)

    @property
    def file_stem(self) -> str:
        return briefing_stem(self.month, self.region_name)


def briefing_stem(month: pd.Period, region_name: str) -> str:
    """The briefing files' name without extension, e.g. 2025-12_罗山县_知识产权工作简报."""
    return f"{month}_{region_name}_知识产权工作简报"


STATUS_COLOURS = {
    # text colour of a status cell: readable in greyscale print as well (dark vs mid vs light)
    "achieved": "1B7F3B", "on_track": "1F5FA8", "at_risk": "B86E00", "off_track": "B3261E",
    "no_data": "6B6B6B", "no_target": "6B6B6B",
}
