"""Load files of records into the store: read, validate every row, then write all or nothing.

A file with any invalid row changes nothing, unless the caller accepts the valid rows (the rejected
ones then go to an error workbook). Rows replace stored rows with the same natural key, so importing a
file twice gives the same figures as once. Every committed import is logged and bumps the store's
data version, in the same transaction as the rows.
"""

from __future__ import annotations

import getpass
import hashlib
import io
import re
from collections.abc import Container, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from operator import itemgetter
from pathlib import Path
from typing import Callable, Iterable, Union

import pandas as pd
from pydantic import TypeAdapter, ValidationError

from ipmetrics.core import periods
from ipmetrics.core.measures import MEASURE_SOURCE
from ipmetrics.core.settings import SQL_DIR
from ipmetrics.core.store import Store
from ipmetrics.core.validation import chinese_message, strip_invisible
from ipmetrics.io.industries import check_industries
from ipmetrics.io.layout_detect import duplicate_columns, match_columns
from ipmetrics.io.mappings import ColumnMapping, MappingMismatch, apply, saved_mapping
from ipmetrics.io.readers import DEFAULT_MAX_BYTES, MAX_ROWS, NoDataRows, ReadError, Source, Table, read_table
from ipmetrics.io.region_names import RegionNames, is_code_like
from ipmetrics.io.schemas import KINDS, LOAD_ORDER, PERIOD_NOUN, PERIOD_SPELLINGS, Kind, describe_period

HEADER_ROW = 1  # rows are numbered as a spreadsheet shows them: the header is row 1
CHUNK_ROWS = 20_000  # validation reports progress after each chunk
# Problems listed one by one (screen, error workbook); beyond them only counts per rule. A 200,000-row file with
# four problems a row would otherwise make a list longer than a sheet holds (1,048,576 rows).
LISTED_PROBLEMS = 1_000
_NUMBERS = re.compile(r"\d[\d,]*")

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


@dataclass
class ImportResult:
    kind: str
    file_name: str
    sha256: str
    rows_read: int
    format: str = "csv"
    encoding: str | None = None
    rows_valid: int = 0     # rows that passed every rule (what an import would write)
    rows_loaded: int = 0    # rows written (0 until committed)
    errors: list[RowError] = field(default_factory=list)
    committed: bool = False
    dry_run: bool = False
    table: pd.DataFrame | None = field(default=None, repr=False)  # the file's cells, by row number
    data_through: str | None = None  # 'YYYY-MM': the last month this import vouches for
    notes: list[str] = field(default_factory=list)  # rows left out (title, 填报单位, 合计 …), in Chinese
    mapping: ColumnMapping | None = None  # the saved column mapping the file was read by, if any

    @property
    def rows_rejected(self) -> int:
        return len({e.row for e in self.errors if not _on_header(e)})

    @property
    def header_broken(self) -> bool:
        """The header lacks a required column or was not found: no row can be imported."""
        return any(_on_header(e) for e in self.errors)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def mapping_note(self) -> str | None:
        """The sentence saying the file was read by a saved column mapping (None when it was not)."""
        if self.mapping is None:
            return None
        return f"按已保存的列对应关系（来源：{self.mapping.source_name or '（无名称）'}）读取"

    def error_frame(self, limit: int | None = None) -> pd.DataFrame:
        """One line per problem, in Chinese, for the screen and the error workbook: the first `limit`
        (LISTED_PROBLEMS by default; see problems_note)."""
        shown = self.errors[:LISTED_PROBLEMS if limit is None else limit]
        return pd.DataFrame([{"文件": e.file, "行号": e.row, "字段": e.label or e.column or "",
                              "列名": e.column or "", "值": e.value or "", "问题": e.message}
                             for e in shown], columns=["文件", "行号", "字段", "列名", "值", "问题"])

    @property
    def problems_note(self) -> str | None:
        """"共 N 处问题，仅列出前 1000 处" when the list is cut, else None."""
        if len(self.errors) <= LISTED_PROBLEMS:
            return None
        return f"共 {len(self.errors):,} 处问题，仅列出前 {LISTED_PROBLEMS} 处"

    def problem_counts(self) -> pd.DataFrame:
        """How many problems of each rule: by field and message, its numbers (row numbers, limits) set aside,
        most frequent first, with the first row each was found on."""
        counts: dict[tuple[str, str], list[int]] = {}
        for error in self.errors:
            rule = (error.label or error.column or "（整行）", _NUMBERS.sub("…", error.message))
            seen = counts.setdefault(rule, [0, error.row])
            seen[0] += 1
        frame = pd.DataFrame([{"文件": self.file_name, "字段": field, "问题": message, "处数": count, "首见行号": row}
                              for (field, message), (count, row) in counts.items()],
                             columns=["文件", "字段", "问题", "处数", "首见行号"])
        return frame.sort_values("处数", ascending=False, kind="stable").reset_index(drop=True)

    def rejected_rows(self) -> pd.DataFrame:
        """The rejected rows as they were in the file, with their row number and what is wrong. At most the
        row limit of a file (readers.MAX_ROWS), so a sheet of them always fits in a workbook."""
        if self.table is None or not self.errors:
            return pd.DataFrame()
        problems: dict[int, list[str]] = {}
        for error in self.errors:
            if not _on_header(error):
                problems.setdefault(error.row, []).append(
                    (f"{error.label}：" if error.label else "") + error.message)
        rows = self.table.loc[[r for r in self.table.index if r in problems]].copy()
        rows.insert(0, "行号", rows.index)
        rows["错误说明"] = ["；".join(problems[r]) for r in rows.index]
        return rows.reset_index(drop=True)


