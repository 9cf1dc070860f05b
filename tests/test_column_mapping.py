"""Column mappings (issue 17, item 2): an office's own headers mapped once, next month's file imports unasked."""

import pandas as pd
import pytest

from ipmetrics.io.importer import ImportRejected, import_file
from ipmetrics.io.mappings import (
    ColumnMapping,
    MappingMismatch,
    apply,
    delete_mapping,
    save_mapping,
    saved_mapping,
    saved_mappings,
    source_name,
    suggest,
)
from ipmetrics.io.readers import Source, read_table

from .conftest import EDITOR
from .test_cli import call
from .test_pages import open_app

# A county bureau's own trademark sheet: no header is the template's, 序号 and 商品类别 are not imported.
HEADER = ["序号", "登记号", "商标名", "权利人", "所在乡镇代码", "商标种类", "是否地理标志", "核准日期", "商品类别", "所属行业"]
# Worked out by hand (difflib ratio = 2·matched / total characters, after NFKC and without brackets):
#   登记号, 商标名, 权利人, 所属行业 are a field's hint or description head verbatim → 1.0;
#   所在乡镇代码 ~ hint 乡镇代码: 4 matched of 6+4 → 0.8; 是否地理标志 ~ 地理标志: 4 of 6+4 → 0.8, ~ its
#   description head 是否地理标志商标: 6 of 6+8 → 0.857; 商标种类 ~ 商标类型: 商标 + 类 = 3 of 4+4 → 0.75;
#   核准日期 is 注册日期's description head (核准注册日期 → 核准日期 is in SUGGEST_HINTS) → 1.0.
#   商品类别 ~ 商标类型 is only 商 + 类 = 2 of 8 → 0.5, under the 0.6 threshold, and 商标种类 took mark_type first;
#   nothing is like 终止日期 or 驰名商标认定日期 once 核准日期 is taken (日期 alone: 2 of 4+4 → 0.5).
EXPECTED = {"reg_no": "登记号", "mark_name": "商标名", "holder": "权利人", "region_code": "所在乡镇代码",
            "mark_type": "商标种类", "is_gi": "是否地理标志", "registered_on": "核准日期", "industry": "所属行业"}
NOVEMBER = "罗山县2026年11月商标统计表(1).csv"
DECEMBER = "罗山县2026年12月商标统计表.csv"
SOURCE = "罗山县商标统计表"


def bureau_file(rows: list[list[str]], header: list[str] = HEADER) -> bytes:
    return ("\n".join(",".join(cells) for cells in [header, *rows]) + "\n").encode("gbk")


NOVEMBER_ROWS = [["1", "M1", "灵山云雾", "罗山县灵山茶业有限公司", "411521001", "普通商标", "否", "2026年11月3日", "第30类", "茶叶"],
                 ["2", "M2", "周党麻鸭", "罗山县周党禽业有限公司", "411521101", "集体商标", "是", "2026.11.20", "第29类", ""]]
DECEMBER_ROWS = [["1", "M3", "宝城贡米", "罗山县宝城食品有限公司", "411521001", "普通商标", "否", "2026-12-01", "第30类", "绿色食品"]]


def test_source_name_drops_dates_digits_and_version_marks():
    assert source_name("罗山县2026年11月商标统计表(1).xls") == SOURCE
    assert source_name("罗山县2026年12月商标统计表.xlsx") == SOURCE
    assert source_name("罗山县 2026-11 商标统计表 - 副本.xlsx") == SOURCE
    assert source_name("罗山县商标统计表202611（最终版）.et") == SOURCE
    assert source_name("罗山县专利统计表2026年11月.xlsx") != SOURCE  # another office's file
    assert source_name("202611.csv") == ""


def test_suggest_picks_the_columns_worked_out_by_hand():
    found = suggest("trademarks", HEADER)
    assert {field: s.column for field, s in found.items() if s.column} == EXPECTED
    assert found["ended_on"].column is None and found["well_known_on"].column is None
    assert found["region_code"].score == 0.8 and found["mark_type"].score == 0.75
    assert found["is_gi"].score == pytest.approx(12 / 14, abs=1e-3)
    assert list(found) == ["reg_no", "mark_name", "holder", "region_code", "mark_type", "is_gi", "industry",
                           "registered_on", "ended_on", "well_known_on"]  # the kind's column order


def test_apply_renames_and_keeps_spreadsheet_rows():
    table = read_table(Source(NOVEMBER, bureau_file(NOVEMBER_ROWS)))
    mapped = apply(ColumnMapping("trademarks", SOURCE, EXPECTED), table.frame, NOVEMBER)
    assert list(mapped.columns) == list(EXPECTED) and list(mapped.index) == [2, 3]  # header = row 1
    assert mapped.loc[3, "mark_name"] == "周党麻鸭"


