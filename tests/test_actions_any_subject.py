"""督办事项 on anything (issue 15, item 2): on any indicator of the goal file — a reported-only quarterly one
of the example city's plan too — or on none (a meeting decision, 会议决定), imported, added and edited on
the page, shown on the meeting page and in the briefing documents, never as None or nan."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import docx
import pandas as pd
import pptx
import pytest

from ipmetrics.core import store as store_module
from ipmetrics.core.goals import load_registry
from ipmetrics.core.settings import Settings
from ipmetrics.core.store import Store
from ipmetrics.export import pdf as pdf_writer
from ipmetrics.export import slides as slide_writer
from ipmetrics.export import word as word_writer
from ipmetrics.io.importer import ImportRejected, Source, import_file, import_files
from ipmetrics.meeting import actions, briefing, snapshots

from .conftest import EDITOR, SMALL, kind_files
from .test_meeting_pages import ACTIONS_PAGE, MEETING_PAGE, button
from .test_pages import APP, open_app

CITY_DIR = Path(APP).parent / "data" / "examples" / "city"
CITY_FILE = CITY_DIR / "indicators.toml"
CITY = "990100"
HEADER = "code,goal_id,region_code,problem,measure,lead_unit,co_units,due_on,raised_month,status,closed_on,progress\n"
# Two items in the city's plan: a meeting decision (指标 blank) and one on a quarterly indicator only
# reported by an office, without a target (enforcement_cases_closed, a monitoring indicator).
CITY_ITEMS = HEADER + (
    "HY-2026-10-01,,990100,各县区上报口径不一,统一知识产权统计上报口径并印发通知,市市场监督管理局,,2026-12-31,2026-10,open,,\n"
    "HY-2026-10-02,enforcement_cases_closed,990100,三季度办结数偏少,开展专项执法行动,市市场监督管理局执法支队,"
    "各县区,2026-12-31,2026-10,open,,\n")


@pytest.fixture(scope="module")
def city():
    return load_registry(CITY_FILE)


@pytest.fixture
def city_store(empty_store, city):
    """The example city's regions and reported figures, as `load-sample` brings them."""
    figures = [("reported", path) for path in sorted(CITY_DIR.glob("sample_reported_*.csv"))]
    import_files(empty_store, [("regions", CITY_DIR / "sample_regions.csv"), *figures], indicator_ids=frequencies(city))
    return empty_store


def frequencies(registry) -> dict[str, str]:
    return {goal.id: goal.frequency for goal in registry.goals}  # as the command line and the pages pass them


def shows_nothing_missing(texts) -> bool:
    return not any(word in str(text) for text in texts for word in ("None", "nan", "NaT"))


# --- import -----------------------------------------------------------------------------------------------
def test_an_item_imports_without_an_indicator_or_on_a_reported_quarterly_one(city_store, city):
    goal = city.goal("enforcement_cases_closed")
    assert (goal.reported_only, goal.monitoring, goal.frequency) == (True, True, "quarter")
    result = import_file(city_store, "actions", Source("督办.csv", CITY_ITEMS.encode()), indicator_ids=frequencies(city))
    assert result.rows_loaded == 2
    items = actions.load(city_store).set_index("code")
    assert pd.isna(items.loc["HY-2026-10-01", "goal_id"])
    assert items.loc["HY-2026-10-02", "goal_id"] == "enforcement_cases_closed"
    # trademarks_valid: reported only, quarterly, with a target; 会议决定 written out reads as a blank too.
    more = HEADER + ("HY-2026-10-03,trademarks_valid,990100,商标量低于序时进度,商标品牌培育,市市场监督管理局,,"
                     "2026-12-31,2026-10,open,,\n"
                     "HY-2026-10-04,会议决定,990100,年度考核方案未定,起草县区考核方案,市知识产权局,,2026-11-30,2026-10,open,,\n")
    assert import_file(city_store, "actions", Source("b.csv", more.encode()), indicator_ids=frequencies(city)).ok
    items = actions.load(city_store).set_index("code")
    assert items.loc["HY-2026-10-03", "goal_id"] == "trademarks_valid"
    assert pd.isna(items.loc["HY-2026-10-04", "goal_id"])
    # Any other name is still refused, and nothing of the file is kept.
    wrong = HEADER + "HY-2026-10-05,trademarks_registered,990100,问题,措施,单位,,2026-12-31,2026-10,open,,\n"
    with pytest.raises(ImportRejected) as rejected:
        import_file(city_store, "actions", Source("c.csv", wrong.encode()), indicator_ids=frequencies(city))
    assert "字段“指标”（goal_id），值“trademarks_registered”：不认识的指标" in str(rejected.value.results[0].errors[0])
    assert len(actions.load(city_store)) == 4


