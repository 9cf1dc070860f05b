"""High-value invention patents (高价值发明专利): the optional 高价值专利 column, the measure counting the CN
ones in force, the snapshot fingerprint that only changes once a patent is flagged, and the samples."""

from __future__ import annotations

import hashlib
from datetime import date

import pandas as pd
import pytest
from sqlalchemy import text

from ipmetrics.core import periods
from ipmetrics.core.measures import load_region_data, measure_series
from ipmetrics.core.settings import SAMPLE_DIR, Settings
from ipmetrics.core.store import Store
from ipmetrics.demo.synthetic import Scale, generate
from ipmetrics.io.importer import ImportRejected, Source, import_file, import_files
from ipmetrics.io.schemas import KINDS
from ipmetrics.meeting import snapshots
from ipmetrics.themes.ledger import measure_records

from .conftest import SMALL, kind_files

COUNTY = "411521"
MEASURE = "cn_high_value_invention_patents"
HEADER = ",".join(KINDS["patents"].columns) + "\n"


def patents_csv(*rows: str) -> Source:
    return Source("专利.csv", (HEADER + "".join(row + "\n" for row in rows)).encode())


def flags(store: Store) -> dict[str, bool]:
    with store.engine.connect() as connection:
        frame = pd.read_sql("SELECT patent_no, high_value FROM patents", connection)
    return dict(zip(frame["patent_no"], frame["high_value"].astype(bool)))


def test_the_column_reads_yes_no_and_blank_as_no(fresh_small_store):
    import_file(fresh_small_store, "patents", patents_csv(
        "H1,一种方法,某公司,411521001,invention,CN,茶叶,2019-01-01,2021-03-10,,是",
        "H2,一种方法,某公司,411521001,invention,CN,茶叶,2019-01-01,2021-03-10,,否",
        "H3,一种方法,某公司,411521001,invention,CN,茶叶,2019-01-01,2021-03-10,,",
        "H4,一种方法,某公司,411521001,invention,CN,茶叶,2019-01-01,2021-03-10,,true"))
    found = flags(fresh_small_store)
    assert {k: found[k] for k in ("H1", "H2", "H3", "H4")} == {"H1": True, "H2": False, "H3": False, "H4": True}
    # The fixture's own file has no such column: its patents are not high value (not NULL).
    assert {k: found[k] for k in ("P1", "P2", "P3", "P4")} == dict.fromkeys(("P1", "P2", "P3", "P4"), False)
    with fresh_small_store.engine.connect() as connection:
        assert connection.execute(text("SELECT COUNT(*) FROM patents WHERE high_value IS NULL")).scalar() == 0


def test_a_word_that_is_not_yes_or_no_is_refused_by_field(fresh_small_store):
    with pytest.raises(ImportRejected) as caught:
        import_file(fresh_small_store, "patents", patents_csv(
            "H1,一种方法,某公司,411521001,invention,CN,茶叶,2019-01-01,2021-03-10,,也许"))
    assert [str(e) for e in caught.value.results[0].errors] == [
        "专利.csv 第2行，字段“高价值专利”（high_value），值“也许”：应为 true/false（或 是/否）"]
    assert "H1" not in flags(fresh_small_store)


def test_the_measure_counts_cn_inventions_in_force_that_are_flagged(fresh_small_store):
    import_file(fresh_small_store, "patents", patents_csv(
        "H1,一种方法,某公司,411521001,invention,CN,茶叶,2019-01-01,2021-03-10,,是",          # counts from March
        "H2,一种方法,某公司,411521101,invention,CN,茶叶,2019-01-01,2021-04-05,2021-06-15,是",  # April–May only
        "H3,Tea roller,某公司,411521001,invention,US,茶叶,2019-01-01,2021-03-01,,是",        # granted abroad
        "H4,一种装置,某公司,411521001,utility_model,CN,茶叶,2020-09-01,2021-03-01,,是",       # a utility model
        "H5,一种方法,某公司,411521001,invention,CN,茶叶,2019-01-01,2021-02-01,,否"))          # not flagged
    data = load_region_data(fresh_small_store, COUNTY)
    months = periods.months("2021-02", "2021-07")
    # Feb: none; Mar: H1; Apr, May: H1 + H2; Jun: H2 ended on 06-15, before the month's end; Jul: H1.
    assert measure_series(data, MEASURE, months).tolist() == [0, 1, 2, 2, 1, 1]
    # Every CN invention in force, for comparison: P1 (2020-03), P2 (2021-02 to 08-15), H5 (02), H1, H2.
    assert measure_series(data, "cn_invention_patents", months).tolist() == [3, 4, 5, 5, 4, 4]
    # The ledger behind April lists the two, flagged 是.
    records = measure_records(fresh_small_store, MEASURE, COUNTY, pd.Period("2021-04", freq="M"))
    assert sorted(records["patent_no"]) == ["H1", "H2"] and records["high_value"].astype(bool).all()
    # A township counts its own: 周党镇 holds H2 only.
    township = load_region_data(fresh_small_store, "411521101")
    assert measure_series(township, MEASURE, months).tolist() == [0, 0, 1, 1, 0, 0]


