"""Designations that end, upgrades that keep both dates, and the pipeline of applications (issue 16).

A hand-made enterprise list over the fixture's regions (罗山县 411521; 丽水街道 …001, 周党镇 …101):

  firm            township  provincial        national          示范         applied (level)    ends
  升级科技 (11A)   丽水      2020-05-06        2021-04-01        2022-03-10   national 2020-11-02
  示范电子 (12B)   周党      —                 (2022-09-01)      2022-09-01   —
  失效新能源 (13C) 丽水      2021-03-10        —                 —            —                  provincial 2023-06-15
  申报精密 (14D)   周党      2024-01-15        —                 —            provincial 2023-04-20
  在途生物 (15E)   周党      —                 —                 —            provincial 2024-05-08

示范电子 was designated 示范企业 directly: its first national designation is that day.
"""

from datetime import date

import pandas as pd
import pytest

from ipmetrics.core.measures import load_region_data, measure_series
from ipmetrics.core.store import Store
from ipmetrics.io.importer import ImportRejected, import_files
from ipmetrics.themes import enterprises, rewards
from ipmetrics.themes.ledger import goal_ledger

from .conftest import SMALL
from .test_pages import open_app

COUNTY, LISHUI, ZHOUDANG = "411521", "411521001", "411521101"
NATIONAL, PROVINCIAL = "national_ip_enterprises", "provincial_ip_enterprises"
HEADER = ("credit_code,name,region_code,industry,high_tech,tech_sme,ip_standard_on,national_ip_on,"
          "provincial_strong_on,national_demo_on,national_ip_until,provincial_strong_until,national_ip_applied_on,"
          "provincial_strong_applied_on")
FIRMS = [
    "91411521000000011A,罗山县升级科技有限公司,411521001,电子信息,true,false,,2021-04-01,2020-05-06,2022-03-10,,,"
    "2020-11-02,",
    "91411521000000012B,罗山县示范电子有限公司,411521101,电子信息,true,true,,,,2022-09-01,,,,",
    "91411521000000013C,罗山县失效新能源有限公司,411521001,新能源,false,true,,,2021-03-10,,,2023-06-15,,",
    "91411521000000014D,罗山县申报精密机械有限公司,411521101,精密加工,false,true,,,2024-01-15,,,,,2023-04-20",
    "91411521000000015E,罗山县在途生物科技有限公司,411521101,生物医药,true,false,,,,,,,,2024-05-08",
]


def month(text: str) -> pd.Period:
    return pd.Period(text, freq="M")


@pytest.fixture(scope="module")
def store(module_db_url, tmp_path_factory):
    folder = tmp_path_factory.mktemp("designations")
    (folder / "enterprises.csv").write_text("\n".join([HEADER, *FIRMS]) + "\n", encoding="utf-8")
    store = Store(module_db_url("designations"))
    results = import_files(store, [("regions", SMALL / "regions.csv"), ("enterprises", folder / "enterprises.csv")])
    assert all(r.committed and not r.errors for r in results)
    yield store
    store.dispose()


def counts(store: Store, measure: str, months: list[str], region: str = COUNTY) -> list[float]:
    index = pd.PeriodIndex([month(m) for m in months])
    return measure_series(load_region_data(store, region), measure, index).tolist()


def test_a_lapsed_designation_stops_counting_from_the_month_it_ends(store, registry, settings_for):
    # Provincial: 升级科技 from 2020-05; 失效新能源 2021-03 until 2023-06-15 (not counted at the end of June);
    # 申报精密 from 2024-01. So 0, 1, 2, 2 (May 2023), 1 (June 2023), 1, 2.
    assert counts(store, PROVINCIAL, ["2020-04", "2020-05", "2021-03", "2023-05", "2023-06", "2023-12", "2024-01"]) \
        == [0, 1, 2, 2, 1, 1, 2]
    may = enterprises.enterprise_view(store, COUNTY, month("2023-05"))
    june = enterprises.enterprise_view(store, COUNTY, month("2023-06"))
    assert "罗山县失效新能源有限公司" in list(may.provincial["企业名称"])
    # The goal's ledger at May names the firm with the date its designation will end.
    ledger = goal_ledger(store, registry, settings_for(store), PROVINCIAL, COUNTY, "罗山县", month("2023-05")).records
    assert ledger.set_index("企业名称").loc["罗山县失效新能源有限公司", "省强企失效日期"] == "2023-06-15"
    assert list(june.provincial["企业名称"]) == ["罗山县升级科技有限公司"]
    assert may.lapsed[PROVINCIAL].empty
    assert june.lapsed[PROVINCIAL].values.tolist() == [["罗山县失效新能源有限公司", "2021-03-10", "2023-06-15", "丽水街道"]]


