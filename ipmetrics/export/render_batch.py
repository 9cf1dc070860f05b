"""Many figures in several formats through the shared Chromium: kaleido's several tabs, each figure
serialised once and drawn once for all its formats (kaleido_tabs.draw_sets), on a thread of its own while
Python goes on.

One image at a time the browser waits on Python between images and Python waits on the browser; handed
a batch, kaleido keeps `images.TABS` tabs busy while the next figures are serialised. The month's close
does more: a Renderer draws on its own thread while the caller builds the next charts, the workbook and
the documents (two cores: one for Python, one for Chromium), and it hands back an image asked for twice
(the briefing's goal charts are the month's) without drawing it again.
"""

from __future__ import annotations

import queue
import threading
from concurrent.futures import Future
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Callable, Sequence

import plotly.graph_objects as go

from ipmetrics.charts import theme
from ipmetrics.export import images, kaleido_tabs
from ipmetrics.meeting.briefing_model import ChartImages

TABS = images.TABS
# Figures handed to the browser per call, and images per step of the progress bar: large enough to keep
# every tab busy, small enough that the bar moves every second or two.
CHUNK = 3 * TABS
# A projector shows a 16:9 slide about 1,920 px wide: 150 dpi over the chart box (about 8 inches) is
# 1,200 px, sharp there, and a quarter of the pixels of print's 300 dpi to render.
SLIDE_DPI = 150
SLIDE = "slide"  # the kind of image drawn for the PPT's chart box (a PNG), beside images.FORMATS

Progress = Callable[[int, int], None]  # (images done, images in all)
Rendered = dict[tuple[int, str], bytes]  # (figure's index, format) -> image bytes


@dataclass
class _Drawing:
    """A figure in one layout (the export sizes, or a slide box), drawn once by plotly in the browser; every
    image asked of that layout is made from the one draw (kaleido_tabs.draw_sets)."""
    figure: dict        # the figure's dict in that layout
    width: int          # its size in layout px
    height: int
    outputs: dict[str, tuple[str, float, int, Future]] = field(default_factory=dict)  # kind: format, scale, dpi
    taken: bool = False  # handed to the browser: a kind asked of it later needs a draw of its own


