"""The thematic views and ledgers on the hand-made fixture (tests/fixtures/small/README.md)."""

import pandas as pd
import pytest

from ipmetrics.core.settings import Settings
from ipmetrics.themes import enterprises, financing, patents, peers, trademarks
from ipmetrics.themes.ledger import goal_ledger, measure_ledger

COUNTY = "411521"
JUNE = pd.Period("2021-06", freq="M")


def rows(frame: pd.DataFrame) -> list[list]:
    return frame.astype(object).where(frame.notna(), None).values.tolist()


def test_trademark_view(small_store):
    view = trademarks.trademark_view(small_store, COUNTY, JUNE)
    assert (view.in_force, view.new_this_month, view.new_year_to_date, view.new_same_period_last_year) == (3, 0, 2, 1)
    assert rows(view.by_type) == [["普通商标", 2, 66.7], ["证明商标", 1, 33.3]]
    assert rows(view.by_township) == [["周党镇", 2, 66.7], ["丽水街道", 1, 33.3]]
    assert sorted(view.top_holders["注册人"]) == ["罗山县周党禽业有限公司", "罗山县板栗产业协会", "罗山县灵山茶业有限公司"]
    assert list(view.gi["注册号"]) == ["T4"] and list(view.well_known["注册号"]) == ["T3"]
    monthly = view.monthly.set_index("月份")
    assert len(monthly) == 24 and monthly.index[-1] == "2021-06"
    assert monthly.loc["2021-01", ["普通商标", "合计"]].tolist() == [1, 1]
    assert monthly.loc["2021-02", ["证明商标", "合计"]].tolist() == [1, 1]
    # June 2020 had T1: June 2021 had none, so −100 %.
    assert monthly.loc["2021-06", ["合计", "去年同月", "同比增长（%）"]].tolist() == [0, 1, -100.0]
    assert pd.isna(monthly.loc["2021-01", "同比增长（%）"])  # nothing a year before: no growth rate


def test_patent_view(small_store, registry):
    view = patents.patent_view(small_store, COUNTY, JUNE, registry)
    assert view.valid_inventions == 2  # P1, P2 (P3 is granted abroad, P4 a utility model)
    assert rows(view.grants_year_to_date) == [["发明", 1], ["实用新型", 1], ["外观设计", 0]]
    # Last 12 months (2020-07 … 2021-06): P2 in 周党镇, P4 in 丽水街道; P1 (2020-03) is older.
    assert sorted(rows(view.by_township)) == [["丽水街道", 0, 1, 0, 1], ["周党镇", 1, 0, 0, 1]]
    assert sorted(rows(view.by_industry)) == [["传统产业", "禽产品", 1, 0, 0, 1], ["传统产业", "茶叶", 0, 1, 0, 1]]
    assert list(view.abroad["专利号"]) == ["P3"] and list(view.abroad["授权机构"]) == ["US"]
    assert view.monthly.set_index("月份").loc["2021-03", "去年同月"] == 1  # P1, March 2020


def test_financing_view(small_store):
    view = financing.financing_view(small_store, COUNTY, JUNE, pd.Period("2021-01", freq="M"))
    assert (view.deals, view.amount_wan) == (2, 550.5)  # L1 (2020-11) is before the window
    monthly = view.monthly.set_index("月份")
    assert list(monthly.index) == ["2021-01", "2021-02", "2021-03", "2021-04", "2021-05", "2021-06"]
    assert monthly.loc["2021-01"].tolist() == [1, 200.0] and monthly.loc["2021-03"].tolist() == [1, 350.5]
    assert rows(view.by_lender) == [["罗山农村商业银行", 1, 350.5], ["中国银行罗山支行", 1, 200.0]]
    assert rows(view.by_ip_type) == [["商标权", 1, 350.5], ["专利权", 1, 200.0]]
    assert rows(view.enterprises) == [["罗山县周党禽业有限公司", 1, 350.5, "2021-03-01"],
                                      ["罗山县灵山茶业有限公司", 1, 200.0, "2021-01-15"]]


