"""品牌培育: the brands article 五 names, where each application stands, and what the GI goal still needs."""

import streamlit as st

from ipmetrics.charts import brands as brand_charts
from ipmetrics.core import catalog, labels, periods
from ipmetrics.io.importer import ImportRejected
from ipmetrics.themes import brand_reconciliation, brands
from pages.shell import cache, login, widgets
from pages.shell.sidebar import start_page

ctx = start_page()
store = cache.get_store(ctx.settings.db_url)
registry = ctx.registry

st.title("品牌培育")
note = registry.area_note("brands")
st.caption(f"{ctx.region_name} · {periods.month_end_label(ctx.as_of)} · {registry.article('brands')}"
           + (f"：{note}" if note else "。") + "各品牌的状态按申报、受理、初审公告、注册、驳回的日期推算到所选月底。")

candidates = brands.load_brands(store, ctx.region)
county = cache.region_data(ctx.settings.db_url, ctx.data_version, registry.region)
gap = brands.gi_gap(county, registry, ctx.settings, ctx.as_of, candidates)  # None: the goal file has no GI goal
collective = brands.names_of_type(candidates, "collective")
findings = brands.reconciliation(store, ctx.region, registry)
counts = brand_reconciliation.level_counts(findings)
disagreements = counts[brand_reconciliation.ERROR] + counts[brand_reconciliation.WARNING]


def gi_gap_section(gap: brands.GiGap) -> None:
    """Where the county stands against its GI goal, and which candidates could close the gap."""
    goal, due = gap.goal, f"{gap.goal.target_year}年目标"
    columns[0].metric(f"{goal.label}（{ctx.whole}）",
                      "无数据" if gap.value is None else f"{goal.format_value(gap.value)} {goal.unit}", help=goal.definition)
    columns[1].metric(due, goal.target_text(), help=f"{registry.policy} {goal.article}")
    columns[2].metric("尚需", "—" if gap.gap is None else f"{gap.gap} {goal.unit}",
                      help=f"{due}减去当前{ctx.whole}有效的{goal.label}件数（不小于0）")
    if gap.gap == 0:
        st.success(f"{goal.label}已达到{due}。", icon=":material/task_alt:")
    elif gap.gap is not None:
        if len(gap.candidates):
            st.markdown(f"还需 **{gap.gap}** {goal.unit}{goal.label}；{ctx.region_name}尚在培育、可补足差额的候选："
                        f"{gap.candidate_text()}。")
        if gap.short_of_candidates:
            st.warning(f"{ctx.region_name}在培育的地理标志候选只有 {len(gap.candidates)} 个，少于尚需的 {gap.gap} 件，"
                       "需另行挖掘培育或推动被驳回的品牌重新申报。", icon=":material/warning:")


def reconciliation_section() -> None:
    """The brands list against the trademark rows, by registration number: every disagreement and its fix."""
    st.subheader("与商标数据核对")
    gi_goal = registry.first_tagged("gi")
    why = (f"只有商标数据中的地理标志商标记录才计入“{gi_goal.label}”目标，名单标为已注册、而商标数据中找不到其注册号"
           "（或该记录未标为地理标志）的品牌不计入。" if gi_goal is not None else "")
    st.caption(why + "按注册号逐一核对品牌培育名单与商标数据：“错误”影响计数或记录互相矛盾，“警告”为名称、申请人、"
               "日期不一致，“提示”为商标数据中有、名单中没有的地理标志商标。")
    if disagreements == 0:
        st.success("无不一致：名单中的品牌与商标数据相符。", icon=":material/task_alt:")
    if findings.empty:
        return
    table = brand_reconciliation.reconciliation_table(findings)
    narrow = {name: st.column_config.TextColumn(width="small") for name in ("级别", "品牌", "注册号")}
    st.dataframe(table, hide_index=True, height=min(len(table), 20) * 35 + 38,  # up to 20 rows without scrolling
                 column_config={**narrow, "不一致之处": st.column_config.TextColumn(width="large")})
    widgets.download_table(table, f"{ctx.as_of}_{ctx.region_name}_品牌与商标数据核对", key="reconciliation_download")


