"""The 现场核查 page's list per scope, kept per data version (ui/kept.py): the counts by status, whether any row
is demo data, and the table as shown (photo thumbnails first) as an Arrow table, so a rerun converts nothing."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pyarrow as pa

from ui import arrow_bytes, bridge
from ui.kept import kept

STATUSES = ("待整改", "整改中", "已办结")


@dataclass(frozen=True)
class ChecksList:
    empty: str  # said instead of the list when there is nothing in it ("" otherwise)
    demo: str  # what of the list is demo data: 「核查记录」 (all of it), 「部分核查记录」 (some), or ""
    counts: tuple[tuple[str, str], ...] = ()  # (status, 「n项」) for each of STATUSES: every check in the scope
    table: pa.Table | None = None


def _build(community: str | None, as_of: dt.date | None, open_only: bool, signed_in: bool) -> ChecksList:
    # the cards count every check in the scope; the filter narrows the list only (「已办结 0项」 under 只看未办结
    # hid the 10 done)
    table, df = bridge.site_check_table(bridge.Scope.of(community, as_of), open_only=False, signed_in=signed_in)
    if df.empty:
        return ChecksList("暂无核查记录。", "")
    counts = df["status"].value_counts()
    counted = tuple((s, f"{int(counts.get(s, 0))}项") for s in STATUSES)
    if open_only:  # lib's 未办结 flag (lib.queries.checks.OPEN)
        df, table = df[df["is_open"].to_numpy()], table[df["is_open"].to_numpy()]
    table = table.copy()
    if df.empty:
        return ChecksList("没有未办结的核查事项。", "", counted)
    table.insert(0, "照片", bridge.check_thumbnails(df["photo_id"]))
    demo = "核查记录" if df["is_demo"].all() else "部分核查记录" if df["is_demo"].any() else ""
    return ChecksList("", demo, counted, arrow_bytes.table(table))


_kept = kept(_build, ttl=bridge.TTL_SECONDS)


def checks_list(community: str | None, as_of: dt.date | None, *, open_only: bool) -> ChecksList:
    """The list as this viewer may see it (phone numbers and staff names for signed-in viewers only)."""
    return _kept(community, as_of, open_only, bridge.signed_in())
