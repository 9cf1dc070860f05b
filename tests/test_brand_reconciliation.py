"""品牌培育 reconciled with the trademark rows, by registration number (issue 16).

Every rule on a small fixture of its own (BRANDS and TRADEMARKS below, regions from tests/fixtures/small),
each expected finding listed by hand with the fixture rows that cause it.
"""

import pandas as pd
import pytest

from ipmetrics.io.importer import Source, import_files
from ipmetrics.themes import brand_reconciliation as rec
from ipmetrics.themes import brands

from .conftest import SMALL
from .test_pages import metric_values, open_app

COUNTY, LISHUI, ZHOUDANG, ZHUGAN = "411521", "411521001", "411521101", "411521102"
PAGE = "pages/brands.py"

REGIONS = (SMALL / "regions.csv").read_text(encoding="utf-8") + f"{ZHUGAN},竹竿镇,township,{COUNTY}\n"

# One brand (or pair) per rule; the comment says which rule it trips.
BRANDS = f"""name,brand_type,applicant,region_code,filed_on,accepted_on,published_on,registered_on,rejected_on,reg_no
甲鱼米,gi,甲协会,{ZHOUDANG},2021-01-01,,,2022-03-01,,
乙茶,gi,乙协会,{ZHOUDANG},2021-01-01,,,2022-04-01,,N404
丙面,gi,丙协会,{ZHOUDANG},2021-01-01,,,2022-05-01,,T3
丁酒,collective,丁协会,{ZHOUDANG},2021-01-01,,,2022-05-01,,T4
戊醋,collective,戊协会,{ZHOUDANG},2021-01-01,,,2022-05-01,,T5
己菇,gi,己菇协会,{ZHOUDANG},2021-01-01,,,2022-06-01,,T6
庚枣,gi,,{ZHOUDANG},2021-01-01,,,,,T7
辛桃,gi,辛协会,{ZHOUDANG},2021-01-01,,,2022-08-01,,T8
壬梨,gi,辛协会,{ZHOUDANG},2021-01-01,,,2022-08-01,,T8
癸瓜,gi,癸协会,{ZHOUDANG},2021-01-01,,,,,N909
ＡＢ姜,gi,罗山县ＡＢ姜协会,{ZHOUDANG},2021-01-01,,,2022-09-01,,T10
"""
# 甲鱼米  registered, no number                      → no_reg_no (error), pointing at G9 of the same name
# 乙茶    number N404 names no trademark row         → reg_no_missing (error)
# 丙面    gi brand, T3 an ordinary mark, not GI       → not_gi (error)
# 丁酒    collective brand, T4 a certification mark   → type_differs (error)
# 戊醋    collective brand, T5 a GI collective mark   → gi_as_collective (warning)
# 己菇    T6 "己　菇" (the same name once spaces go), another holder, a day later, in 丽水街道, ended
#         → ended, holder_differs, date_differs (warnings), region_differs (information); no name warning
# 庚枣    not registered, T7 "庚枣王" registered       → name_differs, date_differs (warnings); blank applicant:
#         no holder warning
# 辛桃/壬梨 share T8                                   → duplicate_reg_no for each (errors); 壬梨 also differs
#         from T8's name (warning)
# 癸瓜    not registered, N909 not a trademark row yet → nothing (the number comes with the application)
# ＡＢ姜  full-width letters against "AB 姜" and "罗山县AB姜 协会" → nothing
TRADEMARKS = f"""reg_no,mark_name,holder,region_code,mark_type,is_gi,industry,registered_on,ended_on,well_known_on
G9,甲鱼米,甲协会,{ZHOUDANG},certification,true,,2022-03-01,,
T3,丙面,丙协会,{ZHOUDANG},ordinary,false,,2022-05-01,,
T4,丁酒,丁协会,{ZHOUDANG},certification,false,,2022-05-01,,
T5,戊醋,戊协会,{ZHOUDANG},collective,true,,2022-05-01,,
T6,己　菇,己菇产业协会,{LISHUI},certification,true,,2022-06-02,2024-01-01,
T7,庚枣王,庚协会,{ZHOUDANG},certification,true,,2023-01-01,,
T8,辛桃,辛协会,{ZHOUDANG},certification,true,,2022-08-01,,
T10,AB 姜,罗山县AB姜 协会,{ZHOUDANG},collective,true,,2022-09-01,,
U1,子午莲,子协会,{ZHUGAN},certification,true,,2021-01-01,,
U2,普通牌,丑公司,{ZHUGAN},ordinary,false,,2021-01-01,,
"""
# G9 is named by no brand (甲鱼米 left its number blank) and U1 by none at all → gi_unlisted (information);
# U2 is not GI, so it is nobody's business here.

