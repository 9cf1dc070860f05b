"""Chromium starting warm (export/warm_start.py): kaleido's page served over HTTP from memory, each script
under a path naming its content, and the first clean browser's caches kept as the seed every later start
copies. The images must be the very ones kaleido's own file:// page draws."""

from __future__ import annotations

import hashlib
import os
import time
import urllib.error
import urllib.request
from pathlib import Path

import plotly
import plotly.io as pio
import pytest
from kaleido import _page_generator

from ipmetrics.charts import theme
from ipmetrics.export import images, warm_start
from tests.test_kaleido_tabs import _figure, _pages, _pixels, _same_ids

# urllib would go through the environment's proxy; the page server is on the loopback only.
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _get(path: str):
    return DIRECT.open(f"http://127.0.0.1:{warm_start.server().port}{path}", timeout=10)


def _content_path(name: str, body: bytes) -> str:
    stem, suffix = name.split(".", 1)
    return f"/{stem}-{hashlib.sha256(body).hexdigest()[:16]}.{suffix}"


def test_the_page_server_serves_kaleido_s_page_with_every_script_named_by_its_content():
    plotly_js = (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_bytes()
    scopes_js = _page_generator.KJS_PATH.read_bytes()
    server = warm_start.server()
    with _get(server.index) as response:
        html = response.read().decode()
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert server.index == _content_path("index.html", html.encode())
    # kaleido's own page: its <img> and <style> are what draw_sets and the PDF printing use
    assert '<img id="kaleido-image"' in html and '<style id="head-style">' in html
    plotly_url = f"http://{warm_start.PAGE_HOST}{_content_path('plotly.min.js', plotly_js)}"
    scopes_url = f"http://{warm_start.PAGE_HOST}{_content_path('kaleido_scopes.js', scopes_js)}"
    assert f'src="{plotly_url}" charset="utf-8"' in html and f'src="{scopes_url}"' in html
    assert "file://" not in html and "mathjax" not in html.lower()  # nothing from disk, no MathJax
    with _get(_content_path("plotly.min.js", plotly_js)) as response:
        assert response.read() == plotly_js
    with _get(_content_path("kaleido_scopes.js", scopes_js)) as response:
        assert response.read() == scopes_js
    with pytest.raises(urllib.error.HTTPError) as missing:
        _get("/plotly.min.js")  # only the paths naming their content
    assert missing.value.code == 404
    assert server.page_url == f"http://{warm_start.PAGE_HOST}{server.index}"


def test_chromium_is_sent_to_the_page_server_under_the_fixed_host_name():
    port = warm_start.server().port
    assert warm_start.chromium_switches() == [
        f"--host-resolver-rules=MAP {warm_start.PAGE_HOST} 127.0.0.1:{port}",
        f"--proxy-bypass-list={warm_start.PAGE_HOST}"]
    assert warm_start.PAGE_HOST.endswith(".test")  # a reserved name: never a real host


def _profile(folder: Path, code_bytes: int) -> Path:
    """A browser profile as Chromium leaves it: both caches, and parts that are not kept."""
    (folder / "Default" / "Code Cache" / "js").mkdir(parents=True)
    (folder / "Default" / "Code Cache" / "js" / "compiled_0").write_bytes(b"v" * code_bytes)
    (folder / "Default" / "Cache" / "Cache_Data").mkdir(parents=True)
    (folder / "Default" / "Cache" / "Cache_Data" / "script_0").write_bytes(b"plotly.js")
    (folder / "Default" / "History").write_bytes(b"not kept")
    (folder / "Local State").write_text("{}")
    return folder


@pytest.fixture
def cache_root(tmp_path, monkeypatch):
    monkeypatch.setenv("IPMETRICS_BROWSER_CACHE", str(tmp_path / "cache"))
    browser = tmp_path / "chromium"
    browser.write_bytes(b"a browser")
    return tmp_path / "cache", browser


def test_a_profile_that_compiled_plotly_becomes_the_seed_every_later_start_copies(cache_root, tmp_path):
    root, browser = cache_root
    assert not warm_start.seed_profile(tmp_path / "fresh", browser)  # no seed yet: a cold start
    # a browser that never drew (its code cache nearly empty) leaves no seed
    assert not warm_start.keep_profile(_profile(tmp_path / "idle", 10_000), browser)
    assert not root.exists() or not any(root.iterdir())
    assert warm_start.keep_profile(_profile(tmp_path / "first", 2_000_000), browser)
    seed = warm_start.seed_folder(browser)
    assert seed.parent == root and sorted(p.name for p in seed.iterdir()) == ["Default"]
    assert sorted(p.name for p in (seed / "Default").iterdir()) == ["Cache", "Code Cache"]  # no History
    # a later browser does not replace it (two processes closing at once keep the first seed)
    assert not warm_start.keep_profile(_profile(tmp_path / "second", 3_000_000), browser)
    assert (seed / "Default" / "Code Cache" / "js" / "compiled_0").stat().st_size == 2_000_000
    fresh = tmp_path / "fresh"
    assert warm_start.seed_profile(fresh, browser)
    assert (fresh / "Default" / "Code Cache" / "js" / "compiled_0").stat().st_size == 2_000_000
    assert (fresh / "Default" / "Cache" / "Cache_Data" / "script_0").read_bytes() == b"plotly.js"
    assert not (fresh / "Default" / "History").exists()
    assert [p.name for p in root.iterdir()] == [seed.name]  # nothing half-written left beside it


def test_another_browser_build_has_a_seed_of_its_own_and_unused_seeds_go(cache_root, tmp_path):
    root, browser = cache_root
    assert warm_start.keep_profile(_profile(tmp_path / "old", 2_000_000), browser)
    old_seed = warm_start.seed_folder(browser)
    month_ago = time.time() - (warm_start.UNUSED_DAYS + 1) * 86400
    os.utime(old_seed, (month_ago, month_ago))
    browser.write_bytes(b"a browser, upgraded")  # Chromium upgraded: its code caches are not the old one's
    new_seed = warm_start.seed_folder(browser)
    assert new_seed != old_seed and not warm_start.seed_profile(tmp_path / "fresh", browser)
    assert warm_start.keep_profile(_profile(tmp_path / "new", 2_000_000), browser)
    assert [p.name for p in root.iterdir()] == [new_seed.name]  # the old one, unused for a month, removed
    recent = root / "0123456789abcdef"
    recent.mkdir()
    browser.write_bytes(b"a browser, upgraded again")
    assert warm_start.keep_profile(_profile(tmp_path / "newer", 2_000_000), browser)
    assert recent.exists() and new_seed.exists()  # seeds copied within the month stay


def test_a_cache_folder_that_cannot_be_written_costs_only_the_warm_start(cache_root, tmp_path):
    root, browser = cache_root
    root.parent.mkdir(exist_ok=True)
    root.write_text("a file where the folder would be")
    assert not warm_start.keep_profile(_profile(tmp_path / "first", 2_000_000), browser)
    assert not warm_start.seed_profile(tmp_path / "fresh", browser)
    assert warm_start.seed_folder(tmp_path / "no-such-browser") is None


@pytest.mark.browser
@pytest.mark.skipif(images.browser_path() is None, reason="needs Chromium")
def test_a_warm_start_fetches_nothing_and_draws_what_kaleido_s_own_page_draws(tmp_path, monkeypatch):
    images.close_session()  # a browser left open would leave its caches as this test's seed on closing
    monkeypatch.setenv("IPMETRICS_BROWSER_CACHE", str(tmp_path / "cache"))
    figure = _figure("每万人口发明专利拥有量（件）", [0.2, 0.4, 0.3, 0.9], "line")
    exported = theme.export_dict(figure)
    size = {"width": images.WIDTH, "height": exported["layout"]["height"]}
    server = warm_start.server()
    try:
        # kaleido on its own (no session open): a browser of its own, its page a file:// one
        own = {"png": pio.to_image(exported, format="png", scale=images.SCALE, validate=False, **size),
               "svg": pio.to_image(exported, format="svg", validate=False, **size),
               "pdf": pio.to_image(exported, format="pdf", validate=False, **size)}
        server.requests.clear()
        with images.session():
            cold = {fmt: images.render(figure, fmt) for fmt in own}
        assert server.requests[server.index] == 1 and sum(server.requests.values()) >= 3  # the page, its scripts
        seed = warm_start.seed_folder(images.browser_path())
        assert warm_start._code_cache_bytes(seed) >= warm_start.MIN_CODE_CACHE_BYTES  # plotly.js compiled, kept
        server.requests.clear()
        with images.session():
            warm = {fmt: images.render(figure, fmt) for fmt in own}
        assert not server.requests  # the page and its scripts came from the seeded cache
    finally:
        images.close_session()
    for drawn in (cold, warm):
        assert _pixels(drawn["png"])[::2] == _pixels(own["png"])[::2]  # size and pixels (the dpi is stamped after)
        assert _same_ids(drawn["svg"]) == _same_ids(own["svg"])
        assert _pages(drawn["pdf"]) == _pages(own["pdf"])


def test_without_a_home_folder_there_is_no_seed_and_no_error(tmp_path, monkeypatch):
    monkeypatch.delenv("IPMETRICS_BROWSER_CACHE", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)

    def no_home():
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    browser = tmp_path / "chromium"
    browser.write_bytes(b"a browser")
    assert warm_start.seed_folder(browser) is None
    assert not warm_start.seed_profile(tmp_path / "fresh", browser)
    assert not warm_start.keep_profile(_profile(tmp_path / "first", 2_000_000), browser)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert warm_start.seed_folder(browser).parent == tmp_path / "xdg" / "ipmetrics" / "chromium"
