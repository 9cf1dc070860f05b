"""How close the app's pages come to Streamlit's floor: time to a finished render in headless Chromium.

    .venv/bin/python benchmarks/bench_pages.py [--visits 5] [--stores sample,province[,nation]] [--keep DIR]

Prints figures only (no pass/fail). Serves, side by side on this machine, a one-line Streamlit page (the
floor: what any Streamlit page costs here) and the app (scripts/serve.py, as run-app.sh serves it) on each
store, then visits each page in a fresh browser context (a new Streamlit session) several times,
alternating floor and app so both meet the same load. A render is finished when no script run is under way,
no placeholder or stale element is left and every chart (plotly, Vega, a metric's sparkline) has drawn (benchmarks/load_test.py's
SETTLED, plus the charts). The first visit after a server start is reported apart; the ratio is the median
of the later visits over the floor's median. Stores: the bundled sample (loaded fresh, with 2025-12 frozen for
会议简报) and the synthetic province or nation of benchmarks/bench_scale.py (kept in --keep between runs; the
nation, 2.6 GiB, only when asked for).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
import unicodedata
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import load_test  # a sibling script (benchmarks/ is on the path when run as a script)
from playwright.sync_api import Browser, sync_playwright

from ipmetrics.core.goals import load_registry
from ipmetrics.core.settings import DEFAULT_INDICATORS, SAMPLE_DIR, Settings
from ipmetrics.core.store import Store
from ipmetrics.demo.synthetic import generate
from ipmetrics.io.importer import import_files
from ipmetrics.io.schemas import KINDS
from ipmetrics.meeting import snapshots

FLOOR_SCRIPT = 'import streamlit as st\n\nst.title("基准页")\n'
# Finished: load_test's SETTLED (run over, no placeholder, nothing stale) and every chart drawn: plotly's, and
# Vega's too (the goal charts of charts.screen, st.metric's sparklines), not only the plotly charts.
FINISHED = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelector('[data-testid="stSkeleton"]') || document.querySelector('[data-stale="true"]')) return false;
  const charts = document.querySelectorAll('[data-testid="stPlotlyChart"]');
  for (const chart of charts) if (!chart.querySelector('.main-svg')) return false;
  const vega = document.querySelectorAll('[data-testid="stVegaLiteChart"], [data-testid="stMetricChart"]');
  for (const chart of vega) if (!chart.querySelector('svg, canvas')) return false;
  return !!document.querySelector('h1, h2, h3');
}"""
TIMEOUT_MS = 120_000


@contextmanager
def served(command: list[str], env: dict[str, str], log: Path) -> Iterator[str]:
    """A Streamlit server from `command` (load_test.launch) until the block ends; yields its base URL."""
    proc, base = load_test.launch(command, env, log)
    try:
        yield base
    finally:
        load_test.stop_server(proc)


def visit(browser: Browser, url: str) -> float:
    """Seconds from asking for `url` in a new session to its finished render."""
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = context.new_page()
    started = time.perf_counter()
    try:
        page.goto(url)
        page.wait_for_function(FINISHED, polling=50, timeout=TIMEOUT_MS)
        return time.perf_counter() - started
    finally:
        context.close()


def sample_store(folder: Path) -> str:
    url = f"duckdb:///{folder / 'sample.duckdb'}"
    store = Store(url)
    registry = load_registry(DEFAULT_INDICATORS)
    import_files(store, [(k, SAMPLE_DIR / f"{k}.csv") for k in KINDS], indicator_ids=set(registry.ids()),
                 mark_sample=True)
    snapshots.freeze(store, registry, Settings(db_url=url), "2025-12", user="bench")  # for 会议简报
    store.dispose()
    return url


def synthetic_store(keep: Path, scale: str) -> str:
    """A fresh copy of the synthetic store of `scale` (generated once into `keep`, as bench_scale.py does),
    opened once so that any migration is done before the server starts, as at an upgrade."""
    keep.mkdir(parents=True, exist_ok=True)
    pristine = keep / f"{scale}.duckdb"
    if not pristine.exists():
        print(f"generating {pristine} (once; bench_scale.py keeps the same file) …", flush=True)
        partial = pristine.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        store = Store(f"duckdb:///{partial}")
        generate(store, scale)
        store.dispose()
        partial.rename(pristine)
    work = keep / f"{scale}-pages.duckdb"
    shutil.copyfile(pristine, work)
    Store(f"duckdb:///{work}").dispose()
    return f"duckdb:///{work}"


def measure(browser: Browser, floor: str, app: str, pages: list[tuple[str, str]], visits: int) -> list[tuple]:
    """Per page: (name, first visit, later visits) with the floor's as the first row; floor and app alternate."""
    first = {"floor": visit(browser, floor)}
    later: dict[str, list[float]] = {"floor": []}
    for name, path in pages:
        first[name], later[name] = visit(browser, app + path), []
    for _ in range(visits):
        later["floor"].append(visit(browser, floor))
        for name, path in pages:
            later[name].append(visit(browser, app + path))
            later["floor"].append(visit(browser, floor))
    return [(name, first[name], later[name]) for name in first]


def report(store_name: str, rows: list[tuple]) -> None:
    floor = statistics.median(rows[0][2])
    print(f"\n{store_name}: finished render in seconds (first visit after a start apart; median of the others)")
    print(f"  {'page':<12} {'first':>7} {'median':>7} {'× floor':>8}")
    for name, first, others in rows:
        median = statistics.median(others)
        print(f"  {padded(name, 12)} {first:7.2f} {median:7.2f} {median / floor:8.2f}")


def padded(text: str, columns: int) -> str:
    """`text` padded to `columns` terminal columns (a Chinese character takes two)."""
    wide = sum(unicodedata.east_asian_width(c) in "WF" for c in text)
    return text + " " * max(0, columns - len(text) - wide)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=5, help="visits per page after the first")
    parser.add_argument("--stores", default="sample,province")
    parser.add_argument("--keep", type=Path, default=Path(tempfile.gettempdir()) / "ipmetrics-bench")
    args = parser.parse_args()
    registry = load_registry(DEFAULT_INDICATORS)
    goal = registry.goals[0].id
    pages = [("总览", "/"), ("指标详情", f"/goal_detail?goal={goal}"), ("会议简报", "/meeting")]
    print(f"ipmetrics page benchmark — {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}, "
          f"{args.visits} visits per page after the first, floor and app alternating")
    with tempfile.TemporaryDirectory(prefix="ipmetrics-pages-") as tmp, sync_playwright() as playwright:
        folder = Path(tmp)
        (folder / "floor.py").write_text(FLOOR_SCRIPT, encoding="utf-8")
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        for store_name in args.stores.split(","):
            url = sample_store(folder) if store_name == "sample" else synthetic_store(args.keep, store_name)
            streamlit = [sys.executable, "-m", "streamlit", "run", str(folder / "floor.py")]
            with served(streamlit, {}, folder / "floor.log") as floor, \
                    served([sys.executable, "scripts/serve.py"], {"IPMETRICS_DB_URL": url},
                           folder / f"{store_name}.log") as app:
                report(store_name, measure(browser, floor + "/", app, pages, args.visits))
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
