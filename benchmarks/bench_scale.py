"""Province and nation scale: the engine (SQL in the database) against plain pandas, on the same data.

    .venv/bin/python benchmarks/bench_scale.py --scale province [--import-rows 1000000] [--keep DIR]
    .venv/bin/python benchmarks/bench_scale.py --scale nation

Generates the synthetic store (ipmetrics/synthetic.py) once into DIR (default /tmp/ipmetrics-bench)
and copies it for each run, so the import does not pile up. Then, in this one process:

  engine  the overview of 罗山县 (ipmetrics.scorecard: every goal card at the latest month), and the
          full panel (ipmetrics.panel: every goal, every county-level region, every month since
          2019-01), then an import of --import-rows new trademarks through the importer (checked
          row by row, written in one transaction, monthly sums refreshed) and the panel again;
  pandas  the raw record tables read into pandas (benchmarks/pandas_metrics.py), the same overview
          and panel from them, the same file read with pandas.read_csv and appended, the panel again.

Both panels must agree to 1e-9 (NaN where the other has NaN) before and after the import, and the
overview must equal the panel's row for the county. Prints wall time (median of --repeat runs for
the quick steps) and peak memory: the process's peak resident set during the step (Linux VmHWM,
reset before each step), and how much that is above the memory in use when the step began.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pandas_metrics  # noqa: E402  (a sibling script, not a package)

from ipmetrics.core import catalog  # noqa: E402
from ipmetrics.core.goals import load_registry  # noqa: E402
from ipmetrics.core.panel import goal_panel  # noqa: E402
from ipmetrics.core.scorecard import scorecard  # noqa: E402
from ipmetrics.core.settings import DEFAULT_INDICATORS, Settings  # noqa: E402
from ipmetrics.core.store import Store  # noqa: E402
from ipmetrics.demo.synthetic import HOME_COUNTY, generate  # noqa: E402
from ipmetrics.io.importer import import_files  # noqa: E402
from ipmetrics.io.readers import Source  # noqa: E402

FIRST = pd.Period("2019-01", freq="M")


# --- memory ------------------------------------------------------------------------------------------
def _status(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024 / 1024  # GiB
    return float("nan")


def reset_peak() -> None:
    """Linux: writing 5 to clear_refs resets VmHWM to the current resident set."""
    gc.collect()
    Path("/proc/self/clear_refs").write_text("5")


class Step:
    """Times a block and records the peak resident memory reached inside it."""

    def __init__(self, results: list, engine: str, name: str):
        self.results, self.engine, self.name = results, engine, name

    def __enter__(self):
        reset_peak()
        self.rss_before = _status("VmRSS")
        self.began = time.perf_counter()
        return self

    def __exit__(self, *exc):
        seconds = time.perf_counter() - self.began
        peak = _status("VmHWM")
        self.results.append((self.engine, self.name, seconds, peak, peak - self.rss_before))
        print(f"  {self.engine:<7}{self.name:<36}{seconds:>9.3f} s   peak {peak:>6.2f} GiB "
              f"(+{peak - self.rss_before:.2f})", flush=True)


def repeated(results: list, engine: str, name: str, repeat: int, work):
    """Runs `work` `repeat` times; records the median time and the highest peak."""
    runs, value = [], None
    for _ in range(repeat):
        scratch: list = []
        with Step(scratch, engine, name + " (run)"):
            value = work()
        runs.append(scratch[0])
    seconds = statistics.median(r[2] for r in runs)
    peak, above = max(r[3] for r in runs), max(r[4] for r in runs)
    results.append((engine, name, seconds, peak, above))
    print(f"  {engine:<7}{name + f' (median of {repeat})':<36}{seconds:>9.3f} s", flush=True)
    return value


# --- checks ------------------------------------------------------------------------------------------
def agree(engine: pd.DataFrame, reference: pd.DataFrame, what: str) -> None:
    ours = engine.sort_index()
    theirs = reference.reindex(ours.index)[ours.columns]
    if len(reference) != len(ours):
        sys.exit(f"{what}: {len(ours)} rows from the engine, {len(reference)} from pandas")
    a, b = ours.to_numpy(dtype=float), theirs.to_numpy(dtype=float)
    if not (np.isnan(a) == np.isnan(b)).all():
        sys.exit(f"{what}: the engine and pandas disagree on which values are missing")
    worst = np.nanmax(np.abs(a - b) / np.maximum(1.0, np.abs(b))) if a.size else 0.0
    if worst > 1e-9:
        sys.exit(f"{what}: the engine and pandas differ (largest relative difference {worst:.3g})")
    print(f"  check  {what}: {a.size:,} values agree (largest relative difference {worst:.1e})", flush=True)


def new_marks(path: Path, rows: int, counties: list[str], month: pd.Period) -> None:
    """`rows` new ordinary marks registered in `month`, spread over the counties."""
    rng = np.random.default_rng(8)
    days = rng.integers(1, month.days_in_month + 1, rows)
    frame = pd.DataFrame({
        "reg_no": [f"B{i:09d}" for i in range(rows)],
        "mark_name": [f"基准测试商标{i}" for i in range(rows)],
        "holder": [f"基准测试企业{i % 5000}" for i in range(rows)],
        "region_code": rng.choice(np.array(counties), rows),
        "mark_type": "ordinary", "is_gi": "false", "industry": "",
        "registered_on": [f"{month.year}-{month.month:02d}-{d:02d}" for d in days],
        "ended_on": "", "well_known_on": "",
    })
    frame.to_csv(path, index=False)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["province", "nation"], default="province")
    parser.add_argument("--keep", type=Path, default=Path(tempfile.gettempdir()) / "ipmetrics-bench",
                        help="where the generated store is kept between runs")
    parser.add_argument("--import-rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of the quick steps")
    parser.add_argument("--no-pandas", action="store_true", help="the engine only")
    args = parser.parse_args()

    print(f"ipmetrics scale benchmark — {args.scale} · {os.cpu_count()} cores · "
          f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB · Python "
          f"{platform.python_version()} · DuckDB {duckdb.__version__} · pandas {pd.__version__}")
    args.keep.mkdir(parents=True, exist_ok=True)
    pristine = args.keep / f"{args.scale}.duckdb"
    if not pristine.exists():
        print(f"generating {pristine} …", flush=True)
        partial = pristine.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        store = Store(f"duckdb:///{partial}")
        made = generate(store, args.scale)
        store.dispose()
        partial.rename(pristine)
        print(f"  generated in {made.seconds:.0f} s: {made.regions:,} regions, "
              + ", ".join(f"{kind} {rows:,}" for kind, rows in made.rows.items()))
    work = args.keep / f"{args.scale}-run.duckdb"
    shutil.copyfile(pristine, work)
    print(f"store: {pristine.stat().st_size / 2**30:.2f} GiB on disk (a fresh copy per run)\n")

    store = Store(f"duckdb:///{work}")
    registry, settings = load_registry(DEFAULT_INDICATORS), Settings(db_url=store.url)
    latest = catalog.latest_month(store)
    results: list = []

    print("engine (SQL in DuckDB):")
    cards = repeated(results, "engine", "overview of one county", args.repeat,
                     lambda: scorecard(store, registry, settings, HOME_COUNTY, latest))
    panel = repeated(results, "engine", "full panel (county × month)", args.repeat,
                     lambda: goal_panel(store, registry, settings, "", "county", FIRST, latest).values)
    counties = sorted(set(panel.index.get_level_values("region_code")))
    print(f"  (panel: {len(counties):,} counties × {len(panel) // len(counties)} months × {panel.shape[1]} goals)")
    overview = pd.Series({card.goal.id: card.progress.value for card in cards})
    from_panel = panel.loc[(HOME_COUNTY, latest)]
    if not np.allclose(overview[from_panel.index].astype(float), from_panel.astype(float), equal_nan=True):
        sys.exit("the overview and the panel's row for the county differ")

    upload = args.keep / "new_marks.csv"
    new_marks(upload, args.import_rows, counties, latest)
    with Step(results, "engine", f"import of {args.import_rows:,} rows"):
        # Over the 200,000-row limit of a user's file on purpose: this measures the engine at scale.
        import_files(store, [("trademarks", Source.from_path(upload))], max_bytes=2**40, max_rows=2**31)
    after = repeated(results, "engine", "full panel after the import", 1,
                     lambda: goal_panel(store, registry, settings, "", "county", FIRST, latest).values)
    store.dispose()

    if not args.no_pandas:
        print("\npandas (the raw tables in memory):")
        # The untouched copy: the data as the engine had them before its import.
        connection = duckdb.connect(str(pristine), read_only=True)
        with Step(results, "pandas", "read the record tables"):
            tables = pandas_metrics.load_tables(lambda sql: connection.sql(sql).df())
        connection.close()

        def pandas_overview():
            values = pandas_metrics.goal_panel(tables, registry, settings, HOME_COUNTY, "county", FIRST, latest)
            return values.loc[(HOME_COUNTY, latest)]

        reference_row = repeated(results, "pandas", "overview of one county", args.repeat, pandas_overview)
        if not np.allclose(reference_row.astype(float), from_panel[reference_row.index].astype(float),
                           equal_nan=True):
            sys.exit("the pandas overview and the engine's differ")
        reference = repeated(results, "pandas", "full panel (county × month)", args.repeat,
                             lambda: pandas_metrics.goal_panel(tables, registry, settings, "", "county",
                                                               FIRST, latest))
        agree(panel, reference, "full panel")
        with Step(results, "pandas", f"import of {args.import_rows:,} rows"):
            added = pd.read_csv(upload, dtype={"region_code": str}, keep_default_na=False)
            rows = pd.DataFrame({
                "region_code": added["region_code"], "is_gi": added["is_gi"] == "true",
                "registered_on": pd.to_datetime(added["registered_on"]),
                "ended_on": pd.NaT, "well_known_on": pd.NaT})
            tables.trademarks = pd.concat([tables.trademarks, rows], ignore_index=True)
            tables.trademarks["region_code"] = tables.trademarks["region_code"].astype("category")
        reference_after = repeated(results, "pandas", "full panel after the import", 1,
                                   lambda: pandas_metrics.goal_panel(tables, registry, settings, "", "county",
                                                                     FIRST, latest))
        agree(after, reference_after, "full panel after the import")

    print("\nsummary (seconds; peak resident memory of the process during the step, GiB):")
    print(f"{'step':<38}{'engine':>10}{'pandas':>10}{'ratio':>8}{'peak E':>9}{'peak P':>9}")
    names = list(dict.fromkeys(name for _, name, *_ in results))
    for name in names:
        mine = {engine: (seconds, peak) for engine, step, seconds, peak, _ in results if step == name}
        if "(run)" in name:
            continue
        e, p = mine.get("engine"), mine.get("pandas")
        ratio = f"{p[0] / e[0]:.1f}×" if e and p else ""
        print(f"{name:<38}{e[0] if e else float('nan'):>10.3f}{p[0] if p else float('nan'):>10.3f}{ratio:>8}"
              f"{e[1] if e else float('nan'):>9.2f}{p[1] if p else float('nan'):>9.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
