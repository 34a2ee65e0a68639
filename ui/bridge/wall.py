"""The wall's views: 养老 and 示范 content (lib.wall_content), which views to rotate (lib.wall_views), and 征迁
against its deadline (lib.relocation_plan), issue #14."""
from __future__ import annotations

import datetime as dt

from lib import relocation_plan as _plan
from lib import wall_content as _wall_content
from lib import wall_views as _wall_views
from lib.errors import DashboardError
from ui.bridge import _cache, user
from ui.bridge._cache import cached

wall_care_circle = cached(_wall_content.care_circle)
wall_model_map = cached(_wall_content.model_map)
wall_has_care = cached(_wall_content.has_care)
wall_has_model = cached(_wall_content.has_model)

unsigned_by_group = cached(_plan.unsigned_by_group)
daily_target = _plan.daily_target
countdown = _plan.countdown
counted_from = _plan.counted_from
DEADLINE_FIELD = _plan.DEADLINE.field


@cached
def _wall_views_for(names: tuple[str, ...], community: str | None, as_of: dt.date | None) -> list[str]:
    return _wall_views.shown(names, community=community, as_of=as_of)


def wall_views(names, *, community: str | None, as_of: dt.date | None) -> list[str]:
    """The big-screen views to rotate for the scope: `names` without those with nothing for it (lib.wall_views)."""
    return _wall_views_for(tuple(names), community, as_of)


@cached
def _deadline():
    return _plan.deadline()


def relocation_deadline():
    """「征迁截止日期」: entered (录入 · who · when; names for signed-in viewers only) or the 示例 date."""
    d = _deadline()
    return _plan.Deadline(d.day, d.figure.for_viewer(user.current_actor() is not None))


def can_set_deadline() -> bool:
    actor = user.current_actor()
    return actor is not None and _plan.date_settings.may_set(_plan.DEADLINE, actor.role)


def set_relocation_deadline(day) -> tuple[str | None, str | None]:
    """(message, error): the lib checks the permission and audits the change."""
    try:
        return _plan.set_deadline(user.current_actor(), day).message, None
    except DashboardError as exc:
        return None, exc.message
    finally:
        _cache.clear_caches()
