"""The rules a file's rows must keep: the header, each row's own rules (its kind's model), duplicate keys, and
what the rows refer to (regions, goals, tasks, industries). validate_frame gives the valid rows as a typed
frame and every problem, in Chinese, in file order.

Two ways to the same answer: row by row through the kind's model, and column by column (io/columnar.py) with
only the suspect rows going through the model; the second is the default where the kind's rules allow it
(tests/test_columnar.py runs both on the same bad files and compares every message and value).
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Callable, Union

import numpy as np
import pandas as pd
from pydantic import TypeAdapter, ValidationError

from ipmetrics.core import periods
from ipmetrics.core.validation import chinese_message, strip_invisible
from ipmetrics.io import columnar
from ipmetrics.io.industries import check_industries, industry_columns
from ipmetrics.io.layout_detect import duplicate_columns, match_columns
from ipmetrics.io.region_names import RegionNames, is_code_like
from ipmetrics.io.schemas import KINDS, PERIOD_NOUN, PERIOD_SPELLINGS, Kind, describe_period

HEADER_ROW = 1  # rows are numbered as a spreadsheet shows them: the header is row 1
CHUNK_ROWS = 20_000  # validation reports progress after each chunk

Progress = Callable[[str, float], None]  # (what is happening, in Chinese; share done 0…1)
# The goal ids a file may name: a set, or a mapping id → frequency ('month' | 'quarter' | 'year'), with which
# a reported figure's period must also be of its indicator's frequency.
IndicatorIds = Union[set[str], frozenset[str], Mapping[str, str]]


@dataclass(frozen=True)
class RegionScope:
    """Where the regions of a kind with `below_plan_region` may be: below the goal file's region (`plan_region`)
    or, when the caller does not name it, below some region (not the top of what is loaded). `parents` maps
    each region known (the store's and the same import's) to its parent."""

    parents: dict[str, str | None]
    plan_region: str | None = None

    def ancestors(self, code: str) -> list[str]:
        found, parent = [], self.parents.get(code)
        while parent and parent not in found:  # a cycle in bad data stops the walk
            found.append(parent)
            parent = self.parents.get(parent)
        return found

    def problem(self, code: str) -> str | None:
        """Why `code` cannot be given a target here (Chinese), or None when it can."""
        if self.plan_region is not None and code == self.plan_region:
            return (f"这是目标文件所属地区（{code}）本身，其目标写在目标文件中；"
                    "此处只下达给下级地区（乡镇、街道）")
        above = self.ancestors(code)
        if self.plan_region is None:
            return None if above else "是最上一级地区，其目标写在目标文件中；此处只下达给下级地区"
        return None if self.plan_region in above else f"不是目标文件所属地区 {self.plan_region} 的下级地区"


@dataclass(frozen=True)
class RowError:
    file: str
    row: int            # spreadsheet row number (header = 1); 1 for problems with the header itself
    column: str | None
    label: str | None   # the column's Chinese header
    value: str | None
    message: str
    header: bool = False  # a problem with the header itself (on whichever row the header is)

    def __str__(self) -> str:
        where = f"{self.file} 第{self.row}行"
        if self.column:
            where += f"，字段“{self.label or self.column}”（{self.column}）"
        if self.value not in (None, ""):
            where += f"，值“{self.value}”"
        return f"{where}：{self.message}"


def validate_frame(kind: Kind, frame: pd.DataFrame, file_name: str, known_regions: set[str],
                   indicator_ids: IndicatorIds | None = None, progress: Progress | None = None,
                   referenced_keys: Container[str] | None = None, scope: RegionScope | None = None,
                   industries: Mapping[str, str] | None = None, region_names: RegionNames | None = None,
                   header_row: int = HEADER_ROW, by_columns: bool = True) -> tuple[pd.DataFrame, list[RowError]]:
    """The valid rows as a typed frame, and an error for every problem found, in file order.

    `frame` holds text cells indexed by spreadsheet row number (as readers.read_table gives them). The
    rules run in turn: the header, each row's own rules (the kind's model), duplicate keys, then what the
    rows refer to (regions, parent regions, goals and, when `indicator_ids` maps each goal to its frequency,
    whether a reported period is of that frequency; the rows of the kind's `reference`, when
    `referenced_keys` lists the keys it may name; for a kind with `below_plan_region`, where its regions may be,
    by `scope`; the industry columns against `industries`, spelling → canonical name, see io/industries.py)
    for the rows still valid. Headers match the kind's columns by English name, Chinese title or a synonym
    (layout_detect.match_columns); with `region_names`, a name in the region column (周党镇) reads as its code.
    A missing column is reported on `header_row`, the row the header was found on. With `by_columns` (the
    default) the rows are checked column by column where the kind allows it (io/columnar.py), with the same
    result as row by row.
    """
    twice = duplicate_columns(kind, frame.columns)
    if twice:  # which of the two is meant cannot be guessed
        return _typed_frame(kind, []), [
            RowError(file_name, header_row, c, kind.labels[c], None, _named_twice(kind, c, headers), header=True)
            for c, headers in twice.items()]
    found = _found_columns(kind, frame)
    missing = [c for c in kind.required if c not in found]
    if missing:
        return _typed_frame(kind, []), [
            RowError(file_name, header_row, c, kind.labels[c], None, "缺少必需的列", header=True) for c in missing]
    frame = pd.DataFrame({c: frame.iloc[:, found[c]] if c in found else "" for c in kind.columns},
                         index=frame.index, columns=kind.columns)
    refs = _Refs(known_regions, indicator_ids, referenced_keys, scope, industries)
    plan = columnar.plan_for(kind) if by_columns else None
    checked = _by_columns(kind, plan, frame, file_name, refs, region_names, progress) if plan is not None else None
    return checked if checked is not None else _by_rows(kind, frame, file_name, refs, region_names, progress)


@dataclass(frozen=True)
class _Refs:
    """What a file's rows may name beyond their own cells (see validate_frame)."""

    known_regions: set[str]
    indicator_ids: IndicatorIds | None
    referenced_keys: Container[str] | None
    scope: RegionScope | None
    industries: Mapping[str, str] | None


