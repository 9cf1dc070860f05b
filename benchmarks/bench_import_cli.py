"""A million-row import against merely reading the file: `ipmetrics import` (a fresh process: read, full
validation, one transaction) over a fresh process that only runs pandas.read_csv(dtype=str) on the same file.

    .venv/bin/python benchmarks/bench_import_cli.py [--rows 1000000] [--repeat 3] [--bad-every 100]

Prints figures only (issue 19's goal: within 4×, both measured in one run, alternating). Then the same file
with a broken row every --bad-every rows (blank, misspelt and out-of-range cells, duplicates, unknown regions):
the CLI's time to refuse it, and validation row by row against column by column on it, with every message
compared (they must be the same, in the same order).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import bench_import  # a sibling script (benchmarks/ is on the path when run as a script)

from ipmetrics.core.settings import SAMPLE_DIR
from ipmetrics.io.checks import validate_frame
from ipmetrics.io.readers import Source, read_table
from ipmetrics.io.schemas import KINDS

PANDAS_READ = "import sys, pandas; pandas.read_csv(sys.argv[1], dtype=str)"
BREAKAGES = [  # (column position, cell) written into every --bad-every'th row, in turn
    (1, ""), (3, "411521999"), (4, "普通?"), (5, "maybe"), (7, "2020-02-30"), (8, "1999-01-01"), (0, "10000000"),
]


def timed(command: list[str], env: dict[str, str]) -> tuple[float, int]:
    start = time.perf_counter()
    done = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - start, done.returncode


def broken(text: str, every: int) -> str:
    lines = text.splitlines()
    for number in range(1, len(lines), every):
        column, cell = BREAKAGES[(number // every) % len(BREAKAGES)]
        cells = lines[number].split(",")
        cells[column] = cell
        lines[number] = ",".join(cells)
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--bad-every", type=int, default=100)
    parser.add_argument("--compare-rows", type=int, default=200_000,
                        help="rows of the broken file validated both ways in this process")
    args = parser.parse_args()
    print(f"ipmetrics import vs pandas.read_csv — {args.rows:,} trademark rows · {os.cpu_count()} CPUs · "
          f"Python {platform.python_version()} · load {os.getloadavg()[0]:.1f}")
    cli = [str(Path(sys.executable).with_name("ipmetrics"))]
    env = {**os.environ, "IPMETRICS_MAX_IMPORT_ROWS": str(args.rows + 10), "IPMETRICS_MAX_IMPORT_MB": "1024"}
    with tempfile.TemporaryDirectory(prefix="ipmetrics-cli-import-") as tmp:
        work = Path(tmp)
        text = bench_import.trademark_csv(args.rows)
        marks = work / "marks.csv"
        marks.write_text(text, encoding="utf-8")
        base = work / "base.duckdb"
        subprocess.run([*cli, "--db", f"duckdb:///{base}", "import", "regions", str(SAMPLE_DIR / "regions.csv")],
                       env=env, check=True, stdout=subprocess.DEVNULL)
        print(f"file: {marks.stat().st_size / 2**20:.0f} MB\n")
        reads, imports = [], []
        for run in range(args.repeat):
            store = work / f"run{run}.duckdb"
            shutil.copyfile(base, store)
            pair = [("pandas", [sys.executable, "-c", PANDAS_READ, str(marks)]),
                    ("import", [*cli, "--db", f"duckdb:///{store}", "import", "trademarks", str(marks)])]
            for name, command in pair if run % 2 == 0 else reversed(pair):
                seconds, code = timed(command, env)
                if code != 0:
                    sys.exit(f"{name} failed with exit code {code}")
                (reads if name == "pandas" else imports).append(seconds)
                print(f"  run {run + 1} {name:<7}{seconds:7.2f} s", flush=True)
        read_s, import_s = statistics.median(reads), statistics.median(imports)
        print(f"\nmedian: pandas.read_csv {read_s:.2f} s · ipmetrics import {import_s:.2f} s · "
              f"ratio {import_s / read_s:.1f}× (goal ≤ 4×)")

        bad = work / "marks-broken.csv"
        bad_text = broken(text, args.bad_every)
        bad.write_text(bad_text, encoding="utf-8")
        store = work / "refused.duckdb"
        shutil.copyfile(base, store)
        seconds, code = timed([*cli, "--db", f"duckdb:///{store}", "import", "trademarks", str(bad),
                               "--errors", str(work / "errors.xlsx")], env)
        print(f"\nbroken file (a bad row every {args.bad_every}): refused in {seconds:.2f} s (exit {code})")
        head = "\n".join(bad_text.splitlines()[:args.compare_rows + 1]) + "\n"
        table = read_table(Source("marks-broken.csv", head.encode()), kind="trademarks", max_rows=args.compare_rows)
        known = set(bench_import.TOWNSHIPS) | {"411521"}
        timings, outcomes = {}, {}
        for by_columns in (False, True):
            start = time.perf_counter()
            outcomes[by_columns] = validate_frame(KINDS["trademarks"], table.frame, "marks-broken.csv", known,
                                                  by_columns=by_columns)
            timings[by_columns] = time.perf_counter() - start
        same = outcomes[True][1] == outcomes[False][1] and outcomes[True][0].equals(outcomes[False][0])
        print(f"first {args.compare_rows:,} rows validated in this process: row by row {timings[False]:.2f} s, "
              f"by columns {timings[True]:.2f} s; {len(outcomes[True][1]):,} problems, "
              f"messages and rows {'identical' if same else 'DIFFERENT'}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
