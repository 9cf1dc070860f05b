"""Validate a file's cells column by column: each column's distinct cells are cleaned and checked once, in
Arrow and in pydantic's core, instead of every row going through the row model in Python.

The checks are generated from the row model itself (schemas.py), the one declaration of every rule: a field's
annotated type, its constraints and its own validators become a per-cell validator, and the DateOrder rules
(schemas.not_before) compare whole date columns. What a column pass cannot decide it leaves to the model: a
row with any refused cell, or breaking an order rule, is a *suspect* and goes through the row model as before
(importer._check_rows), which words its messages. So the messages, their order and the typed values are
the row model's by construction; the column pass only spares the rows that pass anyway — nearly all of them in
a real file. A kind whose model has rules across cells that are not DateOrder (a model validator, a field
validator reading other fields) has no plan here and is validated row by row.

Cleaning follows Row.clean_cell exactly: free text is cleaned in Arrow (the same characters stripped); a cell
of other columns is cleaned in Arrow when it is printable ASCII (NFKC and Python's strip then change nothing
but spaces), otherwise by Row.clean_cell itself, once per distinct cell.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from functools import lru_cache
from typing import Annotated, Any, Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import AfterValidator, BeforeValidator, TypeAdapter, ValidationError

from ipmetrics.core.validation import INVISIBLE_CLASS
from ipmetrics.io.region_names import NAME_CHARACTER
from ipmetrics.io.schemas import _FALSE, _SPACES, _TRUE, DateOrder, Kind, clean_text

_PRINTABLE_ASCII = r"^[\x20-\x7e]*$"


@dataclass(frozen=True)
class FieldCheck:
    """How one column's cells are cleaned and validated: the field as the model has it, without rules that
    read other fields."""

    column: str
    free_text: bool
    aliases: dict[str, str]
    adapter: TypeAdapter


@dataclass(frozen=True)
class ColumnPlan:
    kind: Kind
    fields: tuple[FieldCheck, ...]
    orders: tuple[DateOrder, ...]
    afters: tuple[Callable[[Any], Any], ...] = ()  # the model's own validators of a whole valid row


@lru_cache(maxsize=None)
def plan_for(kind: Kind) -> ColumnPlan | None:
    """The kind's column checks, or None when its model has a rule the column pass cannot evaluate."""
    model = kind.model
    decorators = model.__pydantic_decorators__
    afters = []
    for name, decorator in decorators.model_validators.items():
        if name == "_normalise":
            continue
        if decorator.info.mode != "after":  # a rule on the raw cells: only the model can apply it
            return None
        afters.append(decorator.func)
    if decorators.root_validators or decorators.validators:
        return None
    own: dict[str, list[Any]] = {}
    orders: list[DateOrder] = []
    for decorator in decorators.field_validators.values():
        rule = getattr(decorator.func, "date_order", None)
        if rule is not None:
            names = list(model.model_fields)
            if names.index(rule.earlier) > names.index(rule.later):  # pydantic would never run it
                raise TypeError(f"{model.__name__}: {rule.earlier} must be declared before {rule.later}")
            orders.append(rule)
            continue
        fields, mode = decorator.info.fields, decorator.info.mode
        reads_others = len(inspect.signature(decorator.func).parameters) > 1  # (value, info)
        if reads_others or mode not in ("before", "after") or "*" in fields:
            return None
        for name in fields:
            if name in own:  # two validators on one field: their order is pydantic's business
                return None
            own[name] = [BeforeValidator(decorator.func) if mode == "before" else AfterValidator(decorator.func)]
    checks = []
    for name, field in model.model_fields.items():
        annotated = Annotated[(field.annotation, *field.metadata, *own.get(name, []))] \
            if field.metadata or name in own else field.annotation
        checks.append(FieldCheck(name, name in model.free_text, model.aliases.get(name, {}),
                                 TypeAdapter(list[annotated])))
    return ColumnPlan(kind, tuple(checks), tuple(orders), tuple(afters))


