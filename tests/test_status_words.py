"""The status in the goal's own numbers on the overview card, the detail page and its computation (issue 16)."""

from tests.test_pages import open_app


def test_the_detail_page_explains_a_small_goal_with_its_numbers(monkeypatch, sample_store):
    app = open_app(monkeypatch, sample_store, "pages/goal_detail.py", as_of="2026-10",
                   goal="provincial_ip_enterprises")
    text = " ".join(m.value for m in app.main.markdown)
    # 0 at 2020-12, 1 since 2023-08: 1 over 70 months, 12/70 ≈ 0.17 a year; 50 months left: 1 + 50/70 ≈ 1.71,
    # 86% of the target 2 and of the gap from 0; the likelihood with k = 1, T = 70, L = 50, one missing:
    # 1 − (70/120)^1.5 ≈ 0.554.
    assert "还差 1 家，在途 0 家" in text
    assert "平均每年 +0.17 家" in text and "2030年底预计 1.7 家，为目标的86%" in text
    assert "可补上基期与目标之间差距的86%，需加快（预警）" in text
    assert "达成可能性 55%（不确定）" in text
    steps = app.main.dataframe[-1].value.set_index("项目")
    assert steps.loc["预期进度比", "数值"] == "0.86"
    assert steps.loc["方法", "数值"] == "小目标：按自基期以来的事件速度"
    assert steps.loc["自基期以来的速度", "说明"] == "（1 − 0）÷ 70 个月"
    assert steps.loc["状态", "数值"] == "预警"


def test_the_overview_card_gives_the_projection_and_the_likelihood(monkeypatch, sample_store):
    app = open_app(monkeypatch, sample_store, "pages/overview.py", as_of="2026-10")
    captions = [c.value for c in app.main.caption]
    assert "达成可能性 55%（不确定）" in captions  # 省知识产权强企, as above
    # GI marks: two brands in application (罗山石山口鱼 published 2026-08, 罗山渔稻米 filed 2026-04), one mark missing.
    assert any(c.startswith("还差 1 件，在途 2 件（罗山石山口鱼、罗山渔稻米）") for c in captions)
