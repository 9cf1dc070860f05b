"""Issue 18, items 7 and 8: logins that do not tell which accounts exist and cannot flood the audit log, the
system user behind every CLI action, a secrets file written privately, and backups whose files are
verified before a restore, which is audited and keeps the audit log."""

from __future__ import annotations

import hashlib
import io
import json
import os
import stat
from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest

from ipmetrics import auth
from ipmetrics.cli.common import actor, system_user
from ipmetrics.core.backups import CHECKSUMS
from ipmetrics.core.store import BACKUP_MANIFEST, StoreError
from ipmetrics.io.importer import import_file

from .conftest import SMALL, duckdb_only
from .test_cli import call
from .test_importer import contents, without_version

PASSWORD = "correct-horse-battery"
START = datetime(2026, 1, 5, 9, 0)


@pytest.fixture
def accounts():
    return {"zhangsan": {"name": "张三", "password_hash": auth.hash_password(PASSWORD)}}


@pytest.fixture
def scrypt_calls(monkeypatch):
    """Every scrypt a login runs, with its cost parameters."""
    calls, real = [], hashlib.scrypt

    def counted(password, **kwargs):
        calls.append({k: kwargs[k] for k in ("n", "r", "p", "dklen")})
        return real(password, **kwargs)

    monkeypatch.setattr(auth.hashlib, "scrypt", counted)
    return calls


def audit_log(store):
    return store.frame("audit_log", limit=10_000).iloc[::-1].reset_index(drop=True)  # oldest first


# --- 1. an unknown account costs the same scrypt as a known one -------------------------------------
def test_an_unknown_account_runs_the_same_scrypt_as_a_wrong_password(empty_store, accounts, scrypt_calls):
    wrong = auth.log_in(empty_store, accounts, "zhangsan", "guess", client="10.0.0.8")
    known = list(scrypt_calls)
    scrypt_calls.clear()
    unknown = auth.log_in(empty_store, accounts, "nobody", "guess", client="10.0.0.8")
    # One scrypt each, with the same N, r, p and length: the dummy hash costs what a real one does.
    assert len(known) == len(scrypt_calls) == 1 and known == scrypt_calls
    assert known[0] == {"n": auth.SCRYPT_N, "r": auth.SCRYPT_R, "p": auth.SCRYPT_P, "dklen": 32}
    assert wrong.message == unknown.message == "用户名或密码不正确。"
    # The dummy hash is a well-formed hash that no password typed here matches.
    assert not auth.verify_password("", auth.DUMMY_HASH) and not auth.verify_password("guess", auth.DUMMY_HASH)


def test_the_dummy_hash_never_lets_anyone_in(empty_store, accounts):
    # An account name that is not in the secrets file, whatever the password: never an editor.
    for password in ("", "guess", PASSWORD):
        assert auth.log_in(empty_store, accounts, "nobody", password).editor is None


# --- 2. usernames have a length limit ---------------------------------------------------------------
def test_an_over_long_name_is_refused_before_hashing_and_audited_truncated(empty_store, accounts, scrypt_calls):
    huge = "a" * 1024 * 1024  # the red team's 1 MB names
    result = auth.log_in(empty_store, accounts, huge, "guess", client="10.0.0.8")
    assert result.editor is None and result.message == "用户名过长：最多 64 个字符。"
    assert scrypt_calls == []
    (row,) = audit_log(empty_store).to_dict("records")
    assert row["action"] == "login_failed" and row["actor"] == "a" * 64 + "…"  # 65 characters, not a megabyte
    assert row["detail"] == "用户名过长（1048576 个字符）"
    # 64 characters is still a name: checked (one scrypt) and refused like any unknown account.
    assert auth.log_in(empty_store, accounts, "b" * 64, "guess").message == "用户名或密码不正确。"
    assert len(scrypt_calls) == 1