def test_an_upgrade_keeps_both_dates_and_counts_once(store):
    # National: 升级科技 from 2021-04 (优势), 示范 from 2022-03 — still one firm; 示范电子 from 2022-09: 0, 1, 1, 1, 2.
    assert counts(store, NATIONAL, ["2021-03", "2021-04", "2022-02", "2022-03", "2022-09"]) == [0, 1, 1, 1, 2]
    before = enterprises.enterprise_view(store, COUNTY, month("2022-02")).national.set_index("企业名称")
    after = enterprises.enterprise_view(store, COUNTY, month("2022-09")).national.set_index("企业名称")
    columns = ["级别", "认定日期", "示范认定日期"]  # the page's short headers for the national dates
    assert before.loc["罗山县升级科技有限公司", columns].tolist() == ["优势企业", "2021-04-01", ""]
    assert after.loc["罗山县升级科技有限公司", columns].tolist() == ["示范企业", "2021-04-01", "2022-03-10"]
    assert after.loc["罗山县示范电子有限公司", columns].tolist() == ["示范企业", "2022-09-01", "2022-09-01"]


def test_rewards_are_paid_once_per_level_the_policy_names(store):
    # Article 十 names two levels, national (10万元) and provincial (5万元); 优势 → 示范 is no new national one.
    events = rewards.reward_events(store, COUNTY, date(2019, 1, 1), date(2030, 12, 31))
    upgraded = events[events["beneficiary"] == "罗山县升级科技有限公司"]
    assert sorted(zip(upgraded["event"], upgraded["event_on"].dt.strftime("%Y-%m-%d"))) == [
        ("national_enterprise", "2021-04-01"), ("provincial_enterprise", "2020-05-06")]
    by_year = events[events["event"] == "national_enterprise"].groupby("year").size().to_dict()
    assert by_year == {2021: 1, 2022: 1}  # 升级科技 in 2021, 示范电子 in 2022; nothing for the 2022 upgrade


def test_an_application_is_in_the_pipeline_until_designated(store):
    def names(measure, at, region=COUNTY):
        return list(load_region_data(store, region).pipeline(measure, month(at))["candidate"])

    # 申报精密 applied 2023-04-20, designated 2024-01-15; 在途生物 applied 2024-05-08, not designated.
    assert names(PROVINCIAL, "2023-03") == []
    assert names(PROVINCIAL, "2023-04") == names(PROVINCIAL, "2023-12") == ["罗山县申报精密机械有限公司"]
    assert names(PROVINCIAL, "2024-01") == []
    assert names(PROVINCIAL, "2024-05") == names(PROVINCIAL, "2026-10") == ["罗山县在途生物科技有限公司"]
    assert names(PROVINCIAL, "2024-05", ZHOUDANG) == ["罗山县在途生物科技有限公司"]
    assert names(PROVINCIAL, "2024-05", LISHUI) == []
    # 升级科技 applied nationally 2020-11-02 and was designated 2021-04-01.
    assert names(NATIONAL, "2020-10") == [] and names(NATIONAL, "2021-03") == ["罗山县升级科技有限公司"]
    assert names(NATIONAL, "2021-04") == []
    stages = load_region_data(store, COUNTY).candidates.set_index("candidate")["stage"]
    assert stages["罗山县申报精密机械有限公司"] == "已认定" and stages["罗山县在途生物科技有限公司"] == "已申报"
    view = enterprises.enterprise_view(store, COUNTY, month("2024-05"))
    assert view.pipeline[PROVINCIAL].values.tolist() == [["罗山县在途生物科技有限公司", "2024-05-08"]]


