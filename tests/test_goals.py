"""The goal registry: the nine goals of article 二, and errors that name their line."""

from pathlib import Path

import pytest

from ipmetrics.core.goals import RegistryError, load_registry, parse_registry
from ipmetrics.core.settings import DEFAULT_INDICATORS, Settings

NINE = ["trademarks_registered", "well_known_marks", "gi_marks", "national_ip_enterprises",
        "provincial_ip_enterprises", "invention_patents_per_10k", "pledge_financing_count",
        "pledge_financing_amount", "ip_standard_coverage"]
TEXT = DEFAULT_INDICATORS.read_text(encoding="utf-8")


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    lines = [i for i, line in enumerate(text.splitlines(), start=1) if line.startswith(needle)]
    return lines[occurrence - 1]


def problems(text: str) -> list[str]:
    with pytest.raises(RegistryError) as caught:
        parse_registry(text, Path("county.toml"))
    return caught.value.problems


def test_the_nine_goals_of_article_two(registry):
    # The nine goals of article 二 are the indicators with a target; the rest of the file is monitoring.
    assert [goal.id for goal in registry.targeted] == NINE
    targets = {g.id: (g.comparator, g.target, g.unit) for g in registry.goals}
    assert targets["trademarks_registered"] == (">=", 5000, "件")
    assert targets["invention_patents_per_10k"] == (">", 1, "件/万人")   # "超过1件": strictly more
    assert targets["pledge_financing_amount"] == (">=", 5000, "万元")
    # "基本实现“贯标”全覆盖": the policy's words, judged by coverage ≥ 95 % (issue 16; it was ≥ 100 %).
    assert targets["ip_standard_coverage"] == (">=", 95, "%")
    for goal in registry.targeted:
        assert str(goal.baseline_date) == "2020-12-31" and str(goal.target_date) == "2030-12-31"
        assert goal.name_zh and goal.name_en and goal.article.startswith("第") and goal.definition


def test_definition_names_the_settings_in_force(registry):
    goal = registry.goal("invention_patents_per_10k")
    assert "人口口径：常住人口" in goal.definition_in_force(Settings())
    assert "人口口径：户籍人口" in goal.definition_in_force(Settings(population_basis="registered"))
    assert "累计起点：2021年1月" in registry.goal("pledge_financing_amount").definition_in_force(Settings())


def test_bad_values_are_reported_with_their_line():
    text = TEXT.replace('comparator = ">"', 'comparator = "=>"').replace('numerator = "gi_marks"',
                                                                          'numerator = "gi_markz"')
    found = problems(text)
    assert len(found) == 2
    gi_line, comparator_line = line_of(text, 'numerator = "gi_markz"'), line_of(text, 'comparator = "=>"')
    assert found[0].startswith(f"county.toml 第{gi_line}行")
    assert "gi_marks" in found[0] and "不认识的度量 gi_markz" in found[0]
    assert found[1].startswith(f"county.toml 第{comparator_line}行")
    assert "invention_patents_per_10k 的 comparator" in found[1]


def test_missing_field_points_at_its_entry():
    text = TEXT.replace('unit = "家次"\n', "")
    found = problems(text)
    assert len(found) == 1 and "pledge_financing_count 的 unit：必填项缺失" in found[0]
    assert found[0].startswith(f"county.toml 第{line_of(text, '[[indicators]]', 7)}行")


def test_duplicate_ids_and_dates_out_of_order():
    text = TEXT.replace('id = "gi_marks"', 'id = "well_known_marks"')
    assert any("指标 id 重复：well_known_marks" in p for p in problems(text))
    text = TEXT.replace("target_date = 2030-12-31", "target_date = 2019-12-31", 1)
    assert any("target_date 应晚于 baseline_date" in p for p in problems(text))


def test_syntax_error_names_line_and_column():
    text = TEXT.replace('kind = "share"', "kind = share")
    (found,) = problems(text)
    assert f"第{line_of(text, 'kind = share')}行" in found and "TOML 语法错误" in found


def test_unknown_setting_in_a_measure_name():
    text = TEXT.replace('"population_{population_basis}"', '"population_{population_kind}"')
    assert any("不存在的设置 {population_kind}" in p for p in problems(text))


def test_another_county_can_swap_in_its_own_file(tmp_path):
    own = tmp_path / "other.toml"
    own.write_text(TEXT.replace('region = "411521"', 'region = "411522"').replace("target = 5000", "target = 800", 1),
                   encoding="utf-8")
    other = load_registry(own)
    assert other.region == "411522" and other.goal("trademarks_registered").target == 800


def test_missing_file():
    with pytest.raises(RegistryError, match="找不到目标文件"):
        load_registry("/nonexistent/indicators.toml")


def test_values_are_rounded_half_up_with_separators(registry):
    assert registry.goal("national_ip_enterprises").format_value(0.5) == "1"      # 四舍五入, not to even
    assert registry.goal("trademarks_registered").format_value(4593.5) == "4,594"
    assert registry.goal("invention_patents_per_10k").format_value(0.125) == "0.13"
    assert registry.goal("ip_standard_coverage").format_value(None) == "—"


def test_estimates_of_small_targets_keep_a_decimal(registry):
    assert registry.goal("gi_marks").format_estimate(1.75) == "1.8"
    assert registry.goal("gi_marks").format_estimate(0.02, extra_decimals=2) == "0.02"
    assert registry.goal("trademarks_registered").format_estimate(4090.42) == "4,090"
    assert registry.goal("invention_patents_per_10k").format_estimate(0.7125) == "0.713"
    # A share keeps its own decimals even with a target under 100 (贯标 ≥ 95 %): 102.5, not 102.48.
    assert registry.goal("ip_standard_coverage").format_estimate(102.48) == "102.5"
