"""Readers while an import commits: every read sees the store before or after it, never half of it.

The app serves every session from one process, so sessions read on threads while an editor's import
writes; the import is one transaction over several files (trademarks and patents here).
"""

from __future__ import annotations

import threading
import time

import pandas as pd

from ipmetrics.core.scorecard import scorecard
from ipmetrics.core.settings import SAMPLE_DIR, Settings
from ipmetrics.core.store import Store
from ipmetrics.io.importer import Source, import_files

from .conftest import kind_files

NEW_MARKS, NEW_PATENTS = 40_000, 5_000


def marks_csv(n: int) -> bytes:
    rows = [f"CT{i:06d},测试商标{i},测试企业{i % 97},411521001,ordinary,false,茶叶,2026-10-{1 + i % 28:02d},,"
            for i in range(n)]
    return ("reg_no,mark_name,holder,region_code,mark_type,is_gi,industry,registered_on,ended_on,well_known_on\n"
            + "\n".join(rows) + "\n").encode()


def patents_csv(n: int) -> bytes:
    rows = [f"CP{i:06d},测试专利{i},测试企业{i % 97},411521001,invention,CN,茶叶,2024-01-01,2026-10-{1 + i % 28:02d},"
            for i in range(n)]
    return ("patent_no,title,holder,region_code,patent_type,office,industry,applied_on,granted_on,ended_on\n"
            + "\n".join(rows) + "\n").encode()


def test_readers_never_see_half_an_import(db_url, registry):
    store = Store(db_url("concurrent"))
    import_files(store, kind_files(SAMPLE_DIR), indicator_ids=set(registry.ids()), mark_sample=True)
    settings = Settings(db_url=store.url)

    def counts() -> tuple[int, int]:
        frame = store.frame("source_counts").set_index("source")["records"]
        return int(frame["trademarks"]), int(frame["patents"])

    def marks_figure() -> float:
        cards = scorecard(store, registry, settings, None, "2026-10")
        return next(c.progress.value for c in cards if c.goal.id == "trademarks_registered")

    before_counts, before_marks = counts(), marks_figure()
    after_counts = (before_counts[0] + NEW_MARKS, before_counts[1] + NEW_PATENTS)
    seen_counts, seen_marks, failures = [], [], []
    writing = threading.Event()
    done = threading.Event()

    def read_counts() -> None:
        while not done.is_set():
            try:
                seen_counts.append((writing.is_set(), counts()))
            except Exception as exc:  # a reader must never fail because a writer is busy
                failures.append(repr(exc))

    def read_figures() -> None:
        while not done.is_set():
            try:
                seen_marks.append(marks_figure())
            except Exception as exc:
                failures.append(repr(exc))

    readers = [threading.Thread(target=read_counts) for _ in range(3)] + [threading.Thread(target=read_figures)]
    for reader in readers:
        reader.start()
    time.sleep(0.5)
    writing.set()
    started = time.perf_counter()
    import_files(store, [("trademarks", Source("marks.csv", marks_csv(NEW_MARKS))),
                         ("patents", Source("patents.csv", patents_csv(NEW_PATENTS)))],
                 indicator_ids=set(registry.ids()))
    writing_seconds = time.perf_counter() - started
    time.sleep(1.0)
    done.set()
    for reader in readers:
        reader.join()

    assert not failures
    observed = {c for _, c in seen_counts}
    assert observed <= {before_counts, after_counts}, observed - {before_counts, after_counts}
    assert before_counts in {c for during, c in seen_counts if during}  # reads went on while the import ran
    assert after_counts in observed
    assert set(seen_marks) <= {before_marks, before_marks + NEW_MARKS} and before_marks + NEW_MARKS in seen_marks
    assert len(seen_counts) > 10 and writing_seconds > 0.5  # the import took long enough to be read across
    assert counts() == after_counts and pd.notna(marks_figure())


def test_the_reads_of_one_reading_see_one_state_of_the_store(fresh_small_store, registry):
    # On PostgreSQL this needs REPEATABLE READ: its default gives every statement a fresh snapshot.
    def marks(reader) -> int:
        return int(reader.frame("source_counts").set_index("source")["records"]["trademarks"])

    before = marks(fresh_small_store)
    with fresh_small_store.reading() as reader:
        assert marks(reader) == before
        import_files(fresh_small_store, [("trademarks", Source("one.csv", marks_csv(1)))],
                     indicator_ids=set(registry.ids()))
        assert marks(reader) == before  # the import committed meanwhile, on another connection
    assert marks(fresh_small_store) == before + 1
