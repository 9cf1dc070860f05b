"""Load files of records into the store: read, validate every row, then write all or nothing.

A file with any invalid row changes nothing, unless the caller accepts the valid rows. Rows replace
stored rows with the same natural key, so importing a file twice gives the same figures as once.
Every committed import is logged and bumps the store's data version.
"""

from __future__ import annotations

import getpass
import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Iterable, get_args

import pandas as pd
from pydantic import TypeAdapter, ValidationError

from ..settings import SQL_DIR
from ..store import Store
from ..validation import chinese_message
from .schemas import KINDS, LOAD_ORDER, Kind

HEADER_ROW = 1  # rows are numbered as a spreadsheet shows them: the header is row 1


@dataclass(frozen=True)
class RowError:
    file: str
    row: int            # spreadsheet row number (header = 1); 1 for problems with the header itself
    column: str | None
    label: str | None   # the column's Chinese header
    value: str | None
    message: str

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
    rows_loaded: int = 0
    errors: list[RowError] = field(default_factory=list)
    committed: bool = False
    dry_run: bool = False

    @property
    def rows_rejected(self) -> int:
        return len({e.row for e in self.errors if e.row > HEADER_ROW})

    @property
    def ok(self) -> bool:
        return not self.errors


class ImportRejected(Exception):
    """Nothing was written because some rows are invalid; `results` say which."""

    def __init__(self, results: list[ImportResult]):
        self.results = results
        lines = [str(e) for r in results for e in r.errors]
        shown = lines[:50] + ([f"……另有 {len(lines) - 50} 处错误"] if len(lines) > 50 else [])
        super().__init__("导入被拒绝，数据库未作任何改动：\n" + "\n".join(shown))


def read_csv(path: Path) -> pd.DataFrame:
    """A UTF-8 CSV (with or without BOM) as text cells; blanks stay empty strings."""
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _header_labels(kind: Kind) -> dict[str, str]:
    """Chinese headers → column names, so a file may use either."""
    return {label: name for name, label in kind.labels.items()}


def validate_frame(kind: Kind, frame: pd.DataFrame, file_name: str, known_regions: set[str],
                   indicator_ids: set[str] | None = None) -> tuple[pd.DataFrame, list[RowError]]:
    """The valid rows as a typed frame, and an error for every problem found."""
    frame = frame.rename(columns=lambda c: str(c).strip()).rename(columns=_header_labels(kind))
    missing = [c for c in kind.required if c not in frame.columns]
    if missing:
        return pd.DataFrame(columns=kind.columns), [
            RowError(file_name, HEADER_ROW, c, kind.labels[c], None, "缺少必需的列") for c in missing]
    for column in kind.columns:
        if column not in frame.columns:
            frame[column] = ""
    frame = frame[kind.columns].reset_index(drop=True)

    errors: list[RowError] = []
    bad_rows: set[int] = set()

    def flag(index: int, column: str | None, message: str) -> None:
        value = None if column is None else str(frame.at[index, column])
        errors.append(RowError(file_name, index + HEADER_ROW + 1, column,
                               kind.labels.get(column) if column else None, value, message))
        bad_rows.add(index)

    records = frame.to_dict("records")
    try:
        # One call validates every row in pydantic's core; most files have no errors at all.
        typed = [row.model_dump() for row in TypeAdapter(list[kind.model]).validate_python(records)]
    except ValidationError as exc:
        for error in exc.errors():
            index = error["loc"][0]
            column = error["loc"][1] if len(error["loc"]) > 1 else None
            flag(index, column if column in kind.labels else None, chinese_message(error))
        typed = [None if index in bad_rows else kind.model.model_validate(record).model_dump()
                 for index, record in enumerate(records)]

    # Rules across rows and against the store.
    key = frame[list(kind.key)].apply(lambda col: col.str.strip())
    duplicated = key.duplicated(keep="first")
    first_seen: dict[tuple, int] = {}
    for index, values in enumerate(key.itertuples(index=False, name=None)):
        if duplicated.iloc[index]:
            flag(index, kind.key[0], f"与第{first_seen[values] + HEADER_ROW + 1}行的{kind.labels[kind.key[0]]}重复")
        else:
            first_seen.setdefault(values, index)
    if kind.region_column:
        for index, code in enumerate(frame[kind.region_column].str.strip()):
            if code and code not in known_regions and index not in bad_rows:
                flag(index, kind.region_column, "区划代码不存在（请先导入行政区划）")
    if kind.name == "regions":
        codes = set(frame["code"].str.strip()) | known_regions
        for index, parent in enumerate(frame["parent_code"].str.strip()):
            if parent and parent not in codes and index not in bad_rows:
                flag(index, "parent_code", "上级区划代码既不在文件中，也不在数据库中")
    if kind.name == "reported" and indicator_ids is not None:
        for index, indicator in enumerate(frame["indicator"].str.strip()):
            if indicator and indicator not in indicator_ids and index not in bad_rows:
                flag(index, "indicator", f"不认识的指标（可选：{'、'.join(sorted(indicator_ids))}）")

    clean = [row for index, row in enumerate(typed) if row is not None and index not in bad_rows]
    errors.sort(key=lambda e: (e.row, kind.columns.index(e.column) if e.column in kind.columns else -1))
    return _typed_frame(kind, clean), errors


