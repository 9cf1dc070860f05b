"""乡镇考核: the townships scored on the goal file's [assessment], each only against the targets the county
assigned it (import kind 乡镇目标); without assigned targets (or without an [assessment]) values and ranks only."""

import streamlit as st

from ipmetrics.charts import assessment as assessment_charts
from ipmetrics.core import labels, periods
from ipmetrics.export.workbook import assessment_workbook
from ipmetrics.themes import assessment, peers
from pages.shell import cache, context, widgets
from pages.shell.sidebar import start_page

# The figures are the townships' goal values (each goal's own source); the targets are what the county assigned.
SOURCE = "各乡镇指标数值（来源同各指标）；目标：县下达的乡镇目标"


ctx = start_page()
registry = ctx.registry
st.title(f"乡镇考核 · {ctx.region_name}下辖")
st.caption(f"{periods.month_end_label(ctx.as_of)} · {registry.article('assessment')}")
if registry.area_note("assessment"):
    st.caption(registry.area_note("assessment"))
file_stem = f"{ctx.as_of}_{ctx.region_name}_乡镇考核"

if registry.assessment is None:
    st.info("目标文件没有设定乡镇考核（[assessment]：考核指标与权重），因此不计算得分；下面如乡镇对比页，"
            "只列各乡镇的数值。", icon=":material/info:")
    comparison = cache.township_comparison(ctx)
    if comparison.empty:
        st.info(f"{ctx.region_name}没有下辖的乡镇（街道），请在侧栏选择县。")
        st.stop()
    overview = peers.township_overview(comparison, registry)
    st.dataframe(overview, hide_index=True)
    widgets.download_table(overview, file_stem, key="assessment_values_dl")
    st.stop()

result = cache.assessment_results(ctx)
if result.empty:
    st.info(f"{ctx.region_name}没有下辖的乡镇（街道），请在侧栏选择县。")
    st.stop()

st.markdown(f"**考核规则**：{labels.plain(assessment.rule_text(registry))}")
if result.scored:
    chart = assessment_charts.ranking_chart(result, registry, context.where(ctx), SOURCE)
    widgets.show_chart(ctx, chart, "总分排名")
    table = assessment.display_table(result, registry)
    unscored = result.totals.loc[result.totals["total"].isna(), "region_name"].tolist()
    if unscored:
        st.caption(f"未下达任何目标、不评分（列在最后，只列数值）：{'、'.join(map(labels.plain, unscored))}")
else:
    st.info("尚未向各乡镇下达目标（导入类型“乡镇目标”），因此不计算得分；下面只列各乡镇的数值与排名，如乡镇对比页。",
            icon=":material/info:")
    table = assessment.values_table(result, registry)

st.subheader("考核结果" if result.scored else "各乡镇数值与排名")
st.dataframe(table, hide_index=True)
left, right = st.columns(2)
with left:
    widgets.download_table(table, file_stem, key="assessment_table_dl")
with right:
    st.download_button("下载考核表（Excel，可直接打印）",
                       lambda: assessment_workbook(result, registry, ctx.as_of, ctx.sample),
                       file_name=f"{file_stem}_考核表.xlsx", mime=widgets.XLSX, icon=":material/print:",
                       key="assessment_workbook_dl", on_click="ignore")
