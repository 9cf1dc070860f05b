"""乡镇考核 and township targets (issue 15): the import kind `targets`, a township's status only against its
assigned target, the scoring rule worked by hand, the page, the workbook and the frozen assessment."""

from __future__ import annotations

import io
from datetime import date

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from ipmetrics.core import store as store_module
from ipmetrics.core.goals import load_registry
from ipmetrics.core.policy import Assessment, AssessmentItem
from ipmetrics.core.progress import Status
from ipmetrics.core.scorecard import scorecard
from ipmetrics.core.settings import SAMPLE_DIR, Settings
from ipmetrics.core.store import Store
from ipmetrics.export.workbook import assessment_workbook
from ipmetrics.io.importer import ImportRejected, Source, import_file, import_files
from ipmetrics.meeting import snapshots
from ipmetrics.themes import assessment

from .conftest import SMALL, kind_files
from .test_city_pages import city, city_store, open_city  # noqa: F401 (fixtures)
from .test_pages import open_app

COUNTY, LISHUI, ZHOUDANG = "411521", "411521001", "411521101"
HEADER = "指标,地区代码,目标值,目标日期,备注\n"
CITY_FILE = SAMPLE_DIR.parent / "examples" / "city" / "indicators.toml"


def load_targets(store, registry, text: str, **options):
    return import_file(store, "targets", Source("乡镇目标.csv", text.encode()), indicator_ids=set(registry.ids()),
                       plan_region=registry.region, **options)


# --- the rule, by hand ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def city_plan():
    """The example city's plan with an assessment added: two counts going up and adjudication_days, a goal
    to reduce (<=), so the direction of the value ranks is tested too."""
    plan = load_registry(CITY_FILE)
    items = [AssessmentItem(indicator="trademarks_valid", weight=50),
             AssessmentItem(indicator="adjudication_days", weight=30),
             AssessmentItem(indicator="service_agencies", weight=20)]
    return plan.model_copy(update={"assessment": Assessment(title="区县考核", items=items)})


def record(code, name, indicator, value, target, completion):
    return {"region_code": code, "region_name": name, "indicator": indicator, "value": value, "target": target,
            "target_date": None if target is None else date(2026, 12, 31), "completion": completion}


# Five townships. Item score = weight × min(max(completion, 0), 1); total = Σ scores ÷ Σ assigned weights × 100.
#   甲镇: 50 × 0.9 = 45; adjudication completion 1.25 → 1 → 30 × 1 = 30; agencies 20 × 0.8 = 16
#         → (45 + 30 + 16) ÷ (50 + 30 + 20) × 100 = 91
#   乙镇: 50 × min(1.2, 1) = 50; no adjudication target (not counted); agencies 20 × 1 = 20 → 70 ÷ 70 × 100 = 100
#   丙乡: 50 × 0.8 = 40; adjudication went up (completion −0.5 → 0) = 0; agencies no value → 0
#         → 40 ÷ 100 × 100 = 40
#   戊镇: only trademarks assigned: 50 × 0.91 = 45.5 → 45.5 ÷ 50 × 100 = 91 (ties 甲镇)
#   丁乡: no target at all → no score, listed last
# Ranks: 乙镇 1; 甲镇 and 戊镇 2 and 2, listed by name (戊 U+620A before 甲 U+7532); 丙乡 4; 丁乡 none.
RECORDS = pd.DataFrame([
    record("001", "甲镇", "trademarks_valid", 90, 100, 0.9),
    record("001", "甲镇", "adjudication_days", 100, 110, 1.25),
    record("001", "甲镇", "service_agencies", 4, 5, 0.8),
    record("002", "乙镇", "trademarks_valid", 120, 100, 1.2),
    record("002", "乙镇", "adjudication_days", 90, None, None),
    record("002", "乙镇", "service_agencies", 5, 5, 1.0),
    record("003", "丙乡", "trademarks_valid", 80, 100, 0.8),
    record("003", "丙乡", "adjudication_days", 130, 100, -0.5),
    record("003", "丙乡", "service_agencies", None, 5, None),
    record("005", "戊镇", "trademarks_valid", 91, 100, 0.91),
    record("005", "戊镇", "adjudication_days", 120, None, None),
    record("005", "戊镇", "service_agencies", 2, None, None),
    record("004", "丁乡", "trademarks_valid", 60, None, None),
    record("004", "丁乡", "adjudication_days", 95, None, None),
    record("004", "丁乡", "service_agencies", 1, None, None),
])


