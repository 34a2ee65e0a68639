"""Draw the page again when the browser reconnects to a process that does not hold its session.

Streamlit's frontend, on reconnecting, asks for a run only when the page has a timed fragment (or a run was
under way); otherwise it expects its session to be resumed. When the process that held the session is gone (a
replica killed, an upgrade's restart), the new process makes a fresh session that runs nothing: the page stays
as the lost process drew it, and its download buttons name files only that process held (the first tap after a
failover downloaded nothing). An empty timed fragment on every page makes the frontend ask for a full run,
with its own page, address and widget values, on every reconnect. Its own timer is an hourly no-op run of
the fragment alone.

That redraw is the first run of a session the new process made for a browser it never served. The page is on
screen already, and after a failover a hundred such runs arrive at once: `moved_here` tells the page run, so it
waits behind the runs people are waiting for (ui/admission.py)."""
from __future__ import annotations

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from ui import metrics

INTERVAL_SECONDS = 3600
CHECKED_KEY = "reconnect.checked"


def moved_here() -> bool:
    """Whether this run is the first of a session made for a browser that asked to resume a session this process
    does not hold. The browser names the session it held in its websocket request (the third entry of
    Sec-WebSocket-Protocol, as Streamlit's frontend sends it); a resumed session keeps that id, a new tab names
    none. Counted for /metrics (`guangwu_reconnect_redraws_total`)."""
    if st.session_state.get(CHECKED_KEY):
        return False
    st.session_state[CHECKED_KEY] = True
    entries = [part.strip() for part in (st.context.headers.get("Sec-WebSocket-Protocol") or "").split(",")]
    asked = entries[2] if len(entries) >= 3 else ""
    ctx = get_script_run_ctx()
    moved = bool(asked) and ctx is not None and asked != ctx.session_id
    if moved:
        metrics.REDRAWS.inc()
    return moved


@st.fragment(run_every=INTERVAL_SECONDS)
def watch() -> None:
    """Call once per run (in the sidebar, so its empty block takes no room in the page)."""
