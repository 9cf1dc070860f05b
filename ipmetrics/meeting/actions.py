"""督办事项: what the leadership group asks for, carried from meeting to meeting — on a task of the policy
(任务分工, by its code), on a goal behind schedule, on any other indicator of the goal file, or on nothing
specific (a meeting decision, 会议决定: no task, no goal).

An item raised at the meeting of month M appears at every later meeting until it is closed; the
meeting of the month it was closed in still lists it, as closed. It is overdue when still open after
its deadline. Items are stored through the importer (file import or the page's editor alike), so an
edit is validated like a file and saved whole or not at all.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from ipmetrics.core import periods
from ipmetrics.core.goals import Registry
from ipmetrics.core.hierarchy import Hierarchy
from ipmetrics.core.store import Store
from ipmetrics.io import edits
from ipmetrics.io.importer import ImportResult, Source, import_files
from ipmetrics.io.schemas import KINDS

KIND = KINDS["actions"]
EDIT_SOURCE = "督办事项页面编辑.csv"  # the "file name" an edit from the page is logged under
STATUS_LABEL = {"open": "办理中", "closed": "已办结"}
DATE_COLUMNS = ("due_on", "closed_on")
DECISION = "会议决定"  # shown wherever an item on no indicator would show its indicator
NO_INDICATOR = "—"  # the 指标 cell of an item on a task that names no indicator
# What an item can concern, in the order the briefing lists them under these headings. An item on a task
# (task_code) is a task item even when it also names an indicator.
SUBJECT_HEADINGS = {"indicator": "指标督办事项", "task": "任务督办事项", "decision": "会议决定事项"}


def load(store: Store) -> pd.DataFrame:
    """Every action item, raw columns, dates as timestamps, newest raised first."""
    frame = store.frame("actions")
    for column in DATE_COLUMNS:
        frame[column] = pd.to_datetime(frame[column])
    frame["updated_at"] = pd.to_datetime(frame["updated_at"])
    return frame


def _blank(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)) or not str(value).strip()


def task_codes(items: pd.DataFrame) -> pd.Series:
    """Each item's task code, '' for none (frames made before migration 010 have no such column)."""
    if "task_code" not in items:
        return pd.Series("", index=items.index, dtype=object)
    return items["task_code"].map(lambda code: "" if _blank(code) else str(code)).astype(object)


def is_decision(items: pd.DataFrame) -> pd.Series:
    """True for an item raised on no indicator and no task (a meeting decision)."""
    no_goal = items["goal_id"].map(_blank).astype(bool)
    return no_goal & (task_codes(items) == "")


def subject_of(items: pd.DataFrame) -> pd.Series:
    """What each item concerns: 'task' (it names a task), 'indicator' or 'decision' (a key of
    SUBJECT_HEADINGS)."""
    on_task = task_codes(items) != ""
    decision = is_decision(items)
    return pd.Series(["task" if t else "decision" if d else "indicator" for t, d in zip(on_task, decision)],
                     index=items.index, dtype=object)


def task_text(code, text) -> str:
    """An item's task as the tables show it: 'RW-08-01 建立…机制', the code alone when the store no longer
    has the task, '' for none."""
    if _blank(code):
        return ""
    return str(code) + ("" if _blank(text) else f" {text}")


def indicator_text(goal_id, goal_names: dict[str, str]) -> str:
    """An item's indicator as the tables show it: its label, its id when the goal file no longer has it,
    会议决定 when it has none."""
    if goal_id is None or pd.isna(goal_id) or not str(goal_id).strip():
        return DECISION
    return goal_names.get(str(goal_id), str(goal_id))