def test_scores_totals_and_ranks_worked_by_hand(city_plan):
    result = assessment.results(RECORDS, city_plan)
    totals = result.totals
    assert totals["region_name"].tolist() == ["乙镇", "戊镇", "甲镇", "丙乡", "丁乡"]
    assert totals["total"].round(6).tolist()[:4] == [100.0, 91.0, 91.0, 40.0] and np.isnan(totals["total"].iloc[4])
    assert totals["rank"].tolist()[:4] == [1, 2, 2, 4] and pd.isna(totals["rank"].iloc[4])
    assert totals["assigned_weight"].tolist()[:4] == [70, 50, 100, 100]
    scores = result.items.set_index(["region_name", "indicator"])["score"]
    assert scores[("甲镇", "adjudication_days")] == 30          # completion 1.25 counts as 1
    assert scores[("丙乡", "adjudication_days")] == 0           # went the wrong way: 0, not negative
    assert scores[("丙乡", "service_agencies")] == 0            # assigned but no value: 0
    assert np.isnan(scores[("乙镇", "adjudication_days")])      # not assigned: no score at all
    assert result.scored


def test_value_ranks_follow_each_goals_direction(city_plan):
    ranks = assessment.results(RECORDS, city_plan).items.set_index(["region_name", "indicator"])["value_rank"]
    # Fewer adjudication days is better: 乙镇 90 (1), 丁乡 95 (2), 甲镇 100 (3), 戊镇 120 (4), 丙乡 130 (5).
    assert [ranks[(n, "adjudication_days")] for n in ["乙镇", "丁乡", "甲镇", "戊镇", "丙乡"]] == [1, 2, 3, 4, 5]
    # More marks is better: 乙镇 120 first; 丙乡 without agencies has no rank there.
    assert ranks[("乙镇", "trademarks_valid")] == 1 and pd.isna(ranks[("丙乡", "service_agencies")])


def test_without_any_assigned_target_there_are_values_and_no_scores(city_plan):
    bare = RECORDS.assign(target=None, completion=None, target_date=None)
    result = assessment.results(bare, city_plan)
    assert not result.scored and result.totals["rank"].isna().all()
    table = assessment.values_table(result, city_plan)
    assert table["乡镇（街道）"].tolist() == sorted(["甲镇", "乙镇", "丙乡", "丁乡", "戊镇"])


def test_the_rule_names_the_weights_of_the_goal_file(city_plan, registry):
    text = assessment.rule_text(city_plan)
    goals = {g.id: g.name_zh for g in city_plan.goals}
    assert f"{goals['trademarks_valid']} 50 分" in text and f"{goals['adjudication_days']} 30 分" in text
    assert "单项得分 = 权重 × min(完成率, 1)" in text and "÷ 已下达目标各项的权重之和 × 100" in text
    assert "商标注册总量 40 分" in assessment.rule_text(registry)
    assert "不评分" in assessment.rule_text(load_registry(CITY_FILE))  # no [assessment]


def test_the_workbook_is_one_printable_sheet_with_numbers(city_plan):
    data = assessment_workbook(assessment.results(RECORDS, city_plan), city_plan, "2026-12", sample=True)
    sheet = load_workbook(io.BytesIO(data))["乡镇考核"]
    assert sheet["A1"].value == "区县考核（截至2026年12月底）（示例数据）"
    assert sheet["A3"].value.startswith("考核指标与权重")
    headers = [c.value for c in sheet[4]]
    assert headers[0] == "乡镇（街道）" and headers[-2:] == ["总分", "名次"]
    first = [c.value for c in sheet[5]]
    assert first[0] == "乙镇" and first[-2:] == [100, 1]  # numbers as numbers
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
    assert sheet.sheet_properties.pageSetUpPr.fitToPage


# --- import --------------------------------------------------------------------------------------------
def test_a_good_file_loads_and_a_new_import_replaces_the_pair(fresh_small_store, registry):
    result = load_targets(fresh_small_store, registry, HEADER + f"trademarks_registered,{LISHUI},5,2021-12-31,年度目标\n")
    assert result.ok and result.rows_loaded == 1
    load_targets(fresh_small_store, registry, HEADER + f"trademarks_registered,{LISHUI},6,2022/6/30,\n")
    stored = fresh_small_store.frame("region_targets", region=LISHUI)
    assert stored["target"].tolist() == [6] and str(stored["target_date"].iloc[0])[:10] == "2022-06-30"


