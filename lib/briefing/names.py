"""File names of the briefing material: 光武街道-<scope>-简报-<YYYY-MM-DD>.<ext> (the rule is Scope.file_stem)."""
from __future__ import annotations

import datetime as dt

from lib.scope import Scope


def file_name(community: str | None, day: dt.date, ext: str) -> str:
    return f"{Scope(community).file_stem('简报', day)}.{ext.lstrip('.')}"
