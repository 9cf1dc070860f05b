"""The pages of the monthly close and the meeting: 月度快照, 会议简报, 督办事项 (AppTest)."""

from __future__ import annotations

from datetime import date

import pytest

from ipmetrics.core.settings import SAMPLE_DIR, Settings
from ipmetrics.core.store import Store
from ipmetrics.io.importer import Source, import_files
from ipmetrics.meeting import actions, briefing, snapshots
from ipmetrics.meeting.compare import compare, comparison_table

from .conftest import EDITOR, kind_files
from .test_pages import open_app

SNAPSHOT_PAGE, MEETING_PAGE, ACTIONS_PAGE = "pages/snapshots.py", "pages/meeting.py", "pages/actions.py"


@pytest.fixture(scope="module")
def meeting_store(module_db_url, registry) -> Store:
    """The sample with the snapshots of November and December 2025."""
    store = Store(module_db_url("meeting"))
    import_files(store, kind_files(SAMPLE_DIR), indicator_ids=set(registry.ids()), mark_sample=True)
    for month in ("2025-11", "2025-12"):
        snapshots.freeze(store, registry, Settings(db_url=store.url), month, user="统计员甲")
    return store


def button(app, prefix: str):
    return next(b for b in app.main.button if b.label.startswith(prefix))


def test_snapshot_page_freezes_a_ready_month(monkeypatch, fresh_small_store):
    app = open_app(monkeypatch, fresh_small_store, SNAPSHOT_PAGE, as_of="2021-03", editor=EDITOR)
    assert app.selectbox(key="freeze_month").value == "2021-03"
    coverage = app.main.dataframe[0].value
    assert dict(zip(coverage["数据类型"], coverage["数据截至"]))["知识产权质押融资"] == "截至2021年3月"
    assert any(s.value == "各类数据已覆盖2021年3月，可以冻结。" for s in app.main.success)
    app.text_input(key="freeze_note").input("3月例会")
    button(app, "冻结2021年3月快照").click().run()
    assert not app.exception
    (info,) = snapshots.list_snapshots(fresh_small_store)
    assert (info.label, info.frozen_by, info.note) == ("2021年3月快照第1版", "张三（zhangsan）", "3月例会")
    assert any(s.value.startswith(f"已冻结2021年3月快照第1版（编号 {info.id}）") for s in app.main.success)


def test_snapshot_page_names_what_is_missing_and_will_not_freeze(monkeypatch, fresh_small_store):
    app = open_app(monkeypatch, fresh_small_store, SNAPSHOT_PAGE, as_of="2021-08", editor=EDITOR)
    assert any("知识产权质押融资数据只到2021年3月，需要截至2021年8月" in e.value for e in app.main.error)
    assert button(app, "冻结2021年8月快照").disabled


def test_snapshot_page_asks_a_reason_for_a_revision_and_compares_with_today(monkeypatch, fresh_small_store, registry):
    first = snapshots.freeze(fresh_small_store, registry, Settings(db_url=fresh_small_store.url), "2021-03", user="甲")
    import_files(fresh_small_store, [("pledges", Source("p.csv", (
        "contract_no,enterprise,region_code,ip_type,lender,amount_wan,registered_on\n"
        "L9,罗山县宝城电子科技有限公司,411521001,专利权,中原银行罗山支行,100,2021-03-20\n").encode()))])
    app = open_app(monkeypatch, fresh_small_store, SNAPSHOT_PAGE, as_of="2021-03", editor=EDITOR)
    assert any("冻结后该月数据已有更正" in i.value for i in app.main.info)
    listing = app.main.dataframe[1].value
    assert listing["与当前数据一致"].tolist() == ["否（已更正）"]
    # 比较: the snapshot against today's figures of the sidebar's month, by default.
    comparison = app.main.dataframe[-1].value.set_index("指标")
    assert comparison.loc["质押融资额（累计）", ["上次", "本次", "变化"]].tolist() == ["551", "651", "+100"]
    button(app, "冻结2021年3月快照（第2版）").click().run()
    assert any("请说明原因" in e.value for e in app.main.error)  # no reason given
    assert len(snapshots.list_snapshots(fresh_small_store)) == 1
    app.text_area(key="freeze_reason").input("补录3月质押登记L9")
    button(app, "冻结2021年3月快照（第2版）").click().run()
    latest = snapshots.latest(fresh_small_store, "2021-03")
    assert (latest.revision, latest.reason) == (2, "补录3月质押登记L9") and latest.id != first.id


def test_meeting_page_without_a_snapshot_points_to_the_snapshot_page(monkeypatch, small_store):
    app = open_app(monkeypatch, small_store, MEETING_PAGE)
    assert app.title[0].value == "会议简报"
    assert any("还没有月度快照" in i.value for i in app.main.info)


