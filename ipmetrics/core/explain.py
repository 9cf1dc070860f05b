"""A goal's status in words, with the goal's own numbers (issue 16): a short line for the overview card, a
sentence for the detail page and the briefing, and the whole computation behind the status as a table.

Every figure is read from the card (live, or rebuilt from a snapshot), so the words and the numbers agree:
"按近12个月的速度（平均每月 +24.6 件），2030年底预计 4,440 件，为目标的 89%，可补上基期与目标之间差距的
86%" for a goal on the line; "还差 1 家，在途 1 家（…）；自基期以来平均每月 +0.03 家…" for a small count goal.
"""

from __future__ import annotations

import pandas as pd

from ipmetrics.core import labels, outlook, periods
from ipmetrics.core.progress import Status
from ipmetrics.core.scorecard import GoalCard

_VERDICT = {Status.ON_TRACK: "基本可以完成", Status.AT_RISK: "需加快", Status.OFF_TRACK: "明显落后，需采取措施"}


def due_text(card: GoalCard) -> str:
    """2030年底, 2026年第四季度末: when the card's target is due."""
    due = card.target_period
    if due is None:
        return "目标期末"
    last = periods.end_month(due)
    return f"{last.year}年底" if last.month == 12 else f"{periods.month_label(last)}底"


def _figure(card: GoalCard, text: str) -> str:
    """A figure with its unit: 4,440 件, 95.0%."""
    unit = card.goal.unit
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"


def _share(ratio: float | None) -> str:
    return "—" if ratio is None else f"{ratio * 100:.0f}%"


def _signed(card: GoalCard, value: float | None) -> str:
    if value is None:
        return "—"
    text = card.goal.format_value(abs(value), extra_decimals=2)
    return f"{'+' if value >= 0 else '−'}{text}"


