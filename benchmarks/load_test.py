"""Load test: many sessions browse the served dashboard while an editor imports through the web UI.

    .venv/bin/python benchmarks/load_test.py [--sessions 20] [--browsers 4] [--seconds 90] [--rows 20000]
                                           [--cli-import-every 60] [--think 0]

Everything runs on loopback in a temporary directory: the bundled sample is loaded into a fresh DuckDB
file, an editor account is written to a temporary secrets file, and the dashboard is served exactly as
run-app.sh serves it (scripts/serve.py; `--serve-arg` passes Streamlit options on, to compare settings).

Two kinds of session, both real Streamlit sessions to the server:
* `--browsers` of them are tabs of one headless Chromium (Debian's /usr/bin/chromium), one browser
  context each: contexts share nothing, as on separate computers. Their latency includes drawing.
* the others speak Streamlit's WebSocket protocol (benchmarks/protocol_session.py): the server runs
  the page and sends every element exactly as to a browser, but nothing is drawn. On an intranet each
  viewer draws on their own computer; here twenty Chromium tabs would take most of the two cores the
  server is meant to be measured on (the first version of this test ran twenty tabs: Chromium used
  three quarters of the CPU and the pages timed out for want of it).

* Viewers: `--sessions` of them arrive over the ramp-up (a third of `--seconds` unless `--ramp` says
  otherwise), each by opening a random page and sidebar choice (as-of month, township) from scratch.
  Then, without pause until `--seconds` are up, each does what a user does in the sidebar, one script
  run at a time: click another page (the month and township carry over), change the month or
  township, or open the overview afresh. The choices are random, seeded per session, so a run can be
  repeated. With `--think S` a viewer reads each page S seconds on average (exponentially distributed)
  before the next click, as people do; without it (the default) every session clicks again at once, a
  stress far beyond real use: with N sessions the latency is then about N divided by the views the
  server completes per second, whatever the pages cost. A page's render latency is the time from the
  action until its script run is over and, in a tab, no placeholder or stale element is left: the
  server's work and the browser's drawing together. A protocol session opens the overview probe in a new session, as a new tab would.
* Editor: `--import-after` seconds in, an editor opens 数据导入, signs in, uploads a generated
  trademark CSV of `--rows` new marks registered in the latest month (2026-10) and confirms. The
  import's time is from the click until the success message; the viewers browse on meanwhile, and
  for a while after it, however long it takes.
* Command line (`--cli-import-every SECONDS`): that often, a fresh `ipmetrics import trademarks` of the
  sample's own marks (5,502 rows, each replacing itself, so the figures stay) runs beside the server, as an
  office clerk's script would; DuckDB lets one process at a time open the file, so the command waits its
  turn and the viewers wait for it. Reported: commands completed and failed, and how long each waited
  for the file (the store's log of its waits). A page that gave up waiting (its "数据正在更新" notice)
  counts as a viewer error, like a failed command.
* Consistency: each time a viewer opens the overview afresh (its defaults: the latest month, the
  county), it reads 商标注册总量. Every value seen must be the figure before the import or that figure
  plus `--rows`, never a half-written state. Afterwards the library recomputes it from the store.

Prints the machine, then per-page and overall latency (median, p95, max), the import's times, the
figures seen and the errors. An error is an exception box, an alert with a Traceback/Error, a page not
settled (a protocol session: not finished) within 60 s, a figure other than those two, or a Traceback
in the server's log. Exits 1 if there was any. The "CPU" line shows how much of the machine the
server had, and the server's peak memory.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import math
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

from playwright.async_api import Browser, BrowserContext, Page, async_playwright, expect
from playwright.async_api import TimeoutError as PlaywrightTimeout

sys.path.insert(0, str(Path(__file__).resolve().parent))
from protocol_session import ProtocolSession  # noqa: E402  (a sibling script, not a package)

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync", "--disable-dev-shm-usage"]  # as in tests/test_browser.py
TIMEOUT_S = 60             # a navigation plus settle slower than this counts as an error
IMPORT_TIMEOUT_S = 300     # upload check and commit of the whole file, under load
AFTER_IMPORT_S = 15        # viewers browse at least this long after the import
EDITOR_ACCOUNT, EDITOR_PASSWORD, EDITOR_NAME = "zhangsan", "correct-horse-battery", "张三"
PAGES = ["/", "/meeting", "/goal_detail", "/trademarks", "/brands", "/patents", "/financing", "/enterprises",
         "/rewards", "/townships", "/peers", "/snapshots", "/actions", "/export_center", "/data_import"]
MONTHS = ["2025年12月", "2026年6月", "2026年10月"]
PROBE_SHARE = 0.2          # share of actions that open the overview at its defaults to read the figure
MARKS_LABEL = "商标注册总量"
# Counts the script runs that have finished, read off the server's messages: the page's state attribute
# reads "notRunning" until a new run has begun, and counting its changes missed runs now and then. A
# ForwardMsg is protobuf with its script_finished status (a varint) at the top level, so walking the
# top-level keys is enough. A run cut short for a rerun does not count.
RUN_COUNTER = """
(() => {
  const FIELD = %d, DONE = [%s];
  window.__runsDone = 0;
  function status(bytes) {
    let i = 0;
    const varint = () => { let x = 0, shift = 0, c;
      do { c = bytes[i++]; x += (c & 0x7f) * 2 ** shift; shift += 7; } while (c & 0x80 && i < bytes.length);
      return x; };
    while (i < bytes.length) {
      const key = varint(), wire = key %% 8;
      if (wire === 0) { const value = varint(); if (Math.floor(key / 8) === FIELD) return value; }
      else if (wire === 2) { const length = varint(); i += length; }  // not i += varint(): i is read first
      else if (wire === 1) i += 8;
      else if (wire === 5) i += 4;
      else return -1;
    }
    return -1;
  }
  function seen(buffer) {  // counted a moment later, once the app has handled the message too
    if (DONE.includes(status(new Uint8Array(buffer)))) setTimeout(() => { window.__runsDone += 1; }, 50);
  }
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', event => {
        if (event.data instanceof ArrayBuffer) seen(event.data);
        else if (event.data instanceof Blob) event.data.arrayBuffer().then(seen);
      });
    }
  };
})();
"""
# Settled: no script run under way, no placeholder or stale element left, and, when a count of finished
# runs is given, a run finished since then.
SETTLED = """runsBefore => {
  const app = document.querySelector('[data-testid="stApp"]');
  return !!app && app.getAttribute('data-test-script-state') === 'notRunning'
      && !document.querySelector('[data-testid="stSkeleton"]')
      && !document.querySelector('[data-stale="true"]')
      && (runsBefore === null || window.__runsDone > runsBefore);
}"""
STANDING = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return `script ${app ? app.getAttribute('data-test-script-state') : 'not started'}, `
       + `${document.querySelectorAll('[data-testid="stSkeleton"]').length} placeholders, `
       + `${document.querySelectorAll('[data-stale="true"]').length} stale elements`;
}"""
SAMPLE_MARKS = REPO / "data" / "sample" / "trademarks.csv"
BUSY_NOTICE = "数据正在更新"   # a page that waited for the store in vain (pages/shell/cache.store_busy)
CLI_WAIT_NOTICE = "数据库正被仪表盘使用，等待中"
# The CLI exactly as a user runs it, with the store's log of its waits for the file on stderr.
CLI_WITH_WAITS = ("import logging, sys; from ipmetrics.cli import main; handler = logging.StreamHandler(); "
                  "handler.setFormatter(logging.Formatter('%(message)s')); "
                  "log = logging.getLogger('ipmetrics.core.store'); log.addHandler(handler); "
                  "log.setLevel(logging.INFO); main()")