def test_a_mapped_column_missing_from_the_file_names_file_field_and_column():
    mapping = ColumnMapping("trademarks", SOURCE, EXPECTED)
    frame = pd.DataFrame(columns=[c for c in HEADER if c != "权利人"])
    with pytest.raises(MappingMismatch) as caught:
        apply(mapping, frame, DECEMBER)
    assert str(caught.value) == (f"{DECEMBER}：按已保存的列对应关系（来源：{SOURCE}），字段“注册人”（holder）对应的列“权利人”"
                                 "在文件中不存在；请在数据导入页重新对应各列并保存")


def test_saved_mapping_imports_next_months_file_without_questions(fresh_small_store, registry):
    store = fresh_small_store
    november = Source(NOVEMBER, bureau_file(NOVEMBER_ROWS))
    with pytest.raises(ImportRejected) as refused:  # the office's own headers: nothing matches
        import_file(store, "trademarks", november)
    assert any(e.row == 1 and e.column == "reg_no" for e in refused.value.results[0].errors)
    version = store.data_version()
    save_mapping(store, ColumnMapping("trademarks", source_name(NOVEMBER), EXPECTED), user="张三（zhangsan）",
                 actor="zhangsan", client="test")
    assert store.data_version() == version  # saving a mapping changes no figure
    audit = store.frame("audit_log", limit=5)
    assert audit.iloc[0]["action"] == "column_mapping" and SOURCE in audit.iloc[0]["detail"]

    first = import_file(store, "trademarks", november, indicator_ids=set(registry.ids()))
    second = import_file(store, "trademarks", Source(DECEMBER, bureau_file(DECEMBER_ROWS)),
                         indicator_ids=set(registry.ids()))
    assert first.mapping_note == second.mapping_note == f"按已保存的列对应关系（来源：{SOURCE}）读取"
    assert (first.rows_loaded, second.rows_loaded) == (2, 1)
    marks = _marks(store)
    # The fixture's 5 marks (T1–T5) and the bureau's 3; 周党麻鸭 read 集体商标 → collective, 是 → GI.
    assert sorted(marks) == ["M1", "M2", "M3", "T1", "T2", "T3", "T4", "T5"]
    assert marks["M2"] == ("collective", True, "2026-11-20")


def _marks(store) -> dict[str, tuple]:
    with store.engine.connect() as connection:
        rows = pd.read_sql("SELECT reg_no, mark_type, is_gi, registered_on FROM trademarks", connection)
    return {r.reg_no: (r.mark_type, bool(r.is_gi), str(pd.Timestamp(r.registered_on).date()))
            for r in rows.itertuples()}


def test_a_file_that_lost_a_mapped_column_is_refused_saying_map_again(fresh_small_store):
    store = fresh_small_store
    save_mapping(store, ColumnMapping("trademarks", SOURCE, EXPECTED), user="张三")
    header = [c if c != "权利人" else "持有单位" for c in HEADER]  # the office renamed a column
    with pytest.raises(ImportRejected) as refused:
        import_file(store, "trademarks", Source(DECEMBER, bureau_file(DECEMBER_ROWS, header)))
    first = refused.value.results[0].errors[0]
    assert (first.row, first.column, first.label) == (1, "holder", "注册人")
    assert "列“权利人”，但文件中没有这一列；请在数据导入页重新对应各列并保存" in first.message
    assert "罗山县2026年12月商标统计表.csv 第1行，字段“注册人”（holder）" in str(first)


def test_a_saved_mapping_does_not_stand_in_the_way_of_a_template_file(fresh_small_store):
    store = fresh_small_store
    save_mapping(store, ColumnMapping("trademarks", SOURCE, EXPECTED), user="张三")
    template = ("注册号,商标名称,注册人,区划代码,商标类型,地理标志,注册日期\n"
                "M9,灵山,某公司,411521001,普通商标,否,2026-12-02\n").encode("utf-8")
    result = import_file(store, "trademarks", Source(DECEMBER, template))
    assert result.rows_loaded == 1 and result.mapping is None