@dataclass
class CheckedColumn:
    """A column as distinct cells (`codes` gives each row's), cleaned, and their typed values. A row's typed
    value can be replaced (set), as the model gives it."""

    cleaned: list[Any]
    typed: list[Any]      # None where the field refuses the cell
    codes: np.ndarray     # int, by row

    def at(self, position: int) -> Any:
        return self.typed[self.codes[position]]

    def set(self, position: int, value: Any) -> None:
        self.codes[position] = len(self.typed)
        self.typed.append(value)
        self.cleaned.append(None)  # a row the model read: its cleaned text is never asked for

    def inside(self, rows: np.ndarray, test: Callable[[Any], bool]) -> np.ndarray:
        """Whether each of `rows`' typed values passes `test`, asked once per distinct value."""
        passed = np.fromiter((test(value) for value in self.typed), dtype=bool, count=len(self.typed))
        return passed[self.codes[rows]]

    def map(self, change: Callable[[Any], Any]) -> None:
        """Every typed value replaced by change(value)."""
        self.typed = [change(value) for value in self.typed]

    def key_ids(self, read: np.ndarray) -> np.ndarray:
        """Each row's value as a key compares (an id per distinct Python value): typed where the model read the
        row, its cleaned text where it could not."""
        ids = _value_ids(self.typed + self.cleaned)
        return ids[np.where(read, self.codes, self.codes + len(self.typed))]

    def distinct_of(self, rows: np.ndarray) -> tuple[list[Any], np.ndarray]:
        """The typed values `rows` hold, and each row's index into them."""
        used = self.codes[rows]
        present = np.zeros(len(self.typed), dtype=bool)
        present[used] = True
        index = np.cumsum(present) - 1
        return [self.typed[i] for i in np.flatnonzero(present)], index[used]


def _value_ids(values: list[Any]) -> np.ndarray:
    """An id per distinct value, equal where Python's == is (None equals None): through Arrow when all are
    text, else pandas' hash table of Python objects."""
    try:
        text = pa.array(values, type=pa.string())
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return pd.factorize(np.array(values + [object()], dtype=object)[:-1], use_na_sentinel=False)[0]
    encoded = pc.dictionary_encode(text)
    return encoded.indices.fill_null(len(encoded.dictionary)).to_numpy(zero_copy_only=False)


@dataclass
class ColumnCheck:
    columns: dict[str, CheckedColumn]
    suspect: np.ndarray   # bool, by row: some cell refused, or an order rule broken


def region_name_rows(frame: pd.DataFrame, column: str) -> np.ndarray:
    """The positions of rows whose cell in `column` has Chinese characters (a region written by name)."""
    try:
        cells = _text(frame[column])
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        cells = pa.array([], pa.null())
    if not _is_text(cells):  # not text: check() declines the frame, and the row model reads it
        return np.zeros(0, dtype=np.int64)
    return np.flatnonzero(pc.fill_null(pc.match_substring_regex(cells, NAME_CHARACTER), False).to_numpy(zero_copy_only=False))


def check(plan: ColumnPlan, frame: pd.DataFrame) -> ColumnCheck | None:
    """Every column of `frame` (text cells under the kind's column names) checked; None when a cell is not
    text (a frame the reader did not make), which the row model then handles."""
    columns: dict[str, CheckedColumn] = {}
    suspect = np.zeros(len(frame), dtype=bool)
    for field in plan.fields:
        try:
            cells = _text(frame[field.column])
        except (pa.ArrowInvalid, pa.ArrowTypeError):  # mixed objects
            return None
        if not _is_text(cells) or cells.null_count:
            return None
        encoded = pc.dictionary_encode(cells)
        distinct = encoded.dictionary
        cleaned = _cleaned(field, distinct)
        typed, failed = _validated(field.adapter, cleaned)
        codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)  # writable: rows are set()
        columns[field.column] = CheckedColumn(cleaned, typed, codes)
        suspect |= failed[codes]
    for rule in plan.orders:
        later, earlier = (_days(columns[name]) for name in (rule.later, rule.earlier))
        with np.errstate(invalid="ignore"):
            suspect |= later < earlier  # NaT (a blank, a refused cell) compares False
    if plan.afters:
        _run_afters(plan, columns, suspect)
    return ColumnCheck(columns, suspect)


