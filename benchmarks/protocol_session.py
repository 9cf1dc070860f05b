"""A Streamlit session without a browser: it speaks the app's WebSocket protocol directly.

The server cannot tell it from a browser tab: it opens /_stcore/stream with the "streamlit"
subprotocol, asks for script runs the way the frontend does (a BackMsg rerun_script carrying the
page, the query string and the client's context), and receives the same ForwardMsgs: every
element, chart and table of the page is computed, serialised and sent. What it skips is the
browser's own work, drawing the page, which on a real intranet happens on each viewer's computer,
not on the server. A load test on one small machine needs that split: twenty Chromium tabs would
otherwise take most of the CPU the server is meant to be measured on.

Each run ends when the server reports the script finished; the session keeps what a test needs to
check the page: exceptions, alerts, headings and metrics, read off the deltas.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

FINISHED = ForwardMsg.ScriptFinishedStatus  # the enum of script_finished
SUCCESS = {FINISHED.Value("FINISHED_SUCCESSFULLY")}
# A run cut short by the next rerun request, or a fragment's end: the page's run goes on.
NOT_OVER = {FINISHED.Value("FINISHED_EARLY_FOR_RERUN"), FINISHED.Value("FINISHED_FRAGMENT_RUN_SUCCESSFULLY")}


class ProtocolError(RuntimeError):
    """The server closed the connection or sent something a browser would not accept."""


@dataclass
class PageRun:
    """What one script run put on the page."""
    seconds: float = 0.0
    status: int | None = None
    exceptions: list[str] = field(default_factory=list)
    alerts: list[str] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)
    metrics: dict[str, str] = field(default_factory=dict)
    elements: int = 0
    bytes_received: int = 0

    @property
    def succeeded(self) -> bool:
        return self.status in SUCCESS


def _read_element(run: PageRun, element) -> None:
    kind = element.WhichOneof("type")
    run.elements += 1
    if kind == "exception":
        run.exceptions.append(f"{element.exception.type}: {element.exception.message}"[:300])
    elif kind == "alert":
        run.alerts.append(element.alert.body[:300])
    elif kind == "heading":
        run.headings.append(element.heading.body)
    elif kind == "metric":
        run.metrics[element.metric.label.strip()] = element.metric.body.strip()


class ProtocolSession:
    """One viewer's session on a Streamlit server at `base` (http://host:port)."""

    def __init__(self, base: str, *, locale: str = "zh-CN", timezone: str = "Asia/Shanghai"):
        self.base = base.rstrip("/")
        self.locale, self.timezone = locale, timezone
        self._socket = None

    async def __aenter__(self) -> "ProtocolSession":
        stream = "ws" + self.base[len("http"):] + "/_stcore/stream"
        # No size limit: a page's table or chart can be a message of several megabytes.
        self._socket = await websockets.connect(stream, subprotocols=["streamlit"], max_size=None,
                                                open_timeout=60, ping_interval=None)
        return self

    async def __aexit__(self, *exc) -> None:
        await self._socket.close()

    async def open(self, path: str, query: str = "", timeout: float = 60.0) -> PageRun:
        """Run the page at `path` ("/" or "/meeting") with `query` ("as_of=…&region=…"), as a click
        on a link to it would, and wait until the run is over; raises TimeoutError after `timeout`."""
        message = BackMsg()
        state = message.rerun_script
        state.query_string = query
        state.page_name = path.strip("/")
        state.context_info.locale = self.locale
        state.context_info.timezone = self.timezone
        state.context_info.url = f"{self.base}{path}" + (f"?{query}" if query else "")
        began = time.monotonic()
        await self._socket.send(message.SerializeToString())
        run = PageRun()
        async with asyncio.timeout(timeout):
            while True:
                try:
                    data = await self._socket.recv()
                except websockets.ConnectionClosed as exc:
                    raise ProtocolError(f"the server closed the connection ({exc})") from exc
                if isinstance(data, str):
                    raise ProtocolError("the server sent a text frame")
                run.bytes_received += len(data)
                forward = ForwardMsg()
                forward.ParseFromString(data)
                kind = forward.WhichOneof("type")
                if kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                    _read_element(run, forward.delta.new_element)
                elif kind == "ref_hash":  # only sent for hashes a client says it holds; this one holds none
                    raise ProtocolError(f"unexpected reference to a cached message {forward.ref_hash}")
                elif kind == "script_finished" and forward.script_finished not in NOT_OVER:
                    run.status = forward.script_finished
                    run.seconds = time.monotonic() - began
                    return run