GI = "地理标志商标"  # the GI goal's label in data/indicators.toml
NOT_COUNTED = f"（未计入{GI}目标）"

# (level, brand, reg_no, problem): errors, then warnings, then information; within a level in the order of
# the brand list (GI brands, then collective, each by name in code-point order: 丙 乙 壬 己 庚 甲 辛 ... 丁 戊),
# then the unlisted GI marks by registration date.
EXPECTED_COUNTY = [
    ("错误", "丙面", "T3", f"品牌为地理标志商标，商标数据中该注册号为普通商标、未标为地理标志{NOT_COUNTED}"),
    ("错误", "乙茶", "N404", f"注册号在商标数据中找不到{NOT_COUNTED}"),
    ("错误", "壬梨", "T8", "注册号与品牌“辛桃”相同"),
    ("错误", "甲鱼米", "", f"已注册但未填注册号{NOT_COUNTED}"),
    ("错误", "辛桃", "T8", "注册号与品牌“壬梨”相同"),
    ("错误", "丁酒", "T4", "品牌类型为集体商标，商标数据中为证明商标"),
    ("警告", "壬梨", "T8", "品牌名称与商标数据中的商标名称“辛桃”不同"),
    ("警告", "己菇", "T6", f"商标数据记有失效日期 2024-01-01，此后不计入{GI}目标"),
    ("警告", "己菇", "T6", "申请人“己菇协会”与商标数据中的注册人“己菇产业协会”不同"),
    ("警告", "己菇", "T6", "注册日期不一致：品牌记录 2022-06-01，商标数据 2022-06-02"),
    ("警告", "庚枣", "T7", "品牌名称与商标数据中的商标名称“庚枣王”不同"),
    ("警告", "庚枣", "T7", "商标数据显示已于 2023-01-01 注册，品牌记录未填注册日期"),
    ("警告", "戊醋", "T5", f"品牌类型为集体商标，商标数据中为地理标志集体商标（计入{GI}目标）"),
    ("提示", "己菇", "T6", "所在地区不一致：品牌记录为周党镇，商标数据为丽水街道（商标按商标数据的地区计数）"),
    ("提示", "子午莲", "U1", "地理标志商标未列入品牌培育名单"),
    ("提示", "甲鱼米", "G9", "地理标志商标未列入品牌培育名单：名单中的同名品牌“甲鱼米”未填此注册号"),
]


@pytest.fixture(scope="module")
def store(module_db_url, registry):
    from ipmetrics.core.store import Store
    store = Store(module_db_url("reconciliation"))
    import_files(store, [("regions", Source("regions.csv", REGIONS.encode())),
                         ("brands", Source("brands.csv", BRANDS.encode())),
                         ("trademarks", Source("trademarks.csv", TRADEMARKS.encode()))],
                 indicator_ids=set(registry.ids()))
    yield store
    store.dispose()


def rows(findings: pd.DataFrame) -> list[tuple[str, str, str, str]]:
    return list(findings[["level", "brand", "reg_no", "problem"]].itertuples(index=False, name=None))


def test_every_rule_on_the_county(store, registry):
    findings = brands.reconciliation(store, COUNTY, registry)
    assert rows(findings) == EXPECTED_COUNTY
    assert set(findings["rule"]) == set(rec.RULES)  # the fixture trips every rule
    # 16 findings: 6 errors, 7 warnings, 3 pieces of information
    assert rec.level_counts(findings) == {"错误": 6, "警告": 7, "提示": 3}


def test_what_to_do_names_the_record_to_change(store, registry):
    actions = {(row.rule, row.brand): row.action for row in brands.reconciliation(store, COUNTY, registry).itertuples()}
    assert actions[("no_reg_no", "甲鱼米")] == "改品牌记录：填写注册号（商标数据中同名地理标志商标的注册号为 G9）"
    assert actions[("reg_no_missing", "乙茶")] == "导入商标数据：补入注册号 N404 的商标记录；若注册号填错，改品牌记录"
    assert actions[("gi_unlisted", "甲鱼米")] == "改品牌记录：品牌“甲鱼米”的注册号填 G9"
    assert actions[("gi_unlisted", "子午莲")] == "如属培育品牌，改品牌记录：在“数据导入”页导入品牌培育数据将其列入"
    assert actions[("date_differs", "庚枣")] == "改品牌记录：填写注册日期"
    assert actions[("gi_as_collective", "戊醋")] == "改品牌记录：类型改为地理标志商标"
    assert all(("改品牌记录" in action) or ("导入商标数据" in action) for action in actions.values())


