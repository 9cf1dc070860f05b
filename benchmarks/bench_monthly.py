"""Where the month's close spends its time: the monthly run and 导出中心's full export, stage by stage.

    .venv/bin/python benchmarks/bench_monthly.py [--month 2025-12] [--stages] [--no-end-to-end]

Prints figures only (no pass/fail). Builds a store from the bundled sample (as `ipmetrics load-sample`
does) in a temporary directory, then times:
  * stages: build the month, freeze, start Chromium (with no seed, and seeded), render every chart once
    per format (PNG split into Chromium and the 300-dpi stamp), every chart in all three formats as batches
    (each format drawn apart, as before, and all three from one draw of each chart, as now), the workbook,
    the briefing's content (its chart images: print PNG, the PDF's SVG, the slide's PNG) and each briefing
    document, the ZIP;
  * end to end: `run_monthly` (what `ipmetrics monthly` runs) on a store where the month is not frozen yet,
    then again on the same data (the snapshot reused), and `export_month` in PNG, SVG and PDF (导出中心's
    "all formats"), each with a new browser started from the seed, as a user meets them; and, when no seed
    exists yet, a first monthly run without one (the machine's first export).
"""

from __future__ import annotations

import argparse
import io
import os
import tempfile
import time
import zipfile
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
from PIL import Image

from ipmetrics import monthly
from ipmetrics.charts.month import build_month
from ipmetrics.core import catalog
from ipmetrics.core.goals import load_registry
from ipmetrics.core.settings import DEFAULT_INDICATORS, SAMPLE_DIR, Settings
from ipmetrics.core.store import Store
from ipmetrics.export import images, render_batch, warm_start
from ipmetrics.export.batch import export_month
from ipmetrics.export.workbook import month_workbook
from ipmetrics.io.importer import import_files
from ipmetrics.io.schemas import KINDS
from ipmetrics.meeting import snapshots

ALL_FORMATS = tuple(images.FORMATS)
rows: list[tuple[str, float, float]] = []


def machine_cpu_seconds() -> float:
    """CPU time the whole machine has spent busy (all cores, every process: Python and Chromium alike)."""
    with open("/proc/stat") as stat:
        ticks = [int(field) for field in stat.readline().split()[1:]]
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")  # all but idle and iowait


@contextmanager
def timed(label: str):
    started, busy = time.perf_counter(), machine_cpu_seconds()
    yield
    rows.append((label, time.perf_counter() - started, machine_cpu_seconds() - busy))


def sample_store(folder: Path, registry) -> Store:
    store = Store(f"duckdb:///{folder / 'bench.duckdb'}")
    import_files(store, [(k, SAMPLE_DIR / f"{k}.csv") for k in KINDS], indicator_ids=set(registry.ids()),
                 mark_sample=True)
    return store