def test_listing_and_deleting_saved_mappings(fresh_small_store):
    store = fresh_small_store
    save_mapping(store, ColumnMapping("trademarks", SOURCE, {"reg_no": "登记号"}), user="张三")
    save_mapping(store, ColumnMapping("trademarks", SOURCE, EXPECTED), user="李四")  # replaces it
    listed = saved_mappings(store)
    assert len(listed) == 1 and listed.iloc[0]["保存人"] == "李四" and listed.iloc[0]["类型"] == "商标"
    assert listed.iloc[0]["对应关系"].startswith("注册号←登记号，商标名称←商标名")
    assert saved_mapping(store, "trademarks", DECEMBER).columns == EXPECTED
    assert saved_mapping(store, "patents", DECEMBER) is None  # per kind
    delete_mapping(store, "trademarks", SOURCE, actor="lisi")
    assert saved_mappings(store).empty and saved_mapping(store, "trademarks", DECEMBER) is None
    assert store.frame("audit_log", limit=5).iloc[0]["action"] == "column_mapping_delete"


def test_cli_import_applies_the_saved_mapping_and_says_so(tmp_path, fresh_small_store, capsys):
    store = fresh_small_store
    save_mapping(store, ColumnMapping("trademarks", SOURCE, EXPECTED), user="张三")
    path = tmp_path / DECEMBER
    path.write_bytes(bureau_file(DECEMBER_ROWS))
    code, out, err = call(capsys, "--db", store.url, "import", "trademarks", str(path))
    assert code == 0, err
    assert f"{DECEMBER}：按已保存的列对应关系（来源：{SOURCE}）读取" in out
    assert "读取 1 行，写入 1 行，拒绝 0 行" in out


def test_page_maps_saves_and_imports_then_next_month_asks_nothing(monkeypatch, fresh_small_store):
    store = fresh_small_store
    app = open_app(monkeypatch, store, "pages/data_import.py", editor=EDITOR)
    app.main.get("file_uploader")[0].set_value((NOVEMBER, bureau_file(NOVEMBER_ROWS), "text/csv")).run()
    assert any("未能从表头判断数据类型" in i.value for i in app.main.info)  # no header the importer knows
    app.main.selectbox(key="import_kind").set_value("trademarks").run()
    assert any("表头缺少必需的列" in e.value for e in app.main.error)
    assert [h.value for h in app.main.subheader][:1] == ["列对应"]
    boxes = {field: app.main.selectbox(key=f"map_{NOVEMBER}_trademarks_{field}")
             for field in [*EXPECTED, "ended_on", "well_known_on"]}
    assert {field: box.value for field, box in boxes.items() if box.value} == EXPECTED  # preselected by suggest
    assert boxes["ended_on"].value is None and boxes["ended_on"].proto.placeholder == "请选择文件中的列"
    preview = app.main.dataframe[-2].value  # then the import log
    # Required fields first, as the boxes are laid out, then the optional ones chosen.
    assert list(preview.columns) == ["注册号", "商标名称", "注册人", "区划代码", "商标类型", "地理标志", "注册日期", "行业"]
    assert list(preview.index) == [2, 3] and preview.loc[2, "注册人"] == "罗山县灵山茶业有限公司"

    app.main.button(key="save_mapping").click().run()
    assert not app.exception, app.exception
    assert any(f"已保存列对应关系（来源：{SOURCE}）" in s.value for s in app.main.success)
    assert any(f"按已保存的列对应关系（来源：{SOURCE}）读取" in i.value for i in app.main.info)
    assert any("校验通过：2 行均可导入" in s.value for s in app.main.success)
    assert app.main.dataframe[-2].value.iloc[0]["保存人"] == "张三（zhangsan）"  # the saved list
    app.main.button(key="confirm_import").click().run()
    assert any(f"已导入 {NOVEMBER}：写入 2 行" in s.value for s in app.main.success)

    # December: the kind comes from the saved mapping and the check passes with no question asked.
    app.main.get("file_uploader")[0].set_value((DECEMBER, bureau_file(DECEMBER_ROWS), "text/csv")).run()
    assert app.main.selectbox(key="import_kind").value == "trademarks"
    assert "列对应" not in [h.value for h in app.main.subheader]
    assert any("校验通过：1 行均可导入" in s.value for s in app.main.success)
    app.main.button(key="confirm_import").click().run()
    assert any(f"已导入 {DECEMBER}：写入 1 行" in s.value and "按已保存的列对应关系" in s.value
               for s in app.main.success)
    assert set(_marks(store)) >= {"M1", "M2", "M3"}

    app.main.selectbox(key="mapping_to_delete").set_value(("trademarks", SOURCE, "商标")).run()
    app.main.button(key="delete_mapping").click().run()
    assert any(f"已删除列对应关系：商标 · {SOURCE}" in s.value for s in app.main.success)
    assert saved_mappings(store).empty
