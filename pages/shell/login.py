"""Editors: who is signed in (single sign-on or the secrets file's accounts), the sidebar's login form
and badge, and the sentence a page shows in place of controls that need an editor."""

from __future__ import annotations

import streamlit as st

from ipmetrics import auth
from ipmetrics.core import labels
from ipmetrics.core.settings import Settings
from ipmetrics.core.store import Store
from pages.shell.cache import get_store
from pages.shell.context import Context


def _secrets(name: str) -> dict:
    """A section of the secrets file, or nothing when there is no secrets file at all."""
    try:
        return dict(st.secrets.get(name, {}) or {})
    except Exception:  # no secrets file: Streamlit raises on first access
        return {}


def oidc_configured() -> bool:
    return bool(_secrets("auth"))


def client_address() -> str:
    """Where a session comes from, for the audit log and the limit on failed logins per client.

    Streamlit gives no address for a peer on this machine (127.0.0.1, ::1). That peer is either a browser
    here or a reverse proxy here: the address the proxy passes on (the last X-Forwarded-For entry, the
    one it added itself) then, else "localhost". A remote peer's header is ignored, as anyone can send one."""
    address = getattr(st.context, "ip_address", None)
    if isinstance(address, str) and address:  # (Streamlit's AppTest gives a mock here)
        return auth.bounded(address)
    forwarded = str((st.context.headers or {}).get("X-Forwarded-For") or "")
    return auth.bounded(forwarded.split(",")[-1].strip()) or "localhost"


def current_editor() -> auth.Editor | None:
    """The signed-in editor of this session, if any."""
    if oidc_configured():
        user = st.user
        if getattr(user, "is_logged_in", False):
            email = str(user.get("email") or "").lower()
            if email and email in auth.oidc_editors(_secrets("ipmetrics")):
                return auth.Editor(email, str(user.get("name") or email), "oidc")
        return None
    return st.session_state.get("editor")


def _login_form() -> None:
    with st.sidebar.expander("编辑登录", icon=":material/lock:"):
        st.caption("查看不需要登录。导入数据、修改品牌与督办事项、冻结快照需要编辑账号。")
        if oidc_configured():
            if getattr(st.user, "is_logged_in", False):
                st.warning(f"{labels.plain(st.user.get('email'))} 不在编辑名单中，只能查看。")
                st.button("退出", on_click=st.logout, key="oidc_logout")
            else:
                st.button("统一身份认证登录", on_click=st.login, key="oidc_login", type="primary")
            return
        with st.form("login_form", border=False):
            account = st.text_input("用户名", key="login_account", max_chars=auth.MAX_USERNAME)
            password = st.text_input("密码", type="password", key="login_password")
            submitted = st.form_submit_button("登录", type="primary")
        if submitted:
            # Attempts are logged through the writing account, even where viewers read through another.
            store = get_store(Settings.from_env().db_url)
            result = auth.log_in(store, auth.accounts(_secrets("ipmetrics")), account, password, client_address())
            if result.editor is None:
                st.error(result.message)
            else:
                st.session_state["editor"] = result.editor
                st.rerun()


def _log_out(store: Store, editor: auth.Editor) -> None:
    auth.audit(store, editor.account, "logout", None, client_address())
    st.session_state.pop("editor", None)


def _editor_badge(store: Store, editor: auth.Editor) -> None:
    with st.sidebar.container(horizontal=True, vertical_alignment="center"):
        st.caption(f"编辑：{labels.plain(editor.label)}")
        if editor.method == "oidc":
            st.button("退出", on_click=st.logout, key="logout", type="tertiary")
        else:
            st.button("退出", on_click=_log_out, args=(store, editor), key="logout", type="tertiary")


def account_box(store: Store, editor: auth.Editor | None) -> None:
    """The sidebar's login form for a viewer, or the editor's name and a way out."""
    if editor is None:
        _login_form()
    else:
        _editor_badge(store, editor)


def require_editor(ctx: Context, what: str) -> auth.Editor | None:
    """The editor, or None after saying (in place of the controls) that `what` needs one."""
    if ctx.editor is None:
        st.info(f"{what}需要编辑权限：请在左侧“编辑登录”中登录。查看数据不需要登录。", icon=":material/lock:")
    return ctx.editor