def by_subject(items: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """The items split by what they concern, as (heading, items) in SUBJECT_HEADINGS order, each part in
    the items' own order; subjects without items left out."""
    subjects = subject_of(items)
    return [(heading, items[subjects == subject]) for subject, heading in SUBJECT_HEADINGS.items()
            if (subjects == subject).any()]


def within(items: pd.DataFrame, hierarchy: Hierarchy, region: str) -> pd.DataFrame:
    """The items of `region` and of the regions under it: a store holding several regions' plans (a city
    and a county, say) holds their items too, and a meeting reviews only its own."""
    return items[items["region_code"].astype(str).map(lambda code: region in hierarchy.ancestors(code)).astype(bool)]


def for_meeting(items: pd.DataFrame, month: pd.Period | str, on: date) -> pd.DataFrame:
    """The items the meeting of `month` reviews, with their standing on the day `on`.

    Adds: state (open, or closed during the month), overdue (bool), days_overdue. Overdue items first,
    then open ones by deadline, then those closed.
    """
    month = pd.Period(month, freq="M")
    start, end = pd.Timestamp(periods.month_start(month)), pd.Timestamp(periods.month_end(month))
    raised = items["raised_month"].astype(str) <= str(month)
    closed_on = pd.to_datetime(items["closed_on"])
    # Closed after the month: still open at that meeting. Closed during it: listed once more.
    open_then = closed_on.isna() | (closed_on > end)
    closed_now = closed_on.notna() & (closed_on >= start) & (closed_on <= end)
    frame = items[raised & (open_then | closed_now)].copy()
    # Open at the meeting's month-end but closed since, by the day `on`: no longer overdue.
    return _with_standing(frame, open_then[frame.index], _open_on(frame, on), on)


def _open_on(frame: pd.DataFrame, on: date) -> pd.Series:
    return frame["closed_on"].isna() | (frame["closed_on"] > pd.Timestamp(on))


def _with_standing(frame: pd.DataFrame, open_then: pd.Series, open_on_day: pd.Series, on: date) -> pd.DataFrame:
    on = pd.Timestamp(on)
    frame["state"] = ["open" if o else "closed" for o in open_then]
    frame["overdue"] = open_then & open_on_day & (frame["due_on"] < on)
    frame["days_overdue"] = [(on - due).days if late else 0 for due, late in zip(frame["due_on"], frame["overdue"])]
    rank = frame["overdue"].map({True: 0, False: 1}) + (frame["state"] == "closed") * 2
    return frame.assign(_rank=rank).sort_values(["_rank", "due_on", "code"]).drop(columns="_rank")


def standing(items: pd.DataFrame, on: date) -> pd.DataFrame:
    """Every item with its standing on the day `on` (the register of all items), ordered as for_meeting."""
    open_now = _open_on(items, on)
    return _with_standing(items.copy(), open_now, open_now, on)


def summary(meeting_items: pd.DataFrame) -> dict[str, int]:
    return {"total": len(meeting_items), "open": int((meeting_items["state"] == "open").sum()),
            "overdue": int(meeting_items["overdue"].sum()),
            "closed": int((meeting_items["state"] == "closed").sum()),
            "decisions": int(is_decision(meeting_items).sum())}


def state_text(row) -> str:
    if row["state"] == "closed":
        return f"已办结（{row['closed_on']:%Y-%m-%d}）"
    if row["overdue"]:
        return f"逾期{row['days_overdue']}天"
    return "办理中"


def meeting_table(meeting_items: pd.DataFrame, registry: Registry, region_names: dict[str, str]) -> pd.DataFrame:
    """The items as the meeting page, the briefing and the export show them."""
    goal_names = {g.id: g.label for g in registry.goals}
    return pd.DataFrame({
        "编号": meeting_items["code"].astype(str).to_numpy(),
        "指标": [NO_INDICATOR if task and _blank(goal) else indicator_text(goal, goal_names)
               for goal, task in zip(meeting_items["goal_id"], task_codes(meeting_items))],
        "任务": _task_texts(meeting_items),
        "区划": [region_names.get(code, code) for code in meeting_items["region_code"].astype(str)],
        "存在问题": meeting_items["problem"].astype(str).to_numpy(),
        "工作措施": meeting_items["measure"].astype(str).to_numpy(),
        "牵头单位": meeting_items["lead_unit"].astype(str).to_numpy(),
        "配合单位": meeting_items["co_units"].fillna("").astype(str).to_numpy(),
        "完成时限": meeting_items["due_on"].dt.strftime("%Y-%m-%d").to_numpy(),
        "提出月份": [periods.month_label(m) for m in meeting_items["raised_month"]],
        "办理情况": [state_text(row) for _, row in meeting_items.iterrows()],
        "进展情况": meeting_items["progress"].fillna("").astype(str).to_numpy(),
    })


def _task_texts(items: pd.DataFrame) -> list[str]:
    texts = items["task_text"] if "task_text" in items else pd.Series(None, index=items.index, dtype=object)
    return [task_text(code, text) for code, text in zip(task_codes(items), texts)]


def briefing_table(meeting_items: pd.DataFrame, registry: Registry) -> pd.DataFrame:
    """The items for a printed A4 page: fewer, fuller columns — lead and co-responsible units together,
    the latest progress after the standing; an item's task in its 指标 cell (任务 RW-08-01 …), after its
    indicator when it names one too."""
    full = meeting_table(meeting_items, registry, {})
    full["指标"] = [indicator if not task else f"任务 {task}" if indicator == NO_INDICATOR
                   else f"{indicator}；任务 {task}" for indicator, task in zip(full["指标"], full["任务"])]
    units = [lead + (f"（配合：{co}）" if co else "") for lead, co in zip(full["牵头单位"], full["配合单位"])]
    standing_text = [state + (f"；{progress}" if progress else "") for state, progress in zip(full["办理情况"], full["进展情况"])]
    return pd.DataFrame({"编号": full["编号"], "指标": full["指标"], "存在问题": full["存在问题"],
                         "工作措施": full["工作措施"], "责任单位": units, "完成时限": full["完成时限"],
                         "办理情况": standing_text})


def briefing_section(meeting_items: pd.DataFrame,
                     registry: Registry) -> tuple[pd.DataFrame, tuple[tuple[str, int], ...]]:
    """The briefing's table of items and its row headings (heading, rows under it): when some items are on
    tasks or are meeting decisions, those on indicators first under 指标督办事项, then those on tasks under
    任务督办事项, then the decisions under 会议决定事项; when all are on indicators one table as before, no
    headings."""
    parts = by_subject(meeting_items)
    if (subject_of(meeting_items) == "indicator").all():
        return briefing_table(meeting_items, registry), ()
    table = pd.concat([briefing_table(part, registry) for _, part in parts], ignore_index=True)
    return table, tuple((heading, len(part)) for heading, part in parts)


def next_code(items: pd.DataFrame, month: pd.Period | str) -> str:
    """DB-YYYY-MM-NN, the next free number of the month."""
    prefix = f"DB-{pd.Period(month, freq='M')}-"
    taken = [c for c in items["code"].astype(str) if c.startswith(prefix)]
    numbers = [int(c[len(prefix):]) for c in taken if c[len(prefix):].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:02d}"


def editor_frame(items: pd.DataFrame, registry: Registry) -> pd.DataFrame:
    """The items with the import's Chinese headers, goals and status in Chinese (an item on no indicator
    as 会议决定): what the page edits."""
    frame = edits.editor_frame(items, KIND, DATE_COLUMNS,
                               {"goal_id": {g.id: g.label for g in registry.goals}, "status": STATUS_LABEL})
    goal_label = KIND.labels["goal_id"]
    frame[goal_label] = [DECISION if decision else goal
                         for goal, decision in zip(frame[goal_label], is_decision(items).to_numpy())]
    return frame


def goal_choices(registry: Registry) -> dict[str, str]:
    """What the 指标 column of the editor offers (label → goal id): every indicator of the file, then 会议决定
    (a blank id)."""
    return {g.label: g.id for g in registry.goals} | {DECISION: ""}


def save(store: Store, frame: pd.DataFrame, registry: Registry, user: str, client: str | None = None,
         actor: str | None = None) -> ImportResult:
    """Write edited or new items (the editor's frame) through the importer: all saved, or none."""
    by_name = {g.label: g.id for g in registry.goals} | {g.name_zh: g.id for g in registry.goals} | {DECISION: ""}
    goal_label = KIND.labels["goal_id"]
    text = edits.as_text(frame)
    if goal_label in text.columns:
        text[goal_label] = text[goal_label].map(lambda v: by_name.get(v, v))
    data = text.to_csv(index=False).encode("utf-8")
    return import_files(store, [("actions", Source(EDIT_SOURCE, data))], indicator_ids=set(registry.ids()),
                        user=user, client=client, actor=actor)[0]
