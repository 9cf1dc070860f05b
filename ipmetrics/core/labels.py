"""The words the dashboard uses, in one place (Chinese first), so wording stays consistent."""

from __future__ import annotations

import re

from ipmetrics.core.progress import Status

STATUS_LABEL = {
    Status.ACHIEVED: "已达成",
    Status.ON_TRACK: "正常",
    Status.AT_RISK: "预警",
    Status.OFF_TRACK: "滞后",
    Status.NO_DATA: "无数据",
    Status.NO_TARGET: "无分解目标",
}
# What a status is called for an indicator of one kind: no target at all is a monitoring indicator, and a
# figure an office has not reported for the period is 未上报 rather than missing data.
MONITORING_LABEL = "监测指标"
NOT_REPORTED_LABEL = "未上报"


def status_label(status: Status, goal=None) -> str:
    """The status's name for `goal` (an ipmetrics.core.goals.Goal), or the general name without one."""
    status = Status(status)
    if goal is not None and status is Status.NO_TARGET and goal.monitoring:
        return MONITORING_LABEL
    if goal is not None and status is Status.NO_DATA and goal.reported_only:
        return NOT_REPORTED_LABEL
    return STATUS_LABEL[status]


# The direction of an indicator's figures over its trend window (scorecard.GoalCard.trend).
TREND_LABEL = {"rising": "上升", "flat": "平稳", "falling": "下降"}
TREND_ARROW = {"rising": "↗", "flat": "→", "falling": "↘"}

# Colours of st.badge.
STATUS_BADGE = {
    Status.ACHIEVED: "green", Status.ON_TRACK: "blue", Status.AT_RISK: "orange",
    Status.OFF_TRACK: "red", Status.NO_DATA: "gray", Status.NO_TARGET: "gray",
}


def _share(ratio: float) -> str:
    return f"{ratio * 100:g}%"


def status_texts(method, target_year: int | None = None, whole: str = "全县",
                 below: str = "乡镇（街道）", window: str | None = None) -> dict[Status, str]:
    """What each status means, with the cut-offs and the projection window of the goal file's [method]
    (`method`: its on_track, at_risk and projection_months) and the year the goals are due (None when they
    are due in different years). `whole` names the area a total target covers (全县, 全市 …), `below` the
    regions it is not broken down to; `window` the trend's window in words when it is not months alone
    (近12个月（季度指标近8个季度、年度指标近5年）)."""
    trend = f"按{window or f'近{method.projection_months}个月'}趋势"
    due = f"{target_year}年底" if target_year else "目标期末"
    return {
        Status.ACHIEVED: f"当前值已达到{f'{target_year}年' if target_year else ''}目标",
        # The anticipated-progress ratio is the share of the distance from the baseline to the target that
        # the trend covers by the due date, not a share of the target itself: the words say so.
        Status.ON_TRACK: f"{trend}，预计{due}能补上基期与目标之间差距的{_share(method.on_track)}以上"
                         f"（预期进度比 ≥ {method.on_track:g}），基本可以完成",
        Status.AT_RISK: f"{trend}，预计{due}只能补上基期与目标之间差距的{_share(method.at_risk)}–"
                        f"{_share(method.on_track)}，需加快",
        Status.OFF_TRACK: f"{trend}，预计{due}补不上基期与目标之间差距的{_share(method.at_risk)}（含停滞或倒退）",
        Status.NO_DATA: "该期没有可用数据（上报类指标为本期未上报）",
        Status.NO_TARGET: f"监测指标不设目标值；{below}只对照{whole}下达给它的目标（乡镇目标），未下达的指标无分解目标",
    }


def sample_banner(region_name: str) -> str:
    return (f"**示例数据**：当前展示的是按公开资料规模生成的示例数据，仅用于演示，不是{plain(region_name)}的真实统计。"
            "真实数据请由统计人员导入。")


SOURCE_LABEL = {"derived": "由明细记录计算", "reported": "上报数值", "none": "无数据"}


# Inline markdown syntax, LaTeX ($), Streamlit directives (:red[…], :material/…:) and HTML tags; what
# only means something at the start of a line (# - + 1.) cannot occur once newlines are gone.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|<>~$:])")


def plain(text) -> str:
    """Text from users or files, made safe to show inside Streamlit markdown, as typed, on one line."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def compact_number(value, sign: bool = False) -> str:
    """A figure of any size for tables and bar labels: 1,229.2, 95.52, 0.0775 — decimals by size, no
    trailing zeros; "—" when there is none."""
    if value is None or value != value:  # None or NaN
        return "—"
    size = abs(value)
    decimals = 1 if size >= 100 else 2 if size >= 1 else 4
    text = f"{value:{'+' if sign and value else ''},.{decimals}f}"
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return "0" if text in ("-0", "+0") else text



MARK_TYPE_LABEL = {"ordinary": "普通商标", "collective": "集体商标", "certification": "证明商标"}
PATENT_TYPE_LABEL = {"invention": "发明", "utility_model": "实用新型", "design": "外观设计"}
YES_NO = {True: "是", False: "否"}
