"""Commands that look after the installation: add-user, audit, check-goals."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections import Counter
from pathlib import Path

from ipmetrics.auth import AuthError, add_account
from ipmetrics.cli.common import DONE, Commands, Workspace, add_command
from ipmetrics.core import periods
from ipmetrics.core.goals import Registry, load_registry
from ipmetrics.core.labels import MONITORING_LABEL
from ipmetrics.core.settings import SECRETS_PATH, Settings


def add_admin_commands(commands: Commands) -> None:
    """In the order `ipmetrics --help` lists them."""
    user = add_command(commands, "add-user", run_add_user, opens_store=False,
                       help="新建或重设编辑账号（密码以加盐 scrypt 哈希写入 secrets 文件）")
    user.add_argument("account", help="用户名（英文字母、数字、. _ -）")
    user.add_argument("--name", help="显示名，如 张三")
    user.add_argument("--secrets", type=Path, default=SECRETS_PATH,
                      help="secrets 文件（默认项目的 .streamlit/secrets.toml，看板从这里读取）")
    user.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码（脚本用），否则交互输入两次")
    audit_log = add_command(commands, "audit", run_audit, help="打印审计日志：导入、冻结、登录（含失败）")
    audit_log.add_argument("--limit", type=int, default=100)
    check = add_command(commands, "check-goals", run_check_goals, opens_store=False, help="校验目标定义文件")
    check.add_argument("file", type=Path, nargs="?", help="文件（默认当前使用的目标文件）")


def run_add_user(args: argparse.Namespace, settings: Settings) -> int:
    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else _ask_password()
    add_account(args.secrets, args.account, password, args.name)
    print(f"已写入编辑账号 {args.account} 到 {args.secrets}（仅保存加盐哈希）。看板重新加载 secrets 后生效。")
    return DONE


def _ask_password() -> str:
    first = getpass.getpass("密码（至少 10 位）：")
    if getpass.getpass("再输入一次：") != first:
        raise AuthError("两次输入的密码不一致。")
    return first


def run_audit(args: argparse.Namespace, ws: Workspace) -> int:
    log = ws.store.frame("audit_log", limit=args.limit)
    print("（审计日志为空）" if log.empty else log.to_string(index=False))
    return DONE


def run_check_goals(args: argparse.Namespace, settings: Settings) -> int:
    path = args.file or settings.indicators_path
    registry = load_registry(path)
    print(f"{path}：{len(registry.goals)} 项目标{_kinds(registry)}，校验通过")
    return DONE


def _kinds(registry: Registry) -> str:
    """（季度 4 项、年度 8 项；监测指标 3 项）for a file not all monthly and targeted; '' for one that is."""
    counts = Counter(goal.frequency for goal in registry.goals)
    parts = [f"{periods.FREQUENCY_LABEL[f]} {counts[f]} 项" for f in periods.FREQUENCIES if counts[f]]
    by_frequency = "、".join(parts) if set(counts) != {"month"} else ""
    monitoring = len(registry.goals) - len(registry.targeted)
    notes = [note for note in (by_frequency, f"{MONITORING_LABEL} {monitoring} 项" if monitoring else "") if note]
    return f"（{'；'.join(notes)}）" if notes else ""