WAITED = re.compile(r"^waited ([\d.]+) s for the DuckDB file", re.MULTILINE)
HEADER = "reg_no,mark_name,holder,region_code,mark_type,is_gi,industry,registered_on,ended_on,well_known_on"


@dataclass
class Visit:
    session: int
    path: str
    seconds: float
    error: str | None
    arrival: bool   # the session's first page: a full load of the page and of Streamlit's JavaScript
    browser: bool = True   # a Chromium tab, or a protocol session (benchmarks/protocol_session.py)


@dataclass
class Command:
    """One `ipmetrics import` run beside the server."""
    began: float      # seconds since the start
    seconds: float    # from launch to exit
    code: int
    waited: list[float]   # each wait for the file, in seconds
    told: bool        # whether it printed that it was waiting
    message: str      # its last line of stderr when it failed


@dataclass
class Run:
    """What every session records; asyncio runs them on one thread, so plain lists are safe."""
    visits: list[Visit] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seen: list[str | None] = field(default_factory=list)   # 商标注册总量 as shown on the overview
    import_seconds: float | None = None
    editor_steps: list[tuple[str, float]] = field(default_factory=list)   # (what, seconds since the start)
    elapsed: float = 0.0
    server_cpu: float = 0.0     # CPU seconds the Streamlit server used during the run
    server_peak_mb: float = 0.0  # the server's peak resident memory
    machine_busy: float = 0.0   # CPU seconds the whole machine was busy during the run
    import_done_at: float = math.inf   # when the editor was done (or gave up)
    commands: list[Command] = field(default_factory=list)
    commands_done_at: float = math.inf   # when the last command-line import was over

    def browsing(self, start: float, seconds: float) -> bool:
        """Whether the viewers browse on: until the deadline, and after both kinds of import a while."""
        return time.monotonic() < max(start + seconds, self.import_done_at + AFTER_IMPORT_S,
                                      self.commands_done_at + AFTER_IMPORT_S)


