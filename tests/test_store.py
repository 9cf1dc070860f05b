"""The store: created and migrated on first use, idempotently, from any SQLAlchemy URL."""

import uuid

import pytest
from sqlalchemy.engine import make_url

from ipmetrics.core.settings import Settings, SettingsError, default_db_url
from ipmetrics.core.store import Store, StoreError, dialect_path, migration_files, script_statements

from .conftest import ON_POSTGRESQL, admin_execute, duckdb_only


def test_new_store_is_created_and_migrated(tmp_path, db_url):
    if ON_POSTGRESQL:
        store = Store(db_url("new"))
    else:  # a DuckDB file is created, with the folders it is in
        path = tmp_path / "nested" / "new.duckdb"
        store = Store(f"duckdb:///{path}")
        assert path.is_file()
    applied = store.frame("applied_migrations")
    assert list(applied["version"]) == [v for v, _, _ in migration_files()]
    assert list(applied["name"])[:2] == ["core", "measure_items"]
    assert store.data_version() == 0 and not store.is_sample()


def test_migrations_are_applied_once(db_url):
    url = db_url("s")
    Store(url).dispose()
    again = Store(url)
    assert again.migrate() == []
    assert len(again.frame("applied_migrations")) == len(migration_files())
    again.dispose()


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


@duckdb_only("file locking is DuckDB's; PostgreSQL serves many processes")
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


def test_an_engine_takes_its_own_file_where_there_is_one(tmp_path):
    shared = tmp_path / "queries" / "q.sql"
    override = tmp_path / "queries" / "postgresql" / "q.sql"
    override.parent.mkdir(parents=True)
    shared.write_text("SELECT 1", encoding="utf-8")
    assert dialect_path(shared, "postgresql") == shared  # no override yet
    dialect_path.cache_clear()
    override.write_text("SELECT 2", encoding="utf-8")
    assert dialect_path(shared, "postgresql") == override
    assert dialect_path(shared, "duckdb") == shared and dialect_path(shared, None) == shared


@pytest.mark.skipif(not ON_POSTGRESQL, reason="PostgreSQL only: DuckDB has no accounts")
def test_a_read_only_account_opens_a_migrated_store(db_url):
    url = db_url("readonly")
    Store(url).dispose()
    database, role = make_url(url).database, f"viewer_{uuid.uuid4().hex[:12]}"
    admin_execute(f'CREATE ROLE "{role}" LOGIN')
    try:
        admin_execute(f'GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{role}"', database)
        viewer = Store(make_url(url).set(username=role).render_as_string(hide_password=False))
        assert viewer.data_version() == 0 and viewer.migrate() == []
        with pytest.raises(Exception, match="permission denied"):
            with viewer.transaction() as tx:
                tx.execute("bump_data_version")
        viewer.dispose()
    finally:
        admin_execute(f'DROP OWNED BY "{role}"', database)
        admin_execute(f'DROP ROLE "{role}"')


def test_an_unreachable_server_is_reported_without_its_password(tmp_path):
    with pytest.raises(StoreError, match="无法连接数据库") as raised:
        Store(f"postgresql+psycopg://someone:s3cret@/ipmetrics?host={tmp_path}")
    assert "s3cret" not in str(raised.value) and "***" in str(raised.value)


def test_unknown_engine_is_reported():
    with pytest.raises(StoreError, match="无法打开数据库"):
        Store("nosuchdb://x/y")