def _per_year(card: GoalCard, rate: float) -> float:
    """A rate per period of the card's frequency, per year."""
    return rate * (12 // periods.MONTHS_PER_PERIOD[card.frequency])


def pace_text(card: GoalCard) -> str | None:
    """按近12个月的速度（平均每月 +24.6 件）, 按自基期以来的速度（平均每年 +0.17 家: a small count's rate
    per year, since a few events a decade read as 0.01 a month）."""
    p = card.progress
    if p.pace is None:
        return None
    if p.method == "events":
        return f"按自基期以来的速度（平均每年 {_figure(card, _signed(card, _per_year(card, p.pace)))}）"
    word = periods.PERIOD_WORD[card.frequency]
    return f"按{card.window_text}的速度（平均每{word} {_figure(card, _signed(card, p.pace))}）"


def pipeline_text(card: GoalCard) -> str | None:
    """还差 1 家，在途 2 家（罗山石山口鱼、罗山渔稻米） for a small count goal; None for others."""
    p = card.progress
    if p.method != "events" or p.value is None or p.target is None or p.status is Status.ACHIEVED:
        return None
    return outlook.pipeline_phrase(outlook.missing_units(p.value, p.target, p.comparator), p.pipeline,
                                   card.goal.unit, space=" ")


def likelihood_sentence(card: GoalCard) -> str | None:
    text = outlook.likelihood_text(card.likelihood)
    return None if text is None else f"达成可能性 {text}"


def _projection_clause(card: GoalCard) -> str:
    """2030年底预计 4,440 件，为目标的 89%, or for a goal going down, 预计降至 …"""
    goal, p = card.goal, card.progress
    figure = _figure(card, goal.format_estimate(p.projection))
    if goal.increasing:
        share = f"，为目标的{_share(p.projection / p.target)}" if p.target else ""
        return f"{due_text(card)}预计 {figure}{share}"
    return f"{due_text(card)}预计为 {figure}（目标{card.target_text()}）"


def card_line(card: GoalCard) -> str | None:
    """The overview card's line under the progress bar: the projection against the target, or the gap and
    the pipeline for a small count goal; None for a card without a target."""
    p = card.progress
    if p.target is None or p.value is None:
        return None
    if p.status is Status.ACHIEVED:
        return f"已达到目标（当前 {_figure(card, card.goal.format_value(p.value))}）"
    if p.projection is None:
        return None
    projection = _projection_clause(card)
    pipeline = pipeline_text(card)
    return f"{pipeline}；{projection}" if pipeline else f"按{card.window_text}速度，{projection}"


def status_sentence(card: GoalCard) -> str:
    """What the status means with the goal's own numbers, in one or two sentences."""
    goal, p = card.goal, card.progress
    status = labels.status_label(p.status, goal)
    if p.value is None:
        return f"{card.period_label}{'尚未上报' if goal.reported_only else '没有数据'}，无法判断（{status}）。"
    if p.target is None:
        return ("监测指标，不设目标值，看数值、变化和趋势。" if goal.monitoring
                else "本地区未下达分解目标，只列数值。")
    if p.status is Status.ACHIEVED:
        return (f"当前 {_figure(card, goal.format_value(p.value))}，已达到{card.target_year}年目标（{card.target_text()}）。"
                + (f"{likelihood_sentence(card)}（到期时仍达标的可能性）。" if card.likelihood is not None
                   and card.likelihood < 0.99 else ""))
    parts = []
    pipeline = pipeline_text(card)
    if pipeline:
        parts.append(pipeline)
    pace = pace_text(card)
    if pace and p.projection is not None:
        parts.append(f"{pace}，{_projection_clause(card)}")
    if p.anticipated_progress is not None:
        covered = "可完成应降幅度" if not goal.increasing else "可补上基期与目标之间差距"
        parts.append(f"{covered}的{_share(p.anticipated_progress)}，{_VERDICT.get(p.status, '')}")
    sentence = "；".join(parts) + f"（{status}）。"
    if p.raised_by_pipeline:
        sentence += "按速度本应为滞后，在途候选足以补齐差距，故为预警：需推动其落地。"
    likely = likelihood_sentence(card)
    if likely and p.method == "linear" and card.likelihood is not None and \
            (p.status is Status.ON_TRACK) != (card.likelihood >= 0.5):
        # The status reads the latest window's line, the likelihood a longer history: when they disagree, the
        # recent pace differs from the earlier one, and the meeting should hear it.
        likely += f"；可能性按更长的历史估计，与状态不一致，说明{card.window_text}的速度与此前不同"
    return sentence + (f"{likely}。" if likely else "")


def _row(item: str, value: str, note: str = "") -> dict:
    return {"项目": item, "数值": value, "说明": note}


def computation(card: GoalCard, method) -> pd.DataFrame:
    """The whole computation behind a card's status, step by step (`method`: the goal file's [method], for
    its cut-offs): the detail page shows it so a meeting can check every figure."""
    goal, p = card.goal, card.progress
    unit, fmt, estimate = goal.unit, goal.format_value, goal.format_estimate
    word = periods.PERIOD_WORD[card.frequency]
    rows = []
    if p.baseline is not None:
        base = card.baseline_period
        rows.append(_row("基期值", f"{fmt(p.baseline)} {unit}", periods.period_label(base) if base is not None else ""))
    rows.append(_row("当前值", "—" if p.value is None else f"{fmt(p.value)} {unit}", card.period_label))
    if p.target is None:
        return pd.DataFrame(rows)
    rows.append(_row("目标值", card.target_text(), f"{due_text(card)}前达到"))
    left = None if card.target_period is None else card.target_period.ordinal - card.period.ordinal
    if p.method == "events":
        since = None if card.baseline_period is None else card.period.ordinal - card.baseline_period.ordinal
        rows.append(_row("方法", "小目标：按自基期以来的事件速度",
                         f"目标距基期不超过 {method.small_count_gap:g} {unit}，用长窗口的平均速度，避免一步进出窗口造成状态翻转"))
        per_year = "" if card.frequency == "year" or p.pace is None else \
            f"（每年 {_signed(card, _per_year(card, p.pace))}）"
        rows.append(_row("自基期以来的速度", f"{_signed(card, p.pace)} {unit}/{word}{per_year}",
                         f"（{fmt(p.value)} − {fmt(p.baseline)}）÷ {since} 个{word}" if since else ""))
        rows.append(_row("预计值", f"{estimate(p.projection)} {unit}",
                         f"当前值 + 速度 × 距目标期的 {left} 个{word}" if left is not None else ""))
    else:
        rows.append(_row("方法", f"按{card.window_text}趋势外推", "最小二乘直线"))
        rows.append(_row("趋势斜率", f"{_signed(card, p.pace)} {unit}/{word}", f"{card.window_text}数值的直线"))
        rows.append(_row("预计值", f"{estimate(p.projection)} {unit}", f"直线外推至{due_text(card)}"))
    if p.anticipated_progress is not None:
        rows.append(_row("预期进度比", f"{p.anticipated_progress:.2f}",
                         f"（预计值 − 基期值）÷（目标值 − 基期值）=（{estimate(p.projection)} − {fmt(p.baseline)}）÷"
                         f"（{fmt(p.target)} − {fmt(p.baseline)}）"))
    rows.append(_row("判定规则", f"≥ {method.on_track:g} 正常；{method.at_risk:g}–{method.on_track:g} 预警；"
                     f"< {method.at_risk:g} 滞后", "当前值已达到目标即为已达成"))
    pipeline = pipeline_text(card)
    if pipeline:
        rows.append(_row("在途", pipeline, "在途候选足以补齐差距时，滞后改判为预警" if p.raised_by_pipeline
                         else "在途候选只列名单，不计入预计值"))
    rows.append(_row("状态", labels.status_label(p.status, goal), _VERDICT.get(p.status, "")))
    likely = outlook.likelihood_text(card.likelihood)
    if likely:
        rows.append(_row("达成可能性", likely, likelihood_method(card)))
    return pd.DataFrame(rows)


def likelihood_method(card: GoalCard) -> str:
    """How the card's likelihood was drawn, with the history it learnt from (a frozen card: the method only)."""
    goal, p = card.goal, card.progress
    counts = goal.kind == "count" and goal.increasing
    how = ("新增看作速度未知的泊松过程（负二项预测分布）" if counts
           else f"对各期变化有放回重抽样 {outlook.DRAWS:,} 次，模拟到{due_text(card)}")
    if p.likelihood is not None:  # frozen: the figure is the snapshot's own
        return how
    history = outlook.history_window(card.history_values, card.period, p, card.baseline_period,
                                     card.projection_months)
    if len(history) < 2:
        return how
    first, last = periods.period_label(history.index[0]), periods.period_label(history.index[-1])
    span = history.index[-1].ordinal - history.index[0].ordinal
    word = periods.PERIOD_WORD[card.frequency]
    if counts:
        events = max(round(float(history.iloc[-1] - history.iloc[0])), 0)
        return f"{how}：{first}至{last}共 {span} 个{word}新增 {events} {goal.unit}"
    return f"{how}：取{first}至{last}的 {span} 个变化"