def _by_rows(kind: Kind, frame: pd.DataFrame, file_name: str, refs: _Refs, region_names: RegionNames | None,
             progress: Progress | None) -> tuple[pd.DataFrame, list[RowError]]:
    """validate_frame, every row through the kind's model."""
    problems = _Problems(kind, frame, file_name)
    # Column lists zipped into dicts: far quicker than DataFrame.to_dict on pandas' Arrow-backed text.
    columns = [frame[c].tolist() for c in kind.columns]
    records = [dict(zip(kind.columns, values)) for values in zip(*columns)]
    codes, named = _codes_for_names(kind, enumerate(records), region_names)
    for position, why in named.items():
        problems.flag(position, kind.region_column, why)
    for position, code in codes.items():
        records[position][kind.region_column] = code
    typed = _check_rows(kind, records, problems, progress)
    if named:  # a name refused already: its cell's pattern error says nothing more
        problems.forget(lambda position, error: position in named and error.column == kind.region_column
                        and error.message != named[position])
    keys = _row_keys(kind, records, typed)
    _check_duplicate_keys(kind, keys, problems)
    still_valid = [(position, row) for position, row in enumerate(typed)
                   if row is not None and position not in problems.bad]
    own_keys = {key[0] for key in keys} if kind.parent_column else set()
    _check_references(kind, still_valid, problems, refs.known_regions, own_keys, refs.indicator_ids)
    if kind.below_plan_region and refs.scope is not None:
        _check_below_plan(kind, still_valid, problems, refs.known_regions, refs.scope)
    if kind.reference and refs.referenced_keys is not None:
        _check_referenced(kind, still_valid, problems, refs.referenced_keys)
    check_industries(kind, still_valid, problems, refs.industries)
    clean = [row for position, row in enumerate(typed) if row is not None and position not in problems.bad]
    return _typed_frame(kind, clean), problems.in_file_order()


