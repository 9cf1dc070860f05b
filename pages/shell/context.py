"""The pages' addresses and the choices every page reads from the sidebar."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ipmetrics import auth
from ipmetrics.charts.chart import Where
from ipmetrics.core import labels
from ipmetrics.core.goals import Registry
from ipmetrics.core.settings import Settings

# Paths as app.py's navigation names them; pages link and switch to each other by these.
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
    home_name: str | None = None        # the goal file's region, as named in the store
    whole: str = "全县"                  # what the home region's whole area is called (全县, 全市 …)
    below: str = "乡镇（街道）"           # what the regions one level below it are called

    def status_texts(self) -> dict:
        """What each status means, in the goal file's terms (its [method] and target year)."""
        return labels.status_texts(self.registry.method, self.registry.target_year, self.whole, self.below)


def where(ctx: Context) -> Where:
    """The region and month a chart is about, as the figure builders take them."""
    return Where(ctx.region, ctx.region_name, ctx.as_of, ctx.sample)
