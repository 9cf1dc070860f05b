"""Commands that report on the data: status, export, confirm, snapshot, snapshots, compare, briefing, monthly."""

from __future__ import annotations

import argparse
import getpass
import json
import math
from pathlib import Path

import pandas as pd

from ipmetrics.cli.common import DONE, Commands, UsageError, Workspace, add_command, month_argument
from ipmetrics.core import catalog, labels, outlook, periods
from ipmetrics.core.goals import Registry
from ipmetrics.core.scorecard import scorecard, status_records
from ipmetrics.demo.sample import last_complete_month
from ipmetrics.export.formats import BRIEFING_FORMATS, IMAGE_FORMATS
from ipmetrics.io.schemas import KINDS
from ipmetrics.meeting import readiness, snapshots
from ipmetrics.meeting.compare import compare, comparison_table, live_records
from ipmetrics.meeting.readiness import UNREPORTED_HEADING

# The charts, the renderer and the briefing writers (plotly, kaleido, python-docx …) are imported by the commands
# that use them: `ipmetrics import` starts a good third of a second sooner without them.

NO_DATA = "数据库中还没有数据，请先导入数据或运行 ipmetrics load-sample"
REGION_HELP = "区划代码（默认目标文件中的县）"


def add_report_commands(commands: Commands) -> None:
    """In the order `ipmetrics --help` lists them."""
    status = add_command(commands, "status", run_status, help="打印各项目标在某月的进度")
    status.add_argument("--as-of", type=month_argument, help="月份 YYYY-MM（默认数据中最新的月份）")
    status.add_argument("--region", help=REGION_HELP)
    status.add_argument("--format", choices=["json", "table"], default="table")
    export = add_command(commands, "export", run_export,
                         help="导出某月全部图表（PNG/SVG/PDF）、Excel 数据表与 ZIP 压缩包")
    export.add_argument("--as-of", type=month_argument, help="月份 YYYY-MM（默认数据中最新的月份）")
    export.add_argument("--out", type=Path, required=True, help="输出目录")
    export.add_argument("--format", choices=list(IMAGE_FORMATS), action="append", help="图片格式，可重复（默认 png）")
    export.add_argument("--region", help=REGION_HELP)
    _add_snapshot_commands(commands)
    brief = add_command(commands, "briefing", run_briefing, help="由快照生成会议简报（Word、PDF、PPT）")
    brief.add_argument("--snapshot", type=int, help="快照编号（默认最新快照）")
    brief.add_argument("--out", type=Path, required=True, help="输出目录")
    brief.add_argument("--format", choices=list(BRIEFING_FORMATS), action="append",
                       help="格式，可重复（默认 docx、pdf、pptx 全部）")
    monthly = add_command(commands, "monthly", run_monthly_routine,
                          help="月度例行：冻结快照，并把图表、数据表和简报导出到 DIR/YYYY-MM（可用 cron 定时运行）")
    monthly.add_argument("--month", type=month_argument, help="月份 YYYY-MM（默认上一个完整月份）")
    monthly.add_argument("--out", type=Path, default=Path("reports"), help="输出目录（默认 reports）")
    monthly.add_argument("--note", help="快照备注")
    monthly.add_argument("--reason", help="该月已有快照且数据有更正时的修订原因")
    monthly.add_argument("--user", help="自称的冻结人：记在当前系统用户旁，如“zhangsan（自称 张三）”")


