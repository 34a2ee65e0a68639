"""Draw the page again when the browser reconnects to a process that does not hold its session.

Streamlit's frontend, on reconnecting, asks for a run only when the page has a timed fragment (or a run was
under way); otherwise it expects its session to be resumed. When the process that held the session is gone (a
replica killed, an upgrade's restart), the new process makes a fresh session that runs nothing: the page stays
as the lost process drew it, and its download buttons name files only that process held (the first tap after a
failover downloaded nothing). An empty timed fragment on every page makes the frontend ask for a full run,
with its own page, address and widget values, on every reconnect. Its own timer is an hourly no-op run of
the fragment alone."""
from __future__ import annotations

import streamlit as st

INTERVAL_SECONDS = 3600


@st.fragment(run_every=INTERVAL_SECONDS)
def watch() -> None:
    """Call once per run (in the sidebar, so its empty block takes no room in the page)."""
