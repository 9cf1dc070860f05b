"""The monthly batch: every chart of a month as image files, the month's workbook, and a ZIP of both."""

from __future__ import annotations

import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ipmetrics.charts.month import Month
from ipmetrics.export.render_batch import PngCache, write_all
from ipmetrics.export.workbook import month_workbook


@dataclass
class BatchResult:
    files: list[Path] = field(default_factory=list)   # images and the workbook
    skipped: list[str] = field(default_factory=list)  # charts with nothing to draw, and why
    zip_path: Path | None = None
    seconds: float = 0.0


def export_month(month: Month, out_dir: Path | str, formats: tuple[str, ...] = ("png",),
                 progress: Callable[[str, float], None] | None = None,
                 pngs: PngCache | None = None) -> BatchResult:
    """Write every chart of `month` in `formats`, its workbook and a ZIP of both into `out_dir`: one browser,
    each chart serialised once and rendered once per format, several at a time (render_batch). The PNGs
    written are added to `pngs` when given, for the briefing to reuse."""
    started = time.perf_counter()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    where, home = month.where, month.registry.region
    result = BatchResult()
    drawable = [c for c in month.charts if c.figure is not None]
    result.skipped = [f"{c.name}：{c.empty}" for c in month.charts if c.figure is None]
    jobs = [(chart.figure, fmt, out_dir / f"{chart.file_stem(where, home)}.{fmt}") for chart in drawable
            for fmt in formats]

    def report(done: int, total: int) -> None:
        if progress:  # the last share is left for the workbook and the ZIP
            progress(f"正在导出图片：已完成 {done}/{total} 张", done / (total + 1))

    if progress:
        progress(f"正在启动浏览器并导出 {len(jobs)} 张图片……", 0.0)
    write_all(jobs, report)
    result.files = [path for _, _, path in jobs]
    if pngs is not None:
        for figure, fmt, path in jobs:
            if fmt == "png":
                pngs.add(figure, path.read_bytes())
    if progress:
        progress("正在生成数据表和压缩包……", len(jobs) / (len(jobs) + 1))
    region_part = "" if where.region == home else f"{where.region_name}_"
    workbook = out_dir / f"{where.as_of}_{region_part}数据表.xlsx"
    workbook.write_bytes(month_workbook(month))
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
