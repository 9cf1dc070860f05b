"""The policy's structure in the goal file: its seventeen articles in five parts, what cites them, and the
township assessment's weights."""

from pathlib import Path

import pytest

from ipmetrics.core.goals import RegistryError, load_registry, parse_registry
from ipmetrics.core.policy import article_number, article_text, chinese_number, cited_articles

LUOSHAN = Path(__file__).resolve().parents[1] / "data" / "indicators.toml"


def test_each_of_the_seventeen_articles_is_declared_in_the_policys_five_parts():
    registry = load_registry(LUOSHAN)
    assert [article.number for article in registry.articles] == list(range(1, 18))
    assert [(part, [a.number for a in articles]) for part, articles in registry.parts] == [
        ("总体要求", [1, 2]),
        ("促进知识产权创造运用", [3, 4, 5, 6, 7, 8, 9, 10]),
        ("实行严格的知识产权保护", [11, 12, 13]),
        ("推动知识产权协调发展", [14]),
        ("加强组织实施", [15, 16, 17]),
    ]
    assert registry.articles[12].heading == "（十三）构建“一个平台两个中心”知识产权高效维权援助体系"


def test_citations_are_read_in_the_policys_wording():
    assert cited_articles("第（二）条、第（五）条") == [2, 5]
    assert cited_articles("第(十一)条至第（十三）条") == [11, 13]
    assert cited_articles("第十四条 县乡联动") == [14]
    assert cited_articles(None) == [] and cited_articles("罗政〔2021〕28号") == []
    assert [chinese_number(n) for n in (1, 10, 11, 20, 17, 99)] == ["一", "十", "十一", "二十", "十七", "九十九"]
    assert article_number(article_text("二十")) == 20


def test_an_articles_indicators_are_those_that_cite_it():
    registry = load_registry(LUOSHAN)
    assert "gi_marks" in [g.id for g in registry.article_goals(5)]
    assert [g.id for g in registry.article_goals(8)][:2] == ["pledge_financing_count", "pledge_financing_amount"]


HEAD = """title = "t"\npolicy = "p"\npolicy_title = "pt"\nregion = "1"\n
[[indicators]]\nid = "a"\nname_zh = "甲"\nname_en = "A"\nunit = "件"\nkind = "count"\narticle = "第（二）条"
definition = "d"\nsource = "s"\n"""


@pytest.mark.parametrize("extra, message", [
    ('[[articles]]\nnumber = 2\ntitle = "x"\npart = "y"\n[[articles]]\nnumber = 2\ntitle = "z"\npart = "y"\n',
     "条款重复：第（二）条"),
    ('[assessment]\n[[assessment.items]]\nindicator = "b"\nweight = 10\n', "考核指标 b 不在本文件的指标中"),
    ('[assessment]\n[[assessment.items]]\nindicator = "a"\nweight = 0\n', "assessment.items.0.weight"),
])
def test_a_bad_policy_structure_is_refused_with_a_message(extra, message):
    with pytest.raises(RegistryError) as caught:
        parse_registry(HEAD + extra, Path("plan.toml"))
    assert message in str(caught.value)


# --- 政策全景 and the briefing's task section, on a small plan worked by hand --------------------------
from types import SimpleNamespace  # noqa: E402

import pandas as pd  # noqa: E402

from ipmetrics.core.progress import Status  # noqa: E402
from ipmetrics.meeting import policy_view  # noqa: E402

SMALL_PLAN = HEAD.replace('article = "第（二）条"', 'article = "第（二）条、第（三）条"') + """target = 10
baseline_date = 2020-12-31
target_date = 2030-12-31

[[indicators]]
id = "b"
name_zh = "乙"
name_en = "B"
unit = "件"
kind = "count"
article = "第（三）条"
definition = "d"
source = "s"

[[articles]]
number = 1
title = "总则"
part = "总体要求"
[[articles]]
number = 2
title = "目标"
part = "总体要求"
[[articles]]
number = 3
title = "保护"
part = "严格保护"
[[articles]]
number = 4
title = "宣传"
part = "严格保护"
"""


def _card(goal, status, value):
    return SimpleNamespace(goal=goal, progress=SimpleNamespace(status=status, value=value), status=status)


