"""What every page shares: the cached store and registry, the sidebar, the sample banner.

This is the only place the pages keep Streamlit caches; the figures themselves come from ipmetrics.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd
import streamlit as st

from ipmetrics import auth, monthly
from ipmetrics.charts import areas
from ipmetrics.charts.chart import Chart, Where
from ipmetrics.core import catalog, labels, periods
from ipmetrics.core.goals import Registry, load_registry
from ipmetrics.core.hierarchy import LEVEL_ZH, Hierarchy
from ipmetrics.core.measures import RegionData, load_region_data
from ipmetrics.core.scorecard import GoalCard, goal_card, scorecard_from_data
from ipmetrics.core.settings import CHOICES, Settings
from ipmetrics.core.store import Store
from ipmetrics.export import images
from ipmetrics.io.importer import ImportRejected, ImportResult, Source, import_file, sha256_of
from ipmetrics.io.workbooks import table_workbook
from ipmetrics.meeting import briefing, snapshots
from ipmetrics.themes import enterprises, financing, patents, peers, trademarks
from ipmetrics.themes.ledger import Ledger, goal_ledger

OVERVIEW_PAGE = "pages/overview.py"
MEETING_PAGE = "pages/meeting.py"
SNAPSHOT_PAGE = "pages/snapshots.py"
ACTIONS_PAGE = "pages/actions.py"
DETAIL_PAGE = "pages/goal_detail.py"
IMPORT_PAGE = "pages/data_import.py"
EXPORT_PAGE = "pages/export_center.py"
TOWNSHIPS_PAGE = "pages/townships.py"
PEERS_PAGE = "pages/peers.py"


@dataclass(frozen=True)
class Context:
    """The sidebar's choices, read by every page."""

    settings: Settings
    registry: Registry
    data_version: int
    sample: bool
    has_data: bool
    region: str | None = None
    region_name: str | None = None
    as_of: pd.Period | None = None
    editor: auth.Editor | None = None   # None: a viewer, who sees everything and changes nothing


@st.cache_resource(show_spinner=False)
def get_store(url: str) -> Store:
    return Store(url)


@st.cache_resource(show_spinner=False)
def get_registry(path: str, modified: float) -> Registry:
    return load_registry(path)


@st.cache_data(show_spinner="正在读取数据……", max_entries=64)
def region_data(url: str, data_version: int, region: str) -> RegionData:
    return load_region_data(get_store(url), region)


@st.cache_data(show_spinner=False, max_entries=8)
def store_overview(url: str, data_version: int) -> tuple[pd.DataFrame, str | None, bool, bool]:
    store = get_store(url)
    latest = catalog.latest_month(store)
    return catalog.regions(store), None if latest is None else str(latest), catalog.has_records(store), store.is_sample()


# Snapshots never change, so what is read from one is cached by its id; the action items it lists can
# change, and each change bumps the data version.
@st.cache_data(show_spinner="正在读取快照……", max_entries=16)
def meeting_view(url: str, data_version: int, snapshot_id: int, on: str, _registry: Registry) -> briefing.MeetingView:
    return briefing.meeting_view(get_store(url), _registry, snapshot_id, pd.Timestamp(on).date())


@st.cache_data(show_spinner="正在生成简报（含图表）……", max_entries=4)
def briefing_document(url: str, data_version: int, snapshot_id: int, on: str, fmt: str, _registry: Registry) -> bytes:
    export_session()
    content = monthly.briefing_for(get_store(url), _registry, snapshot_id, pd.Timestamp(on).date())
    return monthly.document_bytes(content, fmt)


@st.cache_data(show_spinner="正在核对数据指纹……", max_entries=64)
def snapshot_is_current(url: str, data_version: int, snapshot_id: int) -> bool:
    store = get_store(url)
    return snapshots.is_current(store, snapshots.get(store, snapshot_id))


def snapshot_picker(store: Store, key: str, label: str = "快照") -> snapshots.SnapshotInfo | None:
    """A choice among the snapshots, newest first; None (and a pointer to 月度快照) when there is none."""
    listed = snapshots.list_snapshots(store)
    if not listed:
        st.info("还没有月度快照。统计人员在“月度快照”页（或用 `ipmetrics snapshot --month YYYY-MM`）冻结某月数据后，"
                "会议简报即以该快照为准。", icon=":material/info:")
        st.page_link(SNAPSHOT_PAGE, label="前往月度快照", icon=":material/photo_camera:")
        return None
    by_id = {info.id: info for info in listed}
    chosen = st.selectbox(label, list(by_id), key=key, format_func=lambda i: f"{by_id[i].label}（{by_id[i].frozen_text}）")
    return by_id[chosen]


