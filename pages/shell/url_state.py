"""The sidebar's month and region in the address bar: read from a shared link or the browser's back and
forward, written back when they change, and carried over when the reader clicks another page."""

from __future__ import annotations

import streamlit as st

from ipmetrics.core import labels, periods
from ipmetrics.core.hierarchy import LEVEL_ZH, Hierarchy
from pages.shell.internals import history_navigation

REGION_KEY = "region"   # the chosen region's code, in session state and (when not the default) in the URL
_WRITTEN = "_url_written"   # in session state: what this session last put in the address bar, by key


def _keep(key: str) -> None:
    """Carry a sidebar choice over to the next page.

    Every page draws the sidebar itself, so each page's widget has its own id (Streamlit adds the page
    to it). A value that came from a link lives, after the first run, under the first page's widget id
    only; the next page's widget takes the key over before Streamlit copies the old value onto it
    (which it does at the end of that run). That is why, with the month bound to the URL by Streamlit
    (bind="query-params"), the first click in the navigation after opening a link showed the default
    month, and the second the link's. Setting the key to its current value before the widget is drawn
    makes the widget start from it on every page.
    """
    if key in st.session_state:
        st.session_state[key] = st.session_state[key]


def _to_url(key: str, value: str | None) -> None:
    """Mirror a choice into the address bar (left out at its default, as Streamlit's binding does)."""
    if value is None:
        if key in st.query_params:
            del st.query_params[key]
    elif st.query_params.get(key) != value:
        st.query_params[key] = value
    st.session_state.setdefault(_WRITTEN, {})[key] = value


def _url_request(key: str) -> tuple[bool, str | None]:
    """Whether the address asks for a `key` this session did not put there itself — a shared link, the
    browser's back or forward, an edited address — and what: the text, or None for "absent, so the
    default" after back or forward. Otherwise the session's own choice stands: a click in the
    navigation drops the query string, and must not reset the choices."""
    written = st.session_state.get(_WRITTEN, {})
    asked = st.query_params.get(key)
    if asked is not None and (key not in written or asked != written[key]):
        return True, asked
    if asked is None and written.get(key) is not None and history_navigation():
        return True, None
    return False, None


def choose_month(months: list[str], default: str | None = None, describe=None) -> str:
    """The as-of month, newest first, starting at `default` (the newest month frozen or complete, see
    readiness.default_month; the newest when not given); `?as_of=2025年12月` (or 2025-12) in the URL, left out
    when it is the default. `describe` names a month in the box (periods.month_label unless given).

    Kept in session state and written to the URL here rather than by Streamlit's binding, which puts a
    linked value back into the URL only from the second page switch on (see _keep)."""
    default = default if default in months else months[0]
    requested, asked = _url_request("as_of")
    if requested:
        month = default if asked is None else periods.month_from_text(asked)
        if month in months:
            st.session_state["as_of"] = month
    if st.session_state.get("as_of") not in months:
        st.session_state["as_of"] = default
    _keep("as_of")
    as_of = st.sidebar.selectbox("截至月份", months, key="as_of",
                                 format_func=describe or (lambda m: periods.month_label(m)))
    _to_url("as_of", None if as_of == default else periods.month_label(as_of))
    return as_of


def _picked(key: str) -> None:
    st.session_state[REGION_KEY] = st.session_state[key]


def choose_region(tree: Hierarchy, default: str) -> str:
    """The cascading region picker: one box per level, each listing the children of the choice above
    and, first, the choice above itself (its whole area); a level's box only when there is a choice.

    The region is kept under REGION_KEY in session state (so it carries over between pages) and
    mirrored into the URL as `?region=<code>`; a link may give the code or a unique name (or the
    name with its code, as the picker shows a repeated one).
    """
    region = st.session_state.get(REGION_KEY)
    requested, asked = _url_request(REGION_KEY)
    if requested:
        found = default if asked is None else tree.resolve(asked)
        if found is None:
            why = "有重名，请用区划代码" if tree.is_ambiguous(asked) else "不在数据中"
            st.sidebar.caption(f"网址中的地区“{labels.plain(asked)}”{why}，"
                               f"仍显示{labels.plain(tree.label(region if region in tree else default))}。")
        region = found or region
    if region not in tree:
        region = default
    st.session_state[REGION_KEY] = region
    boxes = tree.cascade(region)
    single = tree.single_choice()
    for number, box in enumerate(boxes):
        siblings = [tree.names[c] for c in box.options if c != box.parent]
        repeated = {n for n in siblings if siblings.count(n) > 1}

        def label(code: str, box=box, first=number == 0, repeated=repeated) -> str:
            if code == box.parent:
                return tree.label(code) if first else tree.whole_label(code)
            name = tree.names[code]
            return f"{name}（{code}）" if name in repeated else name

        st.session_state[box.key] = box.chosen  # every run: the widget follows REGION_KEY on every page
        st.sidebar.selectbox("地区" if single else LEVEL_ZH.get(box.level, "地区"), list(box.options),
                             key=box.key, format_func=label, on_change=_picked, args=(box.key,))
    _to_url(REGION_KEY, None if region == default else region)
    return region
