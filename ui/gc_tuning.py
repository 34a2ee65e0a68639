"""Python's cyclic garbage collector on a long-lived server process.

Every collection of the oldest generation walks every object it tracks, and a warm server holds hundreds of
thousands that never die (the modules of pandas, Altair, pydeck, shapely, SQLAlchemy, Streamlit, and the
kept views). Under load those walks stalled whole runs: one replica at 240 sessions had rerun p95 754 ms
with the server at 67 % of its core. After the process's first complete run, `gc.freeze()` moves what is
alive then out of the collector's sight (it is still freed when its reference count drops; only a cycle
among those objects would stay, a one-off bounded by what the first run held): 240 sessions at
p95 78–116 ms, server CPU 67 → 55 %, one replica's capacity 240 → 320–400 sessions (figure 7, three runs).

Only where the server entry enables it (serve.py, bench/floor_serve.py): AppTest and `streamlit run app.py`
keep the collector as it is.
"""
from __future__ import annotations

import gc
import threading

_lock = threading.Lock()
_state = {"enabled": False, "frozen": False}


def enable() -> None:
    """Called once by the process's ASGI entry."""
    _state["enabled"] = True


def freeze_after_first_run() -> bool:
    """At the end of a run: the first time in an enabled process, collect once and freeze what is left.
    Returns whether this call froze."""
    if not _state["enabled"] or _state["frozen"]:
        return False
    with _lock:
        if _state["frozen"]:
            return False
        gc.collect()
        gc.freeze()
        _state["frozen"] = True
    return True