class Renderer:
    """The shared browser drawing, on a thread of its own, the images asked for with `image` (or `images`), in
    the order asked, up to CHUNK figures per call; `image` returns at once with a future of the image's bytes
    (PNGs stamped with their resolution). The same figure object and kind asked for again gets the same future.
    The kinds of a figure asked together (`images`: its PNG, SVG and PDF) come from one plotly draw.

    Used as a context manager, inside an images.session (it opens one: with `warm_up`, the browser starts
    while the caller builds the first figures). Leaving the block waits for every image asked for; on an
    error, those not yet drawn are dropped."""

    def __init__(self, warm_up: bool = True, slide_box_pt: tuple[float, float] | None = None,
                 slide_dpi: int = SLIDE_DPI):
        self._warm_up = warm_up
        self._slide_box_pt, self._slide_dpi = slide_box_pt, slide_dpi  # the PPT's chart box unless given
        self._queue: queue.Queue[_Drawing | None] = queue.Queue()
        self._lock = threading.Lock()  # the drawings' outputs, between the callers and the drawing thread
        self._futures: dict[tuple[int, str], tuple[go.Figure, Future]] = {}
        self._waiting: dict[tuple[int, str], _Drawing] = {}  # (figure, layout): its drawing not yet handed over
        self._exported: dict[int, dict] = {}  # each figure's export dict, made once for all its formats
        self._stack = ExitStack()
        self._worker: threading.Thread | None = None
        self._failed = False

    def __enter__(self) -> Renderer:
        self._stack.enter_context(images.session(warm_up=self._warm_up))
        self._worker = threading.Thread(target=self._draw, name="chart-images", daemon=True)
        self._worker.start()
        return self

    def __exit__(self, kind, error, trace) -> None:
        if error is not None:
            self._failed = True  # the images still queued are dropped, not drawn
        self._queue.put(None)
        self._worker.join()
        self._stack.close()

    def image(self, figure: go.Figure, kind: str) -> Future:
        """A future of `figure` drawn as `kind`: png, svg or pdf in the export sizes, or SLIDE."""
        return self.images(figure, (kind,))[0]

    def images(self, figure: go.Figure, kinds: Sequence[str]) -> list[Future]:
        """Futures of `figure` drawn as each of `kinds`, those in the export sizes from one draw."""
        for kind in kinds:
            if kind not in images.FORMATS and kind != SLIDE:
                raise ValueError(f"不支持的格式 {kind}（可选：{'、'.join(images.FORMATS)}）")
        with self._lock:  # every kind joins the figure's drawing before the drawing thread may take it
            for kind in kinds:
                if (id(figure), kind) not in self._futures:
                    self._ask(figure, kind)
            return [self._futures[(id(figure), kind)][1] for kind in kinds]

    def _ask(self, figure: go.Figure, kind: str) -> None:
        layout = SLIDE if kind == SLIDE else "export"
        drawing = self._waiting.get((id(figure), layout))
        fresh = drawing is None or drawing.taken
        if fresh:
            drawing = self._slide_drawing(figure) if layout == SLIDE else self._export_drawing(figure)
            self._waiting[(id(figure), layout)] = drawing
        if kind == SLIDE:
            output = ("png", self._slide_dpi / 72 * theme.SLIDE_PT_PER_PX, self._slide_dpi)  # dpi over the box
        else:
            output = (kind, images.SCALE if kind == "png" else 1, images.PRINT_DPI)
        future: Future = Future()
        drawing.outputs[kind] = (*output, future)
        self._futures[(id(figure), kind)] = (figure, future)  # the figure is kept so its id is never reused
        if fresh:
            self._queue.put(drawing)

    def _export_drawing(self, figure: go.Figure) -> _Drawing:
        """The figure in the export sizes (theme.export_dict, as images.render draws it: its own grown height,
        the layout's width)."""
        if id(figure) not in self._exported:
            self._exported[id(figure)] = theme.export_dict(figure)
        exported = self._exported[id(figure)]
        return _Drawing(exported, images.WIDTH, exported["layout"]["height"])

    def _slide_drawing(self, figure: go.Figure) -> _Drawing:
        """The figure for the slide's chart box (charts.theme.slide_dict: text at 14 pt or more once placed)."""
        if self._slide_box_pt is None:
            from ipmetrics.export.slides import CHART_BOX_PT  # python-pptx loads only for slides

            self._slide_box_pt = CHART_BOX_PT
        width_px, height_px = theme.slide_layout_px(*self._slide_box_pt)
        return _Drawing(theme.slide_dict(figure, width_px, height_px), width_px, height_px)

    def _draw(self) -> None:
        done = False
        while not done:
            chunk = [self._queue.get()]  # wait for the next figure, then take what else is queued, up to CHUNK
            while len(chunk) < CHUNK and chunk[-1] is not None and not self._queue.empty():
                chunk.append(self._queue.get())
            done = chunk[-1] is None  # the end, put last by __exit__ once every image was asked for
            drawings = [drawing for drawing in chunk if drawing is not None]
            with self._lock:
                for drawing in drawings:
                    drawing.taken = True
                jobs = [(drawing, list(drawing.outputs.items())) for drawing in drawings]
            if not jobs:
                continue
            if self._failed:
                for _, outputs in jobs:
                    for _, (*_, future) in outputs:
                        future.cancel()
                continue
            try:
                images.open_session()  # at once when open; after a failed warm-up, it says what is wrong
                with images.lock():  # the browser's tabs belong to this chunk until it is drawn
                    drawn = kaleido_tabs.draw_sets([
                        {"figure": drawing.figure, "width": drawing.width, "height": drawing.height,
                         "outputs": [(kind, fmt, scale) for kind, (fmt, scale, _, _) in outputs]}
                        for drawing, outputs in jobs])
                for (_, outputs), made in zip(jobs, drawn):
                    for kind, (fmt, _, dpi, future) in outputs:
                        future.set_result(images.with_png_dpi(made[kind], dpi) if fmt == "png" else made[kind])
            except BaseException as exc:  # noqa: BLE001 — each waiting caller gets the browser's error
                for _, outputs in jobs:
                    for _, (*_, future) in outputs:
                        if not future.done():
                            future.set_exception(exc)


def wait_all(futures: Sequence[Future], progress: Progress | None = None) -> list[bytes]:
    """The futures' results in order; `progress(done, all)` after every CHUNK images and at the end (on the
    caller's thread: Streamlit draws a progress bar only from the script's own)."""
    results = []
    for done, future in enumerate(futures, start=1):
        results.append(future.result())
        if progress and (done % CHUNK == 0 or done == len(futures)):
            progress(done, len(futures))
    return results


def render_for_slides(figures: Sequence[go.Figure], width_pt: float, height_pt: float,
                      dpi: int = SLIDE_DPI) -> list[bytes]:
    """Each figure as a PNG drawn for a slide box `width_pt` × `height_pt` (text at 14 pt or more as
    projected), at `dpi` over the box; one batch through the shared browser."""
    with Renderer(slide_box_pt=(width_pt, height_pt), slide_dpi=dpi) as renderer:
        return wait_all([renderer.image(figure, SLIDE) for figure in figures])


def render_all(figures: Sequence[go.Figure], formats: Sequence[str] = ("png",),
               progress: Progress | None = None) -> Rendered:
    """Every figure in every format, as bytes keyed by (the figure's index, format)."""
    with Renderer() as renderer:
        keys = [(index, fmt) for index in range(len(figures)) for fmt in formats]
        futures = [future for figure in figures for future in renderer.images(figure, formats)]
        return dict(zip(keys, wait_all(futures, progress)))


def briefing_images(renderer: Renderer, figures: Sequence[go.Figure],
                    progress: Progress | None = None) -> list[ChartImages]:
    """Each figure as the briefing places it (ChartImages: the print PNG, the PDF's SVG, the slide's PNG),
    drawn by `renderer`; images it has drawn or queued already (the month's export) are not drawn again."""
    futures = [future for figure in figures for future in renderer.images(figure, ("png", "svg", SLIDE))]
    drawn = wait_all(futures, progress)
    return [ChartImages(*drawn[3 * index:3 * index + 3]) for index in range(len(figures))]
