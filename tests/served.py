"""The dashboard served for a browser, as run-app.sh serves it (scripts/serve.py), on a free port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

REPO = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:  # the tiny race until Streamlit binds it is acceptable
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def served_app(db_url: str, folder: Path, *options: str) -> Iterator[str]:
    """Serve the app on `db_url` (Streamlit `options` added) until the block ends; yields its base URL.
    The server's stderr goes to `folder`/stderr.log, shown when it does not become healthy."""
    port = free_port()
    log = folder / "stderr.log"
    env = {**os.environ, "IPMETRICS_DB_URL": db_url}
    with open(log, "w") as err:  # a file, not a pipe: a full pipe would stall the server
        proc = subprocess.Popen([sys.executable, "scripts/serve.py", "--server.headless", "true",
                                 "--server.port", str(port), *options], cwd=REPO, env=env,
                                stdout=subprocess.DEVNULL, stderr=err)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                    if response.read().decode().strip() == "ok":
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"Streamlit did not become healthy on {base}:\n{log.read_text()}")
            time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# The navigation is at the top of the page (app.py, st.navigation(position="top")): a section's pages show
# when it is opened.
_SECTION = '[data-testid="stTopNavSection"]'
_LINK = '[data-testid="stTopNavDropdownLink"]'


def nav_titles(page) -> str:
    """The titles of every page the top navigation offers, each section opened in turn (one text)."""
    titles = []
    for number in range(page.locator(_SECTION).count()):
        page.locator(_SECTION).nth(number).click()
        page.locator(_LINK).first.wait_for()
        titles += [_title(text) for text in page.locator(_LINK).all_inner_texts()]
        page.keyboard.press("Escape")
        page.locator(_LINK).first.wait_for(state="detached")
    return "\n".join(titles)


def _title(link_text: str) -> str:
    """A link's title without its icon's name (a material icon is text: "lightbulb\n\n专利")."""
    return link_text.strip().split("\n")[-1].strip()


def click_nav(page, title: str) -> None:
    """Go to the page titled `title` through the top navigation."""
    for number in range(page.locator(_SECTION).count()):
        page.locator(_SECTION).nth(number).click()
        page.locator(_LINK).first.wait_for()
        link = page.locator(_LINK).filter(has_text=title)
        if any(_title(text) == title for text in link.all_inner_texts()):
            link.get_by_text(title, exact=True).click()
            return
        page.keyboard.press("Escape")
        page.locator(_LINK).first.wait_for(state="detached")
    raise AssertionError(f"导航中没有“{title}”")