def show_outcome(key: str) -> None:
    """The message a save left for the run after its rerun, shown once."""
    outcome = st.session_state.pop(key, None)
    if outcome:
        st.success(outcome, icon=":material/check_circle:")


def max_import_bytes(ctx: Context) -> int:
    return ctx.settings.max_import_mb * 1024 * 1024


def check_upload(ctx: Context, kind: str, source: Source, progress=None) -> ImportResult:
    """Validate an upload without writing; remembered for the session, so ticking a box does not
    re-check 200,000 rows (st.cache_data cannot hold a function that draws a progress bar)."""
    key = (sha256_of(source.data), kind, ctx.data_version)
    remembered = st.session_state.get("_upload_check")
    if remembered and remembered[0] == key:
        return remembered[1]
    try:
        result = import_file(get_store(ctx.settings.db_url), kind, source, indicator_ids=set(ctx.registry.ids()),
                             dry_run=True, accept_valid=True, progress=progress, max_bytes=max_import_bytes(ctx))
    except ImportRejected as rejected:  # the header itself is wrong: nothing could be loaded
        result = rejected.results[0]
    st.session_state["_upload_check"] = (key, result)
    return result


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download_table(frame: pd.DataFrame, file_stem: str, key: str, label: str = "下载表格（Excel）") -> None:
    # The workbook is built only when the button is clicked.
    st.download_button(label, lambda: table_workbook(frame), file_name=f"{file_stem}.xlsx", mime=XLSX,
                       icon=":material/download:", key=key, on_click="ignore")


@st.dialog("台账", width="large")
def _ledger_dialog(ledger: Ledger) -> None:
    st.markdown(f"**{ledger.title}**")
    st.caption(ledger.note)
    if ledger.records.empty:
        st.info("没有符合条件的记录。")
    else:
        st.dataframe(ledger.records, hide_index=True, height=min(420, 40 + 35 * len(ledger.records)))
        download_table(ledger.records, ledger.file_stem, key="ledger_download", label="下载台账（Excel）")


def ledger_button(ctx: Context, goal_id: str, key: str, label: str = "台账") -> None:
    """A button that opens the named records behind a goal's figure for the chosen month and region."""
    if st.button(label, key=key, icon=":material/list_alt:", type="tertiary"):
        _ledger_dialog(goal_ledger(get_store(ctx.settings.db_url), ctx.registry, ctx.settings, goal_id,
                                   ctx.region, ctx.region_name, ctx.as_of))


def records_button(ledger_factory, key: str, label: str) -> None:
    """A button that opens a ledger built on demand (for the themed pages' breakdowns)."""
    if st.button(label, key=key, icon=":material/list_alt:", type="tertiary"):
        _ledger_dialog(ledger_factory())


def chart_and_table(ctx: Context, figure, table: pd.DataFrame, file_stem: str, key: str, empty: str | None = None,
                    chart: Chart | None = None) -> None:
    """A chart with its table one click away, a download of the table and of the chart as an image;
    a sentence when there is nothing to draw."""
    if empty is not None:
        st.info(empty, icon=":material/info:")
        return
    picture, data = st.tabs(["图表", "数据表"])
    with picture:
        st.plotly_chart(figure, key=f"{key}_chart")
        export_buttons(ctx, chart or Chart(key, "", file_stem, figure, table), key=f"{key}_export",
                       file_stem=file_stem)
    with data:
        st.dataframe(table, hide_index=True)
        download_table(table, file_stem, key=f"{key}_download")


@st.cache_resource(show_spinner=False)
def export_session() -> bool:
    """One Chromium for the app's image exports, started on first use and kept (kaleido's server)."""
    images.open_session()
    return True


def export_buttons(ctx: Context, chart: Chart, key: str, file_stem: str | None = None) -> None:
    """PNG, SVG and PDF of a chart, rendered only when clicked; or what to install when Chromium is missing."""
    if not images.available():
        st.caption(images.INSTALL_HINT)
        return
    stem = file_stem or chart.file_stem(where(ctx), ctx.registry.region)
    with st.popover("导出图片", icon=":material/image:"):
        st.caption("打印质量：PNG 约 300 dpi（A4 单栏宽），SVG、PDF 为矢量图。")
        for fmt, mime in images.FORMATS.items():
            st.download_button(fmt.upper(), data=lambda fmt=fmt: _render(chart.figure, fmt), file_name=f"{stem}.{fmt}",
                               mime=mime, key=f"{key}_{fmt}", on_click="ignore")


