"""The thematic pages through streamlit.testing, on the hand-made fixture: the figures they show."""

import json

from .test_pages import metric_values, open_app


def test_trademarks_page(monkeypatch, small_store):
    app = open_app(monkeypatch, small_store, "pages/trademarks.py", as_of="2021-06")
    assert app.title[0].value == "商标 · 罗山县"
    shown = metric_values(app)
    assert shown["有效注册商标"] == "3 件" and shown["本月新注册"] == "0 件"
    assert shown["2021年累计新注册"] == "2 件" and shown["地理标志 / 驰名商标"] == "1 / 1 件"
    assert app.main.metric[2].delta == "+1 件"  # one more than January–June 2020
    tables = [d.value for d in app.main.dataframe]
    assert any(list(t.columns[:2]) == ["商标类型", "有效件数"] and t.iloc[0].tolist()[:2] == ["普通商标", 2] for t in tables)
    assert any("注册号" in t and list(t["注册号"]) == ["T4"] for t in tables)  # the GI marks
    labels = [b.label for b in app.main.button]
    assert "台账（构成本月数值的记录）" in labels and "台账：本月新注册的商标" in labels
    figures = [json.loads(c.proto.spec) for c in app.get("plotly_chart")]
    assert figures[0]["layout"]["title"]["text"].startswith("商标注册总量：实际与目标")
    assert [t["name"] for t in figures[1]["data"]] == ["普通商标", "集体商标", "证明商标", "合计同比增长（%）"]


def test_patents_page_and_its_empty_state(monkeypatch, small_store):
    app = open_app(monkeypatch, small_store, "pages/patents.py", as_of="2021-06")
    shown = metric_values(app)
    assert shown["每万人口有效发明专利"] == "0.05 件/万人" and shown["有效发明专利（国内授权）"] == "2 件"
    assert shown["2021年授权 发明/实用新型/外观"] == "1 / 1 / 0 件" and shown["国外授权专利（累计）"] == "1 件"
    assert list(app.main.dataframe[-1].value["专利号"]) == ["P3"]
    # 周党镇 had no patent granted in 2019–2020: the page says so instead of drawing empty axes.
    app = open_app(monkeypatch, small_store, "pages/patents.py", as_of="2020-12", region="411521101")
    infos = [i.value for i in app.main.info]
    assert "周党镇近24个月没有专利授权记录。" in infos and "周党镇近12个月没有专利授权记录。" in infos
    assert "周党镇截至本月没有国外授权的专利。" in infos
    assert len(app.get("plotly_chart")) == 1  # only the goal's own trend


def test_financing_page(monkeypatch, small_store):
    app = open_app(monkeypatch, small_store, "pages/financing.py", as_of="2021-06")
    shown = metric_values(app)
    assert shown == {"累计融资（家次）": "2", "累计融资额": "551 万元", "融资企业": "2 家"}  # 550.5 rounds up
    firms = app.main.dataframe[-1].value
    assert firms["出质企业"].tolist() == ["罗山县周党禽业有限公司", "罗山县灵山茶业有限公司"]


def test_enterprises_page(monkeypatch, small_store):
    app = open_app(monkeypatch, small_store, "pages/enterprises.py", as_of="2021-06")
    shown = metric_values(app)
    assert shown["国家知识产权优势示范企业"] == "1 家" and shown["省知识产权强企"] == "1 家"
    assert shown["高新技术、科技型中小企业"] == "3 家" and shown["已贯标"] == "2 家"
    assert app.main.metric[3].delta == "覆盖率 66.7%"
    assert list(app.main.dataframe[-1].value["企业名称"]) == ["罗山县周党禽业有限公司"]
    app = open_app(monkeypatch, small_store, "pages/enterprises.py", as_of="2021-03")
    assert "罗山县截至本月还没有获认定的企业。" in [i.value for i in app.main.info]


def test_townships_page(monkeypatch, small_store):
    app = open_app(monkeypatch, small_store, "pages/townships.py", as_of="2021-06")
    assert app.title[0].value == "乡镇对比 · 罗山县下辖"
    ranking = app.main.dataframe[0].value
    assert ranking[["排名", "乡镇（街道）", "数值"]].values.tolist() == [[1, "周党镇", 2.0], [2, "丽水街道", 1.0]]
    app = open_app(monkeypatch, small_store, "pages/townships.py", as_of="2021-06", township_goal="ip_standard_coverage")
    assert app.main.dataframe[0].value["乡镇（街道）"].tolist() == ["丽水街道", "周党镇"]
    assert not app.main.get("button_group")  # a share has no per-10,000 basis to switch to
    app = open_app(monkeypatch, small_store, "pages/townships.py", region="411521001")
    assert "丽水街道没有下辖的乡镇（街道），请在侧栏选择县。" in [i.value for i in app.main.info]


def test_a_goal_without_any_value_says_so_instead_of_an_empty_axis(monkeypatch, sample_store):
    # 朱堂乡 has no high-tech or tech-SME firm: 贯标 coverage has no value in any month.
    app = open_app(monkeypatch, sample_store, "pages/enterprises.py", as_of="2025-12", region="411521207")
    infos = [i.value for i in app.main.info]
    assert any(text.startswith("朱堂乡没有“高新技术企业、科技型企业“贯标”覆盖率”的数据") for text in infos)
    titles = [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in app.get("plotly_chart")]
    assert not any("覆盖率" in t for t in titles)


def test_charts_offer_image_downloads(monkeypatch, small_store):
    app = open_app(monkeypatch, small_store, "pages/trademarks.py", as_of="2021-06")
    labels = [b.label for b in app.main.get("download_button")]
    assert labels.count("PNG") == labels.count("SVG") == labels.count("PDF") >= 5  # goal chart and four more


def test_export_center_exports_the_month(monkeypatch, small_store):
    app = open_app(monkeypatch, small_store, "pages/export_center.py", as_of="2021-06")
    assert app.title[0].value == "导出中心"
    assert any("每项指标一张趋势图" in m.value for m in app.main.markdown)
    assert not app.main.success  # nothing is drawn until asked for
    app.button(key="export_all").click().run()
    assert not app.exception
    (done,) = [s.value for s in app.main.success]
    assert done.startswith("已生成") and "文件" in done
    files = app.main.dataframe[-1].value["文件"].tolist()
    assert "2021-06_商标注册总量_趋势.png" in files and "2021-06_数据表.xlsx" in files
    assert any(b.label == "下载 2021-06_图表与数据.zip" for b in app.main.get("download_button"))


def test_without_chromium_the_app_runs_and_says_what_to_install(monkeypatch, small_store):
    from ipmetrics.export import images

    monkeypatch.setattr(images, "browser_path", lambda: None)
    app = open_app(monkeypatch, small_store, "pages/export_center.py", as_of="2021-06")
    assert any("sudo apt-get install chromium fonts-noto-cjk" in w.value for w in app.main.warning)
    assert any(b.label == "下载本月数据表（Excel）" for b in app.main.get("download_button"))  # tables still export
    app = open_app(monkeypatch, small_store, "pages/trademarks.py", as_of="2021-06")
    assert not [b for b in app.main.get("download_button") if b.label == "PNG"]
    assert any("sudo apt-get install chromium" in c.value for c in app.main.caption)
