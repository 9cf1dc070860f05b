"""Chromium starting warm: plotly.js compiled once per machine, not once per tab and per start.

Loading kaleido's page costs each tab's renderer about 1.1 CPU-seconds, nearly all of it V8 compiling the
4.8 MB plotly.min.js (measured: a blank page 0.04, the page with plotly.js 1.07; with V8's code cache,
0.17-0.23). Chromium keeps compiled code only for scripts of http(s) pages, never for file:// ones, and
only in the profile it ran with, which choreographer makes afresh in a temporary folder for every start.

So the page is served here over HTTP, from memory, on a loopback port; a fixed host name
(PAGE_HOST, mapped to that port by Chromium's --host-resolver-rules) keeps the URLs, and with them the
cache's keys, the same from one start to the next. Every file's URL carries a hash of its content and is
served as immutable, so a plotly upgrade is a new URL and never meets a stale cached copy.

The first browser to close cleanly leaves its profile's two caches (the HTTP cache and the code cache) as
the machine's seed; every later start copies the seed into its fresh profile (about 12 MB, some 30 ms).
The seed lives under $IPMETRICS_BROWSER_CACHE or the user's cache folder, one per Chromium binary and
page; a seed that cannot be read or written costs only the warm start, never an image.
"""

from __future__ import annotations

import collections
import hashlib
import http.server
import os
import shutil
import threading
import time
from pathlib import Path

# Never a real host: .test is reserved (RFC 2606); Chromium reaches it only through the resolver rule.
PAGE_HOST = "kaleido.ipmetrics.test"
# The profile's parts kept in the seed: the HTTP cache (the scripts' bytes and response times, which a
# code cache entry must match) and V8's code cache.
CACHED_PARTS = ("Default/Cache", "Default/Code Cache")
# A profile whose code cache holds less than this has not compiled plotly.js (it takes about 7 MB).
MIN_CODE_CACHE_BYTES = 1_000_000
IMMUTABLE = "public, max-age=31536000, immutable"
# A seed no start has copied for this long (an older Chromium's or plotly.js's) is removed.
UNUSED_DAYS = 30

_lock = threading.Lock()
_server: _PageServer | None = None


class _PageServer:
    """kaleido's page and its scripts, from memory, on a loopback port, for as long as the process runs."""

    def __init__(self, files: dict[str, tuple[bytes, str]], index: str):
        self.index = index
        # Each path and how often it was asked for (a cold start fetches each file once).
        self.requests: collections.Counter[str] = collections.Counter()
        served, requests, counting = files, self.requests, threading.Lock()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 — http.server's name
                with counting:
                    requests[self.path] += 1
                found = served.get(self.path)
                if found is None:
                    self.send_error(404)
                    return
                body, content_type = found
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", IMMUTABLE)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:  # the browser's requests are not the app's log
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, name="kaleido-page", daemon=True).start()

    @property
    def page_url(self) -> str:
        return f"http://{PAGE_HOST}{self.index}"


def _content_path(name: str, body: bytes) -> str:
    stem, dot, suffix = name.partition(".")
    return f"/{stem}-{hashlib.sha256(body).hexdigest()[:16]}{dot}{suffix}"


def _page_files() -> tuple[dict[str, tuple[bytes, str]], str]:
    """kaleido's own page (its PageGenerator: plotly.py's plotly.min.js, no MathJax) with every script
    served from here, each under a path naming its content."""
    import plotly
    from kaleido import _page_generator

    plotly_js = (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_bytes()
    scopes_js = _page_generator.KJS_PATH.read_bytes()
    files = {_content_path("plotly.min.js", plotly_js): (plotly_js, "text/javascript; charset=utf-8"),
             _content_path("kaleido_scopes.js", scopes_js): (scopes_js, "text/javascript; charset=utf-8")}
    plotly_path, scopes_path = files
    page = _page_generator.PageGenerator(plotly=(f"http://{PAGE_HOST}{plotly_path}", "utf-8"), mathjax=False)
    html = page.generate_index().replace(_page_generator.KJS_PATH.as_uri(), f"http://{PAGE_HOST}{scopes_path}")
    body = html.encode()
    index = _content_path("index.html", body)
    files[index] = (body, "text/html; charset=utf-8")
    files["/favicon.ico"] = (b"", "image/x-icon")  # asked for by every page; cached like the rest
    return files, index


def server() -> _PageServer:
    """The process's page server, started on first use."""
    global _server
    with _lock:
        if _server is None:
            _server = _PageServer(*_page_files())
        return _server


def chromium_switches() -> list[str]:
    """What Chromium needs to reach the page server under PAGE_HOST (around any proxy it is given)."""
    return [f"--host-resolver-rules=MAP {PAGE_HOST} 127.0.0.1:{server().port}", f"--proxy-bypass-list={PAGE_HOST}"]


def seed_folder(browser: str | Path) -> Path | None:
    """Where the seed of this Chromium binary and this page lives (None: no cache folder to use)."""
    try:
        root = os.environ.get("IPMETRICS_BROWSER_CACHE") or Path(
            os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "ipmetrics" / "chromium"
        stat = Path(browser).resolve().stat()
    except (OSError, RuntimeError):  # no such browser; a service account without a home folder
        return None
    key = hashlib.sha256(f"{Path(browser).resolve()}|{stat.st_size}|{stat.st_mtime_ns}|{server().index}".encode())
    return Path(root) / key.hexdigest()[:16]


def seed_profile(profile: Path, browser: str | Path) -> bool:
    """Copy the seed's caches into a fresh profile folder; True when there was a seed to copy."""
    seed = seed_folder(browser)
    if seed is None or not seed.is_dir():
        return False
    try:
        for part in CACHED_PARTS:
            if (seed / part).is_dir():
                shutil.copytree(seed / part, profile / part, dirs_exist_ok=True)
        os.utime(seed)  # in use: see keep_profile
        return True
    except OSError:  # a seed being replaced meanwhile: this start is a cold one
        return False


def keep_profile(profile: Path, browser: str | Path) -> bool:
    """After a browser closed: its profile's caches become the seed, if there is none yet and plotly.js was
    compiled. Written beside the seed and renamed into place, so a start never copies half a seed."""
    seed = seed_folder(browser)
    if seed is None or seed.is_dir() or _code_cache_bytes(profile) < MIN_CODE_CACHE_BYTES:
        return False
    partial = seed.with_name(f"{seed.name}.{os.getpid()}.{threading.get_ident()}.partial")
    try:
        seed.parent.mkdir(parents=True, exist_ok=True)
        for part in CACHED_PARTS:
            if (profile / part).is_dir():
                shutil.copytree(profile / part, partial / part)
        os.rename(partial, seed)  # fails if another process's seed got there first: that one is kept
    except OSError:
        shutil.rmtree(partial, ignore_errors=True)
        return False
    unused = time.time() - UNUSED_DAYS * 86400
    for other in seed.parent.iterdir():  # an older Chromium's or plotly.js's seeds, a crashed run's leftovers
        try:
            if other != seed and other.stat().st_mtime < unused:
                shutil.rmtree(other, ignore_errors=True)
        except OSError:
            pass
    return True


def _code_cache_bytes(profile: Path) -> int:
    folder = profile / "Default" / "Code Cache" / "js"
    try:
        return sum(entry.stat().st_size for entry in folder.iterdir() if entry.is_file())
    except OSError:
        return 0
