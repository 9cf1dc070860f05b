"""Shared fixtures: stores built from the hand-made fixture and from the bundled sample."""

from __future__ import annotations

from pathlib import Path

import pytest

from ipmetrics.auth import Editor
from ipmetrics.goals import load_registry
from ipmetrics.io.importer import import_files
from ipmetrics.io.schemas import KINDS
from ipmetrics.settings import DEFAULT_INDICATORS, SAMPLE_DIR, Settings
from ipmetrics.store import Store

FIXTURES = Path(__file__).parent / "fixtures"
SMALL = FIXTURES / "small"
# A signed-in editor, preset in a page's session state (the login itself is tested in test_auth.py).
EDITOR = Editor("zhangsan", "张三", "password")


def kind_files(directory: Path) -> list[tuple[str, Path]]:
    return [(kind, directory / f"{kind}.csv") for kind in KINDS if (directory / f"{kind}.csv").is_file()]


@pytest.fixture(scope="session")
def registry():
    return load_registry(DEFAULT_INDICATORS)


@pytest.fixture
def empty_store(tmp_path) -> Store:
    return Store(f"duckdb:///{tmp_path / 'empty.duckdb'}")


@pytest.fixture
def fresh_small_store(empty_store, registry) -> Store:
    """The hand-made fixture in a store of its own, for tests that change it."""
    import_files(empty_store, kind_files(SMALL), indicator_ids=set(registry.ids()))
    return empty_store


@pytest.fixture(scope="module")
def small_store(tmp_path_factory, registry) -> Store:
    store = Store(f"duckdb:///{tmp_path_factory.mktemp('small') / 'small.duckdb'}")
    import_files(store, kind_files(SMALL), indicator_ids=set(registry.ids()))
    return store


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory, registry) -> Store:
    store = Store(f"duckdb:///{tmp_path_factory.mktemp('sample') / 'sample.duckdb'}")
    import_files(store, kind_files(SAMPLE_DIR), indicator_ids=set(registry.ids()), mark_sample=True)
    return store


@pytest.fixture
def settings_for():
    def make(store: Store, **choices) -> Settings:
        return Settings(db_url=store.url, **choices)
    return make
