"""品牌培育 (article 五): the named collective and GI marks, where each stands in its application, and
what the GI candidates still owe the goal of three GI marks (article 二).

A brand's status at a month-end d follows from its dates alone: registered (注册日期 ≤ d), else rejected,
else published (初审公告), else accepted, else filed, else not filed. Edits are written through the
importer, so they are validated like any file and either all saved or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ipmetrics.core import outlook, periods
from ipmetrics.core.goals import Goal, Registry
from ipmetrics.core.labels import plain
from ipmetrics.core.measures import RegionData
from ipmetrics.core.scorecard import goal_card
from ipmetrics.core.settings import Settings
from ipmetrics.core.store import Store
from ipmetrics.io import edits
from ipmetrics.io.importer import ImportRejected, ImportResult, Source, import_files
from ipmetrics.io.schemas import KINDS
from ipmetrics.themes import brand_reconciliation

KIND = KINDS["brands"]

# The application pipeline in order; a rejection stands aside from it.
STAGES = ("not_filed", "filed", "accepted", "published", "registered")
REJECTED = "rejected"
STATUSES = (*STAGES, REJECTED)

STATUS_LABEL = {
    "not_filed": "未申报",
    "filed": "已申报",
    "accepted": "已受理",
    "published": "初审公告",
    "registered": "已注册",
    "rejected": "驳回",
}
STATUS_EXPLAINED = {
    "not_filed": "尚未向商标局提交申请",
    "filed": "已提交申请，尚未受理",
    "accepted": "商标局已受理，等待审查",
    "published": "已通过初步审定并公告，公告期满无异议即可注册",
    "registered": "已核准注册",
    "rejected": "申请被驳回（可复审或重新申报）",
}
BRAND_TYPE_LABEL = {"collective": "集体商标", "gi": "地理标志商标"}

# The date that moves a brand into each status, in increasing precedence.
_STATUS_DATE = [("filed_on", "filed"), ("accepted_on", "accepted"), ("published_on", "published"),
                ("rejected_on", "rejected"), ("registered_on", "registered")]
DATE_COLUMNS = ["filed_on", "accepted_on", "published_on", "registered_on", "rejected_on"]

REGION_NAME = "所在乡镇（街道）"
STATUS_COLUMN = "状态"
EDIT_SOURCE = "品牌培育页面编辑.csv"  # the "file name" an edit is logged under


# --- reading -------------------------------------------------------------------------------------
def load_brands(store: Store, region: str) -> pd.DataFrame:
    """The brand candidates of `region` and everything under it, raw columns, dates as timestamps."""
    frame = store.frame("brands", region=region)
    for column in DATE_COLUMNS:
        frame[column] = pd.to_datetime(frame[column])
    frame["updated_at"] = pd.to_datetime(frame["updated_at"])
    return frame


def statuses(brands: pd.DataFrame, as_of: pd.Period | str) -> pd.Series:
    """Each brand's status code at the end of `as_of`, from its dates."""
    d = pd.Timestamp(periods.month_end(as_of))
    status = pd.Series("not_filed", index=brands.index, dtype=object)
    for column, code in _STATUS_DATE:
        status[(pd.to_datetime(brands[column]) <= d).to_numpy()] = code
    return status


def status_since(brands: pd.DataFrame, status: pd.Series) -> pd.Series:
    """The date that put each brand in `status` (blank for a brand not yet filed)."""
    column_of = {code: column for column, code in _STATUS_DATE}
    return pd.Series([pd.NaT if code not in column_of else brands.at[index, column_of[code]]
                      for index, code in status.items()], index=brands.index, dtype="datetime64[ns]")


def with_status(brands: pd.DataFrame, as_of: pd.Period | str) -> pd.DataFrame:
    frame = brands.copy()
    frame["status"] = statuses(brands, as_of)
    return frame


def pipeline(brands: pd.DataFrame, as_of: pd.Period | str) -> pd.DataFrame:
    """One row per status in pipeline order (驳回 last): code, label, how many brands, and their names."""
    status = statuses(brands, as_of)
    rows = []
    for code in STATUSES:
        names = brands.loc[status == code, "name"].astype(str).tolist()
        rows.append({"status": code, "label": STATUS_LABEL[code], "count": len(names), "names": names})
    return pd.DataFrame(rows, columns=["status", "label", "count", "names"])


def pipeline_table(stages: pd.DataFrame) -> pd.DataFrame:
    """The pipeline in Chinese, for the table beside the chart and its download."""
    return pd.DataFrame({
        "阶段": stages["label"].to_numpy(),
        "品牌数": stages["count"].astype(int).to_numpy(),
        "品牌": ["、".join(names) for names in stages["names"]],
    })


def names_of_type(brands: pd.DataFrame, brand_type: str) -> list[str]:
    """The names of the candidates of one type (collective or gi)."""
    return brands.loc[brands["brand_type"] == brand_type, "name"].astype(str).tolist()


def registered_count(brands: pd.DataFrame, as_of: pd.Period | str, brand_type: str | None = None) -> int:
    """How many candidates (of one type, or all) are registered at the end of `as_of`."""
    status = statuses(brands, as_of)
    chosen = status == "registered"
    if brand_type is not None:
        chosen &= brands["brand_type"] == brand_type
    return int(chosen.sum())


