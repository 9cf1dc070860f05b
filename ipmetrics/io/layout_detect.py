"""Find the table in a sheet as offices lay it out: the header row below title, 填报单位 and blank rows (or
a two-row merged header), the data rows, and the total, signature and note rows below them.

Only the first SCAN_ROWS rows are looked at for the header, so a 200,000-row file costs nothing extra; the
total and signature rows are found by vectorised matches over the body. Row numbers stay the ones a
spreadsheet shows.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Iterable

import pandas as pd

from ipmetrics.io.schemas import COLUMN_SYNONYMS, KINDS, Kind

SCAN_ROWS = 30          # the header is looked for among the first rows only
MIN_MATCHED = 2         # a header names at least two columns of a kind
# A unit in brackets that may be dropped from a header ("有效量（件）"); an amount in 元 is not 万元, so
# "金额（元）" keeps its bracket and matches nothing.
_UNITS = {"件", "个", "家", "项", "次", "人", "户", "名", "万元", "年", "月", "日"}
_BRACKET = re.compile(r"^(.*?)\((.*)\)$")
_DROPPED_MARKS = " \t\r\n\u3000\u00a0\ufeff*※:："
TOTAL_WORDS = ("合计", "小计", "总计")
SIGNATURE_WORDS = ("制表人", "审核人", "填报人", "填报日期", "负责人")
NOTE_WORDS = ("备注", "说明", "注")
# A cell that is a total or signature line: the word alone, or followed by ":" and what was filled in.
_FOOTER = re.compile(r"^\s*(" + "|".join(w for w in (*TOTAL_WORDS, *SIGNATURE_WORDS)) + r")\s*([:：].*)?$")
_NOTE = re.compile(r"^\s*(" + "|".join(NOTE_WORDS) + r")\s*[:：]")
_ABOVE_WORDS = {"填报单位": "填报单位", "报送单位": "填报单位", "单位": "填报单位", "报送日期": "报送日期",
                "填报日期": "报送日期", "制表日期": "报送日期", "日期": "报送日期"}
_NUMBERLIKE = re.compile(r"^[\d\s.,:：/\-年月日]+$")


def header_key(text: str) -> str:
    """A header cell as compared: NFKC (full-width → half-width), no spaces or line breaks, lower case, a unit in
    brackets dropped ("有效量（件）" → "有效量", "金额(万元)" → "金额")."""
    key = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text))).strip(_DROPPED_MARKS).lower()
    bracket = _BRACKET.match(key)
    if bracket and bracket.group(1) and bracket.group(2) in _UNITS:
        key = bracket.group(1)
    return key


def spellings(kind: Kind) -> dict[str, str]:
    """Every header a kind's columns may have (compared by header_key) → the column."""
    found: dict[str, str] = {}
    shared, own = COLUMN_SYNONYMS.get("*", {}), COLUMN_SYNONYMS.get(kind.name, {})
    for column, label in kind.labels.items():
        for spelling in (column, label, *own.get(column, ()), *shared.get(column, ())):
            found.setdefault(header_key(spelling), column)
    return found


def match_columns(kind: Kind, headers: Iterable[str]) -> dict[str, str]:
    """File header → the kind's column, for the headers that name one; the first header naming a column wins
    (duplicate_columns finds the others: an import refuses them)."""
    names, mapping, taken = spellings(kind), {}, set()
    for header in headers:
        column = names.get(header_key(header))
        if column is not None and column not in taken:
            mapping[header] = column
            taken.add(column)
    return mapping


# How a sheet's reading numbers a header repeated word for word (see _unique): 商标名称, 商标名称（2）.
_REPEAT = re.compile(r"^(.*)（\d+）$")


def duplicate_columns(kind: Kind, headers: Iterable[str]) -> dict[str, list[str]]:
    """The kind's columns that several headers name (in any language or spelling: mark_name and 商标名称, or one
    header written twice), each with those headers as the file writes them (a repeat without its number)."""
    names, found = spellings(kind), {}
    for header in map(str, headers):
        column = names.get(header_key(header))
        repeat = _REPEAT.match(header)
        if column is None and repeat and names.get(header_key(repeat.group(1))):
            header, column = repeat.group(1), names[header_key(repeat.group(1))]
        if column is not None:
            found.setdefault(column, []).append(header.strip())
    return {column: named for column, named in found.items() if len(named) > 1}


