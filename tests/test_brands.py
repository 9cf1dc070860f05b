"""品牌培育 (article 五): statuses from dates, the pipeline, the GI gap, edits through the importer, the page.

The expected figures are the hand-worked Brands table of tests/fixtures/small/README.md, checked against
the dates in tests/fixtures/small/brands.csv.
"""

import json

import pandas as pd
import pytest

from ipmetrics.charts import brands as brand_charts
from ipmetrics.core.measures import load_region_data
from ipmetrics.core.settings import Settings
from ipmetrics.io.importer import ImportRejected, import_files
from ipmetrics.themes import brands

from .conftest import EDITOR
from .test_pages import metric_values, open_app

COUNTY = "411521"

# Status at the month-end, from the fixture's dates (registered › rejected › published › accepted › filed).
AT_2021_01 = {
    # published 2021-01-20 ≤ 2021-01-31. The README table says 已受理 here, which contradicts its own rule and
    # the fixture's dates (filed 2020-11-02, accepted 2021-01-05, published 2021-01-20, registered 2021-02-10).
    "罗山板栗": "初审公告",
    "罗山大肠汤": "已注册",      # registered 2019-05-05
    "好品罗山": "未申报",        # filed 2021-03-01 is later
    "罗山渔稻米": "已申报",      # filed 2021-01-15, accepted 2021-02-20 is later
    "铁铺豆腐": "未申报",        # no dates at all
    "罗山石山口鱼": "已受理",    # accepted 2021-01-10, published 2021-04-01 is later
}
AT_2021_06 = {
    "罗山板栗": "已注册",        # 2021-02-10 (T4)
    "罗山大肠汤": "已注册",
    "好品罗山": "已申报",
    "罗山渔稻米": "驳回",        # rejected 2021-05-10
    "铁铺豆腐": "未申报",
    "罗山石山口鱼": "初审公告",
}


def shown_statuses(frame: pd.DataFrame, month: str) -> dict[str, str]:
    return dict(zip(frame["name"], brands.statuses(frame, month).map(brands.STATUS_LABEL)))


def stage_counts(frame: pd.DataFrame, month: str) -> dict[str, int]:
    stages = brands.pipeline(frame, month)
    return dict(zip(stages["label"], stages["count"]))


@pytest.fixture
def county_brands(small_store):
    return brands.load_brands(small_store, COUNTY)


def test_statuses_at_month_ends_follow_the_dates(county_brands):
    assert shown_statuses(county_brands, "2021-01") == AT_2021_01
    assert shown_statuses(county_brands, "2021-06") == AT_2021_06


def test_a_date_counts_from_its_own_day_and_registration_outranks_rejection():
    day = pd.Timestamp
    frame = pd.DataFrame({
        "name": ["月末申报", "次月申报", "驳回后注册"],
        "filed_on": [day("2021-03-31"), day("2021-04-01"), day("2020-01-01")],
        "accepted_on": [pd.NaT, pd.NaT, day("2020-02-01")],
        "published_on": [pd.NaT, pd.NaT, pd.NaT],
        "registered_on": [pd.NaT, pd.NaT, day("2021-03-01")],
        "rejected_on": [pd.NaT, pd.NaT, day("2020-06-01")],
    })
    assert brands.statuses(frame, "2021-03").tolist() == ["filed", "not_filed", "registered"]
    assert brands.statuses(frame, "2021-02").tolist() == ["not_filed", "not_filed", "rejected"]


def test_candidates_of_a_region_are_those_under_it(small_store):
    assert set(brands.load_brands(small_store, COUNTY)["name"]) == set(AT_2021_06)
    lishui = brands.load_brands(small_store, "411521001")
    assert lishui["name"].tolist() == ["罗山石山口鱼", "好品罗山", "罗山大肠汤"]  # GI first, then collective
    assert set(lishui["region_name"]) == {"丽水街道"}


def test_stage_counts(county_brands):
    assert list(brands.pipeline(county_brands, "2021-06")["label"]) == \
        ["未申报", "已申报", "已受理", "初审公告", "已注册", "驳回"]
    assert stage_counts(county_brands, "2021-01") == {
        "未申报": 2, "已申报": 1, "已受理": 1, "初审公告": 1, "已注册": 1, "驳回": 0}
    assert stage_counts(county_brands, "2021-06") == {
        "未申报": 1, "已申报": 1, "已受理": 0, "初审公告": 1, "已注册": 2, "驳回": 1}
    table = brands.pipeline_table(brands.pipeline(county_brands, "2021-06"))
    assert table.loc[table["阶段"] == "已注册", "品牌"].item() == "罗山板栗、罗山大肠汤"
    assert brands.registered_count(county_brands, "2021-06", "collective") == 1
    assert brands.registered_count(county_brands, "2021-06", "gi") == 1


