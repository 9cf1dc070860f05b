"""数据导入: upload a CSV or Excel file, check it, see what is wrong, then load it all or nothing."""

from datetime import date

import streamlit as st

from ipmetrics.core import catalog, labels, periods
from ipmetrics.io.importer import ImportRejected, ReadError, Source, error_workbook, guess_kind, import_file
from ipmetrics.io.mappings import (
    ColumnMapping,
    apply,
    delete_mapping,
    mapped_kind,
    save_mapping,
    saved_mappings,
    source_name,
    suggest,
)
from ipmetrics.io.readers import Table, read_table
from ipmetrics.io.schemas import KINDS
from ipmetrics.io.templates import ReportedIndicator, template_name, template_workbook
from pages.shell import cache, login, uploads, widgets
from pages.shell.sidebar import start_page


def mapping_editor(kind: str, table: Table, editor) -> None:
    """列对应: a column of the file for each field (suggested by similarity), a preview under the fields'
    names, and saving the mapping under the file's source name, after which the upload is checked again."""
    schema, columns = KINDS[kind], list(table.frame.columns)
    source = source_name(table.name)
    st.subheader("列对应")
    st.caption(f"文件的列名与{schema.title}导入模板不一致。请为每个字段选择文件中的列（已按名称相似程度预选，请逐项核对）；"
               f"保存后，同一来源（“{source or '（无名称）'}”，文件名去掉日期、数字与“副本”等字样）的文件，"
               "如下个月的同名报表，将自动按此读取。")
    suggested = suggest(kind, columns)
    chosen: dict[str, str] = {}
    optional = [c for c in schema.columns if c not in schema.required]
    for heading, fields in (("必填字段", schema.required), ("选填字段（文件中没有可不选）", optional)):
        st.markdown(f"**{heading}**")
        boxes = st.columns(3)
        for number, field in enumerate(fields):
            guess = suggested[field].column
            picked = boxes[number % 3].selectbox(
                schema.labels[field], columns, index=columns.index(guess) if guess in columns else None,
                placeholder="请选择文件中的列", key=f"map_{table.name}_{kind}_{field}",
                help=schema.model.model_fields[field].description)
            if picked is not None:
                chosen[field] = picked
    mapping = ColumnMapping(kind, source, chosen)
    lacking = [schema.labels[f] for f in schema.required if f not in chosen]
    twice = sorted({c for c in chosen.values() if list(chosen.values()).count(c) > 1})
    if chosen:
        st.caption("按所选对应关系读取的前 5 行（列名为字段名）：")
        preview = apply(mapping, table.frame, table.name).head(5).rename(columns=schema.labels)
        st.dataframe(preview, height=38 + 35 * max(len(preview), 1))
    if lacking:
        st.warning("还需为必填字段选择列：" + "、".join(lacking), icon=":material/rule:")
    if twice:
        st.warning("同一列被选给了多个字段：" + "、".join(labels.plain(c) for c in twice), icon=":material/rule:")
    if st.button("保存对应关系并校验", type="primary", disabled=bool(lacking or twice), icon=":material/save:",
                 key="save_mapping"):
        save_mapping(store, mapping, user=editor.label, actor=editor.account, client=login.client_address())
        uploads.forget_check()  # saving changes no data version, so the remembered check would be reused
        st.session_state["mapping_outcome"] = f"已保存列对应关系（来源：{source or '（无名称）'}），并按它重新校验。"
        st.rerun()


def saved_mapping_list(editor) -> None:
    """The saved mappings (kind, source, by whom, when) and, for editors, deleting one."""
    st.subheader("已保存的列对应关系")
    saved = saved_mappings(store)
    if saved.empty:
        st.caption("还没有保存的列对应关系。文件的列名与模板不一致时，可在校验后为其保存一份。")
        return
    st.dataframe(saved.drop(columns="kind"), hide_index=True, height=min(38 + 35 * len(saved), 280))
    if editor is None:
        return
    entries = list(zip(saved["kind"], saved["来源名称"], saved["类型"]))
    gone = st.selectbox("删除一份对应关系", entries, index=None, placeholder="请选择要删除的对应关系",
                        format_func=lambda e: f"{e[2]} · {e[1] or '（无名称）'}", key="mapping_to_delete")
    if st.button("删除", disabled=gone is None, icon=":material/delete:", key="delete_mapping"):
        delete_mapping(store, gone[0], gone[1], actor=editor.account, client=login.client_address())
        uploads.forget_check()
        st.session_state["mapping_outcome"] = f"已删除列对应关系：{gone[2]} · {gone[1] or '（无名称）'}。"
        st.rerun()


