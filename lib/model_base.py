"""The declarative base and the write clock every model shares (lib/models.py, lib/account_models.py)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import DeclarativeBase

from lib import clock


def utcnow() -> dt.datetime:
    return clock.now_utc()


class Base(DeclarativeBase):
    pass
