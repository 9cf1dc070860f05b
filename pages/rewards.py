"""奖励测算: what the cash rewards of article 十 cost per year, who gets them, and next year's what-if."""

import streamlit as st

from ipmetrics.charts import rewards as reward_charts
from ipmetrics.core import periods
from ipmetrics.themes import rewards
from pages.shell import cache, widgets
from pages.shell.sidebar import start_page

ctx = start_page()
registry = ctx.registry
rules = registry.rewards
rates = rewards.default_rates(registry)
events, budget = rewards.budget_in_force(cache.get_store(ctx.settings.db_url), registry, ctx.settings, ctx.region,
                                         ctx.as_of)

st.title("奖励测算")
st.caption(f"{ctx.region_name} · {periods.month_end_label(ctx.as_of)} · 依据{registry.policy}"
           f"{registry.area_article('rewards') or ''}，"
           f"现行奖励标准：{rewards.rates_text(rules, rates)}。")
if budget.rule_text():
    st.info(budget.rule_text(), icon=":material/event:")
if not budget.years:  # the as-of month is before the year the policy took effect
    st.info(f"政策自{registry.effective_text()}起施行，{periods.month_label(ctx.as_of)}尚无应计奖励的期间；"
            "请在左侧选择较晚的截至月份。", icon=":material/info:")
    st.stop()

year, previous = ctx.as_of.year, ctx.as_of.year - 1
columns = st.columns(3)
columns[0].metric(f"{budget.label(year)}应付", f"{rewards.format_wan(budget.total(year))} 万元",
                  help="当年新认定强企、授权专利按现行标准计算的奖励合计")
if previous in budget.years:
    columns[1].metric(f"{budget.label(previous)}应付", f"{rewards.format_wan(budget.total(previous))} 万元")
columns[2].metric(f"{budget.since_label}以来合计", f"{rewards.format_wan(budget.grand_total)} 万元")

st.subheader("逐年应付奖励")
empty = None
if not budget.has_events:
    counted = f"{budget.start_text()}至{periods.month_label(ctx.as_of)}底"
    empty = (f"{ctx.region_name}在{counted}没有可获奖励的事件"
             f"（{'、'.join(rule.name for rule in rules)}），应付奖励为 0。")
widgets.chart_and_table(ctx, reward_charts.yearly_budget_figure(budget, ctx.region_name, ctx.sample,
                                                                registry.area_article("rewards")),
                        rewards.yearly_table(budget), f"{ctx.as_of}_{ctx.region_name}_奖励测算_逐年",
                        key="reward_years", empty=empty)

if budget.has_events:
    st.subheader("年度明细")
    chosen = st.selectbox("年份", budget.years[::-1], key="reward_year", format_func=budget.label)
    detail = rewards.year_detail(events, rules, rates, chosen)
    if detail.empty:
        st.info(f"{ctx.region_name}{budget.label(chosen)}没有可获奖励的事件。", icon=":material/info:")
    else:
        st.caption(rewards.detail_note(detail, budget.label(chosen)))
        st.dataframe(detail, hide_index=True)
        widgets.download_table(detail, f"{ctx.as_of}_{ctx.region_name}_{chosen}年_奖励明细",
                               key="reward_detail_download")

target = rewards.next_year(ctx.as_of)
projections = rewards.projected_counts(budget)
st.subheader(f"{target}年测算")
st.caption(f"默认数量按最近 {rewards.PROJECTION_YEARS} 个完整年度的数量做直线趋势外推（取整，不低于 0），"
           "默认标准为现行标准；两者都可修改。")
chosen_rates, chosen_counts = {}, {}
scope = f"{ctx.region}_{ctx.as_of}"  # the default counts follow the sidebar's region and month
with st.container(border=True):
    for rule in rules:
        name, rate, count = st.columns([3, 2, 2], vertical_alignment="bottom")
        name.markdown(f"**{rule.name}**  \n{rule.payee}")
        chosen_rates[rule.id] = rate.number_input(f"标准（万元/{rule.per}）", min_value=0.0, step=0.5,
                                                  value=rates[rule.id], key=f"whatif_rate_{rule.id}")
        chosen_counts[rule.id] = count.number_input(f"数量（{rule.per}）", min_value=0, step=1,
                                                    value=projections[rule.id].count,
                                                    key=f"whatif_count_{rule.id}_{scope}",
                                                    help=projections[rule.id].explained())
lines = rewards.what_if_lines(rules, chosen_rates, chosen_counts)
total = rewards.what_if_total(rules, chosen_rates, chosen_counts)
st.metric(f"{target}年测算总额", f"{rewards.format_wan(total)} 万元",
          help="各项标准 × 数量之和；只作测算，不改变上方按现行标准计算的逐年数字")
st.dataframe(lines, hide_index=True)
