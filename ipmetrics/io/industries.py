"""Industries against the goal file's lists: a synonym is stored as the industry it stands for, and an
industry the file does not list is refused.

The goal file lists its industries ([[industry_groups]], other_industries) and may give other spellings of
them ([industry_synonyms]); Registry.industry_spellings() maps every accepted spelling to its canonical name.
A caller passes that mapping to the importer; without one (a goal file that lists no industries, or a
caller that does not pass it) an industry column takes any text, as it always did.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from ipmetrics.io.schemas import INDUSTRIES, Kind, column_markers


class Flags(Protocol):
    def flag(self, position: int, column: str | None, message: str) -> None: ...


def industry_columns(kind: Kind) -> list[str]:
    """The kind's columns of the region's industries (those typed schemas.Industry)."""
    return [name for name, field in kind.model.model_fields.items() if INDUSTRIES in column_markers(field)]


def unknown_industry_message(spellings: Mapping[str, str]) -> str:
    """Why a value is refused, with the names the goal file lists (each once, in the file's order)."""
    names = "、".join(dict.fromkeys(spellings.values()))
    return (f"不是目标文件列出的行业（可用：{names}）；若是其中某个行业的另一种写法，"
            "请在目标文件的 [industry_synonyms] 中加上")


def check_industries(kind: Kind, rows: list[tuple[int, dict]], problems: Flags,
                     spellings: Mapping[str, str] | None) -> None:
    """Put each valid row's industry in its canonical name, or flag the row when the name is not listed.

    `rows` are (position, typed row) pairs, changed in place; a blank industry stays blank (not known).
    """
    columns = industry_columns(kind)
    if not spellings or not columns:
        return
    message = unknown_industry_message(spellings)
    for position, row in rows:
        for column in columns:
            value = row.get(column)
            if value is None:
                continue
            canonical = spellings.get(value)
            if canonical is None:
                problems.flag(position, column, message)
            else:
                row[column] = canonical
