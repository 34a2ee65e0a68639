"""Shared pieces of the query layer: as-of selection, source columns, engine plumbing."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Engine, Select, func, select
from sqlalchemy.orm import InstrumentedAttribute, aliased

from lib.db import get_engine
from lib.models import Source, SourceKind
from lib.scope import holds_on, newest_first

def latest_rows(model, keys: Sequence[InstrumentedAttribute], as_of: dt.date | None,
                *, date_col: str = "valid_from", where: Sequence = ()) -> Select:
    """Ids of the rows that hold on `as_of` (lib.scope's rule), per key, ranked in one window.

    `where` narrows the rows ranked (e.g. one facility) so the window does not sort the whole table.
    Returns a Select of the model's id column (`rid`) to join on; works on SQLite and PostgreSQL.
    """
    rank = func.row_number().over(partition_by=list(keys), order_by=newest_first(model, date_col)).label("rnk")
    inner = select(model.id.label("rid"), rank).where(holds_on(getattr(model, date_col), as_of), *where).subquery()
    return select(inner.c.rid).where(inner.c.rnk == 1)


def holding_id(model, parent_col_name: str, parent_id, as_of: dt.date | None, *, date_col: str = "valid_from"):
    """Correlated scalar subquery: per parent row (e.g. each household), the id of its `model` row that
    holds on `as_of` (the same rule, as one index seek per parent: ix_household_event_latest), instead
    of ranking the whole table as `latest_rows` does. The caller's FROM must contain `parent_id`'s table."""
    inner = aliased(model)
    return (select(inner.id).where(getattr(inner, parent_col_name) == parent_id,
                                   holds_on(getattr(inner, date_col), as_of))
            .order_by(*newest_first(inner, date_col)).limit(1).correlate(parent_id.table).scalar_subquery())


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
        Source.publisher.label("source_publisher"),
        (Source.kind == SourceKind.DEMO.value).label("is_demo"),
    ]


def fix_bools(df: pd.DataFrame, *cols: str) -> pd.DataFrame:
    for c in cols:
        if c in df:
            df[c] = df[c].astype(bool)
    return df
