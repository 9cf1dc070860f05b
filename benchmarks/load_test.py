"""Load test: many browser sessions browse the served dashboard while an editor imports through the web UI.

    .venv/bin/python benchmarks/load_test.py [--sessions 20] [--seconds 90] [--import-after 20] [--rows 20000]

Everything runs on loopback in a temporary directory: the bundled sample is loaded into a fresh DuckDB
file, an editor account is written to a temporary secrets file, and the dashboard is served exactly as
run-app.sh serves it (scripts/serve.py). One headless Chromium (Debian's /usr/bin/chromium) then opens
one browser context per session — contexts share nothing, so each is a separate Streamlit session:

* `--sessions` viewers click around for `--seconds`: each picks a page and sidebar choices (as-of month,
  township) at random, seeded per session so a run can be repeated, navigates its one tab there and
  waits until the page has settled. The time from the start of the navigation until the script run is
  over and no placeholder is left is the page's render latency — it includes the server's work and
  the browser's drawing, both on this machine.
* `--import-after` seconds in, an editor signs in on 数据导入, uploads a generated trademark CSV of
  `--rows` new marks registered in the latest month (2026-10) and confirms; the import's wall time is
  from the click until the success message. Viewers keep browsing meanwhile (and until it is done).
* Consistency: some viewer navigations open the overview at its defaults and read 商标注册总量. Every
  value seen must be either the figure before the import or that figure plus `--rows` — never a
  half-written state.

Prints per-page and overall latency (median, p95, max), the errors and the import time. An error is an
exception box, an alert with a Traceback/Error, a navigation or settle that takes over 60 s, a
consistency violation, or a Traceback in the server's log. Exits 1 if there was any.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import math
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from playwright.async_api import Browser, Page, async_playwright, expect

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync", "--disable-dev-shm-usage"]  # as in tests/test_browser.py
TIMEOUT_S = 60             # a navigation plus settle slower than this counts as an error
IMPORT_TIMEOUT_S = 300     # upload check and commit of the whole file, under load
EDITOR_ACCOUNT, EDITOR_PASSWORD, EDITOR_NAME = "zhangsan", "correct-horse-battery", "张三"
PAGES = ["/", "/meeting", "/goal_detail", "/trademarks", "/brands", "/patents", "/financing", "/enterprises",
         "/rewards", "/townships", "/snapshots", "/actions", "/export_center", "/data_import"]
MONTHS = ["2025年12月", "2026年6月", "2026年10月"]
PROBE_SHARE = 0.2          # share of navigations that open the overview at its defaults to read the figure
MARKS_LABEL = "商标注册总量"
HEADER = "reg_no,mark_name,holder,region_code,mark_type,is_gi,industry,registered_on,ended_on,well_known_on"


@dataclass
class Visit:
    session: int
    path: str
    seconds: float
    error: str | None = None


@dataclass
class Run:
    """What every session records; asyncio runs them on one thread, so plain lists are safe."""
    visits: list[Visit] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seen: list[str] = field(default_factory=list)   # 商标注册总量 as shown on the overview
    import_seconds: float | None = None
    import_done: asyncio.Event = field(default_factory=asyncio.Event)


# --- setup -----------------------------------------------------------------------------------------
def load_sample(url: str) -> None:
    loaded = subprocess.run([sys.executable, "-m", "ipmetrics.cli", "--db", url, "load-sample"],
                            cwd=REPO, capture_output=True, text=True)
    if loaded.returncode != 0:
        sys.exit(f"load-sample failed:\n{loaded.stderr}")


def marks_figure(url: str) -> tuple[str, float]:
    """The latest month and its 商标注册总量, computed by the library as the page computes it.

    Must run while no server holds the file: DuckDB lets one process open it at a time."""
    from ipmetrics import catalog
    from ipmetrics.goals import load_registry
    from ipmetrics.scorecard import scorecard, status_records
    from ipmetrics.settings import DEFAULT_INDICATORS, Settings
    from ipmetrics.store import Store

    store = Store(url)
    try:
        latest = str(catalog.latest_month(store))
        records = status_records(scorecard(store, load_registry(DEFAULT_INDICATORS), Settings(db_url=url), None, latest))
        return latest, next(r["value"] for r in records if r["id"] == "trademarks_registered")
    finally:
        store.dispose()


def townships() -> dict[str, str]:
    """Township code -> name, from the sample's region list."""
    with open(REPO / "data" / "sample" / "regions.csv", encoding="utf-8") as f:
        return {row["code"]: row["name"] for row in csv.DictReader(f) if row["level"] == "township"}