class ImportRejected(Exception):
    """Nothing was written because some rows are invalid; `results` say which."""

    def __init__(self, results: list[ImportResult]):
        self.results = results
        total = sum(len(r.errors) for r in results)
        lines = [str(e) for r in results for e in r.errors[:50]][:50]  # never a string per problem of a huge file
        shown = lines + ([f"……另有 {total - 50:,} 处错误"] if total > 50 else [])
        super().__init__("导入被拒绝，数据库未作任何改动：\n" + "\n".join(shown))


def _on_header(error: RowError) -> bool:
    return error.header or error.row <= HEADER_ROW


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def guess_kind(columns: Iterable[str]) -> str | None:
    """The import kind whose columns (English, Chinese or a synonym) the header matches best, if any matches."""
    found = [str(c).strip() for c in columns]
    best, best_score = None, 0.0
    for kind in KINDS.values():
        score = len(match_columns(kind, found)) / len(kind.columns)
        if score > best_score:
            best, best_score = kind.name, score
    return best if best_score >= 0.5 else None


def validate_frame(kind: Kind, frame: pd.DataFrame, file_name: str, known_regions: set[str],
                   indicator_ids: IndicatorIds | None = None, progress: Progress | None = None,
                   referenced_keys: Container[str] | None = None, scope: RegionScope | None = None,
                   industries: Mapping[str, str] | None = None, region_names: RegionNames | None = None,
                   header_row: int = HEADER_ROW) -> tuple[pd.DataFrame, list[RowError]]:
    """The valid rows as a typed frame, and an error for every problem found, in file order.

    `frame` holds text cells indexed by spreadsheet row number (as readers.read_table gives them). The
    rules run in turn: the header, each row's own rules (the kind's model), duplicate keys, then what the
    rows refer to (regions, parent regions, goals and, when `indicator_ids` maps each goal to its frequency,
    whether a reported period is of that frequency; the rows of the kind's `reference`, when
    `referenced_keys` lists the keys it may name; for a kind with `below_plan_region`, where its regions may be,
    by `scope`; the industry columns against `industries`, spelling → canonical name, see io/industries.py)
    for the rows still valid. Headers match the kind's columns by English name, Chinese title or a synonym
    (layout_detect.match_columns); with `region_names`, a name in the region column (周党镇) reads as its code.
    A missing column is reported on `header_row`, the row the header was found on.
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
    problems = _Problems(kind, frame, file_name)
    # Column lists zipped into dicts: far quicker than DataFrame.to_dict on pandas' Arrow-backed text.
    columns = [frame[c].tolist() for c in kind.columns]
    records = [dict(zip(kind.columns, values)) for values in zip(*columns)]
    named = _codes_for_names(kind, records, problems, region_names)
    typed = _check_rows(kind, records, problems, progress)
    if named:  # a name refused already: its cell's pattern error says nothing more
        problems.forget(lambda position, error: position in named and error.column == kind.region_column
                        and error.message != named[position])
    keys = _row_keys(kind, records, typed)
    _check_duplicate_keys(kind, keys, problems)
    still_valid = [(position, row) for position, row in enumerate(typed)
                   if row is not None and position not in problems.bad]
    own_keys = {key[0] for key in keys} if kind.parent_column else set()
    _check_references(kind, still_valid, problems, known_regions, own_keys, indicator_ids)
    if kind.below_plan_region and scope is not None:
        _check_below_plan(kind, still_valid, problems, known_regions, scope)
    if kind.reference and referenced_keys is not None:
        _check_referenced(kind, still_valid, problems, referenced_keys)
    check_industries(kind, still_valid, problems, industries)
    clean = [row for position, row in enumerate(typed) if row is not None and position not in problems.bad]
    return _typed_frame(kind, clean), problems.in_file_order()


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
        self.row_numbers = list(frame.index)
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


def _codes_for_names(kind: Kind, records: list[dict], problems: _Problems,
                     region_names: RegionNames | None) -> dict[int, str]:
    """Region names in the region column replaced by their codes (in `records`); the rows whose name is
    unknown or ambiguous are flagged: position → message."""
    column = kind.region_column
    if column is None or region_names is None:
        return {}
    refused = {}
    for position, record in enumerate(records):
        cell = strip_invisible(str(record[column]))
        if is_code_like(cell):
            continue
        code, why = region_names.lookup(cell.strip())
        if code is not None:
            record[column] = code
        else:
            problems.flag(position, column, why)
            refused[position] = why
    return refused


def _check_rows(kind: Kind, records: list[dict], problems: _Problems,
                progress: Progress | None) -> list[dict | None]:
    """Each row through the kind's model: its typed values, or None where a rule failed (and is flagged)."""
    adapter = TypeAdapter(list[kind.model])
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
                problems.flag(position, column if column in kind.labels else None, chinese_message(error))
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
    """A key seen on an earlier row of the file: the later row is flagged, naming the first. A key of one
    column is flagged on it; a key of several (indicator, region, period) on its last, the period."""
    first_seen: dict[tuple, int] = {}
    for position, key in enumerate(keys):
        if key not in first_seen:
            first_seen[key] = position
            continue
        first = problems.row_numbers[first_seen[key]]
        if len(kind.key) == 1:
            cells = [problems.cell(p, kind.key[0]) for p in (first_seen[key], position)]
            unseen = "（去除不可见的零宽或方向控制字符后）" if any(strip_invisible(c) != c for c in cells) else ""
            problems.flag(position, kind.key[0], f"与第{first}行的{kind.labels[kind.key[0]]}重复{unseen}")
            continue
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