def test_bad_rows_are_named_by_row_and_field_and_nothing_is_written(fresh_small_store, registry):
    bad = HEADER + (f"no_such_goal,{LISHUI},5,2021-12-31,\n"        # row 2
                    f"trademarks_registered,{COUNTY},5000,2030-12-31,\n"  # row 3: the county itself
                    f"gi_marks,{LISHUI},1,2021-13-01,\n"          # row 4
                    f"gi_marks,{ZHOUDANG},-1,2021-12-31,\n"       # row 5
                    f"gi_marks,411521999,1,2021-12-31,\n")        # row 6
    with pytest.raises(ImportRejected) as rejected:
        load_targets(fresh_small_store, registry, bad)
    errors = {(e.row, e.column): e.message for e in rejected.value.results[0].errors}
    assert set(errors) == {(2, "indicator"), (3, "region_code"), (4, "target_date"), (5, "target"),
                           (6, "region_code")}
    assert errors[(2, "indicator")].startswith("不认识的指标")
    assert errors[(3, "region_code")] == ("这是目标文件所属地区（411521）本身，其目标写在目标文件中；"
                                          "此处只下达给下级地区（乡镇、街道）")
    assert "不是有效日期" in errors[(4, "target_date")]
    assert "区划代码不存在" in errors[(6, "region_code")]
    message = str(rejected.value)
    assert "乡镇目标.csv 第3行，字段“地区代码”（region_code），值“411521”" in message
    assert "乡镇目标.csv 第4行，字段“目标日期”（target_date）" in message
    assert fresh_small_store.frame("region_targets", region=LISHUI).empty


def test_without_the_plans_region_the_top_region_is_refused(fresh_small_store, registry):
    text = HEADER + f"gi_marks,{COUNTY},3,2030-12-31,\n"
    with pytest.raises(ImportRejected, match="是最上一级地区"):
        import_file(fresh_small_store, "targets", Source("t.csv", text.encode()), indicator_ids=set(registry.ids()))


def test_load_sample_imports_the_bundled_targets(sample_store):
    # 19 townships have targets (高店乡 411521209 none): 19 marks + 19 patent ratios + 12 pledges + 18 coverage.
    counts = pd.read_csv(SAMPLE_DIR / "targets.csv").groupby("indicator").size().to_dict()
    assert counts == {"trademarks_registered": 19, "invention_patents_per_10k": 19, "pledge_financing_count": 12,
                      "ip_standard_coverage": 18}
    assert sample_store.frame("region_targets", region="411521209").empty
    assert len(sample_store.frame("region_targets", region=LISHUI)) == 4


# --- a township's status only against its target ---------------------------------------------------------
def test_a_townships_status_follows_only_its_assigned_target(fresh_small_store, registry):
    settings = Settings(db_url=fresh_small_store.url)
    lishui = {c.goal.id: c for c in scorecard(fresh_small_store, registry, settings, LISHUI, "2021-06")}
    # No target assigned to 丽水街道: even the ratio goals have none now (they had the county's before).
    assert lishui["ip_standard_coverage"].status is Status.NO_TARGET
    assert lishui["invention_patents_per_10k"].progress.target is None
    load_targets(fresh_small_store, registry, HEADER + f"pledge_financing_count,{LISHUI},4,2021-12-31,\n")
    card = {c.goal.id: c for c in scorecard(fresh_small_store, registry, settings, LISHUI, "2021-06")}[
        "pledge_financing_count"]
    p = card.progress
    assert p.target == 4 and str(card.target_period) == "2021-12" and card.target_text() == "≥ 4 家次"
    assert p.completion == pytest.approx(p.value / 4)
    # Pace: (4 − value) over the 6 months from 2021-06 to 2021-12.
    assert p.monthly_pace_needed == pytest.approx((4 - p.value) / 6) and p.status is not Status.NO_TARGET
    county = {c.goal.id: c for c in scorecard(fresh_small_store, registry, settings, COUNTY, "2021-06")}
    assert county["pledge_financing_count"].progress.target == 10 and not county["pledge_financing_count"].assigned


# --- migration 011 ---------------------------------------------------------------------------------------
def test_migration_011_upgrades_an_older_store(db_url, registry, monkeypatch):
    url = db_url("before_011")
    every = store_module.migration_files()
    # Today's views and enterprise import read the designation columns of 013 (nullable only), every import
    # looks for a saved column mapping (014) and keeps the record dates of 016: the older store has them already.
    monkeypatch.setattr(store_module, "migration_files",
                        lambda directory=None: [m for m in every if m[0] < 11 or m[0] in (13, 14, 16)])
    store = Store(url)
    try:
        older = [(kind, path) for kind, path in kind_files(SMALL) if kind != "targets"]
        import_files(store, older, indicator_ids=set(registry.ids()))
        monkeypatch.setattr(store_module, "migration_files", lambda directory=None: every)
        assert 11 in store.migrate()
        fingerprint = snapshots.data_fingerprint(store, "2021-03")
        assert store.frame("region_targets", region=ZHOUDANG).empty
        assert load_targets(store, registry, (SMALL / "targets.csv").read_text(encoding="utf-8")).ok
        # Targets count in the fingerprint once there are any (none: the digest is the one before 011).
        assert snapshots.data_fingerprint(store, "2021-03") != fingerprint
    finally:
        store.dispose()


