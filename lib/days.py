"""One rule for turning a value into a date: what the database, pandas or a caller hands over for a day.

    as_day(value) -> date | None

Blank (None, pandas NA / NaT / NaN, empty text) gives None; a datetime (pandas Timestamp too) its date; a date
itself; anything else its ISO text's first ten characters (SQLite returns dates, and min()/max() of dates and
datetimes, as text), so that text which is not an ISO date raises ValueError.
"""
from __future__ import annotations

import datetime as dt

from lib.values import blank


def as_day(value) -> dt.date | None:
    if blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])