# --- 3. a client failing across accounts is refused for a while ---------------------------------------
def test_a_client_with_twenty_failures_across_accounts_is_refused(empty_store, accounts, scrypt_calls):
    # 20 different unknown names from one address, one every 30 s: 09:00:00 … 09:09:30.
    for attempt in range(auth.CLIENT_MAX_FAILURES):
        result = auth.log_in(empty_store, accounts, f"user{attempt}", "guess", client="10.0.0.9",
                             now=START + timedelta(seconds=30 * attempt))
        assert result.message == "用户名或密码不正确。"
    # 09:10: even the right password of another account is refused, unchecked. The block lasts until the
    # oldest counted failure (09:00) is 15 minutes old, 09:15: 5 minutes left, shown as int(300 // 60) + 1 = 6.
    scrypt_calls.clear()
    refused = auth.log_in(empty_store, accounts, "zhangsan", PASSWORD, client="10.0.0.9", now=START + timedelta(minutes=10))
    assert refused.editor is None and refused.message == "来自此地址的登录失败次数过多，请 6 分钟后再试。"
    assert scrypt_calls == []
    assert auth.client_blocked_until(empty_store, "10.0.0.9", START + timedelta(minutes=10)) == START + timedelta(minutes=15)
    # Another address is not affected, nor is the account (it had no failure of its own).
    assert auth.log_in(empty_store, accounts, "zhangsan", PASSWORD, client="10.0.0.10",
                       now=START + timedelta(minutes=10, seconds=1)).editor
    # Hammering while refused adds one audit row in all, not one per attempt.
    for second in range(100):
        auth.log_in(empty_store, accounts, "x" * 10_000, "guess", client="10.0.0.9",
                    now=START + timedelta(minutes=11, seconds=second))
    rows = audit_log(empty_store)
    from_client = rows[rows["client"] == "10.0.0.9"]
    assert list(from_client["action"]) == ["login_failed"] * 20 + ["login_throttled"]
    assert from_client["actor"].str.len().max() <= 65
    # 09:15:01: the 09:00 failure has left the window (19 failures remain): the client may try again.
    assert auth.log_in(empty_store, accounts, "zhangsan", PASSWORD, client="10.0.0.9",
                       now=START + timedelta(minutes=15, seconds=1)).editor


def test_the_account_lockout_still_engages_before_the_client_limit(empty_store, accounts):
    for minute in range(auth.MAX_FAILURES):
        auth.log_in(empty_store, accounts, "zhangsan", "guess", client="10.0.0.9", now=START + timedelta(minutes=minute))
    locked = auth.log_in(empty_store, accounts, "zhangsan", PASSWORD, client="10.0.0.9", now=START + timedelta(minutes=5))
    assert locked.message == "连续登录失败次数过多，请 15 分钟后再试。"
    # Attempts on a locked account count towards the client's limit too: 5 failures + 15 locked = 20.
    for second in range(15):
        auth.log_in(empty_store, accounts, "zhangsan", PASSWORD, client="10.0.0.9",
                    now=START + timedelta(minutes=6, seconds=second))
    assert auth.client_blocked_until(empty_store, "10.0.0.9", START + timedelta(minutes=7)) == START + timedelta(minutes=15)


# --- 4. the CLI records the system user ------------------------------------------------------------------
def test_cli_actions_are_recorded_as_the_system_user_with_the_claimed_name_beside_it(db_url, capsys, monkeypatch):
    import pwd

    url = db_url("cli_actor")
    monkeypatch.setenv("USER", "mallory")   # getpass.getuser() would believe these
    monkeypatch.setenv("LOGNAME", "mallory")
    os_user = pwd.getpwuid(os.geteuid()).pw_name
    assert system_user() == os_user != "mallory"
    assert call(capsys, "--db", url, "import", "regions", str(SMALL / "regions.csv"), "--user", "张三")[0] == 0
    assert call(capsys, "--db", url, "import", "population", str(SMALL / "population.csv"))[0] == 0
    code, out, _ = call(capsys, "--db", url, "audit")
    assert code == 0 and f"{os_user}（自称 张三）" in out
    from ipmetrics.core.store import Store

    store = Store(url)
    imports = audit_log(store)
    assert list(imports["actor"]) == [f"{os_user}（自称 张三）", os_user]
    assert list(store.frame("import_log")["imported_by"].sort_values()) == sorted([f"{os_user}（自称 张三）", os_user])
    # A name over 64 characters is a usage error, and nothing is imported.
    before = len(store.frame("import_log"))
    code, _, err = call(capsys, "--db", url, "import", "trademarks", str(SMALL / "trademarks.csv"), "--user", "x" * 65)
    assert code == 2 and "--user 的名字过长：最多 64 个字符" in err
    assert len(store.frame("import_log")) == before
    store.dispose()
    assert actor(os_user) == os_user and actor(" ") == os_user  # claiming to be oneself adds nothing


