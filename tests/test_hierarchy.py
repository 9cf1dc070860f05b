"""The region tree and the cascading picker's layout, on the province fixture's regions.csv."""

import pandas as pd
import pytest

from ipmetrics.core.hierarchy import Box, Hierarchy

from .conftest import SMALL
from .province import PROVINCE


def tree_of(folder) -> Hierarchy:
    return Hierarchy.from_frame(pd.read_csv(folder / "regions.csv", dtype=str))


@pytest.fixture(scope="module")
def tree() -> Hierarchy:
    return tree_of(PROVINCE)


def test_a_township_opens_one_box_per_level(tree):
    assert tree.cascade("411521001") == [
        Box("province", None, ("410000", "420000"), "410000"),
        Box("city", "410000", ("410000", "410100", "411500"), "411500"),
        Box("county", "411500", ("411500", "411521", "411522", "411523", "411524"), "411521"),
        Box("township", "411521", ("411521", "411521001", "411521101"), "411521001"),
    ]
    assert [box.key for box in tree.cascade("411521001")] == [
        "region_province", "region_city", "region_county", "region_township"]


def test_the_whole_of_a_region_closes_the_boxes_below_it(tree):
    # 信阳市 chosen as a whole: its counties are offered, with 信阳市 itself chosen; no township box.
    boxes = tree.cascade("411500")
    assert [b.level for b in boxes] == ["province", "city", "county"]
    assert boxes[-1].chosen == "411500"
    assert [b.chosen for b in tree.cascade("410000")] == ["410000", "410000"]
    # A county without townships in the store: nothing below it to choose.
    assert [b.level for b in tree.cascade("411524")] == ["province", "city", "county"]
    assert tree.cascade("411524")[-1].chosen == "411524"


def test_one_county_with_townships_is_a_single_box(tree):
    small = tree_of(SMALL)
    assert small.cascade("411521") == [Box("township", "411521", ("411521", "411521001", "411521101"), "411521")]
    assert small.single_choice() and not tree.single_choice()


def test_links_name_a_region_by_code_or_unique_name(tree):
    assert tree.resolve("411521") == "411521"
    assert tree.resolve("罗山县") == "411521"
    assert tree.resolve(" 丽水街道 ") == "411521001"
    assert tree.resolve("城关镇") is None and tree.is_ambiguous("城关镇")  # 光山县 and 新县 both have one
    assert tree.resolve("城关镇（411523100）") == "411523100"  # as the label writes it
    assert tree.resolve("罗山县（411521）") is None  # not a label: the name is not repeated
    assert tree.resolve("不存在") is None and tree.resolve(None) is None
    assert tree.label("411522100") == "城关镇（411522100）" and tree.label("411521") == "罗山县"


def test_whole_area_labels_follow_the_kind_of_region(tree):
    assert [tree.whole_label(c) for c in ("410000", "411500", "411521", "420115", "410181")] == [
        "（全省）", "（全市）", "（全县）", "（全区）", "（全市）"]
    assert tree.ancestors("411521001") == ["410000", "411500", "411521", "411521001"]
    assert tree.of_level("county", under="411500") == ["411521", "411522", "411523", "411524"]
    assert len(tree.of_level("county")) == 7