# --- setup -----------------------------------------------------------------------------------------
def load_sample(url: str) -> None:
    loaded = subprocess.run([sys.executable, "-m", "ipmetrics.cli", "--db", url, "load-sample"],
                            cwd=REPO, capture_output=True, text=True)
    if loaded.returncode != 0:
        sys.exit(f"load-sample failed:\n{loaded.stderr}")


def marks_figure(url: str) -> tuple[str, float]:
    """The latest month and its 商标注册总量, computed by the library as the page computes it.

    Must run while no server holds the file: DuckDB lets one process open it at a time."""
    from ipmetrics.core import catalog
    from ipmetrics.core.goals import load_registry
    from ipmetrics.core.scorecard import scorecard, status_records
    from ipmetrics.core.settings import DEFAULT_INDICATORS, Settings
    from ipmetrics.core.store import Store

    store = Store(url)
    try:
        latest = str(catalog.latest_month(store))
        registry, settings = load_registry(DEFAULT_INDICATORS), Settings(db_url=url)
        records = status_records(scorecard(store, registry, settings, None, latest))
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


def start_server(url: str, secrets: Path, log: Path, extra: list[str]) -> tuple[subprocess.Popen, str]:
    return launch([sys.executable, "scripts/serve.py", "--secrets.files", str(secrets), *extra],
                  {"IPMETRICS_DB_URL": url}, log)


def launch(command: list[str], env: dict[str, str], log: Path) -> tuple[subprocess.Popen, str]:
    """A Streamlit server from `command` (scripts/serve.py, or `streamlit run SCRIPT`), headless on a free port,
    with `env` added; returns it and its base URL once healthy (exits, showing its stderr, if it never is)."""
    port = free_port()
    with open(log, "w") as err:  # a file, not a pipe: a full pipe would stall the server
        proc = subprocess.Popen([*command, "--server.headless", "true", "--server.port", str(port)], cwd=REPO,
                                env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=err)
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
async def settle(page: Page, deadline: float, runs_before: int | None = None) -> None:
    """Wait until the script run is over and no placeholder or stale element is left (as in
    tests/test_browser.py, without its fixed pause for screenshots); with `runs_before`, also until a
    run has finished since that count. Polls every 50 ms: Playwright's default, every animation frame,
    keeps twenty pages drawing frames and costs the shared CPU more than it measures."""
    await page.wait_for_function(SETTLED, arg=runs_before, polling=50,
                                 timeout=max(1.0, (deadline - time.monotonic()) * 1000))


def run_counter() -> str:
    """RUN_COUNTER with the field number and statuses of this Streamlit's ForwardMsg."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    field = ForwardMsg.DESCRIPTOR.fields_by_name["script_finished"]
    done = [field.enum_type.values_by_name[name].number
            for name in ("FINISHED_SUCCESSFULLY", "FINISHED_WITH_COMPILE_ERROR")]
    return RUN_COUNTER % (field.number, ", ".join(map(str, done)))


async def page_problem(page: Page) -> str | None:
    """An exception box, or an alert that reads like one (the sample banner and info boxes are fine)."""
    if await page.locator('[data-testid="stException"]').count():
        return "exception: " + (await page.locator('[data-testid="stException"]').first.inner_text())[:200]
    for text in await page.locator('[data-testid="stAlert"]').all_inner_texts():
        if "Traceback" in text or "Error" in text or BUSY_NOTICE in text:
            return "alert: " + text[:200]
    return None


async def marks_shown(page: Page) -> str | None:
    """The overview's 商标注册总量 as displayed (its label is collapsed, so read the text, not innerText)."""
    for metric in await page.locator('[data-testid="stMain"] [data-testid="stMetric"]').all():
        label = await metric.locator('[data-testid="stMetricLabel"]').text_content() or ""
        if label.strip().startswith(MARKS_LABEL):
            return (await metric.locator('[data-testid="stMetricValue"]').text_content() or "").strip()
    return None