def test_the_tables_show_a_meeting_decision_and_never_none(city_store, city):
    import_file(city_store, "actions", Source("督办.csv", CITY_ITEMS.encode()), indicator_ids=frequencies(city))
    items = actions.for_meeting(actions.load(city_store), "2026-10", date(2026, 11, 5))
    assert actions.summary(items) == {"total": 2, "open": 2, "overdue": 0, "closed": 0, "decisions": 1}
    table = actions.meeting_table(items, city, {CITY: "示例市"}).set_index("编号")
    assert table.loc["HY-2026-10-01", "指标"] == "会议决定"
    assert table.loc["HY-2026-10-02", "指标"] == "执法案件办结数"  # its short_zh
    printed, groups = actions.briefing_section(items, city)
    # The item on an indicator first under its heading, then the decision under its own.
    assert groups == (("指标督办事项", 1), ("会议决定事项", 1))
    assert printed["编号"].tolist() == ["HY-2026-10-02", "HY-2026-10-01"]
    assert printed["指标"].tolist() == ["执法案件办结数", "会议决定"]
    assert shows_nothing_missing(table.to_numpy().ravel()) and shows_nothing_missing(printed.to_numpy().ravel())
    assert briefing._actions_paragraph(actions.summary(items)) == "本期督办事项2项（含会议决定事项1项），其中办理中2项。"


def test_without_decisions_the_briefing_table_is_as_before(small_store, registry):
    items = actions.for_meeting(actions.load(small_store), "2021-03", date(2021, 5, 10))
    printed, groups = actions.briefing_section(items, registry)
    assert groups == ()
    pd.testing.assert_frame_equal(printed, actions.briefing_table(items, registry))


def test_migration_008_keeps_the_items_stored_before_it(db_url, registry, monkeypatch):
    """A store made before 008 holds items whose goal is required; migrating keeps them and takes blanks."""
    url = db_url("before_008")
    every = store_module.migration_files()
    # Today's importer writes the actions' task_code and reads the task's text, so the older store gets the
    # tasks (009) and that column (010) first: they leave goal_id NOT NULL, which is what 008 changes. Today's
    # views and enterprise import read the designation columns of 013 (nullable only), so it gets those too,
    # every import looks for a saved column mapping (014) and keeps the record dates (016).
    older_schema = [m for m in every if m[0] < 8 or m[0] in (9, 10, 13, 14, 16)]
    monkeypatch.setattr(store_module, "migration_files", lambda directory=None: older_schema)
    store = Store(url)
    try:
        # The kinds a store before 008 has tables for (tasks came with 009, township targets with 011).
        older = [(kind, path) for kind, path in kind_files(SMALL) if kind not in ("tasks", "task_reports", "targets")]
        import_files(store, older, indicator_ids=set(registry.ids()))
        before = actions.load(store)
        assert len(before) == 3 and before["goal_id"].notna().all()
        monkeypatch.setattr(store_module, "migration_files",
                            lambda directory=None: [m for m in every if m[0] <= 10 or m[0] in (13, 14, 16)])
        assert store.migrate() == [8]
        pd.testing.assert_frame_equal(actions.load(store), before)
        decision = HEADER + "DB-2021-03-02,,411521,会议议定事项,建立月度调度机制,县市场监督管理局,,2021-06-30,2021-03,open,,\n"
        assert import_file(store, "actions", Source("d.csv", decision.encode()), indicator_ids=set(registry.ids())).ok
        assert pd.isna(actions.load(store).set_index("code").loc["DB-2021-03-02", "goal_id"])
    finally:
        store.dispose()