def _add_snapshot_commands(commands: Commands) -> None:
    confirm = add_command(commands, "confirm", run_confirm,
                          help="确认某类数据某月无新增记录（记入导入日志，视同已导入至该月，无需上传空文件）")
    confirm.add_argument("kind", choices=[k for k in KINDS if k != "regions"], help="数据类型，如 pledges")
    confirm.add_argument("--month", type=month_argument, required=True, help="月份 YYYY-MM")
    confirm.add_argument("--user", help="自称的确认人：记在当前系统用户旁")
    snap = add_command(commands, "snapshot", run_snapshot,
                       help="冻结某月全部目标的数值、状态与数据指纹（月度快照，不可修改）")
    snap.add_argument("--month", type=month_argument, required=True, help="月份 YYYY-MM")
    snap.add_argument("--note", help="备注")
    snap.add_argument("--reason", help="修订原因：该月已有快照时必填，生成新的修订版")
    snap.add_argument("--user", help="自称的冻结人：记在当前系统用户旁，如“zhangsan（自称 张三）”")
    add_command(commands, "snapshots", run_snapshots, help="列出全部月度快照")
    cmp = add_command(commands, "compare", run_compare, help="比较两个快照（默认：最新快照与当前数据）")
    cmp.add_argument("--before", type=int, help="前一个快照编号（默认最新快照）")
    cmp.add_argument("--after", type=int, help="后一个快照编号（默认当前数据的最新月份，不冻结）")
    cmp.add_argument("--region", help=REGION_HELP)


def _month_with_data(ws: Workspace, asked: pd.Period | None) -> pd.Period:
    """The month asked for, else the newest month of the data; wrong usage while the store is empty."""
    month = asked or catalog.latest_month(ws.store)
    if month is None:
        raise UsageError(NO_DATA)
    return month


def _region_in_store(ws: Workspace, asked: str | None) -> tuple[str, str]:
    """The region asked for (default: the goal file's county) and its name; wrong usage if the store lacks it."""
    region = asked or ws.registry.region
    names = catalog.region_names(ws.store)
    if region not in names:
        raise UsageError(f"区划代码 {region} 不在数据库中")
    return region, names[region]


def run_status(args: argparse.Namespace, ws: Workspace) -> int:
    as_of = _month_with_data(ws, args.as_of)
    region, name = _region_in_store(ws, args.region)
    records = status_records(scorecard(ws.store, ws.registry, ws.settings, region, as_of))
    if args.format == "json":
        print(strict_json(records))
        return DONE
    # The space after 截至 is how this header has always printed; periods.month_end_label has none.
    print(f"{name}（{region}）截至 {periods.month_label(as_of)}底" + ("  ［示例数据］" if ws.store.is_sample() else ""))
    print(_status_table(records, ws.registry))
    return DONE