class _StoreKeys:
    """The keys a referenced kind has in the store, read when first asked (a file whose optional reference
    column is all blank never asks), and those of the same import's files of that kind."""

    def __init__(self, store: Store, query: str):
        self._store, self._query = store, query
        self._stored: set[str] | None = None
        self._added: set[str] = set()

    def add(self, keys: Iterable[str]) -> None:
        self._added |= set(keys)

    def __contains__(self, key: object) -> bool:
        if key in self._added:
            return True
        if self._stored is None:
            self._stored = set(self._store.frame(self._query).iloc[:, 0].astype(str))
        return key in self._stored


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
    frame = pd.DataFrame(rows, columns=kind.columns)
    for name in kind.columns_kept_as("day"):
        frame[name] = pd.to_datetime(frame[name])
    for name in kind.columns_kept_as("month_end"):
        # A month a figure stands for is stored as its last day.
        frame[name] = pd.PeriodIndex(frame[name], freq="M").to_timestamp(how="end").normalize()
    return frame


def inferred_through(kind: Kind, frame: pd.DataFrame, now: datetime) -> str | None:
    """The month an import covers when the user does not say: the latest event month of a dated
    kind (its `event_columns`); for a list (enterprises, population, brands …) the last month
    completed at import time."""
    if kind.event_columns:
        # A date after today (an expiry known in advance, an event dated ahead) vouches for no month to come.
        dates = pd.concat([pd.to_datetime(frame[c]) for c in kind.event_columns])
        latest = dates[dates <= pd.Timestamp(now)].max()
        return None if pd.isna(latest) else str(latest.to_period("M"))
    return str(pd.Period(now, freq="M") - 1)


