"""What the store holds: its regions, its newest month, whether it has records at all."""

from __future__ import annotations

import pandas as pd

from ipmetrics.core.store import Store


def regions(store: Store) -> pd.DataFrame:
    """code, name, level, parent_code, depth — parents before children."""
    frame = store.frame("regions")
    frame["depth"] = frame["depth"].fillna(0).astype(int)
    return frame


def region_names(store: Store) -> dict[str, str]:
    frame = store.frame("regions")
    return dict(zip(frame["code"].astype(str), frame["name"].astype(str)))


def source_counts(store: Store) -> pd.DataFrame:
    return store.frame("source_counts")


def has_records(store: Store) -> bool:
    return bool(source_counts(store)["records"].sum() > 0) or not store.frame("region_codes").empty


def latest_month(store: Store) -> pd.Period | None:
    """The newest month any record or reported figure falls in."""
    latest = pd.to_datetime(source_counts(store)["latest_on"]).max()
    return None if pd.isna(latest) else latest.to_period("M")


def import_log(store: Store, limit: int = 200) -> pd.DataFrame:
    """The latest imports, newest first, with Chinese column names for display."""
    log = store.frame("import_log").head(limit)
    return pd.DataFrame({
        "时间": pd.to_datetime(log["imported_at"]).dt.strftime("%Y-%m-%d %H:%M:%S"),
        "类型": log["kind"].astype(str),
        "文件": log["file_name"].astype(str),
        "读取行数": log["rows_read"].astype(int),
        "写入行数": log["rows_loaded"].astype(int),
        "拒绝行数": log["rows_rejected"].astype(int),
        "操作人": log["imported_by"].astype(str),
        "数据截至": log["data_through"].fillna("").astype(str),
        "SHA-256": log["sha256"].astype(str),
    })
