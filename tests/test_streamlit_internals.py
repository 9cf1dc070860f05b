"""What pages/shell/internals.py relies on inside Streamlit, so that an upgrade changing it fails here and
not in a reader's browser; and that no other file of the app touches Streamlit internals.

internals.py clears `PagesManager.uses_pages_directory` (Streamlit's older pages/-folder mode, which a deep
link as the first request after a start would otherwise get) and reads the run context's
`is_history_navigation` (back and forward). Should Streamlit drop the older mode, the first two tests below
fail: the patch can then go. The served check at the end needs Chromium (`-m browser`).
"""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pages.shell import internals

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def pages_manager():
    """Streamlit's PagesManager, with its class-wide flag put back as it was after the test."""
    from streamlit.runtime.pages_manager import PagesManager
    saved = PagesManager.uses_pages_directory
    yield PagesManager
    PagesManager.uses_pages_directory = saved


# --- the pages/-folder mode ----------------------------------------------------------------------------
def test_the_pages_folder_flag_is_set_once_per_process_and_kept_once_cleared(pages_manager):
    pages_manager.uses_pages_directory = None           # a fresh process
    pages_manager(str(REPO / "app.py"))                 # the first session: pages/ sits beside app.py
    assert pages_manager.uses_pages_directory is True   # so Streamlit takes the older mode
    internals.leave_pages_folder_mode()                 # what serve() and every page do
    pages_manager(str(REPO / "app.py"))                 # a later session's manager keeps the cleared flag
    assert pages_manager.uses_pages_directory is False


def tiny_app(folder: Path) -> Path:
    """An entry script with st.navigation beside a pages/ folder, like app.py: it says when it runs."""
    (folder / "pages").mkdir()
    (folder / "pages" / "home.py").write_text('import streamlit as st\nst.markdown("home")\n', encoding="utf-8")
    (folder / "pages" / "deep.py").write_text('import streamlit as st\nst.markdown("deep")\n', encoding="utf-8")
    (folder / "app.py").write_text(
        'import streamlit as st\nst.markdown("app.py")\n'
        'st.navigation([st.Page("pages/home.py", default=True), st.Page("pages/deep.py")]).run()\n',
        encoding="utf-8")
    return folder / "app.py"


def deep_link(app_script: Path) -> list[str]:
    """What a fresh session opened on /deep draws."""
    app = AppTest.from_file(str(app_script), default_timeout=30)
    app.switch_page("pages/deep.py").run()
    assert not app.exception, app.exception
    return [m.value for m in app.markdown]


def test_the_script_runner_consults_the_flag_before_running_the_entry_script(tmp_path, pages_manager,
                                                                              monkeypatch):
    app_script = tiny_app(tmp_path)
    # AppTest clears the flag to None before each run, as a fresh process would have it: the older mode,
    # so the deep link runs its page alone and the entry script's navigation never sees the request.
    assert deep_link(app_script) == ["deep"]
    # With the flag cleared before the session starts (what serve() does), the same link runs the entry
    # script, whose navigation runs the page.
    original = pages_manager.__init__

    def cleared_first(self, *args, **kwargs):
        original(self, *args, **kwargs)
        internals.leave_pages_folder_mode()
    monkeypatch.setattr(pages_manager, "__init__", cleared_first)
    assert deep_link(app_script) == ["app.py", "deep"]


def test_st_navigation_clears_the_flag_itself(tmp_path, pages_manager):
    # Streamlit's own way out (documented: once st.navigation has run, the pages/ folder is ignored);
    # the patch only does earlier what this does on the first run through the entry script.
    app = AppTest.from_file(str(tiny_app(tmp_path)), default_timeout=30).run()
    assert not app.exception, app.exception
    assert pages_manager.uses_pages_directory is False


def test_the_older_mode_lists_only_the_files_directly_in_pages():
    # The page shell is a package under pages/: were the older mode ever in charge, it must not offer the
    # shell's modules as pages.
    from streamlit.runtime.scriptrunner import script_runner
    source = Path(script_runner.__file__).read_text(encoding="utf-8")
    assert 'pages_folder.glob("*.py")' in source


