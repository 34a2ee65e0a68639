"""A websocket connection's writes leave together, not one `send` per message (served processes).

uvicorn's websocket protocol writes each message to its transport as it is sent, and asyncio sends a write at
once (TCP_NODELAY is set, deploy/tcp.py). Streamlit's runtime yields a loop turn after each message it hands
over, so a rerun's 15-35 messages left as 15-35 `send` calls and about as many packets, each waking the
receiver (a browser, nginx, the load client) separately. Wrapped by `coalesce()`, a connection's transport
keeps what is written and sends it, joined and in order, FLUSH_DELAY after the first write it kept (a rerun
then leaves in about three writes). `close()` and `write_eof()` send what is kept first; `abort()` drops it,
as asyncio's own transport does with its buffer. Enabled by serve.py and bench/floor_serve.py, beside
deploy/wakeups.py; AppTest and `streamlit run app.py` keep uvicorn's behaviour.
"""
from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol

_ORIGINAL = WebSocketsSansIOProtocol.connection_made
FLUSH_DELAY = 0.001  # seconds: how long a write may wait for the ones after it


class BatchedTransport:
    """`transport`, its writes kept from the first for FLUSH_DELAY, then sent joined as one write."""

    __slots__ = ("_loop", "_parts", "transport")

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self.transport, self._loop = transport, loop
        self._parts: list[bytes] = []

    def write(self, data: bytes) -> None:
        if not data:
            return
        if not self._parts:
            self._loop.call_later(FLUSH_DELAY, self.flush)
        self._parts.append(bytes(data))

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        if self._parts:
            parts, self._parts = self._parts, []
            self.transport.write(parts[0] if len(parts) == 1 else b"".join(parts))

    def close(self) -> None:
        self.flush()
        self.transport.close()

    def write_eof(self) -> None:
        self.flush()
        self.transport.write_eof()

    def abort(self) -> None:
        self._parts = []
        self.transport.abort()

    def get_write_buffer_size(self) -> int:
        return self.transport.get_write_buffer_size() + sum(map(len, self._parts))

    def __getattr__(self, name: str) -> Any:  # get_extra_info, is_closing, pause_reading, …
        return getattr(self.transport, name)


def _connection_made(self: WebSocketsSansIOProtocol, transport: asyncio.BaseTransport) -> None:
    _ORIGINAL(self, BatchedTransport(transport, asyncio.get_running_loop()))  # type: ignore[arg-type]


def coalesce() -> None:
    """Install in this process (idempotent): websocket connections made from now on batch their writes."""
    WebSocketsSansIOProtocol.connection_made = _connection_made  # type: ignore[method-assign]


def restore() -> None:
    WebSocketsSansIOProtocol.connection_made = _ORIGINAL  # type: ignore[method-assign]


def installed() -> bool:
    return WebSocketsSansIOProtocol.connection_made is _connection_made