# --- the 督办事项 page ----------------------------------------------------------------------------------------
def test_the_page_offers_every_indicator_and_a_meeting_decision(monkeypatch, city_store, city):
    monkeypatch.setenv("IPMETRICS_INDICATORS", str(CITY_FILE))
    app = open_app(monkeypatch, city_store, ACTIONS_PAGE, as_of="2026-09", editor=EDITOR)
    choice = app.selectbox(key="action_goal")
    assert len(choice.options) == len(city.ids()) + 1 and choice.options[-1] == "无（会议决定，不针对某一指标）"
    # The city's plan has four themes: each indicator is named with its theme, a monitoring one says so.
    assert "保护 · 执法案件办结数（监测指标）" in choice.options
    choice.set_value("")
    app.text_input(key="action_problem").input("各县区上报口径不一")
    app.text_area(key="action_measure").input("统一统计上报口径并印发通知")
    app.text_input(key="action_lead").input("市市场监督管理局")
    app.date_input(key="action_due").set_value(date(2026, 12, 31))
    button(app, "保存督办事项").click().run()
    assert not app.exception
    saved = actions.load(city_store).set_index("code").loc["DB-2026-09-01"]
    assert pd.isna(saved["goal_id"])
    assert (saved["measure"], saved["updated_by"]) == ("统一统计上报口径并印发通知", "张三（zhangsan）")
    listing = app.main.dataframe[0].value
    assert listing.set_index("编号").loc["DB-2026-09-01", "指标"] == "会议决定"
    assert shows_nothing_missing(listing.to_numpy().ravel())
    app.selectbox(key="actions_subject").set_value("decision").run()
    assert app.main.dataframe[0].value["编号"].tolist() == ["DB-2026-09-01"]


def test_the_page_filters_by_indicator(monkeypatch, city_store, city):
    import_file(city_store, "actions", Source("督办.csv", CITY_ITEMS.encode()), indicator_ids=frequencies(city))
    monkeypatch.setenv("IPMETRICS_INDICATORS", str(CITY_FILE))
    app = open_app(monkeypatch, city_store, ACTIONS_PAGE, as_of="2026-09", editor=EDITOR)
    subject = app.selectbox(key="actions_subject")
    assert subject.options == ["全部指标与会议决定", "无指标（会议决定）", "执法案件办结数"]
    assert app.main.dataframe[0].value["编号"].tolist() == ["HY-2026-10-01", "HY-2026-10-02"]
    subject.set_value("enforcement_cases_closed").run()
    assert app.main.dataframe[0].value["编号"].tolist() == ["HY-2026-10-02"]
    app.selectbox(key="actions_subject").set_value("decision").run()
    assert app.main.dataframe[0].value["编号"].tolist() == ["HY-2026-10-01"]


def test_editing_moves_an_item_between_an_indicator_and_a_meeting_decision(city_store, city):
    """What the page's table editor saves: its frame, changed rows only, through actions.save."""
    import_file(city_store, "actions", Source("督办.csv", CITY_ITEMS.encode()), indicator_ids=frequencies(city))
    frame = actions.editor_frame(actions.load(city_store), city)
    assert frame.set_index("编号")["指标"].to_dict() == {"HY-2026-10-01": "会议决定", "HY-2026-10-02": "执法案件办结数"}
    assert list(actions.goal_choices(city))[-1] == "会议决定" and len(actions.goal_choices(city)) == len(city.ids()) + 1
    edited = frame.copy()
    decision, on_goal = (frame.index[frame["编号"] == code][0] for code in ("HY-2026-10-01", "HY-2026-10-02"))
    edited.loc[decision, ["指标", "进展情况"]] = ["有效注册商标量", "已起草通知"]  # the label of trademarks_valid
    edited.loc[on_goal, "指标"] = "会议决定"
    changed = actions.save(city_store, edited.loc[[decision, on_goal]], city, user="督查室乙")
    assert changed.rows_loaded == 2
    items = actions.load(city_store).set_index("code")
    assert items.loc["HY-2026-10-01", ["goal_id", "progress", "updated_by"]].tolist() == [
        "trademarks_valid", "已起草通知", "督查室乙"]
    assert pd.isna(items.loc["HY-2026-10-02", "goal_id"])
    # Read back, the editor shows what was saved, 会议决定 included.
    assert actions.editor_frame(actions.load(city_store), city).set_index("编号")["指标"].to_dict() == {
        "HY-2026-10-01": "有效注册商标量", "HY-2026-10-02": "会议决定"}


