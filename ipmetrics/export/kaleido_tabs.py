"""The shared Chromium's tabs kept warm between images, each figure drawn once for all its images, and the
briefing's PDF printed in one of the tabs.

kaleido reloads a tab after every image, and a reload parses plotly.js again: about half of a chart's
render time (30 PNGs: 11.5 s reloading, 5.7 s not; SVG 9.4 s against 3.5 s, measured side by side in
one run). Plotly.toImage draws each figure in a detached element it purges, so nothing of one image
stays for the next; a tab is still reloaded every RELOAD_EVERY images, bounding what the page may
accumulate. The briefing's PDF used to start a second Chromium (about 3 s); it is now printed by a
tab of the browser already open.

kaleido draws a figure anew for each format; plotly's own PNG is its SVG rasterised on a canvas, and
its PDF is that SVG printed. A figure's SVG, PNGs and PDF are therefore made here from one plotly draw
(draw_sets): the draw is about two thirds of a PNG's cost (per chart in the renderer: SVG 85 ms, PNG 127 ms).

kaleido offers no option for any of these, so its server is given a subclass of its `Kaleido` (its
`_return_kaleido_tab` is private API: tests/test_kaleido_tabs.py fails if a kaleido upgrade changes it).
"""

from __future__ import annotations

import base64
import json

from ipmetrics.export import warm_start

# Chromium's browser window preloads its omnibox popup as web pages of its own (chrome://omnibox-popup
# .top-chrome, four targets in one renderer) although a headless browser never shows one: a quarter of the
# CPU a start costs here (1.2 of 4.6 CPU-seconds, measured per process).
DISABLED_FEATURES = "--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup,WebUIOmniboxFullPopup"
# Images a tab draws before it is reloaded anyway.
RELOAD_EVERY = 40
# Seconds the briefing page may take to load and print (it is one self-contained HTML file).
PRINT_TIMEOUT = 120

_installed = False

# One plotly draw of a figure, in the tab's page (kaleido's, which holds Plotly and an <img id="kaleido-image">),
# and every image asked of it: the SVG as plotly.toImage writes it; each PNG that SVG rasterised at its scale
# by plotly's own svgToImg (what toImage does for a PNG); a PDF by placing the SVG in the page sized to it,
# as kaleido does before printing (the caller then prints the page).
DRAW_SET_JS = r"""
async (figure, width, height, outputs) => {
  const page = document.getElementById("kaleido-image");
  page.removeAttribute("src");
  let background = "white";
  const svg = await Plotly.toImage(
    {data: figure.data || [], layout: figure.layout || {},
     config: Object.assign({plotGlPixelRatio: 2}, figure.config)},
    {format: "svg", width, height, scale: 1, imageDataOnly: true,
     setBackground: (gd, color) => {  // plotly's default, the colour kept for the PDF's page
       background = color;
       gd._fullLayout._paper.style("background", color);
     }});
  const drawn = {};
  for (const [name, format, scale] of outputs) {
    if (format === "svg") {
      drawn[name] = svg;
    } else if (format === "png") {
      const url = await Plotly.Snapshot.svgToImg({format: "png", width, height, scale, svg, promise: true,
                                                 canvas: document.createElement("canvas")});
      drawn[name] = url.slice(url.indexOf(",") + 1);
    } else if (format === "pdf") {
      document.getElementById("head-style").innerHTML = `@page { size: ${width * scale}px ${height * scale}px; }
        body { margin: 0; padding: 0; background-color: ${background} }`;
      await new Promise((resolve, reject) => {
        page.onload = resolve;
        page.onerror = () => reject(new Error("the chart's SVG did not load for printing"));
        page.src = "data:image/svg+xml," + encodeURIComponent(svg);
      });
      drawn[name] = null;
    } else {
      throw new Error("unknown image format " + format);
    }
  }
  return drawn;
}
"""


def install() -> None:
    """Make kaleido's sync server start browsers whose tabs are reused (idempotent; before it starts)."""
    global _installed
    if _installed:
        return
    from kaleido import _sync_server

    _sync_server.Kaleido = _warm_tabs_class(_sync_server.Kaleido)
    _installed = True


