"""Who may change data: editor accounts, their passwords, the lockout after failed logins, the audit log.

Viewers need no account. Editors sign in either through the organisation's OpenID Connect provider
(Streamlit's st.login, configured under [auth] in the secrets file, with the allowed e-mail addresses
listed in [ipmetrics] editors) or, where there is none, with an account of this module:

    [ipmetrics.accounts.zhangsan]
    name = "张三"
    password_hash = "scrypt$16384$8$1$<salt>$<hash>"

written by `ipmetrics add-user`. Only salted scrypt hashes are stored (hashlib's scrypt is OpenSSL's,
memory-hard, and needs no extra dependency); a password never is.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import secrets as random_source
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Mapping

import pandas as pd
import tomlkit

from ipmetrics.core.store import Store

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
MAX_FAILURES = 5                     # failed logins in a row before the account is locked …
LOCKOUT = timedelta(minutes=15)      # … for this long after the last of them
# One client (address) failing across any accounts: more than this many failed attempts within CLIENT_WINDOW
# and it is refused, unchecked, until the oldest of them is CLIENT_WINDOW old. Behind a reverse proxy every
# client has the proxy's address unless it passes the real one on (README, security section).
CLIENT_MAX_FAILURES = 20
CLIENT_WINDOW = timedelta(minutes=15)
USERNAME = re.compile(r"^[A-Za-z0-9_.-]{2,32}$")
MAX_USERNAME = 64   # characters a login name may have; a longer one is refused before anything is hashed
AUDITED_TEXT = 64   # characters of a typed name or client address the audit log keeps
MIN_PASSWORD = 10
# The hash of a password no one knows: an unknown account is checked against it, so that a login costs one
# scrypt whether or not the account exists and the time taken does not tell which names are accounts.
DUMMY_HASH = "scrypt$16384$8$1$VAisEHVwGaIqW90BlmfEVg==$xq36SL4tfz/oJSr6MWP75dKiINPf5fgNSeZ3/nBF1yQ="


class AuthError(ValueError):
    """An account cannot be created or used; the message says why, in Chinese."""


@dataclass(frozen=True)
class Editor:
    account: str   # the login name or e-mail: what the audit log records
    name: str      # shown in the app
    method: str    # "password" or "oidc"

    @property
    def label(self) -> str:
        return self.name if self.name == self.account else f"{self.name}（{self.account}）"


# --- passwords ---------------------------------------------------------------------------------------
def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str) -> str:
    salt = random_source.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p),
                                dklen=len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


# --- accounts in the secrets file ------------------------------------------------------------------
def accounts(section: Mapping[str, Any] | None) -> dict[str, dict]:
    """The password accounts of the [ipmetrics] section of the secrets (st.secrets or a parsed file)."""
    listed = (section or {}).get("accounts", {}) or {}
    return {str(name): dict(values) for name, values in listed.items()}


def oidc_editors(section: Mapping[str, Any] | None) -> set[str]:
    return {str(e).strip().lower() for e in (section or {}).get("editors", []) or []}


def add_account(path: Path | str, username: str, password: str, name: str | None = None) -> None:
    """Create or replace an account in the secrets file, keeping everything else in it as it was."""
    if not USERNAME.match(username):
        raise AuthError("用户名只能用 2–32 个英文字母、数字、点、下划线或连字符。")
    if len(password) < MIN_PASSWORD:
        raise AuthError(f"密码至少 {MIN_PASSWORD} 位。")
    path = Path(path)
    document = tomlkit.parse(path.read_text(encoding="utf-8")) if path.exists() else tomlkit.document()
    section = document.setdefault("ipmetrics", tomlkit.table())
    listed = section.setdefault("accounts", tomlkit.table())
    entry = tomlkit.table()
    entry.add("name", name or username)
    entry.add("password_hash", hash_password(password))
    listed[username] = entry
    path.parent.mkdir(parents=True, exist_ok=True)
    _write_private(path, tomlkit.dumps(document))


def _write_private(path: Path, text: str) -> None:
    """Replace `path` with `text`, readable by its owner only and never half-written.

    Through a fresh temporary file in the same directory: mkstemp creates it with O_CREAT | O_EXCL and mode
    0600, so a file or symlink someone left at a predictable name (secrets.toml.tmp) is neither followed
    nor reused, and os.replace puts it in place in one step."""
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# --- logging in ---------------------------------------------------------------------------------------
def audit(store: Store, actor: str, action: str, detail: str | None = None, client: str | None = None,
          at: datetime | None = None) -> None:
    with store.transaction() as tx:
        tx.execute("audit", at=at or datetime.now(), actor=actor, action=action, detail=detail, client=client)


def bounded(text: str, limit: int = AUDITED_TEXT) -> str:
    """`text` as the audit log keeps it: at most `limit` characters and an ellipsis."""
    return text if len(text) <= limit else text[:limit] + "…"


def locked_until(store: Store, account: str, now: datetime) -> datetime | None:
    """When a locked account may try again: MAX_FAILURES failures in a row, within LOCKOUT of each
    other, lock it until LOCKOUT after the last of them. Attempts while locked do not extend it."""
    attempts = store.frame("login_attempts", actor=account, since=now - 2 * LOCKOUT)
    failures = []
    for _, row in attempts.iterrows():
        if row["action"] == "login":
            break
        failures.append(pd.Timestamp(row["happened_at"]).to_pydatetime())
    if len(failures) < MAX_FAILURES or failures[MAX_FAILURES - 1] < failures[0] - LOCKOUT:
        return None
    until = failures[0] + LOCKOUT
    return until if now < until else None


def _client_block(store: Store, client: str, now: datetime) -> tuple[datetime | None, bool]:
    """Until when `client` is refused (None: it is not), and whether that refusal is logged already.

    Failed and locked-account attempts count; the one row a refusal writes does not, so it never
    lengthens the refusal."""
    attempts = store.frame("client_login_failures", client=client, since=now - CLIENT_WINDOW,
                           limit=2 * CLIENT_MAX_FAILURES + 2)
    rows = [(pd.Timestamp(at).to_pydatetime(), action) for at, action in zip(attempts["happened_at"], attempts["action"])]
    failures = [at for at, action in rows if action != "login_throttled"]  # newest first
    if len(failures) < CLIENT_MAX_FAILURES:
        return None, False
    # Refused until the CLIENT_MAX_FAILURES-th newest failure is CLIENT_WINDOW old.
    oldest_counted = failures[CLIENT_MAX_FAILURES - 1]
    until = oldest_counted + CLIENT_WINDOW
    if until <= now:
        return None, False
    return until, any(action == "login_throttled" and at >= oldest_counted for at, action in rows)


def client_blocked_until(store: Store, client: str, now: datetime) -> datetime | None:
    """When a client with too many failed attempts (any accounts, CLIENT_WINDOW) may try again."""
    return _client_block(store, client, now)[0]


def _minutes_left(until: datetime, now: datetime) -> int:
    return max(1, int((until - now).total_seconds() // 60) + 1)


@dataclass(frozen=True)
class LoginResult:
    editor: Editor | None
    message: str


def log_in(store: Store, accounts_by_name: Mapping[str, dict], account: str, password: str,
           client: str | None = None, now: datetime | None = None) -> LoginResult:
    """Check a password login; every attempt is logged, and a locked account or a client with too many
    failures is refused unchecked. The audit log keeps at most AUDITED_TEXT characters of what was typed,
    and one row for all the attempts a refused client makes while it is refused.

    The message never says whether the account exists, and neither does the time taken: an unknown
    account is checked against DUMMY_HASH, one scrypt like a known one."""
    now = now or datetime.now()
    account = account.strip()
    client = bounded(client) if client else client
    if client:
        until, logged = _client_block(store, client, now)
        if until is not None:
            if not logged:
                audit(store, bounded(account) or "（空）", "login_throttled", None, client, now)
            return LoginResult(None, f"来自此地址的登录失败次数过多，请 {_minutes_left(until, now)} 分钟后再试。")
    if len(account) > MAX_USERNAME:
        audit(store, bounded(account), "login_failed", f"用户名过长（{len(account)} 个字符）", client, now)
        return LoginResult(None, f"用户名过长：最多 {MAX_USERNAME} 个字符。")
    until = locked_until(store, account, now)
    if until is not None:
        audit(store, account, "login_locked", None, client, now)
        return LoginResult(None, f"连续登录失败次数过多，请 {_minutes_left(until, now)} 分钟后再试。")
    entry = accounts_by_name.get(account)
    stored = str(entry.get("password_hash", "")) if entry is not None else DUMMY_HASH
    matches = verify_password(password, stored)  # before looking at `entry`: both paths pay the scrypt
    if entry is None or not matches:
        audit(store, account or "（空）", "login_failed", None, client, now)
        return LoginResult(None, "用户名或密码不正确。")
    audit(store, account, "login", "password", client, now)
    return LoginResult(Editor(account, str(entry.get("name") or account), "password"), "")
