"""The one clock. Stored timestamps are naive UTC; people see China time (UTC+8, no DST).

Tests freeze time by monkeypatching `now_utc` (everything else derives from it).
"""
from __future__ import annotations

import datetime as dt

CHINA = dt.timezone(dt.timedelta(hours=8), "UTC+8")


def now_utc() -> dt.datetime:
    """Naive UTC, as stored in every recorded_at / created_at / at column."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def now_local() -> dt.datetime:
    """Aware China time, for display."""
    return now_utc().replace(tzinfo=dt.UTC).astimezone(CHINA)


def today() -> dt.date:
    """Today's date in China (the subdistrict's calendar), whatever the server's timezone."""
    return now_local().date()


def to_local(stamp: dt.datetime) -> dt.datetime:
    """A stored naive-UTC timestamp as aware China time."""
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=dt.UTC)
    return stamp.astimezone(CHINA)


def local_day(stamp: dt.datetime) -> dt.date:
    """The China day of a stored naive-UTC timestamp (a check filed 17:30 UTC is on the next day)."""
    return to_local(stamp).date()


def day_start_utc(day: dt.date) -> dt.datetime:
    """The naive-UTC instant a China day begins (2024-03-02 → 2024-03-01 16:00), to compare stored timestamps."""
    return dt.datetime.combine(day, dt.time(), CHINA).astimezone(dt.UTC).replace(tzinfo=None)
