"""Rewards from the policy's effective date (issue 16): 罗政〔2021〕28号 was issued on 2021-12-15, so its rewards
are for events on or after that day; earlier events are left out and counted apart.

The hand-made fixture's reward events (tests/fixtures/small/README.md): P1 CN invention 2020 (0.5), P3 granted
in the US 2021-01-20 (1), P2 CN invention 2021-02-01 (0.5), E1 national 2021-04-01 (10), E2 provincial
2021-05-20 (5). All predate 2021-12-15, so the tests of a mid-year cut use goal files dated 2021-03-01.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from ipmetrics.charts import rewards as reward_charts
from ipmetrics.core.goals import load_registry
from ipmetrics.core.settings import DEFAULT_INDICATORS, Settings
from ipmetrics.themes import rewards

from .conftest import FIXTURES
from .test_pages import open_app

COUNTY, ZHOUDANG = "411521", "411521101"
RULES = ["national_enterprise", "provincial_enterprise", "foreign_patent", "domestic_invention"]


def month(text: str) -> pd.Period:
    return pd.Period(text, freq="M")


def dated(registry, day: date | None):
    return registry.model_copy(update={"policy_effective": day})


def in_force(store, registry, as_of: str, region: str = COUNTY):
    return rewards.budget_in_force(store, registry, Settings(db_url=store.url), region, month(as_of))


def goal_file_dated(tmp_path: Path, day: str) -> Path:
    text = DEFAULT_INDICATORS.read_text(encoding="utf-8").replace("policy_effective = 2021-12-15",
                                                                   f"policy_effective = {day}")
    path = tmp_path / "indicators.toml"
    path.write_text(text, encoding="utf-8")
    return path


# --- the library --------------------------------------------------------------------------------------
def test_luoshan_counts_from_the_day_the_policy_was_issued(registry):
    assert registry.policy_effective == date(2021, 12, 15)
    assert registry.effective_text() == "2021年12月15日"


def test_a_mid_year_cut_by_hand(small_store, registry):
    # From 2021-03-01: E1 10 + E2 5 = 15 counted; P1 (2020), P3 (01-20), P2 (02-01) left out: 3 events.
    events, b = in_force(small_store, dated(registry, date(2021, 3, 1)), "2021-06")
    assert list(events["record_key"]) == ["91411521000000001A", "91411521000000002B"]
    assert b.years == [2021]                     # the years start with the effective year
    assert b.total(2021) == 15 and b.grand_total == 15
    assert b.left_out == {"national_enterprise": 0, "provincial_enterprise": 0, "foreign_patent": 1,
                          "domestic_invention": 2}
    assert b.left_out_total == 3
    assert b.label(2021) == "2021年（3月1日起，截至6月）"
    assert b.since_label == "2021年3月1日" and b.start_text() == "2021年3月1日"
    assert b.rule_text() == ("奖励按政策印发之日（2021年3月1日）起发生的事项计算；此前的 3 项事项未计入"
                             "（涉外授权专利 1 件、当年度授权的国家发明专利 2 件）。")
    detail = rewards.year_detail(events, registry.rewards, b.rates, 2021)
    assert list(detail["记录号"]) == ["91411521000000002B", "91411521000000001A"]   # 宝城 5, 灵山 10
    assert detail["金额（万元）"].sum() == 15


def test_an_event_on_the_effective_day_counts(small_store, registry):
    # E1 was designated on 2021-04-01: counted from that day (10 + 5), not from the next (5).
    assert in_force(small_store, dated(registry, date(2021, 4, 1)), "2021-12")[1].total(2021) == 15
    assert in_force(small_store, dated(registry, date(2021, 4, 2)), "2021-12")[1].total(2021) == 5


def test_the_bundled_date_leaves_out_every_fixture_event(small_store, registry):
    # Every fixture event predates 2021-12-15: 2021 (from 12-15) owes 0, and all 5 events are left out.
    events, b = in_force(small_store, registry, "2021-12")
    assert events.empty and b.years == [2021] and b.total(2021) == 0 and not b.has_events
    assert b.left_out_total == 5 and b.label(2021) == "2021年（12月15日起）"
    # Before the effective day there is nothing to count at all, in an earlier year or earlier that year;
    # what is left out is what happened up to the as-of month (2020-12: P1 only; 2021-11: all five).
    for as_of, left_out in (("2020-12", 1), ("2021-11", 5)):
        _, before = in_force(small_store, registry, as_of)
        assert before.years == [] and before.grand_total == 0 and before.left_out_total == left_out


def test_without_the_field_every_event_counts(small_store, registry):
    # Another region's file has no policy_effective: the figures of tests/test_rewards.py (2019 0, 2020 0.5,
    # 2021 16.5) and nothing left out.
    other = load_registry(FIXTURES / "other_plan" / "indicators.toml")
    assert other.policy_effective is None
    _, b = in_force(small_store, dated(registry, None), "2021-12")
    assert b.totals.to_dict() == {2019: 0, 2020: 0.5, 2021: 16.5}
    assert b.left_out_total == 0 and b.rule_text() is None and b.since_label == "2019年"


def test_the_cut_year_is_not_a_complete_year_for_the_trend(small_store, registry):
    # Cut at 2021-03-01, seen at 2021-12: 2021 is counted from March only, so no complete year → 0 each.
    _, b = in_force(small_store, dated(registry, date(2021, 3, 1)), "2021-12")
    projections = rewards.projected_counts(b)
    assert {k: p.count for k, p in projections.items()} == dict.fromkeys(RULES, 0)
    assert projections["national_enterprise"].basis_years == ()
    # A cut on 1 January leaves the whole year: 2021 is then complete (national 1 → flat 1).
    _, whole = in_force(small_store, dated(registry, date(2021, 1, 1)), "2021-12")
    assert whole.label(2021) == "2021年" and rewards.projected_counts(whole)["national_enterprise"].count == 1


def test_the_chart_says_from_when(small_store, registry):
    _, b = in_force(small_store, dated(registry, date(2021, 3, 1)), "2021-06")
    figure = reward_charts.yearly_budget_figure(b, "罗山县")
    assert list(figure.data[0].x) == ["2021年（3月1日起，截至6月）"]
    texts = " ".join(a.text for a in figure.layout.annotations)
    assert "按2021年3月1日（政策印发）起发生的事项计算" in texts


def test_the_sample_from_2021_12_15(sample_store, registry):
    # From the sample CSVs, events from 2021-12-15 to 2025-12: 2022 four CN inventions 2; 2023 provincial 5,
    # two foreign 2, four CN inventions 2 = 9; 2024 national 10, one foreign 1, three CN inventions 1.5 = 12.5;
    # 2025 two foreign 2, two CN inventions 1 = 3; 2021 (from 12-15) none: 26.5 in all. Left out (2019-01 to
    # 2021-12-14): one foreign patent and 13 CN inventions.
    _, b = in_force(sample_store, registry, "2025-12")
    assert b.totals.to_dict() == {2021: 0, 2022: 2, 2023: 9, 2024: 12.5, 2025: 3}
    assert b.grand_total == 26.5
    assert b.left_out == {"national_enterprise": 0, "provincial_enterprise": 0, "foreign_patent": 1,
                          "domestic_invention": 13}


# --- the page ---------------------------------------------------------------------------------------
def metric_values(app) -> dict[str, str]:
    return {m.label: m.value for m in app.main.metric}


def test_page_states_the_rule_and_what_it_leaves_out(monkeypatch, sample_store):
    app = open_app(monkeypatch, sample_store, "pages/rewards.py", as_of="2025-12")
    infos = [i.value for i in app.main.info]
    assert ("奖励按政策印发之日（2021年12月15日）起发生的事项计算；此前的 14 项事项未计入"
            "（涉外授权专利 1 件、当年度授权的国家发明专利 13 件）。") in infos
    shown = metric_values(app)
    assert shown["2021年12月15日以来合计"] == "26.5 万元"    # see test_the_sample_from_2021_12_15
    assert shown["2025年应付"] == "3 万元" and shown["2024年应付"] == "12.5 万元"
    yearly = app.main.dataframe[0].value
    assert "2021年（12月15日起） 金额（万元）" in yearly.columns and "2020年 金额（万元）" not in yearly.columns


def test_page_with_a_mid_year_date(monkeypatch, small_store, tmp_path):
    monkeypatch.setenv("IPMETRICS_INDICATORS", str(goal_file_dated(tmp_path, "2021-03-01")))
    app = open_app(monkeypatch, small_store, "pages/rewards.py", as_of="2021-06")
    assert metric_values(app) == {"2021年（3月1日起，截至6月）应付": "15 万元", "2021年3月1日以来合计": "15 万元",
                                  "2022年测算总额": "0 万元"}
    assert any("此前的 3 项事项未计入" in i.value for i in app.main.info)
    detail = app.main.dataframe[1].value
    assert list(detail["记录号"]) == ["91411521000000002B", "91411521000000001A"]


def test_page_for_a_township_with_nothing_after_the_date(monkeypatch, small_store, tmp_path):
    # 周党镇 has only P2 (2021-02-01): left out by a 2021-03-01 date, and nothing after it.
    monkeypatch.setenv("IPMETRICS_INDICATORS", str(goal_file_dated(tmp_path, "2021-03-01")))
    app = open_app(monkeypatch, small_store, "pages/rewards.py", as_of="2021-06", region=ZHOUDANG)
    infos = [i.value for i in app.main.info]
    assert any("此前的 1 项事项未计入（当年度授权的国家发明专利 1 件）" in text for text in infos)
    assert any("周党镇在2021年3月1日至2021年6月底没有可获奖励的事件" in text for text in infos)
    assert metric_values(app)["2021年（3月1日起，截至6月）应付"] == "0 万元"


@pytest.mark.parametrize("as_of", ["2020-12", "2021-08"])
def test_page_before_the_policy(monkeypatch, small_store, as_of):
    # The fixture's months end at 2021-08, before 2021-12-15: no period to count yet, in 2020 or in 2021.
    app = open_app(monkeypatch, small_store, "pages/rewards.py", as_of=as_of)
    label = f"{as_of[:4]}年{int(as_of[5:])}月"
    assert any(f"政策自2021年12月15日起施行，{label}尚无应计奖励的期间" in i.value for i in app.main.info)
    assert not app.main.metric and not app.get("plotly_chart")


@pytest.mark.parametrize("day", ["2021-13-01", "'2021年12月15日'"])
def test_a_wrong_date_names_the_line(tmp_path, day):
    from ipmetrics.core.goals import RegistryError

    with pytest.raises(RegistryError) as raised:
        load_registry(goal_file_dated(tmp_path, day))
    assert any("indicators.toml" in problem for problem in raised.value.problems)
