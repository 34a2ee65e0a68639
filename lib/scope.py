"""The selection scope (one community or the whole subdistrict, on a date) and THE as-of rule.

The as-of rule, written once here and used by every query (and the write side's "what holds now"):
a history row holds on date D when its date (`valid_from`, or `day` for daily figures) is <= D;
per key the row with the greatest date holds, ties broken by the newest `recorded_at`, then the
greatest id (history is append-only: a correction is a newer record). No date = the latest state.
`holds_on` is the filter, `newest_first` the order; the fast paths (a window rank, a correlated
seek, PostgreSQL's DISTINCT ON) are built from these two and nothing else.

What holds before the article: see `standing` in lib/figures.py and README's data-model paragraph.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from lib import clock
from lib.errors import NotFound

SUBDISTRICT = "光武街道"
FAR_FUTURE = dt.date(9999, 12, 31)
_SUFFIX = "社区"


def short_name(name: object) -> str | None:
    """「中兴社区」, 「中兴」, 「 中兴 」 → 「中兴」; blank or 全街道/光武街道 → None (the whole subdistrict)."""
    if name is None:
        return None
    text = str(name).strip()
    if not text or text in {"全街道", SUBDISTRICT}:
        return None
    return text.removesuffix(_SUFFIX) or text


def full_name(short: str) -> str:
    """「中兴」 → 「中兴社区」 (the one place the suffix is added)."""
    return f"{short}{_SUFFIX}"


def look_back(day: dt.date | None, *, today: dt.date) -> dt.date | None:
    """The 回看日期 a viewer's scope uses: a date before `today`, or None (the latest state) for no date and for
    today or later — no record is dated after today, and a count must not be dated on a day still to come."""
    return day if day is not None and day < today else None


def bound(as_of: dt.date | None) -> dt.date:
    """The date the rule compares with: `as_of`, or far future for the latest state."""
    return as_of or FAR_FUTURE


def holds_on(date_col, as_of: dt.date | None):
    """SQL condition: the row's date is on or before `as_of` (the first half of the rule)."""
    return date_col <= bound(as_of)


def newest_first(model, date_col: str = "valid_from") -> list:
    """SQL order: greatest date, then newest record, then greatest id (the second half of the rule)."""
    order = [getattr(model, date_col).desc()]
    if hasattr(model, "recorded_at"):
        order.append(model.recorded_at.desc())
    order.append(model.id.desc())
    return order


def day_end(as_of: dt.date) -> dt.datetime:
    """Timestamps (naive UTC, e.g. a site check's created_at) before this are on or before the China day `as_of`."""
    return clock.day_start_utc(as_of + dt.timedelta(days=1))


@dataclass(frozen=True)
class Scope:
    """What a viewer looks at: `community` (short name, None = 全街道) on `as_of` (None = latest)."""

    community: str | None = None
    as_of: dt.date | None = None

    @classmethod
    def of(cls, community: object = None, as_of: dt.date | None = None, *,
           known: Iterable[str] | None = None) -> Scope:
        """Normalise the name once; with `known`, an unknown community raises NotFound (Chinese)."""
        short = short_name(community)
        if short is not None and known is not None and short not in set(known):
            raise NotFound(f"未找到社区「{community}」。")
        return cls(short, as_of)

    @property
    def label(self) -> str:
        return "全街道" if self.community is None else full_name(self.community)

    @property
    def title(self) -> str:
        """「光武街道」 or 「光武街道 · 中兴社区」 for headings."""
        return SUBDISTRICT if self.community is None else f"{SUBDISTRICT} · {full_name(self.community)}"

    @property
    def bound(self) -> dt.date:
        return bound(self.as_of)

    def file_stem(self, kind: str, day: dt.date) -> str:
        """光武街道-中兴社区-简报-2026-12-05 (a download's name carries scope and date)."""
        parts = [SUBDISTRICT, full_name(self.community) if self.community else "全街道", kind, day.isoformat()]
        return "-".join(parts)
