"""Page runs of this process take turns: at most MAX_CONCURRENT_RUNS execute at once, the others wait (first come,
first served) for at most ADMISSION_WAIT_MS and then run anyway.

Streamlit runs each session's script in a thread of its own, and Python executes one thread at a time. Under load
the runs used to share the interpreter in 5 ms slices: each took several times its own length, the event loop
(which reads requests and sends finished runs) waited for the interpreter behind all of them, and past its
capacity a replica's throughput fell (its core 72–75 % busy, rerun p95 3 s) where it should have queued. Taken in
turn, a run finishes in its own few milliseconds and the loop competes with one thread (README, 性能: figure 7).

The wait is bounded so that one long run — a ledger being checked (UPLOAD_READ_SECONDS), a database that stopped
answering (DB_STATEMENT_TIMEOUT_SECONDS) — cannot hold every other session of the replica: after the wait a run
goes ahead beside it, and /metrics counts it (`guangwu_admission_timeouts_total`).

A deferred run — the page of a browser that came from a lost process, drawn again (ui/reconnect.py) — is on screen
already, as the lost process drew it. After a failover hundreds of them arrive within a quarter second (Streamlit's
frontend reconnects 250–500 ms after the loss); taken first come, first served they held the survivor's own sessions
(bench/failover.py; README, 性能: 第十四次会话). So a deferred run takes a slot only while no other run waits, for at
most REDRAW_WAIT_MS; then it waits its turn as any run does.
"""
from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Iterator

from lib.config import settings
from ui import metrics


class Gate:
    """`slots` runs at once (0: no limit); a run waits at most `wait_s` seconds for a slot, a deferred run first
    waits up to `defer_s` seconds for a moment when no other run waits."""

    def __init__(self, *, slots: int, wait_s: float, defer_s: float = 0.0) -> None:
        self.slots, self.wait_s, self.defer_s = slots, wait_s, defer_s
        lock = threading.Lock()
        self._turn = threading.Condition(lock)  # runs waiting their turn, first come, first served
        self._after = threading.Condition(lock)  # deferred runs, waiting for nobody else to wait
        self._free, self._waiting = slots, 0

    @contextlib.contextmanager
    def slot(self, *, deferred: bool = False) -> Iterator[bool]:
        """Hold a slot for the body; yields whether one was had (False: the wait ran out, or no limit)."""
        if self.slots <= 0:
            yield False
            return
        held = self._acquire(deferred=deferred)
        if not held:
            metrics.ADMISSION_TIMEOUTS.inc()
        try:
            yield held
        finally:
            if held:
                with self._turn:
                    self._free += 1
                    self._wake()

    def _acquire(self, *, deferred: bool) -> bool:
        with self._turn:
            if deferred and self._after.wait_for(lambda: self._free > 0 and not self._waiting, self.defer_s):
                self._free -= 1
                return True
            self._waiting += 1
            try:
                held = self._turn.wait_for(lambda: self._free > 0, self.wait_s)
            finally:
                self._waiting -= 1
            if held:
                self._free -= 1
            self._wake()  # a slot still free, or the last waiter gone: the next in line may go
            return held

    def _wake(self) -> None:
        """With the lock held: let one waiter check for a free slot, runs waiting their turn first."""
        if self._free > 0:
            (self._turn if self._waiting else self._after).notify()


@functools.cache
def _gate_for(slots: int, wait_ms: int, redraw_wait_ms: int) -> Gate:
    return Gate(slots=max(0, slots), wait_s=max(0, wait_ms) / 1000, defer_s=max(0, redraw_wait_ms) / 1000)


def gate() -> Gate:
    """The process's gate, for the configured limits (one per setting triple: tests change them)."""
    s = settings()
    return _gate_for(int(s.max_concurrent_runs), int(s.admission_wait_ms), int(s.redraw_wait_ms))


def slot(*, deferred: bool = False) -> contextlib.AbstractContextManager[bool]:
    """A slot of the process's gate for one page run (ui/page_guard.page_run; bench/floor_app.py); `deferred` for
    the redraw of a page that came from another process (ui/reconnect.moved_here)."""
    return gate().slot(deferred=deferred)