async def page_heading(page: Page) -> str:
    """The title and first caption, which name the page's region and month."""
    return await page.evaluate("""() => [...document.querySelectorAll(
        '[data-testid="stMain"] h1, [data-testid="stMain"] [data-testid="stCaptionContainer"]')]
        .slice(0, 2).map(e => e.innerText.trim().slice(0, 24)).join(' / ')""")


async def where_it_stood(page: Page) -> str:
    """What kept a page from settling: its script still running, placeholders, stale elements."""
    try:
        return await page.evaluate(STANDING)
    except Exception as exc:
        return describe(exc)


def describe(exc: Exception) -> str:
    """Playwright's first line (without its remaining-time figure), plus what it was waiting for."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    first = re.sub(r": Timeout [\d.]+ms exceeded\.?", ": timed out", lines[0] if lines else "")
    waiting = next((line for line in lines if line.startswith("- waiting for")), "")
    return f"{type(exc).__name__}: {first[:160]} {waiting[:160]}".strip()


def some_choices(rng: random.Random, names: list[str]) -> str:
    """A query for the sidebar: sometimes a month, sometimes a township, sometimes neither."""
    query = []
    if rng.random() < 0.6:
        query.append("as_of=" + quote(rng.choice(MONTHS)))
    if rng.random() < 0.4:
        query.append("region=" + quote(rng.choice(names)))
    return "&".join(query)


def next_action(rng: random.Random, names: list[str], current: str) -> tuple[str, str]:
    """What a user does next, each one script run: open the overview afresh (the consistency probe),
    click another page in the sidebar (the month and township carry over), or change the sidebar's
    month or township on this page."""
    roll = rng.random()
    if roll < PROBE_SHARE:
        return "overview", "/"
    if roll < PROBE_SHARE + (1 - PROBE_SHARE) * 0.6:
        return "page", rng.choice([path for path in PAGES if path != current])
    query = some_choices(rng, names)
    return "choose", current + (f"?{query}" if query else "")


async def new_context(browser: Browser) -> BrowserContext:
    """A separate session. It asks for reduced motion, as a user may in the system settings: Streamlit
    then skips most of its animations, which would otherwise keep twenty pages drawing frames on the
    CPU the server needs (about two thirds of Chromium's GPU-process time, measured)."""
    return await browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN",
                                     reduced_motion="reduce")


async def act(page: Page, base: str, kind: str, target: str, deadline: float) -> None:
    """Do one user action inside the loaded app and wait until its script run has settled."""
    before = await page.evaluate("window.__runsDone")
    if kind == "page":  # the page's link sits in a drop-down of the top menu: go where it goes, choices kept
        query = urlsplit(page.url).query
        target += f"?{query}" if query else ""
    # A new URL on the same session, the way Streamlit handles the browser's back and forward.
    await page.evaluate("""target => { history.pushState({}, '', target);
                                       window.dispatchEvent(new PopStateEvent('popstate', {state: {}})); }""",
                        target)
    await settle(page, deadline, runs_before=before)
    if kind == "overview":  # read the figure only off the overview itself
        await page.wait_for_function("""() => document.querySelector('[data-testid="stMain"] h1')
                                                  ?.innerText.startsWith('总览')""",
                                     polling=50, timeout=max(1.0, (deadline - time.monotonic()) * 1000))


