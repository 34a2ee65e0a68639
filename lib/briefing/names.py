"""File names of the briefing material: 光武街道-<scope>-简报-<YYYY-MM-DD>.<ext>."""
from __future__ import annotations

import datetime as dt

from lib.briefing.model import SUBDISTRICT


def file_name(community: str | None, day: dt.date, ext: str) -> str:
    scope = f"{community}社区" if community else "全街道"
    return f"{SUBDISTRICT}-{scope}-简报-{day:%Y-%m-%d}.{ext.lstrip('.')}"
