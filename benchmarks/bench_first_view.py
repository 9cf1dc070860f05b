"""The first 总览 after a start, library side: what the overview's first run reads, in a fresh process.

    .venv/bin/python benchmarks/bench_first_view.py [--scale nation] [--runs 5] [--against TREE] [--keep DIR]

Each run is a new Python process with cold caches, as the app's first view after a start: it opens the
store and goes through what pages/shell/sidebar.py and pages/overview.py ask of the library (store_overview:
latest_month, regions, has_records, is_sample; snapshots_version; default_month: latest_month,
readiness.default_month; the region tree; load_region_data; scorecard_from_data), timing every named query.
With --against TREE (another source tree, e.g. `git worktree add /work/wt-old main`), that tree's code runs
too, on its own copy of the store, the two alternating run by run so both meet the same load. Each tree's
copy is opened once first, so its migrations are done before the runs (as at an upgrade). The synthetic
store is bench_scale.py's, generated into --keep when missing. Prints medians; no pass/fail.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def first_view(db: str) -> dict:
    """One first view on the DuckDB file `db` (in this process, which must be fresh)."""
    from datetime import date

    from ipmetrics.core import catalog
    from ipmetrics.core import store as store_module
    from ipmetrics.core.goals import load_registry
    from ipmetrics.core.hierarchy import Hierarchy
    from ipmetrics.core.measures import load_region_data
    from ipmetrics.core.scorecard import scorecard_from_data
    from ipmetrics.core.settings import DEFAULT_INDICATORS, Settings
    from ipmetrics.meeting import readiness, snapshots

    queries: dict[str, list[float]] = collections.defaultdict(list)

    def timed(method):
        def wrapper(self, query, /, **params):
            began = time.perf_counter()
            try:
                return method(self, query, **params)
            finally:
                queries[query].append(time.perf_counter() - began)
        return wrapper

    for cls in (store_module.Store, store_module.Transaction):
        for name in ("frame", "scalar"):
            setattr(cls, name, timed(getattr(cls, name)))
    registry = load_registry(DEFAULT_INDICATORS)
    began = time.perf_counter()
    store = store_module.Store(f"duckdb:///{db}")
    store.data_version()
    latest = catalog.latest_month(store)  # store_overview
    tree = Hierarchy.from_frame(catalog.regions(store))
    catalog.has_records(store), store.is_sample()
    snapshots.version(store)
    as_of = readiness.default_month(store, registry, catalog.latest_month(store), date.today())  # default_month
    home = registry.region if registry.region in tree else tree.roots[0]
    data = load_region_data(store, home)
    scorecard_from_data(data, registry, Settings(db_url=store.url), as_of)
    total = time.perf_counter() - began
    store.dispose()
    return {"total": total, "latest": str(latest), "queries": dict(queries)}


def child(tree: str, *args: str) -> str:
    env = {**os.environ, "PYTHONPATH": tree}
    return subprocess.run([sys.executable, __file__, *args], env=env, cwd=tree, check=True,
                          capture_output=True, text=True).stdout


def prepared(pristine: Path, keep: Path, name: str, tree: str) -> Path:
    """A copy of the store for `tree`, opened once by its code (migrations done, file checkpointed)."""
    work = keep / f"{pristine.stem}-first-view-{name}.duckdb"
    shutil.copyfile(pristine, work)
    child(tree, "--open", str(work))
    return work


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["province", "nation"], default="nation")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--against", help="another source tree to alternate with (e.g. a worktree of main)")
    parser.add_argument("--keep", type=Path, default=Path(tempfile.gettempdir()) / "ipmetrics-bench")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--open", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(first_view(args.child)))
        return 0
    if args.open:
        from ipmetrics.core.store import Store
        Store(f"duckdb:///{args.open}").dispose()
        return 0
    pristine = args.keep / f"{args.scale}.duckdb"
    if not pristine.exists():
        sys.exit(f"{pristine} is missing: run benchmarks/bench_scale.py --scale {args.scale} first (it generates it)")
    trees = {"this tree": str(HERE.parent)} | ({"against": str(Path(args.against).resolve())} if args.against else {})
    copies = {name: prepared(pristine, args.keep, name.replace(" ", "-"), tree) for name, tree in trees.items()}
    print(f"first 总览, library path — {args.scale} store, {args.runs} fresh processes per tree, "
          f"load average {os.getloadavg()[0]:.1f}")
    results: dict[str, list[dict]] = {name: [] for name in trees}
    for _ in range(args.runs):
        for name, tree in trees.items():
            results[name].append(json.loads(child(tree, "--child", str(copies[name]))))
    for name, runs in results.items():
        totals = [run["total"] for run in runs]
        print(f"\n{name} ({trees[name]}): median {statistics.median(totals):.3f} s "
              f"(runs {', '.join(f'{t:.2f}' for t in totals)}), newest month {runs[0]['latest']}")
        for query in runs[0]["queries"]:
            times = [t for run in runs for t in run["queries"][query]]
            print(f"  {query:<24} ×{len(times) // len(runs)}  median {statistics.median(times) * 1000:8.1f} ms")
    for work in copies.values():
        work.unlink(missing_ok=True)
        Path(str(work) + ".wal").unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
