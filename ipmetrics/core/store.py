"""The one door to the database: an engine from a SQLAlchemy URL, migrations, and named SQL files.

Only this module uses sqlalchemy, duckdb or psycopg. Everything else asks a Store for data frames by
the name of a file in sql/queries (one query per file, parameters bound by name) or runs a script of
sql/imports inside a transaction.

The schema comes from numbered migrations (sql/migrations, applied once each, in order) and then from
repeatable views (sql/views/<view>.sql, re-created whenever the file's SHA-256 differs from the one the
store recorded, in the spirit of Flyway's repeatable migrations): a view that changes often, such as
measure_items with one branch per measure, lives in one file instead of a new migration per change.

The SQL is written once for DuckDB and PostgreSQL. Where one engine needs different text, a file of the
same name in a subfolder named after the SQLAlchemy dialect (sql/queries/postgresql/<name>.sql, likewise
for sql/imports and sql/migrations) takes the place of the shared one on that engine; see dialect_path.
"""

from __future__ import annotations

import atexit
import getpass
import hashlib
import io
import json
import logging
import os
import random
import re
import threading
import time
import weakref
from collections.abc import Callable
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

import duckdb
import numpy as np
import pandas as pd
import sqlparse
from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import DBAPIError, IntegrityError

from ipmetrics.core import backups
from ipmetrics.core.settings import SQL_DIR

_log = logging.getLogger(__name__)  # how long each wait for a busy DuckDB file lasted (INFO)

_MIGRATION_FILE = re.compile(r"^(\d{3})_([a-z0-9_]+)\.sql$")
_VIEW_FILE = re.compile(r"^([a-z][a-z0-9_]*)\.sql$")
VIEW_HASH_KEY = "view_sha256:{}"   # the meta key holding the SHA-256 of a view's file as last applied
# The record tables whose monthly sums (measure_monthly, migration 006) are summed from measure_items.
MONTHLY_SOURCES = ("trademarks", "patents", "pledges", "enterprises")
# Tables summed from a view go stale when the view changes: the scripts that rebuild them, each with its
# parameters, run in the transaction that re-creates the view.
VIEW_REBUILDS = {
    "measure_items": [(Path("imports") / "rebuild_measure_monthly.sql", {"source": source})
                      for source in MONTHLY_SOURCES],
}
STAGING_TABLE = "import_staging"
BACKUP_MANIFEST = backups.MANIFEST