async def viewer(browser: Browser, base: str, number: int, args: argparse.Namespace, start: float,
                 names: list[str], allowed: set[str], run: Run) -> None:
    rng = random.Random(args.seed * 1000 + number)
    pauses = random.Random(args.seed * 1000 + number + 500)  # apart, so that --think keeps the choices
    # Arrivals are spread over the ramp-up: twenty cold page loads at once are not a real morning.
    await asyncio.sleep((number - 1) * args.ramp / args.sessions)
    context = await new_context(browser)
    await context.add_init_script(run_counter())
    try:
        page = await context.new_page()
        # Stop at the deadline, but not before the import is over and its result has had a few
        # seconds to be seen: the import must happen under load, and the check must see both figures.
        while run.browsing(start, args.seconds):
            arrival = page.url == "about:blank"
            if arrival:  # a user opening a link: the full page load, Streamlit's JavaScript and all
                query = some_choices(rng, names)
                kind, target = "arrive", rng.choice(PAGES) + (f"?{query}" if query else "")
            else:
                kind, target = next_action(rng, names, urlsplit(page.url).path)
            if not arrival:  # a run left over from an action that timed out would pass for this one's
                with contextlib.suppress(PlaywrightTimeout):
                    await settle(page, time.monotonic() + TIMEOUT_S)
            began = time.monotonic()
            error = None
            try:
                if arrival:
                    await page.goto(base + target, timeout=TIMEOUT_S * 1000)
                    await settle(page, began + TIMEOUT_S, runs_before=0)
                else:
                    await act(page, base, kind, target, began + TIMEOUT_S)
                seconds = time.monotonic() - began
                error = await page_problem(page)
                if error is None and kind == "overview":
                    shown = await marks_shown(page)
                    run.seen.append(shown)
                    if shown not in allowed:
                        error = (f"consistency: {MARKS_LABEL} shown as {shown!r}, expected one of {sorted(allowed)}; "
                                 f"the page read {await page_heading(page)!r}")
            except PlaywrightTimeout:
                seconds = time.monotonic() - began
                error = f"not settled within {TIMEOUT_S} s ({await where_it_stood(page)})"
            except Exception as exc:  # the page went away, or an element never appeared
                seconds = time.monotonic() - began
                error = describe(exc)
            # Carry on from wherever the page is after an error: a reload would only add load.
            path = urlsplit(page.url).path if error is None else urlsplit(target).path
            run.visits.append(Visit(number, path, seconds, error, arrival))
            if error:
                run.errors.append(f"session {number} {kind} {target}: {error}")
            await reading(pauses, args.think)
    finally:
        await context.close()


async def reading(pauses: random.Random, think: float) -> None:
    """A user reading the page before the next click: exponentially distributed, `think` seconds on average
    (none with --think 0, the default: every session clicks again as soon as its page has settled)."""
    if think > 0:
        await asyncio.sleep(pauses.expovariate(1 / think))


async def protocol_viewer(base: str, number: int, args: argparse.Namespace, start: float, names: list[str],
                          allowed: set[str], run: Run) -> None:
    """A viewer whose pages are run by the server exactly as for a browser, but not drawn: the same
    choices as viewer(), the latency from the request until the server reports the run finished."""
    rng = random.Random(args.seed * 1000 + number)
    pauses = random.Random(args.seed * 1000 + number + 500)
    await asyncio.sleep((number - 1) * args.ramp / args.sessions)
    session: ProtocolSession | None = None
    path, query = "", ""
    try:
        while run.browsing(start, args.seconds):
            arrival = session is None
            if arrival:
                kind, path, query = "arrive", rng.choice(PAGES), some_choices(rng, names)
            else:
                kind, target = next_action(rng, names, path)
                target_path, _, target_query = target.partition("?")
                # A sidebar click keeps the month and township (they travel in the query string);
                # the overview probe and a changed choice bring their own.
                path, query = target_path, (query if kind == "page" else target_query)
            began = time.monotonic()
            error = None
            try:
                if kind == "overview":  # the probe opens the overview in a new tab: its defaults, not
                    await session.__aexit__(None, None, None)  # this session's remembered choices
                    session = None
                if session is None:
                    session = await ProtocolSession(base).__aenter__()
                page = await session.open(path, query, timeout=TIMEOUT_S)
                seconds = time.monotonic() - began
                if page.exceptions:
                    error = "exception: " + page.exceptions[0]
                elif problem := next((a for a in page.alerts if "Traceback" in a or "Error" in a or BUSY_NOTICE in a),
                                     None):
                    error = "alert: " + problem
                elif not page.succeeded:
                    error = f"script run ended with status {page.status}"
                elif kind == "overview":
                    shown = page.metrics.get(MARKS_LABEL) or next(
                        (v for k, v in page.metrics.items() if k.startswith(MARKS_LABEL)), None)
                    run.seen.append(shown)
                    if shown not in allowed:
                        error = (f"consistency: {MARKS_LABEL} shown as {shown!r}, expected one of "
                                 f"{sorted(allowed)}; headings {page.headings[:2]}")
            except TimeoutError:
                seconds, error = time.monotonic() - began, f"not finished within {TIMEOUT_S} s"
            except Exception as exc:  # the connection failed or closed
                seconds, error = time.monotonic() - began, f"{type(exc).__name__}: {exc}"[:300]
            run.visits.append(Visit(number, path, seconds, error, arrival, browser=False))
            if error:
                run.errors.append(f"session {number} (protocol) {kind} {path}?{query}: {error}")
                # Start afresh after an error, as a user reloading the page would.
                if session is not None:
                    with contextlib.suppress(Exception):
                        await session.__aexit__(None, None, None)
                session = None
            await reading(pauses, args.think)
    finally:
        if session is not None:
            with contextlib.suppress(Exception):
                await session.__aexit__(None, None, None)