# --- 5. the client label ---------------------------------------------------------------------------------
@pytest.mark.parametrize("ip, headers, label", [
    ("198.51.100.4", {"X-Forwarded-For": "10.9.9.9"}, "198.51.100.4"),  # a remote peer: its own address only
    (None, {"X-Forwarded-For": "203.0.113.7, 10.0.0.1"}, "10.0.0.1"),   # a proxy here: the hop it added
    (None, {}, "localhost"),                                             # a browser on this machine
])
def test_the_client_label_is_the_remote_address(monkeypatch, ip, headers, label):
    from pages.shell import login

    monkeypatch.setattr(login, "st", SimpleNamespace(context=SimpleNamespace(ip_address=ip, headers=headers)))
    assert login.client_address() == label


# --- 6. the secrets file --------------------------------------------------------------------------------
def test_add_user_never_follows_a_planted_temporary_file(tmp_path, capsys, monkeypatch):
    from ipmetrics.cli import run

    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[auth]\nredirect_uri = "x"\n', encoding="utf-8")
    secrets.chmod(0o644)
    victim = tmp_path / "victim.txt"
    victim.write_text("not yours\n", encoding="utf-8")
    planted = tmp_path / "secrets.toml.tmp"
    planted.symlink_to(victim)
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert run(["add-user", "zhangsan", "--secrets", str(secrets), "--password-stdin"]) == 0
    assert victim.read_text(encoding="utf-8") == "not yours\n" and planted.is_symlink()
    assert not secrets.is_symlink() and stat.S_IMODE(secrets.stat().st_mode) == 0o600
    assert "password_hash" in secrets.read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["secrets.toml", "secrets.toml.tmp", "victim.txt"]


# --- 7. backups carry checksums that a restore verifies ------------------------------------------------
@pytest.fixture
def backed_up(fresh_small_store, tmp_path):
    fresh_small_store.backup(tmp_path / "backup")
    return fresh_small_store, tmp_path / "backup"


def _manifest(directory):
    return json.loads((directory / BACKUP_MANIFEST).read_text(encoding="utf-8"))


def _refused_unchanged(store, directory, match, **options):
    before, files = contents(store), sorted(p.name for p in store.duckdb_path().parent.iterdir())
    with pytest.raises(StoreError, match=match):
        store.restore(directory, **options)
    assert contents(store) == before
    assert sorted(p.name for p in store.duckdb_path().parent.iterdir()) == files  # no .before-restore file


@duckdb_only("backup and restore are DuckDB's")
def test_the_manifest_lists_the_sha256_of_every_file(backed_up):
    _, directory = backed_up
    listed = _manifest(directory)[CHECKSUMS]
    on_disk = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in directory.iterdir() if p.name != BACKUP_MANIFEST}
    assert listed == on_disk and "trademarks.parquet" in listed and "schema.sql" in listed


