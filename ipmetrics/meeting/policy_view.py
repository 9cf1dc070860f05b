"""政策全景: the whole policy on one screen — each article beside its indicators and its tasks, grouped by
the policy's parts — and the briefing's section on tasks behind schedule and units that did not report.

It reads the indicators' cards (live, or a snapshot's) and the tasks' standing at the month
(`themes.tasks.standing`, or a snapshot's frozen copy); it computes nothing new, so the page, the briefing
and the documents say the same.

How an article is judged (the page writes the same rule out):
- 需关注: an indicator with a target is 滞后 or 预警, or a task is overdue or reported 滞后;
- 待汇报: otherwise, an office's indicator is 未上报 for its period, or a task has no report for the period;
- 推进中: otherwise, when the article has indicators or tasks;
- 未跟踪: the article has neither (nothing in the goal file or the task list cites it).
Monitoring indicators are shown with their trend and never judged: a plan that sets no target does not say
which direction is good.
"""

from __future__ import annotations

import pandas as pd

from ipmetrics.core import labels, periods
from ipmetrics.core.goals import Goal, Registry
from ipmetrics.core.policy import Article, chinese_number, cited_articles
from ipmetrics.core.progress import Status
from ipmetrics.core.scorecard import GoalCard
from ipmetrics.meeting.wording import BEHIND
from ipmetrics.themes import tasks as task_themes

ATTENTION, AWAITING, MOVING, UNTRACKED = "需关注", "待汇报", "推进中", "未跟踪"
VERDICTS = (ATTENTION, AWAITING, MOVING, UNTRACKED)
# The task statuses a count shows, in order (themes.tasks.STATUS_LABEL's words and 未汇报).
TASK_STATES = ("已完成", "推进中", "滞后", "未启动", "未汇报")
RULE_TEXT = ("判断规则：有目标的指标为“滞后”或“预警”，或有任务逾期、报“滞后”的条款为“需关注”；"
             "其余条款中，有指标未上报或任务本期未汇报的为“待汇报”；其余有指标或任务的为“推进中”；"
             "没有指标也没有任务的为“未跟踪”。监测指标只看趋势，不作判断。")


def part_heading(index: int, part: str) -> str:
    """二、促进知识产权创造运用: a part as the policy numbers it (its place among the parts)."""
    return f"{chinese_number(index)}、{part}"


def indicator_state(card: GoalCard) -> str:
    """What an indicator shows on the overview: its status, or for a monitoring indicator its trend
    (上升, 平稳, 下降; 数据不足 with too few values; 未上报 without a value)."""
    goal, status = card.goal, card.progress.status
    if not goal.monitoring:
        return labels.status_label(status, goal)
    if card.progress.value is None:
        return labels.NOT_REPORTED_LABEL if goal.reported_only else labels.STATUS_LABEL[Status.NO_DATA]
    return "数据不足" if card.trend is None else labels.TREND_LABEL[card.trend]


def _indicator_flags(cards: list[GoalCard]) -> tuple[int, int]:
    """How many of the cards are behind (滞后/预警, targets only) and how many are unreported."""
    behind = sum(not c.goal.monitoring and c.progress.status.value in BEHIND for c in cards)
    unreported = sum(c.goal.reported_only and c.progress.value is None for c in cards)
    return behind, unreported


def _task_counts(tasks: pd.DataFrame) -> dict[str, int]:
    counts = {state: int((tasks["status_label"] == state).sum()) for state in TASK_STATES}
    counts["逾期"] = int(tasks["overdue"].sum())
    counts["本期未汇报"] = int(tasks["unreported"].sum())
    return counts


def verdict(cards: list[GoalCard], tasks: pd.DataFrame) -> tuple[str, str]:
    """An article's (or a part's) verdict and the reason in words, by the module's rule."""
    behind, unreported = _indicator_flags(cards)
    late = int(tasks["behind"].sum()) if len(tasks) else 0  # overdue, or reported 滞后
    owing = int(tasks["unreported"].sum()) if len(tasks) else 0
    reasons = [text for count, text in ((behind, f"落后指标{behind}项"), (late, f"逾期或滞后任务{late}项")) if count]
    if reasons:
        return ATTENTION, "、".join(reasons)
    waiting = [text for count, text in ((unreported, f"未上报指标{unreported}项"), (owing, f"未汇报任务{owing}项"))
               if count]
    if waiting:
        return AWAITING, "、".join(waiting)
    if cards or len(tasks):
        return MOVING, ""
    return UNTRACKED, ""


def _indicators_text(cards: list[GoalCard]) -> str:
    """商标注册总量（滞后）、PCT国际专利申请（上升）: each indicator with what it shows."""
    return "、".join(f"{card.goal.label}（{indicator_state(card)}）" for card in cards)


def _article_cards(registry: Registry, cards: dict[str, GoalCard], article: Article) -> list[GoalCard]:
    return [cards[goal.id] for goal in registry.article_goals(article.number) if goal.id in cards]


def _article_tasks(standing: pd.DataFrame, article: Article) -> pd.DataFrame:
    return standing[standing["article"] == article.text] if len(standing) else standing


def article_table(registry: Registry, cards: list[GoalCard], standing: pd.DataFrame) -> pd.DataFrame:
    """One row per article, in the policy's order: its part, heading, indicators with their state, task
    counts by status, overdue and unreported tasks, and the verdict with its reason."""
    by_id = {card.goal.id: card for card in cards}
    rows = []
    for index, (part, articles) in enumerate(registry.parts, start=1):
        for article in articles:
            own_cards, own_tasks = _article_cards(registry, by_id, article), _article_tasks(standing, article)
            judged, reason = verdict(own_cards, own_tasks)
            counts = _task_counts(own_tasks) if len(own_tasks) else dict.fromkeys((*TASK_STATES, "逾期", "本期未汇报"), 0)
            rows.append({"部分": part_heading(index, part), "条款": article.heading,
                         "指标": _indicators_text(own_cards), "任务": len(own_tasks), **counts,
                         "判断": judged, "原因": reason})
    return pd.DataFrame(rows)


