"""source_dates (migration 016): source_counts.sql reads the summary the writes keep, and answers exactly what
the query over the records it replaced answers (tests/sql/source_counts_from_records.sql) — after imports,
re-imports that move dates earlier or later, edits, load-sample, a bulk load, the migration on a store
that predates it, a restore — and for a later day too, when an end date known in advance has passed."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import text

from ipmetrics.core import catalog
from ipmetrics.core.settings import SQL_DIR
from ipmetrics.core.store import Store, query_text
from ipmetrics.demo.synthetic import Scale, generate
from ipmetrics.io import edits
from ipmetrics.io.importer import import_files
from ipmetrics.io.readers import Source
from ipmetrics.io.schemas import KINDS
from tests.conftest import duckdb_only

FROM_RECORDS = (Path(__file__).parent / "sql" / "source_counts_from_records.sql").read_text(encoding="utf-8")
MARK_HEADER = "reg_no,mark_name,holder,region_code,mark_type,is_gi,industry,registered_on,ended_on,well_known_on\n"
ZHOUDANG = "411521101"


def counts(store: Store, sql: str, on: date | None = None) -> pd.DataFrame:
    """The query's answer, read as source_counts is; `on` reads it as on that day instead of today."""
    if on is not None:
        sql = sql.replace("CURRENT_DATE", f"DATE '{on.isoformat()}'")
    with store.engine.connect() as connection:
        frame = pd.read_sql(text(sql), connection)
    frame["records"] = frame["records"].astype("int64")
    frame["latest_on"] = pd.to_datetime(frame["latest_on"])
    return frame.set_index("source").sort_index()


def assert_summary_agrees(store: Store, on: date | None = None) -> pd.DataFrame:
    """The summary's answer equals the records' answer; returns it. No date is kept that no record has."""
    summary = counts(store, query_text("source_counts"), on)
    pd.testing.assert_frame_equal(summary, counts(store, FROM_RECORDS, on))
    with store.engine.connect() as connection:
        assert connection.execute(text("SELECT COUNT(*) FROM source_dates WHERE records <= 0")).scalar() == 0
    return summary


def import_marks(store: Store, rows: str) -> None:
    import_files(store, [("trademarks", Source("marks.csv", (MARK_HEADER + rows).encode("utf-8")))])


def latest(summary: pd.DataFrame, source: str) -> str:
    return str(summary.at[source, "latest_on"].date())


def test_the_summary_after_the_fixture_import(fresh_small_store):
    summary = assert_summary_agrees(fresh_small_store)
    # tests/fixtures/small: 5 marks; T3's well-known date 2021-06-30 is the newest date among them (T2 ended
    # 2021-03-31, T4 registered 2021-02-10). 4 patents; P2's end 2021-08-15 beats every grant (latest 2021-02-01).
    assert summary.at["trademarks", "records"] == 5 and latest(summary, "trademarks") == "2021-06-30"
    assert summary.at["patents", "records"] == 4 and latest(summary, "patents") == "2021-08-15"
    assert pd.isna(summary.at["population", "latest_on"])  # counted, never dated


def test_an_empty_store_has_six_sources_with_nothing(db_url):
    store = Store(db_url("nothing"))
    summary = assert_summary_agrees(store)
    assert list(summary["records"]) == [0] * 6 and summary["latest_on"].isna().all()
    assert catalog.latest_month(store) is None and not catalog.has_records(store)
    store.dispose()


def test_a_reimport_that_moves_dates_earlier_takes_the_old_dates_out(fresh_small_store):
    store = fresh_small_store
    # T3 re-imported without its well-known date and registered earlier: the marks' newest date falls from
    # T3's 2021-06-30 to T2's end 2021-03-31. T2 re-imported with no end: 2021-02-10 (T4's registration).
    import_marks(store, f"T3,周党土鸡,罗山县周党禽业有限公司,{ZHOUDANG},ordinary,false,禽产品,2020-01-01,,\n")
    assert latest(assert_summary_agrees(store), "trademarks") == "2021-03-31"
    import_marks(store, "T2,宝城香米,罗山县宝城食品有限公司,411521001,ordinary,false,绿色食品,2020-12-31,,\n")
    summary = assert_summary_agrees(store)
    assert summary.at["trademarks", "records"] == 5 and latest(summary, "trademarks") == "2021-02-10"
    # …and later again: a new mark T6 and T1 moved to 2022: 6 marks, newest 2022-03-01.
    import_marks(store, "T6,新商标,某公司,411521001,ordinary,false,,2021-12-01,,\n"
                        "T1,灵山毛尖,罗山县灵山茶业有限公司,411521001,ordinary,false,茶叶,2022-03-01,,\n")
    summary = assert_summary_agrees(store)
    assert summary.at["trademarks", "records"] == 6 and latest(summary, "trademarks") == "2022-03-01"