columns = st.columns(5)
columns[3].metric("集体商标已注册", f"{brands.registered_count(candidates, ctx.as_of, 'collective')} 件",
                  help="本地区点名培育的集体商标中，截至月底已注册的件数"
                       + (f"（候选：{'、'.join(collective)}）" if collective else ""))
if gap is not None:
    gi_gap_section(gap)
columns[4].metric("与商标数据不一致", f"{disagreements} 处",
                  help=f"品牌培育名单与商标数据按注册号核对：错误 {counts[brand_reconciliation.ERROR]} 处、"
                       f"警告 {counts[brand_reconciliation.WARNING]} 处（另有提示 {counts[brand_reconciliation.INFO]} 条），"
                       "明细见下方“与商标数据核对”")

if candidates.empty:
    if not findings.empty:  # a GI mark recorded here that no brand names
        reconciliation_section()
    st.info(f"{ctx.region_name}没有{registry.area_article('brands') or ''}点名培育的品牌。可在侧栏选择{ctx.whole}或其他地区，"
            "或在“数据导入”页导入品牌培育数据。", icon=":material/info:")
    st.stop()

stages = brands.pipeline(candidates, ctx.as_of)
widgets.chart_and_table(ctx, brand_charts.pipeline_figure(stages, ctx.region_name, ctx.as_of, sample=ctx.sample,
                                                          basis=registry.cited_article("brands")),
                        brands.pipeline_table(stages), f"{ctx.as_of}_{ctx.region_name}_品牌申报进度", key="pipeline")

st.subheader("培育品牌清单")
table = brands.brand_table(candidates, ctx.as_of)
st.dataframe(table, hide_index=True, column_config={"品牌名称": st.column_config.TextColumn(pinned=True)})
widgets.download_table(table, f"{ctx.as_of}_{ctx.region_name}_品牌培育清单", key="brands_download")

reconciliation_section()

st.subheader("更新申报进度")
st.caption("在表中修改日期、类型、申请人等，再点“保存修改”。保存前按导入规则逐项校验（如初审公告日期不得早于受理日期），"
           "有任何问题则一项也不保存。新增品牌请在“数据导入”页导入。")
widgets.show_outcome("brands_outcome")

editor = login.require_editor(ctx, "修改品牌申报进度")
if editor is not None:
    labels_of = brands.KIND.labels
    names = catalog.region_names(store)
    dates = {labels_of[c]: st.column_config.DateColumn(format="YYYY-MM-DD") for c in brands.DATE_COLUMNS}
    original = brands.editor_frame(candidates)
    edited = st.data_editor(
        original, key=f"brand_editor_{ctx.region}_{ctx.data_version}", hide_index=True, num_rows="fixed",
        disabled=[labels_of["name"]], placeholder="",
        column_config={
            labels_of["name"]: st.column_config.TextColumn(pinned=True),
            labels_of["brand_type"]: st.column_config.SelectboxColumn(
                options=list(brands.BRAND_TYPE_LABEL.values()), required=True),
            labels_of["region_code"]: st.column_config.SelectboxColumn(
                "所在地区", options=list(names), format_func=lambda code: names.get(code, code), required=True),
            **dates,
        },
    )
    save = st.button("保存修改", type="primary", icon=":material/save:", key="brands_save")
    if save:
        edits = brands.changed_rows(original, edited)
        if edits.empty:
            st.info("没有改动，无需保存。", icon=":material/info:")
        else:
            try:
                brands.save_brands(store, edits, user=editor.label, client=login.client_address(),
                                   actor=editor.account)
            except ImportRejected as rejected:
                problems = brands.rejection_table(rejected, edits)
                st.error(f"发现 {len(problems)} 处问题，没有保存任何修改。请改正后再保存：", icon=":material/error:")
                st.dataframe(problems, hide_index=True)
            else:
                st.session_state["brands_outcome"] = (
                    f"已保存 {len(edits)} 个品牌的修改：{labels.plain('、'.join(brands.edited_names(edits)))}。")
                st.rerun()
