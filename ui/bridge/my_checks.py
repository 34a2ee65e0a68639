"""Tablets: 「我的核查」, a 网格员's own open checks, and the checks lists' photo thumbnails."""
from __future__ import annotations

from urllib.parse import quote

from lib.clock import to_local, today
from lib.fmt import cn_datetime
from lib.queries import checks
from ui.bridge._cache import cached


def my_open_checks(username: str):
    """The signed-in 网格员's own open checks, overdue first (lib.queries.checks.my_open_checks), uncached:
    a check filed or closed a moment ago must show at once. `created` is the China-time text."""
    df = checks.my_open_checks(username, today=today())
    return df.assign(created=[cn_datetime(t) for t in (to_local(t) for t in df["created_at"])])


def my_filed_count(username: str) -> int:
    """How many checks this 网格员 has filed, closed ones included (uncached, as the list above)."""
    return checks.filed_count(username)


check_thumbnail = cached(checks.photo_thumbnail)
# A list cell without a photo: a grey 「无照片」 tile (an empty image cell would read "None").
NO_PHOTO = "data:image/svg+xml;charset=utf-8," + quote(
    '<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96"><rect width="96" height="96" rx="10" '
    'fill="#3a3f4b"/><text x="48" y="58" font-size="26" text-anchor="middle" fill="#c9ccd3">无照片</text></svg>')


def check_thumbnails(photo_ids) -> list[str]:
    """The list's photo column: each check's first photo as a small data URL, or NO_PHOTO."""
    out = []
    for p in photo_ids:
        shot = check_thumbnail(int(p)) if p is not None and p == p else None
        out.append(shot or NO_PHOTO)
    return out
