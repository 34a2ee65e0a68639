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


BLANKS = [None, "", "  ", "\u3000", float("nan"), pd.NA, pd.NaT]
VALUES = ["0", 0, 0.0, "x", dt.date(2023, 9, 23), dt.datetime(2023, 9, 23, 8), pd.Timestamp("2023-09-23"), [None]]


@pytest.mark.parametrize("value", BLANKS, ids=repr)
def test_one_blank_rule_for_forms_figures_and_days(value):
    from lib.figures import from_row
    from lib.values import blank
    from lib.writes.fields import as_text

    assert blank(value)
    assert as_text(value, "备注", max_len=10, required=False) is None  # not the text "NaT" or "<NA>"
    assert from_row({"value": value, "quote": value, "recorded_at": value, "valid_from": "2023-09-23",
                     "source_kind": "article"}, label="x").citation is None


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_values_are_not_blank(value):
    from lib.values import blank

    assert not blank(value)
