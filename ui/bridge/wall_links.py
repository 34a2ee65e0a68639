"""Wall-screen links (大屏链接, lib.display_links): the browser's link, and their management by administrators."""
from __future__ import annotations

from ui.bridge import user


def wall_cookie() -> str | None:
    from lib.display_links import COOKIE

    return user.cookie(COOKIE)


def wall_name() -> str | None:
    """The name of the 大屏链接 this browser was opened with, while it is valid; None otherwise. A database that
    cannot answer raises DatabaseUnavailable: not a revoked link (the wall's placeholder retries by itself)."""
    from lib import display_links
    from lib.errors import DashboardError, DatabaseUnavailable

    try:
        return display_links.check(wall_cookie())
    except DatabaseUnavailable:
        raise
    except DashboardError:
        return None


def create_display_link(name: str, days: int, *, submission_key: str):
    """A new 大屏链接 by the signed-in administrator: NewLink(path, name, repeated); a repeat of one submission
    (a double-click) stores nothing and gives the same path again."""
    from lib.display_links import create_once

    return create_once(name, days=days, by=user.current_actor(), submission_key=submission_key)


def revoke_display_link(link_id: int) -> bool:
    from lib.display_links import revoke

    return revoke(link_id, by=user.current_actor())


def display_links_table():
    """lib.display_links.list_links(): id, name, state, created/expires/last used (naive UTC), creator."""
    from lib.display_links import list_links

    return list_links()


def wall_revoked() -> bool:
    """This browser was opened with a 大屏链接 that is no longer valid (checked on each carousel turn); False while
    the database cannot say (the turn's own views show the wall's placeholder)."""
    from lib.errors import DatabaseUnavailable

    try:
        return wall_cookie() is not None and wall_name() is None
    except DatabaseUnavailable:
        return False
