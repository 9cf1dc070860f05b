"""The month's close as one schedulable run: freeze the snapshot, then write the charts, the workbook and
the briefing documents into a dated folder (`ipmetrics monthly --month YYYY-MM --out DIR`)."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable

import pandas as pd
import plotly.graph_objects as go

from ipmetrics.charts.month import Month, build_month
from ipmetrics.core import catalog
from ipmetrics.core.goals import Registry
from ipmetrics.core.settings import Settings
from ipmetrics.core.store import Store
from ipmetrics.export.batch import export_month
from ipmetrics.export.formats import BRIEFING_FORMATS
from ipmetrics.export.render_batch import SLIDE, Renderer, briefing_images
from ipmetrics.meeting import snapshots
from ipmetrics.meeting.briefing import build_briefing, meeting_view
from ipmetrics.meeting.briefing_model import Briefing, ChartImages
from ipmetrics.meeting.readiness import UNREPORTED_HEADING, missing_for, required_sources


def briefing_for(store: Store, registry: Registry, snapshot_id: int, on: date | None = None,
                 with_charts: bool = True, month: Month | None = None, renderer: Renderer | None = None,
                 progress: Callable[[str, float], None] | None = None) -> Briefing:
    """The briefing of a snapshot, its goal charts drawn through the shared Chromium in one batch: each as a
    print PNG, an SVG for the PDF and a PNG for the slides' chart box (taken from `month`, the snapshot's month
    built once, when given; by `renderer` when given, which hands back the images it has drawn already, such
    as the month's export's). `progress(text, share)` follows the images, a few seconds' wait."""
    view = meeting_view(store, registry, snapshot_id, on)
    if not with_charts:
        briefing = build_briefing(store, registry, view, None, on, month)
    else:
        with nullcontext(renderer) if renderer is not None else Renderer() as drawing:
            briefing = build_briefing(store, registry, view, _drawer(drawing, progress), on, month)
    if progress is not None:
        progress("简报内容已生成", 1.0)
    return briefing


def _drawer(renderer: Renderer,
            progress: Callable[[str, float], None] | None) -> Callable[[list[go.Figure]], list[ChartImages]]:
    def draw(figures: list[go.Figure]) -> list[ChartImages]:
        def report(done: int, total: int) -> None:
            if progress is not None:  # the last share is left for the briefing's text
                progress(f"正在绘制简报图表：已完成 {done}/{total} 张图片", done / (total + 1))

        if progress is not None:
            progress(f"正在绘制简报的 {len(figures)} 幅图表……", 0.0)
        return briefing_images(renderer, figures, report)
    return draw


def document_bytes(briefing: Briefing, fmt: str) -> bytes:
    # python-docx and python-pptx load only when a document is asked for
    from ipmetrics.export import pdf, slides, word

    writers = {"docx": word.docx_bytes, "pdf": pdf.pdf_bytes, "pptx": slides.pptx_bytes}
    return writers[fmt](briefing)


def write_briefing(store: Store, registry: Registry, snapshot_id: int, out_dir: Path | str,
                   formats: tuple[str, ...] = BRIEFING_FORMATS, on: date | None = None,
                   month: Month | None = None, renderer: Renderer | None = None) -> list[Path]:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    briefing = briefing_for(store, registry, snapshot_id, on, month=month, renderer=renderer)
    paths = {fmt: out_dir / f"{briefing.file_stem}.{fmt}" for fmt in formats}
    # The PDF is printed by the browser while Python writes the Word and PPT files.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="briefing-pdf") as printer:
        printing = printer.submit(document_bytes, briefing, "pdf") if "pdf" in formats else None
        for fmt in formats:
            if fmt != "pdf":
                paths[fmt].write_bytes(document_bytes(briefing, fmt))
        if printing is not None:
            paths["pdf"].write_bytes(printing.result())
    return list(paths.values())


