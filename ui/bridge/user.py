"""The signed-in user of this run and their sessions (lib.sessions; the data layer re-checks permissions on
every write)."""
from __future__ import annotations

import logging

import streamlit as st

from ui.bridge.keys import KEYS


def current_actor():
    """The signed-in `lib.auth.Actor` of this run (see resolve_sign_in), or None for an anonymous viewer."""
    return st.session_state.get(KEYS["actor"])


def signed_in() -> bool:
    """Whether this run's viewer is signed in (staff names are shown to them only): what views kept per viewer
    kind are keyed on (ui/views)."""
    return current_actor() is not None


def sign_in(actor) -> None:
    """Single sign-on only (ui.auth_view.sso_panel); local accounts sign in through a session cookie."""
    st.session_state[KEYS["actor"]] = actor


def sign_out() -> None:
    st.session_state.pop(KEYS["actor"], None)


def can_edit() -> bool:
    actor = current_actor()
    return actor is not None and actor.can_edit


def is_admin() -> bool:
    actor = current_actor()
    return actor is not None and actor.is_admin


def cookie(name: str) -> str | None:
    """The browser's cookie `name` (st.context.cookies), or None."""
    try:
        value = st.context.cookies.get(name)
    except Exception:  # noqa: BLE001 - no browser context (bare script run)
        return None
    return value if isinstance(value, str) and value else None  # (AppTest's client is a mock)


def resolve_sign_in() -> None:
    """Once per run (app.py): who is signed in, decided by lib.sessions from the session cookie.

    Without a cookie the session keeps the actor single sign-on put there (sign_in), if any. AppTest cannot
    send cookies; tests put a session's cookie value in st.session_state[KEYS["token"]].
    """
    from lib.sessions import COOKIE, resolve

    value = cookie(COOKIE) or st.session_state.get(KEYS["token"])
    try:
        resolved = resolve(value)
        actor, state = resolved.actor, resolved.state
    except Exception:  # noqa: BLE001 - runs before the page-run wrapper: never a traceback; app.py reports the database
        # The check could not be made: whoever was signed in stays so until it can (nobody signed out; a 网格员's
        # page and form stay drawn). Every write re-checks the stored account in its own transaction (lib.auth).
        logging.getLogger("guangwu.ui").exception("sign-in check failed")
        st.session_state[KEYS["signin_state"]] = "unavailable"
        return
    if state != "none":  # a browser with a session cookie: exactly what lib.sessions says, on every run
        st.session_state[KEYS["actor"]] = actor
    st.session_state[KEYS["signin_state"]] = state


def my_sessions():
    """The signed-in user's open sessions (lib.sessions.open_sessions), this browser first."""
    from lib.sessions import COOKIE, open_sessions

    return open_sessions(cookie(COOKIE) or st.session_state.get(KEYS["token"]))


def sign_in_state() -> str:
    """none / ok / expired / ended / unavailable (lib.sessions.Resolved.state) for this run."""
    return st.session_state.get(KEYS["signin_state"], "none")