# --- the meeting and its briefing -----------------------------------------------------------------------------
DECISION_ITEM = HEADER + (
    "DB-2021-03-02,,411521,各乡镇上报不及时,建立每月5日前报送知识产权数据的调度机制,县市场监督管理局,各乡镇（街道）,"
    "2021-04-30,2021-03,open,,已印发通知\n")


@pytest.fixture
def meeting_store(fresh_small_store, registry):
    """The hand-made fixture, a meeting decision raised in March 2021, and March frozen."""
    import_file(fresh_small_store, "actions", Source("会议决定.csv", DECISION_ITEM.encode()),
                indicator_ids=set(registry.ids()))
    snapshots.freeze(fresh_small_store, registry, Settings(db_url=fresh_small_store.url), "2021-03", user="统计员甲")
    return fresh_small_store


def test_the_briefing_documents_list_the_meeting_decision(meeting_store, registry):
    info = snapshots.latest(meeting_store, "2021-03")
    on = date(2021, 4, 10)
    view = briefing.meeting_view(meeting_store, registry, info.id, on)
    # 2021-03 meeting: DB-2021-02-01, DB-2021-03-01 open (on goals), DB-2021-02-02 closed on 2021-03-15,
    # and the decision: 4 items, 1 of them a decision, 3 open, none overdue on 2021-04-10 (DB-2021-02-01 is due
    # 2021-04-30), 1 closed.
    assert "本期督办事项4项（含会议决定事项1项），其中办理中3项，本期办结1项。" in view.narrative
    document = briefing.build_briefing(meeting_store, registry, view, draw=None, on=on)
    assert document.action_groups == (("指标督办事项", 3), ("会议决定事项", 1))

    word = docx.Document(io.BytesIO(word_writer.docx_bytes(document)))
    # 五、督办事项: the table headed 编号, 指标 (六、任务落实 follows it, with tables of its own)
    table = next(t for t in word.tables if [c.text for c in t.rows[0].cells[:2]] == ["编号", "指标"])
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0][:2] == ["编号", "指标"]
    assert rows[1][0] == "指标督办事项" and rows[5][0] == "会议决定事项"  # a heading row across the table
    assert rows[6][:2] == ["DB-2021-03-02", "会议决定"]
    assert "建立每月5日前报送知识产权数据的调度机制" in rows[6] and "办理中；已印发通知" in rows[6]
    all_text = [p.text for p in word.paragraphs] + [c.text for t in word.tables for row in t.rows for c in row.cells]
    assert shows_nothing_missing(all_text)

    deck = pptx.Presentation(io.BytesIO(slide_writer.pptx_bytes(document)))
    titles = [s.shapes.title.text for s in deck.slides if s.shapes.title is not None]
    # The action items' slides, then 任务落实's (the tasks behind schedule, the units that did not report).
    at = titles.index("指标督办事项")
    assert titles[at:at + 2] == ["指标督办事项", "会议决定事项"] and titles[at + 2:] == [
        "政策各部分推进情况", "逾期或滞后的任务", "本期未汇报进展的单位"]
    decision_slide = [s for s in deck.slides if s.shapes.title is not None][at + 1]
    grid = next(shape for shape in decision_slide.shapes if shape.has_table).table
    assert [grid.cell(1, c).text for c in range(2)] == ["DB-2021-03-02", "会议决定"]

    html = pdf_writer.html_text(document)
    assert "会议决定事项" in html and "DB-2021-03-02" in html and ">None<" not in html and ">nan<" not in html


def test_the_meeting_page_lists_the_meeting_decisions(monkeypatch, meeting_store):
    info = snapshots.latest(meeting_store, "2021-03")
    app = open_app(monkeypatch, meeting_store, MEETING_PAGE, meeting_snapshot=info.id)
    headings = [h.value for h in app.main.subheader]
    assert headings.index("会议决定事项") == headings.index("落后于进度的目标") + 1
    assert any(m.value.startswith("- **DB-2021-03-02** 建立每月5日前报送知识产权数据的调度机制（县市场监督管理局，")
               for m in app.main.markdown)
    items = next(d.value for d in app.main.table if "编号" in d.value.columns)
    assert items.set_index("编号").loc["DB-2021-03-02", "指标"] == "会议决定"
    assert shows_nothing_missing(items.to_numpy().ravel())