def _shown(url: str) -> str:
    """A URL fit for a message: a PostgreSQL URL may carry a password."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # not a URL at all: say what was given
        return url


def _sql_string(text: str) -> str:
    """A SQL string literal, for the statements that take no parameters (EXPORT / IMPORT DATABASE)."""
    return "'" + text.replace("'", "''") + "'"


class StoreError(RuntimeError):
    """The store cannot be opened or used; the message is in Chinese."""


class StoreBusy(StoreError):
    """Another process held the DuckDB file for the whole of the wait (Waiting); nothing was done."""


class StoreConflict(StoreError):
    """A write met a row with the same key that another writer committed first; nothing was written.
    (The database's own IntegrityError, translated here so that only this module knows SQLAlchemy.)"""


@lru_cache(maxsize=None)
def _read_sql(path: Path) -> str:
    return path.read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def dialect_path(path: Path, dialect: str | None) -> Path:
    """`path`, or its override for one engine: <folder>/<dialect>/<file name> when that file exists.

    Overrides are for the few statements that cannot be written portably; the shared file stays the
    reference (and what DuckDB runs), so an override must give the same results.
    """
    if dialect:
        override = path.parent / dialect / path.name
        if override.is_file():
            return override
    return path


def query_text(name: str, dialect: str | None = None) -> str:
    """The text of sql/queries/<name>.sql, or of its override for `dialect`."""
    path = SQL_DIR / "queries" / f"{name}.sql"
    if not path.is_file():
        raise KeyError(f"没有名为 {name} 的查询（{path}）")
    return _read_sql(dialect_path(path, dialect))


def script_statements(path: Path, dialect: str | None = None) -> list[str]:
    """The statements of a .sql file (or of its override for `dialect`), comments kept out, in order."""
    return _statements(_read_sql(dialect_path(path, dialect)))


def _statements(script: str) -> list[str]:
    statements = []
    for raw in sqlparse.split(script):
        bare = sqlparse.format(raw, strip_comments=True).strip().rstrip(";").strip()
        if bare:
            statements.append(bare)
    return statements


def migration_files(directory: Path | None = None) -> list[tuple[int, str, Path]]:
    directory = directory or SQL_DIR / "migrations"
    found = []
    for path in sorted(directory.glob("*.sql")):
        match = _MIGRATION_FILE.match(path.name)
        if not match:
            raise StoreError(f"迁移文件名不合规范（应为 NNN_名称.sql）：{path.name}")
        found.append((int(match.group(1)), match.group(2), path))
    versions = [v for v, _, _ in found]
    if len(set(versions)) != len(versions):
        raise StoreError("迁移文件的版本号重复：" + "、".join(p.name for _, _, p in found))
    return found


def view_files(directory: Path | None = None) -> list[tuple[str, Path]]:
    """The repeatable views: (view name, file) for each sql/views/<view name>.sql, by name."""
    directory = directory or SQL_DIR / "views"
    found = []
    for path in sorted(directory.glob("*.sql")):
        match = _VIEW_FILE.match(path.name)
        if not match:
            raise StoreError(f"视图文件名不合规范（应为 视图名.sql，小写字母、数字与下划线）：{path.name}")
        found.append((match.group(1), path))
    return found


def _make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "duckdb":
        database = parsed.database or ":memory:"
        if database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url)
            _HOLDS[engine] = _FileHold(engine, Path(database), LINGER_SECONDS)
            _FILE_ENGINES.setdefault(str(Path(database).resolve()), weakref.WeakSet()).add(engine)
            return engine
    return create_engine(url)


# DuckDB lets one process at a time open a file for writing. A pool that kept its connections would
# hold the file for as long as the app runs, and the CLI could never import beside it; opening the
# file for every query (no pool) costs about 16 ms each time, most of a small query's time and a
# page view's dozen queries over again. So connections are pooled while in use and closed once the
# engine has been idle this long, which lets the file go.
LINGER_SECONDS = 1.0
# Every engine of this process on each DuckDB file: a restore closes them all, or a pooled connection
# of another Store would keep the replaced file open (DuckDB shares one instance per file and process).
_FILE_ENGINES: dict[str, weakref.WeakSet] = {}

# Waiting for a DuckDB file another process holds (the CLI beside the app, the app beside the CLI).
LOCK_WAIT_SECONDS = 60.0        # how long a store waits by default; IPMETRICS_LOCK_WAIT_SECONDS overrides
LOCK_WAIT_VARIABLE = "IPMETRICS_LOCK_WAIT_SECONDS"
ANNOUNCE_AFTER_SECONDS = 1.0    # a shorter wait is not worth a word to the user
# Pauses between attempts grow from the first to the longest, each jittered (two waiters must not retry
# in step); short, so that a file let go is taken within a quarter of a second.
FIRST_PAUSE_SECONDS, LONGEST_PAUSE_SECONDS = 0.02, 0.25
# A process that claims its turn (the CLI) touches <db>.waiting at every attempt; a marker not touched
# for this long was left by a waiter that died and is ignored.
MARKER_FRESH_SECONDS = 2.0
YIELD_PAUSE_SECONDS = 0.05      # how often an idle engine looks for a waiter's marker


def lock_wait_seconds(default: float = LOCK_WAIT_SECONDS, environ: dict[str, str] | None = None) -> float:
    """The bound on waiting for a busy DuckDB file: IPMETRICS_LOCK_WAIT_SECONDS, else `default`."""
    raw = (os.environ if environ is None else environ).get(LOCK_WAIT_VARIABLE, "").strip()
    if not raw:
        return default
    try:
        seconds = float(raw)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= 3600:
        raise StoreError(f"设置 {LOCK_WAIT_VARIABLE} 的值“{raw}”无效，应为 0 到 3600 之间的秒数")
    return seconds