def _render(figure, fmt: str) -> bytes:
    export_session()
    return images.render(figure, fmt)


def show_chart(ctx: Context, chart: Chart, heading: str | None = None) -> None:
    """A chart of ipmetrics.report with its table one tab away, downloads of both — or its sentence."""
    if heading:
        st.subheader(heading)
    chart_and_table(ctx, chart.figure, chart.table, chart.file_stem(where(ctx), ctx.registry.region), key=chart.key, empty=chart.empty,
                    chart=chart)


def table_section(ctx: Context, heading: str, table: pd.DataFrame, key: str, empty: str,
                  caption: str | None = None) -> None:
    """A heading, then a table with its download — or `empty` when there is nothing."""
    st.subheader(heading)
    if table.empty:
        st.info(empty, icon=":material/info:")
        return
    if caption:
        st.caption(caption)
    st.dataframe(table, hide_index=True)
    download_table(table, f"{ctx.as_of}_{ctx.region_name}_{heading}", key=f"{key}_download")


def cards(ctx: Context) -> list[GoalCard]:
    data = region_data(ctx.settings.db_url, ctx.data_version, ctx.region)
    return scorecard_from_data(data, ctx.registry, ctx.settings, ctx.as_of)


def card(ctx: Context, goal_id: str) -> GoalCard:
    """One goal's card: pages showing a few goals need not compute all nine each time."""
    data = region_data(ctx.settings.db_url, ctx.data_version, ctx.region)
    return goal_card(data, ctx.registry.goal(goal_id), ctx.registry, ctx.settings, ctx.as_of)


def where(ctx: Context) -> Where:
    return Where(ctx.region, ctx.region_name, ctx.as_of, ctx.sample)


def goal_chart(ctx: Context, goal_id: str, key: str) -> None:
    """A goal's trend against its target, with the ledger of its records one click away; a sentence
    instead of an empty axis when the region has no value at all."""
    (chart,) = areas.goal_charts([card(ctx, goal_id)], where(ctx))
    if chart.figure is None:
        st.info(chart.empty, icon=":material/info:")
        return
    st.plotly_chart(chart.figure, key=f"{key}_goal")
    with st.container(horizontal=True):
        ledger_button(ctx, goal_id, key=f"{key}_ledger", label="台账（构成本月数值的记录）")
        export_buttons(ctx, chart, key=f"{key}_export")


# Themed views, cached per data version, region and month (they are the pages' heaviest reads).
@st.cache_data(show_spinner="正在统计……", max_entries=32)
def trademark_view(url: str, version: int, region: str, as_of: str) -> trademarks.TrademarkView:
    return trademarks.trademark_view(get_store(url), region, pd.Period(as_of, freq="M"))


@st.cache_data(show_spinner="正在统计……", max_entries=32)
def patent_view(url: str, version: int, region: str, as_of: str, _registry: Registry) -> patents.PatentView:
    return patents.patent_view(get_store(url), region, pd.Period(as_of, freq="M"), _registry)


@st.cache_data(show_spinner="正在统计……", max_entries=32)
def financing_view(url: str, version: int, region: str, as_of: str, since: str) -> financing.FinancingView:
    return financing.financing_view(get_store(url), region, pd.Period(as_of, freq="M"), pd.Period(since, freq="M"))


@st.cache_data(show_spinner="正在统计……", max_entries=32)
def enterprise_view(url: str, version: int, region: str, as_of: str) -> enterprises.EnterpriseView:
    return enterprises.enterprise_view(get_store(url), region, pd.Period(as_of, freq="M"))


@st.cache_data(show_spinner="正在逐个乡镇计算……", max_entries=16)
def _township_comparison(url: str, version: int, parent: str, as_of: str, choices: tuple,
                         _registry: Registry, _settings: Settings) -> pd.DataFrame:
    return peers.township_comparison(get_store(url), _registry, _settings, parent, pd.Period(as_of, freq="M"))


