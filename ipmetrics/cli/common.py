"""What every sub-command shares: exit codes, the opened workspace, how a command is declared, months as
arguments, and how an import's result is reported."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ipmetrics.core import periods
from ipmetrics.core.goals import Registry, load_registry
from ipmetrics.core.settings import Settings
from ipmetrics.core.store import Store
from ipmetrics.io.importer import ImportResult, error_workbook
from ipmetrics.io.readers import ENCODING_LABEL
from ipmetrics.io.schemas import KINDS

DONE, FAILED, WRONG_USAGE = 0, 1, 2  # FAILED: the data were rejected or a check failed
SHOWN_ERRORS = 200  # more than this many row errors go to the --errors workbook only

# argparse's sub-parser collection; its class is private, hence the alias.
Commands = argparse._SubParsersAction


class UsageError(Exception):
    """The command was used wrongly (a missing file, an unknown region, no data yet): exit code 2."""


@dataclass(frozen=True)
class Workspace:
    """What a command that reads or writes data works with; opened once per run by `open_workspace`."""

    settings: Settings
    registry: Registry
    store: Store

    @property
    def indicator_ids(self) -> dict[str, str]:
        """The goal ids a file may name, each with its frequency (a reported period must be of it)."""
        return {goal.id: goal.frequency for goal in self.registry.goals}


@contextmanager
def open_workspace(settings: Settings) -> Iterator[Workspace]:
    """The goal file first (a broken one is reported before any database is touched), then the store,
    disposed when the command is done so the DuckDB file is free at once."""
    registry = load_registry(settings.indicators_path)
    store = Store(settings.db_url)
    try:
        yield Workspace(settings, registry, store)
    finally:
        store.dispose()


def add_command(commands: Commands, name: str, handler: Callable[..., int], help: str, *,
                opens_store: bool = True) -> argparse.ArgumentParser:
    """Declare sub-command `name`. Its handler is called as handler(args, workspace) and returns the exit
    code; with `opens_store=False` it is called as handler(args, settings) and no store is opened."""
    parser = commands.add_parser(name, help=help)
    parser.set_defaults(handler=handler, opens_store=opens_store)
    return parser


def month_argument(text: str) -> pd.Period:
    """An argparse type: a month written exactly YYYY-MM."""
    try:
        if len(text) != 7:
            raise ValueError
        return periods.month(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"月份“{text}”无效，应为 YYYY-MM") from None


def print_import_result(result: ImportResult) -> None:
    """One summary line on stdout; the row errors (at most SHOWN_ERRORS of them) on stderr."""
    if result.dry_run:
        verb = "校验通过（未写入）" if result.ok else "校验未通过（未写入）"
    else:
        verb = "已导入" if result.committed else "未写入"
    encoding = f"，编码 {ENCODING_LABEL.get(result.encoding, result.encoding)}" if result.encoding else ""
    print(f"{result.file_name}［{KINDS[result.kind].title}，{result.format}{encoding}］{verb}："
          f"读取 {result.rows_read} 行，写入 {result.rows_loaded} 行，拒绝 {result.rows_rejected} 行")
    for error in result.errors[:SHOWN_ERRORS]:
        print(f"  {error}", file=sys.stderr)
    if len(result.errors) > SHOWN_ERRORS:
        print(f"  ……另有 {len(result.errors) - SHOWN_ERRORS:,} 处错误（用 --errors 写出问题清单与各类问题的计数）",
              file=sys.stderr)


def write_import_errors(path: Path | None, results: list[ImportResult]) -> None:
    """The problem list and the rejected rows as a workbook, when asked for and there is something to list."""
    if path is not None and any(r.errors for r in results):
        path.write_bytes(error_workbook(results))
        print(f"问题清单与被拒绝的行已写入 {path}", file=sys.stderr)
        for result in results:
            if result.problems_note:
                print(f"{result.file_name}：{result.problems_note}（其余按类计数，见“问题统计”）", file=sys.stderr)