# The record tables that goals count: an import into one of them refreshes its monthly sums.
MEASURE_SOURCES = frozenset(MEASURE_SOURCE.values())


def _write(store: Store, loads: list[tuple[Kind, pd.DataFrame, ImportResult]], user: str,
           mark_sample: bool, progress: Progress | None, through: pd.Period | None, client: str,
           actor: str) -> None:
    """Write every validated frame, log each import and bump the data version: one transaction."""
    now = datetime.now()
    for kind, frame, result in loads:
        result.data_through = str(through) if through is not None else inferred_through(kind, frame, now)
    if mark_sample:
        # The sample files end together: each vouches for the sample's last month.
        last = max((r.data_through for _, _, r in loads if r.data_through), default=None)
        for _, _, result in loads:
            result.data_through = last
    with store.transaction() as tx:
        for number, (kind, frame, result) in enumerate(loads):
            if progress:
                progress(f"写入 {result.file_name}", number / len(loads))
            if not frame.empty:
                tx.stage(frame)
                if kind.name in MEASURE_SOURCES:  # before the rows it replaces are gone
                    tx.run_script(SQL_DIR / "imports" / "touched" / f"{kind.name}.sql")
                tx.run_script(SQL_DIR / "imports" / f"{kind.name}.sql", user=user, now=now)
                tx.drop_stage()
            tx.execute("log_import", kind=kind.name, file_name=result.file_name, sha256=result.sha256,
                       rows_read=result.rows_read, rows_loaded=len(frame),
                       rows_rejected=result.rows_rejected, imported_by=user, imported_at=now,
                       data_through=result.data_through)
            tx.execute("audit", at=now, actor=actor, action="import", client=client,
                       detail=f"{kind.title}（{kind.name}）{result.file_name}：写入 {len(frame)} 行")
        # The monthly sums the pages read (migration 006) follow the records in the same transaction.
        touched = [source for source in dict.fromkeys(kind.name for kind, frame, _ in loads if not frame.empty)
                   if source in MEASURE_SOURCES]
        for source in touched:
            tx.run_script(SQL_DIR / "imports" / "refresh_measure_monthly.sql", source=source)
        if touched:
            tx.run_script(SQL_DIR / "imports" / "drop_import_regions.sql")
        tx.execute("bump_data_version")
        if mark_sample:
            tx.execute("set_meta_value", key="sample_data", value="true")
    for _, frame, result in loads:
        result.rows_loaded = len(frame)
        result.committed = True
    if progress:
        progress("导入完成", 1.0)


def _parents(regions: pd.DataFrame) -> dict[str, str | None]:
    """code → parent code (None at the top) of a frame of regions."""
    return {str(code): None if pd.isna(parent) or str(parent) == "" else str(parent)
            for code, parent in zip(regions["code"], regions["parent_code"])}