def _by_columns(kind: Kind, plan: columnar.ColumnPlan, frame: pd.DataFrame, file_name: str, refs: _Refs,
                region_names: RegionNames | None,
                progress: Progress | None) -> tuple[pd.DataFrame, list[RowError]] | None:
    """validate_frame column by column, the suspect rows through the model, each phase as _by_rows has it (so
    a row's problems come in the same order); None when the frame is not one the column pass reads."""
    column = kind.region_column
    names = columnar.region_name_rows(frame, column) if column and region_names is not None else []
    codes, named = _codes_for_names(kind, ((p, {column: frame[column].iat[p]}) for p in names), region_names)
    cells = frame
    if codes:  # the rules see the code; messages quote the file's cell (problems.frame)
        replaced = frame[column].to_numpy(dtype=object, copy=True)
        replaced[list(codes)] = list(codes.values())
        cells = frame.assign(**{column: replaced})
    checked = columnar.check(plan, cells)
    if checked is None:
        return None
    if progress:
        progress(f"校验 {file_name}", 0.5)
    problems = _Problems(kind, frame, file_name)
    for position, why in named.items():
        problems.flag(position, column, why)
    suspects = np.flatnonzero(checked.suspect)
    records = [dict(zip(kind.columns, row)) for row in cells.iloc[suspects].itertuples(index=False, name=None)]
    typed_suspects = _check_rows(kind, records, problems, None, suspects)
    if named:
        problems.forget(lambda position, error: position in named and error.column == column
                        and error.message != named[position])
    columns = checked.columns
    read = ~checked.suspect  # the rows the model reads (typed), as _by_rows' `typed[position] is not None`
    for position, row in zip(suspects, typed_suspects):
        if row is not None:
            read[position] = True
            for c in kind.columns:
                columns[c].set(position, row[c])
    for position, first in _duplicates([columns[c].key_ids(read) for c in kind.key]):
        _flag_duplicate(kind, position, first, problems)
    still_valid = np.flatnonzero(read & ~_marked(problems.bad, len(frame)))
    _check_named(kind, columns, read, still_valid, problems, refs)
    clean = still_valid[~_marked(problems.bad, len(frame))[still_valid]]
    if progress:
        progress(f"校验 {file_name}", 1.0)
    return _typed_columns(kind, columns, clean), problems.in_file_order()


def _marked(positions: set[int], length: int) -> np.ndarray:
    mask = np.zeros(length, dtype=bool)
    mask[list(positions)] = True
    return mask


def _duplicates(keys: list[np.ndarray]) -> list[tuple[int, int]]:
    """(row, the first row with its key) for every row whose key (ids per column, CheckedColumn.key_ids) an
    earlier row has, in file order."""
    group = keys[0].astype(np.int64)
    for ids in keys[1:]:
        group = pd.factorize(group * (int(ids.max(initial=0)) + 1) + ids)[0]
    _, first_index, inverse = np.unique(group, return_index=True, return_inverse=True)
    first = first_index[inverse]
    later = np.flatnonzero(first != np.arange(len(first)))
    return list(zip(later.tolist(), first[later].tolist()))


def _check_named(kind: Kind, columns: dict[str, columnar.CheckedColumn], read: np.ndarray, still_valid: np.ndarray,
                 problems: _Problems, refs: _Refs) -> None:
    """_by_rows' checks of what rows name, run on the rows that may fail them (found column-wise): the same
    functions, so the same messages; the industries put in their canonical names."""
    def rows(positions: Iterable[int]) -> list[tuple[int, dict]]:
        return [(p, {c: columns[c].at(p) for c in kind.columns}) for p in positions]

    ids = refs.indicator_ids
    own_keys: set = set()
    if kind.parent_column:  # _by_rows' keys: typed where read, else the cleaned text
        key = columns[kind.key[0]]
        own_keys = {key.at(p) if read[p] else key.cleaned[key.codes[p]] for p in range(len(read))}
    every = kind.indicator_list_column and ids is not None or isinstance(ids, Mapping) and kind.period_columns
    suspect = np.full(len(still_valid), bool(every))
    if kind.region_column:
        suspect |= ~columns[kind.region_column].inside(still_valid, lambda v: v in refs.known_regions)
    if kind.parent_column:
        suspect |= ~columns[kind.parent_column].inside(
            still_valid, lambda v: not v or v in refs.known_regions or v in own_keys)
    if kind.indicator_column and ids is not None:
        suspect |= ~columns[kind.indicator_column].inside(still_valid, lambda v: v is None or v in ids)
    _check_references(kind, rows(still_valid[suspect]), problems, refs.known_regions, own_keys, ids)
    if kind.below_plan_region and refs.scope is not None:
        _check_below_plan(kind, rows(still_valid), problems, refs.known_regions, refs.scope)
    if kind.reference and refs.referenced_keys is not None:
        named = refs.referenced_keys
        listed = columns[kind.reference.column].inside(still_valid, lambda v: v is None or v in named)
        _check_referenced(kind, rows(still_valid[~listed]), problems, named)
    spellings, industries = refs.industries, industry_columns(kind)
    if spellings and industries and len(still_valid):
        unlisted = np.zeros(len(still_valid), dtype=bool)
        for column in industries:
            unlisted |= ~columns[column].inside(still_valid, lambda v: v is None or v in spellings)
        check_industries(kind, rows(still_valid[unlisted]), problems, spellings)
        for column in industries:  # the rows left are listed: each in its canonical name
            columns[column].map(lambda v: None if v is None else spellings.get(v, v))