def _finite(value):
    """The value with every number that is not finite (NaN, ±inf) as None, through lists and dicts."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(item) for item in value]
    return value


def strict_json(records) -> str:
    """Strict JSON (RFC 8259: no NaN or Infinity, which other parsers refuse): a value that is not finite is null."""
    return json.dumps(_finite(records), ensure_ascii=False, indent=2, allow_nan=False)


def _status_table(records: list[dict], registry: Registry) -> str:
    """The status as a table; a 期间 column says which quarter or year a value is of, when a goal is not
    counted by month."""
    due = registry.target_year_text()
    with_periods = any(r["frequency"] != "month" for r in records)
    rows = []
    for r in records:
        goal = registry.goal(r["id"])
        fmt = goal.format_value
        row = {"指标": goal.label, "id": r["id"]}
        if with_periods:
            row["期间"] = r["period_label"]
        row |= {
            "当前值": fmt(r["value"]),
            "目标": goal.target_text() if r["target"] is not None or goal.monitoring else "—",
            "完成率": "—" if r["completion"] is None else f"{r['completion']:.1%}",
            "序时进度值": fmt(r["expected"]), f"预计{due}": fmt(r["projection"]),
            "状态": labels.status_label(r["status"], goal),
            "达成可能性": "—" if r["likelihood"] is None or r["status"] == "achieved"
            else outlook.likelihood_share(r["likelihood"]),
        }
        rows.append(row)
    return pd.DataFrame(rows).to_string(index=False)


def run_export(args: argparse.Namespace, ws: Workspace) -> int:
    from ipmetrics.charts.month import build_month
    from ipmetrics.export.batch import export_month

    as_of = _month_with_data(ws, args.as_of)
    region, name = _region_in_store(ws, args.region)
    formats = tuple(dict.fromkeys(args.format or ["png"]))  # repeated formats once, in the order given
    month = build_month(ws.store, ws.registry, ws.settings, region, name, as_of, ws.store.is_sample())
    result = export_month(month, args.out, formats)
    print(f"已导出 {len(result.files)} 个文件到 {args.out}（用时 {result.seconds:.1f} 秒），"
          f"压缩包 {result.zip_path.name}")
    for line in result.skipped:
        print(f"  未导出（无数据）：{line}")
    return DONE


def run_confirm(args: argparse.Namespace, ws: Workspace) -> int:
    user = args.user or getpass.getuser()
    try:
        month = readiness.confirm_no_new_data(ws.store, args.kind, args.month, user=user)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    print(f"已确认：{KINDS[args.kind].title}截至{periods.month_label(month)}无新增记录（已记入导入日志）")
    return DONE


def run_snapshot(args: argparse.Namespace, ws: Workspace) -> int:
    info = snapshots.freeze(ws.store, ws.registry, ws.settings, args.month, user=args.user, note=args.note,
                            reason=args.reason)
    print(f"已冻结 {info.label}（编号 {info.id}，{info.frozen_text}）")
    print(f"数据指纹 SHA-256：{info.data_sha256}")
    _print_unreported(snapshots.unreported(ws.store, ws.registry, info.id))
    return DONE


def _print_unreported(lines: list[str]) -> None:
    if lines:
        print(f"提示：{UNREPORTED_HEADING}")
        for line in lines:
            print(f"  · {line}")


def run_snapshots(args: argparse.Namespace, ws: Workspace) -> int:
    listed = snapshots.list_snapshots(ws.store)
    if not listed:
        print("（还没有快照）")
    for info in listed:
        extra = "".join(f"  {k}：{v}" for k, v in (("备注", info.note), ("修订原因", info.reason)) if v)
        print(f"#{info.id}  {info.label}  {info.frozen_text}  {info.data_sha256[:12]}{extra}")
    return DONE


def run_compare(args: argparse.Namespace, ws: Workspace) -> int:
    region = args.region or ws.registry.region
    before = snapshots.get(ws.store, args.before) if args.before else snapshots.latest(ws.store)
    if before is None:
        raise UsageError("还没有快照可比较，请先运行 ipmetrics snapshot")
    after, after_label = _compared_with(args.after, ws, region)
    table = comparison_table(compare(snapshots.records(ws.store, before.id, region), after, ws.registry), ws.registry)
    print(f"{before.label} → {after_label}")
    print(table.to_string(index=False))
    return DONE


def _compared_with(after_id: int | None, ws: Workspace, region: str) -> tuple[pd.DataFrame, str]:
    """The later side of a comparison and its label: snapshot `after_id`, else today's data of the newest month."""
    if after_id:
        info = snapshots.get(ws.store, after_id)
        return snapshots.records(ws.store, info.id, region), info.label
    month = catalog.latest_month(ws.store)
    if month is None:
        raise UsageError(NO_DATA)
    live = live_records(ws.store, ws.registry, ws.settings, month, region)
    return live, f"{periods.month_label(month)}当前数据（未冻结）"


def run_briefing(args: argparse.Namespace, ws: Workspace) -> int:
    from ipmetrics.monthly import write_briefing

    info = snapshots.get(ws.store, args.snapshot) if args.snapshot else snapshots.latest(ws.store)
    if info is None:
        raise UsageError("还没有快照，请先运行 ipmetrics snapshot")
    formats = tuple(dict.fromkeys(args.format or BRIEFING_FORMATS))
    for path in write_briefing(ws.store, ws.registry, info.id, args.out, formats):
        print(path)
    return DONE


def run_monthly_routine(args: argparse.Namespace, ws: Workspace) -> int:
    from ipmetrics.monthly import run_monthly

    result = run_monthly(ws.store, ws.registry, ws.settings, args.month or last_complete_month(), args.out,
                         user=args.user, note=args.note, reason=args.reason)
    print(result.summary())
    return DONE