def township_comparison(ctx: Context) -> pd.DataFrame:
    choices = (ctx.settings.population_basis, ctx.settings.trademark_basis)  # part of the cache key
    return _township_comparison(ctx.settings.db_url, ctx.data_version, ctx.region, str(ctx.as_of), choices,
                                ctx.registry, ctx.settings)


@st.cache_data(show_spinner="正在比较同级地区……", max_entries=16)
def _peer_comparison(url: str, version: int, ancestor: str | None, level: str, as_of: str, choices: tuple,
                     _group: peers.PeerGroup, _registry: Registry, _settings: Settings) -> pd.DataFrame:
    return peers.compare(get_store(url), _registry, _settings, region_tree(url, version), _group,
                         pd.Period(as_of, freq="M"))


def peer_comparison(ctx: Context, group: peers.PeerGroup) -> pd.DataFrame:
    """Every peer of `group` on every goal (ipmetrics.peers.compare), cached per group and month."""
    choices = (ctx.settings.population_basis, ctx.settings.trademark_basis)  # part of the cache key
    return _peer_comparison(ctx.settings.db_url, ctx.data_version, group.ancestor, group.level, str(ctx.as_of),
                            choices, group, ctx.registry, ctx.settings)


def view_args(ctx: Context) -> tuple:
    return ctx.settings.db_url, ctx.data_version, ctx.region, str(ctx.as_of)


# --- editors ------------------------------------------------------------------------------------------
def _secrets(name: str) -> dict:
    """A section of the secrets file, or nothing when there is no secrets file at all."""
    try:
        return dict(st.secrets.get(name, {}) or {})
    except Exception:  # no secrets file: Streamlit raises on first access
        return {}


def oidc_configured() -> bool:
    return bool(_secrets("auth"))


def client_address() -> str:
    return str(getattr(st.context, "ip_address", None) or "browser")


def current_editor() -> auth.Editor | None:
    """The signed-in editor of this session, if any."""
    if oidc_configured():
        user = st.user
        if getattr(user, "is_logged_in", False):
            email = str(user.get("email") or "").lower()
            if email and email in auth.oidc_editors(_secrets("ipmetrics")):
                return auth.Editor(email, str(user.get("name") or email), "oidc")
        return None
    return st.session_state.get("editor")


def _login_form() -> None:
    with st.sidebar.expander("编辑登录", icon=":material/lock:"):
        st.caption("查看不需要登录。导入数据、修改品牌与督办事项、冻结快照需要编辑账号。")
        if oidc_configured():
            if getattr(st.user, "is_logged_in", False):
                st.warning(f"{labels.plain(st.user.get('email'))} 不在编辑名单中，只能查看。")
                st.button("退出", on_click=st.logout, key="oidc_logout")
            else:
                st.button("统一身份认证登录", on_click=st.login, key="oidc_login", type="primary")
            return
        with st.form("login_form", border=False):
            account = st.text_input("用户名", key="login_account")
            password = st.text_input("密码", type="password", key="login_password")
            submitted = st.form_submit_button("登录", type="primary")
        if submitted:
            # Attempts are logged through the writing account, even where viewers read through another.
            store = get_store(Settings.from_env().db_url)
            result = auth.log_in(store, auth.accounts(_secrets("ipmetrics")), account, password, client_address())
            if result.editor is None:
                st.error(result.message)
            else:
                st.session_state["editor"] = result.editor
                st.rerun()


def _log_out(store: Store, editor: auth.Editor) -> None:
    auth.audit(store, editor.account, "logout", None, client_address())
    st.session_state.pop("editor", None)


def _editor_badge(store: Store, editor: auth.Editor) -> None:
    with st.sidebar.container(horizontal=True, vertical_alignment="center"):
        st.caption(f"编辑：{labels.plain(editor.label)}")
        if editor.method == "oidc":
            st.button("退出", on_click=st.logout, key="logout", type="tertiary")
        else:
            st.button("退出", on_click=_log_out, args=(store, editor), key="logout", type="tertiary")


def _account_box(store: Store, editor: auth.Editor | None) -> None:
    if editor is None:
        _login_form()
    else:
        _editor_badge(store, editor)


def require_editor(ctx: "Context", what: str) -> auth.Editor | None:
    """The editor, or None after saying (in place of the controls) that `what` needs one."""
    if ctx.editor is None:
        st.info(f"{what}需要编辑权限：请在左侧“编辑登录”中登录。查看数据不需要登录。", icon=":material/lock:")
    return ctx.editor