def lean_chromium() -> type:
    """choreographer's Chromium launched without the browser-window parts it never shows (DISABLED_FEATURES),
    able to reach the page server, its fresh profile seeded with compiled plotly.js (export/warm_start.py);
    kaleido hands `browser_cls` on to choreographer's Browser."""
    from choreographer.browsers.chromium import Chromium

    class LeanChromium(Chromium):
        def get_cli(self):
            return [*super().get_cli(), DISABLED_FEATURES, *warm_start.chromium_switches()]

        def pre_open(self) -> None:
            super().pre_open()  # the profile's temporary folder
            warm_start.seed_profile(self.tmp_dir.path, self.path)

        def clean(self) -> None:  # after the browser has closed, before its profile is deleted
            profile = getattr(self, "tmp_dir", None)
            if profile is not None and profile.exists:
                warm_start.keep_profile(profile.path, self.path)
            super().clean()

    return LeanChromium


def _warm_tabs_class(kaleido_class: type) -> type:
    import asyncio

    class WarmTabsKaleido(kaleido_class):
        async def populate_targets(self) -> None:
            # kaleido's page served over HTTP (warm_start): Chromium keeps the code it compiles for http pages
            self._index = warm_start.server().page_url
            await super().populate_targets()

        async def _conform_tabs(self, tabs=None) -> None:
            # kaleido's navigate sends Page.enable only after Page.navigate, then waits for the page's load
            # event with no timeout; a load that ends before Page.enable arrives is never reported and the tab
            # never becomes ready. A warm page loads in a fifth of a second: with page events on before it
            # navigates, the load event cannot be missed.
            for tab in list(tabs) if tabs else list(self.tabs.values()):
                response = await tab.send_command("Page.enable")
                _raise_on_error(response)
            await super()._conform_tabs(tabs)

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

        async def draw_sets(self, sets: list[dict]) -> list[dict[str, bytes]]:
            """Each set drawn by one of the tabs, as many at once as there are tabs (see draw_sets below)."""
            return list(await asyncio.gather(*(self._draw_set(one) for one in sets)))

        async def _draw_set(self, one: dict) -> dict[str, bytes]:
            tab = await self._get_kaleido_tab()
            try:
                return await asyncio.wait_for(_draw_set(tab, one), self._timeout)
            finally:
                await self._return_kaleido_tab(tab)

    return WarmTabsKaleido


async def _draw_set(tab, one: dict) -> dict[str, bytes]:
    from kaleido._kaleido_tab import _devtools_utils

    outputs = one["outputs"]
    expression = (f"({DRAW_SET_JS})({one['figure_json']}, {json.dumps(one['width'])}, {json.dumps(one['height'])}, "
                  f"{json.dumps(outputs)})")
    response = await tab.tab.send_command("Runtime.evaluate", params={
        "expression": expression, "awaitPromise": True, "returnByValue": True})
    _raise_on_error(response)
    if "exceptionDetails" in response["result"]:
        details = response["result"]["exceptionDetails"]
        raise RuntimeError(f"Chromium: {details.get('exception', {}).get('description') or details.get('text')}")
    drawn = response["result"]["result"]["value"]
    images = {}
    for name, fmt, _ in outputs:
        if fmt == "svg":
            images[name] = drawn[name].encode()
        elif fmt == "png":
            images[name] = base64.b64decode(drawn[name])
        else:  # the page holds the SVG sized as the PDF's page: printed as kaleido prints its PDFs
            images[name] = base64.b64decode(await _devtools_utils.print_pdf(tab.tab))
    return images


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


def draw_sets(sets: list[dict]) -> list[dict[str, bytes]]:
    """Each set's figure drawn once by the shared browser (which must be open: images.session()), and the images
    asked of it made from that one draw. A set: {"figure": the figure's dict, "width", "height": its size in
    layout px, "outputs": [(name, format, scale), ...]} with format png, svg or pdf; its images come back as
    {name: bytes}, the sets in the order given, drawn by all the tabs at once."""
    from kaleido import _sync_server
    from plotly.io.json import to_json_plotly

    jobs = [{"figure_json": to_json_plotly(one["figure"]), "width": one["width"], "height": one["height"],
             "outputs": [list(output) for output in one["outputs"]]} for one in sets]
    return _sync_server.GlobalKaleidoServer().call_function("draw_sets", jobs)


def print_page_pdf(url: str) -> bytes:
    """Print `url` to PDF through the shared browser (which must be open: images.session())."""
    from kaleido import _sync_server

    return _sync_server.GlobalKaleidoServer().call_function("print_page_pdf", url)
