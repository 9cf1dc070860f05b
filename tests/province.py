"""The hand-made province fixture (tests/fixtures/province/, expected figures in its README.md) in a
store of its own, shared by the peer and picker tests of a module."""

from __future__ import annotations

import pytest

from ipmetrics.core.store import Store
from ipmetrics.io.importer import import_files

from .conftest import FIXTURES, kind_files

PROVINCE = FIXTURES / "province"


@pytest.fixture(scope="module")
def province_store(module_db_url, registry):
    store = Store(module_db_url("province"))
    import_files(store, kind_files(PROVINCE), indicator_ids=set(registry.ids()))
    yield store
    store.dispose()
