"""指标详情: one goal's values on its own periods (months, quarters or years) against its target, trajectory and
projection; what it counts, where the figures come from and who reports them."""

import streamlit as st

from ipmetrics.core import explain, labels, periods
from ipmetrics.core.progress import linear_projection
from ipmetrics.core.scorecard import monthly_table
from pages.shell import cache, widgets
from pages.shell.sidebar import start_page


def signed(value: float | None, decimals: int) -> str:
    """+49.4, −1.2; 0.0 rather than −0.0 for a flat trend."""
    if value is None:
        return "—"
    text = f"{value:+,.{decimals}f}"
    return text[1:] if float(text.replace(",", "")) == 0 else text


ctx = start_page()
cards = {card.goal.id: card for card in cache.cards(ctx)}
registry = ctx.registry

# The goal file's themes order the choice; a goal is named by its name alone, which links and the address
# carry (?goal=每万人口发明专利拥有量), and its theme is said under the title.
themed = len(registry.themes) > 1
ids = [goal.id for _, goals in registry.themes for goal in goals]
goal_id = st.selectbox("指标", ids, key="goal", bind="query-params", format_func=lambda i: registry.goal(i).name_zh)
card = cards[goal_id]
goal, p = card.goal, card.progress
fmt, estimate = goal.format_value, goal.format_estimate
monthly = card.frequency == "month"
word = periods.PERIOD_WORD[card.frequency]  # 月, 季度, 年
since = {"month": "较上月", "quarter": "较上季度", "year": "较上年"}[card.frequency]
# The date a pace is counted to: 2030年12月 for a monthly goal, 2026年 (or its quarter) otherwise.
# A township's assigned target has its own date (card.target_period).
due = (None if card.target_period is None else periods.month_label(card.target_period) if monthly
       else periods.period_label(card.target_period))
# Whether the file is more than monthly goals counted from records: then every goal says how it is counted.
mixed = any(g.frequency != "month" or g.reported_only for g in registry.goals)

with st.container(horizontal=True, vertical_alignment="center"):
    st.title(goal.name_zh)
    widgets.status_badge(ctx, p.status, goal)
theme = f"{goal.theme or '其他'} · " if themed else ""
st.caption(f"{theme}{ctx.region_name} · {periods.month_end_label(ctx.as_of)} · {registry.policy} {goal.article}")
if mixed:
    source = f"上报数值（上报单位：{goal.reported_by or '未写明'}）" if goal.reported_only else "由明细记录计算"
    shown = "" if monthly else \
        f"，显示{card.period_label}（截至所选月份底已结束的最近一{periods.COUNT_UNIT[card.frequency]}）"
    st.markdown(f"**{goal.frequency_label}指标**{shown} · 数值来源：{source}")

direction = "normal" if goal.increasing else "inverse"  # a fall is progress for a goal to reduce
columns = [*st.columns(3), *st.columns(3)]
value_text = "未上报" if p.value is None and goal.reported_only else f"{fmt(p.value)} {goal.unit}"
columns[0].metric("当前值" if monthly else f"当前值（{card.period_label}）", value_text,
                  delta=None if p.change is None else f"{p.change:+,.{goal.decimals}f}",
                  delta_description=since if p.change is not None else None,
                  delta_color=(direction if not goal.monitoring else "off") if p.change else "off",
                  delta_arrow="auto" if p.change else "off")
if goal.monitoring:
    columns[1].metric("目标", labels.MONITORING_LABEL, help="监测指标不设目标值，只看数值、变化和趋势")
    # The slope of the trend, per period: what 'trend' means for an indicator with no target.
    now = linear_projection(card.frame["value"], card.period, card.period, card.projection_months)
    before = linear_projection(card.frame["value"], card.period, card.period - 1, card.projection_months)
    step = None if now is None or before is None else now - before
    columns[2].metric(f"趋势（{card.window_text}）", signed(step, goal.decimals + 1),
                      help=f"{card.window_text}数值的最小二乘直线，平均每{word}的变化（{goal.unit}）")
