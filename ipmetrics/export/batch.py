"""The monthly batch: every chart of a month as image files, the month's workbook, and a ZIP of both."""

from __future__ import annotations

import time
import zipfile
from concurrent.futures import Future
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ipmetrics.charts.month import Month
from ipmetrics.export.render_batch import Renderer, wait_all
from ipmetrics.export.workbook import month_workbook


@dataclass
class BatchResult:
    files: list[Path] = field(default_factory=list)   # images and the workbook
    skipped: list[str] = field(default_factory=list)  # charts with nothing to draw, and why
    zip_path: Path | None = None
    seconds: float = 0.0


def export_month(month: Month, out_dir: Path | str, formats: tuple[str, ...] = ("png",),
                 progress: Callable[[str, float], None] | None = None,
                 renderer: Renderer | None = None, meanwhile: Callable[[], None] | None = None) -> BatchResult:
    """Write every chart of `month` in `formats`, its workbook and a ZIP of both into `out_dir`: one browser,
    each chart serialised once and rendered once per format, drawn on the renderer's thread while the next
    area's charts and the workbook are built. `renderer`, when given (the monthly run's), is the one the
    briefing then asks for the same goal charts; else the export opens its own. `meanwhile` runs once every
    image is queued, before the export waits for them (the monthly run writes the briefing then)."""
    started = time.perf_counter()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    where, home = month.where, month.registry.region
    result = BatchResult()
    if progress:
        progress("正在汇总本月数据、生成图表……", 0.0)
    with nullcontext(renderer) if renderer is not None else Renderer() as drawing:
        jobs: list[tuple[Path, Future]] = []
        for group in month.chart_groups():  # an area's images are queued as soon as its charts are built
            for chart in group:
                if chart.figure is None:
                    result.skipped.append(f"{chart.name}：{chart.empty}")
                    continue
                for fmt, future in zip(formats, drawing.images(chart.figure, formats)):  # one draw, every format
                    jobs.append((out_dir / f"{chart.file_stem(where, home)}.{fmt}", future))
        workbook_bytes = month_workbook(month)  # while the browser draws
        if meanwhile is not None:
            meanwhile()

        def report(done: int, total: int) -> None:
            if progress:  # the last share is left for the ZIP
                progress(f"正在导出图片：已完成 {done}/{total} 张", done / (total + 1))

        if progress:
            progress(f"正在导出 {len(jobs)} 张图片……", 0.0)
        for (path, _), content in zip(jobs, wait_all([future for _, future in jobs], report)):
            path.write_bytes(content)
    result.files = [path for path, _ in jobs]
    if progress:
        progress("正在生成压缩包……", len(jobs) / (len(jobs) + 1))
    region_part = "" if where.region == home else f"{where.region_name}_"
    workbook = out_dir / f"{where.as_of}_{region_part}数据表.xlsx"
    workbook.write_bytes(workbook_bytes)
    result.files.append(workbook)
    result.zip_path = out_dir / f"{where.as_of}_{region_part}图表与数据.zip"
    with zipfile.ZipFile(result.zip_path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in result.files:  # PNG and PDF are compressed already: deflating them again only costs time
            archive.write(path, arcname=path.name,
                          compress_type=zipfile.ZIP_STORED if path.suffix in (".png", ".pdf") else None)
    if progress:
        progress("导出完成", 1.0)
    result.seconds = time.perf_counter() - started
    return result
