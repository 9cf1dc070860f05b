"""Editors and viewers: salted password hashes, the lockout after failed logins, the audit log, and the
pages refusing every editing action to a viewer while an editor's changes name the editor."""

from __future__ import annotations

import io
import stat
import tomllib
from datetime import date, datetime, timedelta

import pytest

from ipmetrics import auth
from ipmetrics.cli import run
from ipmetrics.meeting import actions, snapshots

from .conftest import EDITOR
from .test_pages import APP, open_app

PASSWORD = "correct-horse-battery"


def audit_rows(store) -> list[tuple[str, str]]:
    log = store.frame("audit_log", limit=1000)
    return list(zip(log["actor"], log["action"]))[::-1]  # oldest first


# --- passwords and accounts ---------------------------------------------------------------------
def test_passwords_are_stored_as_salted_scrypt_hashes():
    first, second = auth.hash_password(PASSWORD), auth.hash_password(PASSWORD)
    assert first != second and first.startswith("scrypt$16384$8$1$")  # a fresh salt each time
    assert PASSWORD not in first
    assert auth.verify_password(PASSWORD, first) and auth.verify_password(PASSWORD, second)
    assert not auth.verify_password("correct-horse-batterY", first)
    assert not auth.verify_password(PASSWORD, "plain-text") and not auth.verify_password(PASSWORD, "md5$x$y$z$a$b")


