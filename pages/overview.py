"""总览: one card per goal, the ones behind schedule first — grouped by theme when the goal file gives themes."""

import streamlit as st

from ipmetrics.charts import screen
from ipmetrics.core import explain, labels, outlook, periods
from ipmetrics.core.progress import REVIEW_ORDER, Status
from ipmetrics.core.scorecard import GoalCard, review_order
from pages.shell import cache, context, widgets
from pages.shell.sidebar import start_page

ctx = start_page()
cards = review_order(cache.cards(ctx))
registry = ctx.registry

# The folds of monitoring indicators, one per theme: MONITORING_KEY + the theme (or "all").
MONITORING_KEY = "monitoring_"
# What a change is measured against: the period before the one shown.
CHANGE_SINCE = {"month": "较上月", "quarter": "较上季度", "year": "较上年"}

st.title(f"总览 · {ctx.region_name}")
monitored = sum(card.goal.monitoring for card in cards)
counted = f"{len(cards)} 项指标（其中监测指标 {monitored} 项）" if monitored else f"{len(cards)} 项目标"
st.caption(f"{periods.month_end_label(ctx.as_of)} · {counted}（{registry.policy}）· 落后于进度的排在前面")

widgets.status_counts(ctx, cards)


def delta_color(card: GoalCard) -> str:
    """Green for a change in the goal's direction; grey for a monitoring goal, which has none."""
    if not card.progress.change or card.goal.monitoring:
        return "off"
    return "normal" if card.goal.increasing else "inverse"


def trend_mark(card: GoalCard) -> None:
    """The direction over the trend window, apart from the status: red when it goes against the goal
    (a decline stands out from a stall), grey for a monitoring indicator, which has no good direction."""
    if card.trend is None:
        return
    against = not card.goal.monitoring and card.trend != "flat" and (card.trend == "rising") != card.goal.increasing
    text = f"{labels.TREND_ARROW[card.trend]} {card.window_text}{labels.TREND_LABEL[card.trend]}"
    st.caption(f":red[{text}]" if against else text)


def draw_card(card: GoalCard) -> None:
    goal, p = card.goal, card.progress
    fmt = goal.format_value
    with st.container(border=True):
        with st.container(horizontal=True, vertical_alignment="center"):
            st.markdown(f"**{goal.label}**")
            widgets.status_badge(ctx, p.status, goal)
        trend_mark(card)  # a line of its own: the cards keep one height
        if card.frequency != "month":  # a quarter's or a year's figure: say which
            st.caption(f"{card.period_label} · {goal.frequency_label}指标")
        change = None
        if p.change is not None:
            change = f"{p.change:+,.{goal.decimals}f} {goal.unit}"
        spark = card.frame["value"].dropna().iloc[-24:].round(goal.decimals + 2).tolist()
        st.metric(
            label=f"{goal.name_zh}（{goal.unit}）",
            value="未上报" if p.value is None and goal.reported_only else fmt(p.value), delta=change,
            delta_description=CHANGE_SINCE[card.frequency] if change else None,
            delta_color=delta_color(card), delta_arrow="off" if not p.change else "auto",
            help=card.definition, label_visibility="collapsed",
        )
        sparkline = screen.sparkline_svg(spark)  # an image, not st.metric's chart: a Vega view per card
        if sparkline:
            st.image(sparkline, width="stretch")
        if p.target is not None:
            completion = p.completion or 0.0
            st.progress(min(max(completion, 0.0), 1.0),
                        text=f"完成 {completion:.1%} · {'下达目标' if card.assigned else '目标'} {card.target_text()}")
            # The projection in the goal's own numbers, then the chance of meeting the target: two lines
            # on every card with a target, so the cards keep one height.
            st.caption(labels.plain(explain.card_line(card) or f"序时进度 {goal.format_estimate(p.expected)}"))
            likely = outlook.likelihood_text(card.likelihood)
            st.caption(f"达成可能性 {likely}" if likely and p.status is not Status.ACHIEVED
                       else f"序时进度 {goal.format_estimate(p.expected)}",
                       help=labels.plain(explain.status_sentence(card)))
        elif goal.monitoring:
            st.caption("监测指标，不设目标值：看数值、变化和趋势")
        else:
            st.caption(f"{ctx.whole}目标 {goal.target_text()}，未分解到本地区（未下达乡镇目标）")
        with st.container(horizontal=True):
            st.page_link(context.DETAIL_PAGE, label="查看详情", icon=":material/arrow_forward:",
                         query_params={"goal": goal.name_zh})  # the sidebar's bound params carry over
            widgets.ledger_button(ctx, goal.id, key=f"ledger_{goal.id}")


def draw_cards(shown: list[GoalCard]) -> None:
    for start in range(0, len(shown), 3):
        for column, card in zip(st.columns(3), shown[start:start + 3]):
            with column:
                draw_card(card)


def draw_group(shown: list[GoalCard], key: str) -> None:
    """The goals with a target as cards; the monitoring indicators (no target, nothing to be behind on)
    folded under them, so the first screen holds what a meeting must act on. Their cards are drawn when
    the fold is opened (a rerun): drawn folded away, the sample's 19 cost 总览 about half a second."""
    draw_cards([card for card in shown if not card.goal.monitoring])
    monitoring = [card for card in shown if card.goal.monitoring]
    if monitoring:
        missing = sum(card.progress.value is None for card in monitoring)
        label = f"监测指标 {len(monitoring)} 项（不设目标，看数值、变化和趋势）" + (f"，其中未上报 {missing} 项" if missing else "")
        folded = st.expander(label, key=f"{MONITORING_KEY}{key}", on_change="rerun")
        if folded.open:
            with folded:
                draw_cards(monitoring)


themes = registry.themes
if len(themes) > 1:  # a heading per theme, the cards under it still behind schedule first
    for theme, goals in themes:
        ids = {goal.id for goal in goals}
        st.subheader(theme or "其他")
        draw_group([card for card in cards if card.goal.id in ids], theme or "其他")
else:
    draw_group(cards, "all")

with st.expander("状态如何判定"):
    due = f"{registry.target_year}年12月" if registry.target_year else "各项目标的目标期"
    st.markdown(
        f"按{context.trend_window(registry)}的数据拟合直线并外推到{due}，得到预计值；"
        "预期进度比 =（预计值 − 基期值）÷（目标值 − 基期值）。"
    )
    if any(not goal.increasing for goal in registry.targeted):
        st.markdown("“降到”某值以下的指标（≤、<）：完成率为从基期值降向目标值已走过的比例，"
                    "即（基期值 − 当前值）÷（基期值 − 目标值）。")
    explained = ctx.status_texts()
    for status in REVIEW_ORDER:
        st.markdown(f"- **{widgets.status_name(status, registry.goals)}**：{explained[status]}")
    if registry.method.small_count_gap:
        st.markdown(f"**小目标**：目标距基期不超过 {registry.method.small_count_gap:g} 个单位的计数指标（驰名商标、地理标志商标、"
                    "认定企业等），不按近期直线外推（一步进出窗口就会翻转状态），而按自基期以来的平均速度推算到目标期；"
                    "卡片写明“还差 N、在途 M”（在途：已申请、尚未计入的候选）。按速度为滞后、在途候选足以补齐差距的，判为预警。")
    st.markdown("**达成可能性**：按指标自身的历史估计到目标期达到目标的概率。计数指标把新增看作速度未知的泊松过程"
                "（负二项预测分布），金额、比率按历史各期变化重抽样模拟；≥90% 很可能，66%–90% 较可能，"
                "33%–66% 不确定，10%–33% 可能性较小，<10% 可能性很小。")
