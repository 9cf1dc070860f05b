"""Many figures in several formats through the shared Chromium: kaleido's several tabs, each figure
serialised once, each image rendered once, on a thread of its own while Python goes on.

One image at a time the browser waits on Python between images and Python waits on the browser; handed
a batch, kaleido keeps `images.TABS` tabs busy while the next figures are serialised. The month's close
does more: a Renderer draws on its own thread while the caller builds the next charts, the workbook and
the documents (two cores: one for Python, one for Chromium), and it hands back an image asked for twice
(the briefing's goal charts are the month's) without drawing it again.
"""

from __future__ import annotations

import queue
import tempfile
import threading
from concurrent.futures import Future
from contextlib import ExitStack
from pathlib import Path
from typing import Callable, Sequence

import plotly.graph_objects as go

from ipmetrics.charts import theme
from ipmetrics.export import images
from ipmetrics.meeting.briefing_model import ChartImages

TABS = images.TABS
# Images handed to kaleido per call: large enough to keep every tab busy, small enough that the
# progress bar moves every second or two.
CHUNK = 3 * TABS
# A projector shows a 16:9 slide about 1,920 px wide: 150 dpi over the chart box (about 8 inches) is
# 1,200 px, sharp there, and a quarter of the pixels of print's 300 dpi to render.
SLIDE_DPI = 150
SLIDE = "slide"  # the kind of image drawn for the PPT's chart box (a PNG), beside images.FORMATS

Progress = Callable[[int, int], None]  # (images done, images in all)
Rendered = dict[tuple[int, str], bytes]  # (figure's index, format) -> image bytes


def _spec(exported: dict, fmt: str) -> dict:
    """What kaleido needs to draw one image of a figure already in the export sizes (theme.export_dict, as
    images.render draws it: its own grown height, the layout's width)."""
    return {"fig": exported, "opts": {"format": fmt, "width": images.WIDTH, "height": exported["layout"]["height"],
                                      "scale": images.SCALE if fmt == "png" else 1}}


def _slide_spec(figure: go.Figure, width_pt: float, height_pt: float, dpi: int) -> dict:
    """What kaleido needs to draw `figure` for a slide box `width_pt` × `height_pt` (charts.theme.slide_dict:
    text at 14 pt or more once placed there), at `dpi` over the box."""
    width_px, height_px = theme.slide_layout_px(width_pt, height_pt)
    scale = dpi / 72 * theme.SLIDE_PT_PER_PX  # image px per layout px, for `dpi` over the box
    return {"fig": theme.slide_dict(figure, width_px, height_px),
            "opts": {"format": "png", "width": width_px, "height": height_px, "scale": scale}}


class Renderer:
    """The shared browser drawing, on a thread of its own, the images asked for with `image`, in the order
    asked, up to CHUNK per kaleido call; `image` returns at once with a future of the image's bytes (PNGs
    stamped with their resolution). The same figure object and kind asked for again gets the same future.

    Used as a context manager, inside an images.session (it opens one: with `warm_up`, the browser starts
    while the caller builds the first figures). Leaving the block waits for every image asked for; on an
    error, those not yet drawn are dropped."""

    def __init__(self, warm_up: bool = True, slide_box_pt: tuple[float, float] | None = None,
                 slide_dpi: int = SLIDE_DPI):
        self._warm_up = warm_up
        self._slide_box_pt, self._slide_dpi = slide_box_pt, slide_dpi  # the PPT's chart box unless given
        self._queue: queue.Queue[tuple[dict, int, Future] | None] = queue.Queue()
        self._futures: dict[tuple[int, str], tuple[go.Figure, Future]] = {}
        self._exported: dict[int, dict] = {}  # each figure's export dict, made once for all its formats
        self._stack = ExitStack()
        self._worker: threading.Thread | None = None
        self._tmp: Path | None = None
        self._failed = False

    def __enter__(self) -> Renderer:
        self._stack.enter_context(images.session(warm_up=self._warm_up))
        self._tmp = Path(self._stack.enter_context(tempfile.TemporaryDirectory(prefix="ipmetrics-images-")))
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
        if kind not in images.FORMATS and kind != SLIDE:
            raise ValueError(f"不支持的格式 {kind}（可选：{'、'.join(images.FORMATS)}）")
        key = (id(figure), kind)
        if key not in self._futures:
            if kind == SLIDE:
                if self._slide_box_pt is None:
                    from ipmetrics.export.slides import CHART_BOX_PT  # python-pptx loads only for slides

                    self._slide_box_pt = CHART_BOX_PT
                spec, dpi = _slide_spec(figure, *self._slide_box_pt, self._slide_dpi), self._slide_dpi
            else:
                if id(figure) not in self._exported:
                    self._exported[id(figure)] = theme.export_dict(figure)
                spec, dpi = _spec(self._exported[id(figure)], kind), images.PRINT_DPI
            future: Future = Future()
            self._futures[key] = (figure, future)  # the figure is kept so its id is never reused
            self._queue.put((spec, dpi, future))
        return self._futures[key][1]

    def _draw(self) -> None:
        import kaleido

        number, done = 0, False
        while not done:
            chunk = [self._queue.get()]  # wait for the next image, then take what else is queued, up to CHUNK
            while len(chunk) < CHUNK and chunk[-1] is not None and not self._queue.empty():
                chunk.append(self._queue.get())
            done = chunk[-1] is None  # the end, put last by __exit__ once every image was asked for
            chunk = [job for job in chunk if job is not None]
            if not chunk:
                continue
            if self._failed:
                for _, _, future in chunk:
                    future.cancel()
                continue
            specs = []
            for spec, _, _ in chunk:
                number += 1
                specs.append({**spec, "path": self._tmp / f"{number}.{spec['opts']['format']}"})
            try:
                images.open_session()  # at once when open; after a failed warm-up, it says what is wrong
                with images.lock():  # the browser's tabs belong to this chunk until it is written
                    kaleido.write_fig_from_object_sync(specs, cancel_on_error=True)
                for spec, (_, dpi, future) in zip(specs, chunk):
                    content = spec["path"].read_bytes()
                    spec["path"].unlink()
                    future.set_result(images.with_png_dpi(content, dpi) if spec["opts"]["format"] == "png"
                                      else content)
            except BaseException as exc:  # noqa: BLE001 — each waiting caller gets the browser's error
                for _, _, future in chunk:
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
        futures = [renderer.image(figures[index], fmt) for index, fmt in keys]
        return dict(zip(keys, wait_all(futures, progress)))


def briefing_images(renderer: Renderer, figures: Sequence[go.Figure],
                    progress: Progress | None = None) -> list[ChartImages]:
    """Each figure as the briefing places it (ChartImages: the print PNG, the PDF's SVG, the slide's PNG),
    drawn by `renderer`; images it has drawn or queued already (the month's export) are not drawn again."""
    futures = [renderer.image(figure, kind) for figure in figures for kind in ("png", "svg", SLIDE)]
    drawn = wait_all(futures, progress)
    return [ChartImages(*drawn[3 * index:3 * index + 3]) for index in range(len(figures))]