# --- the GI goal ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class GiGap:
    """How far the county is from its GI-mark goal, and which candidates could still close the gap."""

    goal: Goal
    value: float | None        # GI marks in force in the county (the goal's value; None without data)
    target: float
    gap: int | None            # max(0, target − value); None without data
    candidates: pd.DataFrame   # GI candidates neither registered nor rejected, furthest along first

    @property
    def short_of_candidates(self) -> bool:
        """Fewer live candidates than marks still needed."""
        return self.gap is not None and len(self.candidates) < self.gap

    def candidate_text(self) -> str:
        """“罗山石山口鱼（初审公告）、铁铺豆腐（未申报）”."""
        return "、".join(f"{plain(row.name)}（{STATUS_LABEL[row.status]}）" for row in self.candidates.itertuples())


def gi_gap(county: RegionData, registry: Registry, settings: Settings, as_of: pd.Period | str,
           brands: pd.DataFrame) -> GiGap | None:
    """The gap to the GI goal (the goal tagged "gi" in the goal file) at the end of `as_of` (a county total)
    and the GI candidates among `brands` that are neither registered nor rejected then; None when the
    goal file has no GI goal, or only monitors it (no target, so no gap)."""
    if county.region != registry.region:
        raise ValueError(f"地理标志商标目标是全县总量，应传入全县（{registry.region}）的数据，而不是 {county.region}")
    goal = registry.first_tagged("gi")
    if goal is None or goal.target is None:
        return None
    as_of = pd.Period(as_of, freq="M")
    value = goal_card(county, goal, registry, settings, as_of).progress.value
    gap = None if value is None else outlook.missing_units(value, goal.target, goal.comparator)
    frame = with_status(brands, as_of)
    live = frame[(frame["brand_type"] == "gi") & ~frame["status"].isin(["registered", REJECTED])].copy()
    live["_stage"] = live["status"].map(STAGES.index)
    live = live.sort_values(["_stage", "name"], ascending=[False, True], kind="stable")
    return GiGap(goal=goal, value=value, target=goal.target, gap=gap,
                 candidates=live.drop(columns="_stage").reset_index(drop=True))


# --- reconciliation with the trademark rows -----------------------------------------------------------
def reconciliation(store: Store, region: str, registry: Registry) -> pd.DataFrame:
    """Where `region`'s brands and the trademark rows disagree, by registration number: one row per finding
    (rule, level 错误/警告/提示, brand, reg_no, problem, action in Chinese); see themes/brand_reconciliation.
    The GI goal (tagged "gi") is named in the findings that keep a brand from counting towards it."""
    goal = registry.first_tagged("gi")
    return brand_reconciliation.reconciliation(store, region, goal.label if goal is not None else None)


# --- display and editing ----------------------------------------------------------------------------
def _date_text(column: pd.Series) -> pd.Series:
    return pd.to_datetime(column).dt.strftime("%Y-%m-%d").fillna("")


def brand_table(brands: pd.DataFrame, as_of: pd.Period | str) -> pd.DataFrame:
    """The candidates in Chinese, with their status at `as_of` and every date: the list and its download."""
    status = statuses(brands, as_of)
    table = pd.DataFrame({
        KIND.labels["name"]: brands["name"].astype(str).to_numpy(),
        KIND.labels["brand_type"]: brands["brand_type"].map(BRAND_TYPE_LABEL).fillna(brands["brand_type"]).to_numpy(),
        STATUS_COLUMN: status.map(STATUS_LABEL).to_numpy(),
        REGION_NAME: brands["region_name"].fillna(brands["region_code"]).to_numpy(),
        KIND.labels["applicant"]: brands["applicant"].fillna("").to_numpy(),
    })
    for column in DATE_COLUMNS:
        table[KIND.labels[column]] = _date_text(brands[column]).to_numpy()
    table[KIND.labels["reg_no"]] = brands["reg_no"].fillna("").to_numpy()
    table[KIND.labels["note"]] = brands["note"].fillna("").to_numpy()
    table["最后更新"] = [
        "" if pd.isna(at) else f"{'' if pd.isna(by) else by} {at:%Y-%m-%d %H:%M}".strip()
        for by, at in zip(brands["updated_by"], brands["updated_at"])
    ]
    return table


def editor_frame(brands: pd.DataFrame) -> pd.DataFrame:
    """The candidates as the editor shows them (type in Chinese); save_brands reads this frame back."""
    return edits.editor_frame(brands, KIND, DATE_COLUMNS, {"brand_type": BRAND_TYPE_LABEL})


def changed_rows(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    return edits.changed_rows(before, after)


def save_brands(store: Store, frame: pd.DataFrame, user: str, client: str | None = None,
                actor: str | None = None) -> ImportResult:
    """Write an edited frame of brands (Chinese or English headers) through the importer.

    Validated like an imported file; any bad row raises ImportRejected and nothing is written. Rows replace
    the stored brand of the same name; the user is recorded on each row and in the import log.
    """
    data = edits.as_text(frame).to_csv(index=False).encode("utf-8")
    return import_files(store, [("brands", Source(EDIT_SOURCE, data))], user=user, client=client, actor=actor)[0]


def edited_names(frame: pd.DataFrame) -> list[str]:
    """The brand names of an edited frame (Chinese or English headers)."""
    return edits.key_values(frame, (KIND.labels["name"], "name"))


def rejection_table(rejected: ImportRejected, frame: pd.DataFrame) -> pd.DataFrame:
    """What is wrong with a refused edit, one line per problem, naming the brand and the field in Chinese."""
    return edits.rejection_table(rejected, frame, "品牌名称", (KIND.labels["name"], "name"))


__all__ = ["BRAND_TYPE_LABEL", "GiGap", "STAGES", "STATUSES", "STATUS_LABEL", "brand_table", "changed_rows",
           "edited_names", "editor_frame", "gi_gap", "load_brands", "names_of_type", "pipeline",
           "pipeline_table", "reconciliation", "registered_count", "rejection_table", "save_brands", "statuses",
           "with_status"]
