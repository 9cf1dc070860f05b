"""A record-derived measure is declared once in Python (ipmetrics/core/measures.py, MEASURES) and once in
SQL (a branch of sql/views/measure_items.sql); these tests fail when the two disagree, when a goal names
something undeclared, or when the store does not keep the view and the monthly sums up to date."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys

import pandas as pd
import pytest
from sqlalchemy import text

from ipmetrics.core.goals import _expand
from ipmetrics.core.measures import (
    KNOWN_MEASURES,
    MEASURE_SOURCE,
    MEASURES,
    POPULATION_MEASURES,
    load_region_data,
    measure_series,
)
from ipmetrics.core.settings import SQL_DIR
from ipmetrics.core.store import MONTHLY_SOURCES, VIEW_HASH_KEY, Store, Transaction, view_files
from ipmetrics.io.schemas import KINDS

from .conftest import SMALL, kind_files

VIEW_FILE = SQL_DIR / "views" / "measure_items.sql"
VIEW_COLUMNS = ["measure", "source", "record_key", "region_code", "start_on", "end_on", "amount"]
COUNTY = "411521"
# One branch: SELECT 'name' [AS measure], 'source' [AS source], key [AS record_key], … FROM table …
BRANCH = re.compile(r"^\s*SELECT\s+'(?P<measure>[^']*)'(?:\s+AS\s+measure)?\s*,\s*'(?P<source>[^']*)'"
                    r"(?:\s+AS\s+source)?\s*,\s*(?P<key>\w+)(?:\s+AS\s+record_key)?\s*,.*?\bFROM\s+(?P<table>\w+)",
                    re.IGNORECASE | re.DOTALL)


def view_branches(script: str) -> list[dict]:
    """The branches of the measure_items view, as written: measure, source, key and table of each."""
    body = re.sub(r"--[^\n]*", "", script)
    body = re.split(r"\bCREATE\s+VIEW\s+measure_items\s+AS\b", body, flags=re.IGNORECASE)[1]
    branches = []
    for branch in re.split(r"\bUNION\s+ALL\b", body.rstrip().rstrip(";"), flags=re.IGNORECASE):
        match = BRANCH.match(branch)
        assert match, f"a branch of {VIEW_FILE.name} does not read SELECT 'measure', 'source', key, …:\n{branch}"
        branches.append(match.groupdict())
    return branches


def monthly_sums(store: Store) -> pd.DataFrame:
    with store.engine.connect() as connection:
        frame = pd.read_sql("SELECT source, measure, region_code, month_start, delta FROM measure_monthly",
                            connection)
    return frame.sort_values(["source", "measure", "region_code", "month_start"]).reset_index(drop=True)


def rebuilt_in_full(store: Store) -> pd.DataFrame:
    with store.transaction() as tx:
        for source in MONTHLY_SOURCES:
            tx.run_script(SQL_DIR / "imports" / "rebuild_measure_monthly.sql", source=source)
    return monthly_sums(store)


# --- the declaration and the SQL agree ---------------------------------------------------------------
def test_each_measure_is_declared_once_with_its_source_key_and_meaning():
    names = [measure.name for measure in MEASURES]
    assert len(names) == len(set(names)) and not set(names) & set(POPULATION_MEASURES)
    assert set(MEASURE_SOURCE.values()) == set(MONTHLY_SOURCES)  # the sources the store rebuilds
    for measure in MEASURES:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", measure.name), measure
        assert measure.key == KINDS[measure.source].key[0], measure  # the records table's own key
        assert re.search(r"[\u4e00-\u9fff]", measure.counts) and re.search(r"（[^）]+）$", measure.counts), \
            f"{measure.name}: counts should be a Chinese sentence ending with its unit, e.g. （件）"
    assert KNOWN_MEASURES == set(names) | set(POPULATION_MEASURES)


def test_every_declared_measure_has_exactly_one_branch_of_the_view_and_no_branch_is_undeclared():
    branches = view_branches(VIEW_FILE.read_text(encoding="utf-8"))
    written = [branch["measure"] for branch in branches]
    assert sorted(written) == sorted(set(written)), "a measure has more than one branch"
    assert set(written) - set(MEASURE_SOURCE) == set(), "branches of measures not declared in MEASURES"
    assert set(MEASURE_SOURCE) - set(written) == set(), "declared measures without a branch"
    declared = {measure.name: measure for measure in MEASURES}
    for branch in branches:
        measure = declared[branch["measure"]]
        assert (branch["source"], branch["table"], branch["key"]) == (measure.source, measure.source, measure.key), \
            branch


def test_the_view_has_the_columns_the_queries_read(small_store):
    with small_store.engine.connect() as connection:
        columns = list(pd.read_sql("SELECT * FROM measure_items WHERE 1 = 0", connection).columns)
        pairs = pd.read_sql("SELECT DISTINCT measure, source FROM measure_items", connection)
    assert columns == VIEW_COLUMNS
    assert all(MEASURE_SOURCE[m] == s for m, s in zip(pairs["measure"], pairs["source"]))


def test_every_goal_names_declared_measures(registry):
    for goal in (goal for goal in registry.goals if goal.compute is not None):  # reported ones name none
        for template in filter(None, (goal.compute.numerator, goal.compute.denominator)):
            for name in _expand(template):
                assert name in KNOWN_MEASURES, (goal.id, name)


def test_the_declaration_imports_no_goal_registry():
    """goals.py validates against measures.py, so measures.py may not import goals.py (no cycle)."""
    probe = "import sys, ipmetrics.core.measures; print('ipmetrics.core.goals' in sys.modules)"
    found = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "False"


# --- the store keeps the view and the monthly sums up to date ----------------------------------------
def test_the_monthly_sums_after_importing_the_fixture_equal_a_full_rebuild(fresh_small_store):
    imported = monthly_sums(fresh_small_store)
    assert set(zip(imported["measure"], imported["source"])) <= set(MEASURE_SOURCE.items())
    pd.testing.assert_frame_equal(imported, rebuilt_in_full(fresh_small_store))


def test_a_store_opened_twice_creates_its_view_once(db_url, registry, monkeypatch):
    from ipmetrics.io.importer import import_files

    created = []
    replace_view = Transaction.replace_view
    monkeypatch.setattr(Transaction, "replace_view",
                        lambda tx, name, statements: (created.append(name), replace_view(tx, name, statements)))
    url = db_url("twice")
    first = Store(url)
    import_files(first, kind_files(SMALL), indicator_ids=set(registry.ids()))
    assert created == [name for name, _ in view_files()] == ["measure_candidates", "measure_items"]
    digest = hashlib.sha256(VIEW_FILE.read_bytes()).hexdigest()
    assert first.scalar("meta_value", key=VIEW_HASH_KEY.format("measure_items")) == digest
    with first.engine.begin() as connection:  # a stray row a rebuild would remove
        connection.execute(text("INSERT INTO measure_monthly (source, measure, region_code, month_start, delta) "
                                "VALUES ('trademarks', 'gi_marks', 'nowhere', DATE '2000-01-01', 1)"))
    first.dispose()
    again = Store(url)
    assert created == ["measure_candidates", "measure_items"] and again.apply_views() == []
    assert (monthly_sums(again)["region_code"] == "nowhere").sum() == 1
    again.dispose()


def test_an_edited_view_file_is_applied_and_the_monthly_sums_follow(fresh_small_store, tmp_path):
    """The view file of a copy of sql/views counts the marks that are not GI as gi_marks: the store
    re-creates the view from it, rebuilds measure_monthly, records the new hash; the original file
    brings everything back."""
    store = fresh_small_store
    months = pd.period_range("2021-02", "2021-02", freq="M")
    gi_marks = lambda: measure_series(load_region_data(store, COUNTY), "gi_marks", months).iloc[0]  # noqa: E731
    before = monthly_sums(store)
    assert gi_marks() == 1  # T4 (tests/fixtures/small/README.md)

    edited = tmp_path / "views"
    shutil.copytree(SQL_DIR / "views", edited)
    script = (edited / "measure_items.sql").read_text(encoding="utf-8")
    assert script.count("FROM trademarks WHERE is_gi") == 1
    (edited / "measure_items.sql").write_text(script.replace("FROM trademarks WHERE is_gi",
                                                             "FROM trademarks WHERE NOT is_gi"), encoding="utf-8")
    assert store.apply_views(edited) == ["measure_items"]
    assert gi_marks() == 3  # T1, T2, T3 of the 4 marks in force
    assert store.scalar("meta_value", key=VIEW_HASH_KEY.format("measure_items")) == \
        hashlib.sha256((edited / "measure_items.sql").read_bytes()).hexdigest()
    after = monthly_sums(store)
    pd.testing.assert_frame_equal(after, rebuilt_in_full(store))
    assert store.apply_views(edited) == []

    assert store.apply_views() == ["measure_items"]
    pd.testing.assert_frame_equal(monthly_sums(store), before)
    assert gi_marks() == 1


def test_a_view_file_is_named_after_its_view(tmp_path):
    (tmp_path / "Measure-Items.sql").write_text("SELECT 1", encoding="utf-8")
    from ipmetrics.core.store import StoreError

    with pytest.raises(StoreError, match="视图文件名不合规范"):
        view_files(tmp_path)
