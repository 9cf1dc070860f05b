"""How long the dashboard's work takes on the bundled sample: import, reading a region, computing goals.

    .venv/bin/python benchmarks/bench_goals.py [--repeat N]

Prints figures only (no pass/fail). Every store is built fresh in a temporary directory, so the
project's own database is never touched.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import pandas as pd

from ipmetrics.core import catalog
from ipmetrics.core.goals import load_registry
from ipmetrics.core.measures import load_region_data
from ipmetrics.core.scorecard import scorecard_from_data, scorecard_history
from ipmetrics.core.settings import DEFAULT_INDICATORS, SAMPLE_DIR, Settings
from ipmetrics.core.store import Store
from ipmetrics.io.importer import import_files

KINDS = ["regions", "population", "enterprises", "trademarks", "patents", "pledges", "reported"]
FIRST_MONTH = "2020-12"  # the goals' base period


def timed(fn, repeat: int) -> tuple[list[float], object]:
    """Run fn `repeat` times; the seconds of each run and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return times, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each timing (default 3)")
    parser.add_argument("--sample-dir", type=Path, default=SAMPLE_DIR, help="CSV directory (default data/sample)")
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    registry = load_registry(DEFAULT_INDICATORS)
    files = [(kind, args.sample_dir / f"{kind}.csv") for kind in KINDS]
    rows: list[tuple[str, int, str, list[float]]] = []  # label, operations, unit of an operation, seconds

    with tempfile.TemporaryDirectory(prefix="ipmetrics-bench-") as tmp:
        # (a) The import, each run into a new, already migrated store (migrations are not timed).
        import_times, rows_loaded, store = [], 0, None
        for run in range(args.repeat):
            if store is not None:
                store.dispose()
            store = Store(f"duckdb:///{Path(tmp) / f'run{run}.duckdb'}")
            start = time.perf_counter()
            results = import_files(store, files, indicator_ids=set(registry.ids()), mark_sample=True)
            import_times.append(time.perf_counter() - start)
            rows_loaded = sum(r.rows_loaded for r in results)
        rows.append(("(a) import sample CSVs", rows_loaded, "row", import_times))

        settings = Settings(db_url=store.url)
        latest = catalog.latest_month(store)
        months = list(pd.period_range(FIRST_MONTH, latest, freq="M"))
        regions = list(catalog.regions(store)["code"].astype(str))

        # (b) Reading one region's data (what the dashboard caches per region).
        load_times, county = timed(lambda: load_region_data(store, registry.region), args.repeat)
        rows.append((f"(b) load_region_data({registry.region})", 1, "load", load_times))

        # (c) One month's nine goals, as the overview computes them from data already read.
        one_times, _ = timed(lambda: scorecard_from_data(county, registry, settings, latest), args.repeat)
        rows.append(("(c) county, one month (page)", 1, "month", one_times))

        # (d) All nine goals for every month, county only: month by month, then as one history.
        def every_month(data):
            return [scorecard_from_data(data, registry, settings, month) for month in months]
        county_times, _ = timed(lambda: every_month(county), args.repeat)
        rows.append((f"(d) county, {len(months)} months, each", len(months), "month", county_times))
        history_times, _ = timed(lambda: scorecard_history(county, registry, settings, months), args.repeat)
        rows.append((f"(e) county, {len(months)} months, history", len(months), "month", history_times))

        # (f) Every region and month as one history per region, reading each region's data too.
        def every_region():
            for code in regions:
                scorecard_history(load_region_data(store, code), registry, settings, months)
        all_times, _ = timed(every_region, args.repeat)
        rows.append((f"(f) {len(regions)} regions x {len(months)} months", len(regions), "region", all_times))
        store.dispose()

    print(f"ipmetrics goal benchmark — sample {args.sample_dir}, months {FIRST_MONTH}..{latest}, "
          f"{len(registry.goals)} goals, {args.repeat} runs each")
    print(f"CPUs: {os.cpu_count()} (usable {len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else '?'})"
          f" · Python {platform.python_version()} ({sys.implementation.name}) · DuckDB {duckdb.__version__}"
          f" · pandas {pd.__version__} · {platform.machine()} {platform.system()}")
    print()
    header = f"{'step':<34} {'median s':>10} {'min s':>10}   {'per operation (median)':<28}"
    print(header)
    print("-" * len(header))
    for label, count, unit, seconds in rows:
        median, best = statistics.median(seconds), min(seconds)
        if unit == "row":
            per = f"{count:,} rows, {count / median:,.0f} rows/s"
        else:
            per = f"{median / count * 1000:,.2f} ms/{unit} (n={count})"
        print(f"{label:<34} {median:>10.4f} {best:>10.4f}   {per:<28}")


if __name__ == "__main__":
    main()
