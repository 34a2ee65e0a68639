"""The accounts as the 用户管理 page lists them (no password hashes)."""
from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, select

from lib.models import Community, User
from lib.queries.common import frame


def list_users(*, engine: Engine | None = None) -> pd.DataFrame:
    """username, display_name, role, community, active, created_at (no hashes)."""
    stmt = (select(User.username, User.display_name, User.role, Community.name.label("community"), User.active,
                   User.created_at).outerjoin(Community, Community.id == User.community_id).order_by(User.id))
    df = frame(stmt, engine)
    df["active"] = df["active"].astype(bool)
    return df
