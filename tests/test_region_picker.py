"""The sidebar's cascading region picker: boxes appear and go with the choices, links name a region."""

import pytest
from streamlit.testing.v1 import AppTest

from .province import province_store  # noqa: F401  (a fixture)
from .test_pages import ALL_PAGES, APP, open_app


def boxes(app) -> list[str]:
    return [s.label for s in app.sidebar.selectbox]


def test_one_box_per_level_down_to_the_chosen_region(monkeypatch, province_store):
    app = open_app(monkeypatch, province_store)
    # The home region of data/indicators.toml (罗山县) by default, its townships one box further down.
    assert boxes(app) == ["截至月份", "省", "市", "县（区）", "乡镇（街道）"]
    assert app.sidebar.selectbox(key="region_province").options == ["河南省", "湖北省"]
    assert app.sidebar.selectbox(key="region_city").options == ["（全省）", "郑州市", "信阳市"]
    assert app.sidebar.selectbox(key="region_county").options == ["（全市）", "罗山县", "光山县", "新县", "商城县"]
    assert app.sidebar.selectbox(key="region_township").options == ["（全县）", "丽水街道", "周党镇"]
    assert app.sidebar.selectbox(key="region_township").value == "411521"
    assert app.title[0].value == "总览 · 罗山县"


def test_choosing_a_level_changes_the_boxes_below(monkeypatch, province_store):
    app = open_app(monkeypatch, province_store)
    app.sidebar.selectbox(key="region_county").set_value("411522").run()
    assert not app.exception
    assert app.title[0].value == "总览 · 光山县"
    assert app.sidebar.selectbox(key="region_township").options == ["（全县）", "城关镇"]
    assert app.session_state["region"] == "411522"

    app.sidebar.selectbox(key="region_city").set_value("410000").run()  # （全省）: the whole province
    assert app.title[0].value == "总览 · 河南省"
    assert boxes(app) == ["截至月份", "省", "市"]

    app.sidebar.selectbox(key="region_province").set_value("420000").run()
    assert app.title[0].value == "总览 · 湖北省"
    assert app.sidebar.selectbox(key="region_city").options == ["（全省）", "武汉市"]
    app.sidebar.selectbox(key="region_city").set_value("420100").run()
    assert app.sidebar.selectbox(key="region_county").options == ["（全市）", "江夏区"]
    assert boxes(app) == ["截至月份", "省", "市", "县（区）"]  # 江夏区 has no townships in the store


def test_the_one_county_sample_keeps_a_single_box(monkeypatch, sample_store):
    app = open_app(monkeypatch, sample_store, region="411521003")
    assert boxes(app) == ["截至月份", "地区"]
    assert app.sidebar.selectbox(key="region_township").value == "411521003"
    assert app.title[0].value == "总览 · 龙山街道"


def linked(monkeypatch, store, **params) -> AppTest:
    monkeypatch.setenv("IPMETRICS_DB_URL", store.url)
    app = AppTest.from_file(APP, default_timeout=60)
    app.query_params.update(params)
    app.run()
    assert not app.exception, app.exception
    return app


def test_a_link_names_the_region_by_code_or_unique_name(monkeypatch, province_store):
    app = linked(monkeypatch, province_store, region="411522100", as_of="2025年12月")
    assert app.title[0].value == "总览 · 城关镇（411522100）"  # the name is repeated: the code goes with it
    assert app.sidebar.selectbox(key="region_county").value == "411522"
    assert app.sidebar.selectbox(key="as_of").value == "2025-12"
    assert app.query_params["region"] == "411522100"

    app = linked(monkeypatch, province_store, region="信阳市", as_of="2025-06")
    assert app.title[0].value == "总览 · 信阳市"
    assert app.sidebar.selectbox(key="as_of").value == "2025-06"
    assert app.query_params["region"] == "411500"   # the URL then carries the code
    assert app.query_params["as_of"] == "2025年6月"


def test_a_link_with_a_repeated_or_unknown_name_says_so(monkeypatch, province_store):
    app = linked(monkeypatch, province_store, region="城关镇")
    assert app.title[0].value == "总览 · 罗山县"
    assert any("“城关镇”有重名，请用区划代码" in c.value for c in app.sidebar.caption)
    app = linked(monkeypatch, province_store, region="不存在", as_of="2099年1月")
    assert app.title[0].value == "总览 · 罗山县"
    assert any("“不存在”不在数据中，仍显示罗山县" in c.value for c in app.sidebar.caption)
    # The month viewers see first when the link's is not offered: since issue 17 the newest complete month
    # (readiness.default_month), not the newest with any data (2026-01, the trademarks'): this province's
    # pledges file vouches only through 2023-03 (its latest pledge), so 2023-03 is the newest every source covers.
    assert app.sidebar.selectbox(key="as_of").value == "2023-03"
    assert "region" not in app.query_params and "as_of" not in app.query_params


def test_a_sample_link_by_township_name_still_works(monkeypatch, sample_store):
    app = linked(monkeypatch, sample_store, region="丽水街道", as_of="2025年12月")
    assert app.title[0].value == "总览 · 丽水街道"
    assert app.caption[0].value.startswith("截至2025年12月底")


@pytest.mark.parametrize("page", ALL_PAGES)
@pytest.mark.parametrize("region", ["410000", "411522"])  # the province, and a county other than the home one
def test_every_page_renders_for_other_levels_and_counties(monkeypatch, province_store, page, region):
    app = open_app(monkeypatch, province_store, page, as_of="2025-12", region=region)
    assert app.title[0].value  # a page with a title and no exception (open_app checks that)
