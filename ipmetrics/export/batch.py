"""The monthly batch: every chart of a month as image files, the month's workbook, and a ZIP of both."""

from __future__ import annotations

import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd

from ipmetrics.charts.chart import Chart, Where
from ipmetrics.charts.month import month_charts
from ipmetrics.core.goals import Registry
from ipmetrics.core.settings import Settings
from ipmetrics.core.store import Store
from ipmetrics.export import images
from ipmetrics.export.workbook import month_workbook


@dataclass
class BatchResult:
    files: list[Path] = field(default_factory=list)   # images and the workbook
    skipped: list[str] = field(default_factory=list)  # charts with nothing to draw, and why
    zip_path: Path | None = None
    seconds: float = 0.0


def export_month(store: Store, registry: Registry, settings: Settings, region: str, region_name: str,
                 as_of: pd.Period, out_dir: Path | str, formats: tuple[str, ...] = ("png",), sample: bool = False,
                 progress: Callable[[str, float], None] | None = None,
                 charts: list[Chart] | None = None) -> BatchResult:
    """Write every chart of the month in `formats`, the workbook and a ZIP into `out_dir` (one browser)."""
    started = time.perf_counter()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    where = Where(region, region_name, as_of, sample)
    charts = charts if charts is not None else month_charts(store, registry, settings, region, region_name,
                                                            as_of, sample)
    result = BatchResult()
    drawable = [c for c in charts if c.figure is not None]
    result.skipped = [f"{c.name}：{c.empty}" for c in charts if c.figure is None]
    with images.session():
        for number, chart in enumerate(drawable):
            for fmt in formats:
                path = out_dir / f"{chart.file_stem(where, registry.region)}.{fmt}"
                path.write_bytes(images.render(chart.figure, fmt))
                result.files.append(path)
            if progress:
                progress(f"导出 {chart.name}", (number + 1) / (len(drawable) + 1))
    region_part = "" if region == registry.region else f"{region_name}_"
    workbook = out_dir / f"{as_of}_{region_part}数据表.xlsx"
    workbook.write_bytes(month_workbook(store, registry, settings, region, region_name, as_of, sample, charts))
    result.files.append(workbook)
    result.zip_path = out_dir / f"{as_of}_{region_part}图表与数据.zip"
    with zipfile.ZipFile(result.zip_path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in result.files:
            archive.write(path, arcname=path.name)
    if progress:
        progress("导出完成", 1.0)
    result.seconds = time.perf_counter() - started
    return result