def stages(store: Store, registry, settings: Settings, month: pd.Period) -> None:
    names = catalog.region_names(store)
    with timed("freeze (snapshot)"):
        info = snapshots.freeze(store, registry, settings, month, user="bench")
    with timed("build the month (queries + plotly figures)"):
        built = build_month(store, registry, settings, info.region, names[info.region], month, info.sample,
                            cards=snapshots.cards(store, registry, info.id))
        charts = [c.figure for c in built.charts if c.figure is not None]
    images.close_session()
    with timed("start Chromium with no seed: plotly.js compiled by each tab (first tiny image)"):
        with images.session():
            images.render(charts[0], "svg")
    with images.session():
        with timed("start Chromium seeded with compiled plotly.js (first tiny image)"):
            images.render(charts[0], "svg")
        one_by_one = {}
        for fmt in ALL_FORMATS:
            with timed(f"render {len(charts)} charts as {fmt.upper()}, one at a time"):
                one_by_one[fmt] = [images.render(figure, fmt) for figure in charts]
        pngs = one_by_one["png"]
        with timed(f"  300-dpi stamp of {len(pngs)} PNGs, Pillow re-encode (before)"):
            for png in pngs:
                Image.open(io.BytesIO(png)).save(io.BytesIO(), format="PNG", dpi=(300, 300))
        with timed(f"  300-dpi stamp of {len(pngs)} PNGs, pHYs chunk spliced in (now)"):
            for png in pngs:
                images.with_png_dpi(png)
        with timed(f"render {len(charts)} charts × {len(ALL_FORMATS)} formats in batches, each format its own "
                   f"draw (before)"):
            for fmt in ALL_FORMATS:
                render_batch.render_all(charts, (fmt,))
        with timed(f"render {len(charts)} charts × {len(ALL_FORMATS)} formats in one batch, one draw per chart "
                   f"({render_batch.TABS} tabs)"):
            rendered = render_batch.render_all(charts, ALL_FORMATS)
        with timed("workbook (xlsx)"):
            month_workbook(built)
        with timed("briefing content, charts rendered again"):
            monthly.briefing_for(store, registry, info.id, month=built)
        with render_batch.Renderer() as renderer:
            render_batch.wait_all([renderer.image(figure, "png") for figure in charts])
            with timed("briefing content, month's PNGs reused (SVGs and slide charts drawn)"):
                briefing = monthly.briefing_for(store, registry, info.id, month=built, renderer=renderer)
        for fmt in monthly.BRIEFING_FORMATS:
            with timed(f"briefing {fmt}"):
                monthly.document_bytes(briefing, fmt)
    with timed("zip of the images"):
        with zipfile.ZipFile(io.BytesIO(), "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for number, content in enumerate(rendered.values()):
                archive.writestr(f"{number}.bin", content)


def end_to_end(registry, month: pd.Period, folder: Path) -> None:
    """On a store of its own, where the month is not frozen yet: the first run freezes it, as the month's
    close does; a second run on the same data reuses the snapshot (a cron job run again). Chromium starts
    seeded (export/warm_start.py), as it does on a machine from its first export on."""
    seed = warm_start.seed_folder(images.browser_path())
    if seed is not None and not seed.is_dir():  # the machine's first export (no stages run before)
        (folder / "e2e-unseeded").mkdir()
        unseeded = sample_store(folder / "e2e-unseeded", registry)
        images.close_session()
        with timed("END TO END monthly run, no seed yet (the machine's first export; leaves the seed)"):
            monthly.run_monthly(unseeded, registry, Settings(db_url=unseeded.url), month, folder / "unseeded",
                                user="bench")
        images.close_session()
    (folder / "e2e").mkdir()
    store = sample_store(folder / "e2e", registry)
    settings = Settings(db_url=store.url)
    images.close_session()
    with timed("END TO END monthly run (ipmetrics monthly: freeze and files, new browser)"):
        result = monthly.run_monthly(store, registry, settings, month, folder / "monthly", user="bench")
    print(f"  monthly run wrote {len(result.files)} files")
    images.close_session()
    with timed("END TO END monthly run again (snapshot reused, new browser)"):
        monthly.run_monthly(store, registry, settings, month, folder / "monthly-again", user="bench")
    images.close_session()
    names = catalog.region_names(store)
    built = build_month(store, registry, settings, registry.region, names[registry.region], month, True)
    with timed("END TO END 导出中心 all formats (month built, new browser)"):
        batch = export_month(built, folder / "export", ALL_FORMATS)
    print(f"  导出中心 wrote {len(batch.files) + 1} files")
    images.close_session()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--month", default="2025-12")
    parser.add_argument("--no-stages", action="store_true", help="only the end-to-end runs")
    parser.add_argument("--no-end-to-end", action="store_true", help="only the stages")
    args = parser.parse_args()
    registry = load_registry(DEFAULT_INDICATORS)
    month = pd.Period(args.month, freq="M")
    with tempfile.TemporaryDirectory(prefix="ipmetrics-monthly-bench-") as tmp:
        folder = Path(tmp)
        os.environ["IPMETRICS_BROWSER_CACHE"] = str(folder / "browser-cache")  # no seed from earlier runs
        with timed("load the sample into a fresh store"):
            store = sample_store(folder, registry)
        settings = Settings(db_url=store.url)
        if not args.no_stages:
            stages(store, registry, settings, month)
        if not args.no_end_to_end:
            end_to_end(registry, month, folder)
    print(f"ipmetrics monthly benchmark — {args.month}, {os.cpu_count()} CPUs, load average "
          f"{os.getloadavg()[0]:.1f}, Chromium {images.browser_path()}")
    # The CPU column: what the machine spent meanwhile, on both cores. Near twice the wall time, the run is
    # bound by the two cores, not by waiting.
    print(f"{'':<72} {'wall':>8} {'CPU':>8}")
    for label, seconds, cpu in rows:
        print(f"{label:<72} {seconds:6.2f} s {cpu:6.2f} s")


if __name__ == "__main__":
    main()
