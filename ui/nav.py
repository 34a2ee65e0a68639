"""st.Page objects built once per process, handed out as fresh copies on every run.

Building an st.Page resolves and stats its script file and validates its icon (about 0.1–1 ms each; app.py
registers up to 17 per run). The built page is kept per argument set; each run gets a shallow copy, because
st.navigation marks the page it returns as runnable on the object itself (`_can_be_called`), and two
sessions running at once must not share that flag.
"""
from __future__ import annotations

import copy
import threading

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

_built: dict[tuple, st.Page] = {}
_lock = threading.Lock()


def page(path: str, **kwargs) -> st.Page:
    """`st.Page(path, **kwargs)`, built once per process; a copy of its own for this run."""
    ctx = get_script_run_ctx()
    home = ctx.pages_manager.main_script_parent if ctx else None  # relative paths resolve against it
    key = (home, str(path), *sorted(kwargs.items()))
    built = _built.get(key)
    if built is None:
        built = st.Page(path, **kwargs)
        with _lock:
            _built.setdefault(key, built)
    return copy.copy(built)
