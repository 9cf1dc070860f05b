"""How long exporting every chart of one month takes: one Chromium for the batch versus one per chart.

    .venv/bin/python benchmarks/bench_export.py [--as-of 2025-12] [--format png] [--per-chart N]

Prints figures only. Builds a store from the bundled sample in a temporary directory. "One per chart"
starts and stops Chromium around every image, as a naive loop over plotly's write_image would; by
default it is timed on the first 8 charts only and the per-chart figure is what counts.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

import pandas as pd

from ipmetrics.charts.month import build_month
from ipmetrics.core.goals import load_registry
from ipmetrics.core.settings import DEFAULT_INDICATORS, SAMPLE_DIR, Settings
from ipmetrics.core.store import Store
from ipmetrics.export import images
from ipmetrics.io.importer import import_files
from ipmetrics.io.schemas import KINDS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--as-of", default="2025-12")
    parser.add_argument("--format", default="png", choices=list(images.FORMATS))
    parser.add_argument("--per-chart", type=int, default=8, help="charts timed with one browser each (0 = all)")
    args = parser.parse_args()
    registry = load_registry(DEFAULT_INDICATORS)
    with tempfile.TemporaryDirectory(prefix="ipmetrics-export-bench-") as tmp:
        store = Store(f"duckdb:///{Path(tmp) / 'bench.duckdb'}")
        import_files(store, [(k, SAMPLE_DIR / f"{k}.csv") for k in KINDS], indicator_ids=set(registry.ids()),
                     mark_sample=True)
        started = time.perf_counter()
        month = build_month(store, registry, Settings(db_url=store.url), registry.region, "罗山县",
                            pd.Period(args.as_of, freq="M"), True)
        charts = [c for c in month.charts if c.figure is not None]
        build = time.perf_counter() - started

        started = time.perf_counter()
        with images.session():  # Chromium starts with the first image
            shared = []
            for chart in charts:
                t = time.perf_counter()
                images.render(chart.figure, args.format)
                shared.append(time.perf_counter() - t)
        shared_total = time.perf_counter() - started

        subset = charts if args.per_chart == 0 else charts[:args.per_chart]
        separate = []
        for chart in subset:
            t = time.perf_counter()
            with images.session():
                images.render(chart.figure, args.format)
            separate.append(time.perf_counter() - t)

    print(f"ipmetrics export benchmark — {len(charts)} charts of {args.as_of} as {args.format.upper()}, "
          f"{os.cpu_count()} CPUs, Chromium {images.browser_path()}")
    print(f"building the figures (queries + plotly):          {build:6.2f} s")
    print(f"one browser for the batch:                        {shared_total:6.2f} s in all, "
          f"median {statistics.median(shared):.3f} s per chart (the first, with the start: {shared[0]:.2f} s)")
    per = statistics.median(separate)
    print(f"one browser per chart ({len(subset)} charts):            median {per:.3f} s per chart, "
          f"{per * len(charts):6.1f} s for all {len(charts)} (estimated)")
    print(f"speed-up of one shared browser: {per * len(charts) / shared_total:4.1f}×")


if __name__ == "__main__":
    main()