def _typed_columns(kind: Kind, columns: dict[str, columnar.CheckedColumn], rows: np.ndarray) -> pd.DataFrame:
    """_typed_frame of the rows at `rows`: each column's distinct values typed as _typed_frame types a column
    (pandas infers a column's type from the values it holds, whatever their number), then spread to the rows."""
    if not len(rows):
        return _typed_frame(kind, [])
    data = {}
    for column in kind.columns:
        distinct, codes = columns[column].distinct_of(rows)
        data[column] = _typed_column(kind, column, distinct).take(codes).reset_index(drop=True)
    return pd.DataFrame(data, columns=kind.columns)


def _named_twice(kind: Kind, column: str, headers: list[str]) -> str:
    """表头中“mark_name”与“商标名称”都对应字段 商标名称，请删去其一 (or: “商标名称”出现 2 次 …)."""
    distinct = list(dict.fromkeys(headers))
    named = f"“{distinct[0]}”出现 {len(headers)} 次" if len(distinct) == 1 else \
        "与".join(["、".join(f"“{h}”" for h in distinct[:-1]), f"“{distinct[-1]}”"]) + "都"
    return f"表头中{named}对应字段 {kind.labels[column]}，请删去其一"


def _found_columns(kind: Kind, frame: pd.DataFrame) -> dict[str, int]:
    """The kind's columns the file has → their position. Headers match by English name, Chinese title or a
    synonym, ignoring spaces around them; by position, so headers repeated among the columns no kind reads
    (备注, 备注 ) do not matter."""
    mapping = match_columns(kind, [str(c) for c in frame.columns])
    found: dict[str, int] = {}
    for position, header in enumerate(frame.columns):
        if (column := mapping.get(str(header))) is not None:
            found.setdefault(column, position)
    return found


class _Problems:
    """The errors found in one file so far, and the rows (by position) they make invalid."""

    def __init__(self, kind: Kind, frame: pd.DataFrame, file_name: str):
        self.kind, self.frame, self.file_name = kind, frame, file_name
        self.row_numbers = frame.index.tolist()
        self.errors: list[RowError] = []
        self.positions: list[int] = []  # each error's row position in the frame
        self.bad: set[int] = set()

    def cell(self, position: int, column: str) -> str:
        """The cell's text as the file has it."""
        return str(self.frame.iat[position, self.kind.columns.index(column)])

    def filled(self, position: int, columns: tuple[str, ...]) -> str:
        """The first of `columns` the row has a cell in (the first of them when it has none)."""
        return next((c for c in columns if self.cell(position, c).strip()), columns[0])

    def flag(self, position: int, column: str | None, message: str) -> None:
        value = None if column is None else self.cell(position, column)
        self.errors.append(RowError(self.file_name, self.row_numbers[position], column,
                                    self.kind.labels.get(column) if column else None, value, message))
        self.positions.append(position)
        self.bad.add(position)

    def forget(self, which: Callable[[int, RowError], bool]) -> None:
        """Drop the errors `which` picks (by row position and error); their rows stay invalid."""
        kept = [(p, e) for p, e in zip(self.positions, self.errors) if not which(p, e)]
        self.positions, self.errors = [p for p, _ in kept], [e for _, e in kept]

    def in_file_order(self) -> list[RowError]:
        """By row, then by column as the file has them; a row's problems keep the order they were found."""
        order = {c: i for i, c in enumerate(self.kind.columns)}
        return sorted(self.errors, key=lambda e: (e.row, order.get(e.column, -1)))


