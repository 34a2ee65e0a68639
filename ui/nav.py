"""st.Page objects built once per process, handed out as fresh copies on every run.

Building an st.Page resolves and stats its script file and validates its icon (about 0.1–1 ms each; app.py
registers up to 17 per run). The built page is kept per argument set; each run gets a shallow copy, because
st.navigation marks the page it returns as runnable on the object itself (`_can_be_called`), and two
sessions running at once must not share that flag.
"""
from __future__ import annotations

import threading

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

_built: dict[tuple, st.Page] = {}
_lock = threading.Lock()


def page(path: str, **kwargs) -> st.Page:
    """`st.Page(path, **kwargs)`, built once per process; a copy of its own for this run."""
    ctx = get_script_run_ctx()
    # relative paths resolve against the main script's folder: its path names it (a Path per call cost more)
    home = ctx.pages_manager.main_script_path if ctx else None
    key = (home, path, *kwargs.items())  # app.py passes its keywords in one order: no sorting needed
    built = _built.get(key)
    if built is None:
        built = st.Page(path, **kwargs)
        with _lock:
            built = _built.setdefault(key, built)
    clone = object.__new__(type(built))  # what copy.copy does, without its protocol lookups (~5x faster)
    clone.__dict__.update(built.__dict__)
    return clone