def _run_afters(plan: ColumnPlan, columns: dict[str, CheckedColumn], suspect: np.ndarray) -> None:
    """The model's validators of a whole row (mode "after"), on each row whose cells all passed, as pydantic
    runs them: on the row's typed values. One that refuses makes the row a suspect (the model words why); what
    one changes (a default date, a period's month) is the row's typed value."""
    model, names = plan.kind.model, list(columns)
    for position in np.flatnonzero(~suspect):
        values = {name: columns[name].at(position) for name in names}
        row = model.model_construct(**values)
        try:
            for validate in plan.afters:
                row = validate(row)
        except (ValueError, AssertionError):
            suspect[position] = True
            continue
        for name in names:
            if row.__dict__[name] is not values[name]:
                columns[name].set(position, row.__dict__[name])


def _text(cells: pd.Series) -> pa.Array:
    """A column of text cells as one Arrow array (NaN, None: null)."""
    text = pa.array(cells, from_pandas=True)
    return text.combine_chunks() if isinstance(text, pa.ChunkedArray) else text


def _is_text(cells: pa.Array) -> bool:
    return pa.types.is_string(cells.type) or pa.types.is_large_string(cells.type)


def _cleaned(field: FieldCheck, distinct: pa.Array) -> list[Any]:
    """schemas.clean_text of each distinct cell."""
    if field.free_text:
        stripped = pc.utf8_trim(pc.replace_substring_regex(distinct, INVISIBLE_CLASS, ""), _SPACES)
        return _words(stripped).to_pylist()
    plain = pc.match_substring_regex(distinct, _PRINTABLE_ASCII)
    # Printable ASCII: NFKC and str.strip() change nothing but spaces, and 是/否 cannot match. Anything else is
    # cleaned by clean_text itself.
    trimmed = pc.utf8_trim(distinct, " ")
    aliases = field.aliases
    if any(word.isascii() for word in aliases):  # as clean_text: the alias first, then blank and 是/否
        trimmed = pa.array([aliases.get(value, value) for value in trimmed.to_pylist()], pa.string())
    cleaned = _words(trimmed).to_pylist()
    if not pc.all(plain).as_py():
        for position in np.flatnonzero(~plain.to_numpy(zero_copy_only=False)):
            cleaned[position] = clean_text(distinct[position].as_py(), False, aliases)
    return cleaned


def _words(text: pa.Array) -> pa.Array:
    """The end of clean_text: a blank is missing, 是/否 and their kin are true/false."""
    text = pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)
    text = pc.if_else(pc.is_in(text, pa.array(sorted(_TRUE))), "true", text)
    return pc.if_else(pc.is_in(text, pa.array(sorted(_FALSE))), "false", text)


def _validated(adapter: TypeAdapter, cleaned: list[Any]) -> tuple[list[Any], np.ndarray]:
    """The typed value of each cleaned cell (None where refused), and which were refused."""
    failed = np.zeros(len(cleaned), dtype=bool)
    try:
        return adapter.validate_python(cleaned), failed
    except ValidationError as exc:
        for error in exc.errors(include_url=False, include_context=False, include_input=False):
            failed[error["loc"][0]] = True
    kept = np.flatnonzero(~failed)
    typed: list[Any] = [None] * len(cleaned)
    for position, value in zip(kept, adapter.validate_python([cleaned[i] for i in kept])):
        typed[position] = value
    return typed, failed


def _days(column: CheckedColumn) -> np.ndarray:
    days = np.array([np.datetime64("NaT") if value is None else value for value in column.typed],
                    dtype="datetime64[D]")
    return days[column.codes]


__all__ = ["CheckedColumn", "ColumnCheck", "ColumnPlan", "FieldCheck", "check", "plan_for", "region_name_rows"]
