"""Access, single sign-on and user management (pages/account.py, pages/users.py, ui/auth_view.py).

lib.auth checks `by` (the signed-in administrator) on every user-management call."""
from __future__ import annotations

import streamlit as st

from lib import auth, sso
from lib.queries import accounts
from lib.errors import PermissionDenied
from ui import peer
from ui.bridge import user

ROLES = list(auth.ROLES)
STAFF_ROLE = auth.Role.STAFF.value
MIN_PASSWORD = auth.MIN_PASSWORD


def view_allowed() -> bool:
    """May this session see the dashboards? (REQUIRE_LOGIN_TO_VIEW; app.py asks on every route, big screen
    included.) Hook for signed 大屏链接 (display links): grant viewing here when the session holds a valid one."""
    try:
        auth.require(user.current_actor(), "view")
    except PermissionDenied:
        return False
    return True


def client_address() -> str | None:
    """The client's IP address for the sign-in lockout (ui.peer.lockout_client). Streamlit reports a localhost
    peer as None: that is a reverse proxy on this host (deploy/), whose headers name the client."""
    ip = st.context.ip_address
    headers = st.context.headers

    def header(name: str) -> str:
        value = headers.get(name)
        return value if isinstance(value, str) else ""

    return peer.lockout_client(ip if isinstance(ip, str) and ip else "127.0.0.1", header)


def sso_actor(identities: list[str | None]):
    """The local account for a single-sign-on identity (lib.sso), or None; raises DashboardError."""
    return sso.actor_for_identity(identities)


def create_user(username: str, password: str, *, submission_key: str, **kw):
    """A new account from the 新建账号 form: NewAccount(actor, repeated) (a double-click creates one account)."""
    return auth.create_account(username, password, by=user.current_actor(), submission_key=submission_key, **kw)


def update_user(username: str, **kw):
    return auth.update_user(username, by=user.current_actor(), **kw)


def set_password(username: str, password: str) -> None:
    auth.set_password(username, password, by=user.current_actor())


def deactivate_user(username: str) -> None:
    auth.deactivate(username, by=user.current_actor())


list_users = accounts.list_users
