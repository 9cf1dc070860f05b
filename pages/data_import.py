"""数据导入: upload a CSV or Excel file, check it, see what is wrong, then load it all or nothing."""

from datetime import date

import streamlit as st

from ipmetrics.core import catalog, labels, periods
from ipmetrics.io.importer import ImportRejected, ReadError, Source, error_workbook, guess_kind, import_file
from ipmetrics.io.readers import read_table
from ipmetrics.io.schemas import KINDS
from ipmetrics.io.templates import ReportedIndicator, template_name, template_workbook
from pages.shell import cache, login, uploads, widgets
from pages.shell.sidebar import start_page

ctx = start_page(require_data=False)
store = cache.get_store(ctx.settings.db_url)
ids = uploads.frequencies(ctx)
indicators = [ReportedIndicator.of(goal) for goal in ctx.registry.goals]

st.title("数据导入")
st.caption("支持 CSV（UTF-8 或 GBK 编码，自动识别）与表格文件（Excel .xlsx、.xls，WPS .et，.ods）；"
           "表头可用中文或英文列名，表题、填报单位、合计、制表人等行自动跳过。"
           "导入按自然键替换已有记录，同一文件重复导入不会重复计数。")

with st.expander("下载导入模板（Excel，含填写说明与示例）"):
    columns = st.columns(4)
    for number, kind in enumerate(KINDS.values()):
        columns[number % 4].download_button(
            kind.title, template_workbook(kind.name, ctx.registry.industries, ctx.registry.ids(), indicators),
            file_name=template_name(kind.name),
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            icon=":material/download:", key=f"template_{kind.name}")

editor = login.require_editor(ctx, "导入数据")
uploaded = None
if editor is not None:
    st.session_state.setdefault("upload_round", 0)
    uploaded = st.file_uploader("选择要导入的文件", type=["csv", "txt", "xlsx", "xlsm", "xls", "et", "ods"],
                                key=f"upload_{st.session_state['upload_round']}",
                                help=f"单个文件不超过 {ctx.settings.max_import_mb} MB")

widgets.show_outcome("import_outcome")

if uploaded is not None:
    source = Source(uploaded.name, uploaded.getvalue())
    try:
        table = read_table(source, uploads.max_import_bytes(ctx))
    except ReadError as exc:
        st.error(str(exc))
        st.stop()
    kinds = list(KINDS)
    guessed = guess_kind(table.frame.columns)
    kind = st.selectbox("数据类型", kinds, index=kinds.index(guessed) if guessed else None,
                        format_func=lambda k: f"{KINDS[k].title}（{k}）", key="import_kind",
                        placeholder="请选择数据类型")
    st.caption(f"{labels.plain(source.name)}：{table.describe()}。前 20 行（行号同表格软件）：")
    if table.notes:
        st.caption("；".join(table.notes) + "。")
    st.dataframe(table.frame.head(20), height=260)
    if kind is None:
        st.info("未能从表头判断数据类型，请在上方选择。")
        st.stop()

    accept_valid = st.checkbox("只导入有效行（被拒绝的行写入错误文件供下载）", key="accept_valid")
    recent = [None] + [str(periods.month(date.today()) - n) for n in range(1, 25)]
    through = st.selectbox(
        "数据截至月份", recent, key="import_through",
        format_func=lambda m: "自动判断（明细取文件中最新日期所在月，名录取上一个完整月份）" if m is None
        else periods.month_label(m),
        help="本次导入的数据覆盖到哪个月。冻结月度快照前，要求各类数据都覆盖到该月；"
             "某月确无新增记录（如没有新的质押登记）时，在此注明即可。")
    checking = st.empty()
    check = uploads.check_upload(ctx, kind, source, lambda what, share: checking.progress(share, text=what))
    checking.empty()
    if check.ok:
        st.success(f"校验通过：{check.rows_read:,} 行均可导入。", icon=":material/task_alt:")
    else:
        header_broken = any(e.row == 1 for e in check.errors)
        st.error(f"校验发现 {len(check.errors):,} 处问题，涉及 {check.rows_rejected:,} 行"
                 + ("；表头缺少必需的列，无法导入。" if header_broken else "。"), icon=":material/error:")
        st.dataframe(check.error_frame(), hide_index=True, height=min(38 + 35 * len(check.errors), 320))
        st.download_button("下载问题清单与被拒绝的行（Excel）", error_workbook([check]),
                           file_name=f"{source.name}_错误行.xlsx", icon=":material/download:",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    can_load = check.ok or (accept_valid and check.rows_valid > 0)
    label = "确认导入" if check.ok else f"导入 {check.rows_valid:,} 行有效数据"
    if st.button(label, type="primary", disabled=not can_load, icon=":material/upload:", key="confirm_import"):
        bar = st.progress(0.0, text="开始导入……")
        try:
            result = import_file(store, kind, source, indicator_ids=ids, accept_valid=accept_valid,
                                 user=editor.label, client=login.client_address(), actor=editor.account,
                                 progress=lambda what, share: bar.progress(share, text=what),
                                 max_bytes=uploads.max_import_bytes(ctx), through=through,
                                 plan_region=ctx.registry.region, industries=ctx.registry.industry_spellings())
        except ImportRejected as rejected:
            st.error(str(rejected))
        else:
            st.session_state["import_outcome"] = (
                f"已导入 {labels.plain(source.name)}：写入 {result.rows_loaded:,} 行" +
                (f"，拒绝 {result.rows_rejected:,} 行" if result.rows_rejected else "") + "。")
            st.session_state["upload_round"] += 1  # clears the uploader
            st.rerun()

st.subheader("导入日志")
log = catalog.import_log(store)
if log.empty:
    st.caption("还没有导入记录。")
else:
    st.dataframe(log, hide_index=True, height=280)