def _source(item: Source | Path | str) -> Source:
    return item if isinstance(item, Source) else Source.from_path(item)


def import_files(store: Store, files: Iterable[tuple[str, Source | Path | str]], *,
                 indicator_ids: IndicatorIds | None = None, dry_run: bool = False, accept_valid: bool = False,
                 user: str | None = None, mark_sample: bool = False, progress: Progress | None = None,
                 max_bytes: int = DEFAULT_MAX_BYTES, through: pd.Period | str | None = None,
                 client: str | None = None, actor: str | None = None,
                 plan_region: str | None = None, industries: Mapping[str, str] | None = None,
                 column_mappings: bool = True, max_rows: int = MAX_ROWS) -> list[ImportResult]:
    """Import several files in one transaction, regions first.

    `through` is the last month the files cover (数据截至月份); when omitted it is inferred per file
    (see inferred_through) and logged, for the monthly snapshot's readiness check. `user` is recorded
    in the import log and on edited rows; `actor` (default: `user`) and `client` in the audit log.
    `indicator_ids` are the goal ids files may name (a mapping to their frequencies also checks the periods
    of reported figures); without them any id is accepted. `plan_region` is the goal file's region: a
    township target (kind `targets`) must be for a region below it; without it, for a region below another.
    `industries` (Registry.industry_spellings()) are the industries the goal file lists, each spelling mapped to
    the name stored; an industry not among them is refused. Without them (or empty) any industry is accepted.
    With `column_mappings` (the default) a file whose source name has a saved column mapping (io/mappings.py)
    is read by it; the result's `mapping` says so.

    Raises ReadError for a file that cannot be read at all or is over `max_rows` data rows (NoDataRows for one
    without any data row, unless `mark_sample`: a month without new records is confirmed, not imported), and
    ImportRejected (writing nothing) when
    any row is invalid, unless `accept_valid`. With `dry_run`, validates and reports without writing.
    """
    pending = []
    for kind_name, item in files:
        if kind_name not in KINDS:
            raise ValueError(f"不支持的导入类型：{kind_name}（可选：{'、'.join(KINDS)}）")
        pending.append((KINDS[kind_name], _source(item)))
    pending.sort(key=lambda entry: LOAD_ORDER.index(entry[0].name))

    known_regions = set(store.frame("region_codes")["code"].astype(str))
    # The keys each referenced kind has in the store; the files of that kind in this import add theirs.
    referenced = {kind.reference.kind: _StoreKeys(store, kind.reference.query) for kind, _ in pending if kind.reference}
    scope = None
    if any(kind.below_plan_region for kind, _ in pending):
        stored = store.frame("region_parents")
        scope = RegionScope(_parents(stored), plan_region)
    region_names = RegionNames(lambda: store.frame("regions"))  # read only when a file names a region
    loads, results = [], []
    for kind, source in pending:
        # The bundled sample has a file per kind, some without rows in its span (no 督办事项 yet): kept as before.
        table: Table = read_table(source, max_bytes, kind.name, max_rows, allow_empty=mark_sample)
        result = ImportResult(kind=kind.name, file_name=source.name, sha256=sha256_of(source.data),
                              rows_read=len(table.frame), format=table.format, encoding=table.encoding,
                              dry_run=dry_run, table=table.frame, notes=table.notes)
        cells, result.mapping, mismatch = _mapped(store, kind, source.name, table.frame) if column_mappings \
            else (table.frame, None, None)
        if table.hint is not None and result.mapping is None:  # no header recognised: say where it seems to be
            frame, result.errors = _typed_frame(kind, []), [
                RowError(source.name, table.header_row, None, None, None, table.hint, header=True)]
        else:
            frame, result.errors = validate_frame(
                kind, cells, source.name, known_regions, indicator_ids, progress,
                referenced.get(kind.reference.kind) if kind.reference else None, scope, industries,
                region_names, table.header_row)
        if mismatch is not None and any(_on_header(e) for e in result.errors):
            result.errors = _mismatch_errors(mismatch, table.header_row) + result.errors
        result.rows_valid = len(frame)
        if kind.name == "regions":
            known_regions |= set(frame["code"])
            region_names.add(frame["code"], frame["name"])
            if scope is not None:  # a batch's own regions (load-sample into an empty store) are below its county
                scope.parents.update(_parents(frame))
        if kind.name in referenced:
            referenced[kind.name].add(frame[kind.key[0]])
        loads.append((kind, frame, result))
        results.append(result)

    header_problems = any(r.header_broken for r in results)
    if any(r.errors for r in results) and (not accept_valid or header_problems):
        raise ImportRejected(results)
    if not dry_run:
        user = user or getpass.getuser()
        _write(store, loads, user, mark_sample, progress, None if through is None else pd.Period(through, freq="M"),
               client or "cli", actor or user)
    return results