def _standing(rows):
    columns = ["code", "article", "task", "lead_unit", "due_on", "status_label", "progress", "overdue",
               "days_overdue", "report_period", "unreported"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["due_on"] = pd.to_datetime(frame["due_on"])
    frame["days_overdue"] = frame["days_overdue"].astype("Int64")
    # As themes.tasks.standing derives them: 长期 tasks have no due date; behind is overdue or reported 滞后.
    frame["ongoing"] = frame["due_on"].isna()
    frame["behind"] = frame["overdue"] | (frame["status_label"] == "滞后")
    return frame


TASKS = _standing([
    # 第（二）条: one finished, one still going: nothing wrong
    ["T-02-1", "第（二）条", "分解目标", "市场监管局", "2026-06-30", "已完成", "已印发", False, None, "2026-Q3", False],
    ["T-02-2", "第（二）条", "月度调度", "统计局", None, "推进中", "按月调度", False, None, "2026-Q3", False],
    # 第（三）条: one overdue by 31 days (due 2026-09-30, as of 2026-10-31), one not reported for 2026-Q3
    ["T-03-1", "第（三）条", "执法行动", "市场监管局", "2026-09-30", "推进中", "立案3起", True, 31, "2026-Q3", False],
    ["T-03-2", "第（三）条", "援助站", "司法局", "2026-12-31", "未汇报", None, False, None, "2026-Q3", True],
    ["T-03-3", "第（三）条", "信用档案", "发改委", None, "滞后", "系统未建", False, None, "2026-Q3", True],
])


def test_each_article_is_judged_by_its_indicators_and_tasks():
    registry = parse_registry(SMALL_PLAN, Path("plan.toml"))
    a, b = registry.goal("a"), registry.goal("b")
    cards = [_card(a, Status.OFF_TRACK, 4.0), _card(b, Status.NO_TARGET, None)]
    table = policy_view.article_table(registry, cards, TASKS)
    # 第（一）条: nothing cites it. 第（二）条: a (滞后) → 需关注 although both tasks are fine.
    # 第（三）条: a (滞后), b (a reported monitoring indicator with no value: 未上报), an overdue
    # task and a 滞后 task → 需关注 with 1 behind indicator and 2 overdue-or-behind tasks. 第（四）条: nothing.
    assert table["判断"].tolist() == ["未跟踪", "需关注", "需关注", "未跟踪"]
    assert table["原因"].tolist() == ["", "落后指标1项", "落后指标1项、逾期或滞后任务2项", ""]
    assert table.loc[2, "指标"] == "甲（滞后）、乙（未上报）"
    assert table.loc[2, ["任务", "已完成", "推进中", "滞后", "未汇报", "逾期", "本期未汇报"]].tolist() == [3, 0, 1, 1, 1, 1, 2]

    on_track = [_card(a, Status.ON_TRACK, 8.0), _card(b, Status.NO_TARGET, None)]
    table = policy_view.article_table(registry, on_track, TASKS)
    # With a on track: 第（二）条 moves; 第（三）条 still has the overdue and the 滞后 task.
    assert table["判断"].tolist() == ["未跟踪", "推进中", "需关注", "未跟踪"]
    calm = TASKS[TASKS["article"] == "第（二）条"]
    table = policy_view.article_table(registry, on_track, pd.concat([calm, TASKS.iloc[[3]]]))
    # 第（三）条 now: b 未上报 and T-03-2 unreported, nothing behind → 待汇报.
    assert table.loc[2, ["判断", "原因"]].tolist() == ["待汇报", "未上报指标1项、未汇报任务1项"]


def test_the_parts_show_which_parts_of_the_policy_move():
    registry = parse_registry(SMALL_PLAN, Path("plan.toml"))
    a, b = registry.goal("a"), registry.goal("b")
    parts = policy_view.part_table(registry, [_card(a, Status.ON_TRACK, 8.0), _card(b, Status.NO_TARGET, None)], TASKS)
    assert parts.to_dict("records") == [
        {"部分": "一、总体要求", "条款": "2条", "指标": "1项：正常1", "任务": "2项：已完成1、推进中1", "逾期任务": 0,
         "需关注条款": "—", "待汇报条款": "—", "判断": "推进中"},
        # a cites 第（三）条 too, so the part counts it once beside b (a monitoring indicator: 监测).
        {"部分": "二、严格保护", "条款": "2条", "指标": "2项：正常1、监测1", "任务": "3项：推进中1、滞后1、未汇报1",
         "逾期任务": 1, "需关注条款": "（三）", "待汇报条款": "—", "判断": "需关注"},
    ]


def test_the_briefings_task_section_lists_what_is_behind_and_who_did_not_report():
    behind = policy_view.behind_tasks_table(TASKS)
    # Overdue first (T-03-1, 31 days), then the task reported 滞后 with no due date (长期).
    assert behind[["编号", "完成时限", "最新状态", "逾期"]].values.tolist() == [
        ["T-03-1", "2026-09-30", "推进中", "31天"], ["T-03-3", "长期", "滞后", "—"]]
    units = policy_view.unreported_units_table(TASKS)
    # As the 任务落实 page lists them: most tasks first, then by the unit's name.
    assert units.values.tolist() == [["发改委", 1, "T-03-3"], ["司法局", 1, "T-03-2"]]
    assert policy_view.task_paragraph(TASKS) == (
        "任务落实：5项任务中，已完成1项、推进中2项、滞后1项、未汇报1项；逾期1项。"
        "2026年第三季度，发改委、司法局的2项任务未汇报进展。")
    assert policy_view.task_paragraph(TASKS.iloc[:0]) is None


# --- the 政策全景 page ------------------------------------------------------------------------------------
import re  # noqa: E402

from streamlit.testing.v1 import AppTest  # noqa: E402

APP = str(Path(__file__).resolve().parents[1] / "app.py")
CITY = Path(__file__).resolve().parents[1] / "data" / "examples" / "city" / "indicators.toml"


def open_policy(monkeypatch, store, indicators: Path = LUOSHAN) -> AppTest:
    monkeypatch.setenv("IPMETRICS_DB_URL", store.url)
    monkeypatch.setenv("IPMETRICS_INDICATORS", str(indicators))
    app = AppTest.from_file(APP, default_timeout=90)
    app.session_state["as_of"] = "2026-10"
    app.switch_page("pages/policy.py")
    app.run()
    assert not app.exception, app.exception
    return app


def test_every_article_appears_on_the_policy_page_with_the_samples_indicators_or_tasks(monkeypatch, sample_store):
    app = open_policy(monkeypatch, sample_store)
    registry = load_registry(LUOSHAN)
    shown = [m.value for m in app.main.markdown]
    for article in registry.articles:
        assert f"**{article.heading}**" in shown, article.heading
    # Each article has the sample's indicators or tasks: none is 未跟踪, and the four badges count all 17.
    counts = [re.fullmatch(r":\w+-badge\[(\S+) (\d+) 条\]", text) for text in shown]
    counts = {found.group(1): int(found.group(2)) for found in counts if found}
    assert list(counts) == ["需关注", "待汇报", "推进中", "未跟踪"] and counts["未跟踪"] == 0
    assert sum(counts.values()) == 17
    parts = app.main.dataframe[0].value
    assert parts["部分"].tolist() == ["一、总体要求", "二、促进知识产权创造运用", "三、实行严格的知识产权保护",
                                      "四、推动知识产权协调发展", "五、加强组织实施"]
    # 第（八）条 as of 2026-10: both pledge goals achieved, transfers a monitoring indicator; RW-08-01 is overdue
    # (due 2025-06-30) and RW-08-02 推进中 → 需关注 for one overdue task.
    eighth = shown.index("**（八）推进知识产权运营体系建设工程**")
    assert shown[eighth + 1] == ":red-badge[需关注]"
    assert [c.value for c in app.main.caption].count("逾期或滞后任务1项") >= 1
    assert shown[eighth + 2] == "指标：质押融资企业（家次）（已达成）、质押融资额（累计）（已达成）、专利转让许可（平稳）"


def test_a_plan_without_articles_says_how_to_declare_them(monkeypatch, sample_store):
    app = open_policy(monkeypatch, sample_store, CITY)
    assert app.main.info[0].value.startswith("目标文件没有声明政策条款")


def test_the_snapshot_page_shows_the_frozen_tasks_and_assessment(monkeypatch, fresh_small_store, registry):
    from datetime import date

    from ipmetrics.core.settings import Settings
    from ipmetrics.meeting import snapshots

    info = snapshots.freeze(fresh_small_store, registry, Settings(db_url=fresh_small_store.url), "2021-03",
                            user="统计员甲", today=date(2026, 11, 25))
    monkeypatch.setenv("IPMETRICS_DB_URL", fresh_small_store.url)
    app = AppTest.from_file(APP, default_timeout=90)
    app.session_state["as_of"] = "2021-03"
    app.session_state["snapshot_detail"] = info.id
    app.switch_page("pages/snapshots.py")
    app.run()
    assert not app.exception, app.exception
    assert [e.label for e in app.main.expander][:2] == ["冻结的任务落实情况（2 项任务）", "冻结的乡镇考核"]
    frozen = {tuple(frame.value.columns[:2]): frame.value for frame in app.main.dataframe}
    # The fixture's two tasks, as frozen (their reports were made in 2025, after March 2021: none counts).
    assert frozen[("任务编号", "政策条款")]["任务编号"].tolist() == ["RW-05-01", "RW-12-01"]
    # 周党镇 is the one township assigned a target (贯标覆盖率 100 by 2030): it alone is scored.
    scores = next(frame for columns, frame in frozen.items() if columns[0] == "乡镇（街道）")
    assert scores["乡镇（街道）"].iloc[0] == "周党镇" and scores["总分"].notna().sum() == 1
