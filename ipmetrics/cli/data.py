"""Commands that bring data in and keep it: init, import, templates, log, backup, restore, sample, load-sample."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ipmetrics.cli.common import (
    DONE,
    FAILED,
    Commands,
    UsageError,
    Workspace,
    add_command,
    month_argument,
    print_import_result,
    write_import_errors,
)
from ipmetrics.core import backups, catalog
from ipmetrics.core.settings import SAMPLE_DIR, TEMPLATE_DIR
from ipmetrics.demo.examples import sample_files
from ipmetrics.demo.sample import last_complete_month, write_sample
from ipmetrics.demo.synthetic import SCALE_LABELS, SCALES, generate
from ipmetrics.demo.synthetic import SEED as SYNTHETIC_SEED
from ipmetrics.io.importer import ImportRejected, NoDataRows, import_file, import_files
from ipmetrics.io.schemas import KINDS


def add_data_commands(commands: Commands) -> None:
    """In the order `ipmetrics --help` lists them."""
    add_command(commands, "init", run_init, help="创建数据库并执行迁移")
    _add_import(commands)
    templates = add_command(commands, "templates", run_templates, help="生成各类数据的 Excel 导入模板")
    templates.add_argument("--out", type=Path, default=TEMPLATE_DIR, help="输出目录（默认 data/templates）")
    add_command(commands, "log", run_log, help="打印导入日志")
    backup = add_command(commands, "backup", run_backup, help="把数据库备份到一个新目录（Parquet 文件）")
    backup.add_argument("dir", type=Path)
    restore = add_command(commands, "restore", run_restore, help="用备份目录替换数据库内容（原文件保留在旁边）")
    restore.add_argument("dir", type=Path)
    restore.add_argument("--allow-unverified", action="store_true",
                         help="也恢复没有校验和的备份（较早版本所做，文件是否完好无法确认）")
    _add_sample(commands)
    load = add_command(commands, "load-sample", run_load_sample, help="把示例数据 CSV 导入数据库（标记为示例数据）")
    load.add_argument("--dir", type=Path, default=SAMPLE_DIR, help="示例数据目录（默认 data/sample）")
    load.add_argument("--if-empty", action="store_true", help="数据库已有数据时什么也不做")


def _add_import(commands: Commands) -> None:
    imp = add_command(commands, "import", run_import, help="导入一个 CSV 或表格文件（全部成功或全部不写入）")
    imp.add_argument("kind", choices=list(KINDS), help="数据类型")
    imp.add_argument("file", type=Path, help="CSV（UTF-8 或 GBK）或表格文件（.xlsx、.xls、WPS .et、.ods）；"
                                             "表题、填报单位、合计与制表人等行自动跳过")
    imp.add_argument("--dry-run", action="store_true", help="只校验，不写入")
    imp.add_argument("--accept-valid", action="store_true", help="有错误时仍写入有效行（错误行报告后跳过）")
    imp.add_argument("--errors", type=Path, help="把问题清单和被拒绝的行写入此 xlsx 文件")
    imp.add_argument("--user", help="自称的操作人：记在当前系统用户旁，如“zhangsan（自称 张三）”")
    imp.add_argument("--through", type=month_argument,
                     help="数据截至月份 YYYY-MM（默认：明细取文件中最新日期所在月，名录取上一个完整月份）")


def _add_sample(commands: Commands) -> None:
    sample = add_command(commands, "sample", run_sample, help="生成示例数据 CSV（确定性，可重复）")
    sample.add_argument("--out", type=Path, default=SAMPLE_DIR, help="输出目录（默认 data/sample）")
    sample.add_argument("--until", type=month_argument, help="截止月份 YYYY-MM（默认上一个完整月份）")
    sample.add_argument("--load", action="store_true", help="生成后导入数据库（标记为示例数据）")
    sample.add_argument("--scale", choices=["county", *SCALES], default="county",
                        help="county：随附的示例县 CSV（默认）；province：约150个县、200万件商标；"
                             "nation：约2800个县、4000万件商标（直接写入空数据库）")
    sample.add_argument("--seed", type=int, default=SYNTHETIC_SEED, help="随机种子（同一种子生成同样的数据）")


def run_init(args: argparse.Namespace, ws: Workspace) -> int:
    # Opening the store already created and migrated it.
    print(f"数据库已就绪：{ws.settings.db_url}（数据版本 {ws.store.data_version()}）")
    return DONE


def run_import(args: argparse.Namespace, ws: Workspace) -> int:
    if not args.file.is_file():
        raise UsageError(f"找不到文件：{args.file}")
    try:
        result = import_file(ws.store, args.kind, args.file, indicator_ids=ws.indicator_ids, dry_run=args.dry_run,
                             plan_region=ws.registry.region, industries=ws.registry.industry_spellings(),
                             accept_valid=args.accept_valid, user=args.user,
                             max_bytes=ws.settings.max_import_mb * 1024 * 1024, through=args.through,
                             max_rows=ws.settings.max_import_rows)
    except NoDataRows as empty:  # not a failed import: the wrong tool for "nothing new this month"
        raise UsageError(str(empty)) from None
    except ImportRejected as rejected:
        _print_notes(rejected.results)
        write_import_errors(args.errors, rejected.results)
        raise  # the results themselves are reported with every other rejection
    _print_notes([result])
    print_import_result(result)
    write_import_errors(args.errors, [result])
    return FAILED if args.dry_run and not result.ok else DONE


def _print_notes(results) -> None:
    """How each file was read: the rows the reader left out (title, 填报单位, 合计, signatures), so the count
    read can be checked, and a saved column mapping when the file's own headers did not match. (A file
    without data rows never gets here: read_table refuses it.)"""
    for result in results:
        for note in result.notes:
            print(f"{result.file_name}：{note}")
        if result.mapping_note:
            print(f"{result.file_name}：{result.mapping_note}")


def run_templates(args: argparse.Namespace, ws: Workspace) -> int:
    from ipmetrics.io.templates import ReportedIndicator, write_templates  # openpyxl: loaded for this command only

    indicators = [ReportedIndicator.of(goal) for goal in ws.registry.goals]
    for path in write_templates(args.out, ws.registry.industries, ws.registry.ids(), indicators):
        print(path)
    return DONE


def run_log(args: argparse.Namespace, ws: Workspace) -> int:
    log = ws.store.frame("import_log")
    print("（还没有导入记录）" if log.empty else log.to_string(index=False))
    return DONE


def run_backup(args: argparse.Namespace, ws: Workspace) -> int:
    manifest = ws.store.backup(args.dir)
    print(f"已备份到 {args.dir}（数据版本 {manifest['data_version']}）")
    return DONE


def run_restore(args: argparse.Namespace, ws: Workspace) -> int:
    kept = ws.store.restore(args.dir, actor=args.user, allow_unverified=args.allow_unverified)
    if args.allow_unverified and not backups.is_verifiable(backups.read_manifest(args.dir)):
        print(f"警告：备份 {args.dir} 没有校验和，文件是否完好未经校验（审计日志已注明）。", file=sys.stderr)
    print(f"已从 {args.dir} 恢复；恢复前的数据库保留为 {kept}")
    return DONE


def run_sample(args: argparse.Namespace, ws: Workspace) -> int:
    if args.scale == "county":
        _write_county_sample(args, ws)
    else:
        _generate_at_scale(args, ws)
    return DONE


def _write_county_sample(args: argparse.Namespace, ws: Workspace) -> None:
    """The bundled county's CSVs, and with --load their import as sample data."""
    until = args.until or last_complete_month()
    paths = write_sample(args.out, until)
    print(f"示例数据已写入 {args.out}（截至 {until}）：" + "，".join(
        f"{kind} {_data_lines(path)} 行" for kind, path in paths.items()))
    if args.load:
        for result in import_files(ws.store, paths.items(), indicator_ids=ws.indicator_ids, mark_sample=True,
                                   plan_region=ws.registry.region, industries=ws.registry.industry_spellings()):
            print_import_result(result)


