"""导出中心: every chart of the chosen month as print-quality images, the month's workbook, one ZIP."""

import tempfile

import pandas as pd
import streamlit as st

from ipmetrics import labels, report
from ipmetrics.export import images
from ipmetrics.export.batch import export_month
from ipmetrics.export.workbook import month_workbook
from pages import common

ctx = common.start_page()
store = common.get_store(ctx.settings.db_url)

st.title("导出中心")
st.caption(f"{ctx.region_name} · {labels.month_end_label(ctx.as_of)} · 图表带标题、月份、单位和数据来源"
           + ("（示例数据注明“示例数据”）" if ctx.sample else "") + "，可直接插入报告。")


@st.cache_data(show_spinner="正在生成本月全部图表……", max_entries=4)
def month_charts(url: str, version: int, region: str, as_of: str, choices: tuple) -> list[report.Chart]:
    return report.month_charts(store, ctx.registry, ctx.settings, region, ctx.region_name,
                               pd.Period(as_of, freq="M"), ctx.sample)


choices = (ctx.settings.population_basis, ctx.settings.trademark_basis)
charts = month_charts(*common.view_args(ctx), choices)
drawable = [c for c in charts if c.figure is not None]
st.markdown(f"本月共 **{len(drawable)}** 张图表" + (f"，另有 {len(charts) - len(drawable)} 张因无数据不导出" if
                                                 len(drawable) < len(charts) else "") + "。")

st.subheader("Excel 数据表")
st.caption("每个板块一张工作表：表头加粗并冻结、数字格式、列宽已调整；以 =、+、-、@ 开头的文字按文本保存，不会被当作公式执行。")
region_part = "" if ctx.region == ctx.registry.region else f"{ctx.region_name}_"
st.download_button(
    "下载本月数据表（Excel）",
    lambda: month_workbook(store, ctx.registry, ctx.settings, ctx.region, ctx.region_name, ctx.as_of, ctx.sample,
                           charts),
    file_name=f"{ctx.as_of}_{region_part}数据表.xlsx", mime=common.XLSX, icon=":material/table:",
    key="month_workbook", on_click="ignore")

st.subheader("全部图表")
if not images.available():
    st.warning(images.INSTALL_HINT, icon=":material/warning:")
    st.stop()
formats = st.pills("图片格式", list(images.FORMATS), default=["png"], selection_mode="multi", key="export_formats",
                   format_func=lambda f: {"png": "PNG（约300 dpi）", "svg": "SVG（矢量）", "pdf": "PDF（矢量）"}[f])
if st.button("生成本月全部图表", type="primary", icon=":material/photo_library:", disabled=not formats,
             key="export_all"):
    common.export_session()
    bar = st.progress(0.0, text="开始导出……")
    with tempfile.TemporaryDirectory(prefix="ipmetrics-export-") as folder:
        result = export_month(store, ctx.registry, ctx.settings, ctx.region, ctx.region_name, ctx.as_of,
                              folder, tuple(formats), ctx.sample, progress=lambda what, share: bar.progress(share, what),
                              charts=charts)
        st.session_state["export_zip"] = (result.zip_path.name, result.zip_path.read_bytes(),
                                          [p.name for p in result.files], round(result.seconds, 1))
zipped = st.session_state.get("export_zip")
if zipped and zipped[0].startswith(str(ctx.as_of)):
    name, data, files, seconds = zipped
    st.success(f"已生成 {len(files)} 个文件（用时 {seconds} 秒）。", icon=":material/check_circle:")
    st.download_button(f"下载 {name}", data, file_name=name, mime="application/zip", icon=":material/download:",
                       key="export_zip_download", on_click="ignore")
    st.dataframe(pd.DataFrame({"文件": files}), hide_index=True, height=min(38 + 35 * len(files), 420))
