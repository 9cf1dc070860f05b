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

Like-for-like floors: a third server draws the floor page plus only the kinds of element an app page holds
(two sidebar select boxes, st.metric, st.dataframe (a data grid), a Vega or a plotly chart; each kind's browser code is
loaded lazily, on the first element of that kind, so each costs time on any page that has one). Each app
page's median is printed also as a ratio to the floor of its own kinds: what the app adds over the least
any Streamlit page showing the same kinds of element costs here.
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
# The floor page plus, per ?with=…, one element of each kind named; every element as small as it can be.
ELEMENTS_SCRIPT = """import pandas as pd
import plotly.graph_objects as go
import streamlit as st

kinds = set(st.query_params.get("with", "").split(","))
if "pickers" in kinds:
    st.sidebar.selectbox("截至月份", [f"2025年{m}月" for m in range(12, 0, -1)])
    st.sidebar.selectbox("地区", ["全县", "甲乡", "乙镇"])
st.title("基准页")
if "metric" in kinds:
    st.metric("商标有效注册量", "4,653 件", "12 件")
if "table" in kinds:
    st.dataframe(pd.DataFrame({"月份": ["2025-11", "2025-12"], "件数": [4641, 4653]}), hide_index=True)
if "vega" in kinds:
    st.vega_lite_chart(pd.DataFrame({"x": [1, 2, 3], "y": [1, 3, 2]}),
                       {"mark": "line", "encoding": {"x": {"field": "x", "type": "quantitative"},
                                                     "y": {"field": "y", "type": "quantitative"}}})
if "plotly" in kinds:
    st.plotly_chart(go.Figure(go.Scatter(y=[1, 3, 2])))
"""
# Per app page: the kinds of element it holds (pages/overview.py, goal_detail.py, meeting.py), for its
# like-for-like floor.
# (会议简报's tables are st.table, plain HTML that loads no code of its own: not a kind here.)
PAGE_KINDS = {"总览": "pickers,metric", "指标详情": "pickers,vega,table", "会议简报": "pickers,vega"}
ELEMENT_FLOORS = [("两个下拉框", "pickers"), ("+指标卡", "pickers,metric"), ("+表格", "pickers,table"),
                  ("+Vega 图", "pickers,vega"), ("+Vega+表格", "pickers,vega,table"), ("+plotly 图", "pickers,plotly")]


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


def measure(browser: Browser, floor: str, app: str, pages: list[tuple[str, str]], visits: int,
            elements: str | None = None) -> list[tuple]:
    """Per page: (name, first visit, later visits) with the floor's as the first row; floor and app alternate.
    With `elements` (the like-for-like server's URL), its pages are visited in the same rounds, after the app's."""
    first = {"floor": visit(browser, floor)}
    later: dict[str, list[float]] = {"floor": []}
    urls = [(name, app + path) for name, path in pages]
    if elements is not None:
        urls += [(f"floor {name}", f"{elements}/?with={kinds}") for name, kinds in ELEMENT_FLOORS]
    for name, url in urls:
        first[name], later[name] = visit(browser, url), []
    for _ in range(visits):
        later["floor"].append(visit(browser, floor))
        for name, url in urls:
            later[name].append(visit(browser, url))
            later["floor"].append(visit(browser, floor))
    return [(name, first[name], later[name]) for name in first]


def report(store_name: str, rows: list[tuple]) -> None:
    floor = statistics.median(rows[0][2])
    medians = {name: statistics.median(others) for name, _, others in rows}
    like = {kinds: medians.get(f"floor {name}") for name, kinds in ELEMENT_FLOORS}
    print(f"\n{store_name}: finished render in seconds (first visit after a start apart; median of the others)")
    print(f"  {'page':<22} {'first':>7} {'median':>7} {'× floor':>8} {'× like-for-like floor':>22}")
    for name, first, _ in rows:
        own = like.get(PAGE_KINDS.get(name, ""))
        versus = f"{medians[name] / own:22.2f}" if own else ""
        print(f"  {padded(name, 22)} {first:7.2f} {medians[name]:7.2f} {medians[name] / floor:8.2f} {versus}")


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
        (folder / "elements.py").write_text(ELEMENTS_SCRIPT, encoding="utf-8")
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        streamlit = [sys.executable, "-m", "streamlit", "run"]
        with served([*streamlit, str(folder / "elements.py")], {}, folder / "elements.log") as elements:
            for number, store_name in enumerate(args.stores.split(",")):
                url = sample_store(folder) if store_name == "sample" else synthetic_store(args.keep, store_name)
                with served([*streamlit, str(folder / "floor.py")], {}, folder / "floor.log") as floor, \
                        served([sys.executable, "scripts/serve.py"], {"IPMETRICS_DB_URL": url},
                               folder / f"{store_name}.log") as app:
                    # the like-for-like floors depend on no store: measured with the first one only
                    rows = measure(browser, floor + "/", app, pages, args.visits, elements if number == 0 else None)
                    report(store_name, rows)
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
