"""Industries validated against the goal file's lists, with synonyms (issue 16).

The bundled goal file lists 传统产业 (茶叶、绿色食品、禽产品), 新兴产业 (article 七: 电子信息、环保装备、新能源、精密加工、
生物医药) and other_industries (纺织服装、建材、商贸服务), and [industry_synonyms] such as 电子信息 = 电子信息产业,
电子信息制造业. An import stores a synonym as its canonical name and refuses a name listed nowhere.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ipmetrics.cli import run
from ipmetrics.core.goals import RegistryError, load_registry
from ipmetrics.core.settings import DEFAULT_INDICATORS, SAMPLE_DIR
from ipmetrics.demo.synthetic import INDUSTRIES as SYNTHETIC_INDUSTRIES
from ipmetrics.io.importer import ImportRejected, import_file, import_files
from ipmetrics.io.readers import Source
from ipmetrics.themes.patents import patent_view
from ipmetrics.themes.trademarks import trademark_view

from .conftest import FIXTURES, SMALL, kind_files

COUNTY = "411521"
CITY_GOALS = Path(__file__).parents[1] / "data" / "examples" / "city" / "indicators.toml"
PATENT_HEADER = "patent_no,title,holder,region_code,patent_type,office,industry,applied_on,granted_on,ended_on\n"
KNOWN = "茶叶、绿色食品、禽产品、电子信息、环保装备、新能源、精密加工、生物医药、纺织服装、建材、商贸服务"


def patents(rows: str) -> Source:
    return Source("patents.csv", (PATENT_HEADER + rows).encode("utf-8"))


def test_the_goal_file_lists_industries_and_their_synonyms(registry):
    assert "、".join(registry.known_industries) == KNOWN
    spellings = registry.industry_spellings()
    assert spellings["电子信息产业"] == spellings["电子信息制造业"] == spellings["电子信息"] == "电子信息"
    assert spellings["商贸"] == "商贸服务"
    # A synonym is grouped as its industry (records stored before the synonym was declared, too).
    assert registry.industry_group("电子信息产业") == "新兴产业"
    assert registry.industry_group("纺织") == "其他" and registry.industry_group("建材") == "其他"


def test_a_synonym_is_stored_as_its_industry_and_counted_in_its_group(fresh_small_store, registry):
    # The fixture has no 电子信息 patent; P9 (granted 2021-06-01, 丽水街道) written 电子信息产业 is one.
    result = import_file(fresh_small_store, "patents",
                         patents("P9,一种电子元件,罗山县宝城电子科技有限公司,411521001,invention,CN,电子信息产业,"
                                 "2020-01-01,2021-06-01,\n"),
                         industries=registry.industry_spellings())
    assert result.ok and result.rows_loaded == 1
    view = patent_view(fresh_small_store, COUNTY, pd.Period("2021-08", freq="M"), registry)
    rows = view.by_industry.set_index("行业")
    assert "电子信息产业" not in rows.index
    assert rows.loc["电子信息", "产业类别"] == "新兴产业" and rows.loc["电子信息", "合计"] == 1


def test_a_trademark_synonym_too(fresh_small_store, registry):
    header = "reg_no,mark_name,holder,region_code,mark_type,is_gi,industry,registered_on,ended_on,well_known_on\n"
    source = Source("trademarks.csv", (header + "T9,灵山红,罗山县灵山茶业有限公司,411521001,ordinary,false,茶产业,"
                                       "2021-05-01,,\n").encode("utf-8"))
    import_file(fresh_small_store, "trademarks", source, industries=registry.industry_spellings())
    stock = trademark_view(fresh_small_store, COUNTY, pd.Period("2021-06", freq="M")).by_industry
    # The fixture's in-force marks at 2021-06 include one 茶叶 mark (T1); T9 (茶产业) makes it two.
    assert dict(zip(stock["行业"], stock["有效件数"]))["茶叶"] == 2
    assert "茶产业" not in set(stock["行业"])


def test_an_unknown_industry_is_refused_naming_file_row_field_value_and_the_names(fresh_small_store, registry):
    version = fresh_small_store.data_version()
    rows = ("P9,一种电子元件,罗山县宝城电子科技有限公司,411521001,invention,CN,电子信息产业,2020-01-01,2021-06-01,\n"
            "P10,一种电子元件,罗山县宝城电子科技有限公司,411521001,invention,CN,电子产品,2020-01-01,2021-06-01,\n")
    with pytest.raises(ImportRejected) as rejected:
        import_file(fresh_small_store, "patents", patents(rows), industries=registry.industry_spellings())
    errors = rejected.value.results[0].errors
    assert len(errors) == 1 and errors[0].row == 3 and errors[0].value == "电子产品"
    assert str(errors[0]) == (f"patents.csv 第3行，字段“行业”（industry），值“电子产品”：不是目标文件列出的行业（可用：{KNOWN}）；"
                              "若是其中某个行业的另一种写法，请在目标文件的 [industry_synonyms] 中加上")
    assert fresh_small_store.data_version() == version   # nothing written, not even the valid P9


def test_the_command_line_import_checks_industries(tmp_path, db_url, capsys):
    url = db_url("industries")
    assert run(["--db", url, "import", "regions", str(SMALL / "regions.csv")]) == 0
    bad = tmp_path / "patents.csv"
    bad.write_text(PATENT_HEADER + "P10,一种电子元件,罗山县宝城电子科技有限公司,411521001,invention,CN,电子产品,"
                   "2020-01-01,2021-06-01,\n", encoding="utf-8")
    assert run(["--db", url, "import", "patents", str(bad)]) == 1
    assert "值“电子产品”：不是目标文件列出的行业" in capsys.readouterr().err


def test_a_goal_file_without_lists_takes_any_text(fresh_small_store):
    # The city example and the other plan list no industries: no spellings, so nothing is checked.
    for path in (CITY_GOALS, FIXTURES / "other_plan" / "indicators.toml"):
        assert load_registry(path).industry_spellings() == {}
    result = import_file(fresh_small_store, "patents",
                         patents("P11,一种装置,罗山县某公司,411521001,utility_model,CN,电子产品,2020-01-01,2021-06-01,\n"),
                         industries=load_registry(CITY_GOALS).industry_spellings())
    assert result.ok and result.rows_loaded == 1


def test_the_bundled_sample_and_the_synthetic_province_use_listed_names(empty_store, registry):
    # The sample imports with the check (the same run as load-sample), and the synthetic generator's
    # industries (written by SQL, not through the importer) are all listed too.
    results = import_files(empty_store, kind_files(SAMPLE_DIR), indicator_ids=set(registry.ids()), dry_run=True,
                           industries=registry.industry_spellings(), plan_region=registry.region)
    checked = {r.kind: r for r in results if r.kind in ("trademarks", "patents", "enterprises")}
    assert len(checked) == 3 and all(r.ok and r.rows_valid == r.rows_read > 0 for r in checked.values())
    assert all(result.ok for result in results)
    assert set(SYNTHETIC_INDUSTRIES) <= set(registry.known_industries)


# --- the goal file's own rules -----------------------------------------------------------------------
def goal_file(tmp_path: Path, old: str, new: str) -> Path:
    text = DEFAULT_INDICATORS.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "indicators.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize("old, new, words", [
    ('"新能源" = ["新能源产业"]', '"光伏" = ["光伏产业"]', "“光伏”不是 industry_groups 或 other_industries 列出的行业"),
    ('"新能源" = ["新能源产业"]', '"新能源" = ["电子信息"]', "同义词“电子信息”本身是已列出的行业"),
    ('"新能源" = ["新能源产业"]', '"新能源" = ["电子信息产业"]', "同义词“电子信息产业”同时列在“电子信息”和“新能源”下"),
    ('other_industries = ["纺织服装", "建材", "商贸服务"]', 'other_industries = ["纺织服装", "建材", "茶叶"]',
     "行业“茶叶”同时列在“传统产业”和 other_industries 中"),
])
def test_the_lists_must_be_consistent(tmp_path, old, new, words):
    with pytest.raises(RegistryError) as raised:
        load_registry(goal_file(tmp_path, old, new))
    assert any(words in problem and problem.startswith("indicators.toml 第") for problem in raised.value.problems)