def part_table(registry: Registry, cards: list[GoalCard], standing: pd.DataFrame) -> pd.DataFrame:
    """One row per part — which parts of the policy move and which do not: its articles, its indicators'
    states, its tasks by status, overdue tasks, the articles needing attention or awaiting reports, and the
    part's verdict (the gravest of its articles')."""
    articles = article_table(registry, cards, standing)
    by_id = {card.goal.id: card for card in cards}
    rows = []
    for index, (part, members) in enumerate(registry.parts, start=1):
        heading = part_heading(index, part)
        own = articles[articles["部分"] == heading]
        goal_ids = list(dict.fromkeys(g.id for a in members for g in registry.article_goals(a.number)))
        part_cards = [by_id[goal_id] for goal_id in goal_ids if goal_id in by_id]
        tasks = standing[standing["article"].isin([a.text for a in members])] if len(standing) else standing

        def numbered(word: str) -> str:
            return "".join(text[:text.index("）") + 1] for text in own.loc[own["判断"] == word, "条款"]) or "—"
        # The verdict and the articles behind it first: a narrow page or slide still shows them.
        rows.append({"部分": heading, "判断": min(own["判断"], key=VERDICTS.index) if len(own) else UNTRACKED,
                     "需关注条款": numbered(ATTENTION), "待汇报条款": numbered(AWAITING),
                     "指标": indicator_summary(part_cards), "任务": task_summary(tasks),
                     "逾期任务": int(tasks["overdue"].sum()) if len(tasks) else 0, "条款": f"{len(members)}条"})
    return pd.DataFrame(rows)


def task_summary(tasks: pd.DataFrame) -> str:
    """12项：已完成2、推进中8、滞后1、未汇报1 — tasks counted by status ("—" without tasks)."""
    if not len(tasks):
        return "—"
    counts = _task_counts(tasks)
    return f"{len(tasks)}项：" + "、".join(f"{state}{counts[state]}" for state in TASK_STATES if counts[state])


def indicator_summary(cards: list[GoalCard]) -> str:
    """9项：正常3、预警4、滞后2 — the indicators' states counted, in the order they first appear."""
    if not cards:
        return "—"
    states: dict[str, int] = {}
    for card in cards:
        state = indicator_state(card) if not card.goal.monitoring else "监测"
        states[state] = states.get(state, 0) + 1
    return f"{len(cards)}项：" + "、".join(f"{state}{count}" for state, count in states.items())


def goals_without_article(registry: Registry) -> list[Goal]:
    """Indicators that cite no declared article (shown apart, so none is silently left off the overview)."""
    declared = {article.number for article in registry.articles}
    return [goal for goal in registry.goals
            if not any(number in declared for number in cited_articles(goal.article))]


# --- the briefing's task section ------------------------------------------------------------------
def behind_tasks_table(standing: pd.DataFrame) -> pd.DataFrame:
    """The tasks behind schedule (overdue, or reported 滞后), longest overdue first: what the meeting chases."""
    if not len(standing):
        return pd.DataFrame()
    behind = standing[standing["behind"]].copy()
    behind["_days"] = behind["days_overdue"].astype("Float64").fillna(-1)
    behind = behind.sort_values(["_days", "code"], ascending=[False, True])
    return pd.DataFrame({
        "编号": behind["code"].to_numpy(),
        "条款": behind["article"].to_numpy(),
        "任务": behind["task"].to_numpy(),
        "牵头单位": behind["lead_unit"].to_numpy(),
        "完成时限": [task_themes.due_text(due, ongoing) for due, ongoing in zip(behind["due_on"], behind["ongoing"])],
        "最新状态": behind["status_label"].to_numpy(),
        "逾期": [f"{int(days)}天" if days >= 0 else "—" for days in behind["_days"]],
        "最新进展": behind["progress"].fillna("").astype(str).to_numpy(),
    })


def unreported_units_table(standing: pd.DataFrame) -> pd.DataFrame:
    """The lead units with tasks owing a report for the period chased, as the 任务落实 page lists them."""
    return task_themes.unreported_table(standing) if len(standing) else pd.DataFrame()


def report_period_label(standing: pd.DataFrame) -> str | None:
    """2026年第三季度: the period the tasks' reports were chased for."""
    if not len(standing):
        return None
    return periods.period_label(periods.period_from_text(str(standing["report_period"].iloc[0])))


def task_paragraph(standing: pd.DataFrame) -> str | None:
    """The narrative's sentence on the tasks: counts by status, overdue, and who did not report."""
    if not len(standing):
        return None
    counts = _task_counts(standing)
    parts = "、".join(f"{state}{counts[state]}项" for state in TASK_STATES if counts[state])
    text = f"任务落实：{len(standing)}项任务中，{parts}"
    if counts["逾期"]:
        text += f"；逾期{counts['逾期']}项"
    text += "。"
    units = unreported_units_table(standing)
    if len(units):
        first = "、".join(units["牵头单位"].head(3))
        more = f"等{len(units)}个单位" if len(units) > 3 else ""
        text += (f"{report_period_label(standing)}，{first}{more}的{int(units['未汇报任务数'].sum())}项任务"
                 "未汇报进展。")
    else:
        text += f"{report_period_label(standing)}各单位均已汇报进展。"
    return text