def confirm_import(kind: str, source: Source, check, accept_valid: bool, through, editor) -> None:
    """The import button: all rows (or, when accepted, the valid ones) in one transaction."""
    can_load = check.ok or (accept_valid and check.rows_valid > 0)
    label = "确认导入" if check.ok else f"导入 {check.rows_valid:,} 行有效数据"
    if not st.button(label, type="primary", disabled=not can_load, icon=":material/upload:", key="confirm_import"):
        return
    bar = st.progress(0.0, text="开始导入……")
    try:
        result = import_file(store, kind, source, indicator_ids=ids, accept_valid=accept_valid,
                             user=editor.label, client=login.client_address(), actor=editor.account,
                             progress=lambda what, share: bar.progress(share, text=what),
                             through=through, plan_region=ctx.registry.region,
                             industries=ctx.registry.industry_spellings(), **uploads.import_limits(ctx))
    except ImportRejected as rejected:
        st.error(str(rejected))
    else:
        st.session_state["import_outcome"] = (
            f"已导入 {labels.plain(source.name)}：写入 {result.rows_loaded:,} 行" +
            (f"，拒绝 {result.rows_rejected:,} 行" if result.rows_rejected else "") + "。" +
            (f"{result.mapping_note}。" if result.mapping_note else ""))
        st.session_state["upload_round"] += 1  # clears the uploader
        st.rerun()


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
        columns[number % 4].download_button(  # each workbook made when clicked, not on every run of the page
            kind.title, lambda name=kind.name: template_workbook(name, ctx.registry.industries, ctx.registry.ids(),
                                                                  indicators),
            file_name=template_name(kind.name),
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            icon=":material/download:", key=f"template_{kind.name}")

editor = login.require_editor(ctx, "导入数据")
uploaded = None
if editor is not None:
    st.session_state.setdefault("upload_round", 0)
    # No `type=` filter: Streamlit would refuse another suffix with an English tooltip; read_table names the
    # formats it reads in Chinese instead. The limit is ours (IPMETRICS_MAX_IMPORT_MB), shown in the label.
    uploaded = st.file_uploader(f"选择要导入的文件（CSV、Excel、WPS 或 ODS 表格，单个不超过 {ctx.settings.max_import_mb} MB）",
                                key=f"upload_{st.session_state['upload_round']}",
                                max_upload_size=ctx.settings.max_import_mb)

widgets.show_outcome("import_outcome")
widgets.show_outcome("mapping_outcome")

if uploaded is not None:
    source = Source(uploaded.name, uploaded.getvalue())
    try:
        table = read_table(source, **uploads.import_limits(ctx))
    except ReadError as exc:
        st.error(str(exc))
        st.stop()
    kinds = list(KINDS)
    # A known office's file (a saved mapping fits it) is of the kind it was mapped for.
    guessed = guess_kind(table.frame.columns) or mapped_kind(store, source.name, table.frame.columns)
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
             "某月确无新增记录（如没有新的质押登记）时，不必上传文件，在“月度快照”页点“确认无新增”即可。")
    checking = st.empty()
    check = uploads.check_upload(ctx, kind, source, lambda what, share: checking.progress(share, text=what))
    checking.empty()
    if check.mapping_note:
        st.info(f"{check.mapping_note}；如需修改，可在页末删除该对应关系后重新对应。", icon=":material/swap_horiz:")
    header_broken = check.header_broken
    if check.ok:
        st.success(f"校验通过：{check.rows_read:,} 行均可导入。", icon=":material/task_alt:")
    else:
        st.error(f"校验发现 {len(check.errors):,} 处问题，涉及 {check.rows_rejected:,} 行"
                 + ("；表头缺少必需的列，无法导入。" if header_broken else "。"), icon=":material/error:")
        if check.problems_note:  # the list is cut; the workbook counts every problem by rule
            st.caption(f"{check.problems_note}；下载的问题清单另有“问题统计”表，按字段与问题计数。")
        listed = check.error_frame()
        st.dataframe(listed, hide_index=True, height=min(38 + 35 * len(listed), 320))
        st.download_button("下载问题清单与被拒绝的行（Excel）", error_workbook([check]),
                           file_name=f"{source.name}_错误行.xlsx", icon=":material/download:",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    if header_broken:  # no row can be read until each field has a column
        mapping_editor(kind, table, editor)
    else:
        confirm_import(kind, source, check, accept_valid, through, editor)

saved_mapping_list(editor)

st.subheader("导入日志")
log = catalog.import_log(store)
if log.empty:
    st.caption("还没有导入记录。")
else:
    st.dataframe(log, hide_index=True, height=280)
