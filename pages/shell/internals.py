"""The only module that touches Streamlit internals (tests/test_streamlit_internals.py checks both, and
that nothing else imports streamlit.runtime or streamlit.web).

1. Streamlit's older multipage mode. Streamlit treats an app with a folder named pages/ beside its main
   script as a "v1" multipage app (every pages/*.py its own page, app.py not run) until st.navigation has
   run once in the process. A deep link as the very first request after a start (say /goal_detail?goal=…)
   would run that page alone, without app.py's navigation and page setup. There is no setting for it: the
   documented ways out are to rename the folder (pages/ is this project's agreed layout) or to let
   st.navigation run first, which a deep link prevents. So the class attribute PagesManager reads
   (`uses_pages_directory`, consulted by the script runner before each run) is cleared before the server
   starts, and again at the start of every page.
2. Back and forward. Whether a run follows the browser's back or forward button is only in the run context
   (`is_history_navigation`); the address bar state in url_state needs it to let the old address win.
3. Uploads kept per session. Streamlit holds every file PUT to /_stcore/upload_file/<session>/<any id> in
   memory until the session ends (disconnectedSessionTTL after the browser goes), with no per-session cap: a
   page load's session could fill the server 50 MB at a time (issue 18). The one uploader (数据导入) needs one
   file at a time, so serve() makes the memory manager keep a session's newest few and drop the older ones.
"""

from __future__ import annotations

import ast
import importlib
import sys
import threading
import time
from pathlib import Path

UPLOADS_KEPT_PER_SESSION = 3  # the import page's current file, with room for a re-upload in flight


def leave_pages_folder_mode() -> None:
    """Switch off Streamlit's older pages/-folder mode for the rest of this process.

    serve() does this before the server starts (run-app.sh). start_page does it again on every page:
    under a plain `streamlit run app.py`, a deep link as the very first request runs its page alone once
    (with a file-listing menu), and the page clearing the flag puts app.py's navigation in charge from
    the next run on. No rerun is forced: AppTest sets the flag again before every run, and a rerun would
    drop a clicked button.
    """
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # pragma: no cover - a Streamlit without the v1 flag
        return
    PagesManager.uses_pages_directory = False


def history_navigation() -> bool:
    """True when this run follows the browser's back or forward button (Streamlit's run context says so)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx
    return bool(getattr(get_script_run_ctx(), "is_history_navigation", False))


def bound_session_uploads(keep: int = UPLOADS_KEPT_PER_SESSION) -> None:
    """Make Streamlit's in-memory upload store keep at most `keep` files per session, dropping the oldest
    (through its own remove_file, which keeps its byte count right). Applied once per process."""
    from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager

    original = MemoryUploadedFileManager.add_file
    if getattr(original, "keeps", None) is not None:
        return

    def add_file(self, session_id, file) -> None:
        original(self, session_id, file)
        with self._lock:
            older = list(self.file_storage.get(session_id, {}))[:-keep]  # dicts keep the order files came in
        for file_id in older:
            self.remove_file(session_id, file_id)

    add_file.keeps = keep
    MemoryUploadedFileManager.add_file = add_file


# How often the server collects cycles and hands freed heap back to the system (release_memory).
MEMORY_RELEASE_SECONDS = 60.0


def release_memory() -> int:
    """Collect reference cycles, then return the C heap's free pages to the system (glibc's malloc_trim).

    .streamlit/config.toml turns off Streamlit's collection after every run (a third of the CPU under load),
    so an idle server kept a checked upload's cycles and the heap they grew: 45 MB CSVs left the server
    about 190 MB larger after their session had ended (issue 18). Returns the objects collected."""
    import ctypes
    import gc

    collected = gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: Python's own arenas are still returned when empty
        pass
    return collected


def release_memory_periodically(seconds: float = MEMORY_RELEASE_SECONDS) -> threading.Thread:
    """release_memory every `seconds` in a daemon thread (one full collection a minute costs little)."""
    def loop() -> None:
        while True:
            time.sleep(seconds)
            release_memory()

    thread = threading.Thread(target=loop, name="ipmetrics-memory-release", daemon=True)
    thread.start()
    return thread


def serve(app_script: str, options: list[str]) -> int:
    """`streamlit run APP_SCRIPT OPTIONS…` in this process, with the pages-folder mode off from the start,
    so that every request, a deep link first included, runs through the app script's navigation, and at
    most a few uploads held per session."""
    from streamlit.web import cli

    leave_pages_folder_mode()
    bound_session_uploads()
    release_memory_periodically()
    preload_libraries(Path(app_script).parent)
    sys.argv = ["streamlit", "run", app_script, *options]
    return cli.main()


def preload_libraries(root: Path) -> list[str]:
    """Import, before the server listens, the libraries the app script and the pages import (pandas, plotly,
    the ipmetrics modules: over a second in a fresh process), so that the first visitor after a start does
    not wait for them (issue 19: the first 总览 after a start). The page modules themselves are left to the
    first run: their Streamlit caches are made with the runtime. Returns the modules imported."""
    names: set[str] = set()
    for path in [root / "app.py", *sorted((root / "pages").rglob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module)
            elif isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
    wanted = sorted(n for n in names if n.split(".")[0] not in ("pages", "streamlit", "__future__"))
    for name in wanted:
        importlib.import_module(name)  # a module that cannot be imported would fail the page all the same
    return wanted
