"""The status in the goal's own numbers on the overview card, the detail page and its computation (issue 16)."""

from tests.test_pages import open_app


def test_the_detail_page_explains_a_small_goal_with_its_numbers(monkeypatch, sample_store):
    app = open_app(monkeypatch, sample_store, "pages/goal_detail.py", as_of="2026-10",
                   goal="provincial_ip_enterprises")
    text = " ".join(m.value for m in app.main.markdown)
    # 0 at 2020-12, 1 since 2023-08: 1 over 70 months, 12/70 ≈ 0.17 a year; 50 months left: 1 + 50/70 ≈ 1.71,
    # 86% of the target 2 and of the gap from 0; the likelihood with k = 1, T = 70, L = 50, one missing:
    # 1 − (70/120)^1.5 ≈ 0.554.
    # 罗山县凤鸣精密机械有限公司 applied in 2026-06 (sample enterprises.csv): in the pipeline, not yet counted.
    assert "还差 1 家，在途 1 家（罗山县凤鸣精密机械有限公司）" in text
    assert "平均每年 +0.17 家" in text and "2030年底预计 1.7 家，为目标的86%" in text
    assert "可补上基期与目标之间差距的86%，需加快（预警）" in text
    assert "达成可能性 55%（不确定）" in text
    steps = app.main.table[0].value
    assert steps.loc["预期进度比", "数值"] == "0.86"
    assert steps.loc["方法", "数值"] == "小目标：按自基期以来的事件速度"
    assert steps.loc["自基期以来的速度", "说明"] == "（1 − 0）÷ 70 个月"
    assert steps.loc["自基期以来的速度", "数值"] == "+0.01 家/月（每年 +0.17）"
    assert steps.loc["状态", "数值"] == "预警"
    assert steps.loc["在途", "说明"] == "在途候选只列名单，不计入预计值"  # 预警 by its pace, not raised
    assert steps.loc["达成可能性", "说明"].endswith("2020年12月至2026年10月共 70 个月新增 1 家")


def test_the_overview_card_gives_the_projection_and_the_likelihood(monkeypatch, sample_store):
    app = open_app(monkeypatch, sample_store, "pages/overview.py", as_of="2026-10")
    captions = [c.value for c in app.main.caption]
    assert "达成可能性 55%（不确定）" in captions  # 省知识产权强企, as above
    # GI marks: two brands in application (罗山石山口鱼 published 2026-08, 罗山渔稻米 filed 2026-04), one mark missing.
    assert any(c.startswith("还差 1 件，在途 2 件（罗山石山口鱼、罗山渔稻米）") for c in captions)


def test_the_snapshot_freezes_the_likelihood_and_the_pipeline(monkeypatch, fresh_small_store, registry):
    from datetime import date

    from ipmetrics.core.settings import Settings
    from ipmetrics.meeting import snapshots

    info = snapshots.freeze(fresh_small_store, registry, Settings(db_url=fresh_small_store.url), "2021-03",
                            user="统计员甲", today=date(2026, 11, 25))
    row = snapshots.records(fresh_small_store, info.id).set_index("goal_id").loc["gi_marks"]
    # GI marks at 2021-03: 0 to 2021-01, 1 from 2021-02; three months since the baseline are fewer than two
    # trend windows, so the last 24 months: k = 1 over T = 24, L = 117, 2 missing: p = 24/141,
    # 1 − p^1.5 (1 + 1.5 (1 − p)) ≈ 0.84.
    p = 24 / 141
    assert row["likelihood"] == round(1 - p ** 1.5 * (1 + 1.5 * (1 - p)), 4)
    # In the pipeline at 2021-03: 罗山石山口鱼 (filed 2020-12) and 罗山渔稻米 (filed 2021-01, rejected only in 2021-05).
    assert row["method"] == "events" and row["pipeline"] == "罗山石山口鱼、罗山渔稻米"
    # The frozen card reads the frozen likelihood back.
    card = next(c for c in snapshots.cards(fresh_small_store, registry, info.id) if c.goal.id == "gi_marks")
    assert card.likelihood == row["likelihood"] and card.progress.pipeline == ("罗山石山口鱼", "罗山渔稻米")

    app = open_app(monkeypatch, fresh_small_store, "pages/snapshots.py", as_of="2021-03", snapshot_detail=info.id)
    table = next(frame.value for frame in app.main.dataframe if "达成可能性（%）" in frame.value.columns)
    county = table[(table["区划"] == "罗山县") & (table["指标"] == "地理标志商标")].iloc[0]
    assert county["达成可能性（%）"] == round(100 * (1 - p ** 1.5 * (1 + 1.5 * (1 - p)))) and county["在途"] == "罗山石山口鱼、罗山渔稻米"


def test_a_goal_slide_lists_the_likelihood(sample_store, registry):
    from ipmetrics.core.scorecard import scorecard
    from ipmetrics.core.settings import Settings
    from ipmetrics.meeting.briefing import slide_figures

    cards = {c.goal.id: c for c in scorecard(sample_store, registry, Settings(db_url=sample_store.url), None, "2026-10")}
    # 省知识产权强企 at 2026-10: 1 − (70/120)^1.5 ≈ 0.554 (see the detail page test above).
    assert slide_figures(cards["provincial_ip_enterprises"])[-1] == ("达成可能性", "55%（不确定）")
    assert slide_figures(cards["national_ip_enterprises"])[-1] == ("达成可能性", "已达成")
