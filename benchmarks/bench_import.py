"""How long a large import takes: a 200,000-row trademark file (the goal is under 30 s on this machine).

    .venv/bin/python benchmarks/bench_import.py [--rows 200000] [--db postgresql+psycopg://…/empty_db]

Prints figures only. Builds a store with the sample's regions in a temporary directory (or in the empty
database given by --db, e.g. one on the server of scripts/postgres.sh), writes the file
as UTF-8 and as GBK CSV, imports each (the second import replaces every row by its key), and times
reading, validation and writing separately for the first one.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import duckdb

from ipmetrics.core.settings import SAMPLE_DIR
from ipmetrics.core.store import Store
from ipmetrics.io.importer import import_file, validate_frame
from ipmetrics.io.readers import Source, read_table
from ipmetrics.io.schemas import KINDS

TOWNSHIPS = ["411521001", "411521002", "411521003", "411521101", "411521102", "411521103", "411521104"]
WORDS = ["灵山", "董寨", "宝城", "龙山", "子路", "石山口", "豫南", "淮畔", "恒泰", "金鼎"]
PRODUCTS = ["毛尖", "香米", "板栗", "电子", "精工", "食品", "服饰", "建材"]
DATE_STYLES = ["{:%Y-%m-%d}", "{d.year}/{d.month}/{d.day}", "{d.year}年{d.month}月{d.day}日"]


def trademark_csv(rows: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    lines = [",".join(KINDS["trademarks"].labels[c] for c in KINDS["trademarks"].columns)]
    start = date(2005, 1, 1)
    for i in range(rows):
        registered = start + timedelta(days=rng.randrange(7000))
        ended = registered + timedelta(days=3650) if rng.random() < 0.2 else None
        style = rng.choice(DATE_STYLES)
        lines.append(",".join([
            f"{10_000_000 + i}", rng.choice(WORDS) + rng.choice(PRODUCTS), f"罗山县{rng.choice(WORDS)}有限公司",
            rng.choice(TOWNSHIPS), rng.choice(["ordinary"] * 20 + ["collective", "certification"]),
            rng.choice(["否"] * 30 + ["是"]), rng.choice(["茶叶", "绿色食品", ""]),
            style.format(registered, d=registered), "" if ended is None else f"{ended:%Y-%m-%d}", "",
        ]))
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--db", help="an empty database's SQLAlchemy URL (default: a temporary DuckDB file)")
    args = parser.parse_args()
    print(f"ipmetrics import benchmark — {args.rows:,} trademark rows · {os.cpu_count()} CPUs · "
          f"Python {platform.python_version()} · DuckDB {duckdb.__version__}")
    text = trademark_csv(args.rows)
    with tempfile.TemporaryDirectory(prefix="ipmetrics-import-") as tmp:
        store = Store(args.db or f"duckdb:///{Path(tmp) / 'bench.duckdb'}")
        print(f"store: {store.engine.dialect.name}")
        import_file(store, "regions", SAMPLE_DIR / "regions.csv")
        known = set(store.frame("region_codes")["code"])
        utf8 = Source("marks-utf8.csv", text.encode("utf-8"))
        gbk = Source("marks-gbk.csv", text.encode("gbk"))
        print(f"file sizes: UTF-8 {len(utf8.data) / 1048576:.1f} MB, GBK {len(gbk.data) / 1048576:.1f} MB\n")

        start = time.perf_counter()
        table = read_table(utf8, max_bytes=1 << 30)
        read_s = time.perf_counter() - start
        start = time.perf_counter()
        _, errors = validate_frame(KINDS["trademarks"], table.frame, utf8.name, known)
        validate_s = time.perf_counter() - start
        assert not errors, errors[:3]

        rows = []
        for label, source in (("UTF-8 CSV, empty table", utf8), ("GBK CSV, replacing every row", gbk)):
            start = time.perf_counter()
            result = import_file(store, "trademarks", source, max_bytes=1 << 30)
            rows.append((label, time.perf_counter() - start, result.rows_loaded))
        counts = store.frame("source_counts").set_index("source")["records"]
        count = int(counts["trademarks"])
        print(f"{'step':<34} {'seconds':>8}   rows/s")
        print("-" * 58)
        print(f"{'read (UTF-8, detect + parse)':<34} {read_s:>8.2f}   {args.rows / read_s:>9,.0f}")
        print(f"{'validate every row':<34} {validate_s:>8.2f}   {args.rows / validate_s:>9,.0f}")
        for label, seconds, loaded in rows:
            print(f"{'import: ' + label:<34} {seconds:>8.2f}   {loaded / seconds:>9,.0f}")
        print(f"\ntrademarks in the store afterwards: {count:,} (a re-import replaces, never adds)")
        verdict = "under" if max(s for _, s, _ in rows) < 30 else "OVER"
        print(f"slowest full import: {max(s for _, s, _ in rows):.1f} s — {verdict} the 30 s goal")


if __name__ == "__main__":
    main()