@dataclass
class Layout:
    """Where the table is: the header's rows (spreadsheet numbers), its column names, and what was skipped.
    When no header was recognised, `hint` says where it seems to be and that row (else the first non-blank
    one) stands as header, so the file can still be previewed and its columns mapped by hand."""

    header_row: int
    columns: list[str]
    header_rows: int = 1
    skipped: list[tuple[int, str]] = field(default_factory=list)   # (row, why) above the header
    hint: str | None = None

    @property
    def found(self) -> bool:
        return self.hint is None

    @property
    def first_data_row(self) -> int:
        return self.header_row + self.header_rows


def _texts(grid: pd.DataFrame) -> list[list[str]]:
    return [[str(cell).strip() for cell in row] for row in grid.itertuples(index=False)]


def _merged(upper: list[str], lower: list[str]) -> list[str]:
    """Two header rows as one: the upper cell forward-filled across its merged span (the blanks to its right
    that have a lower cell), then upper + lower ("申请人" over "名称" → "申请人名称")."""
    names, spread = [], ""
    for top, bottom in zip(upper, lower):
        if top:
            spread = top
        elif not bottom:
            spread = ""
        head = top or spread
        names.append(head + bottom if head and bottom and head != bottom else head or bottom)
    return names


def _score(cells: list[str], kinds: list[Kind]) -> int:
    """How many columns of the best-matching kind the cells name."""
    return max(len(set(match_columns(kind, cells).values())) for kind in kinds)


def _second_header(upper: list[str], lower: list[str]) -> bool:
    """The lower row continues a merged header: it has a name under a blank upper cell (a merged span) and no
    cell that looks like data (numbers, dates)."""
    filled = [cell for cell in lower if cell]
    return bool(filled) and not any(_NUMBERLIKE.match(cell) for cell in filled) and \
        any(bottom and not top for top, bottom in zip(upper, lower))


def find_header(top: pd.DataFrame, kinds: list[Kind]) -> Layout:
    """The header among the sheet's first rows (`top`, indexed by spreadsheet row): the first row naming the
    most columns of a kind, merged with the next row when that continues a two-row header."""
    rows, numbers = _texts(top), list(top.index)
    best, best_score = None, MIN_MATCHED - 1
    for position, cells in enumerate(rows):
        score = _score(cells, kinds)
        if score > best_score:
            best, best_score = position, score
    if best is None:
        seeming, hint = _where_header_seems(rows, numbers, kinds)
        stand_in = _first_filled(rows) if seeming is None else seeming
        return Layout(numbers[stand_in] if rows else 1, _unique(rows[stand_in] if rows else []), hint=hint)
    columns, height = rows[best], 1
    if best + 1 < len(rows) and _second_header(rows[best], rows[best + 1]):
        merged = _merged(rows[best], rows[best + 1])
        if _score(merged, kinds) >= best_score:
            columns, height = merged, 2
    skipped = [(numbers[p], _above_reason(rows[p], p == _first_filled(rows))) for p in range(best) if any(rows[p])]
    return Layout(numbers[best], _unique(columns), height, skipped)


def _first_filled(rows: list[list[str]]) -> int:
    return next((p for p, cells in enumerate(rows) if any(cells)), 0)


def _above_reason(cells: list[str], first: bool) -> str:
    """Why a row above the header was skipped: 表题, 填报单位, 报送日期, 计量单位 or 说明."""
    for cell in cells:
        key = header_key(cell)
        if key.startswith("单位") and key[2:].lstrip(":：") in _UNITS:
            return "计量单位"
        for word, reason in _ABOVE_WORDS.items():
            if key.startswith(word):
                return reason
    return "表题" if first else "说明"


def _unique(names: list[str]) -> list[str]:
    """Column names as pandas needs them: blanks named by position, repeats numbered."""
    seen: dict[str, int] = {}
    unique = []
    for position, name in enumerate(names):
        name = name or f"第{position + 1}列"
        seen[name] = seen.get(name, 0) + 1
        unique.append(name if seen[name] == 1 else f"{name}（{seen[name]}）")
    return unique


