"""The one door to the database: an engine from a SQLAlchemy URL, migrations, and named SQL files.

Only this module imports sqlalchemy or duckdb. Everything else asks a Store for data frames by the name
of a file in sql/queries (one query per file, parameters bound by name) or runs a script of sql/imports
inside a transaction.
"""

from __future__ import annotations

import json
import os
import re
from contextlib import contextmanager
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

import duckdb
import pandas as pd
import sqlparse
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from .settings import SQL_DIR

_MIGRATION_FILE = re.compile(r"^(\d{3})_([a-z0-9_]+)\.sql$")
STAGING_TABLE = "import_staging"
BACKUP_MANIFEST = "ipmetrics-backup.json"


def _sql_string(text: str) -> str:
    """A SQL string literal, for the statements that take no parameters (EXPORT / IMPORT DATABASE)."""
    return "'" + text.replace("'", "''") + "'"


class StoreError(RuntimeError):
    """The store cannot be opened or used; the message is in Chinese."""


@lru_cache(maxsize=None)
def _read_sql(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def query_text(name: str) -> str:
    """The text of sql/queries/<name>.sql."""
    path = SQL_DIR / "queries" / f"{name}.sql"
    if not path.is_file():
        raise KeyError(f"没有名为 {name} 的查询（{path}）")
    return _read_sql(path)


def script_statements(path: Path) -> list[str]:
    """The statements of a .sql file, comments kept out, in order."""
    statements = []
    for raw in sqlparse.split(_read_sql(path)):
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


def _make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "duckdb":
        database = parsed.database or ":memory:"
        if database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
            # A pooled connection would hold DuckDB's file lock for as long as the app runs; without a
            # pool the lock is held only while a query runs, so the CLI can import beside a running app.
            return create_engine(url, poolclass=NullPool)
    return create_engine(url)


class Transaction:
    """Work inside one database transaction: all of it is committed, or none of it."""

    def __init__(self, connection: Connection):
        self._connection = connection

    def execute(self, query: str, /, **params: Any) -> None:
        self._connection.execute(text(query_text(query)), params)

    def frame(self, query: str, /, **params: Any) -> pd.DataFrame:
        return pd.read_sql_query(text(query_text(query)), self._connection, params=params)

    def scalar(self, query: str, /, **params: Any) -> Any:
        return self._connection.execute(text(query_text(query)), params).scalar()

    def columns(self, query: str, /, **params: Any) -> pd.DataFrame:
        """Like frame(), for large results: DuckDB hands its columns to pandas whole instead of row by
        row (several times faster at a million rows). Dates come as datetime64 and text as pandas
        strings, not Python objects; other engines read as frame() does."""
        if self._connection.dialect.name != "duckdb":
            return self.frame(query, **params)
        return self._connection.execute(text(query_text(query)), params).cursor.fetch_df()

    def run_script(self, path: Path, **params: Any) -> None:
        for statement in script_statements(path):
            self._connection.execute(text(statement), params)

    def stage(self, frame: pd.DataFrame) -> None:
        """Make `frame` readable as the table import_staging for the rest of this transaction."""
        if self._connection.dialect.name == "duckdb":
            native = self._connection.connection.driver_connection
            native.register("import_staging_frame", frame)
            self._connection.exec_driver_sql(
                f"CREATE OR REPLACE TEMP TABLE {STAGING_TABLE} AS SELECT * FROM import_staging_frame"
            )
            native.unregister("import_staging_frame")
        else:
            frame.to_sql(STAGING_TABLE, self._connection, if_exists="replace", index=False)

    def drop_stage(self) -> None:
        self._connection.exec_driver_sql(f"DROP TABLE IF EXISTS {STAGING_TABLE}")


class Store:
    """A migrated database reachable by a SQLAlchemy URL (a DuckDB file by default)."""

    def __init__(self, url: str, *, migrate: bool = True):
        self.url = url
        try:
            self.engine = _make_engine(url)
        except Exception as exc:  # a bad URL or a missing driver
            raise StoreError(f"无法打开数据库 {url}：{exc}") from exc
        if migrate:
            self.migrate()

    # --- reading -------------------------------------------------------------------------------
    def frame(self, query: str, /, **params: Any) -> pd.DataFrame:
        with self._connect() as connection:
            return pd.read_sql_query(text(query_text(query)), connection, params=params)

    def scalar(self, query: str, /, **params: Any) -> Any:
        with self._connect() as connection:
            return connection.execute(text(query_text(query)), params).scalar()

    def data_version(self) -> int:
        return int(self.scalar("meta_value", key="data_version"))

    def is_sample(self) -> bool:
        return self.scalar("meta_value", key="sample_data") == "true"

    # --- writing -------------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        with self._connect() as connection:
            with connection.begin():
                yield Transaction(connection)

    @contextmanager
    def reading(self) -> Iterator[Transaction]:
        """Several reads on one connection and one snapshot of the data: they agree with each other
        even while an import commits, and the connection is opened once (with DuckDB, per NullPool,
        opening is most of a small query's time)."""
        with self.transaction() as tx:
            yield tx

    def migrate(self) -> list[int]:
        """Apply the migrations not yet recorded, each in its own transaction; returns their versions."""
        applied_now = []
        with self.transaction() as tx:
            tx.execute("create_schema_migrations")
            done = set(tx.frame("applied_migrations")["version"].astype(int))
        for version, name, path in migration_files():
            if version in done:
                continue
            with self.transaction() as tx:
                tx.run_script(path)
                tx.execute("record_migration", version=version, name=name, applied_at=datetime.now())
            applied_now.append(version)
        return applied_now

    def dispose(self) -> None:
        self.engine.dispose()

    # --- backup and restore (DuckDB files) ------------------------------------------------------
    def duckdb_path(self) -> Path:
        parsed = make_url(self.url)
        if parsed.get_backend_name() != "duckdb" or not parsed.database or parsed.database == ":memory:":
            raise StoreError("备份与恢复目前只支持 DuckDB 数据库文件；其他数据库请使用其自带的备份工具。")
        return Path(parsed.database)

    def backup(self, directory: Path | str) -> dict:
        """Export every table to Parquet files in `directory` (DuckDB's EXPORT DATABASE) with a manifest."""
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
        (directory / BACKUP_MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2),
                                                 encoding="utf-8")
        return manifest

    def restore(self, directory: Path | str) -> Path:
        """Replace the store's contents with a backup; the replaced file is kept beside it.

        The backup is imported into a new file first, so a failed restore leaves the store untouched.
        Returns the path of the kept previous file.
        """
        path = self.duckdb_path()
        directory = Path(directory)
        if not (directory / BACKUP_MANIFEST).is_file():
            raise StoreError(f"{directory} 不是 ipmetrics 备份目录（缺少 {BACKUP_MANIFEST}）。")
        staging = path.with_name(path.name + ".restoring")
        for leftover in (staging, Path(str(staging) + ".wal")):
            leftover.unlink(missing_ok=True)
        try:
            restored = duckdb.connect(str(staging))
            try:
                restored.execute(f"IMPORT DATABASE {_sql_string(str(directory))}")
                restored.execute("CHECKPOINT")
            finally:
                restored.close()
        except duckdb.Error as exc:
            staging.unlink(missing_ok=True)
            raise StoreError(f"无法从 {directory} 恢复：{exc}") from exc
        with self._connect() as connection:
            connection.exec_driver_sql("CHECKPOINT")  # nothing of the old file may stay in its WAL
        self.engine.dispose()
        kept = path.with_name(f"{path.name}.before-restore-{datetime.now():%Y%m%d-%H%M%S}")
        os.replace(path, kept)
        Path(str(path) + ".wal").unlink(missing_ok=True)
        os.replace(staging, path)
        self.engine = _make_engine(self.url)
        self.migrate()  # a backup from an older version gets the newer migrations
        return kept

    @contextmanager
    def _connect(self) -> Iterator[Connection]:
        try:
            connection = self.engine.connect()
        except DBAPIError as exc:
            if "lock" in str(exc).lower():
                raise StoreError(
                    f"数据库文件正被另一个程序占用（{self.url}），请稍后重试或先关闭占用它的程序。"
                ) from exc
            raise StoreError(f"无法连接数据库 {self.url}：{exc.orig}") from exc
        with connection:
            yield connection