@st.cache_resource(show_spinner=False, max_entries=4)
def region_tree(url: str, data_version: int) -> Hierarchy:
    """The region tree of the store, shared by every session (read-only)."""
    regions, _, _, _ = store_overview(url, data_version)
    return Hierarchy.from_frame(regions)


REGION_KEY = "region"   # the chosen region's code, in session state and (when not the default) in the URL


def _keep(key: str) -> None:
    """Carry a sidebar choice over to the next page.

    Every page draws the sidebar itself, so each page's widget has its own id (Streamlit adds the page
    to it). A value that came from a link lives, after the first run, under the first page's widget id
    only; the next page's widget takes the key over before Streamlit copies the old value onto it
    (which it does at the end of that run). That is why, with the month bound to the URL by Streamlit
    (bind="query-params"), the first click in the navigation after opening a link showed the default
    month, and the second the link's. Setting the key to its current value before the widget is drawn
    makes the widget start from it on every page.
    """
    if key in st.session_state:
        st.session_state[key] = st.session_state[key]


_WRITTEN = "_url_written"   # in session state: what this session last put in the address bar, by key


def _to_url(key: str, value: str | None) -> None:
    """Mirror a choice into the address bar (left out at its default, as Streamlit's binding does)."""
    if value is None:
        if key in st.query_params:
            del st.query_params[key]
    elif st.query_params.get(key) != value:
        st.query_params[key] = value
    st.session_state.setdefault(_WRITTEN, {})[key] = value


