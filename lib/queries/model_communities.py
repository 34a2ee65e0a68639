"""示范社区: status history per community."""
from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine, select

from lib.models import Community, ModelCommunityStatus, ModelStatus, Source
from lib.queries.common import fix_bools, frame, latest_rows, source_columns

STATUS_ORDER = [ModelStatus.NAMED.value, ModelStatus.PILOT.value, ModelStatus.ACTIVE.value, ModelStatus.NOT_YET.value]


def model_status(*, community: str | None = None, as_of: dt.date | None = None,
                 engine: Engine | None = None) -> pd.DataFrame:
    """Each community's 示范社区 status on `as_of`, with the date it took effect and its source."""
    ids = latest_rows(ModelCommunityStatus, [ModelCommunityStatus.community_id], as_of)
    stmt = (
        select(Community.name.label("community"), Community.side, ModelCommunityStatus.status,
               ModelCommunityStatus.valid_from, ModelCommunityStatus.note, *source_columns())
        .join(Community, Community.id == ModelCommunityStatus.community_id)
        .join(Source, Source.id == ModelCommunityStatus.source_id)
        .where(ModelCommunityStatus.id.in_(ids))
        .order_by(Community.sort_order)
    )
    if community:
        stmt = stmt.where(Community.name == community)
    return fix_bools(frame(stmt, engine), "is_demo")


def model_history(*, community: str | None = None, engine: Engine | None = None) -> pd.DataFrame:
    stmt = (
        select(Community.name.label("community"), ModelCommunityStatus.status, ModelCommunityStatus.valid_from,
               ModelCommunityStatus.note, ModelCommunityStatus.recorded_by, ModelCommunityStatus.recorded_at,
               *source_columns())
        .join(Community, Community.id == ModelCommunityStatus.community_id)
        .join(Source, Source.id == ModelCommunityStatus.source_id)
        .order_by(ModelCommunityStatus.valid_from, Community.sort_order, ModelCommunityStatus.id)
    )
    if community:
        stmt = stmt.where(Community.name == community)
    return fix_bools(frame(stmt, engine), "is_demo")
