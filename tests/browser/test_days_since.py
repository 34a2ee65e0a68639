"""browser_helpers.days_since: the dates a server on the real clock may write during a browser test. Not a browser
test itself (no mark): it runs with the fast suite. A test that read today's date once, at import, failed when CI
crossed midnight in China (16:00 UTC) while the server wrote the new day."""
from __future__ import annotations

import datetime as dt

import pytest
from browser_helpers import days_since

from lib import clock

D = dt.date(2026, 12, 6)


@pytest.mark.parametrize(("utc_now", "expected"), [
    (dt.datetime(2026, 12, 6, 3, 0), [D]),  # 11:00 in China, same day
    (dt.datetime(2026, 12, 6, 15, 59, 59), [D]),  # 23:59:59 in China
    (dt.datetime(2026, 12, 6, 16, 0), [D, D + dt.timedelta(days=1)]),  # midnight in China: both days
    (dt.datetime(2026, 12, 7, 17, 0), [D, D + dt.timedelta(days=1), D + dt.timedelta(days=2)]),
])
def test_days_since_names_every_china_day_up_to_now(monkeypatch, utc_now, expected):
    monkeypatch.setattr(clock, "now_utc", lambda: utc_now)
    assert days_since(D) == expected