def _looks_like_header(cells: list[str], width: int) -> bool:
    filled = [cell for cell in cells if cell]
    return len(filled) >= max(2, (width + 1) // 2) and not any(_NUMBERLIKE.match(cell) for cell in filled)


def _where_header_seems(rows: list[list[str]], numbers: list[int], kinds: list[Kind]) -> tuple[int | None, str]:
    """The row that looks like a header (position), if any, and what to do (Chinese), for a sheet none of
    whose first rows names a kind's columns."""
    width = max((sum(1 for cell in cells if cell) for cells in rows), default=0)
    required = "；".join(f"{kind.title}：{'、'.join(kind.labels[c] for c in kind.required)}" for kind in kinds[:1])
    for position, cells in enumerate(rows):
        if _looks_like_header(cells, width):
            above = sum(1 for r in range(position) if any(rows[r]))
            where = f"第{numbers[position]}行像表头" + (f"，请删除上方{above}行" if above else "")
            return position, (f"未能识别表头：{where}，并把列名改为模板中的列名（{required}）" if len(kinds) == 1
                              else f"未能识别表头：{where}")
    first = "、".join(cell for cell in rows[_first_filled(rows)] if cell)[:120] if rows else ""
    return None, f"未能识别表头：前{len(rows)}行中没有列名；必需的列为 {required}；第1个非空行是：{first or '（空）'}"


def _spaced(word: str) -> str:
    """A word as a pattern that allows spaces between its characters ("合 计")."""
    return r"\s*".join(word)


_FOOTER_CHARS = "[计人期注明]"  # every total, signature and note word has one of these
_SEP = "\x1f"  # joins a row's cells into one text (a character no cell has)
_FOOTER_IN_ROW = re.compile(r"(?:^|\x1f)\s*(?:" + "|".join(_spaced(w) for w in (*TOTAL_WORDS, *SIGNATURE_WORDS))
                            + r")\s*(?:[:：][^\x1f]*)?(?:\x1f|$)")
_NOTE_ROW = re.compile(r"^[\s\x1f]*(?:" + "|".join(NOTE_WORDS) + r")\s*[:：][^\x1f]*$")


def footer_rows(body: pd.DataFrame) -> list[tuple[int, str]]:
    """The total and signature rows of the body (indexed by spreadsheet row): a cell that is 合计, 小计, 总计
    or 制表人/审核人/填报人/填报日期/负责人 (alone or with ":" and a name or date); and note lines (one cell
    "备注：…", "说明：…", "注：…"). (row, why) in file order."""
    if body.empty or not len(body.columns):
        return []
    # A cheap pass first: only rows with a character of those words (计, 人, 期, 注, 明) are looked at closely.
    maybe = pd.Series(False, index=body.index)
    for column in body.columns:
        maybe |= body[column].astype(str).str.contains(_FOOTER_CHARS, regex=True)
    if not maybe.any():
        return []
    candidates = body[maybe].astype(str)
    joined = candidates[candidates.columns[0]]
    for column in candidates.columns[1:]:
        joined = joined + _SEP + candidates[column]
    hits = joined[joined.str.contains(_FOOTER_IN_ROW) | joined.str.rstrip(_SEP + " ").str.match(_NOTE_ROW)]
    found = []
    for row, cells in hits.items():
        words = (_FOOTER.match(re.sub(r"\s+", "", cell)) for cell in cells.split(_SEP))
        found.append((row, next((m.group(1) for m in words if m), "备注")))
    return found


def describe_skipped(skipped: list[tuple[int, str]]) -> str | None:
    """"已跳过第3行（表题）、第4行（填报单位）、第27行（合计）", or None when nothing was skipped."""
    if not skipped:
        return None
    shown = "、".join(f"第{row}行（{why}）" for row, why in skipped[:12])
    more = f"等 {len(skipped)} 行" if len(skipped) > 12 else f"，共 {len(skipped)} 行"
    return f"已跳过{shown}{more}"


def all_kinds() -> list[Kind]:
    return list(KINDS.values())
