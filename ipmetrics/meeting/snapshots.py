"""Monthly snapshots: every goal's figures frozen as the figures of record for a meeting.

A snapshot holds, for the county and each township, what `status_records` gives (value, target,
completion, expected value, projection, status …), the monthly series behind each value, the named
brands' status, who froze it and when, and a SHA-256 of the records as they stood at the month's end.
It is never updated: a correction is a new revision of the same month that records its reason, and
every revision stays readable.
"""

from __future__ import annotations

import getpass
import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from ipmetrics.core import catalog, outlook, periods
from ipmetrics.core.goals import Registry
from ipmetrics.core.measures import load_family_data
from ipmetrics.core.progress import Progress, Status
from ipmetrics.core.scorecard import GoalCard, scorecard_from_data, status_records
from ipmetrics.core.settings import Settings
from ipmetrics.core.store import Store, StoreConflict
from ipmetrics.meeting.readiness import MISSING_HOW_TO, missing_for, required_sources, unreported_lines
from ipmetrics.meeting.wording import pipeline_names
from ipmetrics.themes import assessment
from ipmetrics.themes import brands as brand_status
from ipmetrics.themes import tasks as policy_tasks

HASHED_TABLES = ("regions", "population", "trademarks", "patents", "pledges", "enterprises", "reported",
                 "brands")
_SETTINGS_FROZEN = ("population_basis", "trademark_basis", "financing_since", "series_start")
_GOAL_COLUMNS = ("value", "target", "completion", "expected", "projection", "baseline", "gap",
                 "monthly_pace_needed", "anticipated_progress", "previous_value", "change", "likelihood", "pace")


class SnapshotError(ValueError):
    """A snapshot cannot be made or found; the message says why, in Chinese."""


class NotReady(SnapshotError):
    def __init__(self, month: pd.Period, problems: list[str]):
        self.month = month
        self.problems = problems
        how_to = f"\n{MISSING_HOW_TO}" if any("数据只到" in p for p in problems) else ""
        super().__init__(f"{periods.month_label(month)}的数据还不完整，不能冻结快照：\n"
                         + "\n".join(f"· {p}" for p in problems) + how_to)


@dataclass(frozen=True)
class SnapshotInfo:
    id: int
    month: pd.Period
    revision: int
    region: str
    note: str | None
    reason: str | None
    frozen_by: str
    frozen_at: datetime
    data_sha256: str
    indicators_sha256: str
    settings: dict
    sample: bool

    @property
    def label(self) -> str:
        return f"{periods.month_label(self.month)}快照第{self.revision}版"

    @property
    def frozen_text(self) -> str:
        return f"{self.frozen_by} 于 {self.frozen_at:%Y-%m-%d %H:%M} 冻结"


def data_fingerprint(store: Store, month: pd.Period | str) -> str:
    """SHA-256 of every record as it stood at the month's end (later events blanked), in key order.

    The high-value flags of patents (migration 007) are a section of their own, hashed only when some
    patent granted by then has one: a store without flags keeps the fingerprint its snapshots were
    frozen with, and flagging a patent changes it. The policy's tasks and their reports (migration 009) are
    hashed likewise, from the month in which the first report was made: tasks carry no date, and hashing
    them for earlier months would change the fingerprints of stores frozen before tasks were imported."""
    month_end = periods.month_end(month)
    digest = hashlib.sha256()
    for table in HASHED_TABLES:
        frame = store.frame(f"snapshot_input_{table}", month_end=month_end)
        digest.update(f"## {table}\n".encode())
        digest.update(frame.to_csv(index=False, lineterminator="\n", date_format="%Y-%m-%d").encode())
    flagged = store.frame("snapshot_input_patents_high_value", month_end=month_end)
    if not flagged.empty:
        digest.update(b"## patents_high_value\n")
        digest.update(flagged.to_csv(index=False, lineterminator="\n").encode())
    # The designation dates of migration 013 likewise: a store without any keeps its fingerprints.
    designations = store.frame("snapshot_input_enterprise_designations", month_end=month_end)
    if not designations.empty:
        digest.update(b"## enterprise_designations\n")
        digest.update(designations.to_csv(index=False, lineterminator="\n", date_format="%Y-%m-%d").encode())
    # Township targets (migration 011) likewise: a store without any keeps its snapshots' fingerprints.
    assigned = store.frame("snapshot_input_region_targets")
    if not assigned.empty:
        digest.update(b"## region_targets\n")
        digest.update(assigned.to_csv(index=False, lineterminator="\n", date_format="%Y-%m-%d").encode())
    reports = store.frame("snapshot_input_task_reports", month_end=month_end)
    if not reports.empty:
        for table, frame in (("tasks", store.frame("snapshot_input_tasks")), ("task_reports", reports)):
            digest.update(f"## {table}\n".encode())
            digest.update(frame.to_csv(index=False, lineterminator="\n", date_format="%Y-%m-%d").encode())
    return digest.hexdigest()


