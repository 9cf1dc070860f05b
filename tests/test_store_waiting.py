"""One door at a time: a store waits its turn for a DuckDB file another process holds, instead of failing.

Another process is a real one (a child Python holding the file with duckdb.connect), since DuckDB's lock
is per process: inside one process a second connection shares the instance.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from contextlib import contextmanager, nullcontext
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ipmetrics.cli import run
from ipmetrics.core import store as store_module
from ipmetrics.core.store import LOCK_WAIT_VARIABLE, Store, StoreBusy, StoreError, Waiting, waiting_marker

from .conftest import duckdb_only

pytestmark = duckdb_only("file locks are DuckDB's; PostgreSQL serves many processes at once")

APP = str(Path(__file__).parents[1] / "app.py")
# Takes the file (retrying while this process still lets it go), says so, holds it, lets it go.
HOLDER = """
import sys, time, duckdb
while True:
    try:
        held = duckdb.connect(sys.argv[1])
        break
    except duckdb.IOException:
        time.sleep(0.05)
print("held", flush=True)
time.sleep(float(sys.argv[2]))
held.close()
"""
# A process reading the store as the CLI does (claiming its turn) or not; prints the data version.
READER = """
import sys
from ipmetrics.core.store import Store, StoreBusy, Waiting
store = Store(sys.argv[1], waiting=Waiting(seconds=float(sys.argv[2]), claims_turn=sys.argv[3] == "claims"))
print(store.data_version())
"""


@contextmanager
def held(path: Path, seconds: float):
    """Another process holds the DuckDB file at `path` for `seconds` from when this enters."""
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(path), str(seconds)], stdout=subprocess.PIPE,
                              text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        yield
    finally:
        holder.wait(timeout=60)


def new_store(tmp_path, name: str = "shared") -> tuple[str, Path]:
    path = tmp_path / f"{name}.duckdb"
    Store(f"duckdb:///{path}").dispose()  # migrated, and let go
    return f"duckdb:///{path}", path


def test_a_store_waits_while_another_process_holds_the_file(tmp_path):
    url, path = new_store(tmp_path)
    store = Store(url)
    store.dispose()
    announced = []
    store.waiting = Waiting(announce=lambda bound: nullcontext(announced.append(bound)))
    with held(path, 2):
        versions = store.frame("meta_value", key="data_version")
    assert versions.iloc[0, 0] == "0"  # a fresh store: data version 0
    assert announced == [60.0]  # told once (the wait passed a second), with the default bound


def test_past_the_bound_it_fails_with_the_chinese_message(tmp_path, monkeypatch):
    url, path = new_store(tmp_path)
    monkeypatch.setenv(LOCK_WAIT_VARIABLE, "0.5")
    with held(path, 5):
        with pytest.raises(StoreBusy, match="数据库文件正被另一个程序占用.*等待 0.5 秒仍未轮到"):
            Store(url)  # the migrations' connection waits too


def test_a_wait_bound_that_is_not_a_number_is_refused(tmp_path, monkeypatch):
    url, _ = new_store(tmp_path)
    monkeypatch.setenv(LOCK_WAIT_VARIABLE, "soon")
    with pytest.raises(StoreError, match=f"{LOCK_WAIT_VARIABLE} 的值“soon”无效"):
        Store(url)


def test_other_failures_are_not_waited_for(tmp_path):
    import duckdb

    url, path = new_store(tmp_path)
    # In this process a read-only configuration of the same file is a configuration error, not a lock.
    other = duckdb.connect(str(path), read_only=True)
    try:
        with pytest.raises(StoreError, match="无法连接数据库") as raised:
            Store(url, waiting=Waiting(seconds=30))
        assert not isinstance(raised.value, StoreBusy)
    finally:
        other.close()


def reader(url: str, bound: float, claims: bool) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", READER, url, str(bound), "claims" if claims else "asks"],
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("busy", [False, True], ids=["idle pool", "back-to-back readers"])
def test_a_process_claiming_its_turn_gets_in_beside_the_app(tmp_path, monkeypatch, busy):
    # The app's engine would keep its pooled connection, and the file, for a minute after each query;
    # only the claimer's marker makes it let go.
    monkeypatch.setattr(store_module, "LINGER_SECONDS", 60.0)
    url, path = new_store(tmp_path)
    app_store = Store(url)
    stop, failures = threading.Event(), []

    def keep_reading():
        while not stop.is_set():
            try:
                app_store.data_version()
            except Exception as exc:  # noqa: BLE001 - any failure of the app's side is what is counted
                failures.append(exc)

    readers = [threading.Thread(target=keep_reading) for _ in range(2 if busy else 0)]
    app_store.data_version()  # the file is now held by this process's pool
    for thread in readers:
        thread.start()
    try:
        polite = reader(url, 2, claims=False)  # asks, without claiming: the app never lets go
        claimer = reader(url, 30, claims=True)
    finally:
        stop.set()
        for thread in readers:
            thread.join()
    assert polite.returncode != 0 and "数据库文件正被另一个程序占用" in polite.stderr
    assert claimer.returncode == 0, claimer.stderr
    assert claimer.stdout.strip() == "0"
    assert not failures  # the app's readers waited for the claimer instead of failing
    assert not waiting_marker(path).exists()  # the claimer cleaned up after itself
    app_store.dispose()


def test_the_cli_says_once_that_it_waits_and_then_does_its_work(tmp_path, capsys):
    url, path = new_store(tmp_path)
    with held(path, 2.5):
        code = run(["--db", url, "audit"])
    err = capsys.readouterr().err
    assert code == 0, err
    assert err.count("数据库正被看板或另一个命令使用，等待中…（最多 60 秒）") == 1


def test_a_page_waits_for_a_busy_store_instead_of_showing_an_error(tmp_path, monkeypatch):
    url, path = new_store(tmp_path, "page")
    monkeypatch.setenv("IPMETRICS_DB_URL", url)
    conflicts = []  # the page did meet the busy file (not run after the holder was gone)
    is_conflict = store_module._is_lock_conflict
    monkeypatch.setattr(store_module, "_is_lock_conflict", lambda *a: conflicts.append(1) or is_conflict(*a))
    app = AppTest.from_file(APP, default_timeout=60)
    with held(path, 3):
        app.run()
    assert conflicts and not app.exception, app.exception
    assert any("数据库中还没有数据" in box.value for box in app.sidebar.info)  # the page ran to its end
    assert not [box for box in app.info if "数据正在更新" in box.value]


def test_a_store_busy_past_the_bound_gives_a_notice_not_an_error(tmp_path, monkeypatch):
    url, path = new_store(tmp_path, "page_busy")
    monkeypatch.setenv("IPMETRICS_DB_URL", url)
    monkeypatch.setenv(LOCK_WAIT_VARIABLE, "0.5")
    app = AppTest.from_file(APP, default_timeout=60)
    with held(path, 5):
        app.run()
    assert not app.exception, app.exception
    assert [box.value for box in app.info] == ["数据正在更新（有一次导入正在写入），请稍后刷新页面。"]


@duckdb_only("the linger belongs to DuckDB files")
def test_at_exit_the_idle_connections_close_in_the_exiting_thread(tmp_path):
    # A linger thread closing its connection while the interpreter shut down was stopped inside DuckDB and
    # glibc aborted the process (exit 134) after the work was done: the exit handler closes them first.
    store = Store(f"duckdb:///{tmp_path / 'exit.duckdb'}")
    store.frame("region_codes")  # checked in: a linger thread now waits LINGER_SECONDS to close it
    hold = store_module._HOLDS[store.engine]
    generation = hold._generation
    assert store.engine.pool.checkedin() == 1
    store_module._let_files_go_at_exit()
    assert store.engine.pool.checkedin() == 0 and hold._generation == generation + 1
    done = subprocess.run([sys.executable, "-c", (
        "import time\nfrom ipmetrics.core.store import Store\n"
        f"Store('duckdb:///{tmp_path / 'exit2.duckdb'}').frame('region_codes')\n"
        "time.sleep(0.99)\n")], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