@dataclass(frozen=True)
class Waiting:
    """How a Store waits its turn when another process holds its DuckDB file (PostgreSQL needs none).

    `seconds` bounds the wait for each connection (None: lock_wait_seconds()); `announce(seconds)` gives a
    context manager entered once a wait has lasted ANNOUNCE_AFTER_SECONDS and left when it ends (the CLI
    prints a line, the app shows a spinner); `claims_turn` makes the waiting process write <db>.waiting,
    which every other process's engine on the file obeys by letting the file go at once and not taking it
    again until the marker is gone: without it viewers querying back to back would keep a CLI out for ever.
    """
    seconds: float | None = None
    announce: Callable[[float], AbstractContextManager] | None = None
    claims_turn: bool = False

    def bound(self) -> float:
        return lock_wait_seconds() if self.seconds is None else self.seconds


def waiting_marker(database: Path | str) -> Path:
    """The file a process waiting for `database` writes to ask the others to let it go."""
    return Path(str(database) + ".waiting")


def _someone_waits(marker: Path) -> bool:
    try:
        return time.time() - marker.stat().st_mtime < MARKER_FRESH_SECONDS
    except OSError:  # no marker
        return False


class _FileHold:
    """When an engine on a DuckDB file lets the file go: LINGER_SECONDS after its last connection came
    back, or at once (within YIELD_PAUSE_SECONDS) when another process claims its turn (a fresh marker)."""

    def __init__(self, engine: Engine, database: Path, linger: float):
        self.engine, self.marker, self.linger = engine, waiting_marker(database), linger
        self._lock = threading.Lock()
        self.out, self._generation = 0, 0
        event.listen(engine, "checkout", self._checked_out)
        event.listen(engine, "checkin", self._checked_in)

    def _checked_out(self, *_) -> None:
        with self._lock:
            self.out += 1
            self._generation += 1

    def _checked_in(self, *_) -> None:
        with self._lock:
            self.out -= 1
            if self.out:
                return
            generation = self._generation
        # Released from another thread: the connection being checked in is not back in the pool yet.
        threading.Thread(target=self._linger, args=(generation,), daemon=True).start()

    def _linger(self, generation: int) -> None:
        """Keep the idle connections for the linger, looking for a waiter's marker meanwhile."""
        until = time.monotonic() + self.linger
        while self._generation == generation:
            left = until - time.monotonic()
            time.sleep(max(0.0, min(YIELD_PAUSE_SECONDS, left)))
            if left <= YIELD_PAUSE_SECONDS or _someone_waits(self.marker):
                self.release_if_idle(generation)
                return

    def release_if_idle(self, generation: int | None = None) -> None:
        """Close the pooled connections if none is checked out (and, given `generation`, none has been
        since then): DuckDB then lets the file go."""
        with self._lock:
            if self.out == 0 and generation in (None, self._generation):
                self.engine.pool.dispose()

    def end_lingering(self) -> None:
        """Every linger thread's turn is over (it closes nothing); the idle connections close now."""
        with self._lock:  # waits for a linger thread's dispose() under way
            self._generation += 1
        self.release_if_idle()


# The engine of each DuckDB file's Store, with when it lets the file go.
_HOLDS: weakref.WeakKeyDictionary[Engine, _FileHold] = weakref.WeakKeyDictionary()


@atexit.register
def _let_files_go_at_exit() -> None:
    """Close the idle DuckDB connections in the exiting thread, and end every linger. A linger thread (a
    daemon) closing a connection while the interpreter shuts down is stopped inside DuckDB's C++, whose
    handlers swallow the thread's unwinding: glibc then aborts the whole process ("FATAL: exception not
    rethrown", exit status 134) after all the work was done."""
    for hold in list(_HOLDS.values()):
        hold.end_lingering()
# How many connections this thread has open: a thread that holds one holds the file already, so it does
# not yield to a waiter (it would wait for itself); it goes on and lets the file go when done.
_THREAD = threading.local()