def _codes_for_names(kind: Kind, records: Iterable[tuple[int, dict]],
                     region_names: RegionNames | None) -> tuple[dict[int, str], dict[int, str]]:
    """The codes of the region names in the region column (position → code), and the rows whose name is
    unknown or ambiguous (position → why)."""
    column = kind.region_column
    if column is None or region_names is None:
        return {}, {}
    codes, refused = {}, {}
    for position, record in records:
        cell = strip_invisible(str(record[column]))
        if is_code_like(cell):
            continue
        code, why = region_names.lookup(cell.strip())
        if code is not None:
            codes[position] = code
        else:
            refused[position] = why
    return codes, refused


def _check_rows(kind: Kind, records: list[dict], problems: _Problems, progress: Progress | None,
                positions: Sequence[int] | None = None) -> list[dict | None]:
    """Each row through the kind's model: its typed values, or None where a rule failed (and is flagged).
    `positions` are the records' rows in the frame (by default, the records are the frame's rows)."""
    adapter = TypeAdapter(list[kind.model])
    where = positions if positions is not None else range(len(records))
    typed: list[dict | None] = []
    for start in range(0, len(records), CHUNK_ROWS):
        chunk = records[start:start + CHUNK_ROWS]
        try:
            # One call validates a whole chunk in pydantic's core; most files have no errors at all.
            typed += [row.model_dump() for row in adapter.validate_python(chunk)]
        except ValidationError as exc:
            failed = set()
            for error in exc.errors():
                position = start + error["loc"][0]
                # A rule across the row's cells names the column it concerns (schemas.ColumnError).
                column = error["loc"][1] if len(error["loc"]) > 1 else \
                    getattr((error.get("ctx") or {}).get("error"), "column", None)
                problems.flag(where[position], column if column in kind.labels else None, chinese_message(error))
                failed.add(position)
            typed += [None if start + i in failed else kind.model.model_validate(record).model_dump()
                      for i, record in enumerate(chunk)]
        if progress:
            progress(f"校验 {problems.file_name}", min(1.0, (start + len(chunk)) / max(len(records), 1)))
    return typed


def _row_keys(kind: Kind, records: list[dict], typed: list[dict | None]) -> list[tuple]:
    """Each row's key as read, which is as stored (so 2025-Q3 and 2025年第三季度 are one period, full-width
    digits their ASCII ones, a zero-width space nothing); a row that could not be read keeps its cells' text,
    cleaned as the model cleans it."""
    columns = kind.key
    read = itemgetter(*columns) if len(columns) > 1 else (lambda row: (row[columns[0]],))
    return [read(row) if row is not None else read(kind.model.cleaned({c: str(record[c]) for c in columns}))
            for row, record in zip(typed, records)]


def _check_duplicate_keys(kind: Kind, keys: list[tuple], problems: _Problems) -> None:
    """A key seen on an earlier row of the file: the later row is flagged, naming the first."""
    first_seen: dict[tuple, int] = {}
    for position, key in enumerate(keys):
        if key not in first_seen:
            first_seen[key] = position
        else:
            _flag_duplicate(kind, position, first_seen[key], problems)


def _flag_duplicate(kind: Kind, position: int, first_position: int, problems: _Problems) -> None:
    """A key of one column is flagged on it; a key of several (indicator, region, period) on its last, the
    period."""
    first = problems.row_numbers[first_position]
    if len(kind.key) == 1:
        cells = [problems.cell(p, kind.key[0]) for p in (first_position, position)]
        unseen = "（去除不可见的零宽或方向控制字符后）" if any(strip_invisible(c) != c for c in cells) else ""
        problems.flag(position, kind.key[0], f"与第{first}行的{kind.labels[kind.key[0]]}重复{unseen}")
        return
    column = problems.filled(position, kind.period_columns) if kind.key[-1] in kind.period_columns \
        else kind.key[-1]
    problems.flag(position, column, f"与第{first}行重复（{'、'.join(kind.labels[c] for c in kind.key)}均相同）")


