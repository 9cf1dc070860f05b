"""The shared Chromium's tabs kept warm between images, and the briefing's PDF printed in one of them.

kaleido reloads a tab after every image, and a reload parses plotly.js again: about half of a chart's
render time (30 PNGs: 11.5 s reloading, 5.7 s not; SVG 9.4 s against 3.5 s, measured side by side in
one run). Plotly.toImage draws each figure in a detached element it purges, so nothing of one image
stays for the next; a tab is still reloaded every RELOAD_EVERY images, bounding what the page may
accumulate. The briefing's PDF used to start a second Chromium (about 3 s); it is now printed by a
tab of the browser already open.

kaleido offers no option for either, so its server is given a subclass of its `Kaleido` (its
`_return_kaleido_tab` is private API: tests/test_kaleido_tabs.py fails if a kaleido upgrade changes it).
"""

from __future__ import annotations

import base64

# Chromium's browser window preloads its omnibox popup as web pages of its own (chrome://omnibox-popup
# .top-chrome, four targets in one renderer) although a headless browser never shows one: a quarter of the
# CPU a start costs here (1.2 of 4.6 CPU-seconds, measured per process).
DISABLED_FEATURES = "--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup,WebUIOmniboxFullPopup"
# Images a tab draws before it is reloaded anyway.
RELOAD_EVERY = 40
# Seconds the briefing page may take to load and print (it is one self-contained HTML file).
PRINT_TIMEOUT = 120

_installed = False


def install() -> None:
    """Make kaleido's sync server start browsers whose tabs are reused (idempotent; before it starts)."""
    global _installed
    if _installed:
        return
    from kaleido import _sync_server

    _sync_server.Kaleido = _warm_tabs_class(_sync_server.Kaleido)
    _installed = True


def lean_chromium() -> type:
    """choreographer's Chromium launched without the browser-window parts it never shows (DISABLED_FEATURES);
    kaleido hands `browser_cls` on to choreographer's Browser."""
    from choreographer.browsers.chromium import Chromium

    class LeanChromium(Chromium):
        def get_cli(self):
            return [*super().get_cli(), DISABLED_FEATURES]

    return LeanChromium


def _warm_tabs_class(kaleido_class: type) -> type:
    import asyncio

    class WarmTabsKaleido(kaleido_class):
        async def _return_kaleido_tab(self, tab) -> None:
            drawn = getattr(tab, "ipmetrics_drawn", 0) + 1
            if drawn >= RELOAD_EVERY:
                await tab.reload()
                drawn = 0
            tab.ipmetrics_drawn = drawn
            await self.tabs_ready.put(tab)

        async def print_page_pdf(self, url: str) -> bytes:
            """`url` (a self-contained page) printed to PDF by one of the tabs, with the page's own CSS
            page size and margins; the tab goes back to kaleido's page after."""
            tab = await self._get_kaleido_tab()
            try:
                return await asyncio.wait_for(_print(tab, url), PRINT_TIMEOUT)
            finally:
                await tab.navigate(self._index)
                tab.ipmetrics_drawn = 0
                await self.tabs_ready.put(tab)

    return WarmTabsKaleido


async def _print(tab, url: str) -> bytes:
    await tab.navigate(url)
    # The load event comes before web fonts are ready; printing earlier would fall back to other fonts.
    fonts = await tab.tab.send_command("Runtime.evaluate", params={
        "expression": "document.fonts.ready.then(() => true)", "awaitPromise": True})
    _raise_on_error(fonts)
    printed = await tab.tab.send_command("Page.printToPDF", params={
        "printBackground": True, "preferCSSPageSize": True, "displayHeaderFooter": False})
    _raise_on_error(printed)
    return base64.b64decode(printed["result"]["data"])


def _raise_on_error(response: dict) -> None:
    if "error" in response:
        raise RuntimeError(f"Chromium: {response['error']}")


def print_page_pdf(url: str) -> bytes:
    """Print `url` to PDF through the shared browser (which must be open: images.session())."""
    from kaleido import _sync_server

    return _sync_server.GlobalKaleidoServer().call_function("print_page_pdf", url)