else:
    columns[1].metric(f"{card.target_year}年{'下达' if card.assigned else ''}目标",
                      card.target_text() if p.target is not None else "未分解")
    share_help = (None if goal.increasing else
                  f"目标为{goal.target_phrase()}：完成率为从基期值降向目标值已走过的比例，"
                  "即（基期值 − 当前值）÷（基期值 − 目标值）")
    columns[2].metric("完成率", "—" if p.completion is None else f"{p.completion:.1%}", help=share_help)
    columns[3].metric("序时进度值", estimate(p.expected),
                      delta=None if p.gap is None else ("+" if p.gap >= 0 else "") + estimate(p.gap),
                      delta_description="实际−序时", delta_color=direction)
    periods_per_month = periods.MONTHS_PER_PERIOD[card.frequency]
    pace = None if p.monthly_pace_needed is None else p.monthly_pace_needed * periods_per_month
    pace_word = f"每{word}尚需" + ("" if goal.increasing else "降低")  # 每年尚需降低 14 天, not −14
    columns[4].metric(pace_word, estimate(None if pace is None else abs(pace), extra_decimals=2),
                      help=f"距目标的差额 ÷ 距{due}的{'月数' if monthly else word + '数'}")
    events = p.method == "events"
    columns[5].metric(f"按{'自基期速度' if events else '趋势'}预计{card.target_year}年", estimate(p.projection),
                      help=f"当前值加上自基期以来的平均速度乘以距{due}的期数（小目标）" if events
                      else f"{card.window_text}数据的最小二乘直线外推至{due}",
                      delta=None if p.anticipated_progress is None else f"预期进度比 {p.anticipated_progress:.2f}",
                      delta_color="off", delta_arrow="off")

# What the status means, in the goal's own numbers, and every step of the computation behind it.
if p.target is not None or p.value is None:
    st.markdown(f"**{labels.status_label(p.status, goal)}**：{labels.plain(explain.status_sentence(card))}"
                + ("（每一步的计算见页末“状态的完整计算过程”）" if p.target is not None else ""))

widgets.goal_chart(ctx, goal.id, key="detail", vega=True)  # plotly.js cost this page a second

with st.container(border=True):
    st.markdown(f"**定义**：{card.definition}")
    st.markdown(f"**依据**：{registry.policy_title}（{registry.policy}）{goal.article}")
    st.markdown(f"**数据来源**：{goal.source}")
    if goal.reported_by:
        st.markdown(f"**上报单位**：{goal.reported_by}")
    if p.baseline is not None:
        base = p.baseline_month if monthly else periods.period_label(card.baseline_period)
        st.markdown(f"**基期值**：{fmt(p.baseline)} {goal.unit}（{base}）")
    if goal.reported_only:
        st.caption(f"本指标的数值是{goal.reported_by or '有关单位'}上报的数值，没有构成数值的明细记录（台账）；"
                   f"各期上报数值见下表“来源”一栏。")

heading = {"month": "逐月数据", "quarter": "逐季数据", "year": "逐年数据"}[card.frequency]
st.subheader(heading)
table = monthly_table(card)
if goal.reported_only:  # a period without a figure was not reported; none before the first report is listed
    reported = table["来源"] != labels.SOURCE_LABEL["none"]
    table = table[reported.iloc[::-1].cummax().iloc[::-1]] if reported.any() else table.iloc[:1]
    table["来源"] = table["来源"].replace(labels.SOURCE_LABEL["none"], labels.NOT_REPORTED_LABEL)
if goal.monitoring:  # no plan to be on: the planned-value columns would be empty
    table = table.drop(columns=["序时进度值", "与序时进度之差"])
numbers = {column: st.column_config.NumberColumn(format="localized")
           for column in table.columns if column.startswith(("数值", "序时进度值", "与序时进度之差"))}
st.dataframe(table, hide_index=True, height=320, column_config=numbers)
st.download_button("下载本表（CSV）", table.to_csv(index=False).encode("utf-8-sig"),
                   file_name=f"{ctx.as_of}_{goal.name_zh}_{heading}.csv", mime="text/csv",
                   icon=":material/download:")

if p.target is not None:  # last, after the period table: for checking every figure behind the status
    with st.expander("状态的完整计算过程"):
        # A static table: its explanations are sentences and must wrap, not be cut at a cell's edge.
        st.table(explain.computation(card, registry.method).set_index("项目"))