async def editor(browser: Browser, base: str, start: float, after: float, upload: Path, rows: int,
                 run: Run) -> None:
    """Sign in on 数据导入, upload the file, wait for its check, confirm, and time the commit."""
    def step(what: str) -> None:
        run.editor_steps.append((what, time.monotonic() - start))

    await asyncio.sleep(after)
    context = await new_context(browser)
    context.set_default_timeout(TIMEOUT_S * 1000)  # clicks and fills; expect() takes its own timeouts
    try:
        page = await context.new_page()
        step("opens 数据导入")
        await page.goto(base + "/data_import", timeout=TIMEOUT_S * 1000)
        await settle(page, time.monotonic() + TIMEOUT_S)
        sidebar, main = page.locator('[data-testid="stSidebar"]'), page.locator('[data-testid="stMain"]')
        await sidebar.get_by_text("编辑登录").click()
        await sidebar.get_by_label("用户名").fill(EDITOR_ACCOUNT)
        await sidebar.get_by_label("密码", exact=True).fill(EDITOR_PASSWORD)
        await sidebar.get_by_role("button", name="登录").click()
        signed_in = sidebar.get_by_text(f"编辑：{EDITOR_NAME}（{EDITOR_ACCOUNT}）")
        await expect(signed_in).to_be_visible(timeout=TIMEOUT_S * 1000)
        await settle(page, time.monotonic() + TIMEOUT_S)
        step("signed in")
        await page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(upload))
        checked = main.get_by_text(f"校验通过：{rows:,} 行均可导入。")
        await expect(checked).to_be_visible(timeout=IMPORT_TIMEOUT_S * 1000)
        await settle(page, time.monotonic() + IMPORT_TIMEOUT_S)
        step("file checked")
        clicked = time.monotonic()
        await main.get_by_role("button", name="确认导入").click()
        await expect(main.get_by_text(f"已导入 {upload.name}：写入 {rows:,} 行", exact=False)).to_be_visible(
            timeout=IMPORT_TIMEOUT_S * 1000)
        run.import_seconds = time.monotonic() - clicked
        step("imported")
        await settle(page, time.monotonic() + TIMEOUT_S)
        if problem := await page_problem(page):
            run.errors.append(f"editor /data_import: {problem}")
    except Exception as exc:
        run.errors.append(f"editor import: {describe(exc)}")
    finally:
        run.import_done_at = time.monotonic()
        await context.close()


