"""Many figures in several formats through the shared Chromium at once: kaleido's several tabs, each
figure serialised once, each image rendered once (the briefing then reuses the month's PNGs).

One image at a time the browser waits on Python between images and Python waits on the browser; handed
a batch, kaleido keeps `images.TABS` tabs busy while the next figures are serialised.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Callable, Sequence

import plotly.graph_objects as go

from ipmetrics.charts import theme
from ipmetrics.export import images

TABS = images.TABS
# Images handed to kaleido per call: large enough to keep every tab busy, small enough that the
# progress bar moves every second or two.
CHUNK = 3 * TABS

Progress = Callable[[int, int], None]  # (images done, images in all)
Rendered = dict[tuple[int, str], bytes]  # (figure's index, format) -> image bytes


def _spec(exported: dict, fmt: str, path: Path) -> dict:
    """What kaleido needs to write one image of a figure already in the export sizes (theme.for_export, as
    images.render draws it: its own grown height, the layout's width)."""
    height = exported["layout"]["height"]
    return {"fig": exported, "path": path,
            "opts": {"format": fmt, "width": images.WIDTH, "height": height,
                     "scale": images.SCALE if fmt == "png" else 1}}


def write_all(jobs: Sequence[tuple[go.Figure | dict, str, Path]], progress: Progress | None = None) -> None:
    """Write every (figure, format, path) through the shared browser's tabs; PNGs get their print resolution.
    A figure appearing in several jobs is serialised once."""
    for fmt in {fmt for _, fmt, _ in jobs}:
        if fmt not in images.FORMATS:
            raise ValueError(f"不支持的格式 {fmt}（可选：{'、'.join(images.FORMATS)}）")
    as_dicts: dict[int, dict] = {}
    specs = []
    for figure, fmt, path in jobs:
        if id(figure) not in as_dicts:  # the export type sizes, as images.render applies them
            as_dicts[id(figure)] = theme.for_export(figure).to_dict()
        specs.append(_spec(as_dicts[id(figure)], fmt, Path(path)))
    _write_specs(specs, progress)


def _write_specs(specs: list[dict], progress: Progress | None = None, dpi: int = images.PRINT_DPI) -> None:
    """kaleido's specs written in chunks through the shared browser's tabs; PNGs stamped with `dpi`."""
    import kaleido

    with images.session():
        for start in range(0, len(specs), CHUNK):
            chunk = specs[start:start + CHUNK]
            with images.lock():  # the browser's tabs belong to this batch until the chunk is written
                kaleido.write_fig_from_object_sync(chunk, cancel_on_error=True)
            for spec in chunk:
                if spec["opts"]["format"] == "png":
                    spec["path"].write_bytes(images.with_png_dpi(spec["path"].read_bytes(), dpi))
            if progress:
                progress(min(start + CHUNK, len(specs)), len(specs))


# A projector shows a 16:9 slide about 1,920 px wide: 150 dpi over the chart box (about 8 inches) is
# 1,200 px, sharp there, and a quarter of the pixels of print's 300 dpi to render.
SLIDE_DPI = 150


def render_for_slides(figures: Sequence[go.Figure], width_pt: float, height_pt: float,
                      dpi: int = SLIDE_DPI) -> list[bytes]:
    """Each figure as a PNG drawn for a slide box `width_pt` × `height_pt` (charts.theme.for_slide: text at
    14 pt or more once placed there), at `dpi` over the box; one batch through the shared browser."""
    width_px, height_px = theme.slide_layout_px(width_pt, height_pt)
    scale = dpi / 72 * theme.SLIDE_PT_PER_PX  # image px per layout px, for `dpi` over the box
    with tempfile.TemporaryDirectory(prefix="ipmetrics-slides-") as tmp:
        specs = [{"fig": theme.for_slide(figure, width_px, height_px).to_dict(), "path": Path(tmp) / f"{index}.png",
                  "opts": {"format": "png", "width": width_px, "height": height_px, "scale": scale}}
                 for index, figure in enumerate(figures)]
        _write_specs(specs, dpi=dpi)
        return [spec["path"].read_bytes() for spec in specs]


def render_all(figures: Sequence[go.Figure], formats: Sequence[str] = ("png",),
               progress: Progress | None = None) -> Rendered:
    """Every figure in every format, as bytes keyed by (the figure's index, format)."""
    with tempfile.TemporaryDirectory(prefix="ipmetrics-render-") as tmp:
        jobs = [(figure, fmt, Path(tmp) / f"{index}.{fmt}") for index, figure in enumerate(figures)
                for fmt in formats]
        write_all(jobs, progress)
        return {(index, fmt): path.read_bytes() for (figure, fmt, path), index
                in zip(jobs, (i for i in range(len(figures)) for _ in formats))}


class PngCache:
    """A render function for the briefing that hands back PNGs already made for the same figure objects
    and renders (once) only those it has not seen."""

    def __init__(self, render: Callable[[go.Figure], bytes] | None = None):
        self._by_figure: dict[int, tuple[go.Figure, bytes]] = {}
        self._render = render or (lambda figure: images.render(figure, "png"))
        self.rendered = 0  # figures this cache had to render itself

    def add(self, figure: go.Figure, png: bytes) -> None:
        self._by_figure[id(figure)] = (figure, png)  # the figure is kept so its id is never reused

    def __call__(self, figure: go.Figure) -> bytes:
        if id(figure) not in self._by_figure:
            self.rendered += 1
            self.add(figure, self._render(figure))
        return self._by_figure[id(figure)][1]