@dataclass
class MonthlyResult:
    snapshot: snapshots.SnapshotInfo
    reused: bool                 # the month's latest snapshot already held these very data
    folder: Path
    files: list[Path] = field(default_factory=list)
    seconds: float = 0.0
    unreported: list[str] = field(default_factory=list)  # reported indicators frozen as 未上报

    def summary(self) -> str:
        verb = "沿用已有的" if self.reused else "已冻结"
        lines = [f"{verb}{self.snapshot.label}（编号 {self.snapshot.id}）；"
                 f"{len(self.files)} 个文件写入 {self.folder}（用时 {self.seconds:.1f} 秒）"]
        if self.unreported:
            lines += [f"提示：{UNREPORTED_HEADING}", *(f"  · {line}" for line in self.unreported)]
        return "\n".join(lines)


def run_monthly(store: Store, registry: Registry, settings: Settings, month: pd.Period | str, out: Path | str, *,
                user: str | None = None, note: str | None = None, reason: str | None = None,
                on: date | None = None) -> MonthlyResult:
    """Snapshot + export + briefing. Run again on unchanged data, it reuses the month's snapshot; on
    corrected data it needs a reason and makes a new revision (as `freeze` does). The month is built
    once, on the snapshot's figures of record, and the charts, workbook and briefing all read it."""
    started = time.perf_counter()
    month = pd.Period(month, freq="M")
    # Chromium starts while the month is frozen and built; a month freeze will refuse starts none.
    ready = not missing_for(store, month, None, required_sources(registry))
    with Renderer(warm_up=True) if ready else nullcontext() as renderer:
        return _run_monthly(store, registry, settings, month, Path(out), started, renderer,
                            user=user, note=note, reason=reason, on=on)


def _run_monthly(store: Store, registry: Registry, settings: Settings, month: pd.Period, out: Path,
                 started: float, renderer: Renderer | None, *, user: str | None, note: str | None,
                 reason: str | None, on: date | None) -> MonthlyResult:
    existing = snapshots.latest(store, month)
    fingerprint = snapshots.data_fingerprint(store, month)
    reused = (existing is not None and existing.data_sha256 == fingerprint
              and existing.indicators_sha256 == snapshots.indicators_fingerprint(settings))
    folder = out / str(month)
    names = catalog.region_names(store)
    # What the snapshot will say: a freeze is of the plan's region, marked sample as the store is.
    region, sample = (existing.region, existing.sample) if reused else (registry.region, store.is_sample())
    built = build_month(store, registry, settings, region, names.get(region, region), month, sample)
    if renderer is not None and not reused and region in names:
        # The charts that never read the goal cards (the thematic areas, the townships: from the store) are
        # built and handed to the browser first, to be drawn while the month is frozen. They read the data
        # the fingerprint was taken of: the freeze refuses if an import came in since.
        for group in built.chart_groups(goals=False):
            for chart in group:
                if chart.figure is not None:
                    renderer.image(chart.figure, "png")
    info = existing if reused else snapshots.freeze(store, registry, settings, month, user=user, note=note,
                                                    reason=reason, fingerprint=fingerprint)
    if (info.region, info.sample) != (region, sample):  # not expected: the month is built again to match
        built = build_month(store, registry, settings, info.region, names[info.region], month, info.sample)
    built.use_cards(snapshots.cards(store, registry, info.id))  # the goals' figures of record
    with nullcontext(renderer) if renderer is not None else Renderer() as drawing:
        # The briefing's charts are the month's goal charts: each handed to the browser as soon as it is built,
        # in every form the briefing places, so the browser draws them while the rest of the month is built;
        # the briefing is written while the browser draws the month's other charts.
        for chart in built.each_goal_chart():
            if chart.figure is not None:  # a goal with a value: the briefing charts the same ones (has_chart)
                drawing.images(chart.figure, ("png", "svg", SLIDE))  # the PNG and SVG from one draw
        briefing_files: list[Path] = []
        batch = export_month(built, folder, renderer=drawing, meanwhile=lambda: briefing_files.extend(
            write_briefing(store, registry, info.id, folder, on=on, month=built, renderer=drawing)))
        files = [*batch.files, batch.zip_path, *briefing_files]
    return MonthlyResult(info, reused, folder, files, time.perf_counter() - started,
                         snapshots.unreported(store, registry, info.id))
