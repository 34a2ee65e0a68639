"""Shared selection state (community, as-of date) and the big screen's URL settings."""
from __future__ import annotations

import datetime as dt

import streamlit as st

from lib import clock, data_version
from lib.config import settings
from lib.display_links import wall_mode
from lib.queries import communities
from lib.scope import look_back, short_name
from ui.bridge import wall_links
from ui.bridge._cache import cached
from ui.bridge.keys import KEYS


@cached
def _community_names() -> tuple[str, ...]:
    return tuple(communities.community_names())


_names_memo: dict[str | None, tuple[str, ...]] = {}


def community_options() -> list[str]:
    """Community names in display order. Read about ten times a run (every membership check): kept per data
    version in this process, so only the first read of a version goes through the cache's hashing and copying."""
    version = data_version.token()
    names = _names_memo.get(version)
    if names is None:
        names = _community_names()
        _names_memo.clear()
        _names_memo[version] = names
    return list(names)


def known_community(value: object) -> str | None:
    """The one membership check: 「中兴」/「中兴社区」 → 「中兴」 when it is a known community, else None."""
    short = short_name(value)
    return short if short in community_options() else None


def selected_community() -> str | None:
    return known_community(st.session_state.get(KEYS["community"]))


def set_community(name: str | None) -> None:
    """Change the shared selection (call from callbacks, before the sidebar widget is drawn)."""
    st.session_state[KEYS["community"]] = known_community(name)


def as_of() -> dt.date | None:
    """The sidebar's 回看日期 as every page queries it (lib.scope.look_back: today or later is the latest state)."""
    value = st.session_state.get(KEYS["as_of"])
    return look_back(value if isinstance(value, dt.date) else None, today=clock.today())


def screen_mode() -> bool:
    """The wall display: ?screen=1, or a browser opened with a 大屏链接 (which shows nothing else)."""
    return wall_mode(st.query_params.get("screen"), wall_links.wall_cookie())


def app_settings():
    return settings()


def max_upload_mb() -> int:
    return settings().max_upload_mb


MAX_ROTATE_SECONDS = 3600  # a browser timer overflows above ~24.8 days and then fires at once, again and again


def screen_rotate_seconds() -> int:
    """Carousel interval: `?rotate=N` in the URL, else the configured default (5 s to an hour)."""
    try:
        return min(MAX_ROTATE_SECONDS, max(5, int(st.query_params.get("rotate", settings().screen_rotate_seconds))))
    except (ValueError, OverflowError):
        return settings().screen_rotate_seconds


def screen_paused() -> bool:
    return str(st.query_params.get("pause", "")) in {"1", "true", "yes"}


def screen_view(names) -> str | None:
    """`?view=征迁`: the carousel view to start on, when it is one of `names`."""
    wanted = str(st.query_params.get("view", ""))
    return wanted if wanted in names else None


def ensure_entrypoint(*, in_app: bool = False) -> None:
    """Run every page through app.py.

    Because the repository has a `pages/` folder, Streamlit 1.67 starts a fresh server in its legacy
    multipage mode (v1) and, when the first request is a sub-page URL, runs that page without app.py
    (no filters, no theme, no database check). Switch the process to st.navigation mode; a page that
    was run directly reruns through app.py (app.py itself just carries on into st.navigation).
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        if not in_app:
            st.rerun()