def fingerprint_before_migration_007(store: Store, month: str) -> str:
    """data_fingerprint as it was written before patents had a high-value flag."""
    digest = hashlib.sha256()
    for table in snapshots.HASHED_TABLES:
        frame = store.frame(f"snapshot_input_{table}", month_end=periods.month_end(month))
        digest.update(f"## {table}\n".encode())
        digest.update(frame.to_csv(index=False, lineterminator="\n", date_format="%Y-%m-%d").encode())
    return digest.hexdigest()


def test_without_flags_the_fingerprint_is_what_it_was_and_a_flag_changes_it(empty_store, registry):
    # The small fixture as it was before township targets (issue 15), which count in the fingerprint when present.
    store = empty_store
    import_files(store, [(kind, path) for kind, path in kind_files(SMALL) if kind != "targets"],
                 indicator_ids=set(registry.ids()))
    for month in ("2021-01", "2021-03", "2021-06"):
        assert snapshots.data_fingerprint(store, month) == fingerprint_before_migration_007(store, month)
    # The fixture's hash as pinned before migration 007 (tests/test_snapshots.py, commit 23a38c4).
    assert snapshots.data_fingerprint(store, "2021-06") == \
        "19a2e666a745dfdc88f9b5ab39eb26580650a883081943dbc74d739a2ce9a063"
    march = snapshots.freeze(store, registry, Settings(db_url=store.url), "2021-03", user="统计员甲",
                             today=date(2026, 11, 25))
    january = {m: snapshots.data_fingerprint(store, m) for m in ("2021-01", "2021-03")}

    # Flag P2 (granted 2021-02-01): months from February on change, January does not.
    import_file(store, "patents", patents_csv(
        "P2,一种禽蛋分拣装置,罗山县周党禽业有限公司,411521101,invention,CN,禽产品,2019-01-01,2021-02-01,2021-08-15,是"))
    assert snapshots.data_fingerprint(store, "2021-01") == january["2021-01"]
    assert snapshots.data_fingerprint(store, "2021-03") != january["2021-03"]
    assert not snapshots.is_current(store, march)


def test_a_fifth_of_the_samples_cn_inventions_are_high_value():
    sample = pd.read_csv(SAMPLE_DIR / "patents.csv", dtype=str, keep_default_na=False)
    flagged = sample["high_value"] == "true"
    inventions = (sample["patent_type"] == "invention") & (sample["office"] == "CN")
    assert not (flagged & ~inventions).any()
    # One in every five CN inventions by grant date: 9 of the 44 granted by 2026-10.
    assert (flagged.sum(), inventions.sum()) == (9, 44)


def test_the_synthetic_generator_flags_about_a_fifth_of_its_cn_inventions(db_url):
    store = Store(db_url("synthetic_high_value"))
    try:
        generate(store, Scale(provinces=1, counties=4, trademarks=500, patents=6_000), seed=7)
        with store.engine.connect() as connection:
            # No LIKE 'SP%': psycopg would read the % as a placeholder.
            made = pd.read_sql("SELECT patent_type, office, high_value FROM patents "
                               "WHERE substr(patent_no, 1, 2) = 'SP'", connection)
    finally:
        store.dispose()
    flagged = made["high_value"].astype(bool)
    inventions = (made["patent_type"] == "invention") & (made["office"] == "CN")
    assert len(made) == 6_000 and not (flagged & ~inventions).any()
    # About 18% of 6,000 are inventions (~1,070), 20% of them flagged: ~214, give or take 3 sigma (~40).
    assert 0.16 <= flagged.sum() / inventions.sum() <= 0.24
