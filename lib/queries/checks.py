"""On-site checks (现场核查): lists per community, open items, map points."""
from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine, select

from lib.models import CheckStatus, Community, SiteCheck, Source
from lib.queries.common import fix_bools, frame, source_columns
from lib.scope import day_end


def site_checks(*, community: str | None = None, open_only: bool = False, as_of: dt.date | None = None,
                engine: Engine | None = None) -> pd.DataFrame:
    stmt = (select(SiteCheck.id, Community.name.label("community"), SiteCheck.category, SiteCheck.finding,
                   SiteCheck.status, SiteCheck.lon, SiteCheck.lat, SiteCheck.due_on, SiteCheck.created_at,
                   SiteCheck.created_by, *source_columns())
            .join(Community, Community.id == SiteCheck.community_id)
            .join(Source, Source.id == SiteCheck.source_id)
            .order_by(SiteCheck.created_at.desc(), SiteCheck.id.desc()))
    if as_of:
        stmt = stmt.where(SiteCheck.created_at < day_end(as_of))
    if community:
        stmt = stmt.where(Community.name == community)
    if open_only:
        stmt = stmt.where(SiteCheck.status != CheckStatus.CLOSED.value)
    return fix_bools(frame(stmt, engine), "is_demo")
