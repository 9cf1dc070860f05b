"""The `ipmetrics` command: a thin shell over the library.

Exit codes: 0 done, 1 the data were rejected or a check failed, 2 the command was used wrongly.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd

from ipmetrics.auth import AuthError, add_account
from ipmetrics.charts.month import build_month
from ipmetrics.core import catalog, labels, periods
from ipmetrics.core.goals import RegistryError, load_registry
from ipmetrics.core.progress import Status
from ipmetrics.core.scorecard import scorecard, status_records
from ipmetrics.core.settings import CHOICES, SAMPLE_DIR, SECRETS_PATH, TEMPLATE_DIR, Settings, SettingsError
from ipmetrics.core.store import Store, StoreError
from ipmetrics.demo.sample import last_complete_month, write_sample
from ipmetrics.demo.synthetic import SCALE_LABELS, SCALES, generate
from ipmetrics.demo.synthetic import SEED as SYNTHETIC_SEED
from ipmetrics.export.batch import export_month
from ipmetrics.export.images import FORMATS, ExportUnavailable
from ipmetrics.io.importer import ImportRejected, ImportResult, ReadError, error_workbook, import_file, import_files
from ipmetrics.io.readers import ENCODING_LABEL
from ipmetrics.io.schemas import KINDS
from ipmetrics.io.templates import write_templates
from ipmetrics.meeting import snapshots
from ipmetrics.meeting.compare import compare, comparison_table, live_records
from ipmetrics.monthly import BRIEFING_FORMATS, run_monthly, write_briefing

STATUS_ZH = {s.value: labels.STATUS_LABEL[s] for s in Status}


class UsageError(Exception):
    pass


def _month(text: str) -> pd.Period:
    try:
        if len(text) != 7:
            raise ValueError
        return pd.Period(text, freq="M")
    except ValueError:
        raise argparse.ArgumentTypeError(f"月份“{text}”无效，应为 YYYY-MM") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ipmetrics",
        description="罗山县知识产权工作目标监测（罗政〔2021〕28号）——数据导入、示例数据与目标进度",
    )
    parser.add_argument("--db", help="SQLAlchemy 数据库 URL（默认 data/ipmetrics.duckdb，或环境变量 IPMETRICS_DB_URL）")
    parser.add_argument("--indicators", help="目标定义文件（默认 data/indicators.toml）")
    parser.add_argument("--population-basis", choices=list(CHOICES["population_basis"]), help="人口口径")
    parser.add_argument("--trademark-basis", choices=list(CHOICES["trademark_basis"]), help="商标统计口径")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    commands.add_parser("init", help="创建数据库并执行迁移")

    imp = commands.add_parser("import", help="导入一个 CSV 或 Excel 文件（全部成功或全部不写入）")
    imp.add_argument("kind", choices=list(KINDS), help="数据类型")
    imp.add_argument("file", type=Path, help="CSV（UTF-8 或 GBK）或 xlsx 文件")
    imp.add_argument("--dry-run", action="store_true", help="只校验，不写入")
    imp.add_argument("--accept-valid", action="store_true", help="有错误时仍写入有效行（错误行报告后跳过）")
    imp.add_argument("--errors", type=Path, help="把问题清单和被拒绝的行写入此 xlsx 文件")
    imp.add_argument("--user", help="记入导入日志的操作人（默认当前系统用户）")
    imp.add_argument("--through", type=_month,
                     help="数据截至月份 YYYY-MM（默认：明细取文件中最新日期所在月，名录取上一个完整月份）")

    templates = commands.add_parser("templates", help="生成各类数据的 Excel 导入模板")
    templates.add_argument("--out", type=Path, default=TEMPLATE_DIR, help="输出目录（默认 data/templates）")

    commands.add_parser("log", help="打印导入日志")

    backup = commands.add_parser("backup", help="把数据库备份到一个新目录（Parquet 文件）")
    backup.add_argument("dir", type=Path)
    restore = commands.add_parser("restore", help="用备份目录替换数据库内容（原文件保留在旁边）")
    restore.add_argument("dir", type=Path)

    sample = commands.add_parser("sample", help="生成示例数据 CSV（确定性，可重复）")
    sample.add_argument("--out", type=Path, default=SAMPLE_DIR, help="输出目录（默认 data/sample）")
    sample.add_argument("--until", type=_month, help="截止月份 YYYY-MM（默认上一个完整月份）")
    sample.add_argument("--load", action="store_true", help="生成后导入数据库（标记为示例数据）")
    sample.add_argument("--scale", choices=["county", *SCALES], default="county",
                        help="county：罗山县示例 CSV（默认）；province：约150个县、200万件商标；"
                             "nation：约2800个县、4000万件商标（直接写入空数据库）")
    sample.add_argument("--seed", type=int, default=SYNTHETIC_SEED, help="随机种子（同一种子生成同样的数据）")

    load = commands.add_parser("load-sample", help="把示例数据 CSV 导入数据库（标记为示例数据）")
    load.add_argument("--dir", type=Path, default=SAMPLE_DIR, help="示例数据目录（默认 data/sample）")
    load.add_argument("--if-empty", action="store_true", help="数据库已有数据时什么也不做")

    status = commands.add_parser("status", help="打印各项目标在某月的进度")
    status.add_argument("--as-of", type=_month, help="月份 YYYY-MM（默认数据中最新的月份）")
    status.add_argument("--region", help="区划代码（默认目标文件中的县）")
    status.add_argument("--format", choices=["json", "table"], default="table")

    export = commands.add_parser("export", help="导出某月全部图表（PNG/SVG/PDF）、Excel 数据表与 ZIP 压缩包")
    export.add_argument("--as-of", type=_month, help="月份 YYYY-MM（默认数据中最新的月份）")
    export.add_argument("--out", type=Path, required=True, help="输出目录")
    export.add_argument("--format", choices=list(FORMATS), action="append", help="图片格式，可重复（默认 png）")
    export.add_argument("--region", help="区划代码（默认目标文件中的县）")

    snap = commands.add_parser("snapshot", help="冻结某月全部目标的数值、状态与数据指纹（月度快照，不可修改）")
    snap.add_argument("--month", type=_month, required=True, help="月份 YYYY-MM")
    snap.add_argument("--note", help="备注")
    snap.add_argument("--reason", help="修订原因：该月已有快照时必填，生成新的修订版")
    snap.add_argument("--user", help="冻结人（默认当前系统用户）")

    commands.add_parser("snapshots", help="列出全部月度快照")

    cmp = commands.add_parser("compare", help="比较两个快照（默认：最新快照与当前数据）")
    cmp.add_argument("--before", type=int, help="前一个快照编号（默认最新快照）")
    cmp.add_argument("--after", type=int, help="后一个快照编号（默认当前数据的最新月份，不冻结）")
    cmp.add_argument("--region", help="区划代码（默认目标文件中的县）")

    brief = commands.add_parser("briefing", help="由快照生成会议简报（Word、PDF、PPT）")
    brief.add_argument("--snapshot", type=int, help="快照编号（默认最新快照）")
    brief.add_argument("--out", type=Path, required=True, help="输出目录")
    brief.add_argument("--format", choices=list(BRIEFING_FORMATS), action="append",
                       help="格式，可重复（默认 docx、pdf、pptx 全部）")

    monthly = commands.add_parser(
        "monthly", help="月度例行：冻结快照，并把图表、数据表和简报导出到 DIR/YYYY-MM（可用 cron 定时运行）")
    monthly.add_argument("--month", type=_month, help="月份 YYYY-MM（默认上一个完整月份）")
    monthly.add_argument("--out", type=Path, default=Path("reports"), help="输出目录（默认 reports）")
    monthly.add_argument("--note", help="快照备注")
    monthly.add_argument("--reason", help="该月已有快照且数据有更正时的修订原因")
    monthly.add_argument("--user", help="冻结人（默认当前系统用户）")

    user = commands.add_parser("add-user", help="新建或重设编辑账号（密码以加盐 scrypt 哈希写入 secrets 文件）")
    user.add_argument("account", help="用户名（英文字母、数字、. _ -）")
    user.add_argument("--name", help="显示名，如 张三")
    user.add_argument("--secrets", type=Path, default=SECRETS_PATH,
                      help="secrets 文件（默认项目的 .streamlit/secrets.toml，看板从这里读取）")
    user.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码（脚本用），否则交互输入两次")

    audit_log = commands.add_parser("audit", help="打印审计日志：导入、冻结、登录（含失败）")
    audit_log.add_argument("--limit", type=int, default=100)

    check = commands.add_parser("check-goals", help="校验目标定义文件")
    check.add_argument("file", type=Path, nargs="?", help="文件（默认当前使用的目标文件）")
    return parser


def _print_result(result: ImportResult) -> None:
    if result.dry_run:
        verb = "校验通过（未写入）" if result.ok else "校验未通过（未写入）"
    else:
        verb = "已导入" if result.committed else "未写入"
    encoding = f"，编码 {ENCODING_LABEL.get(result.encoding, result.encoding)}" if result.encoding else ""
    print(f"{result.file_name}［{KINDS[result.kind].title}，{result.format}{encoding}］{verb}："
          f"读取 {result.rows_read} 行，写入 {result.rows_loaded} 行，拒绝 {result.rows_rejected} 行")
    for error in result.errors[:200]:
        print(f"  {error}", file=sys.stderr)
    if len(result.errors) > 200:
        print(f"  ……另有 {len(result.errors) - 200} 处错误（用 --errors 写出全部）", file=sys.stderr)


def _write_errors(path: Path | None, results: list[ImportResult]) -> None:
    if path is not None and any(r.errors for r in results):
        path.write_bytes(error_workbook(results))
        print(f"问题清单与被拒绝的行已写入 {path}", file=sys.stderr)


def _status_table(records: list[dict], registry) -> str:
    rows = []
    for r in records:
        goal = registry.goal(r["id"])
        fmt = goal.format_value
        rows.append({
            "指标": goal.label, "id": r["id"], "当前值": fmt(r["value"]),
            "目标": "—" if r["target"] is None else goal.target_text(),
            "完成率": "—" if r["completion"] is None else f"{r['completion']:.1%}",
            "序时进度值": fmt(r["expected"]), "预计2030年": fmt(r["projection"]),
            "状态": STATUS_ZH[r["status"]],
        })
    return pd.DataFrame(rows).to_string(index=False)


def _ask_password() -> str:
    import getpass

    first = getpass.getpass("密码（至少 10 位）：")
    if getpass.getpass("再输入一次：") != first:
        raise AuthError("两次输入的密码不一致。")
    return first


def run(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    store = None
    try:
        settings = Settings.from_env(db_url=args.db, indicators_path=args.indicators,
                                     population_basis=args.population_basis,
                                     trademark_basis=args.trademark_basis)
        if args.command == "add-user":
            password = sys.stdin.readline().rstrip("\n") if args.password_stdin else _ask_password()
            add_account(args.secrets, args.account, password, args.name)
            print(f"已写入编辑账号 {args.account} 到 {args.secrets}（仅保存加盐哈希）。看板重新加载 secrets 后生效。")
            return 0
        if args.command == "check-goals":
            registry = load_registry(args.file or settings.indicators_path)
            print(f"{args.file or settings.indicators_path}：{len(registry.goals)} 项目标，校验通过")
            return 0
        registry = load_registry(settings.indicators_path)
        store = Store(settings.db_url)
        ids = set(registry.ids())

        if args.command == "init":
            print(f"数据库已就绪：{settings.db_url}（数据版本 {store.data_version()}）")
        elif args.command == "import":
            if not args.file.is_file():
                raise UsageError(f"找不到文件：{args.file}")
            try:
                result = import_file(store, args.kind, args.file, indicator_ids=ids, dry_run=args.dry_run,
                                     accept_valid=args.accept_valid, user=args.user,
                                     max_bytes=settings.max_import_mb * 1024 * 1024, through=args.through)
            except ImportRejected as rejected:
                _write_errors(args.errors, rejected.results)
                raise
            _print_result(result)
            _write_errors(args.errors, [result])
            if args.dry_run and not result.ok:
                return 1
        elif args.command == "templates":
            for path in write_templates(args.out):
                print(path)
        elif args.command == "audit":
            log = store.frame("audit_log", limit=args.limit)
            print("（审计日志为空）" if log.empty else log.to_string(index=False))
        elif args.command == "log":
            log = store.frame("import_log")
            print("（还没有导入记录）" if log.empty else log.to_string(index=False))
        elif args.command == "backup":
            manifest = store.backup(args.dir)
            print(f"已备份到 {args.dir}（数据版本 {manifest['data_version']}）")
        elif args.command == "restore":
            kept = store.restore(args.dir)
            print(f"已从 {args.dir} 恢复；恢复前的数据库保留为 {kept}")
        elif args.command == "sample" and args.scale != "county":
            if catalog.has_records(store):
                raise UsageError("省级、全国规模的示例数据只能写入空数据库，请用 --db 指定一个新文件")
            made = generate(store, args.scale, seed=args.seed, progress=lambda what: print(what, flush=True))
            print(f"已生成{SCALE_LABELS[args.scale]}规模示例数据（截至 {made.through}）：{made.regions:,} 个地区、{made.counties:,} 个县级单位，"
                  + "，".join(f"{KINDS[k].title} {n:,} 行" for k, n in made.rows.items()) + f"；用时 {made.seconds:.0f} 秒")
        elif args.command == "sample":
            until = args.until or last_complete_month()
            paths = write_sample(args.out, until)
            print(f"示例数据已写入 {args.out}（截至 {until}）：" + "，".join(
                f"{kind} {sum(1 for _ in open(p, encoding='utf-8')) - 1} 行" for kind, p in paths.items()))
            if args.load:
                for result in import_files(store, paths.items(), indicator_ids=ids, mark_sample=True):
                    _print_result(result)
        elif args.command == "load-sample":
            if args.if_empty and catalog.has_records(store):
                print("数据库中已有数据，未导入示例数据。")
                return 0
            paths = [(kind, args.dir / f"{kind}.csv") for kind in KINDS if (args.dir / f"{kind}.csv").is_file()]
            if not paths:
                raise UsageError(f"{args.dir} 中没有示例数据 CSV，请先运行 ipmetrics sample")
            for result in import_files(store, paths, indicator_ids=ids, mark_sample=True):
                _print_result(result)
        elif args.command == "export":
            as_of = args.as_of or catalog.latest_month(store)
            if as_of is None:
                raise UsageError("数据库中还没有数据，请先导入数据或运行 ipmetrics load-sample")
            region = args.region or registry.region
            names = catalog.region_names(store)
            if region not in names:
                raise UsageError(f"区划代码 {region} 不在数据库中")
            month = build_month(store, registry, settings, region, names[region], as_of, store.is_sample())
            result = export_month(month, args.out, tuple(dict.fromkeys(args.format or ["png"])))
            print(f"已导出 {len(result.files)} 个文件到 {args.out}（用时 {result.seconds:.1f} 秒），"
                  f"压缩包 {result.zip_path.name}")
            for line in result.skipped:
                print(f"  未导出（无数据）：{line}")
        elif args.command == "snapshot":
            info = snapshots.freeze(store, registry, settings, args.month, user=args.user, note=args.note,
                                    reason=args.reason)
            print(f"已冻结 {info.label}（编号 {info.id}，{info.frozen_text}）")
            print(f"数据指纹 SHA-256：{info.data_sha256}")
        elif args.command == "snapshots":
            listed = snapshots.list_snapshots(store)
            if not listed:
                print("（还没有快照）")
            for info in listed:
                extra = "".join(f"  {k}：{v}" for k, v in (("备注", info.note), ("修订原因", info.reason)) if v)
                print(f"#{info.id}  {info.label}  {info.frozen_text}  {info.data_sha256[:12]}{extra}")
        elif args.command == "compare":
            region = args.region or registry.region
            before = snapshots.get(store, args.before) if args.before else snapshots.latest(store)
            if before is None:
                raise UsageError("还没有快照可比较，请先运行 ipmetrics snapshot")
            if args.after:
                after_info = snapshots.get(store, args.after)
                after, after_label = snapshots.records(store, after_info.id, region), after_info.label
            else:
                month = catalog.latest_month(store)
                if month is None:
                    raise UsageError("数据库中还没有数据，请先导入数据或运行 ipmetrics load-sample")
                after = live_records(store, registry, settings, month, region)
                after_label = f"{periods.month_label(month)}当前数据（未冻结）"
            table = comparison_table(compare(snapshots.records(store, before.id, region), after, registry), registry)
            print(f"{before.label} → {after_label}")
            print(table.to_string(index=False))
        elif args.command == "briefing":
            info = snapshots.get(store, args.snapshot) if args.snapshot else snapshots.latest(store)
            if info is None:
                raise UsageError("还没有快照，请先运行 ipmetrics snapshot")
            for path in write_briefing(store, registry, info.id, args.out,
                                       tuple(dict.fromkeys(args.format or BRIEFING_FORMATS))):
                print(path)
        elif args.command == "monthly":
            result = run_monthly(store, registry, settings, args.month or last_complete_month(), args.out,
                                 user=args.user, note=args.note, reason=args.reason)
            print(result.summary())
        elif args.command == "status":
            as_of = args.as_of or catalog.latest_month(store)
            if as_of is None:
                raise UsageError("数据库中还没有数据，请先导入数据或运行 ipmetrics load-sample")
            region = args.region or registry.region
            if region not in catalog.region_names(store):
                raise UsageError(f"区划代码 {region} 不在数据库中")
            records = status_records(scorecard(store, registry, settings, region, as_of))
            if args.format == "json":
                print(json.dumps(records, ensure_ascii=False, indent=2))
            else:
                name = catalog.region_names(store)[region]
                print(f"{name}（{region}）截至 {periods.month_label(as_of)}底"
                      + ("  ［示例数据］" if store.is_sample() else ""))
                print(_status_table(records, registry))
        return 0
    except ImportRejected as rejected:
        for result in rejected.results:
            _print_result(result)
        print("导入被拒绝，数据库未作任何改动。", file=sys.stderr)
        return 1
    except (RegistryError, StoreError, ReadError, ExportUnavailable, snapshots.SnapshotError) as exc:
        print(exc, file=sys.stderr)
        return 1
    except (UsageError, SettingsError, AuthError) as exc:
        print(exc, file=sys.stderr)
        return 2
    finally:
        if store is not None:  # the DuckDB file is free the moment a command is done
            store.dispose()


def main() -> None:
    sys.exit(run())


if __name__ == "__main__":
    main()