def test_gi_gap_and_the_candidates_that_could_fill_it(small_store, registry, county_brands):
    county = load_region_data(small_store, COUNTY)
    settings = Settings(db_url=small_store.url)
    june = brands.gi_gap(county, registry, settings, "2021-06", county_brands)
    assert (june.value, june.target, june.gap) == (1, 3, 2)  # T4 in force; 3 − 1
    assert june.candidates["name"].tolist() == ["罗山石山口鱼", "铁铺豆腐"]  # furthest along first
    assert june.candidate_text() == "罗山石山口鱼（初审公告）、铁铺豆腐（未申报）"
    assert not june.short_of_candidates

    january = brands.gi_gap(county, registry, settings, "2021-01", county_brands)
    assert (january.value, january.gap) == (0, 3)  # T4 is registered only on 2021-02-10
    assert january.candidates["name"].tolist() == ["罗山板栗", "罗山石山口鱼", "罗山渔稻米", "铁铺豆腐"]

    with pytest.raises(ValueError, match="全县"):
        brands.gi_gap(load_region_data(small_store, "411521001"), registry, settings, "2021-06", county_brands)


def test_gi_gap_never_goes_below_zero(fresh_small_store, registry, tmp_path):
    reported = tmp_path / "reported.csv"
    reported.write_text("indicator,region_code,month,value\ngi_marks,411521,2021-06,4\n", encoding="utf-8")
    import_files(fresh_small_store, [("reported", reported)], indicator_ids=set(registry.ids()))
    gap = brands.gi_gap(load_region_data(fresh_small_store, COUNTY), registry,
                        Settings(db_url=fresh_small_store.url), "2021-06",
                        brands.load_brands(fresh_small_store, COUNTY))
    assert (gap.value, gap.gap) == (4, 0)  # the reported figure is the goal's value


def test_table_in_chinese(county_brands):
    table = brands.brand_table(county_brands, "2021-06")
    row = table.set_index("品牌名称").loc["罗山渔稻米"]
    assert row["类型"] == "地理标志商标" and row["状态"] == "驳回" and row["所在乡镇（街道）"] == "周党镇"
    assert row["申报日期"] == "2021-01-15" and row["驳回日期"] == "2021-05-10" and row["注册日期"] == ""
    assert list(table.columns[:5]) == ["品牌名称", "类型", "状态", "所在乡镇（街道）", "申请人"]


def test_an_unchanged_editor_frame_has_no_changed_rows(county_brands):
    frame = brands.editor_frame(county_brands)
    assert list(frame.columns) == list(brands.KIND.labels.values())
    assert brands.changed_rows(frame, frame.copy()).empty


def edit(store, name: str, column: str, value) -> tuple[pd.DataFrame, pd.DataFrame]:
    before = brands.editor_frame(brands.load_brands(store, COUNTY))
    after = before.copy()
    after.loc[after["品牌名称"] == name, column] = value
    return before, after


def test_save_brands_changes_the_status_and_records_the_user(fresh_small_store):
    store = fresh_small_store
    before, after = edit(store, "铁铺豆腐", "申报日期", pd.Timestamp("2021-04-01"))
    changed = brands.changed_rows(before, after)
    assert changed["品牌名称"].tolist() == ["铁铺豆腐"]
    result = brands.save_brands(store, changed, user="张三")
    assert result.committed and result.rows_loaded == 1
    saved = brands.load_brands(store, COUNTY).set_index("name")
    assert shown_statuses(saved.reset_index(), "2021-06")["铁铺豆腐"] == "已申报"
    assert saved.loc["铁铺豆腐", "updated_by"] == "张三"
    assert saved.loc["罗山板栗", "updated_by"] != "张三"  # only the edited row is rewritten
    assert store.data_version() == 2
    assert store.frame("import_log").iloc[0]["imported_by"] == "张三"
    # The GI goal now has a third live candidate.
    assert stage_counts(saved.reset_index(), "2021-06")["已申报"] == 2


def test_a_bad_edit_is_refused_and_changes_nothing(fresh_small_store):
    store = fresh_small_store
    stored = brands.load_brands(store, COUNTY)
    before, after = edit(store, "罗山石山口鱼", "初审公告日期", pd.Timestamp("2021-01-01"))  # accepted 01-10
    after.loc[after["品牌名称"] == "铁铺豆腐", "申报日期"] = pd.Timestamp("2021-04-01")  # a good edit beside it
    changed = brands.changed_rows(before, after)
    with pytest.raises(ImportRejected) as refused:
        brands.save_brands(store, changed, user="张三")
    pd.testing.assert_frame_equal(brands.load_brands(store, COUNTY), stored)
    assert store.data_version() == 1
    problems = brands.rejection_table(refused.value, changed)
    assert problems.to_dict("records") == [{"品牌名称": "罗山石山口鱼", "字段": "初审公告日期", "值": "2021-01-01",
                                            "问题": "初审公告日期早于受理日期 2021-01-10"}]


