"""导出中心: every chart of the chosen month as print-quality images, the month's workbook, one ZIP."""

import tempfile

import pandas as pd
import streamlit as st

from ipmetrics.charts.month import Month, build_month
from ipmetrics.core import labels, periods
from ipmetrics.export import images
from ipmetrics.export.batch import export_month
from ipmetrics.export.workbook import month_workbook
from pages.shell import cache, widgets
from pages.shell.sidebar import start_page

ctx = start_page()
store = cache.get_store(ctx.settings.db_url)

st.title("导出中心")
st.caption(f"{ctx.region_name} · {periods.month_end_label(ctx.as_of)} · 图表带标题、月份、单位和数据来源"
           + ("（示例数据注明“示例数据”）" if ctx.sample else "") + "，可直接插入报告。")


def month() -> Month:
    # Built only when asked for (a click on 生成 or 下载): its charts take seconds to draw, and a page
    # view that only looks at what can be exported should not pay for it.
    return build_month(store, ctx.registry, ctx.settings, ctx.region, ctx.region_name, ctx.as_of, ctx.sample)


# No count of charts here: it follows the goal file (one per indicator) and the data (empty charts are skipped).
st.markdown("本页把所选地区和月份的全部图表（每项指标一张趋势图，以及商标、品牌、专利、融资、奖励、乡镇对比等专题图）"
            "和数据表一次导出；没有数据的图表会注明原因并跳过。")

st.subheader("Excel 数据表")
st.caption("每个表一张工作表：表头加粗并冻结、每页重复打印，横向一页宽，件数为整数、月份为日期；"
           "以 =、+、-、@ 开头的文字按文本保存，不会被当作公式执行。")
region_part = "" if ctx.region == ctx.registry.region else f"{ctx.region_name}_"
st.download_button(
    "下载本月数据表（Excel）",
    lambda: month_workbook(month()),
    file_name=f"{ctx.as_of}_{region_part}数据表.xlsx", mime=widgets.XLSX, icon=":material/table:",
    key="month_workbook", on_click="ignore")

st.subheader("全部图表")
if not images.available():
    st.warning(images.INSTALL_HINT, icon=":material/warning:")
    st.stop()
formats = st.pills("图片格式", list(images.FORMATS), default=["png"], selection_mode="multi", key="export_formats",
                   format_func=lambda f: {"png": "PNG（约300 dpi）", "svg": "SVG（矢量）", "pdf": "PDF（矢量）"}[f])
if st.button("生成本月全部图表", type="primary", icon=":material/photo_library:", disabled=not formats,
             key="export_all"):
    cache.export_session()
    bar = st.progress(0.0, text="正在汇总本月数据、生成图表……")  # the month is built before the first image
    with tempfile.TemporaryDirectory(prefix="ipmetrics-export-") as folder:
        result = export_month(month(), folder, tuple(formats),
                              progress=lambda what, share: bar.progress(share, what))
        st.session_state["export_zip"] = (result.zip_path.name, result.zip_path.read_bytes(),
                                          [p.name for p in result.files], round(result.seconds, 1), result.skipped)
zipped = st.session_state.get("export_zip")
if zipped and zipped[0].startswith(str(ctx.as_of)):
    name, data, files, seconds, skipped = zipped
    st.success(f"已生成 {len(files)} 个文件（用时 {seconds} 秒）。", icon=":material/check_circle:")
    if skipped:
        st.caption(f"另有 {len(skipped)} 张图表因无数据未导出：" + "；".join(labels.plain(s) for s in skipped))
    st.download_button(f"下载 {name}", data, file_name=name, mime="application/zip", icon=":material/download:",
                       key="export_zip_download", on_click="ignore")
    st.dataframe(pd.DataFrame({"文件": files}), hide_index=True, height=min(38 + 35 * len(files), 420))