def _is_lock_conflict(exc: DBAPIError, dialect: str) -> bool:
    """Another process holds the DuckDB file (DuckDB's IO Error "Could not set lock on file …")."""
    return dialect == "duckdb" and "lock" in str(exc.orig).lower()


def _busy_message(url: str, bound: float) -> str:
    return (f"数据库文件正被另一个程序占用（{_shown(url)}），等待 {bound:g} 秒仍未轮到，"
            "请稍后重试或先关闭占用它的程序。")


class _Wait:
    """One wait for a connection: how long it has lasted, announced once it has lasted long enough."""

    def __init__(self, waiting: Waiting, announced: ExitStack):
        self.waiting, self.bound, self._announced = waiting, waiting.bound(), announced
        self._began, self._told = time.monotonic(), False

    def elapsed(self) -> float:
        return time.monotonic() - self._began

    def seconds(self) -> float:
        """How long the wait has lasted, announcing it once that is long enough."""
        seconds = self.elapsed()
        if seconds >= ANNOUNCE_AFTER_SECONDS and self.waiting.announce is not None and not self._told:
            self._told = True
            self._announced.enter_context(self.waiting.announce(self.bound))
        return seconds

    def pause(self, attempt: int) -> None:
        """Sleep before the next attempt: doubling from FIRST_PAUSE_SECONDS to LONGEST_PAUSE_SECONDS,
        jittered, never past the bound."""
        pause = min(LONGEST_PAUSE_SECONDS, FIRST_PAUSE_SECONDS * 2 ** attempt) * random.uniform(0.5, 1.0)
        time.sleep(max(0.0, min(pause, self.bound - self.seconds())))


def _connect_in_turn(store: Store) -> Connection:
    """A connection of `store`'s engine, waiting (bounded by store.waiting) while another process holds
    the DuckDB file, and while another process has claimed its turn (unless this thread holds the file
    already). Any other failure to connect is raised at once; on PostgreSQL nothing waits."""
    hold, claims = _HOLDS.get(store.engine), store.waiting.claims_turn
    claimed = False
    with ExitStack() as announced:
        wait = _Wait(store.waiting, announced)
        try:
            attempt = 0
            while (hold is not None and not claims and getattr(_THREAD, "depth", 0) == 0
                   and _someone_waits(hold.marker) and wait.seconds() < wait.bound):
                hold.release_if_idle()  # another thread's last connection lets the file go on its return
                wait.pause(attempt)
                attempt += 1
            while True:
                try:
                    connection = store.engine.connect()
                    if attempt:
                        _log.info("waited %.3f s for the DuckDB file of %s", wait.elapsed(), _shown(store.url))
                    return connection
                except DBAPIError as exc:
                    if not _is_lock_conflict(exc, store.engine.dialect.name):
                        raise
                    if wait.seconds() >= wait.bound:
                        raise StoreBusy(_busy_message(store.url, wait.bound)) from exc
                if claims and hold is not None:
                    claimed = _claim(hold.marker) or claimed
                wait.pause(attempt)
                attempt += 1
        finally:
            if claimed:
                hold.marker.unlink(missing_ok=True)


def _claim(marker: Path) -> bool:
    """Write (or touch) the waiting marker; False where it cannot be written (the wait goes on without)."""
    try:
        marker.touch()
        return True
    except OSError:
        return False


