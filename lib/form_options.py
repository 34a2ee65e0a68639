"""Choices and small rules the staff forms show (pure: no streamlit, no database).

The writes in `lib.writes` validate everything again; these only decide what a form offers.
"""
from __future__ import annotations

from lib.demo import CHECK_CATEGORIES as _DEMO_CATEGORIES
from lib.models import HOUSEHOLD_LADDER
from lib.writes.checks import CHECK_STATUSES
from lib.writes.community import MODEL_STATUSES, STAR_STATUSES, STARS, SUBDISTRICT

__all__ = [
    "CHECK_CATEGORIES",
    "CHECK_STATUSES",
    "HOUSEHOLD_LADDER",
    "MODEL_STATUSES",
    "PICK_SPACING_M",
    "STARS",
    "STAR_STATUSES",
    "SUBDISTRICT",
    "next_household_step",
]

CHECK_CATEGORIES = [*_DEMO_CATEGORIES, "其他"]
PICK_SPACING_M = 60.0  # spacing of the candidate points when a site check's location is picked on the map


def next_household_step(current: str | None) -> str | None:
    """The one status a relocation household may be moved to next (None: the ladder is complete).

    The ladder 未签约 → 已签约 → 已交钥匙 → 已拆除 is climbed one rung at a time (lib.writes.progress).
    A household with no record starts at 未签约.
    """
    if current is None:
        return HOUSEHOLD_LADDER[0]
    if current not in HOUSEHOLD_LADDER:
        raise ValueError(f"unknown household status {current!r}")
    i = HOUSEHOLD_LADDER.index(current)
    return HOUSEHOLD_LADDER[i + 1] if i + 1 < len(HOUSEHOLD_LADDER) else None
