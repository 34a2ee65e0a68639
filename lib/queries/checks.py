"""On-site checks (现场核查): lists per community, open items, map points."""
from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine, case, func, select

from lib.db import get_engine
from lib.account_models import User
from lib.models import CheckStatus, Community, Photo, SiteCheck, SiteCheckUpdate, Source
from lib.queries.common import fix_bools, frame, source_columns
from lib.scope import day_end


def _first_photo():
    return select(func.min(Photo.id)).where(Photo.check_id == SiteCheck.id).correlate(SiteCheck).scalar_subquery()


# The one 未办结 rule: a column of every check (the list's filter) and the open_only filter.
OPEN = SiteCheck.status != CheckStatus.CLOSED.value


def _status_by():
    """Who set the check's current status in its newest progress update (display name); NULL when none."""
    u = SiteCheckUpdate
    return (select(func.coalesce(User.display_name, u.recorded_by)).select_from(u)
            .outerjoin(User, User.username == u.recorded_by)
            .where(u.check_id == SiteCheck.id).order_by(u.recorded_at.desc(), u.id.desc()).limit(1)
            .correlate(SiteCheck).scalar_subquery())


# Whether a check's current status was entered by staff (an update): the check's source is then not its own alone.
UPDATED = select(SiteCheckUpdate.id).where(SiteCheckUpdate.check_id == SiteCheck.id).correlate(SiteCheck).exists()


def site_checks(*, community: str | None = None, open_only: bool = False, as_of: dt.date | None = None,
                engine: Engine | None = None) -> pd.DataFrame:
    stmt = (select(SiteCheck.id, Community.name.label("community"), SiteCheck.category, SiteCheck.finding,
                   SiteCheck.status, SiteCheck.lon, SiteCheck.lat, SiteCheck.due_on, SiteCheck.created_at,
                   SiteCheck.created_by, _first_photo().label("photo_id"), OPEN.label("is_open"),
                   _status_by().label("status_by"),
                   *source_columns())
            .join(Community, Community.id == SiteCheck.community_id)
            .join(Source, Source.id == SiteCheck.source_id)
            .order_by(SiteCheck.created_at.desc(), SiteCheck.id.desc()))
    if as_of:
        stmt = stmt.where(SiteCheck.created_at < day_end(as_of))
    if community:
        stmt = stmt.where(Community.name == community)
    if open_only:
        stmt = stmt.where(OPEN)
    return fix_bools(frame(stmt, engine), "is_demo", "is_open")


def my_open_checks(username: str, *, today: dt.date, engine: Engine | None = None) -> pd.DataFrame:
    """「我的核查」: the checks `username` filed that are not closed, overdue first (oldest deadline first),
    then those with a deadline (soonest first), then the rest (newest first). `overdue` and `photo_id`
    (the first photo, or None) are columns."""
    photo = _first_photo()
    overdue = case((SiteCheck.due_on < today, 0), (SiteCheck.due_on.is_not(None), 1), else_=2)
    stmt = (select(SiteCheck.id, Community.name.label("community"), SiteCheck.category, SiteCheck.finding,
                   SiteCheck.status, SiteCheck.due_on, SiteCheck.created_at, photo.label("photo_id"))
            .join(Community, Community.id == SiteCheck.community_id)
            .where(SiteCheck.created_by == username, OPEN)
            .order_by(overdue, SiteCheck.due_on, SiteCheck.created_at.desc(), SiteCheck.id.desc()))
    df = frame(stmt, engine)
    df["overdue"] = df["due_on"].map(lambda d: d is not None and not pd.isna(d) and d < today).astype(bool)
    df["photo_id"] = df["photo_id"].astype("object").where(df["photo_id"].notna(), None)
    return df


def filed_count(username: str, *, engine: Engine | None = None) -> int:
    """How many checks `username` has filed, closed ones included (「我的核查」 tells 「没有登记过」 from 「都已办结」)."""
    with (engine or get_engine()).connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(SiteCheck).where(SiteCheck.created_by == username)))


def photo_bytes(photo_id: int, *, engine: Engine | None = None) -> tuple[str, bytes] | None:
    """(mime, bytes) of a stored check photo, or None."""
    with (engine or get_engine()).connect() as conn:
        row = conn.execute(select(Photo.mime, Photo.data).where(Photo.id == photo_id)).first()
    return (row.mime, bytes(row.data)) if row else None


def photo_thumbnail(photo_id: int, *, px: int = 160, engine: Engine | None = None) -> str | None:
    """A stored photo as a small JPEG data URL (longest side `px`) for lists, or None if it is gone/unreadable."""
    import base64
    import io

    from PIL import Image, UnidentifiedImageError

    found = photo_bytes(photo_id, engine=engine)
    if found is None:
        return None
    try:
        with Image.open(io.BytesIO(found[1])) as img:
            img.thumbnail((px, px))
            buf = io.BytesIO()
            img.convert("RGB").save(buf, "JPEG", quality=75)
    except (UnidentifiedImageError, OSError, ValueError):
        return None
    return "data:image/jpeg;base64," + base64.b64encode(buf.getvalue()).decode("ascii")
