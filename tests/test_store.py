"""The store: created and migrated on first use, idempotently, from any SQLAlchemy URL."""

import pytest

from ipmetrics.settings import Settings, SettingsError, default_db_url
from ipmetrics.store import Store, StoreError, migration_files, script_statements


def test_new_store_is_created_and_migrated(tmp_path):
    path = tmp_path / "nested" / "new.duckdb"
    store = Store(f"duckdb:///{path}")
    assert path.is_file()
    applied = store.frame("applied_migrations")
    assert list(applied["version"]) == [v for v, _, _ in migration_files()]
    assert list(applied["name"])[:2] == ["core", "measure_items"]
    assert store.data_version() == 0 and not store.is_sample()


def test_migrations_are_applied_once(tmp_path):
    url = f"duckdb:///{tmp_path / 's.duckdb'}"
    Store(url)
    again = Store(url)
    assert again.migrate() == []
    assert len(again.frame("applied_migrations")) == len(migration_files())


def test_every_migration_statement_is_split_cleanly():
    for _, _, path in migration_files():
        for statement in script_statements(path):
            assert not statement.endswith(";") and not statement.startswith("--")


def test_url_from_environment_then_option(tmp_path):
    env_url = f"duckdb:///{tmp_path / 'env.duckdb'}"
    assert Settings.from_env({}).db_url == default_db_url()
    assert default_db_url().endswith("data/ipmetrics.duckdb")
    assert Settings.from_env({"IPMETRICS_DB_URL": env_url}).db_url == env_url
    assert Settings.from_env({"IPMETRICS_DB_URL": env_url}, db_url="duckdb:///x.duckdb").db_url == "duckdb:///x.duckdb"


def test_settings_reject_unknown_choices():
    with pytest.raises(SettingsError, match="population_basis"):
        Settings.from_env({"IPMETRICS_POPULATION_BASIS": "hukou"})
    with pytest.raises(SettingsError, match="financing_since"):
        Settings(financing_since="2021")
    with pytest.raises(SettingsError, match="max_import_mb"):
        Settings.from_env({"IPMETRICS_MAX_IMPORT_MB": "lots"})
    assert Settings.from_env({"IPMETRICS_MAX_IMPORT_MB": "5"}).max_import_mb == 5


def test_a_locked_file_gives_a_clear_message(tmp_path):
    import duckdb

    path = tmp_path / "locked.duckdb"
    Store(f"duckdb:///{path}").dispose()
    # Another process holding the file is simulated by a second, read-only configuration in this one.
    holder = duckdb.connect(str(path), read_only=True)
    try:
        with pytest.raises(StoreError, match="无法连接数据库|占用"):
            Store(f"duckdb:///{path}")
    finally:
        holder.close()


def test_unknown_engine_is_reported():
    with pytest.raises(StoreError, match="无法打开数据库"):
        Store("nosuchdb://x/y")