def _history_navigation() -> bool:
    """True when this run follows the browser's back or forward button (Streamlit's run context says so)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx
    return bool(getattr(get_script_run_ctx(), "is_history_navigation", False))


def _url_request(key: str) -> tuple[bool, str | None]:
    """Whether the address asks for a `key` this session did not put there itself — a shared link, the
    browser's back or forward, an edited address — and what: the text, or None for "absent, so the
    default" after back or forward. Otherwise the session's own choice stands: a click in the
    navigation drops the query string, and must not reset the choices."""
    written = st.session_state.get(_WRITTEN, {})
    asked = st.query_params.get(key)
    if asked is not None and (key not in written or asked != written[key]):
        return True, asked
    if asked is None and written.get(key) is not None and _history_navigation():
        return True, None
    return False, None


def _choose_month(months: list[str]) -> str:
    """The as-of month, newest first; `?as_of=2025年12月` (or 2025-12) in the URL, left out when newest.

    Kept in session state and written to the URL here rather than by Streamlit's binding, which puts a
    linked value back into the URL only from the second page switch on (see _keep)."""
    requested, asked = _url_request("as_of")
    if requested:
        month = months[0] if asked is None else periods.month_from_text(asked)
        if month in months:
            st.session_state["as_of"] = month
    if st.session_state.get("as_of") not in months:
        st.session_state.pop("as_of", None)
    _keep("as_of")
    as_of = st.sidebar.selectbox("截至月份", months, key="as_of",
                                 format_func=lambda m: periods.month_label(m))
    _to_url("as_of", None if as_of == months[0] else periods.month_label(as_of))
    return as_of


def _picked(key: str) -> None:
    st.session_state[REGION_KEY] = st.session_state[key]


def _choose_region(tree: Hierarchy, default: str) -> str:
    """The cascading region picker: one box per level, each listing the children of the choice above
    and, first, the choice above itself (its whole area); a level's box only when there is a choice.

    The region is kept under REGION_KEY in session state (so it carries over between pages) and
    mirrored into the URL as `?region=<code>`; a link may give the code or a unique name (or the
    name with its code, as the picker shows a repeated one).
    """
    region = st.session_state.get(REGION_KEY)
    requested, asked = _url_request(REGION_KEY)
    if requested:
        found = default if asked is None else tree.resolve(asked)
        if found is None:
            why = "有重名，请用区划代码" if tree.is_ambiguous(asked) else "不在数据中"
            st.sidebar.caption(f"网址中的地区“{labels.plain(asked)}”{why}，"
                               f"仍显示{labels.plain(tree.label(region if region in tree else default))}。")
        region = found or region
    if region not in tree:
        region = default
    st.session_state[REGION_KEY] = region
    boxes = tree.cascade(region)
    single = tree.single_choice()
    for number, box in enumerate(boxes):
        siblings = [tree.names[c] for c in box.options if c != box.parent]
        repeated = {n for n in siblings if siblings.count(n) > 1}

        def label(code: str, box=box, first=number == 0, repeated=repeated) -> str:
            if code == box.parent:
                return tree.label(code) if first else tree.whole_label(code)
            name = tree.names[code]
            return f"{name}（{code}）" if name in repeated else name

        st.session_state[box.key] = box.chosen  # every run: the widget follows REGION_KEY on every page
        st.sidebar.selectbox("地区" if single else LEVEL_ZH.get(box.level, "地区"), list(box.options),
                             key=box.key, format_func=label, on_change=_picked, args=(box.key,))
    _to_url(REGION_KEY, None if region == default else region)
    return region


def sidebar() -> Context:
    """Draw the sidebar (as-of month, region, definitions) and return the choices."""
    base = Settings.from_env()
    registry = get_registry(str(base.indicators_path), base.indicators_path.stat().st_mtime)
    editor = current_editor()
    if editor is None and base.viewer_db_url:  # viewers read through a read-only account
        base = replace(base, db_url=base.viewer_db_url)
    store = get_store(base.db_url)
    version = store.data_version()
    _, latest, has_records, sample = store_overview(base.db_url, version)

    st.sidebar.markdown(f"### {labels.APP_TITLE}")
    if not has_records or latest is None:
        st.sidebar.info("数据库中还没有数据。")
        _account_box(store, editor)
        return Context(settings=base, registry=registry, data_version=version, sample=sample, has_data=False,
                       editor=editor)

    first = min(pd.Period(g.baseline_date, freq="M") for g in registry.goals)
    months = [str(m) for m in pd.period_range(first, latest, freq="M")[::-1]]
    as_of = _choose_month(months)
    tree = region_tree(base.db_url, version)
    region = _choose_region(tree, registry.region if registry.region in tree else tree.roots[0])
    with st.sidebar.expander("统计口径", expanded=False):
        population_basis = st.radio("人口口径（每万人口发明专利）", list(CHOICES["population_basis"]),
                                    index=list(CHOICES["population_basis"]).index(base.population_basis),
                                    format_func=CHOICES["population_basis"].get, key="population_basis")
        trademark_basis = st.radio("商标注册总量口径", list(CHOICES["trademark_basis"]),
                                   index=list(CHOICES["trademark_basis"]).index(base.trademark_basis),
                                   format_func=CHOICES["trademark_basis"].get, key="trademark_basis")
        st.caption(f"质押融资累计起点：{periods.month_label(base.financing_since)}；基期 2020年12月底，目标期 2030年12月底。")
    st.sidebar.caption(f"{labels.APP_SUBTITLE}")
    _account_box(store, editor)
    settings = base.with_choices(population_basis=population_basis, trademark_basis=trademark_basis)
    return Context(settings=settings, registry=registry, data_version=version, sample=sample, has_data=True,
                   region=region, region_name=tree.label(region), as_of=pd.Period(as_of, freq="M"),
                   editor=editor)


def _leave_pages_folder_mode() -> None:
    """Switch off Streamlit's older pages/-folder mode for the rest of this process.

    scripts/serve.py (what run-app.sh uses) does this before the server starts. Under a plain
    `streamlit run app.py`, a deep link as the very first request runs its page alone once (with a
    file-listing menu); from the next run on, app.py's navigation is in charge. No rerun is forced
    here: AppTest sets the flag again before every run, and a rerun would drop a clicked button.
    """
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # pragma: no cover - a Streamlit without the v1 flag
        return
    PagesManager.uses_pages_directory = False


def start_page(require_data: bool = True) -> Context:
    """Every page begins here: the sidebar, the sample banner, and the choices it returns.

    With no data in the store, a page that needs data says how to load some and stops.
    """
    _leave_pages_folder_mode()
    ctx = sidebar()
    if require_data and not ctx.has_data:
        st.title(labels.APP_TITLE)
        st.info(
            "数据库中还没有数据。统计人员可用命令导入数据，例如：\n\n"
            "`ipmetrics import regions 区划.csv`，然后导入人口、企业、商标、专利、质押融资等文件"
            "（也可在“数据导入”页上传）；或运行 `ipmetrics load-sample` 载入示例数据以便演示。"
        )
        st.stop()
    if ctx.sample:
        st.warning(labels.SAMPLE_BANNER, icon=":material/science:")
    return ctx