def test_a_bad_end_date_is_refused_naming_file_row_and_field(store, tmp_path):
    bad = tmp_path / "企业名录.csv"
    bad.write_text("\n".join([
        HEADER,
        "91411521000000016F,罗山县正常科技有限公司,411521001,电子信息,true,false,,,2022-01-05,,,,,",
        "91411521000000017G,罗山县倒序科技有限公司,411521001,电子信息,true,false,,,2022-01-05,,,2021-12-31,,",
        "91411521000000018H,罗山县早认定科技有限公司,411521101,电子信息,true,false,,2022-03-01,,,,,2022-05-01,",
        "91411521000000019J,罗山县无认定科技有限公司,411521101,电子信息,true,false,,,,,2023-01-01,,,",
    ]) + "\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as refused:
        import_files(store, [("enterprises", bad)])
    result, = refused.value.results
    assert [str(e) for e in result.errors] == [
        "企业名录.csv 第3行，字段“省强企失效日期”（provincial_strong_until），值“2021-12-31”：省强企失效日期早于认定日期 2022-01-05",
        "企业名录.csv 第4行，字段“国家优势示范企业申报日期”（national_ip_applied_on），值“2022-05-01”："
        "国家优势示范企业申报日期晚于认定日期 2022-03-01",
        "企业名录.csv 第5行，字段“国家优势示范企业失效日期”（national_ip_until），值“2023-01-01”："
        "填写了国家优势示范企业失效日期，但没有国家优势示范企业认定日期",
    ]
    assert not result.committed  # nothing half-written: the good row waits for the file to be mended
    assert counts(store, PROVINCIAL, ["2022-06"]) == [2]  # 升级科技, 失效新能源 only, as before the attempt


def test_an_old_file_without_the_new_columns_still_imports(db_url):
    store = Store(db_url("old_columns"))
    results = import_files(store, [("regions", SMALL / "regions.csv"), ("enterprises", SMALL / "enterprises.csv")])
    assert all(r.committed and not r.errors for r in results)
    # tests/fixtures/small: 灵山茶业 national from 2021-04-01, 宝城电子 provincial from 2021-05-20, for good.
    assert counts(store, NATIONAL, ["2021-03", "2021-04", "2030-12"]) == [0, 1, 1]
    assert counts(store, PROVINCIAL, ["2021-04", "2021-05", "2030-12"]) == [0, 1, 1]
    assert load_region_data(store, COUNTY).candidates.empty
    store.dispose()


def test_the_page_shows_level_pipeline_and_lapsed_firms(monkeypatch, store):
    # June 2023: both national firms are 示范企业; 申报精密 has applied (2023-04-20); 失效新能源 ended on 06-15.
    app = open_app(monkeypatch, store, "pages/enterprises.py", as_of="2023-06")
    tables = [d.value for d in app.main.dataframe]
    national = next(t for t in tables if "级别" in t)
    assert national[["企业名称", "级别"]].values.tolist() == [["罗山县升级科技有限公司", "示范企业"],
                                                             ["罗山县示范电子有限公司", "示范企业"]]
    texts = [m.value for m in app.main.markdown]
    assert any(t.startswith("**在途 1 家**") for t in texts) and any(t.startswith("**已失效 1 家**") for t in texts)
    assert any(t.values.tolist() == [["罗山县申报精密机械有限公司", "2023-04-20"]] for t in tables)
    assert any(t.values.tolist() == [["罗山县失效新能源有限公司", "2021-03-10", "2023-06-15", "丽水街道"]] for t in tables)


def test_the_designation_dates_count_in_the_fingerprint_from_the_month_they_are_known(db_url, tmp_path):
    from ipmetrics.meeting.snapshots import data_fingerprint

    def store_with(rows: list[str], name: str) -> Store:
        (tmp_path / f"{name}.csv").write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
        store = Store(db_url(name))
        results = import_files(store, [("regions", SMALL / "regions.csv"), ("enterprises", tmp_path / f"{name}.csv")])
        assert all(r.committed and not r.errors for r in results)
        return store

    # 在途生物 with and without its application (2024-05-08): the same fingerprint before May 2024, not after.
    without = store_with([FIRMS[4].replace("2024-05-08", "")], "without")
    applied = store_with([FIRMS[4]], "applied")
    assert data_fingerprint(without, "2024-04") == data_fingerprint(applied, "2024-04")
    assert data_fingerprint(without, "2024-05") != data_fingerprint(applied, "2024-05")
