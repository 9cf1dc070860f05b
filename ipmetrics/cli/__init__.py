"""The `ipmetrics` command: a thin shell over the library.

Each sub-command is one function in data.py, reports.py or admin.py, declared there with its arguments.
This module reads the options every command shares, opens what the command needs and turns errors into
exit codes: 0 done, 1 the data were rejected or a check failed, 2 the command was used wrongly.
"""

from __future__ import annotations

import argparse
import sys

from ipmetrics.cli.admin import add_admin_commands
from ipmetrics.cli.common import FAILED, WRONG_USAGE, UsageError, open_workspace, print_import_result
from ipmetrics.cli.data import add_data_commands
from ipmetrics.cli.reports import add_report_commands
from ipmetrics.core.goals import RegistryError
from ipmetrics.core.settings import CHOICES, Settings, SettingsError
from ipmetrics.core.store import StoreError
from ipmetrics.io.importer import ImportRejected, ReadError


def expected_errors() -> tuple[tuple[type[Exception], ...], tuple[type[Exception], ...]]:
    """The errors whose Chinese message is all the user needs: (failures, exit 1; misuses, exit 2). Imported
    when one is raised: the renderer's, the snapshots' and the accounts' modules are not loaded by every
    command (an import of a million rows starts sooner without plotly and kaleido)."""
    from ipmetrics.auth import AuthError
    from ipmetrics.export.images import ExportUnavailable
    from ipmetrics.meeting.snapshots import SnapshotError

    return ((RegistryError, StoreError, ReadError, ExportUnavailable, SnapshotError),
            (UsageError, SettingsError, AuthError))


def build_parser() -> argparse.ArgumentParser:
    # No county here: the goal file names the county and its document, and the program serves any county.
    parser = argparse.ArgumentParser(prog="ipmetrics",
                                     description="ipmetrics 知识产权工作目标监测——数据导入、示例数据与目标进度")
    parser.add_argument("--db", help="SQLAlchemy 数据库 URL（默认 data/ipmetrics.duckdb，或环境变量 IPMETRICS_DB_URL）")
    parser.add_argument("--indicators", help="目标定义文件（默认 data/indicators.toml）")
    parser.add_argument("--population-basis", choices=list(CHOICES["population_basis"]), help="人口口径")
    parser.add_argument("--trademark-basis", choices=list(CHOICES["trademark_basis"]), help="商标统计口径")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    add_data_commands(commands)
    add_report_commands(commands)
    add_admin_commands(commands)
    return parser


def run(argv: list[str] | None = None) -> int:
    """Run one command and return its exit code; argparse itself exits with 2 on a malformed command line."""
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env(db_url=args.db, indicators_path=args.indicators,
                                     population_basis=args.population_basis, trademark_basis=args.trademark_basis)
        if not args.opens_store:
            return args.handler(args, settings)
        with open_workspace(settings) as workspace:
            return args.handler(args, workspace)
    except ImportRejected as rejected:
        for result in rejected.results:
            print_import_result(result)
        print("导入被拒绝，数据库未作任何改动。", file=sys.stderr)
        return FAILED
    except Exception as exc:
        failures, misuses = expected_errors()
        if not isinstance(exc, failures + misuses):
            raise
        print(exc, file=sys.stderr)
        return FAILED if isinstance(exc, failures) else WRONG_USAGE


def main() -> None:
    sys.exit(run())


if __name__ == "__main__":
    main()