def write_marks(path: Path, rows: int, codes: list[str]) -> None:
    """New ordinary marks (reg_no LT…, never in the sample), all registered in October 2026."""
    rng = random.Random(7)
    lines = [HEADER]
    for i in range(1, rows + 1):
        lines.append(f"LT{i:06d},负载测试{i},罗山县测试{i % 97}有限公司,{rng.choice(codes)},ordinary,false,,"
                     f"2026-10-{rng.randint(1, 31):02d},,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def free_port() -> int:
    with socket.socket() as s:  # the tiny race until Streamlit binds it is acceptable
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(url: str, secrets: Path, log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    with open(log, "w") as err:  # a file, not a pipe: a full pipe would stall the server
        proc = subprocess.Popen([sys.executable, "scripts/serve.py", "--server.headless", "true",
                                 "--server.port", str(port), "--secrets.files", str(secrets)], cwd=REPO,
                                env={**os.environ, "IPMETRICS_DB_URL": url},
                                stdout=subprocess.DEVNULL, stderr=err)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                if response.read().decode().strip() == "ok":
                    return proc, base
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            stop_server(proc)
            sys.exit(f"Streamlit did not become healthy on {base}:\n{log.read_text()}")
        time.sleep(0.3)


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


# --- in the browser --------------------------------------------------------------------------------
async def settle(page: Page, deadline: float) -> None:
    """Wait until the script run is over and no placeholder or stale element is left (as in
    tests/test_browser.py, without its fixed pause for screenshots: that would only add 0.5 s)."""
    def left() -> float:
        return max(1.0, (deadline - time.monotonic()) * 1000)
    await page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=left())
    await page.wait_for_function("""() => !document.querySelector('[data-testid="stSkeleton"]')
                                          && !document.querySelector('[data-stale="true"]')""", timeout=left())


async def page_problem(page: Page) -> str | None:
    """An exception box, or an alert that reads like one (the sample banner and info boxes are fine)."""
    if await page.locator('[data-testid="stException"]').count():
        return "exception: " + (await page.locator('[data-testid="stException"]').first.inner_text())[:200]
    for text in await page.locator('[data-testid="stAlert"]').all_inner_texts():
        if "Traceback" in text or "Error" in text:
            return "alert: " + text[:200]
    return None


async def marks_shown(page: Page) -> str | None:
    """The overview's 商标注册总量 as displayed (its label is collapsed, so read the text, not innerText)."""
    for metric in await page.locator('[data-testid="stMain"] [data-testid="stMetric"]').all():
        label = await metric.locator('[data-testid="stMetricLabel"]').text_content() or ""
        if label.strip().startswith(MARKS_LABEL):
            return (await metric.locator('[data-testid="stMetricValue"]').text_content() or "").strip()
    return None


def describe(exc: Exception) -> str:
    """Playwright's first line, plus what it was waiting for."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    waiting = next((line for line in lines if line.startswith("- waiting for")), "")
    return f"{type(exc).__name__}: {lines[0][:160] if lines else ''} {waiting[:160]}".strip()


def pick(rng: random.Random, names: list[str]) -> str:
    """A page and sidebar choices, like a user clicking around; the bare overview is the consistency probe."""
    if rng.random() < PROBE_SHARE:
        return "/"
    path, query = rng.choice(PAGES), []
    if rng.random() < 0.6:
        query.append("as_of=" + quote(rng.choice(MONTHS)))
    if rng.random() < 0.4:
        query.append("region=" + quote(rng.choice(names)))
    return path + ("?" + "&".join(query) if query else "")


async def viewer(browser: Browser, base: str, number: int, seed: int, deadline: float, names: list[str],
                 allowed: set[str], run: Run) -> None:
    rng = random.Random(seed * 1000 + number)
    context = await browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")
    try:
        page = await context.new_page()
        # Stop at the deadline, but never before the import is over: it must happen under load.
        while time.monotonic() < deadline or not run.import_done.is_set():
            target = pick(rng, names)
            path = target.split("?")[0]
            start = time.monotonic()
            error = None
            try:
                await page.goto(base + target, timeout=TIMEOUT_S * 1000)
                await settle(page, start + TIMEOUT_S)
                seconds = time.monotonic() - start
                error = await page_problem(page)
                if error is None and target == "/":
                    shown = await marks_shown(page)
                    run.seen.append(shown)
                    if shown not in allowed:
                        error = f"consistency: {MARKS_LABEL} shown as {shown!r}, expected one of {sorted(allowed)}"
            except Exception as exc:  # a timeout, or the page went away
                seconds = time.monotonic() - start
                error = describe(exc)
            run.visits.append(Visit(number, path, seconds, error))
            if error:
                run.errors.append(f"session {number} {target}: {error}")
    finally:
        await context.close()


async def editor(browser: Browser, base: str, after: float, upload: Path, rows: int, run: Run) -> None:
    """Sign in on 数据导入, upload the file, wait for its check, confirm, and time the commit."""
    await asyncio.sleep(after)
    context = await browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")
    context.set_default_timeout(TIMEOUT_S * 1000)  # clicks and fills; expect() takes its own timeouts
    try:
        page = await context.new_page()
        await page.goto(base + "/data_import", timeout=TIMEOUT_S * 1000)
        await settle(page, time.monotonic() + TIMEOUT_S)
        sidebar, main = page.locator('[data-testid="stSidebar"]'), page.locator('[data-testid="stMain"]')
        await sidebar.get_by_text("编辑登录").click()
        await sidebar.get_by_label("用户名").fill(EDITOR_ACCOUNT)
        await sidebar.get_by_label("密码", exact=True).fill(EDITOR_PASSWORD)
        await sidebar.get_by_role("button", name="登录").click()
        await expect(sidebar.get_by_text(f"编辑：{EDITOR_NAME}（{EDITOR_ACCOUNT}）")).to_be_visible(timeout=TIMEOUT_S * 1000)
        await settle(page, time.monotonic() + TIMEOUT_S)
        await page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(upload))
        await expect(main.get_by_text(f"校验通过：{rows:,} 行均可导入。")).to_be_visible(timeout=IMPORT_TIMEOUT_S * 1000)
        await settle(page, time.monotonic() + IMPORT_TIMEOUT_S)
        start = time.monotonic()
        await main.get_by_role("button", name="确认导入").click()
        await expect(main.get_by_text(f"已导入 {upload.name}：写入 {rows:,} 行", exact=False)).to_be_visible(
            timeout=IMPORT_TIMEOUT_S * 1000)
        run.import_seconds = time.monotonic() - start
        await settle(page, time.monotonic() + TIMEOUT_S)
        if problem := await page_problem(page):
            run.errors.append(f"editor /data_import: {problem}")
    except Exception as exc:
        run.errors.append(f"editor import: {describe(exc)}")
    finally:
        run.import_done.set()
        await context.close()


async def drive(base: str, args: argparse.Namespace, upload: Path, names: list[str], allowed: set[str]) -> tuple[Run, float]:
    run = Run()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        print(f"browser: Chromium {browser.version}")
        try:
            start = time.monotonic()
            await asyncio.gather(
                editor(browser, base, args.import_after, upload, args.rows, run),
                *(viewer(browser, base, n, args.seed, start + args.seconds, names, allowed, run)
                  for n in range(1, args.sessions + 1)))
            return run, time.monotonic() - start
        finally:
            await browser.close()


# --- report ----------------------------------------------------------------------------------------
def p95(values: list[float]) -> float:
    """Nearest rank: the smallest value with at least 95 % of the values at or below it."""
    ordered = sorted(values)
    return ordered[math.ceil(0.95 * len(ordered)) - 1]


def report(run: Run, elapsed: float, args: argparse.Namespace, before: str, after: str,
           server_tracebacks: int) -> int:
    print(f"\nran {elapsed:.1f} s · {len(run.visits)} page views · "
          f"{len(run.visits) / elapsed:.2f} views/s\n")
    print(f"{'page':<16}{'n':>5}{'median':>9}{'p95':>9}{'max':>9}{'errors':>8}")
    for path in PAGES:
        mine = [v for v in run.visits if v.path == path]
        if mine:
            times = [v.seconds for v in mine]
            print(f"{path:<16}{len(mine):>5}{statistics.median(times):>9.2f}{p95(times):>9.2f}{max(times):>9.2f}"
                  f"{sum(v.error is not None for v in mine):>8}")
    times = [v.seconds for v in run.visits]
    if times:
        print(f"{'overall':<16}{len(times):>5}{statistics.median(times):>9.2f}{p95(times):>9.2f}{max(times):>9.2f}"
              f"{sum(v.error is not None for v in run.visits):>8}")

    imported = "did not finish" if run.import_seconds is None else f"{run.import_seconds:.2f} s"
    print(f"\nimport: {args.rows:,} rows through the web UI, click to success message: {imported}")
    print(f"consistency: {MARKS_LABEL} read {len(run.seen)} times — before ({before}) {run.seen.count(before)}, "
          f"after ({after}) {run.seen.count(after)}, other {len(run.seen) - run.seen.count(before) - run.seen.count(after)}")

    errors = list(run.errors)
    if server_tracebacks:
        errors.append(f"server log: {server_tracebacks} Traceback(s)")
    print(f"errors: {len(errors)}")
    for text in errors[:5]:
        print(f"  {text}")
    return 1 if errors else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20, help="concurrent viewer sessions")
    parser.add_argument("--seconds", type=float, default=90, help="how long the viewers browse")
    parser.add_argument("--import-after", type=float, default=20, help="when the editor starts the import")
    parser.add_argument("--rows", type=int, default=20_000, help="rows in the imported trademark file")
    parser.add_argument("--seed", type=int, default=1, help="seeds each session's choice of pages")
    args = parser.parse_args()
    print(f"ipmetrics load test — {os.cpu_count()} cores · {args.sessions} viewer sessions for {args.seconds:g} s · "
          f"import of {args.rows:,} trademark rows after {args.import_after:g} s")

    with tempfile.TemporaryDirectory(prefix="ipmetrics-load-") as tmp:
        folder = Path(tmp)
        url = f"duckdb:///{folder / 'sample.duckdb'}"
        load_sample(url)
        latest, value = marks_figure(url)
        if latest != "2026-10":  # the new marks are dated October 2026 so that they add to the latest month
            sys.exit(f"the sample's latest month is {latest}, expected 2026-10")
        before, after = f"{value:,.0f}", f"{value + args.rows:,.0f}"
        towns = townships()
        upload = folder / "load_test_marks.csv"
        write_marks(upload, args.rows, sorted(towns))
        secrets, log = folder / "secrets.toml", folder / "server.log"
        from ipmetrics.auth import add_account
        add_account(secrets, EDITOR_ACCOUNT, EDITOR_PASSWORD, EDITOR_NAME)

        proc, base = start_server(url, secrets, log)
        try:
            run, elapsed = asyncio.run(drive(base, args, upload, list(towns.values()), {before, after}))
        finally:
            stop_server(proc)
        status = report(run, elapsed, args, before, after, log.read_text().count("Traceback"))
        if run.import_seconds is not None:  # the server is gone: check the arithmetic with the library
            _, now = marks_figure(url)
            if f"{now:,.0f}" != after:
                print(f"the store now holds {MARKS_LABEL} {now:,.0f}, not the expected {after}")
                status = 1
        return status


if __name__ == "__main__":
    sys.exit(main())
