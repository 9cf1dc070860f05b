"""What every sub-command shares: exit codes, the opened workspace, how a command is declared, who a
command is recorded as, months as arguments, and how an import's result is reported."""

from __future__ import annotations

import argparse
import functools
import getpass
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ipmetrics.core import periods
from ipmetrics.core.goals import Registry, load_registry
from ipmetrics.core.settings import Settings
from ipmetrics.core.store import Store, Waiting
from ipmetrics.io.importer import ImportResult, error_workbook
from ipmetrics.io.readers import ENCODING_LABEL
from ipmetrics.io.schemas import KINDS

DONE, FAILED, WRONG_USAGE = 0, 1, 2  # FAILED: the data were rejected or a check failed
SHOWN_ERRORS = 200  # more than this many row errors go to the --errors workbook only
MAX_CLAIMED_NAME = 64  # characters of a --user name

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
    store = Store(settings.db_url, waiting=waiting_for_the_store())
    try:
        yield Workspace(settings, registry, store)
    finally:
        store.dispose()


def waiting_for_the_store() -> Waiting:
    """How a command waits while the dashboard holds the DuckDB file: up to IPMETRICS_LOCK_WAIT_SECONDS
    (60 s by default) for each connection, the migrations' included; claiming its turn, so that the
    dashboard lets the file go instead of taking it again between two viewers' queries; and saying so
    once on stderr if the wait lasts."""
    told = False

    @contextmanager
    def announce(bound: float) -> Iterator[None]:
        nonlocal told
        if not told:
            told = True
            print(f"数据库正被看板或另一个命令使用，等待中…（最多 {bound:g} 秒）", file=sys.stderr, flush=True)
        yield

    return Waiting(announce=announce, claims_turn=True)


def add_command(commands: Commands, name: str, handler: Callable[..., int], help: str, *,
                opens_store: bool = True) -> argparse.ArgumentParser:
    """Declare sub-command `name`. Its handler is called as handler(args, workspace) and returns the exit
    code; with `opens_store=False` it is called as handler(args, settings) and no store is opened.

    Whatever the command line says, the handler finds in `args.user` who the command is recorded as
    (import log, snapshots, audit log): the system user, with a --user name beside it (`actor`)."""
    parser = commands.add_parser(name, help=help)
    parser.set_defaults(handler=_recorded_as_system_user(handler), opens_store=opens_store)
    return parser


def _recorded_as_system_user(handler: Callable[..., int]) -> Callable[..., int]:
    @functools.wraps(handler)
    def run(args: argparse.Namespace, context) -> int:
        args.user = actor(getattr(args, "user", None))
        return handler(args, context)
    return run


def system_user() -> str:
    """The account the command runs as. From the process's user id where there is one (POSIX), since
    getpass.getuser() believes $USER and $LOGNAME, which anyone can set; else getpass, else os.getlogin."""
    try:
        import pwd  # POSIX only

        return pwd.getpwuid(os.geteuid()).pw_name
    except (ImportError, KeyError):
        pass
    try:
        return getpass.getuser()
    except Exception:  # no user name in the environment or the password database
        return os.getlogin()


def actor(claimed: str | None) -> str:
    """Who a command is recorded as: the system user, and a name given with --user beside it, as claimed:
    "zhangsan（自称 张三）". The name is never recorded alone, so it cannot pass for someone else."""
    user = system_user()
    claimed = (claimed or "").strip()
    if len(claimed) > MAX_CLAIMED_NAME:
        raise UsageError(f"--user 的名字过长：最多 {MAX_CLAIMED_NAME} 个字符。")
    return f"{user}（自称 {claimed}）" if claimed and claimed != user else user


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
