"""Cached reads: the only place the pages keep Streamlit caches.

Query results are cached by the data version (every import or edit bumps it), so a change shows at once;
the engine, the registry and the region tree are shared resources. The figures come from ipmetrics.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pandas as pd
import streamlit as st

from ipmetrics import monthly
from ipmetrics.charts import areas
from ipmetrics.charts.chart import Chart, Where
from ipmetrics.core import catalog, periods
from ipmetrics.core.goals import Registry, load_registry
from ipmetrics.core.hierarchy import Hierarchy
from ipmetrics.core.measures import RegionData, load_region_data
from ipmetrics.core.scorecard import GoalCard, scorecard_from_data
from ipmetrics.core.settings import Settings
from ipmetrics.core.store import Store, StoreBusy, Waiting, lock_wait_seconds
from ipmetrics.export import images
from ipmetrics.meeting import briefing, policy_view, readiness, snapshots
from ipmetrics.themes import assessment, enterprises, financing, patents, peers, tasks, trademarks
from pages.shell.context import Context

# How long a page waits for the DuckDB file while a command-line import holds it (IPMETRICS_LOCK_WAIT_SECONDS
# sets it for the app and the CLI alike); past it the page says the data are being updated (store_busy).
APP_LOCK_WAIT_SECONDS = 30.0
UPDATING = "数据正在更新，请稍候…"


def _updating(bound: float):
    """Shown while a page waits its turn for the store (announced by the store after about a second)."""
    return st.spinner(UPDATING)


@contextmanager
def store_busy() -> Iterator[None]:
    """Around a page run: a store still busy after the wait ends the page with a notice, not an error."""
    try:
        yield
    except StoreBusy:
        st.info("数据正在更新（有一次导入正在写入），请稍后刷新页面。", icon=":material/hourglass_top:")


@st.cache_resource(show_spinner=False)
def get_store(url: str) -> Store:
    return Store(url, waiting=Waiting(seconds=lock_wait_seconds(APP_LOCK_WAIT_SECONDS), announce=_updating))


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
    latest_text = None if latest is None else str(latest)
    return catalog.regions(store), latest_text, catalog.has_records(store), store.is_sample()


def store_versions(url: str) -> tuple[int, int]:
    """The data version and the newest snapshot's number (bumped by every freeze, the CLI's included), read in
    one round trip on every run: caches of what reads records, and of what reads snapshots, are keyed on them.
    (Two queries, each with its own connection and transaction, were 7 % of the server's CPU, load test.)"""
    data_version, snapshots_version = get_store(url).row("store_versions")
    return int(data_version), int(snapshots_version)


@st.cache_data(show_spinner=False, max_entries=16)
def default_month(url: str, data_version: int, frozen_version: int, today: str, goal_file: str,
                  modified: float) -> str | None:
    """The month viewers see first (readiness.default_month): the newest frozen or complete one, by the
    sources the goal file's goals need."""
    store = get_store(url)
    latest = catalog.latest_month(store)
    if latest is None:
        return None
    registry = get_registry(goal_file, modified)
    return str(readiness.default_month(store, registry, latest, date.fromisoformat(today)))


@st.cache_resource(show_spinner=False, max_entries=4)
def region_tree(url: str, data_version: int) -> Hierarchy:
    """The region tree of the store, shared by every session (read-only)."""
    regions, _, _, _ = store_overview(url, data_version)
    return Hierarchy.from_frame(regions)


@st.cache_resource(show_spinner=False)
def export_session() -> bool:
    """One Chromium for the app's image exports, started on first use and kept (kaleido's server)."""
    images.open_session()
    return True


# A county and its twenty townships over a year of months: 21 × 12 combinations; 32 were evicted in turn when
# viewers looked at different townships and months (12 % of the server's CPU recomputing them, load test).
@st.cache_resource(show_spinner=False, max_entries=256)
def _cards(url: str, data_version: int, region: str | None, as_of: str, goal_file: str, modified: float,
           choices: str, _registry: Registry, _settings: Settings) -> list[GoalCard]:
    data = region_data(url, data_version, region)
    return scorecard_from_data(data, _registry, _settings, periods.month(as_of))


def cards(ctx: Context) -> list[GoalCard]:
    """Every goal's card for the region and month viewed, made once per data version, goal file and the
    sidebar's choices (a fifth of 总览's script run), shared by the sessions: the cards are read, never
    changed (their cached properties compute the same for everyone)."""
    return _cards(ctx.settings.db_url, ctx.data_version, ctx.region, str(ctx.as_of), *_goal_file_and_choices(ctx),
                  ctx.registry, ctx.settings)


def _goal_file(ctx: Context) -> tuple[str, float]:
    """The goal file, as a cache key: its path and time modified (an edited file is a new key)."""
    path = ctx.settings.indicators_path
    return str(path), path.stat().st_mtime


def _goal_file_and_choices(ctx: Context) -> tuple[str, float, str]:
    """The goal file (path, time modified) and the sidebar's choices: with the store, its data version, the region
    and the month, what the caches of computed goals are keyed on."""
    return *_goal_file(ctx), repr(ctx.settings)


@st.cache_data(show_spinner=False, max_entries=32)
def _not_yet_reported(url: str, data_version: int, month: str, goal_file: str, modified: float, choices: str,
                      _registry: Registry, _settings: Settings) -> list[str]:
    return readiness.not_yet_reported(get_store(url), _registry, _settings, month)


def not_yet_reported(ctx: Context, month: pd.Period) -> list[str]:
    """readiness.not_yet_reported once per data version, month, goal file and the sidebar's choices (it computes
    the home region's scorecard: 5 % of the server's CPU when computed on every run of 月度快照)."""
    return _not_yet_reported(ctx.settings.db_url, ctx.data_version, str(month), *_goal_file_and_choices(ctx),
                             ctx.registry, ctx.settings)


@st.cache_data(show_spinner=False, max_entries=32)
def _policy_task_standing(url: str, version: int, as_of: str) -> pd.DataFrame:
    store = get_store(url)
    return tasks.standing(tasks.load_tasks(store), tasks.load_reports(store), pd.Period(as_of, "M"))


def policy_task_standing(ctx: Context) -> pd.DataFrame:
    """Every task as it stands at the end of the month viewed (themes.tasks.standing)."""
    return _policy_task_standing(ctx.settings.db_url, ctx.data_version, str(ctx.as_of))


def card(ctx: Context, goal_id: str) -> GoalCard:
    """One goal's card, out of the region's and month's shared cards (cards): computed apart on every run, a
    page's few cards cost more than the whole scorecard made once (a fifth of the server's CPU with twenty
    viewers, load test)."""
    return next(found for found in cards(ctx) if found.goal.id == goal_id)


@st.cache_resource(show_spinner=False, max_entries=512)
def _goal_chart(url: str, data_version: int, region: str | None, as_of: str, goal_file: str, modified: float,
                choices: str, goal_id: str, region_name: str, sample: bool, _registry: Registry,
                _settings: Settings) -> Chart:
    found = next(c for c in _cards(url, data_version, region, as_of, goal_file, modified, choices, _registry, _settings)
                 if c.goal.id == goal_id)
    (chart,) = areas.goal_charts([found], Where(region, region_name, periods.month(as_of), sample))
    return chart


def goal_chart(ctx: Context, goal_id: str) -> Chart:
    """A goal's trend chart for the region and month viewed, built once and shared by the sessions (read, never
    changed: pages draw it, exports copy it)."""
    return _goal_chart(ctx.settings.db_url, ctx.data_version, ctx.region, str(ctx.as_of), *_goal_file_and_choices(ctx),
                       goal_id, ctx.region_name, ctx.sample, ctx.registry, ctx.settings)


# Snapshots never change, so what is read from one is cached by its id; the action items it lists can
# change, and each change bumps the data version.
@st.cache_data(show_spinner="正在读取快照……", max_entries=16)
def meeting_view(url: str, data_version: int, snapshots_version: int, snapshot_id: int, on: str,
                 _registry: Registry) -> briefing.MeetingView:
    """A snapshot's meeting view; keyed on the newest snapshot too, since the view compares with the snapshot
    before it, and a freeze (on the page or from the CLI) can add one."""
    return briefing.meeting_view(get_store(url), _registry, snapshot_id, pd.Timestamp(on).date())


@st.cache_resource(show_spinner=False, max_entries=16)
def _snapshot_goal_charts(url: str, data_version: int, snapshots_version: int, snapshot_id: int, goal_file: str,
                          modified: float, goal_ids: tuple[str, ...], _cards: list[GoalCard],
                          _where: Where) -> list[Chart]:
    return areas.goal_charts(_cards, _where)


def snapshot_goal_charts(ctx: Context, snapshot_id: int, cards: list[GoalCard], where: Where) -> list[Chart]:
    """The trend charts of some of a snapshot's goal cards (会议简报's goals behind schedule), built once per
    snapshot and goal file and shared by the sessions: building their plotly figures was a third of the meeting
    page's script run (profiled). A snapshot never changes; which cards are asked for is in the key, and the data
    version too, for the region's name in `where` (read from the store, like meeting_view)."""
    return _snapshot_goal_charts(ctx.settings.db_url, ctx.data_version, ctx.snapshots_version, snapshot_id,
                                 *_goal_file(ctx), tuple(card.goal.id for card in cards), cards, where)


@st.cache_data(show_spinner=False, max_entries=16)
def _meeting_parts(url: str, data_version: int, snapshots_version: int, snapshot_id: int, on: str, goal_file: str,
                   modified: float, _registry: Registry, _view: briefing.MeetingView) -> pd.DataFrame:
    return policy_view.part_table(_registry, _view.cards, _view.tasks)


def meeting_parts(ctx: Context, snapshot_id: int, on: str, view: briefing.MeetingView) -> pd.DataFrame:
    """policy_view.part_table of a meeting view (meeting_view, same key), once per view and goal file: a fifth of
    the meeting page's script run when made on every run."""
    return _meeting_parts(ctx.settings.db_url, ctx.data_version, ctx.snapshots_version, snapshot_id, on,
                          *_goal_file(ctx), ctx.registry, view)


# The briefings made, shared by every session: two are kept (this month's and the one compared with).
BRIEFINGS_KEPT = 2
_briefings_lock = threading.Lock()


@st.cache_resource(show_spinner=False)
def _briefings() -> dict:
    return {}


def briefing_content(url: str, data_version: int, snapshots_version: int, snapshot_id: int, on: str,
                     registry: Registry, progress=None):
    """A snapshot's briefing with its charts rendered, once for Word, PDF and PPT alike (rendering the charts
    is most of a document's wait), shared by every session. Kept in a resource by hand rather than through
    st.cache_resource: `progress(text, share)` draws the page's progress bar, and Streamlit refuses
    elements drawn inside a cached function on a block made outside it."""
    key = (url, data_version, snapshots_version, snapshot_id, on)
    made = _briefings()
    found = made.get(key)  # one look: another session may drop an older briefing at any moment
    if found is not None:
        return found
    # Made once, as st.cache_resource would: a second session asking meanwhile waits for the first's (the
    # charts are drawn by the one shared browser anyway) instead of drawing all of them again.
    with _briefings_lock:
        if key not in made:
            export_session()
            made[key] = monthly.briefing_for(get_store(url), registry, snapshot_id, pd.Timestamp(on).date(),
                                             progress=progress)
            while len(made) > BRIEFINGS_KEPT:
                made.pop(next(iter(made)))
        return made[key]


@st.cache_data(show_spinner="正在生成简报文件……", max_entries=6)
def briefing_document(url: str, data_version: int, snapshots_version: int, snapshot_id: int, on: str, fmt: str,
                      _registry: Registry) -> bytes:
    content = briefing_content(url, data_version, snapshots_version, snapshot_id, on, _registry)
    return monthly.document_bytes(content, fmt)


@st.cache_data(show_spinner="正在核对数据指纹……", max_entries=64)
def snapshot_is_current(url: str, data_version: int, snapshot_id: int) -> bool:
    store = get_store(url)
    return snapshots.is_current(store, snapshots.get(store, snapshot_id))


# Themed views, cached per data version, region and month (they are the pages' heaviest reads).
def view_args(ctx: Context) -> tuple:
    """What the themed views below are keyed by: store, data version, region and month."""
    return ctx.settings.db_url, ctx.data_version, ctx.region, str(ctx.as_of)


@st.cache_data(show_spinner="正在统计……", max_entries=32)
def trademark_view(url: str, version: int, region: str, as_of: str) -> trademarks.TrademarkView:
    return trademarks.trademark_view(get_store(url), region, periods.month(as_of))


@st.cache_data(show_spinner="正在统计……", max_entries=32)
def _patent_view(url: str, version: int, region: str, as_of: str, groups: tuple,
                 _registry: Registry) -> patents.PatentView:
    return patents.patent_view(get_store(url), region, periods.month(as_of), _registry)


def patent_view(ctx: Context) -> patents.PatentView:
    """The patents view, cached also by the goal file's industry groups (an edited file regroups them)."""
    groups = tuple((group.name, group.industries) for group in ctx.registry.industry_groups)
    return _patent_view(*view_args(ctx), groups, ctx.registry)


@st.cache_data(show_spinner="正在统计……", max_entries=32)
def financing_view(url: str, version: int, region: str, as_of: str, since: str) -> financing.FinancingView:
    return financing.financing_view(get_store(url), region, periods.month(as_of), periods.month(since))


@st.cache_data(show_spinner="正在统计……", max_entries=32)
def enterprise_view(url: str, version: int, region: str, as_of: str) -> enterprises.EnterpriseView:
    return enterprises.enterprise_view(get_store(url), region, periods.month(as_of))


@st.cache_data(show_spinner="正在逐个乡镇计算……", max_entries=16)
def _township_comparison(url: str, version: int, parent: str, as_of: str, choices: tuple,
                         _registry: Registry, _settings: Settings) -> pd.DataFrame:
    return peers.township_comparison(get_store(url), _registry, _settings, parent, periods.month(as_of))


@st.cache_data(show_spinner="正在逐个乡镇计算考核得分……", max_entries=16)
def _assessment_results(url: str, version: int, parent: str, as_of: str, choices: tuple, _registry: Registry,
                        _settings: Settings) -> assessment.Results:
    records = assessment.township_records(get_store(url), _registry, _settings, parent, periods.month(as_of))
    return assessment.results(records, _registry)


def assessment_results(ctx: Context) -> assessment.Results:
    """The townships below the region viewed, scored against their assigned targets (themes.assessment)."""
    choices = (ctx.settings.population_basis, ctx.settings.trademark_basis)  # part of the cache key
    return _assessment_results(ctx.settings.db_url, ctx.data_version, ctx.region, str(ctx.as_of), choices,
                               ctx.registry, ctx.settings)


def township_comparison(ctx: Context) -> pd.DataFrame:
    choices = (ctx.settings.population_basis, ctx.settings.trademark_basis)  # part of the cache key
    return _township_comparison(ctx.settings.db_url, ctx.data_version, ctx.region, str(ctx.as_of), choices,
                                ctx.registry, ctx.settings)


@st.cache_data(show_spinner="正在比较同级地区……", max_entries=16)
def _peer_comparison(url: str, version: int, ancestor: str | None, level: str, as_of: str, choices: tuple,
                     _group: peers.PeerGroup, _registry: Registry, _settings: Settings) -> pd.DataFrame:
    return peers.compare(get_store(url), _registry, _settings, region_tree(url, version), _group,
                         periods.month(as_of))


def peer_comparison(ctx: Context, group: peers.PeerGroup) -> pd.DataFrame:
    """Every peer of `group` on every goal (ipmetrics.themes.peers.compare), cached per group and month."""
    choices = (ctx.settings.population_basis, ctx.settings.trademark_basis)  # part of the cache key
    return _peer_comparison(ctx.settings.db_url, ctx.data_version, group.ancestor, group.level, str(ctx.as_of),
                            choices, group, ctx.registry, ctx.settings)
