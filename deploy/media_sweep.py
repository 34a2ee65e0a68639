"""Streamlit's sweep for orphaned media files at most once every SWEEP_INTERVAL_S per process, not after every run
(served processes).

Streamlit 1.67 calls `MediaFileManager.remove_orphaned_files` after every script run and when a session ends. Each
call builds the set of every file and download callable of every session the process holds, then subtracts every
session's references: work that grows with the sessions on the replica, paid by every run — O(sessions) a run,
O(sessions²) a second. Each dashboard page holds a few download buttons (the briefing PNG and PDF, ledgers), so a
replica near its capacity pays it on every run (README, 性能: 第十四次会话).

`throttle()` lets a sweep through at most once every SWEEP_INTERVAL_S; calls in between return at once, and the next
sweep removes everything orphaned by then, so nothing accumulates under load. Streamlit marks a download no run
references at one sweep and deletes it at the next: a replaced download stays fetchable at least one interval
(never shorter than before). A process that serves no run after its last session ends keeps that session's files
until its next run. Enabled by serve.py and bench/floor_serve.py; AppTest and `streamlit run app.py` keep
Streamlit's behaviour.
"""
from __future__ import annotations

import threading
import time

from streamlit.runtime.media_file_manager import MediaFileManager

SWEEP_INTERVAL_S = 1.0
_ORIGINAL = MediaFileManager.remove_orphaned_files
_LOCK = threading.Lock()


def _remove_orphaned_files(self: MediaFileManager) -> None:
    now = time.monotonic()
    with _LOCK:
        if now < self.__dict__.get("_gw_next_sweep", 0.0):
            return
        self.__dict__["_gw_next_sweep"] = now + SWEEP_INTERVAL_S
    _ORIGINAL(self)


def throttle() -> None:
    """Install in this process (idempotent)."""
    MediaFileManager.remove_orphaned_files = _remove_orphaned_files  # type: ignore[method-assign]


def restore() -> None:
    """Streamlit's own behaviour again (tests)."""
    MediaFileManager.remove_orphaned_files = _ORIGINAL  # type: ignore[method-assign]


def installed() -> bool:
    return MediaFileManager.remove_orphaned_files is _remove_orphaned_files