def test_replaced_records_of_every_other_source_keep_the_summary_exact(fresh_small_store):
    store = fresh_small_store
    files = {
        "patents": "patent_no,title,holder,region_code,patent_type,office,industry,applied_on,granted_on,ended_on\n"
                   "P2,一种禽蛋分拣装置,罗山县周党禽业有限公司,411521101,invention,CN,禽产品,2019-01-01,2020-02-01,\n",
        "enterprises": "credit_code,name,region_code,industry,high_tech,tech_sme,ip_standard_on,national_ip_on,"
                       "provincial_strong_on\n"
                       "91411521000000002B,罗山县宝城电子科技有限公司,411521001,电子信息,false,true,,,\n",
    }
    import_files(store, [(kind, Source(f"{kind}.csv", body.encode("utf-8"))) for kind, body in files.items()])
    summary = assert_summary_agrees(store)
    # P2 no longer ends and was granted 2020-02-01: the patents' newest date is P3's grant, 2021-01-20.
    assert summary.at["patents", "records"] == 4 and latest(summary, "patents") == "2021-01-20"
    for kind in ("population", "reported", "pledges"):  # the fixture's own file again: every row replaced
        path = Path(__file__).parent / "fixtures" / "small" / f"{kind}.csv"
        import_files(store, [(kind, path)])
        assert_summary_agrees(store)


def test_an_end_date_still_ahead_counts_from_the_day_it_passes(fresh_small_store):
    store = fresh_small_store
    today = date.today()
    ahead = today + timedelta(days=40)
    # T9 registered yesterday, its end known 40 days ahead: today the marks' newest date is yesterday.
    import_marks(store, f"T9,到期商标,某公司,411521001,ordinary,false,,{today - timedelta(days=1)},{ahead},\n")
    assert latest(assert_summary_agrees(store), "trademarks") == str(today - timedelta(days=1))
    assert latest(assert_summary_agrees(store, on=ahead - timedelta(days=1)), "trademarks") == \
        str(today - timedelta(days=1))
    # From the end day on, the end is the newest date: the summary kept it though it was not yet counted.
    assert latest(assert_summary_agrees(store, on=ahead), "trademarks") == str(ahead)
    assert latest(assert_summary_agrees(store, on=ahead + timedelta(days=400)), "trademarks") == str(ahead)


def test_an_edit_saved_through_the_importer_moves_the_summary(fresh_small_store):
    store = fresh_small_store
    kind = KINDS["trademarks"]
    with store.engine.connect() as connection:
        records = pd.read_sql(text("SELECT * FROM trademarks ORDER BY reg_no"), connection)
    shown = edits.editor_frame(records, kind)
    edited = shown.copy()
    row = int(records.index[records["reg_no"] == "T3"][0])
    edited.loc[row, kind.labels["well_known_on"]] = pd.NaT  # the well-known date was keyed in by mistake
    changed = edits.changed_rows(shown, edited)
    assert len(changed) == 1
    import_files(store, [("trademarks", Source("编辑.csv", edits.as_text(changed).to_csv(index=False).encode("utf-8")))])
    # Without T3's 2021-06-30 the newest mark date is T2's end, 2021-03-31.
    assert latest(assert_summary_agrees(store), "trademarks") == "2021-03-31"


def test_the_sample_as_load_sample_loads_it(sample_store):
    summary = assert_summary_agrees(sample_store)
    assert (summary.drop(index="population")["records"] > 0).all()


def test_the_migration_builds_the_summary_of_a_store_that_predates_it(fresh_small_store):
    store = fresh_small_store
    expected = assert_summary_agrees(store)
    with store.engine.begin() as connection:  # the store as it stood before 016: no table, 016 not recorded
        connection.execute(text("DROP TABLE source_dates"))
        connection.execute(text("DELETE FROM schema_migrations WHERE version = 16"))
    assert store.migrate() == [16]
    pd.testing.assert_frame_equal(assert_summary_agrees(store), expected)


def test_a_bulk_load_is_summed_by_the_rebuild_of_the_monthly_sums(db_url):
    store = Store(db_url("synthetic"))
    generate(store, Scale(provinces=1, counties=4, trademarks=3_000, patents=600))
    summary = assert_summary_agrees(store)
    assert summary.at["trademarks", "records"] > 3_000  # the sample's marks and the synthetic ones
    with store.transaction() as tx:  # the rebuild alone gives the same rows
        tx.run_script(SQL_DIR / "imports" / "rebuild_measure_monthly.sql", source="patents")
    pd.testing.assert_frame_equal(assert_summary_agrees(store), summary)
    store.dispose()


@duckdb_only("backup and restore are for DuckDB files")
def test_a_restore_brings_back_the_summary_with_the_records(fresh_small_store, tmp_path):
    store = fresh_small_store
    at_backup = assert_summary_agrees(store)
    store.backup(tmp_path / "backup")
    import_marks(store, "T7,后来的商标,某公司,411521001,ordinary,false,,2023-05-05,,\n")
    assert latest(assert_summary_agrees(store), "trademarks") == "2023-05-05"
    store.restore(tmp_path / "backup")
    pd.testing.assert_frame_equal(assert_summary_agrees(store), at_backup)


@pytest.mark.parametrize("source", ["trademarks", "patents", "pledges", "enterprises"])
def test_the_rebuild_of_one_source_restores_its_dates_and_leaves_the_others_alone(fresh_small_store, source):
    store = fresh_small_store
    before = assert_summary_agrees(store)
    with store.transaction() as tx:  # the source's dates lost, and a stray one in their place
        tx.run_script(Path(__file__).parent / "sql" / "spoil_source_dates.sql", source=source)
    assert not counts(store, query_text("source_counts")).equals(before)
    with store.transaction() as tx:
        tx.run_script(SQL_DIR / "imports" / "rebuild_measure_monthly.sql", source=source)
    pd.testing.assert_frame_equal(assert_summary_agrees(store), before)