def test_meeting_page_shows_the_snapshot_behind_goals_first(monkeypatch, meeting_store, registry):
    app = open_app(monkeypatch, meeting_store, MEETING_PAGE)
    december = snapshots.latest(meeting_store)
    assert app.selectbox(key="meeting_snapshot").value == december.id
    view = briefing.meeting_view(meeting_store, registry, december.id, date.today())
    markdown = [m.value for m in app.main.markdown]
    # The narrative is listed by section, a bullet per goal (issue 17): the documents' paragraphs are the
    # same sentences run on.
    assert briefing.paragraphs_of(view.sections) == view.narrative
    for heading, lines in view.sections:
        assert (f"**{heading}**\n\n" + "\n".join(f"- {line}" for line in lines) if heading else lines[0]) in markdown
    headings = [h.value for h in app.main.subheader]
    assert headings[:2] == ["落后于进度的目标", "与上次会议相比"]
    behind = [r for _, r in view.records.iterrows() if r["status"] in ("off_track", "at_risk")]
    sentences = [m for m in markdown if any(m == briefing.goal_sentence(registry.goal(r["goal_id"]), r) for r in behind)]
    assert len(sentences) == len(behind) >= 1
    changes = app.main.table[0].value
    expected = comparison_table(compare(snapshots.records(meeting_store, view.previous.id), view.records, registry),
                                registry)
    assert changes["指标"].tolist() == expected["指标"].tolist()
    assert changes["状态变化"].tolist() == expected["状态变化"].tolist()
    brands = app.main.table[1].value
    assert set(brands["品牌"]) == set(snapshots.frozen_brands(meeting_store, december.id)["name"])
    items = app.main.table[2].value
    meeting_items = actions.for_meeting(actions.load(meeting_store), "2025-12", date.today())
    assert items["编号"].tolist() == meeting_items["code"].tolist()
    assert "DB-2026-03-01" not in items["编号"].tolist()  # raised after December's meeting
    # The files are made on request, behind a progress bar (issue 17: waits over 2 s show progress).
    assert not app.main.get("download_button")
    made = _make_briefing_files(app, monkeypatch)
    assert [d.label for d in app.main.get("download_button")][-3:] == ["Word", "PDF", "PPT"]
    assert made["progress"][-1] == ("正在绘制简报图表：已完成 3/3 张", 0.75)  # the page's bar took every step
    assert made["documents"] == ["docx", "pdf", "pptx"]


def _make_briefing_files(app, monkeypatch) -> dict:
    """Click 生成简报文件 with the chart drawing and document writing stood in for (no Chromium here)."""
    from ipmetrics import monthly

    made = {"progress": [], "documents": []}

    def briefing_for(store, registry, snapshot_id, on=None, progress=None, **_):
        # what monthly.briefing_for reports while it draws three charts; the page's bar takes each step
        steps = [("正在绘制简报图表（共 3 张）……", 0.0)] + [(f"正在绘制简报图表：已完成 {n}/3 张", n / 4) for n in (1, 2, 3)]
        for text, share in steps:
            progress(text, share)
            made["progress"].append((text, share))
        return "简报内容"

    def document_bytes(content, fmt):
        assert content == "简报内容"
        made["documents"].append(fmt)
        return fmt.encode()

    monkeypatch.setattr(monthly, "briefing_for", briefing_for)
    monkeypatch.setattr(monthly, "document_bytes", document_bytes)
    button(app, "生成简报文件").click().run(timeout=60)
    return made


def test_the_table_of_all_goals_is_drawn_when_its_fold_is_opened(monkeypatch, meeting_store, registry):
    december = snapshots.latest(meeting_store)
    goals = briefing.goals_table(briefing.meeting_view(meeting_store, registry, december.id, date.today()).cards)

    def all_goals(app):
        return [table.value for table in app.main.table if list(table.value.columns) == list(goals.columns)]

    assert all_goals(open_app(monkeypatch, meeting_store, MEETING_PAGE)) == []  # folded: not drawn at all
    (shown,) = all_goals(open_app(monkeypatch, meeting_store, MEETING_PAGE, meeting_all_goals=True))
    assert shown.equals(goals)


def test_meeting_page_reads_an_older_snapshot(monkeypatch, meeting_store):
    november = snapshots.latest(meeting_store, "2025-11")
    app = open_app(monkeypatch, meeting_store, MEETING_PAGE, meeting_snapshot=november.id)
    assert any("这是第一个快照" in i.value for i in app.main.info)
    assert any(m.value.startswith("截至2025年11月底") for m in app.main.markdown)