def test_enterprise_view_follows_the_month(small_store):
    june = enterprises.enterprise_view(small_store, COUNTY, JUNE)
    assert (june.eligible, june.certified) == (3, 2)
    assert list(june.national["企业名称"]) == ["罗山县灵山茶业有限公司"]
    assert list(june.provincial["企业名称"]) == ["罗山县宝城电子科技有限公司"]
    assert list(june.uncertified["企业名称"]) == ["罗山县周党禽业有限公司"]
    march = enterprises.enterprise_view(small_store, COUNTY, pd.Period("2021-03", freq="M"))
    assert march.national.empty and march.provincial.empty and march.certified == 2
    january = enterprises.enterprise_view(small_store, COUNTY, pd.Period("2021-01", freq="M"))
    assert sorted(january.uncertified["企业名称"]) == ["罗山县周党禽业有限公司", "罗山县宝城电子科技有限公司"]


def test_township_comparison(small_store, registry):
    comparison = peers.township_comparison(small_store, registry, Settings(db_url=small_store.url), COUNTY, JUNE)
    marks = peers.township_table(comparison, "trademarks_registered", per_10k=False)
    assert rows(marks[["排名", "乡镇（街道）", "数值", "每万人", "较去年同月"]]) == [
        [1, "周党镇", 2.0, 0.1, 2.0],      # T3, T4 over 200,000 residents; none a year before
        [2, "丽水街道", 1.0, 0.03, 0.0],   # T1 (1 / 30 per 10,000), in force a year before too
    ]
    per_10k = peers.township_table(comparison, "trademarks_registered", per_10k=True)
    assert list(per_10k["乡镇（街道）"]) == ["周党镇", "丽水街道"]
    coverage = peers.township_table(comparison, "ip_standard_coverage", per_10k=True)  # a share: no per 10k
    assert rows(coverage[["乡镇（街道）", "数值", "较去年同月"]]) == [["丽水街道", 100.0, 100.0], ["周党镇", 0.0, 0.0]]
    ratio = peers.township_table(comparison, "invention_patents_per_10k", per_10k=False)
    assert rows(ratio[["乡镇（街道）", "数值"]]) == [["周党镇", 0.05], ["丽水街道", 0.03]]  # 1/20, 1/30
    wide = peers.township_overview(comparison, registry)
    assert list(wide["乡镇（街道）"]) == ["丽水街道", "周党镇"]
    assert wide.loc[1, "质押融资额（累计）（万元）"] == 350.5


def test_goal_ledgers(small_store, registry):
    settings = Settings(db_url=small_store.url)
    marks = goal_ledger(small_store, registry, settings, "trademarks_registered", COUNTY, "罗山县", JUNE)
    assert list(marks.records["注册号"]) == ["T1", "T3", "T4"] and marks.note.startswith("共 3 条")
    assert marks.title == "台账：商标注册总量 · 罗山县 · 截至2021年6月底"
    feb = goal_ledger(small_store, registry, settings, "trademarks_registered", COUNTY, "罗山县",
                      pd.Period("2021-02", freq="M"))
    assert "本月采用上报数值 10" in feb.note and len(feb.records) == 4
    patents = goal_ledger(small_store, registry, settings, "invention_patents_per_10k", COUNTY, "罗山县", JUNE)
    assert list(patents.records["专利号"]) == ["P1", "P2"]
    assert "常住人口 400,000 人（2021年）" in patents.note and "= 0.05" in patents.note
    coverage = goal_ledger(small_store, registry, settings, "ip_standard_coverage", COUNTY, "罗山县", JUNE)
    assert dict(zip(coverage.records["企业名称"], coverage.records["截至月底已贯标"])) == {
        "罗山县灵山茶业有限公司": "是", "罗山县宝城电子科技有限公司": "是", "罗山县周党禽业有限公司": "否"}
    pledges = goal_ledger(small_store, registry, settings, "pledge_financing_amount", COUNTY, "罗山县", JUNE)
    assert list(pledges.records["合同编号"]) == ["L2", "L3"] and "合计 550.50 万元" in pledges.note


def test_new_registrations_ledger(small_store):
    ledger = measure_ledger(small_store, "trademarks_cumulative", COUNTY, "罗山县", pd.Period("2021-02", freq="M"),
                            "2021年2月新注册商标", since=pd.Period("2021-02", freq="M"))
    assert list(ledger.records["注册号"]) == ["T4"] and ledger.records["商标类型"].tolist() == ["证明商标"]


@pytest.mark.parametrize("industry, group", [("电子信息", "新兴产业"), ("茶叶", "传统产业"), ("建材", "其他")])
def test_industry_groups_follow_article_seven(industry, group, registry):
    assert registry.industry_group(industry) == group
