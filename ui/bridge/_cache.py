"""The bridge's cache: results kept per argument set and data version (ui/kept.py), and their invalidation."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st

from lib import data_version
from ui.kept import clear_all, kept

F = TypeVar("F", bound=Callable[..., Any])
# Entries are keyed on lib.data_version (a write on any replica changes it), so they may live long.
TTL_SECONDS = 6 * 3600


def cached(fn: F) -> F:
    """Keep a lib query's results per argument set and data version, shared by all sessions (ui/kept.py: a read
    hands out a view that cannot change the kept result); a new version empties the other caches too."""
    return kept(fn, ttl=TTL_SECONDS)  # type: ignore[return-value]


data_version.on_change(st.cache_data.clear)
data_version.on_change(st.cache_resource.clear)  # kept immutable results (the map) are keyed on the version too
data_version.on_change(clear_all)


def clear_caches() -> None:
    """Empty every cache: every `cached` query and kept panel (ui/kept.py's stores and st.cache_resource)."""
    st.cache_data.clear()
    st.cache_resource.clear()
    clear_all()


def data_token() -> str | None:
    """The data version as one string, for caches of immutable results keyed on it (ui/map_view.py)."""
    return data_version.source_token()


@st.fragment(run_every=2)
def rerun_on_new_data() -> None:
    """For pages nobody touches (the wall): a full rerun when the data version changes, so a write on any
    replica shows within about 2 s. Draws nothing; costs one in-memory comparison per tick."""
    version = data_version.current()
    seen = st.session_state.setdefault("data_version.seen", version)
    if version != seen:
        st.session_state["data_version.seen"] = version
        st.rerun(scope="app")