def _mapped(store: Store, kind: Kind, file_name: str,
            cells: pd.DataFrame) -> tuple[pd.DataFrame, ColumnMapping | None, MappingMismatch | None]:
    """The file's cells under field names by its source's saved mapping, and the mapping; the cells as they
    are when none is saved, or when the saved one names columns the file lacks (then with the mismatch, which
    only matters if the file's own headers do not match either: a file in the template's form needs no mapping)."""
    mapping = saved_mapping(store, kind.name, file_name)
    if mapping is None:
        return cells, None, None
    try:
        return apply(mapping, cells, file_name), mapping, None
    except MappingMismatch as mismatch:
        return cells, None, mismatch


def _mismatch_errors(mismatch: MappingMismatch, header_row: int) -> list[RowError]:
    labels = KINDS[mismatch.mapping.kind].labels
    return [RowError(mismatch.file_name, header_row, field, labels.get(field), None,
                     f"已保存的列对应关系（来源：{mismatch.mapping.source_name or '（无名称）'}）把此字段对应到列“{column}”，"
                     "但文件中没有这一列；请在数据导入页重新对应各列并保存", header=True)
            for field, column in mismatch.missing]


def import_file(store: Store, kind: str, source: Source | Path | str, **options) -> ImportResult:
    return import_files(store, [(kind, source)], **options)[0]


def error_workbook(results: list[ImportResult]) -> bytes:
    """An xlsx with the problems (the first LISTED_PROBLEMS of each file; when there are more, a sheet of counts
    per rule) and the rejected rows, for the user to correct and import again. Every sheet stays far below
    Excel's 1,048,576 rows: a file has at most readers.MAX_ROWS rows, so the rejected rows need no CSV."""
    from ipmetrics.io.workbooks import write_workbook  # openpyxl is only needed here and for templates

    listed = pd.concat([r.error_frame() for r in results], ignore_index=True)
    notes = [f"{r.file_name}：{r.problems_note}" for r in results if r.problems_note]
    sheets = {"问题清单": listed}
    if notes:  # the cut is said in the list itself, and only a cut list needs the counts beside it
        cut = pd.DataFrame([{**dict.fromkeys(listed.columns, ""), "文件": note, "问题": "其余见“问题统计”"}
                            for note in notes], columns=listed.columns)
        sheets["问题清单"] = pd.concat([listed, cut], ignore_index=True)
        sheets["问题统计"] = pd.concat([r.problem_counts() for r in results], ignore_index=True)
    for result in results:
        rejected = result.rejected_rows()
        if not rejected.empty:
            sheets[f"被拒绝的行-{KINDS[result.kind].title}"[:31]] = rejected
    buffer = io.BytesIO()
    write_workbook(sheets, buffer)
    return buffer.getvalue()


__all__ = ["ImportRejected", "ImportResult", "NoDataRows", "ReadError", "RowError", "Source", "error_workbook",
           "guess_kind", "import_file", "import_files", "validate_frame"]
