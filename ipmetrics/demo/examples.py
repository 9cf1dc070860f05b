"""The sample a goal file brings beside it, loaded with the bundled one by `ipmetrics load-sample`.

An example plan (data/examples/city/) keeps its own sample files next to its goal file, named
`sample_<kind>*.csv` (sample_regions.csv, sample_reported_quarterly.csv …). They are imported after the
bundled sample, through the same validation. Like the bundled sample they stop at the last complete
month: a reported figure or a task report whose period ends later (or a report made later) is left out.
Rows of the bundled sample that name an indicator the active goal file does not declare (its 督办事项 are
about the bundled plan's goals) are left out too; a task linked to such indicators keeps its place, without
them. Rows left out are blanked rather than removed, so every other row keeps its row number in any
message about it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from pydantic import ValidationError

from ipmetrics.core import periods
from ipmetrics.io.readers import Source, detect_encoding
from ipmetrics.io.schemas import KINDS, Kind

PREFIX = "sample_"
BUNDLED_REGION = "411521"  # the county of the bundled sample (ipmetrics.demo.sample.COUNTY)


@dataclass(frozen=True)
class SampleFile:
    """A file to load as sample data, and what was left out of it (a Chinese sentence, or None)."""

    kind: str
    source: Source
    left_out: str | None = None


def example_files(goal_file: Path | str) -> list[tuple[str, Path]]:
    """The `sample_<kind>*.csv` files beside a goal file, with their kind, in name order. Raises ValueError
    for a sample file whose name names no import kind."""
    found = []
    for path in sorted(Path(goal_file).parent.glob(f"{PREFIX}*.csv")):
        rest = path.stem[len(PREFIX):]
        kind = next((name for name in KINDS if rest == name or rest.startswith(name + "_")), None)
        if kind is None:
            raise ValueError(f"{path.name}：文件名应为 {PREFIX}<类型>….csv，类型为 {'、'.join(KINDS)} 之一")
        found.append((kind, path))
    return found


def _kept(source: Source, keep: Callable[[dict], bool]) -> tuple[Source, int]:
    """The file with the rows `keep` refuses blanked (a blank row is skipped on reading, and the rows after
    it keep their numbers); how many were blanked. `keep` sees a row by column name, as the kind calls them."""
    text = source.data.decode(detect_encoding(source.data))
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        return source, 0
    out, left_out = io.StringIO(), 0
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(rows[0])
    for row in rows[1:]:
        if keep(dict(zip(rows[0], row))):
            writer.writerow(row)
        else:
            writer.writerow([""] * len(rows[0]))
            left_out += 1
    return (Source(source.name, out.getvalue().encode("utf-8")), left_out) if left_out else (source, 0)


def _by_name(kind: Kind, row: dict) -> dict:
    """A row's cells under the kind's column names, whichever header (English or Chinese) the file uses."""
    names = {label: name for name, label in kind.labels.items()}
    return {names.get(header.strip(), header.strip()): value for header, value in row.items()}


def _ends_by(kind: Kind, until: pd.Period) -> Callable[[dict], bool]:
    """Whether a row's period (a figure's, a task report's) ends by `until` and its days (a report's date)
    fall by then too (a row that cannot be read is kept, for the importer to refuse with its own message)."""
    column, last_day = kind.columns_kept_as("period")[0], periods.month_end(until)

    def keep(row: dict) -> bool:
        try:
            read = kind.model.model_validate(_by_name(kind, row))
        except ValidationError:
            return True
        days = [getattr(read, name) for name in kind.columns_kept_as("day")]
        return periods.end_month(periods.period_from_text(getattr(read, column))) <= until \
            and all(day is None or day <= last_day for day in days)
    return keep


def _known_ids_only(source: Source, column: str, goal_ids: Collection[str]) -> tuple[Source, int]:
    """The file with the ids the goal file does not declare taken out of its cells of several goal ids
    (a task's linked indicators); how many cells lost some."""
    text = source.data.decode(detect_encoding(source.data))
    rows = list(csv.reader(io.StringIO(text)))
    at = next((i for i, header in enumerate(rows[0] if rows else []) if header.strip() == column), None)
    if at is None:
        return source, 0
    changed = 0
    for row in rows[1:]:
        ids = [goal for goal in row[at].split(",") if goal.strip()] if at < len(row) else []
        known = [goal for goal in ids if goal.strip() in goal_ids]
        if known != ids:
            row[at], changed = ",".join(known), changed + 1
    if not changed:
        return source, 0
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return Source(source.name, out.getvalue().encode("utf-8")), changed


def _names_known_goal(kind: Kind, goal_ids: Collection[str]) -> Callable[[dict], bool]:
    def keep(row: dict) -> bool:
        goal = str(_by_name(kind, row).get(kind.indicator_column, "")).strip()
        return not goal or goal in goal_ids
    return keep


def sample_files(sample_dir: Path, goal_file: Path | str, goal_ids: Collection[str],
                 until: pd.Period, plan_region: str | None = None) -> list[SampleFile]:
    """The bundled sample (`<kind>.csv` in `sample_dir`), then the goal file's own sample files, with the
    rows left out that the active goal file cannot take or that lie after `until`. The bundled township
    targets are the bundled county's assignments: a plan of another region (`plan_region`) gets none of them."""
    files = []
    for kind_name in KINDS:
        path = sample_dir / f"{kind_name}.csv"
        if KINDS[kind_name].below_plan_region and plan_region not in (None, BUNDLED_REGION):
            continue
        if path.is_file():
            files.append(_bundled(KINDS[kind_name], path, goal_ids, until))
    if not files:
        return files  # no bundled sample: nothing to add the example's files to
    for kind_name, path in example_files(goal_file):
        kind = KINDS[kind_name]
        source, dropped = Source.from_path(path), 0
        if kind.columns_kept_as("period"):
            source, dropped = _kept(source, _ends_by(kind, until))
        note = f"{path.name} 中 {dropped} 行的期间在{periods.month_label(until)}之后，未导入" if dropped else None
        files.append(SampleFile(kind_name, source, note))
    return files


def _bundled(kind: Kind, path: Path, goal_ids: Collection[str], until: pd.Period) -> SampleFile:
    """A bundled sample file with what the active goal file cannot take, or what lies after `until`, left out."""
    source, notes = Source.from_path(path), []
    if kind.indicator_column:
        source, dropped = _kept(source, _names_known_goal(kind, goal_ids))
        notes += [f"{path.name} 中 {dropped} 行所涉指标不在当前目标文件中，未导入"] if dropped else []
    if kind.indicator_list_column:
        source, pruned = _known_ids_only(source, kind.indicator_list_column, goal_ids)
        notes += [f"{path.name} 中 {pruned} 行关联的指标不在当前目标文件中，已略去这些指标"] if pruned else []
    if kind.columns_kept_as("period"):
        source, dropped = _kept(source, _ends_by(kind, until))
        notes += [f"{path.name} 中 {dropped} 行的期间在{periods.month_label(until)}之后，未导入"] if dropped else []
    return SampleFile(kind.name, source, "；".join(notes) or None)
