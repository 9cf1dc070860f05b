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
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Iterable

import pandas as pd

from ipmetrics.core.measures import MEASURE_SOURCE
from ipmetrics.core.settings import SQL_DIR
from ipmetrics.core.store import Store
from ipmetrics.io.checks import (
    HEADER_ROW,
    IndicatorIds,
    Progress,
    RegionScope,
    RowError,
    _typed_frame,
    validate_frame,
)
from ipmetrics.io.layout_detect import match_columns
from ipmetrics.io.mappings import ColumnMapping, MappingMismatch, apply, saved_mapping
from ipmetrics.io.readers import DEFAULT_MAX_BYTES, MAX_ROWS, NoDataRows, ReadError, Source, Table, read_table
from ipmetrics.io.region_names import RegionNames
from ipmetrics.io.schemas import KINDS, LOAD_ORDER, Kind

# Problems listed one by one (screen, error workbook); beyond them only counts per rule. A 200,000-row file with
# four problems a row would otherwise make a list longer than a sheet holds (1,048,576 rows).
LISTED_PROBLEMS = 1_000
_NUMBERS = re.compile(r"\d[\d,]*")


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


__all__ = ["ImportRejected", "ImportResult", "NoDataRows", "ReadError", "RegionScope", "RowError", "Source",
           "error_workbook", "guess_kind", "import_file", "import_files", "validate_frame"]
