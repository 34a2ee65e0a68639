"""Single sign-on (optional): map an identity confirmed by the OIDC provider to a local account.

Used only when `.streamlit/secrets.toml` has an `[auth]` section (Streamlit's `st.login`). The
provider proves who the person is; roles and communities still come from the local `app_user`
table, so an administrator must first create an account whose username is the person's e-mail
address (or the provider's `preferred_username`). There is no automatic account creation.
"""
from __future__ import annotations

from sqlalchemy import Engine, select

from lib import audit
from lib.auth import Actor
from lib.db import session_scope
from lib.models import Community, User


def actor_for_identity(identities: list[str | None], *, engine: Engine | None = None) -> Actor | None:
    """The Actor of the first active local account whose username equals one of `identities`, else None.

    Every attempt leaves an audit row (login with method oidc, or login_failed).
    """
    names = [str(i).strip()[:64] for i in identities if i and str(i).strip()]
    with session_scope(engine) as s:
        for name in names:
            user = s.scalar(select(User).where(User.username == name))
            if user is not None and user.active:
                community = None if user.community_id is None else s.scalar(
                    select(Community.name).where(Community.id == user.community_id))
                audit.record(s, user.username, "login", "app_user", user.username, user.community_id, None,
                             {"method": "oidc"})
                return Actor(user.username, user.display_name, user.role, community)
        who = names[0] if names else "(空)"
        audit.record(s, who, "login_failed", "app_user", who, None, None, {"method": "oidc", "reason": "no_user"})
        return None