def test_a_town_sees_its_brands_and_the_gi_marks_recorded_under_it(store, registry):
    # 丽水街道 has no brand; T6 is recorded there but 己菇 (in 周党镇) names it, so it is not "unlisted".
    assert brands.reconciliation(store, LISHUI, registry).empty
    # 竹竿镇: no brand, and U1 that no brand names (U2 is not a GI mark).
    assert rows(brands.reconciliation(store, ZHUGAN, registry)) == [
        ("提示", "子午莲", "U1", "地理标志商标未列入品牌培育名单")]
    # 周党镇 has every brand, and G9 among its GI marks: the county's findings less U1.
    assert rows(brands.reconciliation(store, ZHOUDANG, registry)) == [r for r in EXPECTED_COUNTY if r[2] != "U1"]


def test_without_a_gi_goal_the_findings_do_not_name_one(store):
    findings = rec.reconciliation(store, COUNTY, gi_goal=None)
    problems = dict(zip(findings["rule"], findings["problem"]))
    assert problems["reg_no_missing"] == "注册号在商标数据中找不到"
    assert problems["no_reg_no"] == "已注册但未填注册号"
    assert problems["ended"] == "商标数据记有失效日期 2024-01-01，此后不再有效"
    assert problems["gi_as_collective"] == "品牌类型为集体商标，商标数据中为地理标志集体商标"


def test_names_compare_without_width_spaces_or_case():
    assert rec.normalised("ＡＢ 姜") == rec.normalised("ab姜") == "ab姜"
    assert rec.normalised("己\u3000菇 ") == "己菇"
    assert rec.normalised(None) == rec.normalised(float("nan")) == ""


def test_the_table_is_in_chinese(store, registry):
    table = rec.reconciliation_table(brands.reconciliation(store, COUNTY, registry))
    assert list(table.columns) == ["级别", "品牌", "注册号", "不一致之处", "处理办法"]
    assert len(table) == len(EXPECTED_COUNTY)


def test_the_sample_has_no_mismatch(sample_store, registry):
    # data/sample: 罗山板栗 (38215506) and 铁铺豆腐 (61894002) match their GI certification marks, 罗山大肠汤
    # (50337128) its collective mark; the other three are not registered and have no number; no other GI mark.
    assert brands.reconciliation(sample_store, COUNTY, registry).empty


# --- the page --------------------------------------------------------------------------------------
def excel_downloads(app) -> int:
    return sum("Excel" in button.label for button in app.main.get("download_button"))


def test_page_counts_and_lists_the_findings(monkeypatch, store):
    app = open_app(monkeypatch, store, PAGE)
    assert metric_values(app)["与商标数据不一致"] == "13 处"  # 6 errors + 7 warnings; the 3 pieces of information aside
    assert any("只有商标数据中的地理标志商标记录才计入“地理标志商标”目标" in c.value for c in app.main.caption)
    table = next(d.value for d in app.main.dataframe if "不一致之处" in d.value.columns)
    assert list(table.itertuples(index=False, name=None))[0][:3] == ("错误", "丙面", "T3")
    assert len(table) == 16
    assert not any("无不一致" in s.value for s in app.main.success)
    assert excel_downloads(app) == 3  # the pipeline's table, the brand list and the findings


def test_page_lists_an_unnamed_gi_mark_in_a_town_without_brands(monkeypatch, store):
    app = open_app(monkeypatch, store, PAGE, region=ZHUGAN)
    assert metric_values(app)["与商标数据不一致"] == "0 处"
    assert any("无不一致" in s.value for s in app.main.success)  # no disagreement; one piece of information
    assert app.main.dataframe[0].value["品牌"].tolist() == ["子午莲"]
    assert any("竹竿镇没有第（五）条点名培育的品牌" in i.value for i in app.main.info)


def test_page_says_no_mismatch_on_the_sample(monkeypatch, sample_store):
    app = open_app(monkeypatch, sample_store, PAGE)
    assert metric_values(app)["与商标数据不一致"] == "0 处"
    assert any(s.value.startswith("无不一致") for s in app.main.success)
    assert not any("不一致之处" in d.value.columns for d in app.main.dataframe)
    assert excel_downloads(app) == 2  # the pipeline's table and the brand list; no findings to download
