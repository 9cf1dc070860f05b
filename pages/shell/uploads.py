"""Uploads on 数据导入: the size limit, and a dry-run check remembered for the session."""

from __future__ import annotations

import streamlit as st

from ipmetrics.io.importer import ImportRejected, ImportResult, Source, import_file, sha256_of
from pages.shell.cache import get_store
from pages.shell.context import Context


def import_limits(ctx: Context) -> dict[str, int]:
    """The size and row limits of an uploaded file (settings max_import_mb, max_import_rows), as the
    importer's and read_table's keyword arguments."""
    return {"max_bytes": ctx.settings.max_import_mb * 1024 * 1024, "max_rows": ctx.settings.max_import_rows}


def frequencies(ctx: Context) -> dict[str, str]:
    """The goal ids an upload may name, each with its frequency (a reported period must be of it)."""
    return {goal.id: goal.frequency for goal in ctx.registry.goals}


def check_upload(ctx: Context, kind: str, source: Source, progress=None) -> ImportResult:
    """Validate an upload without writing; remembered for the session, so ticking a box does not
    re-check 200,000 rows (st.cache_data cannot hold a function that draws a progress bar)."""
    key = (sha256_of(source.data), kind, ctx.data_version)
    remembered = st.session_state.get("_upload_check")
    if remembered and remembered[0] == key:
        return remembered[1]
    try:
        result = import_file(get_store(ctx.settings.db_url), kind, source, indicator_ids=frequencies(ctx),
                             dry_run=True, accept_valid=True, progress=progress, **import_limits(ctx),
                             plan_region=ctx.registry.region, industries=ctx.registry.industry_spellings())
    except ImportRejected as rejected:  # the header itself is wrong: nothing could be loaded
        result = rejected.results[0]
    st.session_state["_upload_check"] = (key, result)
    return result


def forget_check() -> None:
    """Drop the remembered check: a saved or deleted column mapping changes how the same upload reads."""
    st.session_state.pop("_upload_check", None)
