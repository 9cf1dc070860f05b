"""The hand-made province fixture (tests/fixtures/province/, expected figures in its README.md) in a
store of its own, shared by the peer and picker tests of a module."""

from __future__ import annotations

import pytest

from ipmetrics.io.importer import import_files
from ipmetrics.store import Store

from . import conftest
from .conftest import FIXTURES, kind_files

PROVINCE = FIXTURES / "province"


def _new_url(directory, stem: str) -> str:
    # The engine of the run when conftest chooses one (DuckDB or PostgreSQL), else a DuckDB file.
    make = getattr(conftest, "new_database_url", None)
    return make(directory, stem) if make else f"duckdb:///{directory / f'{stem}.duckdb'}"


@pytest.fixture(scope="module")
def province_store(tmp_path_factory, registry):
    url = _new_url(tmp_path_factory.mktemp("province"), "province")
    store = Store(url)
    import_files(store, kind_files(PROVINCE), indicator_ids=set(registry.ids()))
    yield store
    store.dispose()
    drop = getattr(conftest, "drop_database", None)
    if drop:
        drop(url)
