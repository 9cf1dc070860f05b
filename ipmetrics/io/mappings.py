"""Column mappings: which column of an office's own spreadsheet holds each field of an import kind.

When a file's headers still match no column the importer knows, an editor maps each field to a column of the
file once. The mapping is saved under the file's *source name* — its name without dates, digits and version
marks — so "罗山县2026年11月商标统计表(1).xls" and next month's "罗山县2026年12月商标统计表.xlsx" share it and the
next file imports without asking again. Suggestions come from difflib on normalised names (no fuzzy library).
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePath
from typing import Iterable

import pandas as pd

from ipmetrics.core.store import Store
from ipmetrics.io.schemas import KINDS, Kind

SUGGEST_THRESHOLD = 0.6  # below this a column is not proposed: the editor picks it
# Words offices use for a field that neither its Chinese label nor its description contains. Only a
# suggestion: the editor confirms every choice before it is saved.
SUGGEST_HINTS: dict[str, tuple[str, ...]] = {
    "reg_no": ("商标注册号", "注册证号", "登记号"),
    "patent_no": ("专利号", "申请号"),
    "holder": ("权利人", "持有人", "申请人", "商标注册人", "专利权人"),
    "mark_name": ("商标", "商标名"),
    "region_code": ("乡镇代码", "区划", "行政区划代码"),
    "registered_on": ("核准日期", "登记日期"),
    "granted_on": ("授权日期", "授权公告日"),
    "credit_code": ("统一社会信用代码", "信用代码"),
}
_VERSION_MARKS = re.compile(r"第\d+版|副本|最终版|最终稿|终稿|定稿|修改版|修订版|更新版|copy|final|v\d+",
                            re.IGNORECASE)
_DATE_PARTS = re.compile(r"\d+\s*[年月日号]?")
_BRACKETED = re.compile(r"[（(【\[].*?[）)】\]]")  # units and remarks in headers: 数量（件）, 金额(万元)


class MappingMismatch(ValueError):
    """A saved mapping names columns the file does not have; `missing` lists (field, column) pairs."""

    def __init__(self, mapping: "ColumnMapping", file_name: str, missing: list[tuple[str, str]]):
        self.mapping, self.file_name, self.missing = mapping, file_name, missing
        labels = KINDS[mapping.kind].labels
        named = "；".join(f"字段“{labels.get(field, field)}”（{field}）对应的列“{column}”" for field, column in missing)
        super().__init__(f"{file_name}：按已保存的列对应关系（来源：{mapping.source_name or '（无名称）'}），"
                         f"{named}在文件中不存在；请在数据导入页重新对应各列并保存")


@dataclass(frozen=True)
class ColumnMapping:
    """An import kind, the source name of the files it is for, and {field name → the file's column header}."""

    kind: str
    source_name: str
    columns: dict[str, str]

    def to_json(self) -> str:
        return json.dumps(self.columns, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, kind: str, source_name: str, text: str) -> "ColumnMapping":
        return cls(kind, source_name, {str(k): str(v) for k, v in json.loads(text).items()})

    def missing_in(self, file_columns: Iterable[str]) -> list[tuple[str, str]]:
        """The (field, column) pairs whose column the file lacks."""
        present = {_header_key(c) for c in file_columns}
        return [(field, column) for field, column in self.columns.items() if _header_key(column) not in present]


@dataclass(frozen=True)
class Suggestion:
    field: str
    column: str | None  # None: no column was similar enough
    score: float


def source_name(file_name: str) -> str:
    """The file's stem without dates, digits, version marks ("(1)", "副本", "最终版") and punctuation: the
    name one office's monthly files share. A name made only of digits gives "" (one source per kind)."""
    stem = unicodedata.normalize("NFKC", PurePath(file_name).stem)
    stem = _VERSION_MARKS.sub("", stem)
    stem = _DATE_PARTS.sub("", stem)
    return "".join(ch for ch in stem if not unicodedata.category(ch)[0] in "PSZ" and ch != "_").lower()


def _header_key(text: str) -> str:
    """How two spellings of one header compare equal: NFKC, no spaces, lower case."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text))).lower()


def _similar_form(text: str) -> str:
    """A header or name reduced for similarity: NFKC, without bracketed units, spaces and punctuation."""
    text = _BRACKETED.sub("", unicodedata.normalize("NFKC", str(text)))
    return "".join(ch for ch in text if unicodedata.category(ch)[0] not in "PSZ").lower()


def _field_names(kind: Kind, field: str) -> set[str]:
    """What a field may be called: its English name, Chinese label, the head of its description
    ("核准注册日期" of 注册日期) and the hints above, each in its similarity form."""
    description = kind.model.model_fields[field].description or ""
    head = re.split(r"[：:，,；;、。]", description)[0]
    names = {field, field.replace("_", ""), kind.labels[field], head, *SUGGEST_HINTS.get(field, ())}
    return {form for form in map(_similar_form, names) if form}


def _score(names: set[str], column: str) -> float:
    form = _similar_form(column)
    if not form:
        return 0.0
    return max(difflib.SequenceMatcher(None, name, form).ratio() for name in names)


def suggest(kind: str, file_columns: Iterable[str], threshold: float = SUGGEST_THRESHOLD) -> dict[str, Suggestion]:
    """For each field of `kind` (in file order) the most similar column of the file, each column proposed
    once: pairs are taken best score first, so "商标名" goes to 商标名称 and not also to 商标类型. A field
    whose best free column scores under `threshold` gets none."""
    schema = KINDS[kind]
    columns = list(dict.fromkeys(str(c) for c in file_columns))
    pairs = sorted(((_score(_field_names(schema, field), column), position, field, column)
                    for position, field in enumerate(schema.columns) for column in columns),
                   key=lambda pair: (-pair[0], pair[1]))
    chosen: dict[str, Suggestion] = {}
    used: set[str] = set()
    for score, _, field, column in pairs:
        if score < threshold:
            break
        if field not in chosen and column not in used:
            chosen[field] = Suggestion(field, column, round(score, 3))
            used.add(column)
    return {field: chosen.get(field, Suggestion(field, None, 0.0)) for field in schema.columns}


def apply(mapping: ColumnMapping, frame: pd.DataFrame, file_name: str = "文件") -> pd.DataFrame:
    """The mapped columns of `frame` renamed to their field names (other columns left out, so an unmapped
    column that happens to carry a field's label cannot shadow the chosen one); the index — the spreadsheet's
    row numbers — is kept. Raises MappingMismatch when a mapped column is not in the file."""
    missing = mapping.missing_in(frame.columns)
    if missing:
        raise MappingMismatch(mapping, file_name, missing)
    by_key = {_header_key(c): c for c in frame.columns}
    picked = {field: by_key[_header_key(column)] for field, column in mapping.columns.items()}
    mapped = frame[list(picked.values())].copy()
    mapped.columns = list(picked)
    return mapped


def saved_mapping(store: Store, kind: str, file_name: str) -> ColumnMapping | None:
    """The mapping saved for files like `file_name` of `kind`, if any."""
    name = source_name(file_name)
    found = store.frame("column_mapping_get", kind=kind, source_name=name)
    return None if found.empty else ColumnMapping.from_json(kind, name, str(found["mapping"].iloc[0]))


def mapped_kind(store: Store, file_name: str, file_columns: Iterable[str]) -> str | None:
    """The kind a mapping was saved for under this file's source name, when the file has all of its columns
    (so a page need not ask what a known office's file is); None when no single kind fits."""
    name, columns = source_name(file_name), list(file_columns)
    saved = store.frame("column_mapping_list")
    fitting = {kind for kind, source, text in zip(saved["kind"], saved["source_name"], saved["mapping"])
               if source == name and not ColumnMapping.from_json(kind, source, text).missing_in(columns)}
    return fitting.pop() if len(fitting) == 1 else None


def save_mapping(store: Store, mapping: ColumnMapping, *, user: str, actor: str | None = None,
                 client: str = "cli") -> None:
    """Save (or replace) a mapping and audit it in the same transaction; the data version is not bumped:
    no figure changes until a file is imported with it."""
    if mapping.kind not in KINDS:
        raise ValueError(f"不支持的导入类型：{mapping.kind}")
    unknown = [field for field in mapping.columns if field not in KINDS[mapping.kind].labels]
    if unknown:
        raise ValueError(f"{KINDS[mapping.kind].title}没有这些字段：{'、'.join(unknown)}")
    now = datetime.now()
    with store.transaction() as tx:
        tx.execute("column_mapping_save", kind=mapping.kind, source_name=mapping.source_name,
                   mapping=mapping.to_json(), saved_by=user, saved_at=now)
        tx.execute("audit", at=now, actor=actor or user, action="column_mapping", client=client,
                   detail=f"保存列对应关系：{KINDS[mapping.kind].title}（{mapping.kind}），来源“{mapping.source_name}”，"
                          + "，".join(f"{field}←{column}" for field, column in mapping.columns.items()))


def delete_mapping(store: Store, kind: str, name: str, *, actor: str, client: str = "cli") -> None:
    """Forget a saved mapping (audited); the next file of that source is matched by its headers again."""
    now = datetime.now()
    with store.transaction() as tx:
        tx.execute("column_mapping_delete", kind=kind, source_name=name)
        tx.execute("audit", at=now, actor=actor, action="column_mapping_delete", client=client,
                   detail=f"删除列对应关系：{KINDS[kind].title if kind in KINDS else kind}（{kind}），来源“{name}”")


def saved_mappings(store: Store) -> pd.DataFrame:
    """Every saved mapping for the page: 类型, 来源名称, 保存人, 保存时间, 对应关系 (the long one last), and the
    raw kind."""
    rows = store.frame("column_mapping_list")
    return pd.DataFrame({
        "kind": rows["kind"].astype(str),
        "类型": [KINDS[k].title if k in KINDS else k for k in rows["kind"]],
        "来源名称": rows["source_name"].astype(str),
        "保存人": rows["saved_by"].astype(str),
        "保存时间": pd.to_datetime(rows["saved_at"]).dt.strftime("%Y-%m-%d %H:%M"),
        "对应关系": [_described(k, text) for k, text in zip(rows["kind"], rows["mapping"])],
    }, columns=["kind", "类型", "来源名称", "保存人", "保存时间", "对应关系"])


def _described(kind: str, text: str) -> str:
    """"注册号←登记号，商标名称←商标名，…" in the kind's column order."""
    labels = KINDS[kind].labels if kind in KINDS else {}
    columns = json.loads(text)
    order = [field for field in labels if field in columns] + [field for field in columns if field not in labels]
    return "，".join(f"{labels.get(field, field)}←{columns[field]}" for field in order)


__all__ = ["ColumnMapping", "MappingMismatch", "Suggestion", "apply", "delete_mapping", "mapped_kind", "save_mapping",
           "saved_mapping", "saved_mappings", "source_name", "suggest"]