class Transaction:
    """Work inside one database transaction: all of it is committed, or none of it."""

    def __init__(self, connection: Connection):
        self._connection = connection
        self.dialect = connection.dialect.name

    def execute(self, query: str, /, **params: Any) -> None:
        self._connection.execute(text(query_text(query, self.dialect)), params)

    def frame(self, query: str, /, **params: Any) -> pd.DataFrame:
        return _read_frame(self._connection, query_text(query, self.dialect), params)

    def scalar(self, query: str, /, **params: Any) -> Any:
        return self._connection.execute(text(query_text(query, self.dialect)), params).scalar()

    def has_table(self, name: str) -> bool:
        return inspect(self._connection).has_table(name)

    def columns(self, query: str, /, **params: Any) -> pd.DataFrame:
        """Like frame(), for large results: DuckDB hands its columns to pandas whole instead of row by
        row (several times faster at a million rows). Dates come as datetime64 and text as pandas
        strings, not Python objects; other engines read as frame() does."""
        if self.dialect != "duckdb":
            return self.frame(query, **params)
        return self._connection.execute(text(query_text(query, self.dialect)), params).cursor.fetch_df()

    def run_script(self, path: Path, **params: Any) -> None:
        for statement in script_statements(path, self.dialect):
            self._connection.execute(text(statement), params)

    def replace_view(self, name: str, statements: list[str]) -> None:
        """Drop the view `name` if it exists and run `statements` (its CREATE VIEW). Dropped rather than
        replaced: PostgreSQL's CREATE OR REPLACE VIEW cannot add, drop or reorder columns."""
        self._connection.exec_driver_sql(f"DROP VIEW IF EXISTS {_sql_identifier(name)}")
        for statement in statements:
            self._connection.execute(text(statement))

    def stage(self, frame: pd.DataFrame) -> None:
        """Make `frame` readable as the table import_staging for the rest of this transaction."""
        if self.dialect == "duckdb":
            native = self._connection.connection.driver_connection
            native.register("import_staging_frame", frame)
            self._connection.exec_driver_sql(
                f"CREATE OR REPLACE TEMP TABLE {STAGING_TABLE} AS SELECT * FROM import_staging_frame"
            )
            native.unregister("import_staging_frame")
        elif self.dialect == "postgresql":
            _stage_postgresql(self._connection, frame)
        else:
            frame.to_sql(STAGING_TABLE, self._connection, if_exists="replace", index=False)

    def drop_stage(self) -> None:
        self._connection.exec_driver_sql(f"DROP TABLE IF EXISTS {STAGING_TABLE}")


# PostgreSQL column types for the staging table, by what a column holds.
_PG_TYPES = (("b", "BOOLEAN"), ("i", "BIGINT"), ("u", "BIGINT"), ("f", "DOUBLE PRECISION"), ("M", "TIMESTAMP"))


def _pg_column_type(values: pd.Series) -> str:
    """The PostgreSQL type of a staging column: from the dtype, or for an object column from its values.

    A column with no values at all is TEXT; the scripts that read such columns cast them (CAST(x AS DATE)).
    """
    for kind, sql_type in _PG_TYPES:
        if values.dtype.kind == kind:
            return sql_type
    present = values.dropna()
    if present.empty:
        return "TEXT"
    kinds = {type(v) for v in present}
    if kinds <= {bool, np.bool_}:
        return "BOOLEAN"
    if all(isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_)) for v in present):
        return "BIGINT"
    if all(isinstance(v, (int, float, Decimal, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_))
           for v in present):
        return "DOUBLE PRECISION"
    if all(isinstance(v, datetime) for v in present):  # pd.Timestamp is a datetime
        return "TIMESTAMP"
    if all(isinstance(v, date) for v in present):
        return "DATE"
    return "TEXT"


def _python_values(values: pd.Series) -> list:
    """A column as plain Python values with None for every kind of missing (NaN, NaT, pd.NA)."""
    missing = values.isna().to_numpy()
    plain = values.astype(object).tolist() if values.dtype.kind != "M" else list(values.dt.to_pydatetime())
    return [None if gone else (v.item() if isinstance(v, np.generic) else v) for v, gone in zip(plain, missing)]