def indicators_fingerprint(settings: Settings) -> str:
    return hashlib.sha256(Path(settings.indicators_path).read_bytes()).hexdigest()


def _info(row: pd.Series) -> SnapshotInfo:
    return SnapshotInfo(
        id=int(row["id"]), month=pd.Period(str(row["month"]), freq="M"), revision=int(row["revision"]),
        region=str(row["region_code"]), note=row["note"] or None, reason=row["reason"] or None,
        frozen_by=str(row["frozen_by"]), frozen_at=pd.Timestamp(row["frozen_at"]).to_pydatetime(),
        data_sha256=str(row["data_sha256"]), indicators_sha256=str(row["indicators_sha256"]),
        settings=json.loads(row["settings_json"]), sample=bool(row["sample"]))


def list_snapshots(store: Store) -> list[SnapshotInfo]:
    """Every snapshot, newest month first and, within a month, newest revision first."""
    return [_info(row) for _, row in store.frame("snapshots").iterrows()]


def version(store: Store) -> int:
    """The newest snapshot's number (0 without any): a key for caches of anything read from snapshots."""
    return int(store.scalar("snapshots_version"))


def get(store: Store, snapshot_id: int) -> SnapshotInfo:
    for info in list_snapshots(store):
        if info.id == int(snapshot_id):
            return info
    raise SnapshotError(f"没有编号为 {snapshot_id} 的快照。")


def latest(store: Store, month: pd.Period | str | None = None) -> SnapshotInfo | None:
    """The newest revision of `month`, or of the newest month frozen."""
    for info in list_snapshots(store):
        if month is None or info.month == pd.Period(month, freq="M"):
            return info
    return None


def previous(store: Store, info: SnapshotInfo) -> SnapshotInfo | None:
    """The snapshot of the meeting before: the newest revision of the newest earlier month."""
    for other in list_snapshots(store):
        if other.month < info.month:
            return other
    return None


