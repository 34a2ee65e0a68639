"""Which big-screen views have something to show for a scope (issue #14: no 90 %-empty slide).

    shown(names, *, community=None, as_of=None, engine=None) -> list[str]

The wall rotates through `names` (ui/screen_views.VIEWS) minus the views whose check says the scope has
nothing for them (征迁 in 中兴: no household there; 养老 where there is no care facility; 示范社区 where the
article says nothing of the community's 示范 campaign). A view without a check is always shown; the whole
subdistrict shows every view. To add a rule, put `name: check(community, as_of, engine) -> bool` in CHECKS.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from sqlalchemy import Engine

Check = Callable[[str, dt.date | None, Engine | None], bool]


def _has_households(community: str, as_of: dt.date | None, engine: Engine | None) -> bool:
    from lib.queries.relocation import status_counts
    return sum(status_counts(community=community, as_of=as_of, engine=engine).values()) > 0


def _has_care(community: str, as_of: dt.date | None, engine: Engine | None) -> bool:
    from lib.wall_content import has_care
    return has_care(community, as_of, engine)


def _has_model(community: str, as_of: dt.date | None, engine: Engine | None) -> bool:
    from lib.wall_content import has_model
    return has_model(community, as_of, engine)


CHECKS: dict[str, Check] = {
    "征迁": _has_households,
    "养老": _has_care,  # a community with a care facility (中兴)
    "示范社区": _has_model,  # a community in the 示范 campaign or the L-shaped cluster
}


def shown(names: Iterable[str], *, community: str | None = None, as_of: dt.date | None = None,
          engine: Engine | None = None) -> list[str]:
    """`names` in order, without the views that have nothing for `community` (all of them for the subdistrict)."""
    names = list(names)
    if not community:
        return names
    return [n for n in names if n not in CHECKS or CHECKS[n](community, as_of, engine)]
