"""Edits made in a page's table editor, saved through the importer like a file: only the changed rows,
as the text a CSV would hold, and the importer's problems told back per row and field."""

from __future__ import annotations

import math
from collections.abc import Iterable

import pandas as pd

from ipmetrics.io.importer import ImportRejected
from ipmetrics.io.readers import cell_text
from ipmetrics.io.schemas import Kind


def editor_frame(records: pd.DataFrame, kind: Kind, date_columns: Iterable[str] | None = None,
                 words: dict[str, dict[str, str]] | None = None) -> pd.DataFrame:
    """Records as a page's table editor shows them: the import's Chinese headers, coded columns in words,
    dates as datetimes (a datetime column even when all blank, so the editor hands back timestamps).
    Saving reads this frame back through the importer, which understands the headers and the words.

    The dates are the kind's day columns (its Day-typed fields) unless `date_columns` says otherwise. A
    column the records lack (one a later version added, such as an action's task_code) is blank."""
    date_columns = set(kind.columns_kept_as("day") if date_columns is None else date_columns)
    words = words or {}
    table = pd.DataFrame(index=range(len(records)))
    for column, label in kind.labels.items():
        values = (records[column] if column in records else pd.Series(None, index=records.index, dtype=object)
                  ).reset_index(drop=True)
        if column in date_columns:
            table[label] = pd.to_datetime(values).astype("datetime64[s]")
        elif column in words:
            table[label] = values.map(words[column]).fillna(values).astype(object)
        else:
            table[label] = pd.Series([None if pd.isna(v) else str(v) for v in values], dtype=object)
    return table


def text_of(value) -> str:
    """A cell as the importer reads it: blank for a missing value, dates as YYYY-MM-DD."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    return cell_text(value)


def as_text(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({column: [text_of(v) for v in frame[column]] for column in frame.columns},
                        index=frame.index, columns=frame.columns, dtype=object)


def changed_rows(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """The rows of the edited frame that differ from the frame the editor was given (new rows too)."""
    old = as_text(before).reindex(index=after.index, columns=after.columns)
    new = as_text(after)
    differs = (new != old.fillna("\0missing")).any(axis=1)
    return after[differs.to_numpy()]


def key_values(frame: pd.DataFrame, labels: tuple[str, ...]) -> list[str]:
    """The key column of an edited frame, by its Chinese or English header."""
    column = next((c for c in labels if c in frame.columns), None)
    return [] if column is None else [text_of(v) for v in frame[column]]


def rejection_table(rejected: ImportRejected, frame: pd.DataFrame, key_header: str,
                    key_labels: tuple[str, ...]) -> pd.DataFrame:
    """What is wrong with a refused edit, one line per problem, naming the row's key and the field.

    `frame` is the frame that was saved (its rows are the "file's" rows 2, 3, …).
    """
    keys = key_values(frame, key_labels)
    rows = []
    for result in rejected.results:
        for error in result.errors:
            position = error.row - 2
            rows.append({key_header: keys[position] if 0 <= position < len(keys) else "",
                         "字段": error.label or error.column or "", "值": error.value or "", "问题": error.message})
    return pd.DataFrame(rows, columns=[key_header, "字段", "值", "问题"])
