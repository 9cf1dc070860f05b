"""The 同级对比 page through streamlit.testing: what it shows for 罗山县 in the hand-made province, for a
township, and for the one-county sample (no peers)."""

import json

from .province import province_store  # noqa: F401  (a fixture)
from .test_pages import open_app

PAGE = "pages/peers.py"


def test_the_county_ranked_in_its_city(monkeypatch, province_store):
    app = open_app(monkeypatch, province_store, PAGE, as_of="2025-12")
    assert app.title[0].value == "同级对比 · 罗山县"
    scope = app.main.radio(key="peer_scope")
    assert scope.options == ["所在市（信阳市，4 个县（区））", "所在省（河南省，6 个县（区））", "全国（7 个县（区））"]
    summary = app.main.dataframe[0].value.set_index("指标")
    assert summary.loc["商标注册总量", ["本地数值", "排名", "中位数", "较中位数", "每万人", "每万人排名"]].tolist() == [
        "4", "第 2 / 4", "3.5", "+0.5", "0.08", "第 2 / 4"]
    assert summary.loc["“贯标”覆盖率", ["排名", "每万人"]].tolist() == ["第 2 / 3", "—"]
    # The chart of the first goal, per 10,000 residents by default: the four counties, 罗山县 marked.
    figure = json.loads(app.get("plotly_chart")[0].proto.spec)
    bars = figure["data"][0]
    assert bars["y"] == ["商城县", "光山县", "<b>罗山县</b>", "新县"]  # drawn bottom-up: 新县 (0.1) on top
    assert bars["text"] == ["0.075", "0.075", "0.08", "0.1"]  # the values written beside the bars
    assert "信阳市各县（区）每万人排名" in figure["layout"]["title"]["text"]
    assert "罗山县 · 截至2025年12月底 · 单位：件/万人" in figure["layout"]["title"]["text"]
    assert not any("示例数据" in a["text"] for a in figure["layout"]["annotations"])  # not sample data


def test_another_scope_and_goal(monkeypatch, province_store):
    app = open_app(monkeypatch, province_store, PAGE, as_of="2025-12")
    app.main.radio(key="peer_scope").set_value("province").run()
    summary = app.main.dataframe[0].value.set_index("指标")
    assert summary.loc["商标注册总量", ["排名", "每万人排名"]].tolist() == ["第 3 / 6", "第 2 / 6"]
    assert summary.loc["“贯标”覆盖率", ["本地数值", "排名", "中位数", "较中位数"]].tolist() == ["50", "第 4 / 5", "100", "-50"]
    app.main.selectbox(key="peer_goal").set_value("pledge_financing_amount").run()
    app.main.get("segmented_control")[0].set_value("绝对数").run()
    figure = json.loads(app.get("plotly_chart")[0].proto.spec)
    assert figure["data"][0]["text"] == ["0", "0", "50", "300", "500", "1,000"]
    assert any(a["text"] == "中位数 175" for a in figure["layout"]["annotations"])


def test_a_township_is_sent_to_the_township_comparison(monkeypatch, province_store):
    app = open_app(monkeypatch, province_store, PAGE, as_of="2025-12", region="411521001")
    assert "乡镇（街道）在所属县（区）内相互比较" in app.main.info[0].value
    app.main.button(key="peers_to_townships").click().run()
    assert not app.exception
    assert app.session_state["region"] == "411521"
    assert app.title[0].value == "乡镇对比 · 罗山县下辖"


def test_the_one_county_sample_says_how_to_load_peers(monkeypatch, sample_store):
    app = open_app(monkeypatch, sample_store, PAGE, as_of="2025-12")
    assert app.title[0].value == "同级对比 · 罗山县"
    message = app.main.info[0].value
    assert "没有与罗山县同级的其他县（区）" in message and "sample --scale province" in message
    assert not app.main.dataframe