# --- back and forward ----------------------------------------------------------------------------------
def test_the_run_context_says_whether_a_run_follows_back_or_forward():
    from streamlit.proto.ClientState_pb2 import ClientState
    from streamlit.runtime.scriptrunner import get_script_run_ctx
    from streamlit.runtime.scriptrunner_utils.script_requests import RerunData
    from streamlit.runtime.scriptrunner_utils.script_run_context import ScriptRunContext

    assert "is_history_navigation" in ClientState.DESCRIPTOR.fields_by_name   # the browser sends it
    assert "is_history_navigation" in {f.name for f in dataclasses.fields(RerunData)}  # the rerun carries it
    assert "is_history_navigation" in {f.name for f in dataclasses.fields(ScriptRunContext)}  # the run has it
    assert get_script_run_ctx() is None and internals.history_navigation() is False  # outside a run: no


# --- nothing else touches the internals --------------------------------------------------------------------
INTERNAL_MODULES = ("streamlit.runtime", "streamlit.web")
INTERNAL_NAMES = ("PagesManager", "uses_pages_directory", "is_history_navigation", "get_script_run_ctx")


def internal_uses(path: Path) -> list[str]:
    """The Streamlit-internal imports and names in one Python file."""
    text = path.read_text(encoding="utf-8")
    found = [name for name in INTERNAL_NAMES if name in text]
    for node in ast.walk(ast.parse(text, filename=str(path))):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        found += [m for m in modules if m.startswith(INTERNAL_MODULES)]
    return found


def test_only_the_internals_module_touches_streamlit_internals():
    files = [REPO / "app.py", *(REPO / "pages").rglob("*.py"), *(REPO / "scripts").rglob("*.py"),
             *(REPO / "ipmetrics").rglob("*.py")]
    assert REPO / "pages" / "shell" / "internals.py" in files and REPO / "scripts" / "serve.py" in files
    offenders = {str(f.relative_to(REPO)): uses for f in files
                 if f != REPO / "pages" / "shell" / "internals.py" and (uses := internal_uses(f))}
    assert offenders == {}
    assert internal_uses(REPO / "pages" / "shell" / "internals.py")  # the scan would see them
    scripts = [f for f in (REPO / "scripts").rglob("*") if f.is_file() and f.suffix != ".py"]  # shell scripts
    assert {str(f.relative_to(REPO)) for f in scripts
            if any(name in f.read_text(encoding="utf-8", errors="replace")
                   for name in INTERNAL_MODULES + INTERNAL_NAMES)} == set()


# --- the served app --------------------------------------------------------------------------------------
@pytest.mark.browser
def test_a_fresh_server_runs_a_first_deep_link_through_app_py(tmp_path, registry):
    from playwright.sync_api import sync_playwright

    from .served import nav_titles, served_app
    from .test_browser import CHROMIUM, CHROMIUM_ARGS, settle

    with served_app(f"duckdb:///{tmp_path / 'empty.duckdb'}", tmp_path) as base:  # no data needed
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.set_default_timeout(30_000)
            page.goto(f"{base}/goal_detail")   # the server's very first request
            settle(page)
            nav = nav_titles(page)
            title = page.title()
            browser.close()
        assert "总览" in nav and "指标详情" in nav and "数据导入" in nav, nav  # app.py's navigation, not files
        assert "shell" not in nav and "goal detail" not in nav.lower(), nav
        assert title == registry.dashboard_title    # app.py's page setup ran


def test_serve_imports_what_the_pages_import_before_the_first_visit():
    # The first visitor after a start no longer waits for pandas, plotly and the library (issue 19); the
    # pages themselves, whose Streamlit caches belong to the runtime, are not imported ahead.
    import sys
    from pathlib import Path

    wanted = internals.preload_libraries(Path(__file__).resolve().parents[1])
    assert {"pandas", "ipmetrics.core.scorecard", "ipmetrics.core.settings"} <= set(wanted)
    assert not [name for name in wanted if name.split(".")[0] in ("pages", "streamlit")]
    assert all(name in sys.modules for name in wanted)