def test_a_snapshot_s_behind_charts_and_part_table_are_made_once_for_every_session(monkeypatch, meeting_store,
                                                                                    registry):
    from ipmetrics.charts import areas
    from ipmetrics.meeting import policy_view
    from pages.shell import cache

    built, parted = [], []
    real_charts, real_parts = areas.goal_charts, policy_view.part_table

    def goal_charts(cards, where):
        built.append((where.as_of, [card.goal.id for card in cards]))
        return real_charts(cards, where)

    def part_table(*args):
        parted.append(args)
        return real_parts(*args)

    monkeypatch.setattr(areas, "goal_charts", goal_charts)
    monkeypatch.setattr(policy_view, "part_table", part_table)
    cache._snapshot_goal_charts.clear()
    cache._meeting_parts.clear()
    december = snapshots.latest(meeting_store)
    view = briefing.meeting_view(meeting_store, registry, december.id, date.today())
    behind = [r["goal_id"] for _, r in view.records.iterrows() if r["status"] in ("off_track", "at_risk")]
    first, second = (open_app(monkeypatch, meeting_store, MEETING_PAGE) for _ in range(2))
    assert len(built) == 1 and sorted(built[0][1]) == sorted(behind) and len(parted) == 1  # the second session reused them
    for app in (first, second):  # both draw every behind goal's chart (each has a value in the sample)
        assert len(app.main.get("vega_lite_chart")) == len(behind) >= 1
    parts = real_parts(registry, view.cards, view.tasks)
    shown = [frame.value for frame in second.main.table if list(frame.value.columns) == list(parts.columns)]
    assert len(shown) == 1 and shown[0].equals(parts)
    november = snapshots.latest(meeting_store, "2025-11")  # another snapshot: its own charts
    open_app(monkeypatch, meeting_store, MEETING_PAGE, meeting_snapshot=november.id)
    assert [as_of for as_of, _ in built] == [december.month, november.month]


def test_actions_page_adds_an_item_for_a_goal_behind(monkeypatch, fresh_small_store):
    app = open_app(monkeypatch, fresh_small_store, ACTIONS_PAGE, as_of="2021-03", editor=EDITOR)
    # open, of which overdue today (both 2021 deadlines have passed), closed
    assert [m.value for m in app.main.metric] == ["2", "2", "1"]
    listing = app.main.dataframe[0].value  # 办理中 by default
    assert listing["编号"].tolist() == ["DB-2021-02-01", "DB-2021-03-01"]
    assert app.selectbox(key="action_goal").options[0].endswith("（滞后）")  # furthest behind first
    app.selectbox(key="action_goal").set_value("provincial_ip_enterprises")
    app.text_input(key="action_problem").input("省强企为0家")
    app.text_area(key="action_measure").input("组织2家企业申报")
    app.text_input(key="action_lead").input("县科学技术局")
    app.date_input(key="action_due").set_value(date(2021, 9, 30))
    button(app, "保存督办事项").click().run()
    assert not app.exception
    saved = actions.load(fresh_small_store).set_index("code").loc["DB-2021-03-02"]
    assert (saved["goal_id"], saved["lead_unit"], saved["updated_by"], saved["status"]) == (
        "provincial_ip_enterprises", "县科学技术局", "张三（zhangsan）", "open")


def test_actions_page_refuses_an_item_without_a_measure(monkeypatch, fresh_small_store):
    app = open_app(monkeypatch, fresh_small_store, ACTIONS_PAGE, as_of="2021-03", editor=EDITOR)
    before = actions.load(fresh_small_store)
    app.text_input(key="action_problem").input("省强企为0家")
    app.text_input(key="action_lead").input("县科学技术局")
    app.date_input(key="action_due").set_value(date(2021, 9, 30))
    button(app, "保存督办事项").click().run()
    assert app.main.error[0].value == "发现 1 处问题，没有保存任何内容。请改正后再保存："
    problems = next(d.value for d in app.main.dataframe if "字段" in d.value.columns)
    assert problems.loc[0, ["编号", "字段"]].tolist() == ["DB-2021-03-02", "工作措施"]
    assert len(actions.load(fresh_small_store)) == len(before)


def test_a_freeze_from_the_cli_reaches_the_meeting_page_at_once(monkeypatch, fresh_small_store, registry):
    # Issue 17, item 4: March is the only snapshot; the meeting page says it is the first. February is then
    # frozen from the command line while the page stays open: the next run compares March with February.
    from ipmetrics.cli import run

    march = snapshots.freeze(fresh_small_store, registry, Settings(db_url=fresh_small_store.url), "2021-03",
                             user="统计员甲")
    app = open_app(monkeypatch, fresh_small_store, MEETING_PAGE, meeting_snapshot=march.id)
    assert any("这是第一个快照" in i.value for i in app.main.info)
    assert run(["--db", fresh_small_store.url, "snapshot", "--month", "2021-02"]) == 0
    app.run()
    assert not app.exception, app.exception
    assert not any("这是第一个快照" in i.value for i in app.main.info)
    assert any(m.value.startswith("与上次快照（2021年2月快照第1版）相比") for m in app.main.markdown)
