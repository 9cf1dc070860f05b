"""Another region's plan: a goal file with other ids, names, cut-offs, window and dates
(tests/fixtures/other_plan) runs every page, `ipmetrics export` and `ipmetrics monthly` on the sample
store — nothing of 罗政〔2021〕28号 is written into the code."""

from __future__ import annotations

from pathlib import Path

import docx
import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from ipmetrics.cli import run
from ipmetrics.core.goals import load_registry
from ipmetrics.core.store import Store
from ipmetrics.export import images
from ipmetrics.io.importer import import_files

from .conftest import kind_files
from .test_pages import APP

OTHER = Path(__file__).parent / "fixtures" / "other_plan" / "indicators.toml"
PAGES = sorted(p.stem for p in (Path(APP).parent / "pages").glob("*.py"))


@pytest.fixture(scope="module")
def other():
    return load_registry(OTHER)


def test_the_other_file_shares_nothing_with_the_bundled_one(other, registry):
    assert not set(other.ids()) & set(registry.ids())
    assert (other.method.on_track, other.method.at_risk, other.method.projection_months) == (0.9, 0.5, 24)
    assert other.target_year == 2027 and other.areas == {} and other.industry_groups == []
    assert [g.id for g in other.tagged("trademarks")] == ["mark_stock"] and other.first_tagged("enterprises") is None


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_on_the_other_file(monkeypatch, sample_store, other, page):
    monkeypatch.setenv("IPMETRICS_DB_URL", sample_store.url)
    monkeypatch.setenv("IPMETRICS_INDICATORS", str(OTHER))
    app = AppTest.from_file(APP, default_timeout=90)
    app.session_state["as_of"] = "2025-12"
    app.switch_page(f"pages/{page}.py")
    app.run()
    assert not app.exception, app.exception
    assert app.sidebar.markdown[0].value == f"### {other.dashboard_title}"
    shown = " ".join(str(e.value) for kind in ("title", "caption", "markdown", "subheader", "info")
                     for e in getattr(app.main, kind))
    assert "罗政" not in shown and "2030" not in shown, shown
    if page == "overview":
        assert sorted(m.label for m in app.main.metric) == sorted(f"{g.name_zh}（{g.unit}）" for g in other.goals)
        explained = " ".join(m.value for m in app.main.markdown)
        assert "按近24个月趋势，预计2027年底只能补上基期与目标之间差距的50%–90%，需加快" in explained
    if page == "goal_detail":
        assert app.main.selectbox(key="goal").options == [g.name_zh for g in other.goals]
    if page == "trademarks":
        assert "有效商标与2027年目标" in [s.value for s in app.main.subheader]


@pytest.fixture(scope="module")
def other_store(module_db_url, registry):
    store = Store(module_db_url("other_plan"))
    import_files(store, kind_files(Path(APP).parent / "data" / "sample"), indicator_ids=set(registry.ids()),
                 mark_sample=True)
    yield store
    store.dispose()


@pytest.mark.browser
@pytest.mark.skipif(not images.available(), reason="needs Chromium (apt-get install chromium)")
def test_export_and_monthly_run_on_the_other_file(other_store, other, tmp_path, capsys):
    common = ["--db", other_store.url, "--indicators", str(OTHER)]
    assert run([*common, "status", "--as-of", "2025-12"]) == 0
    table = capsys.readouterr().out
    assert "mark_stock" in table and "预计2027年" in table and "trademarks_registered" not in table

    assert run([*common, "export", "--as-of", "2025-12", "--out", str(tmp_path / "export")]) == 0
    files = sorted(p.name for p in (tmp_path / "export").iterdir())
    assert "2025-12_有效商标_趋势.png" in files and "2025-12_每万户籍人口发明专利_趋势.png" in files
    book = openpyxl.load_workbook(tmp_path / "export" / "2025-12_数据表.xlsx")
    assert book.properties.title == f"{other.dashboard_title} 2025-12 罗山县"
    goals = [row[0] for row in book["目标"].iter_rows(min_row=5, max_row=9, values_only=True)]
    assert goals == [g.name_zh for g in other.goals]

    assert run([*common, "monthly", "--month", "2025-12", "--out", str(tmp_path / "reports")]) == 0
    folder = tmp_path / "reports" / "2025-12"
    document = docx.Document(folder / "2025-12_罗山县_知识产权工作简报.docx")
    text = "\n".join(p.text for p in document.paragraphs)
    assert other.policy in text and "罗政" not in text
    assert "5项主要目标" in text and "按近24个月趋势预计2027年底" in text
    assert (folder / "2025-12_罗山县_知识产权工作简报.pdf").stat().st_size > 10_000
