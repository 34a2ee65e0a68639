"""Alerts, the last briefing date (上次汇报日期) and the briefing pack (汇报材料, issue #14)."""
from __future__ import annotations

import datetime as dt

from lib import alerts as _alerts
from lib import briefing_date as _briefing
from lib.errors import DashboardError
from ui.bridge import _cache, user
from ui.bridge._cache import cached


@cached
def alerts(*, community: str | None, as_of: dt.date | None) -> list:
    return _alerts.alerts(community=community, as_of=as_of)


@cached
def last_briefing_date() -> dt.date | None:
    return _briefing.last_briefing_date()


@cached
def key_figure_changes(*, community: str | None, as_of: dt.date | None, on: dt.date | None) -> list:
    return _briefing.key_figure_changes(community=community, as_of=as_of, on=on)


def can_set_briefing_date() -> bool:
    actor = user.current_actor()
    return actor is not None and actor.role in _briefing.ALLOWED


def set_last_briefing_date(day) -> tuple[str | None, str | None]:
    """(message, error): the lib checks the permission and audits the change."""
    try:
        return _briefing.set_last_briefing_date(user.current_actor(), day).message, None
    except DashboardError as exc:
        return None, exc.message
    finally:
        _cache.clear_caches()


def _briefing_pack(community: str | None, as_of: dt.date | None, last: dt.date | None,
                   signed_in: bool) -> tuple[bytes, bytes]:
    """(PDF, xlsx) of the scope, built offline from the data layer (lib/briefing), compared with `last`; staff
    names only for a signed-in viewer (lib.privacy)."""
    from ui.briefing_pack import pack_files

    return pack_files(community=community, as_of=as_of, last_briefing=last, signed_in=signed_in)


_briefing_pack_cached = cached(_briefing_pack)  # rebuilt after any write (keyed on the data version)


def briefing_pack(community: str | None, as_of: dt.date | None) -> tuple[bytes, bytes]:
    """The pack compared with the stored 「上次汇报日期」 (part of the cache key: a new date, a new pack), as this
    viewer may read it (signed in or not: part of the key too)."""
    return _briefing_pack_cached(community, as_of, last_briefing_date(), user.current_actor() is not None)
