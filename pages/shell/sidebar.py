"""The sidebar (as-of month, region, statistical choices, the editor's login) and start_page, where every
page begins."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd
import streamlit as st

from ipmetrics.core import labels, periods
from ipmetrics.core.goals import Registry
from ipmetrics.core.hierarchy import LEVEL_ZH, Hierarchy
from ipmetrics.core.settings import CHOICES, Settings
from pages.shell.cache import default_month, get_registry, get_store, region_tree, store_overview, store_versions
from pages.shell.chrome import chinese_chrome
from pages.shell.context import Context
from pages.shell.internals import leave_pages_folder_mode
from pages.shell.login import account_box, current_editor
from pages.shell.url_state import choose_month, choose_region


def _periods_text(registry: Registry) -> str:
    """基期 2020年12月底，目标期 2030年12月底 — when the goals share them."""
    # Monitoring goals may have no dates: they neither share nor break the others' dates.
    baselines = {goal.baseline_date for goal in registry.goals} - {None}
    targets = {goal.target_date for goal in registry.goals} - {None}
    if len(baselines) == 1 and len(targets) == 1:
        return (f"基期 {periods.month_label(baselines.pop())}底，"
                f"目标期 {periods.month_label(targets.pop())}底。")
    return "各项目标的基期与目标期见指标详情。"


def _bases(base: Settings, registry: Registry) -> tuple[str, str]:
    """The sidebar's 统计口径 choices: the population behind per-10,000 figures, and the trademark count."""
    with st.sidebar.expander("统计口径", expanded=False):
        population_basis = st.radio("人口口径（每万人口发明专利）", list(CHOICES["population_basis"]),
                                    index=list(CHOICES["population_basis"]).index(base.population_basis),
                                    format_func=CHOICES["population_basis"].get, key="population_basis")
        trademark_basis = st.radio("商标注册总量口径", list(CHOICES["trademark_basis"]),
                                   index=list(CHOICES["trademark_basis"]).index(base.trademark_basis),
                                   format_func=CHOICES["trademark_basis"].get, key="trademark_basis")
        st.caption(f"质押融资累计起点：{periods.month_label(base.financing_since)}；{_periods_text(registry)}")
    return population_basis, trademark_basis


def sidebar() -> Context:
    """Draw the sidebar (as-of month, region, definitions) and return the choices."""
    base = Settings.from_env()
    registry = get_registry(str(base.indicators_path), base.indicators_path.stat().st_mtime)
    editor = current_editor()
    if editor is None and base.viewer_db_url:  # viewers read through a read-only account
        base = replace(base, db_url=base.viewer_db_url)
    store = get_store(base.db_url)
    version, frozen = store_versions(base.db_url)
    _, latest, has_records, sample = store_overview(base.db_url, version)

    st.sidebar.markdown(f"### {labels.plain(registry.dashboard_title)}")
    account_box(store, editor)  # first under the title: editors look for it before anything else
    if not has_records or latest is None:
        st.sidebar.info("数据库中还没有数据。")
        return Context(settings=base, registry=registry, data_version=version, sample=sample, has_data=False,
                       editor=editor, snapshots_version=frozen)

    months = [str(m) for m in periods.months(first_month(registry, base), latest)[::-1]]
    shown_first = default_month(base.db_url, version, frozen, str(date.today()),
                                str(base.indicators_path), base.indicators_path.stat().st_mtime)
    as_of = choose_month(months, shown_first, _month_describer(shown_first))
    tree = region_tree(base.db_url, version)
    home = registry.region if registry.region in tree else tree.roots[0]
    region = choose_region(tree, home)
    population_basis, trademark_basis = _bases(base, registry)
    st.sidebar.caption(labels.plain(registry.basis))
    settings = base.with_choices(population_basis=population_basis, trademark_basis=trademark_basis)
    return Context(settings=settings, registry=registry, data_version=version, sample=sample, has_data=True,
                   region=region, region_name=tree.label(region), as_of=periods.month(as_of), editor=editor,
                   home_name=tree.label(home), whole=tree.whole_label(home).strip("（）"), below=_below(tree, home),
                   snapshots_version=frozen)


def _month_describer(shown_first: str):
    """A month's name in the sidebar's box, marking those after the month shown first: not yet over, or
    over but with some source not loaded through it."""
    this_month = periods.month(date.today())

    def describe(month: str) -> str:
        if month <= shown_first:
            return periods.month_label(month)
        return periods.month_label(month) + ("（本月未结束）" if periods.month(month) >= this_month else "（数据未齐）")
    return describe


def first_month(registry: Registry, settings: Settings) -> pd.Period:
    """The earliest month to offer: the goals' earliest baseline (those without one skipped), or the start of
    the series when no goal states a baseline."""
    baselines = [periods.month(goal.baseline_date) for goal in registry.goals if goal.baseline_date is not None]
    return min(baselines) if baselines else periods.month(settings.series_start)


def _below(tree: Hierarchy, home: str) -> str:
    """县（区）, 乡镇（街道）…: what the regions one level below `home` are called."""
    children = tree.children.get(home)
    return LEVEL_ZH.get(tree.levels[children[0]], "下级地区") if children else "下级地区"


def start_page(require_data: bool = True) -> Context:
    """Every page begins here: the sidebar, the sample banner, and the choices it returns.

    With no data in the store, a page that needs data says how to load some and stops.
    """
    leave_pages_folder_mode()
    chinese_chrome()
    ctx = sidebar()
    if require_data and not ctx.has_data:
        st.title(ctx.registry.dashboard_title)
        st.info(
            "数据库中还没有数据。统计人员可用命令导入数据，例如：\n\n"
            "`ipmetrics import regions 区划.csv`，然后导入人口、企业、商标、专利、质押融资等文件"
            "（也可在“数据导入”页上传）；或运行 `ipmetrics load-sample` 载入示例数据以便演示。"
        )
        st.stop()
    if ctx.sample:
        st.warning(labels.sample_banner(ctx.home_name or ctx.region_name), icon=":material/science:")
    return ctx
