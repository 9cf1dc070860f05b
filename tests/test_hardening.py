"""Hostile input: quotes and SQL through every named query's parameters and every import field, markup
in names wherever the app renders markdown or plotly text."""

from __future__ import annotations

import re
from datetime import date

import pandas as pd
import pytest

from ipmetrics.charts import bars as charts
from ipmetrics.core import labels
from ipmetrics.core.settings import SQL_DIR
from ipmetrics.core.store import query_text
from ipmetrics.io.importer import ImportRejected, Source, import_files

from .conftest import EDITOR
from .test_pages import open_app

INJECTIONS = ["411521' OR '1'='1", "'; DROP TABLE trademarks; --", '" OR ""="', "411521); DELETE FROM regions; --",
              "\\'; SELECT 1; --", "％' UNION SELECT * FROM audit_log --"]
TABLES = ["regions", "population", "trademarks", "patents", "pledges", "enterprises", "reported", "brands", "actions",
          "import_log", "snapshots", "audit_log"]
PARAM = re.compile(r"(?<![:\w]):([a-z_]+)\b")


def counts(store) -> dict[str, int]:
    with store.engine.connect() as connection:
        return {t: int(pd.read_sql(f"SELECT COUNT(*) AS n FROM {t}", connection)["n"][0]) for t in TABLES}


def value_for(name: str, injection: str):
    """Dates and numbers as the callers pass them; every text parameter gets the hostile string."""
    if name in ("month_end", "since", "as_of", "start", "end", "first_month", "last_month"):
        return date(2021, 3, 31)
    if name in ("limit", "snapshot_id", "top"):
        return 1
    return injection


def sql_of(name: str) -> str:
    return re.sub(r"--[^\n]*", "", query_text(name))


READ_QUERIES = sorted(p.stem for p in (SQL_DIR / "queries").glob("*.sql")
                      if re.match(r"\s*(SELECT|WITH)\b", sql_of(p.stem), re.IGNORECASE))


def test_every_read_query_treats_hostile_text_as_a_value(small_store):
    before = counts(small_store)
    assert len(READ_QUERIES) > 30
    for name in READ_QUERIES:
        params = set(PARAM.findall(sql_of(name)))
        for injection in INJECTIONS:
            frame = small_store.frame(name, **{p: value_for(p, injection) for p in params})
            if params & {"region", "ancestor"}:  # a code that matches nothing returns nothing, not everything
                assert frame.empty, name
    assert counts(small_store) == before


def test_hostile_text_in_every_import_field_is_stored_as_typed(fresh_small_store, registry):
    hostile = "'; DROP TABLE trademarks; -- <script>alert(1)</script> **粗** $x$ =1+1"
    header = "reg_no,mark_name,holder,region_code,mark_type,is_gi,industry,registered_on,ended_on,well_known_on\n"
    row = f'"X1","{hostile}","{hostile}",411521001,ordinary,false,"{hostile}",2021-03-01,,\n'
    before = counts(fresh_small_store)
    import_files(fresh_small_store, [("trademarks", Source("t.csv", (header + row).encode()))],
                 indicator_ids=set(registry.ids()), user=hostile)
    with fresh_small_store.engine.connect() as connection:
        stored = pd.read_sql("SELECT * FROM trademarks WHERE reg_no = 'X1'", connection).iloc[0]
    assert stored["mark_name"] == stored["holder"] == stored["industry"] == hostile
    after = counts(fresh_small_store)
    assert after["trademarks"] == before["trademarks"] + 1 and after["regions"] == before["regions"]
    assert fresh_small_store.frame("import_log").iloc[0]["imported_by"] == hostile


@pytest.mark.parametrize("code", INJECTIONS)
def test_a_hostile_code_in_a_key_field_is_refused_by_its_rule(fresh_small_store, registry, code):
    header = "reg_no,mark_name,holder,region_code,mark_type,is_gi,industry,registered_on,ended_on,well_known_on\n"
    row = f'X2,名,人,"{code}",ordinary,false,,2021-03-01,,\n'
    with pytest.raises(ImportRejected) as rejected:
        import_files(fresh_small_store, [("trademarks", Source("t.csv", (header + row).encode()))],
                     indicator_ids=set(registry.ids()))
    assert rejected.value.results[0].errors[0].column == "region_code"


def test_a_region_name_with_markup_is_refused(fresh_small_store):
    csv = "code,name,level,parent_code\n411521102,<b>竹竿镇</b>,township,411521\n"
    with pytest.raises(ImportRejected) as rejected:
        import_files(fresh_small_store, [("regions", Source("r.csv", csv.encode()))])
    assert rejected.value.results[0].errors[0].column == "name"
    import_files(fresh_small_store, [("regions", Source("r.csv", "code,name,level,parent_code\n"
                                                        "411521102,竹竿镇（新）,township,411521\n".encode()))])


def test_markdown_escaping_shows_text_as_typed():
    assert labels.plain("**粗** $x$ :red[红] <b>b</b>\n[链](http://x)") == (
        r"\*\*粗\*\* \$x\$ \:red\[红\] \<b\>b\</b\> \[链\](http\://x)")


def test_plotly_labels_escape_markup():
    table = pd.DataFrame({"银行": ["<a href='http://x'>某行</a>", "中原银行"], "金额": [2.0, 1.0]})
    figure = charts.ranking_figure(table, "银行", "金额", "按银行<b>", "副标题", "万元", "来源")
    assert list(figure.data[0].y) == ["中原银行", "&lt;a href='http://x'&gt;某行&lt;/a&gt;"]
    assert figure.layout.title.text.startswith("按银行&lt;b&gt;<br>")


def test_an_action_item_with_markup_shows_as_typed_on_the_meeting_page(monkeypatch, fresh_small_store, registry):
    from ipmetrics.core.settings import Settings
    from ipmetrics.meeting import snapshots

    csv = ("code,goal_id,region_code,problem,measure,lead_unit,due_on,raised_month\n"
           "DB-2021-03-09,pledge_financing_amount,411521,问题,\"**加粗** :red[红] $x$\",<i>某局</i>,2021-09-30,2021-03\n")
    import_files(fresh_small_store, [("actions", Source("a.csv", csv.encode()))], indicator_ids=set(registry.ids()))
    snapshots.freeze(fresh_small_store, registry, Settings(db_url=fresh_small_store.url), "2021-03", user="甲")
    app = open_app(monkeypatch, fresh_small_store, "pages/meeting.py", editor=EDITOR)
    captions = [c.value for c in app.main.caption]
    assert r"督办 DB-2021-03-09：\*\*加粗\*\* \:red\[红\] \$x\$（\<i\>某局\</i\>，逾期" in "".join(captions)
