"""The month's close as one schedulable run: freeze the snapshot, then write the charts, the workbook and
the briefing documents into a dated folder (`ipmetrics monthly --month YYYY-MM --out DIR`)."""

from __future__ import annotations

import time
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
from ipmetrics.export import images
from ipmetrics.export.batch import export_month
from ipmetrics.export.formats import BRIEFING_FORMATS
from ipmetrics.export.render_batch import PngCache, render_for_slides
from ipmetrics.meeting import snapshots
from ipmetrics.meeting.briefing import build_briefing, meeting_view
from ipmetrics.meeting.briefing_model import Briefing
from ipmetrics.meeting.readiness import UNREPORTED_HEADING, missing_for, required_sources


def briefing_for(store: Store, registry: Registry, snapshot_id: int, on: date | None = None,
                 with_charts: bool = True, month: Month | None = None,
                 render: Callable[[go.Figure], bytes] | None = None,
                 progress: Callable[[str, float], None] | None = None) -> Briefing:
    """The briefing of a snapshot, its charts rendered through the shared Chromium (taken from `month`,
    the snapshot's month built once, when given; `render`, e.g. a PngCache the month's export filled,
    hands back PNGs already made). `progress(text, share)` follows the charts, a few seconds' wait."""
    view = meeting_view(store, registry, snapshot_id, on)
    if not with_charts:
        render = None
    elif render is None:
        render = PngCache()
    if render is not None and progress is not None:
        render = _reporting(render, progress, sum(bool(c.frame["value"].notna().any()) for c in view.cards))
    with images.session() if with_charts else nullcontext():
        briefing = build_briefing(store, registry, view, render, on, month,
                                  _slide_renderer(progress) if with_charts else None)
    if progress is not None:
        progress("简报内容已生成", 1.0)
    return briefing


def _slide_renderer(progress: Callable[[str, float], None] | None) -> Callable[[list[go.Figure]], list[bytes]]:
    """The PPT's goal charts drawn for its chart box in one batch (text ≥ 14 pt as projected), after the
    print charts: the progress stays at the last print chart's share meanwhile."""
    from ipmetrics.export.slides import CHART_BOX_PT  # python-pptx loads only when a briefing is made

    def render(figures: list[go.Figure]) -> list[bytes]:
        if progress is not None:
            progress(f"正在绘制幻灯片图表（共 {len(figures)} 张）……", len(figures) / (len(figures) + 1))
        return render_for_slides(figures, *CHART_BOX_PT)
    return render


def _reporting(render: Callable[[go.Figure], bytes], progress: Callable[[str, float], None],
               charts: int) -> Callable[[go.Figure], bytes]:
    done = 0

    def counted(figure: go.Figure) -> bytes:
        nonlocal done
        png = render(figure)
        done += 1
        progress(f"正在绘制简报图表：已完成 {done}/{charts} 张", done / (charts + 1))
        return png

    progress(f"正在绘制简报图表（共 {charts} 张）……", 0.0)
    return counted


def document_bytes(briefing: Briefing, fmt: str) -> bytes:
    # python-docx and python-pptx load only when a document is asked for
    from ipmetrics.export import pdf, slides, word

    writers = {"docx": word.docx_bytes, "pdf": pdf.pdf_bytes, "pptx": slides.pptx_bytes}
    return writers[fmt](briefing)


def write_briefing(store: Store, registry: Registry, snapshot_id: int, out_dir: Path | str,
                   formats: tuple[str, ...] = BRIEFING_FORMATS, on: date | None = None,
                   month: Month | None = None, render: Callable[[go.Figure], bytes] | None = None) -> list[Path]:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    briefing = briefing_for(store, registry, snapshot_id, on, month=month, render=render)
    paths = []
    for fmt in formats:
        path = out_dir / f"{briefing.file_stem}.{fmt}"
        path.write_bytes(document_bytes(briefing, fmt))
        paths.append(path)
    return paths


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
    with images.session(warm_up=ready) if ready else nullcontext():
        return _run_monthly(store, registry, settings, month, Path(out), started,
                            user=user, note=note, reason=reason, on=on)


def _run_monthly(store: Store, registry: Registry, settings: Settings, month: pd.Period, out: Path,
                 started: float, *, user: str | None, note: str | None, reason: str | None,
                 on: date | None) -> MonthlyResult:
    existing = snapshots.latest(store, month)
    reused = (existing is not None and existing.data_sha256 == snapshots.data_fingerprint(store, month)
              and existing.indicators_sha256 == snapshots.indicators_fingerprint(settings))
    info = existing if reused else snapshots.freeze(store, registry, settings, month, user=user, note=note,
                                                    reason=reason)
    folder = out / str(month)
    names = catalog.region_names(store)
    built = build_month(store, registry, settings, info.region, names[info.region], month, info.sample,
                        cards=snapshots.cards(store, registry, info.id))
    pngs = PngCache()  # the goal charts the briefing shows are the month's: rendered once, for both
    with images.session():
        batch = export_month(built, folder, pngs=pngs)
        files = [*batch.files, batch.zip_path,
                 *write_briefing(store, registry, info.id, folder, on=on, month=built, render=pngs)]
    return MonthlyResult(info, reused, folder, files, time.perf_counter() - started,
                         snapshots.unreported(store, registry, info.id))