def test_pipeline_figure_names_the_brands_on_hover(county_brands):
    figure = brand_charts.pipeline_figure(brands.pipeline(county_brands, "2021-06"), "罗山县",
                                          pd.Period("2021-06", freq="M"))
    flow, rejected = figure.data
    assert list(flow.y) == ["未申报", "已申报", "已受理", "初审公告", "已注册"]
    assert list(flow.x) == [1, 1, 0, 1, 2]
    assert list(rejected.y) == ["驳回"] and list(rejected.x) == [1]
    assert flow.customdata[4] == "罗山板栗<br>罗山大肠汤" and rejected.customdata[0] == "罗山渔稻米"
    assert flow.customdata[2] == "（无）"
    assert figure.layout.title.text.startswith("品牌申报进度")
    assert "截至2021年6月底" in figure.layout.title.text
    assert "Noto Sans CJK SC" in figure.layout.font.family
    assert figure.layout.yaxis.autorange == "reversed"  # 未申报 at the top


# --- the page --------------------------------------------------------------------------------------
PAGE = "pages/brands.py"


def test_page_shows_the_gap_the_pipeline_and_the_list(monkeypatch, fresh_small_store):
    app = open_app(monkeypatch, fresh_small_store, PAGE, as_of="2021-05", editor=EDITOR)  # as in June: nothing happens between
    assert app.title[0].value == "品牌培育"
    assert "第（五）条" in app.main.caption[0].value and "截至2021年5月底" in app.main.caption[0].value
    # 与商标数据不一致: T5 (罗山大肠汤) ended 2020-05-04, a warning of the reconciliation (issue 16).
    assert metric_values(app) == {"地理标志商标（全县）": "1 件", "2030年目标": "≥ 3 件", "尚需": "2 件",
                                  "集体商标已注册": "1 件", "与商标数据不一致": "1 处"}
    assert any("罗山石山口鱼（初审公告）、铁铺豆腐（未申报）" in m.value for m in app.main.markdown)
    figure = json.loads(app.get("plotly_chart")[0].proto.spec)
    assert [t["name"] for t in figure["data"]] == ["申报流程", "驳回（不在流程内）"]
    pipeline, listing, _findings, editor = (d.value for d in app.main.dataframe)  # findings: see below
    assert pipeline["品牌数"].tolist() == [1, 1, 0, 1, 2, 1]
    assert dict(zip(listing["品牌名称"], listing["状态"])) == AT_2021_06  # 渔稻米 rejected 05-10
    assert editor["品牌名称"].tolist() == listing["品牌名称"].tolist()
    assert not any("示例数据" in w.value for w in app.warning)


def test_page_follows_the_month_and_the_region(monkeypatch, fresh_small_store):
    app = open_app(monkeypatch, fresh_small_store, PAGE, as_of="2021-01")
    assert metric_values(app)["地理标志商标（全县）"] == "0 件"
    assert metric_values(app)["尚需"] == "3 件"
    listing = app.main.dataframe[1].value
    assert dict(zip(listing["品牌名称"], listing["状态"])) == AT_2021_01

    app = open_app(monkeypatch, fresh_small_store, PAGE, region="411521001")  # 丽水街道
    assert metric_values(app)["地理标志商标（全县）"] == "1 件"  # the goal stays a county total
    listing = app.main.dataframe[1].value
    assert listing["品牌名称"].tolist() == ["罗山石山口鱼", "好品罗山", "罗山大肠汤"]
    # 丽水街道's only live GI candidate cannot fill a gap of 2 alone.
    assert any("只有 1 个" in w.value for w in app.main.warning)


def test_page_save_without_edits_saves_nothing(monkeypatch, fresh_small_store):
    app = open_app(monkeypatch, fresh_small_store, PAGE, editor=EDITOR)
    app.button(key="brands_save").click().run()
    assert not app.exception
    assert any("没有改动" in i.value for i in app.main.info)
    assert fresh_small_store.data_version() == 1


def test_page_says_so_when_a_region_has_no_candidates(monkeypatch, fresh_small_store, tmp_path):
    regions = tmp_path / "regions.csv"
    regions.write_text("code,name,level,parent_code\n411521102,竹竿镇,township,411521\n", encoding="utf-8")
    import_files(fresh_small_store, [("regions", regions)])
    app = open_app(monkeypatch, fresh_small_store, PAGE, region="411521102")
    assert any("竹竿镇没有第（五）条点名培育的品牌" in i.value for i in app.main.info)
    assert not app.get("plotly_chart") and not app.main.dataframe
    assert metric_values(app)["集体商标已注册"] == "0 件"