async def cli_importer(url: str, every: float, start: float, seconds: float, run: Run) -> None:
    """Every `every` seconds until the viewers' deadline, a fresh `ipmetrics import` process (one at a
    time: one that overruns its interval delays the next)."""
    turn = 1
    try:
        while (due := start + turn * every) < start + seconds:
            await asyncio.sleep(max(0.0, due - time.monotonic()))
            began = time.monotonic()
            command = await asyncio.create_subprocess_exec(
                sys.executable, "-c", CLI_WITH_WAITS, "--db", url, "import", "trademarks", str(SAMPLE_MARKS),
                cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            _, err = await command.communicate()
            text = err.decode("utf-8", "replace")
            run.commands.append(Command(began - start, time.monotonic() - began, command.returncode,
                                        [float(x) for x in WAITED.findall(text)], CLI_WAIT_NOTICE in text,
                                        (text.strip().splitlines() or [""])[-1][:200]))
            if command.returncode:
                run.errors.append(f"CLI import at {began - start:.0f} s: exit {command.returncode}: "
                                  f"{run.commands[-1].message}")
            turn += 1
    finally:
        run.commands_done_at = time.monotonic()


async def drive(base: str, url: str, args: argparse.Namespace, upload: Path, names: list[str],
                allowed: set[str], server_pid: int) -> Run:
    run = Run()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        print(f"browser: Chromium {browser.version}")
        try:
            start, server_cpu, machine = time.monotonic(), cpu_seconds(server_pid), machine_cpu()
            # The first --browsers sessions are Chromium tabs, the rest protocol sessions.
            if not args.cli_import_every:
                run.commands_done_at = -math.inf
            await asyncio.gather(
                editor(browser, base, start, args.import_after, upload, args.rows, run),
                *([cli_importer(url, args.cli_import_every, start, args.seconds, run)] if args.cli_import_every else []),
                *(viewer(browser, base, n, args, start, names, allowed, run) if n <= args.browsers else
                  protocol_viewer(base, n, args, start, names, allowed, run) for n in range(1, args.sessions + 1)))
            run.elapsed = time.monotonic() - start
            run.server_cpu = cpu_seconds(server_pid) - server_cpu
            run.machine_busy = machine_cpu() - machine
            run.server_peak_mb = peak_memory_mb(server_pid)
            return run
        finally:
            await browser.close()


# Where the time goes: on one machine the browsers compete with the server for the same cores.
def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_memory_mb(pid: int) -> float:
    """The process's peak resident set size so far (VmHWM), in MiB."""
    line = next(l for l in Path(f"/proc/{pid}/status").read_text().splitlines() if l.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def machine_cpu() -> float:
    """CPU seconds the whole machine has spent busy (not idle or waiting for I/O) since boot."""
    jiffies = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return (sum(jiffies[:8]) - jiffies[3] - jiffies[4]) / os.sysconf("SC_CLK_TCK")


# --- report ----------------------------------------------------------------------------------------
def p95(values: list[float]) -> float:
    """Nearest rank: the smallest value with at least 95 % of the values at or below it."""
    ordered = sorted(values)
    return ordered[math.ceil(0.95 * len(ordered)) - 1]


def row(name: str, visits: list[Visit]) -> str:
    times = [v.seconds for v in visits]
    return (f"{name:<16}{len(times):>5}{statistics.median(times):>9.2f}{p95(times):>9.2f}{max(times):>9.2f}"
            f"{sum(v.error is not None for v in visits):>8}")


def report_commands(commands: list[Command], every: float) -> None:
    """The command-line imports: completed and failed, and their waits for the file."""
    failed = [c for c in commands if c.code]
    waits = [sum(c.waited) for c in commands]
    print(f"\ncommand-line imports (the sample's {SAMPLE_MARKS.name}, every {every:g} s): {len(commands)} run, "
          f"{len(commands) - len(failed)} completed, {len(failed)} failed")
    for c in commands:
        print(f"  at {c.began:5.0f} s: exit {c.code}, {c.seconds:5.1f} s in all, waited for the file "
              f"{len(c.waited)} times, {sum(c.waited):.2f} s in all (longest {max(c.waited, default=0):.2f} s)"
              + ("; said it was waiting" if c.told else ""))
    if waits:
        print(f"  waits per command: median {statistics.median(waits):.2f} s, max {max(waits):.2f} s")


def report(run: Run, args: argparse.Namespace, before: str, after: str, server_tracebacks: int) -> int:
    cores = os.cpu_count() or 1
    views = len(run.visits)
    print(f"\nran {run.elapsed:.1f} s · {views} page views · {views / run.elapsed:.2f} views/s · "
          f"CPU {run.machine_busy / (run.elapsed * cores):.0%} busy on {cores} cores, "
          f"the server {run.server_cpu:.0f} of the {run.machine_busy:.0f} busy CPU-seconds "
          f"(the rest: Chromium, Playwright, anything else running); the server's peak memory "
          f"{run.server_peak_mb:,.0f} MiB\n")
    print("render latency in seconds, from a session's action (arrival, sidebar click, changed choice)\n"
          "until the page has settled; by the page it lands on, first loads apart:")
    print(f"{'page':<16}{'n':>5}{'median':>9}{'p95':>9}{'max':>9}{'errors':>8}")
    for path in PAGES:
        if mine := [v for v in run.visits if v.path == path and not v.arrival]:
            print(row(path, mine))
    if arrivals := [v for v in run.visits if v.arrival]:
        print(row("(first loads)", arrivals))
    for name, browser in (("Chromium tabs", True), ("protocol", False)):
        if mine := [v for v in run.visits if v.browser == browser]:
            print(row(name, mine))
    if run.visits:
        print(row("overall", run.visits))

    imported = "did not finish" if run.import_seconds is None else f"{run.import_seconds:.2f} s"
    print(f"\nimport: {args.rows:,} rows through the web UI, click to success message: {imported}")
    print("editor, seconds from the start: " + " · ".join(f"{what} {at:.1f}" for what, at in run.editor_steps))
    others = len(run.seen) - run.seen.count(before) - run.seen.count(after)
    print(f"consistency: {MARKS_LABEL} read {len(run.seen)} times on the overview — before ({before}) "
          f"{run.seen.count(before)}, after ({after}) {run.seen.count(after)}, other {others}")
    if run.import_seconds is not None and not run.seen.count(after):
        print("  (no overview was read after the import landed, so the new figure went unchecked)")

    if args.cli_import_every:
        report_commands(run.commands, args.cli_import_every)
    errors = sorted(run.errors, key=lambda text: "consistency" not in text)  # the gravest first
    if server_tracebacks:
        errors.append(f"server log: {server_tracebacks} Traceback(s)")
    print(f"errors: {len(errors)}")
    for text in errors[:8]:
        print(f"  {text}")
    return 1 if errors else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20, help="concurrent viewer sessions")
    parser.add_argument("--browsers", type=int, default=4,
                        help="how many of the sessions are Chromium tabs; the others speak Streamlit's protocol")
    parser.add_argument("--seconds", type=float, default=90, help="how long the viewers browse")
    parser.add_argument("--import-after", type=float, default=20, help="when the editor starts the import")
    parser.add_argument("--rows", type=int, default=20_000, help="rows in the imported trademark file")
    parser.add_argument("--ramp", type=float, help="seconds over which the viewers arrive "
                                                    "(default: a third of --seconds)")
    parser.add_argument("--cli-import-every", type=float, metavar="SECONDS",
                        help="run `ipmetrics import trademarks` (the sample's marks) this often beside the server")
    parser.add_argument("--think", type=float, default=0.0, metavar="SECONDS",
                        help="a viewer reads each page this long on average before the next click "
                             "(exponentially distributed; default 0: the next click at once)")
    parser.add_argument("--seed", type=int, default=1, help="seeds each session's choice of pages")
    parser.add_argument("--serve-arg", action="append", default=[], metavar="ARG",
                        help="passed on to scripts/serve.py, e.g. --serve-arg=--runner.postScriptGC=false")
    args = parser.parse_args()
    args.ramp = args.seconds / 3 if args.ramp is None else args.ramp
    print(f"ipmetrics load test — {os.cpu_count()} cores · {args.sessions} viewer sessions for {args.seconds:g} s "
          f"(arriving over {args.ramp:g} s) · import of {args.rows:,} trademark rows after {args.import_after:g} s"
          + (f" · a CLI import every {args.cli_import_every:g} s" if args.cli_import_every else "")
          + (f" · {args.think:g} s reading each page on average" if args.think else " · no pause between clicks"))

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

        proc, base = start_server(url, secrets, log, args.serve_arg)
        try:
            run = asyncio.run(drive(base, url, args, upload, list(towns.values()), {before, after}, proc.pid))
        finally:
            stop_server(proc)
        status = report(run, args, before, after, log.read_text().count("Traceback"))
        if run.import_seconds is not None:  # the server is gone: check the arithmetic with the library
            _, now = marks_figure(url)
            if f"{now:,.0f}" != after:
                print(f"the store now holds {MARKS_LABEL} {now:,.0f}, not the expected {after}")
                status = 1
        return status


if __name__ == "__main__":
    sys.exit(main())