def _data_lines(path: Path) -> int:
    with open(path, encoding="utf-8") as lines:
        return sum(1 for _ in lines) - 1  # the header is not a row


def _generate_at_scale(args: argparse.Namespace, ws: Workspace) -> None:
    """A synthetic province or nation, written straight into the store (too big for CSVs)."""
    if catalog.has_records(ws.store):
        raise UsageError("省级、全国规模的示例数据只能写入空数据库，请用 --db 指定一个新文件")
    made = generate(ws.store, args.scale, seed=args.seed, progress=lambda what: print(what, flush=True))
    rows = "，".join(f"{KINDS[kind].title} {count:,} 行" for kind, count in made.rows.items())
    print(f"已生成{SCALE_LABELS[args.scale]}规模示例数据（截至 {made.through}）：{made.regions:,} 个地区、"
          f"{made.counties:,} 个县级单位，{rows}；用时 {made.seconds:.0f} 秒")


def run_load_sample(args: argparse.Namespace, ws: Workspace) -> int:
    """The bundled sample and, when the goal file has its own sample_*.csv beside it, those too: one import."""
    if args.if_empty and catalog.has_records(ws.store):
        print("数据库中已有数据，未导入示例数据。")
        return DONE
    try:
        files = sample_files(args.dir, ws.settings.indicators_path, ws.indicator_ids, last_complete_month(),
                             ws.registry.region)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if not files:
        raise UsageError(f"{args.dir} 中没有示例数据 CSV，请先运行 ipmetrics sample")
    for note in filter(None, (file.left_out for file in files)):
        print(note)
    loaded = [(file.kind, file.source) for file in files]
    for result in import_files(ws.store, loaded, indicator_ids=ws.indicator_ids, mark_sample=True,
                               plan_region=ws.registry.region, industries=ws.registry.industry_spellings()):
        print_import_result(result)
    return DONE
