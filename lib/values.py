"""One rule for a blank value, wherever a value arrives (a form, a ledger cell, a database row, a pandas frame).

    blank(value) -> bool   # None, pandas NA / NaT / NaN, or text of only spaces
"""
from __future__ import annotations

from typing import Any

import pandas as pd


def blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if not pd.api.types.is_scalar(value):  # a list or an array is a value, never blank as a whole
        return False
    try:
        return bool(pd.isna(value))  # NA, NaT (a datetime too), NaN
    except (TypeError, ValueError):
        return False
