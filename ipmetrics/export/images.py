"""Plotly figures to PNG, SVG and PDF through kaleido and the system Chromium (no browser download).

Starting Chromium costs seconds; one session is kept open for a batch (or for the app's lifetime) and
every export goes through it, about a quarter of a second each.
"""

from __future__ import annotations

import os
import shutil
import struct
import threading
import zlib
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import plotly.graph_objects as go
import plotly.io as pio

from ipmetrics.charts import theme
from ipmetrics.export import kaleido_tabs
from ipmetrics.export.formats import IMAGE_FORMATS

FORMATS = IMAGE_FORMATS
# 756 px at scale 2.5 gives 1890 px: 300 dpi across a 16 cm A4 text column; the export type sizes
# (charts.theme.for_export) keep every text at 9 pt or more there.
WIDTH = theme.EXPORT_WIDTH_PX
SCALE = 2.5
# The PNG says so (its pHYs chunk): without it Word and WPS take 96 dpi and place the picture 50 cm wide.
PRINT_DPI = 300
INSTALL_HINT = ("导出图片需要 Chromium 浏览器和中文字体：在服务器上运行 "
                "sudo apt-get install chromium fonts-noto-cjk（或项目的 scripts/setup.sh）后重启看板。")

# Offline machine: never reach for MathJax or plotly.js on a CDN.
pio.defaults.mathjax = None
pio.defaults.headers = {}  # with a kaleido server running, extra options only raise a warning

_lock = threading.RLock()
_session_open = False


class ExportUnavailable(RuntimeError):
    """No Chromium to render with; the message says in Chinese what to install."""


def browser_path() -> str | None:
    """The Chromium kaleido will drive: $BROWSER_PATH, else Debian's chromium on the PATH."""
    for candidate in (os.environ.get("BROWSER_PATH"), shutil.which("chromium"), shutil.which("chromium-browser"),
                      shutil.which("google-chrome")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def available() -> bool:
    return browser_path() is not None


def _require_browser() -> None:
    path = browser_path()
    if path is None:
        raise ExportUnavailable(INSTALL_HINT)
    os.environ.setdefault("BROWSER_PATH", path)


def open_session() -> None:
    """Start the shared Chromium once; later calls do nothing."""
    global _session_open
    import kaleido

    with _lock:
        if not _session_open:
            _require_browser()
            kaleido_tabs.install()  # tabs kept warm between images; the briefing's PDF printed in one
            kaleido.start_sync_server(n=TABS, mathjax=False, silence_warnings=True,
                                      browser_cls=kaleido_tabs.lean_chromium())
            _session_open = True


def close_session() -> None:
    global _session_open
    import kaleido

    with _lock:
        if _session_open:
            kaleido.stop_sync_server(silence_warnings=True)
            _session_open = False


# Sessions nest, also across threads (a batch drawing on a thread of its own inside the monthly run's
# session): the outermost one closes the browser after, if it was the one to start it.
_depth = 0
_owner = False  # the outermost session started the browser (one opened outside sessions is kept)
_depth_lock = threading.Lock()


@contextmanager
def session(warm_up: bool = False) -> Iterator[None]:
    """One Chromium for everything exported inside the block (closed after, unless it was open before it).

    With `warm_up` the browser starts in the background (about 3 s) while the block goes on with other
    work, e.g. freezing the month; the first image waits for it (open_session holds the lock meanwhile),
    and a browser that fails to start is reported then, by that image's own open_session."""
    global _depth, _owner
    with _depth_lock:
        if _depth == 0:
            _owner = not _session_open
        _depth += 1
    starter = None
    try:
        if warm_up:
            starter = threading.Thread(target=_open_quietly, name="chromium-warm-up", daemon=True)
            starter.start()
        else:
            open_session()
        yield
    finally:
        if starter is not None:
            starter.join()
        with _depth_lock:
            _depth -= 1
            close = _depth == 0 and _owner
        if close:
            close_session()


def _open_quietly() -> None:
    try:
        open_session()
    except Exception:  # noqa: BLE001 — the first image opens the session again and says what is wrong
        pass


def render(figure: go.Figure, fmt: str, width: int = WIDTH, scale: float = SCALE) -> bytes:
    """One figure as PNG (at `scale`), SVG or PDF bytes, in the export type sizes, at the figure's own
    height grown by the room those need."""
    if fmt not in FORMATS:
        raise ValueError(f"不支持的格式 {fmt}（可选：{'、'.join(FORMATS)}）")
    _require_browser()
    exported = theme.export_dict(figure)  # made from a validated figure: plotly need not validate it again
    height = exported["layout"]["height"]
    with _lock:  # one page of the shared browser at a time (Streamlit downloads run on threads)
        content = pio.to_image(exported, format=fmt, width=width, height=height, scale=scale if fmt == "png" else 1,
                               validate=False)
    return with_print_resolution(content) if fmt == "png" else content


def render_for_slide(figure: go.Figure, width_pt: float, height_pt: float, dpi: int = PRINT_DPI) -> bytes:
    """A PNG of the figure drawn for a slide box `width_pt` × `height_pt` (charts.theme.for_slide: text at
    14 pt or more once placed at that size), at `dpi` over the box."""
    _require_browser()
    width_px, height_px = theme.slide_layout_px(width_pt, height_pt)
    scale = dpi / 72 * theme.SLIDE_PT_PER_PX  # px a layout px at `dpi` over the box
    with _lock:
        content = pio.to_image(theme.slide_dict(figure, width_px, height_px), format="png", width=width_px,
                               height=height_px, scale=scale, validate=False)
    return with_print_resolution(content, dpi)


def with_print_resolution(png: bytes, dpi: int = PRINT_DPI) -> bytes:
    """The PNG stamped with its print resolution (its pHYs chunk spliced in, see with_png_dpi)."""
    return with_png_dpi(png, dpi)


# Tabs of the shared Chromium: render_batch keeps them all busy (two cores: a third tab only queues).
TABS = 2


def lock() -> threading.RLock:
    """The shared browser's lock, for a batch that drives kaleido itself (render_batch)."""
    return _lock


def with_png_dpi(png: bytes, dpi: int = PRINT_DPI) -> bytes:
    """The PNG with a pHYs chunk (pixels per metre) after its header, any older one dropped: the same bytes
    Pillow would write for dpi=, without decoding and re-compressing the picture (0.2 s for a chart)."""
    signature, header_end = png[:8], 8 + 8 + 13 + 4  # IHDR: length, type, 13 bytes of data, CRC
    if signature != b"\x89PNG\r\n\x1a\n" or png[12:16] != b"IHDR":
        raise ValueError("不是 PNG 图片")
    per_metre = round(dpi / 0.0254)
    body = b"pHYs" + struct.pack(">IIB", per_metre, per_metre, 1)  # 1: the unit is the metre
    chunk = struct.pack(">I", 9) + body + struct.pack(">I", zlib.crc32(body))
    rest, position = bytearray(), header_end
    while position < len(png):  # copy every later chunk but an old pHYs
        length = struct.unpack(">I", png[position:position + 4])[0]
        end = position + 12 + length
        if png[position + 4:position + 8] != b"pHYs":
            rest += png[position:end]
        position = end
    return png[:header_end] + chunk + bytes(rest)