def _frozen_tables(store: Store, registry: Registry, settings: Settings, month: pd.Period,
                   regions: list[tuple[str, str]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    goal_rows = []
    # The series of every region and goal as columns, one frame at the end: a frame per goal and region cost
    # half a second of a freeze (588 of them for Luoshan). Each period's text is worked out once.
    series: dict[str, list] = {"region_code": [], "goal_id": [], "month": [], "value": [], "source": []}
    texts: dict[pd.Period, str] = {}
    family = load_family_data(store, regions[0][0])  # the region and its townships, one query per table
    for code, name in regions:
        cards = scorecard_from_data(family[code], registry, settings, month)
        for card, record in zip(cards, status_records(cards)):
            goal_rows.append({"region_code": code, "region_name": name, "goal_id": record["id"],
                              "goal_name": record["name"], "unit": record["unit"],
                              "comparator": record["comparator"], "status": record["status"],
                              "baseline_month": record["baseline_month"], "definition": record["definition"],
                              "frequency": record["frequency"], "period": record["period"],
                              "method": record["method"],
                              "pipeline": outlook.PIPELINE_SEPARATOR.join(record["pipeline"]),
                              **{c: record[c] for c in _GOAL_COLUMNS}})
            frame = card.frame  # on the goal's own periods: 2025-09, 2025-Q3 or 2025 in `month`
            series["region_code"] += [code] * len(frame)
            series["goal_id"] += [card.goal.id] * len(frame)
            series["month"] += [texts.get(m) or texts.setdefault(m, periods.period_text(m)) for m in frame.index]
            series["value"].append(frame["value"].to_numpy(dtype=float))
            series["source"] += frame["source"].astype(str).tolist()
    goals = pd.DataFrame(goal_rows)
    for column in _GOAL_COLUMNS:
        goals[column] = goals[column].astype(float)
    series["value"] = np.concatenate(series["value"]) if series["value"] else np.array([], dtype=float)
    return goals, pd.DataFrame(series)


def _frozen_brands(store: Store, region: str, month: pd.Period) -> pd.DataFrame:
    frame = brand_status.with_status(brand_status.load_brands(store, region), month)
    return pd.DataFrame({
        "name": frame["name"].astype(str), "brand_type": frame["brand_type"].astype(str),
        "applicant": frame["applicant"], "region_code": frame["region_code"].astype(str),
        "status": frame["status"].astype(str), "status_on": brand_status.status_since(frame, frame["status"]),
        "reg_no": frame["reg_no"]})


def freeze(store: Store, registry: Registry, settings: Settings, month: pd.Period | str, *,
           user: str | None = None, note: str | None = None, reason: str | None = None,
           today: date | None = None, now: datetime | None = None, client: str | None = None,
           actor: str | None = None, fingerprint: str | None = None) -> SnapshotInfo:
    """Freeze `month`'s figures. A month already frozen gets a new revision, which needs a reason.
    `fingerprint`: the month's data fingerprint, when the caller has just taken it (the monthly run, deciding
    whether to freeze at all); an import after it is caught all the same by the check after the figures."""
    month = pd.Period(month, freq="M")
    problems = missing_for(store, month, today, required_sources(registry))
    region = registry.region
    names = catalog.region_names(store)
    if region not in names:
        raise NotReady(month, [*problems, f"数据库中没有{registry.title}所指的区划 {region}。"])
    if problems:
        raise NotReady(month, problems)
    existing = [s for s in list_snapshots(store) if s.month == month]
    reason = (reason or "").strip() or None
    if existing and reason is None:
        raise SnapshotError(f"{periods.month_label(month)}已有快照（第{existing[0].revision}版，"
                            f"{existing[0].frozen_text}）。快照不可修改；如需更正，请说明原因，将生成新的修订版。")
    fingerprint = fingerprint or data_fingerprint(store, month)
    townships = store.frame("child_regions", region=region)
    regions = [(region, names[region])] + list(zip(townships["code"].astype(str), townships["name"].astype(str)))
    goals, series = _frozen_tables(store, registry, settings, month, regions)
    county = goals[goals["region_code"] == region]
    # A goal counted from records must have a value; an office's figure not yet reported is frozen as 未上报.
    counted = county["goal_id"].map(lambda goal_id: not registry.goal(goal_id).reported_only)
    no_value = county.loc[counted & (county["status"] == Status.NO_DATA.value), "goal_name"].tolist()
    if no_value:
        raise NotReady(month, [f"“{name}”在{periods.month_label(month)}没有数值（检查人口、企业名录等数据）。"
                               for name in no_value])
    frozen_brands = _frozen_brands(store, region, month)
    frozen_assessment_rows = _frozen_assessment(store, registry, goals[goals["region_code"] != region])
    frozen_tasks = policy_tasks.standing(policy_tasks.load_tasks(store), policy_tasks.load_reports(store), month)
    if data_fingerprint(store, month) != fingerprint:  # an import committed while the figures were computed
        raise SnapshotError(f"冻结{periods.month_label(month)}期间数据有导入，未冻结。请稍后重试。")
    try:
        snapshot_id = _write(store, month, len(existing) + 1, region, note, reason, user or getpass.getuser(),
                             now or datetime.now(), settings, fingerprint,
                             (goals, series, frozen_brands, frozen_assessment_rows, frozen_tasks), client,
                             actor)
    except StoreConflict:  # someone froze the same revision a moment ago
        raise SnapshotError(f"{periods.month_label(month)}的第{len(existing) + 1}版刚刚由别人冻结，请刷新后再看。") from None
    return get(store, snapshot_id)


def _frozen_assessment(store: Store, registry: Registry, townships: pd.DataFrame) -> pd.DataFrame:
    """The township assessment (themes/assessment) scored from the townships' frozen figures, with the dates
    of their assigned targets; empty when the goal file has no [assessment]."""
    if registry.assessment is None or townships.empty:
        return pd.DataFrame()
    records = townships.rename(columns={"goal_id": "indicator"})
    assigned = store.frame("snapshot_input_region_targets")[["indicator", "region_code", "target_date"]]
    records = records.merge(assigned.astype({"indicator": str, "region_code": str}), how="left",
                            on=["indicator", "region_code"])
    records["target_date"] = pd.to_datetime(records["target_date"]).where(records["target"].notna())
    return assessment.frozen_rows(assessment.results(records, registry))


def frozen_assessment(store: Store, registry: Registry, snapshot_id: int) -> assessment.Results:
    """A snapshot's township assessment as it was frozen (empty for a snapshot made before migration 011 or
    without an [assessment])."""
    frame = store.frame("snapshot_assessment", snapshot_id=int(snapshot_id))
    return assessment.from_frozen(frame, registry)


def _write(store: Store, month: pd.Period, revision: int, region: str, note: str | None, reason: str | None,
           user: str, now: datetime, settings: Settings, fingerprint: str, frames: tuple, client: str | None,
           actor: str | None) -> int:
    """The snapshot's header and rows, in one transaction."""
    with store.transaction() as tx:
        snapshot_id = int(tx.scalar(
            "snapshot_insert", month=str(month), revision=revision, region_code=region,
            note=(note or "").strip() or None, reason=reason, frozen_by=user, frozen_at=now, data_sha256=fingerprint,
            indicators_sha256=indicators_fingerprint(settings),
            settings_json=json.dumps({k: getattr(settings, k) for k in _SETTINGS_FROZEN}, ensure_ascii=False),
            sample=store.is_sample()))
        queries = ("snapshot_insert_goals", "snapshot_insert_series", "snapshot_insert_brands",
                   "snapshot_insert_assessment", "snapshot_insert_tasks")
        for query, frame in zip(queries, frames, strict=True):
            if not frame.empty:
                tx.stage(frame)
                tx.execute(query, snapshot_id=snapshot_id)
                tx.drop_stage()
        tx.execute("audit", at=now, actor=actor or user, action="freeze", client=client or "cli",
                   detail=f"{periods.month_label(month)}快照第{revision}版（编号 {snapshot_id}）" + (f"：{reason}" if reason else ""))
    return snapshot_id


# --- reading a snapshot back ------------------------------------------------------------------------
def records(store: Store, snapshot_id: int, region: str | None = None) -> pd.DataFrame:
    """A snapshot's goal rows (one per goal) for `region` (default: the snapshot's own region)."""
    region = region or get(store, snapshot_id).region
    frame = store.frame("snapshot_goals", snapshot_id=int(snapshot_id), region=region)
    for column in _GOAL_COLUMNS:
        frame[column] = frame[column].astype(float)
    return frame


def all_records(store: Store, snapshot_id: int) -> pd.DataFrame:
    frame = store.frame("snapshot_goals_all", snapshot_id=int(snapshot_id))
    for column in _GOAL_COLUMNS:
        frame[column] = frame[column].astype(float)
    return frame


def unreported(store: Store, registry: Registry, snapshot_id: int) -> list[str]:
    """The reported indicators the snapshot froze as 未上报 (its own region), one sentence each."""
    return unreported_lines(records(store, snapshot_id), registry)


def frozen_brands(store: Store, snapshot_id: int) -> pd.DataFrame:
    return store.frame("snapshot_brands", snapshot_id=int(snapshot_id))


def frozen_tasks(store: Store, snapshot_id: int) -> pd.DataFrame:
    """The policy's tasks as they stood at the snapshot's month's end, in the columns and dtypes of
    themes.tasks.standing (empty for a snapshot of a store without tasks, or frozen before migration 010)."""
    return policy_tasks.typed_standing(store.frame("snapshot_tasks", snapshot_id=int(snapshot_id)))


def _value(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _text(value) -> str | None:
    """A text column read back: None for SQL NULL, which pandas may hand over as NaN."""
    return None if value is None or pd.isna(value) or value == "" else str(value)


def _period_index(texts: pd.Series, frequency: str) -> pd.PeriodIndex:
    """A frozen series' periods (2025-09, 2025-Q3, 2025), read at the goal's frequency."""
    found = [periods.period_from_text(text) for text in texts.astype(str)]
    return pd.PeriodIndex(found, freq=periods.PANDAS_FREQ[frequency], name="month" if frequency == "month" else "period")


def cards(store: Store, registry: Registry, snapshot_id: int, region: str | None = None) -> list[GoalCard]:
    """The snapshot's figures as goal cards, so the pages' charts and tables draw frozen figures."""
    info = get(store, snapshot_id)
    region = region or info.region
    series = store.frame("snapshot_series", snapshot_id=info.id, region=region)
    result = []
    for _, row in records(store, info.id, region).iterrows():
        if row["goal_id"] not in registry.ids():
            continue  # a goal since removed from the definitions file
        goal = registry.goal(row["goal_id"])
        stored = row.get("frequency")
        if (stored if isinstance(stored, str) else "month") != goal.frequency:
            continue  # the goal file has since changed how often the goal is counted
        own = series[series["goal_id"] == goal.id]
        frame = pd.DataFrame({"value": own["value"].astype(float).to_numpy(),
                              "source": own["source"].astype(str).to_numpy()},
                             index=_period_index(own["month"], goal.frequency))
        figures = {c: _value(row.get(c)) for c in _GOAL_COLUMNS}
        method, ratio = _text(row.get("method")) or "linear", figures["anticipated_progress"]
        progress = Progress(
            **figures, comparator=str(row["comparator"]),
            baseline_month=_text(row["baseline_month"]), status=Status(row["status"]), method=method,
            # 滞后 by its pace, raised to 预警 by its pipeline (outlook.with_pipeline): the only way an events
            # goal is 预警 with a ratio below the cut-off; the file's cut-off is the registry's.
            raised_by_pipeline=(method == "events" and row["status"] == Status.AT_RISK.value
                                and ratio is not None and ratio < registry.method.at_risk),
            pipeline=tuple(pipeline_names(row)))
        result.append(GoalCard(goal=goal, region=region, as_of=info.month, progress=progress, frame=frame,
                               definition=str(row["definition"]),
                               projection_months=registry.method.window(goal.frequency)))
    order = {goal.id: number for number, goal in enumerate(registry.goals)}
    return sorted(result, key=lambda card: order[card.goal.id])


def is_current(store: Store, info: SnapshotInfo) -> bool:
    """Whether the records of the snapshot's month still hash the same (no late correction since)."""
    return data_fingerprint(store, info.month) == info.data_sha256
