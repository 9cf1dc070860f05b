"""Shared fixtures: stores built from the hand-made fixture and from the bundled sample.

The whole run uses one engine, chosen by IPMETRICS_TEST_DB: `duckdb` (the default; a file per store)
or `postgresql` (a fresh database per store on the server of IPMETRICS_TEST_PG_URL, dropped after use;
run-tests.sh starts a throwaway server with scripts/postgres.sh). A test that needs a store URL gets
it from the db_url fixtures (or new_database_url); only tests about DuckDB files write `duckdb:///`.
"""

from __future__ import annotations

import os
import re
import uuid
from pathlib import Path

import pytest

from ipmetrics.auth import Editor
from ipmetrics.core.goals import load_registry
from ipmetrics.core.settings import DEFAULT_INDICATORS, SAMPLE_DIR, Settings
from ipmetrics.core.store import Store
from ipmetrics.io.importer import import_files
from ipmetrics.io.schemas import KINDS

FIXTURES = Path(__file__).parent / "fixtures"
SMALL = FIXTURES / "small"
# A signed-in editor, preset in a page's session state (the login itself is tested in test_auth.py).
EDITOR = Editor("zhangsan", "张三", "password")


TEST_DB = os.environ.get("IPMETRICS_TEST_DB", "duckdb").strip().lower() or "duckdb"
if TEST_DB not in ("duckdb", "postgresql"):
    raise RuntimeError(f"IPMETRICS_TEST_DB must be duckdb or postgresql, not {TEST_DB!r}")
ON_POSTGRESQL = TEST_DB == "postgresql"


def duckdb_only(reason: str):
    """Skip a test that is about DuckDB itself (its files, its locks) when the run is on PostgreSQL."""
    return pytest.mark.skipif(ON_POSTGRESQL, reason=f"DuckDB only: {reason}")


def _server_url():
    from sqlalchemy.engine import make_url

    raw = os.environ.get("IPMETRICS_TEST_PG_URL")
    if not raw:
        raise RuntimeError("IPMETRICS_TEST_DB=postgresql needs IPMETRICS_TEST_PG_URL, a server URL such as "
                           "postgresql+psycopg://user@/db?host=/path (see scripts/postgres.sh)")
    return make_url(raw)


def admin_execute(statement: str, database: str | None = None) -> None:
    """Run a statement as the test server's superuser, outside a transaction (CREATE DATABASE cannot run
    in one), in `database` or the server URL's own."""
    import psycopg

    url = _server_url().set(drivername="postgresql")
    if database:
        url = url.set(database=database)
    with psycopg.connect(url.render_as_string(hide_password=False), autocommit=True) as admin:
        admin.execute(statement)


def new_database_url(directory: Path, stem: str) -> str:
    """The URL of a new, empty database for one store: a DuckDB file in `directory`, or on PostgreSQL
    a database of its own (drop it with drop_database)."""
    if not ON_POSTGRESQL:
        return f"duckdb:///{directory / f'{stem}.duckdb'}"
    name = f"t_{re.sub(r'[^a-z0-9_]', '_', stem.lower())[:40]}_{uuid.uuid4().hex[:12]}"
    admin_execute(f'CREATE DATABASE "{name}"')
    return _server_url().set(database=name).render_as_string(hide_password=False)


def drop_database(url: str) -> None:
    """Remove a database made by new_database_url (a DuckDB file goes with its temporary directory)."""
    if ON_POSTGRESQL:
        from sqlalchemy.engine import make_url

        # FORCE ends the connections the test's stores still hold in their pools.
        admin_execute(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')


class Databases:
    """Hands out database URLs and drops them all at the end of the fixture that owns it."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.urls: list[str] = []

    def __call__(self, stem: str = "store") -> str:
        url = new_database_url(self.directory, stem)
        self.urls.append(url)
        return url

    def drop_all(self) -> None:
        while self.urls:
            drop_database(self.urls.pop())


@pytest.fixture
def db_url(tmp_path):
    """`db_url("name")`: the URL of a new empty database for this test."""
    databases = Databases(tmp_path)
    yield databases
    databases.drop_all()


@pytest.fixture(scope="module")
def module_db_url(tmp_path_factory):
    """`module_db_url("name")`: the URL of a new empty database kept for the test module."""
    databases = Databases(tmp_path_factory.mktemp("databases"))
    yield databases
    databases.drop_all()


def kind_files(directory: Path) -> list[tuple[str, Path]]:
    return [(kind, directory / f"{kind}.csv") for kind in KINDS if (directory / f"{kind}.csv").is_file()]


@pytest.fixture(scope="session", autouse=True)
def browser_cache(tmp_path_factory):
    """The compiled-plotly.js seed (export/warm_start.py) of this test run only: the run neither reads a seed
    left by another nor writes one into the user's cache folder. Set before any Chromium starts; the apps the
    browser tests serve inherit it."""
    folder = tmp_path_factory.mktemp("browser-cache")
    previous = os.environ.get("IPMETRICS_BROWSER_CACHE")
    os.environ["IPMETRICS_BROWSER_CACHE"] = str(folder)
    yield folder
    if previous is None:
        os.environ.pop("IPMETRICS_BROWSER_CACHE", None)
    else:
        os.environ["IPMETRICS_BROWSER_CACHE"] = previous


@pytest.fixture(scope="session")
def registry():
    return load_registry(DEFAULT_INDICATORS)


@pytest.fixture
def empty_store(db_url) -> Store:
    store = Store(db_url("empty"))
    yield store
    store.dispose()


@pytest.fixture
def fresh_small_store(empty_store, registry) -> Store:
    """The hand-made fixture in a store of its own, for tests that change it."""
    import_files(empty_store, kind_files(SMALL), indicator_ids=set(registry.ids()))
    return empty_store


@pytest.fixture(scope="module")
def small_store(module_db_url, registry) -> Store:
    store = Store(module_db_url("small"))
    import_files(store, kind_files(SMALL), indicator_ids=set(registry.ids()))
    yield store
    store.dispose()


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory, registry) -> Store:
    databases = Databases(tmp_path_factory.mktemp("sample"))
    store = Store(databases("sample"))
    import_files(store, kind_files(SAMPLE_DIR), indicator_ids=set(registry.ids()), mark_sample=True)
    yield store
    store.dispose()
    databases.drop_all()


@pytest.fixture
def settings_for():
    def make(store: Store, **choices) -> Settings:
        return Settings(db_url=store.url, **choices)
    return make


def linear_method(registry):
    """The registry with every goal projected by the line through its latest values, as before issue 16
    (small_count_gap = 0): for tests whose hand-worked statuses were set on that method."""
    return registry.model_copy(update={"method": registry.method.model_copy(update={"small_count_gap": 0})})


def linear_goal_file(tmp_path, monkeypatch):
    """The default goal file with small_count_gap = 0 (see linear_method), in force for the CLI and pages
    through IPMETRICS_INDICATORS."""
    text = DEFAULT_INDICATORS.read_text(encoding="utf-8").replace("[method]\n", "[method]\nsmall_count_gap = 0\n", 1)
    path = tmp_path / "indicators_linear.toml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("IPMETRICS_INDICATORS", str(path))
    return path
