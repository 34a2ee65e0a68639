"""lib.days.as_day: the one rule that turns a stored or computed value into a date (or None when blank)."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from lib.days import as_day

D = dt.date(2024, 3, 5)


@pytest.mark.parametrize(("value", "expected"), [
    (None, None),
    (pd.NA, None),
    (pd.NaT, None),
    (float("nan"), None),
    (np.nan, None),
    (np.datetime64("NaT"), None),
    ("", None),
    ("  ", None),
    (D, D),
    (dt.datetime(2024, 3, 5, 23, 59, 59), D),
    (dt.datetime(2024, 3, 5, 1, 0, tzinfo=dt.timezone.utc), D),
    (pd.Timestamp("2024-03-05 14:05"), D),
    (np.datetime64("2024-03-05"), D),
    ("2024-03-05", D),                     # SQLite: a Date column
    ("2024-03-05 14:05:00.123456", D),     # SQLite: min()/max() of a DateTime column
    ("2024-03-05T14:05:00+08:00", D),
])
def test_as_day(value, expected):
    got = as_day(value)
    assert got == expected
    assert got is None or type(got) is dt.date


@pytest.mark.parametrize("value", ["2024年3月5日", "not a date", "2024-13-01"])
def test_not_a_date_raises(value):
    with pytest.raises(ValueError):
        as_day(value)
