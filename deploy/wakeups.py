"""One event-loop wakeup for a burst of a session's messages, not two per message (served processes).

Streamlit 1.67 hands every message a script run produces to the server's event loop with
`loop.call_soon_threadsafe` (AppSession._call_soon_on_event_loop), and the loop, having queued it for the
browser, wakes itself again the same way (Runtime._enqueued_some_message). Each call writes a byte to the
loop's self-pipe: two system calls and two loop turns per message, ~36 messages a run on the overview.
Profiled, these writes were a tenth of the server's busy time.

`coalesce()` keeps a session's callbacks in one first-in-first-out queue: the first callback of a burst
schedules one drain, later ones only join the queue; the drain runs them in order (one failing callback is
reported to the loop's exception handler, as asyncio does, and the rest still run). The loop thread's own
"messages are waiting" signal sets the event directly. Order within a session, and so the browser's view,
is unchanged. Enabled by serve.py and bench/floor_serve.py (both served entries, so the benchmarks' ratios
compare the apps' own work); AppTest and `streamlit run app.py` keep Streamlit's behaviour.
"""
from __future__ import annotations

import asyncio
import threading
from collections import deque
from collections.abc import Callable
from typing import Any

from streamlit.runtime.app_session import AppSession
from streamlit.runtime.runtime import Runtime

_ORIGINAL = {"call": AppSession._call_soon_on_event_loop, "enqueued": Runtime._enqueued_some_message}


class _Pending:
    """A session's callbacks waiting for the event loop, and whether a drain is already scheduled."""

    __slots__ = ("callbacks", "lock", "scheduled")

    def __init__(self) -> None:
        self.callbacks: deque[Callable[[], None]] = deque()
        self.lock = threading.Lock()
        self.scheduled = False

    def drain(self, loop: asyncio.AbstractEventLoop) -> None:
        while True:
            with self.lock:
                if not self.callbacks:
                    self.scheduled = False
                    return
                batch = list(self.callbacks)
                self.callbacks.clear()
            for callback in batch:
                try:
                    callback()
                except Exception as exc:  # noqa: BLE001 - as asyncio does for a failing callback
                    loop.call_exception_handler({"message": "Exception in a session callback", "exception": exc})


def _call_soon_on_event_loop(self: AppSession, callback: Callable[[], None]) -> None:
    pending: _Pending = self.__dict__.get("_gw_pending") or self.__dict__.setdefault("_gw_pending", _Pending())
    with pending.lock:
        pending.callbacks.append(callback)
        if pending.scheduled:
            return
        pending.scheduled = True
    loop = self._event_loop
    try:
        loop.call_soon_threadsafe(pending.drain, loop)
    except RuntimeError:  # the loop is closed (shutdown): drop, as Streamlit does
        with pending.lock:
            pending.callbacks.clear()
            pending.scheduled = False
        if not loop.is_closed():
            raise


def _enqueued_some_message(self: Runtime) -> None:
    objs: Any = self._get_async_objs()
    try:
        on_loop = asyncio.get_running_loop() is objs.eventloop
    except RuntimeError:  # a thread without a running loop
        on_loop = False
    if on_loop:
        objs.need_send_data.set()
    else:
        objs.eventloop.call_soon_threadsafe(objs.need_send_data.set)


def coalesce() -> None:
    """Install both changes in this process (idempotent)."""
    AppSession._call_soon_on_event_loop = _call_soon_on_event_loop  # type: ignore[method-assign]
    Runtime._enqueued_some_message = _enqueued_some_message  # type: ignore[method-assign]


def restore() -> None:
    """Streamlit's own behaviour again (tests)."""
    AppSession._call_soon_on_event_loop = _ORIGINAL["call"]  # type: ignore[method-assign]
    Runtime._enqueued_some_message = _ORIGINAL["enqueued"]  # type: ignore[method-assign]


def installed() -> bool:
    return AppSession._call_soon_on_event_loop is _call_soon_on_event_loop