def _stage_postgresql(connection: Connection, frame: pd.DataFrame) -> None:
    """import_staging as a temporary table of this transaction, filled by COPY (imports reach 10⁵ rows)."""
    names = [str(c) for c in frame.columns]
    quoted = [_sql_identifier(n) for n in names]
    columns = ", ".join(f"{q} {_pg_column_type(frame[n])}" for n, q in zip(names, quoted))
    connection.exec_driver_sql(f"DROP TABLE IF EXISTS {STAGING_TABLE}")
    connection.exec_driver_sql(f"CREATE TEMP TABLE {STAGING_TABLE} ({columns}) ON COMMIT DROP")
    native = connection.connection.driver_connection  # psycopg, inside the transaction SQLAlchemy began
    as_csv = _csv_for_copy(frame)
    with native.cursor() as cursor:
        if as_csv is not None:  # a million rows in seconds, against tens of seconds row by row
            with cursor.copy(f"COPY {STAGING_TABLE} ({', '.join(quoted)}) FROM STDIN WITH (FORMAT csv)") as copy:
                copy.write(as_csv)
            return
        rows = zip(*(_python_values(frame[n]) for n in names))
        with cursor.copy(f"COPY {STAGING_TABLE} ({', '.join(quoted)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def _csv_for_copy(frame: pd.DataFrame) -> bytes | None:
    """The frame as CSV for COPY … (FORMAT csv), written by Arrow: text always quoted (so "" stays an empty
    text and a missing value, written bare, reads as NULL), days and times in ISO form. None when a column
    holds what Arrow cannot type or writes another way (mixed objects, decimals, time zones): those go row by
    row."""
    import pyarrow as pa
    from pyarrow import csv as arrow_csv

    try:
        table = pa.Table.from_pandas(frame, preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, TypeError, ValueError):
        return None
    safe = (pa.types.is_boolean, pa.types.is_integer, pa.types.is_floating, pa.types.is_string,
            pa.types.is_large_string, pa.types.is_date32, pa.types.is_null)
    for field in table.schema:
        timestamp = pa.types.is_timestamp(field.type) and field.type.tz is None
        if not timestamp and not any(test(field.type) for test in safe):
            return None
    buffer = io.BytesIO()
    arrow_csv.write_csv(table, buffer, arrow_csv.WriteOptions(include_header=False, quoting_style="needed"))
    return buffer.getvalue()


def _sql_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _read_frame(connection: Connection, sql: str, params: dict) -> pd.DataFrame:
    frame = pd.read_sql_query(text(sql), connection, params=params)
    if connection.dialect.name == "postgresql":
        # PostgreSQL's NUMERIC (SUM of integers, EXTRACT …) arrives as Decimal where DuckDB gives numbers.
        for column in frame.columns:
            if frame[column].dtype == object:
                present = frame[column].dropna()
                if not present.empty and all(isinstance(v, Decimal) for v in present):
                    frame[column] = frame[column].astype(float)
    return frame


class Store:
    """A migrated database reachable by a SQLAlchemy URL (a DuckDB file by default)."""

    def __init__(self, url: str, *, migrate: bool = True, waiting: Waiting | None = None):
        self.url = url
        # How it waits for a DuckDB file another process holds: every connection, the migrations' too.
        self.waiting = waiting or Waiting()
        try:
            self.engine = _make_engine(url)
        except Exception as exc:  # a bad URL or a missing driver
            raise StoreError(f"无法打开数据库 {_shown(url)}：{exc}") from exc
        if migrate:
            self.migrate()

    # --- reading -------------------------------------------------------------------------------
    def frame(self, query: str, /, **params: Any) -> pd.DataFrame:
        with self._connect() as connection:
            return _read_frame(connection, query_text(query, connection.dialect.name), params)

    def scalar(self, query: str, /, **params: Any) -> Any:
        with self._connect() as connection:
            return connection.execute(text(query_text(query, connection.dialect.name)), params).scalar()

    def row(self, query: str, /, **params: Any) -> tuple:
        """The query's one row."""
        with self._connect() as connection:
            return tuple(connection.execute(text(query_text(query, connection.dialect.name)), params).one())

    def data_version(self) -> int:
        return int(self.scalar("meta_value", key="data_version"))

    def is_sample(self) -> bool:
        return self.scalar("meta_value", key="sample_data") == "true"

    # --- writing -------------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        try:
            with self._connect() as connection:
                with connection.begin():
                    yield Transaction(connection)
        except IntegrityError as exc:
            raise StoreConflict(f"写入的记录与已有记录的键重复，未写入任何内容（{exc.orig}）。") from exc

    @contextmanager
    def reading(self) -> Iterator[Transaction]:
        """Several reads on one connection and one snapshot of the data: they agree with each other
        even while an import commits, and the connection is taken from the pool once."""
        with self._connect() as connection:
            if connection.dialect.name == "postgresql":
                # PostgreSQL's default (READ COMMITTED) takes a new snapshot for every statement.
                connection.execution_options(isolation_level="REPEATABLE READ")
            with connection.begin():
                yield Transaction(connection)

    def migrate(self) -> list[int]:
        """Apply the migrations not yet recorded, each in its own transaction, then re-create the views
        whose files changed (apply_views); returns the versions of the migrations applied."""
        applied_now = []
        with self.transaction() as tx:
            # Only when missing: a read-only account (viewers on PostgreSQL) may not even try to create it.
            if not tx.has_table("schema_migrations"):
                tx.execute("create_schema_migrations")
            done = set(tx.frame("applied_migrations")["version"].astype(int))
        for version, name, path in migration_files():
            if version in done:
                continue
            with self.transaction() as tx:
                tx.run_script(path)
                tx.execute("record_migration", version=version, name=name, applied_at=datetime.now())
            applied_now.append(version)
        self.apply_views()
        return applied_now

    def apply_views(self, directory: Path | None = None) -> list[str]:
        """Re-create each view of sql/views (or of `directory`) whose file differs from the one last
        applied here; returns their names. Each in one transaction: drop, create, rebuild the tables
        summed from it (VIEW_REBUILDS), record the file's SHA-256 in meta. A store whose views are
        current only reads, so a SELECT-only account (viewers on PostgreSQL) opens it.

        On PostgreSQL a re-created view loses the grants given on it: grant SELECT to the viewers'
        account again after a release that changes a view, as after one that adds tables.
        """
        dialect = self.engine.dialect.name
        changed = []
        with self.transaction() as tx:
            for name, path in view_files(directory):
                # Read afresh, not through the cache of _read_sql: the file is what may have changed.
                script = dialect_path(path, dialect).read_bytes()
                digest = hashlib.sha256(script).hexdigest()
                if tx.scalar("meta_value", key=VIEW_HASH_KEY.format(name)) != digest:
                    changed.append((name, script.decode("utf-8"), digest))
        for name, script, digest in changed:
            with self.transaction() as tx:
                tx.replace_view(name, _statements(script))
                for rebuild, params in VIEW_REBUILDS.get(name, ()):
                    tx.run_script(SQL_DIR / rebuild, **params)
                tx.execute("record_view_sha256", key=VIEW_HASH_KEY.format(name), value=digest)
        return [name for name, _, _ in changed]

    def dispose(self) -> None:
        self.engine.dispose()

    # --- backup and restore (DuckDB files) ------------------------------------------------------
    def duckdb_path(self) -> Path:
        parsed = make_url(self.url)
        if parsed.get_backend_name() != "duckdb" or not parsed.database or parsed.database == ":memory:":
            raise StoreError("备份与恢复目前只支持 DuckDB 数据库文件；其他数据库请使用其自带的备份工具。")
        return Path(parsed.database)

    def backup(self, directory: Path | str) -> dict:
        """Export every table to Parquet files in `directory` (DuckDB's EXPORT DATABASE) with a manifest
        that lists the SHA-256 of every file, which a restore checks first."""
        self.duckdb_path()
        directory = Path(directory)
        if directory.exists() and any(directory.iterdir()):
            raise StoreError(f"备份目录 {directory} 已存在且不为空，请换一个目录。")
        manifest = {
            "created_at": datetime.now().isoformat(timespec="seconds"),
            "source": self.url,
            "data_version": self.data_version(),
            "schema_versions": [int(v) for v in self.frame("applied_migrations")["version"]],
            "sample_data": self.is_sample(),
        }
        with self._connect() as connection:
            connection.exec_driver_sql(f"EXPORT DATABASE {_sql_string(str(directory))} (FORMAT parquet)")
        manifest[backups.CHECKSUMS] = backups.checksums(directory)
        (directory / BACKUP_MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2),
                                                 encoding="utf-8")
        return manifest

    def restore(self, directory: Path | str, *, actor: str | None = None, allow_unverified: bool = False) -> Path:
        """Replace the store's contents with a backup; the replaced file is kept beside it.

        Nothing is touched until the backup's files match its manifest's checksums (a backup without
        them only with `allow_unverified`) and the backup is imported and migrated into a new file. The
        audit log rows written since the backup's newest are carried into it, and a row for the restore
        by `actor` (the system user by default). Returns the path of the kept previous file.
        """
        path = self.duckdb_path()
        directory = Path(directory)
        try:
            manifest = backups.verify(directory, allow_unverified)
        except backups.BackupError as exc:
            raise StoreError(str(exc)) from None
        staging = path.with_name(path.name + ".restoring")
        for leftover in (staging, Path(str(staging) + ".wal")):
            leftover.unlink(missing_ok=True)
        try:
            restored = self._imported_backup(directory, staging)
            try:
                note = "" if backups.is_verifiable(manifest) else "，未经校验"
                self._carry_audit_log(restored, f"恢复备份 {directory}", note, actor or getpass.getuser())
            finally:
                restored.dispose()
        except BaseException:
            for leftover in (staging, Path(str(staging) + ".wal")):
                leftover.unlink(missing_ok=True)
            raise
        for engine in list(_FILE_ENGINES.get(str(path.resolve()), ())) + [self.engine]:
            engine.dispose()
        kept = path.with_name(f"{path.name}.before-restore-{datetime.now():%Y%m%d-%H%M%S}")
        os.replace(path, kept)
        Path(str(path) + ".wal").unlink(missing_ok=True)
        os.replace(staging, path)
        self.engine = _make_engine(self.url)
        return kept

    @staticmethod
    def _imported_backup(directory: Path, staging: Path) -> Store:
        """A new store in the file `staging` with a backup's contents, migrated to this version."""
        try:
            restored = duckdb.connect(str(staging))
            try:
                restored.execute(f"IMPORT DATABASE {_sql_string(str(directory))}")
                restored.execute("CHECKPOINT")
            finally:
                restored.close()
        except duckdb.Error as exc:
            raise StoreError(f"无法从 {directory} 恢复：{exc}") from exc
        return Store(f"duckdb:///{staging}")  # a backup from an older version gets the newer migrations

    def _carry_audit_log(self, restored: Store, what: str, note: str, actor: str) -> None:
        """Copy into `restored` this store's audit rows newer than its newest, then the restore's own row:
        a restore rewinds the data, never the record of who did what."""
        last = restored.scalar("audit_last_at")
        restored_version = restored.data_version()
        with self._connect() as connection:
            dialect = connection.dialect.name
            newer = _read_frame(connection, query_text("audit_since", dialect),
                                {"since": pd.Timestamp(last).to_pydatetime() if last is not None else datetime.min})
            version = connection.execute(text(query_text("meta_value", dialect)), {"key": "data_version"}).scalar()
            connection.exec_driver_sql("CHECKPOINT")  # nothing of the old file may stay in its WAL
        with restored.transaction() as tx:
            for row in newer.to_dict("records"):
                values = {key: None if pd.isna(value) else value for key, value in row.items()}
                tx.execute("audit", at=pd.Timestamp(values["happened_at"]).to_pydatetime(), actor=values["actor"],
                           action=values["action"], detail=values["detail"], client=values["client"])
            # The data version only grows: the app's caches are keyed on it, and a version handed out again
            # (the backup's, then the next import's) would bring back figures cached before the restore.
            onward = max(int(version or 0), int(restored_version)) + 1
            tx.execute("set_meta_value", key="data_version", value=str(onward))
            tx.execute("audit", at=datetime.now(), actor=actor, action="restore", client="cli",
                       detail=f"{what}（恢复第 {restored_version} 版数据，数据版本 {version} → {onward}{note}）")

    @contextmanager
    def _connect(self) -> Iterator[Connection]:
        try:
            connection = _connect_in_turn(self)
        except StoreBusy:
            raise
        except DBAPIError as exc:
            raise StoreError(f"无法连接数据库 {_shown(self.url)}：{exc.orig}") from exc
        _THREAD.depth = getattr(_THREAD, "depth", 0) + 1
        try:
            with connection:
                yield connection
        finally:
            _THREAD.depth -= 1
