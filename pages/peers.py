"""同级对比: the chosen region ranked among the regions of its level in its city, province and nation."""

import streamlit as st

from ipmetrics.charts import areas
from ipmetrics.core import labels, periods
from ipmetrics.core.hierarchy import LEVEL_ZH
from ipmetrics.themes import peers
from pages.shell import cache, context, url_state, widgets
from pages.shell.sidebar import start_page

ctx = start_page()


def period_of(goal) -> str:
    """2026年10月, 2026年第三季度, 2025年: the period a goal's figure is of as of the month viewed."""
    return periods.period_label(periods.latest_ended(ctx.as_of, goal.frequency))


tree = cache.region_tree(ctx.settings.db_url, ctx.data_version)
registry = ctx.registry

st.title(f"同级对比 · {ctx.region_name}")
st.caption(f"{periods.month_end_label(ctx.as_of)} · 与同级地区逐项比较（排名 1 为最好）· "
           "计数、金额类指标另按每万常住人口比较")

level = tree.levels.get(ctx.region)
if level == "township":
    county = tree.parents.get(ctx.region)
    st.info(f"乡镇（街道）在所属县（区）内相互比较，见“乡镇对比”页"
            f"{f'（{labels.plain(tree.label(county))}各乡镇、街道）' if county else ''}。", icon=":material/info:")
    if county and st.button(f"查看{tree.label(county)}乡镇对比", icon=":material/map:", key="peers_to_townships"):
        st.session_state[url_state.REGION_KEY] = county
        st.switch_page(context.TOWNSHIPS_PAGE)
    st.stop()

groups = peers.peer_groups(tree, ctx.region)
if not groups:
    st.info(
        f"数据库中没有与{labels.plain(ctx.region_name)}同级的其他{LEVEL_ZH.get(level, '地区')}，无法排名。"
        "同级对比需要一个市或省内多个县（区）的数据：\n\n"
        "- 演示：`ipmetrics --db duckdb:///data/province.duckdb sample --scale province` 在一个新数据库中生成约 150 个县的"
        "示例省（合成数据，同样标注“示例数据”），再以 `IPMETRICS_DB_URL=duckdb:///data/province.duckdb ./run-app.sh` 打开；\n"
        "- 实际使用：由市、省统计人员导入各县的区划（`regions`，写明上级代码）、人口与商标、专利等明细"
        "（`ipmetrics import regions 区划.csv` 等，或在“数据导入”页上传）。",
        icon=":material/info:")
    st.stop()

by_scope = {group.scope: group for group in groups}
scope = st.radio("比较范围", list(by_scope), format_func=lambda s: by_scope[s].title, horizontal=True,
                 key="peer_scope")
group = by_scope.get(scope, groups[0])
table = cache.peer_comparison(ctx, group)

st.subheader(f"各项指标排名 · {group.members}")
st.caption("排名：1 为最好，并列取较好名次，没有数据的地区不参加排名；较中位数为正表示高于同级中位数。"
           "每万人：按常住人口；比率、占比类指标本身已可比较，不另算每万人。")
standing = peers.summary(table, registry, ctx.region)
ranks = {column: st.column_config.TextColumn(width=100) for column in ("排名", "每万人排名")}  # 第 131 / 150
shown = peers.summary_display(standing)
if context.periods_shown(registry.goals, ctx.as_of):  # a quarter's or a year's figure: say which
    shown.insert(2, "统计期", [period_of(registry.goal(g)) for g in standing["goal"]])
    st.caption(context.periods_shown(registry.goals, ctx.as_of) + "（截至所选月份底已结束的最近一期）。")
st.dataframe(shown, hide_index=True, column_config=ranks)
widgets.download_table(standing.drop(columns=["goal", "名次", "每万人名次"]),
                       f"{ctx.as_of}_{ctx.region_name}_同级对比_{group.name}_各项指标", key="peers_summary_dl")

st.subheader("单项指标")
goal_id = st.selectbox("指标", registry.ids(), format_func=lambda i: registry.goal(i).name_zh, key="peer_goal")
goal = registry.goal(goal_id)
if context.period_shown(goal, ctx.as_of):
    st.caption(context.period_shown(goal, ctx.as_of))
per_10k = False
if not goal.per_region:
    per_10k = st.segmented_control("口径", ["每万人", "绝对数"], default="每万人", key="peer_basis") != "绝对数"
widgets.show_chart(ctx, areas.peer_chart(table, registry, goal_id, per_10k, group, context.where(ctx)))

st.subheader(f"全部同级数据 · {group.members}")
full = peers.overview(table, registry)
st.caption(f"共 {len(full)} 个地区、{len(registry.goals)} 项指标（数值与排名，计数、金额类另列每万人）。")
widgets.download_table(full, f"{ctx.as_of}_同级对比_{group.name}_全部", key="peers_full_dl",
                       label="下载全部同级数据（Excel）")