@duckdb_only("backup and restore are DuckDB's")
def test_a_flipped_bit_is_found_before_anything_is_touched(backed_up):
    store, directory = backed_up
    parquet = directory / "trademarks.parquet"
    data = bytearray(parquet.read_bytes())
    data[len(data) // 2] ^= 0x01
    parquet.write_bytes(bytes(data))
    _refused_unchanged(store, directory, "文件 trademarks.parquet 的 SHA-256 与清单不符（已损坏或被改动）")


@duckdb_only("backup and restore are DuckDB's")
def test_a_missing_or_unlisted_file_is_named(backed_up):
    store, directory = backed_up
    (directory / "patents.parquet").unlink()
    (directory / "extra.parquet").write_bytes(b"PAR1")
    _refused_unchanged(store, directory, "缺少文件 patents.parquet；多出清单未列出的文件 extra.parquet")


@duckdb_only("backup and restore are DuckDB's")
def test_a_manifest_naming_a_file_outside_the_backup_is_refused(backed_up):
    store, directory = backed_up
    manifest = _manifest(directory)
    manifest[CHECKSUMS]["../escape.sql"] = "0" * 64
    (directory / BACKUP_MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    _refused_unchanged(store, directory, r"清单中的文件名无效：\.\./escape\.sql")


@duckdb_only("backup and restore are DuckDB's")
def test_a_backup_without_checksums_needs_allow_unverified(backed_up, capsys):
    store, directory = backed_up
    manifest = _manifest(directory)
    del manifest[CHECKSUMS]  # as backups were made before issue 18
    (directory / BACKUP_MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    _refused_unchanged(store, directory, "没有校验和.*--allow-unverified")
    code, _, err = call(capsys, "--db", store.url, "restore", str(directory))
    assert code == 1 and "确认要恢复请加 --allow-unverified" in err
    code, out, err = call(capsys, "--db", store.url, "restore", str(directory), "--allow-unverified")
    assert code == 0 and "恢复前的数据库保留为" in out and "未经校验" in err
    assert audit_log(store).iloc[-1]["detail"].endswith("，未经校验）")


# --- 8. a restore is audited and keeps the audit log ----------------------------------------------------
@duckdb_only("backup and restore are DuckDB's")
def test_a_restore_keeps_the_audit_rows_since_the_backup_and_adds_its_own(backed_up, capsys, tmp_path):
    store, directory = backed_up
    at_backup, audit_at_backup = contents(store), audit_log(store)
    version_at_backup = _manifest(directory)["data_version"]
    auth.audit(store, "zhangsan", "login", "password", "10.0.0.8")
    pledges = tmp_path / "pledges.csv"
    pledges.write_text("contract_no,enterprise,region_code,ip_type,lender,amount_wan,registered_on\n"
                       "X1,某企业,411521001,专利权,某银行,99,2021-05-01\n", encoding="utf-8")
    import_file(store, "pledges", pledges)
    since_backup = audit_log(store).iloc[len(audit_at_backup):]
    assert list(since_backup["action"]) == ["login", "import"]
    version_before = store.data_version()
    assert version_before == version_at_backup + 1  # the one import since the backup

    code, _, _ = call(capsys, "--db", store.url, "restore", str(directory))
    assert code == 0 and without_version(contents(store)) == without_version(at_backup)
    # the data version goes on growing (the app's caches are keyed on it): past both the replaced and the backup's
    assert store.data_version() == version_before + 1
    log = audit_log(store)
    columns = ["actor", "action", "detail", "client"]
    # What was in the backup, then what happened since (the rows kept), then the restore itself.
    assert log.iloc[:len(audit_at_backup)][columns].equals(audit_at_backup[columns])
    kept = log.iloc[len(audit_at_backup):-1].reset_index(drop=True)
    assert kept[columns].equals(since_backup[columns].reset_index(drop=True))
    restore = log.iloc[-1]
    assert (restore["actor"], restore["action"], restore["client"]) == (system_user(), "restore", "cli")
    assert restore["detail"] == (f"恢复备份 {directory}（恢复第 {version_at_backup} 版数据，"
                                 f"数据版本 {version_before} → {version_before + 1}）")


def test_the_login_form_cuts_a_forged_long_name_and_logs_the_local_client(monkeypatch, fresh_small_store, accounts):
    from .test_pages import open_app

    app = open_app(monkeypatch, fresh_small_store, "pages/overview.py", as_of="2021-03")
    assert app.sidebar.text_input(key="login_account").max_chars == auth.MAX_USERNAME
    app.secrets["ipmetrics"] = {"accounts": accounts}
    # A forged widget state skips the browser's max_chars; Streamlit's server cuts the value to it (and
    # log_in would refuse anything longer), so 64 characters reach the audit log, not 500.
    app.sidebar.text_input(key="login_account").set_value("z" * 500)  # .input() would drop it, as a browser does
    app.sidebar.text_input(key="login_password").input("guess")
    next(b for b in app.sidebar.button if b.label == "登录").click().run()
    assert [e.value for e in app.sidebar.error] == ["用户名或密码不正确。"]
    row = audit_log(fresh_small_store).iloc[-1]
    # AppTest has no peer address, as a browser on the server itself: "localhost", no longer "browser".
    assert (row["actor"], row["action"], row["client"]) == ("z" * 64, "login_failed", "localhost")
