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

import getpass
import hashlib
import json
import os
import re
import threading
import weakref
from contextlib import contextmanager
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
            _release_when_idle(engine, LINGER_SECONDS)
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


def _release_when_idle(engine: Engine, seconds: float) -> None:
    lock = threading.Lock()
    state = {"out": 0, "generation": 0}

    def release(generation: int) -> None:
        with lock:
            if state["out"] == 0 and state["generation"] == generation:
                engine.pool.dispose()  # closes the idle connections; none is checked out

    @event.listens_for(engine, "checkout")
    def _checked_out(*_):
        with lock:
            state["out"] += 1
            state["generation"] += 1

    @event.listens_for(engine, "checkin")
    def _checked_in(*_):
        with lock:
            state["out"] -= 1
            if state["out"] == 0:
                timer = threading.Timer(seconds, release, args=(state["generation"],))
                timer.daemon = True
                timer.start()


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
    rows = zip(*(_python_values(frame[n]) for n in names))
    native = connection.connection.driver_connection  # psycopg, inside the transaction SQLAlchemy began
    with native.cursor() as cursor:
        with cursor.copy(f"COPY {STAGING_TABLE} ({', '.join(quoted)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


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

    def __init__(self, url: str, *, migrate: bool = True):
        self.url = url
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
            tx.execute("audit", at=datetime.now(), actor=actor, action="restore", client="cli",
                       detail=f"{what}（数据版本 {version} → {restored_version}{note}）")

    @contextmanager
    def _connect(self) -> Iterator[Connection]:
        try:
            connection = self.engine.connect()
        except DBAPIError as exc:
            if self.engine.dialect.name == "duckdb" and "lock" in str(exc).lower():
                raise StoreError(
                    f"数据库文件正被另一个程序占用（{_shown(self.url)}），请稍后重试或先关闭占用它的程序。"
                ) from exc
            raise StoreError(f"无法连接数据库 {_shown(self.url)}：{exc.orig}") from exc
        with connection:
            yield connection