def _check_references(kind: Kind, rows: list[tuple[int, dict]], problems: _Problems, known_regions: set[str],
                      own_keys: set[str], indicator_ids: IndicatorIds | None) -> None:
    """What valid rows name must exist: their region, their parent region (in the store or in this very
    file), their goal (when the goal ids are given) and, when the ids come with their frequencies, a period
    of that frequency."""
    frequencies = indicator_ids if isinstance(indicator_ids, Mapping) and kind.period_columns else None
    for position, row in rows:
        if kind.indicator_list_column and indicator_ids is not None:
            _check_indicator_list(kind.indicator_list_column, position, row, problems, indicator_ids)
        if kind.region_column and row[kind.region_column] not in known_regions:
            problems.flag(position, kind.region_column, "区划代码不存在（请先导入行政区划）")
        parent = row[kind.parent_column] if kind.parent_column else None
        if parent and parent not in known_regions and parent not in own_keys:
            problems.flag(position, kind.parent_column, "上级区划代码既不在文件中，也不在数据库中")
        if not kind.indicator_column or indicator_ids is None:
            continue
        goal = row[kind.indicator_column]
        if goal is None:  # a kind whose indicator may be left blank (an action item on no indicator)
            continue
        if goal not in indicator_ids:
            problems.flag(position, kind.indicator_column, f"不认识的指标（可选：{'、'.join(sorted(indicator_ids))}）")
        elif frequencies is not None:
            wrong = _wrong_frequency(goal, frequencies[goal], row[kind.period_columns[0]])
            if wrong:
                problems.flag(position, problems.filled(position, kind.period_columns), wrong)


def _check_below_plan(kind: Kind, rows: list[tuple[int, dict]], problems: _Problems, known_regions: set[str],
                      scope: RegionScope) -> None:
    """A target is assigned to a region below the plan's own (an unknown region is flagged already)."""
    for position, row in rows:
        code = row[kind.region_column]
        wrong = scope.problem(code) if code in known_regions and position not in problems.bad else None
        if wrong:
            problems.flag(position, kind.region_column, wrong)


def _check_indicator_list(column: str, position: int, row: dict, problems: _Problems,
                          indicator_ids: IndicatorIds) -> None:
    """Every id of a cell of several goal ids ('a,b') must be a goal of the definitions file."""
    unknown = [goal for goal in (row[column] or "").split(",") if goal and goal not in indicator_ids]
    if unknown:
        problems.flag(position, column, f"不认识的指标 {'、'.join(unknown)}（可选：{'、'.join(sorted(indicator_ids))}）")


def _check_referenced(kind: Kind, rows: list[tuple[int, dict]], problems: _Problems, keys: Container[str]) -> None:
    """What a row names by another kind's key (a report's task) must be in the store or in this import; a
    blank optional reference (a 督办事项 on no task) names nothing."""
    column, other = kind.reference.column, KINDS[kind.reference.kind]
    for position, row in rows:
        if row[column] is not None and row[column] not in keys:
            problems.flag(position, column, f"{other.title}中没有此{kind.labels[column]}"
                                            f"（请先导入{other.title}，或与之一同导入）")


def _wrong_frequency(goal: str, frequency: str, period_text: str) -> str | None:
    """Why a period (machine form) cannot hold a figure of an indicator counted by `frequency`; None if it can."""
    if periods.frequency_of(periods.period_from_text(period_text)) == frequency:
        return None
    return (f"指标 {goal} 按{periods.PERIOD_WORD[frequency]}统计，期间应写作{PERIOD_NOUN[frequency]}"
            f"（如 {PERIOD_SPELLINGS[frequency]}），不能是{describe_period(period_text)}")


def _typed_frame(kind: Kind, rows: list[dict]) -> pd.DataFrame:
    """The valid rows as the store takes them, column by column."""
    return pd.DataFrame({c: _typed_column(kind, c, [row[c] for row in rows]) for c in kind.columns},
                        columns=kind.columns)


def _typed_column(kind: Kind, column: str, values: list) -> pd.Series:
    """A column's typed values as the store takes them: pandas infers the type from the values it holds, a day
    is a timestamp, a month a figure stands for is stored as its last day."""
    series = pd.Series(values, dtype=None if values else object)
    dated = kind.dated(column)
    if dated is not None and dated.kept_as == "day":
        return pd.to_datetime(series)
    if dated is not None and dated.kept_as == "month_end":
        return pd.Series(pd.PeriodIndex(series, freq="M").to_timestamp(how="end").normalize())
    return series