def test_add_user_keeps_the_rest_of_the_secrets_file(tmp_path, capsys, monkeypatch):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('# OIDC provider\n[auth]\nredirect_uri = "http://localhost:8501/oauth2callback"\n',
                       encoding="utf-8")
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert run(["add-user", "zhangsan", "--name", "张三", "--secrets", str(secrets), "--password-stdin"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert run(["add-user", "lisi", "--secrets", str(secrets), "--password-stdin"]) == 2
    assert "密码至少 10 位" in capsys.readouterr().err
    text = secrets.read_text(encoding="utf-8")
    assert text.startswith("# OIDC provider\n[auth]\nredirect_uri") and PASSWORD not in text
    assert stat.S_IMODE(secrets.stat().st_mode) == 0o600
    listed = auth.accounts(tomllib.loads(text)["ipmetrics"])
    assert set(listed) == {"zhangsan"} and listed["zhangsan"]["name"] == "张三"
    assert auth.verify_password(PASSWORD, listed["zhangsan"]["password_hash"])


def test_a_bad_account_name_is_refused(tmp_path):
    with pytest.raises(auth.AuthError, match="用户名只能用"):
        auth.add_account(tmp_path / "s.toml", "张三", PASSWORD)


# --- logging in ---------------------------------------------------------------------------------
@pytest.fixture
def accounts():
    return {"zhangsan": {"name": "张三", "password_hash": auth.hash_password(PASSWORD)}}


def test_login_checks_the_password_and_logs_every_attempt(empty_store, accounts):
    wrong = auth.log_in(empty_store, accounts, "zhangsan", "guess", client="10.0.0.8")
    unknown = auth.log_in(empty_store, accounts, "nobody", "guess", client="10.0.0.8")
    assert wrong.editor is None and wrong.message == unknown.message == "用户名或密码不正确。"
    ok = auth.log_in(empty_store, accounts, "zhangsan", PASSWORD, client="10.0.0.8")
    assert ok.editor == auth.Editor("zhangsan", "张三", "password")
    assert audit_rows(empty_store) == [("zhangsan", "login_failed"), ("nobody", "login_failed"), ("zhangsan", "login")]
    assert set(empty_store.frame("audit_log", limit=10)["client"]) == {"10.0.0.8"}


def test_five_failures_lock_the_account_for_fifteen_minutes(empty_store, accounts):
    start = datetime(2026, 1, 5, 9, 0)
    for minute in range(5):
        assert auth.log_in(empty_store, accounts, "zhangsan", "guess", now=start + timedelta(minutes=minute)).editor is None
    locked = auth.log_in(empty_store, accounts, "zhangsan", PASSWORD, now=start + timedelta(minutes=5))
    assert locked.editor is None and locked.message == "连续登录失败次数过多，请 15 分钟后再试。"
    # The lock runs from the last failure (09:04) and is not extended by attempts while locked.
    assert auth.log_in(empty_store, accounts, "zhangsan", PASSWORD, now=start + timedelta(minutes=18)).editor is None
    assert auth.log_in(empty_store, accounts, "zhangsan", PASSWORD, now=start + timedelta(minutes=20)).editor
    assert [a for _, a in audit_rows(empty_store)] == ["login_failed"] * 5 + ["login_locked"] * 2 + ["login"]
    # Another account is not affected by zhangsan's failures.
    assert auth.locked_until(empty_store, "lisi", start + timedelta(minutes=5)) is None


def test_a_success_resets_the_count(empty_store, accounts):
    start = datetime(2026, 1, 5, 9, 0)
    for minute in range(4):
        auth.log_in(empty_store, accounts, "zhangsan", "guess", now=start + timedelta(minutes=minute))
    assert auth.log_in(empty_store, accounts, "zhangsan", PASSWORD, now=start + timedelta(minutes=4)).editor
    auth.log_in(empty_store, accounts, "zhangsan", "guess", now=start + timedelta(minutes=5))
    assert auth.locked_until(empty_store, "zhangsan", start + timedelta(minutes=6)) is None


# --- the pages: viewers change nothing ------------------------------------------------------------
EDITING = {
    "pages/data_import.py": ("导入数据需要编辑权限", "file_uploader"),
    "pages/brands.py": ("修改品牌申报进度需要编辑权限", "保存修改"),
    "pages/snapshots.py": ("冻结快照需要编辑权限", "冻结"),
    "pages/actions.py": ("新增、修改督办事项需要编辑权限", "保存"),
}


@pytest.mark.parametrize("page", list(EDITING))
def test_a_viewer_is_refused_every_editing_action(monkeypatch, fresh_small_store, page):
    message, control = EDITING[page]
    before = (fresh_small_store.data_version(), len(snapshots.list_snapshots(fresh_small_store)))
    app = open_app(monkeypatch, fresh_small_store, page, as_of="2021-03")
    assert any(message in i.value for i in app.main.info)
    if control == "file_uploader":
        assert not app.main.get("file_uploader")
    else:
        assert not [b for b in app.main.button if b.label.startswith(control)]
    if page == "pages/brands.py":  # the read-only tables only: an editor also gets the editable table
        # pipeline, brand list and the reconciliation with the trademark rows (T5 lapsed: one finding)
        assert len(app.main.dataframe) == 3
        assert len(open_app(monkeypatch, fresh_small_store, page, as_of="2021-03", editor=EDITOR).main.dataframe) == 4
    # What a viewer can do, viewing, changes nothing.
    assert (fresh_small_store.data_version(), len(snapshots.list_snapshots(fresh_small_store))) == before
    assert app.sidebar.text_input(key="login_account")  # the way in, for those who have an account


def test_an_editor_logs_in_and_every_change_names_the_editor(monkeypatch, fresh_small_store, registry):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("IPMETRICS_DB_URL", fresh_small_store.url)
    app = AppTest.from_file(APP, default_timeout=60)
    app.secrets["ipmetrics"] = {"accounts": {"zhangsan": {"name": "张三", "password_hash": auth.hash_password(PASSWORD)}}}
    app.session_state["as_of"] = "2021-03"
    app.switch_page("pages/snapshots.py")
    app.run()
    app.sidebar.text_input(key="login_account").input("zhangsan")
    app.sidebar.text_input(key="login_password").input("guess")
    next(b for b in app.sidebar.button if b.label == "登录").click().run()
    assert [e.value for e in app.sidebar.error] == ["用户名或密码不正确。"]
    app.sidebar.text_input(key="login_password").input(PASSWORD)
    next(b for b in app.sidebar.button if b.label == "登录").click().run()
    assert not app.exception
    assert any(c.value == "编辑：张三（zhangsan）" for c in app.sidebar.caption)
    next(b for b in app.main.button if b.label.startswith("冻结2021年3月快照")).click().run()
    (info,) = snapshots.list_snapshots(fresh_small_store)
    assert info.frozen_by == "张三（zhangsan）"
    log = fresh_small_store.frame("audit_log", limit=10)
    assert log.iloc[0]["actor"] == "zhangsan" and log.iloc[0]["action"] == "freeze"
    assert log.iloc[0]["detail"].startswith("2021年3月快照第1版")
    assert ("zhangsan", "login") in audit_rows(fresh_small_store)
    assert ("zhangsan", "login_failed") in audit_rows(fresh_small_store)
    # Signing out leaves a viewer again.
    next(b for b in app.sidebar.button if b.label == "退出").click().run()
    assert any("冻结快照需要编辑权限" in i.value for i in app.main.info)
    assert audit_rows(fresh_small_store)[-1] == ("zhangsan", "logout")


def test_an_editors_page_edit_is_in_the_import_log_and_the_audit_log(monkeypatch, fresh_small_store, registry):
    app = open_app(monkeypatch, fresh_small_store, "pages/actions.py", as_of="2021-03", editor=EDITOR)
    app.text_input(key="action_problem").input("省强企为0家")
    app.text_area(key="action_measure").input("组织2家企业申报")
    app.text_input(key="action_lead").input("县科学技术局")
    app.date_input(key="action_due").set_value(date(2021, 9, 30))
    next(b for b in app.main.button if b.label == "保存督办事项").click().run()
    assert actions.load(fresh_small_store).set_index("code").loc["DB-2021-03-02", "updated_by"] == "张三（zhangsan）"
    assert fresh_small_store.frame("import_log").iloc[0]["imported_by"] == "张三（zhangsan）"
    log = fresh_small_store.frame("audit_log", limit=10)
    assert (log.iloc[0]["actor"], log.iloc[0]["action"]) == ("zhangsan", "import")
    assert "督办事项页面编辑.csv" in log.iloc[0]["detail"]


def test_viewers_read_through_the_viewer_url_and_editors_through_the_main_one(monkeypatch, small_store, sample_store):
    # Two different stores stand for the two accounts of one database, so the test can tell them apart.
    monkeypatch.setenv("IPMETRICS_VIEWER_DB_URL", sample_store.url)
    viewer = open_app(monkeypatch, small_store, "pages/overview.py")
    editor = open_app(monkeypatch, small_store, "pages/overview.py", editor=EDITOR)
    assert viewer.sidebar.selectbox(key="as_of").value == "2026-10"   # the sample's newest month
    # The fixture's newest complete month (its pledges stop in 2021-03; its newest record is of 2021-08).
    assert editor.sidebar.selectbox(key="as_of").value == "2021-03"


def test_with_an_identity_provider_the_sidebar_offers_its_login(monkeypatch, small_store):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("IPMETRICS_DB_URL", small_store.url)
    app = AppTest.from_file(APP, default_timeout=60)
    app.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
                           "client_id": "ipmetrics", "client_secret": "s",
                           "server_metadata_url": "https://id.example.org/.well-known/openid-configuration"}
    app.secrets["ipmetrics"] = {"editors": ["zhangsan@example.org"]}
    app.switch_page("pages/data_import.py")
    app.run()
    assert not app.exception
    assert [b.label for b in app.sidebar.button] == ["统一身份认证登录"]
    assert not app.sidebar.get("text_input")  # no password form beside the provider
    assert any("导入数据需要编辑权限" in i.value for i in app.main.info)