def _date_fields(model) -> list[str]:
    return [name for name, info in model.model_fields.items()
            if info.annotation is date or date in get_args(info.annotation)]


def _typed_frame(kind: Kind, rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=kind.columns)
    for name in _date_fields(kind.model):
        frame[name] = pd.to_datetime(frame[name])
    if kind.name == "reported":
        # A month is stored as its last day.
        frame["month"] = pd.PeriodIndex(frame["month"], freq="M").to_timestamp(how="end").normalize()
    return frame


def _write(store: Store, loads: list[tuple[Kind, pd.DataFrame, ImportResult]], user: str,
           mark_sample: bool) -> None:
    """Write every validated frame, log each import and bump the data version: one transaction."""
    with store.transaction() as tx:
        for kind, frame, result in loads:
            if not frame.empty:
                tx.stage(frame)
                tx.run_script(SQL_DIR / "imports" / f"{kind.name}.sql")
                tx.drop_stage()
            tx.execute("log_import", kind=kind.name, file_name=result.file_name, sha256=result.sha256,
                       rows_read=result.rows_read, rows_loaded=len(frame),
                       rows_rejected=result.rows_rejected, imported_by=user, imported_at=datetime.now())
        tx.execute("bump_data_version")
        if mark_sample:
            tx.execute("set_meta_value", key="sample_data", value="true")
    for _, frame, result in loads:
        result.rows_loaded = len(frame)
        result.committed = True


def import_files(store: Store, files: Iterable[tuple[str, Path | str]], *,
                 indicator_ids: set[str] | None = None, dry_run: bool = False, accept_valid: bool = False,
                 user: str | None = None, mark_sample: bool = False) -> list[ImportResult]:
    """Import several files in one transaction, regions first.

    Raises ImportRejected (and writes nothing) when any row is invalid, unless `accept_valid`.
    With `dry_run`, validates and reports without writing.
    """
    pending = []
    for kind_name, path in files:
        if kind_name not in KINDS:
            raise ValueError(f"不支持的导入类型：{kind_name}（可选：{'、'.join(KINDS)}）")
        pending.append((KINDS[kind_name], Path(path)))
    pending.sort(key=lambda item: LOAD_ORDER.index(item[0].name))

    known_regions = set(store.frame("region_codes")["code"].astype(str))
    loads, results = [], []
    for kind, path in pending:
        raw = read_csv(path)
        result = ImportResult(kind=kind.name, file_name=path.name, sha256=sha256_of(path),
                              rows_read=len(raw), dry_run=dry_run)
        frame, result.errors = validate_frame(kind, raw, path.name, known_regions, indicator_ids)
        if kind.name == "regions":
            known_regions |= set(frame["code"])
        loads.append((kind, frame, result))
        results.append(result)

    if any(r.errors for r in results) and not accept_valid:
        raise ImportRejected(results)
    if not dry_run:
        _write(store, loads, user or getpass.getuser(), mark_sample)
    return results


def import_file(store: Store, kind: str, path: Path | str, **options) -> ImportResult:
    return import_files(store, [(kind, path)], **options)[0]