# --- snapshots -------------------------------------------------------------------------------------------
def test_a_snapshot_freezes_the_assessment(fresh_small_store, registry):
    info = snapshots.freeze(fresh_small_store, registry, Settings(db_url=fresh_small_store.url), "2021-03",
                            user="统计员甲", today=date(2026, 11, 25))
    frozen = snapshots.frozen_assessment(fresh_small_store, registry, info.id)
    # 周党镇 is assigned the coverage target only (100 %): its coverage at 2021-03 is 0 → 15 × 0 = 0 → total 0
    # ÷ 15 × 100 = 0, rank 1 of 1; 丽水街道 has no target and no score.
    assert frozen.totals["region_name"].tolist() == ["周党镇", "丽水街道"]
    assert frozen.totals["total"].iloc[0] == 0 and frozen.totals["rank"].iloc[0] == 1
    assert pd.isna(frozen.totals["rank"].iloc[1])
    items = frozen.items.set_index(["region_code", "indicator"])
    assert items.loc[(ZHOUDANG, "ip_standard_coverage"), "target"] == 100
    assert str(items.loc[(ZHOUDANG, "ip_standard_coverage"), "target_date"])[:10] == "2030-12-31"
    assert items.loc[(ZHOUDANG, "trademarks_registered"), "weight"] == 40
    goals = snapshots.records(fresh_small_store, info.id, ZHOUDANG).set_index("goal_id")
    assert items.loc[(ZHOUDANG, "trademarks_registered"), "value"] == goals.loc["trademarks_registered", "value"]
    # A new target afterwards leaves the frozen assessment as it was, and the snapshot is no longer current.
    load_targets(fresh_small_store, registry, HEADER + f"trademarks_registered,{LISHUI},5,2021-12-31,\n")
    assert snapshots.frozen_assessment(fresh_small_store, registry, info.id).totals.equals(frozen.totals)
    assert not snapshots.is_current(fresh_small_store, info)


# --- the page --------------------------------------------------------------------------------------------
def test_the_page_shows_the_rule_the_ranks_and_the_unscored_last(monkeypatch, sample_store):
    app = open_app(monkeypatch, sample_store, "pages/assessment.py", as_of="2026-09")
    assert app.title[0].value == "乡镇考核 · 罗山县下辖"
    assert any(m.value.startswith("**考核规则**：考核指标与权重：商标注册总量 40 分") for m in app.main.markdown)
    table = app.main.dataframe[-1].value
    ranks = table["名次"].tolist()
    assert ranks[0] == 1 and ranks[:19] == sorted(ranks[:19]) and pd.isna(ranks[-1])
    assert table["乡镇（街道）"].iloc[-1] == "高店乡" and pd.isna(table["总分"].iloc[-1])
    assert any("未下达任何目标、不评分" in c.value and "高店乡" in c.value for c in app.main.caption)
    labels = [b.label for b in app.main.get("download_button")]
    assert "下载考核表（Excel，可直接打印）" in labels and "下载表格（Excel）" in labels


def test_the_page_without_assigned_targets_says_why_there_is_no_score(monkeypatch, empty_store, registry):
    import_files(empty_store, [(k, p) for k, p in kind_files(SMALL) if k != "targets"],
                 indicator_ids=set(registry.ids()))
    app = open_app(monkeypatch, empty_store, "pages/assessment.py", as_of="2021-06")
    assert any("尚未向各乡镇下达目标" in i.value for i in app.main.info)
    table = app.main.dataframe[-1].value
    assert "商标注册总量·排名" in table.columns and "总分" not in table.columns


def test_the_page_without_an_assessment_in_the_goal_file(monkeypatch, city_store):  # noqa: F811
    app = open_city(monkeypatch, city_store, "assessment")  # the example city's plan has no [assessment]
    assert not app.exception
    assert any("目标文件没有设定乡镇考核" in i.value for i in app.main.info)
    # As 乡镇对比 does: the city's districts with their values.
    assert app.title[0].value.endswith("下辖") and len(app.main.dataframe[-1].value) > 0
