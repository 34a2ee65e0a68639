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
"""
from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Iterator

from lib.config import settings
from ui import metrics


class Gate:
    """`slots` runs at once (0: no limit); a run waits at most `wait_s` seconds for a slot."""

    def __init__(self, *, slots: int, wait_s: float) -> None:
        self.slots, self.wait_s = slots, wait_s
        self._free = threading.Semaphore(slots) if slots > 0 else None

    @contextlib.contextmanager
    def slot(self) -> Iterator[bool]:
        """Hold a slot for the body; yields whether one was had (False: the wait ran out, or no limit)."""
        if self._free is None:
            yield False
            return
        held = self._free.acquire(timeout=self.wait_s)
        if not held:
            metrics.ADMISSION_TIMEOUTS.inc()
        try:
            yield held
        finally:
            if held:
                self._free.release()


@functools.cache
def _gate_for(slots: int, wait_ms: int) -> Gate:
    return Gate(slots=max(0, slots), wait_s=max(0, wait_ms) / 1000)


def gate() -> Gate:
    """The process's gate, for the configured limits (one per setting pair: tests change them)."""
    s = settings()
    return _gate_for(int(s.max_concurrent_runs), int(s.admission_wait_ms))


def slot() -> contextlib.AbstractContextManager[bool]:
    """A slot of the process's gate for one page run (ui/page_guard.page_run; bench/floor_app.py)."""
    return gate().slot()
