"""Shared pieces of the query layer: as-of selection, source columns, engine plumbing."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Engine, Select, func, select
from sqlalchemy.orm import InstrumentedAttribute, aliased

from lib.db import get_engine
from lib.errors import NotFound
from lib.models import Community, Source, SourceKind

FAR_FUTURE = dt.date(9999, 12, 31)


def as_of_date(as_of: dt.date | None) -> dt.date:
    return as_of or FAR_FUTURE


def latest_rows(model, keys: Sequence[InstrumentedAttribute], as_of: dt.date | None,
                *, date_col: str = "valid_from", where: Sequence = ()) -> Select:
    """Rows that hold on `as_of`: per key, the greatest date <= as_of, then the newest record.

    `where` narrows the rows ranked (e.g. one facility) so the window does not sort the whole table.
    Returns a Select of the model's id column (`rid`) to join on; works on SQLite and PostgreSQL.
    """
    date = getattr(model, date_col)
    order = [date.desc()]
    if hasattr(model, "recorded_at"):
        order.append(model.recorded_at.desc())
    order.append(model.id.desc())
    rank = func.row_number().over(partition_by=list(keys), order_by=order).label("rnk")
    inner = select(model.id.label("rid"), rank).where(date <= as_of_date(as_of), *where).subquery()
    return select(inner.c.rid).where(inner.c.rnk == 1)


def holding_id(model, parent_col_name: str, parent_id, as_of: dt.date | None, *, date_col: str = "valid_from"):
    """Correlated scalar subquery: per parent row (e.g. each household), the id of its `model` row that
    holds on `as_of` — greatest date <= as_of, then the newest record. One index seek per parent
    (ix_household_event_latest), instead of ranking the whole table as `latest_rows` does; for "one row
    per parent" queries over large tables. The caller's FROM must contain `parent_id`'s table."""
    inner = aliased(model)
    date = getattr(inner, date_col)
    order = [date.desc(), *([inner.recorded_at.desc()] if hasattr(model, "recorded_at") else []), inner.id.desc()]
    return (select(inner.id).where(getattr(inner, parent_col_name) == parent_id, date <= as_of_date(as_of))
            .order_by(*order).limit(1).correlate(parent_id.table).scalar_subquery())


def frame(stmt: Select, engine: Engine | None = None) -> pd.DataFrame:
    engine = engine or get_engine()
    with engine.connect() as conn:
        result = conn.execute(stmt)
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def source_columns() -> list:
    """Columns every fact-bearing result carries."""
    return [
        Source.kind.label("source_kind"),
        Source.title.label("source_title"),
        (Source.kind == SourceKind.DEMO.value).label("is_demo"),
    ]


def community_id(name: str | None, engine: Engine | None = None) -> int | None:
    if name is None:
        return None
    engine = engine or get_engine()
    with engine.connect() as conn:
        cid = conn.scalar(select(Community.id).where(Community.name == name))
    if cid is None:
        raise NotFound(f"未找到社区「{name}」。")
    return cid


def fix_bools(df: pd.DataFrame, *cols: str) -> pd.DataFrame:
    for c in cols:
        if c in df:
            df[c] = df[c].astype(bool)
    return df
