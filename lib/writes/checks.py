"""现场核查 forms: file a finding (with an optional photo), then append progress updates."""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import unicodedata
import warnings
from typing import Any

from PIL import Image
from sqlalchemy import Engine, func, select

from lib.auth import Actor
from lib.config import settings
from lib.errors import NotFound, ValidationError
from lib.models import CheckStatus, Community, Photo, SiteCheck, SiteCheckUpdate
from lib.text import printable
from lib.writes.base import Outcome, WriteContext, WriteResult, as_choice, as_date, as_number, as_text, blank, run_write

CHECK_STATUSES = [s.value for s in CheckStatus]
LON_RANGE = (112.48, 112.55)
LAT_RANGE = (32.97, 33.03)
MAX_PIXELS = 40_000_000  # a 40-megapixel phone photo


def photo_mime(data: bytes) -> str | None:
    """The image type by magic bytes: image/jpeg, image/png, image/webp, else None."""
    if data[:3] == b"\xff\xd8\xff":
        return "image/jpeg"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "image/png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def check_photo(data: bytes | None, declared: str | None = None) -> str | None:
    if not data:
        return None
    limit = settings().max_upload_mb
    if len(data) > limit * 1024 * 1024:
        raise ValidationError(f"「照片」：文件 {len(data) / 1024 / 1024:.1f} MB，超过上限 {limit} MB")
    mime = photo_mime(bytes(data[:16]))
    if mime is None:
        raise ValidationError("「照片」：只接受 JPEG、PNG 或 WebP 图片（文件内容不是这三种格式）")
    if declared and declared.lower().replace("jpg", "jpeg") not in (mime, "application/octet-stream"):
        raise ValidationError(f"「照片」：文件声明为 {declared}，实际内容是 {mime}")
    _check_pixels(bytes(data))
    return mime


def _check_pixels(data: bytes) -> None:
    """The image opens, is whole, and is not a decompression bomb (its header is read before any pixel)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as img:
                width, height = img.size
                if width * height > MAX_PIXELS:
                    raise ValidationError(f"「照片」：{width}×{height} 像素，超过上限 {MAX_PIXELS // 1_000_000} 百万像素")
                img.verify()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(f"「照片」：像素过多，超过上限 {MAX_PIXELS // 1_000_000} 百万像素") from None
    except Exception:  # noqa: BLE001 - PIL raises many kinds for a broken file
        raise ValidationError("「照片」：图片文件已损坏或不完整，无法打开，请重新拍照或选择图片") from None


_DEGREES = re.compile(r"[+-]?\d+(\.\d+)?")  # 112.5288 (full-width digits too); no 万, no unit


def _coord(value: Any, fieldname: str, bounds: tuple[float, float], axis: str) -> float:
    v = as_number(value, fieldname, minimum=None, exact=True).value  # 「约33」 is no place to stand
    if isinstance(value, str) and not _DEGREES.fullmatch(re.sub(r"\s+", "", unicodedata.normalize("NFKC", value))):
        raise ValidationError(f"「{fieldname}」：“{printable(value.strip())}”不是十进制的度数，请填写如 112.5288 这样的数")
    if not bounds[0] <= v <= bounds[1]:
        raise ValidationError(f"「{fieldname}」：{v:g} 不在光武街道范围内（{axis} {bounds[0]}–{bounds[1]}°）")
    return round(v, 7)


def plan_site_check(ctx: WriteContext, *, community: Any, category: Any, finding: Any, status: Any, lon: Any,
                    lat: Any, due_on: Any = None, photo: bytes | None = None, photo_mime: str | None = None,
                    client_token: str | None = None) -> Outcome:
    c = ctx.community(community)
    ctx.require(c.name)
    category = as_text(category, "类别", max_len=32)
    finding = as_text(finding, "问题描述", max_len=2000)
    status = as_choice(status or CheckStatus.OPEN.value, "状态", CHECK_STATUSES)
    x = _coord(lon, "经度", LON_RANGE, "东经")
    y = _coord(lat, "纬度", LAT_RANGE, "北纬")
    due = None if blank(due_on) else as_date(due_on, "整改期限")
    mime = check_photo(photo, photo_mime)
    token = as_text(client_token, "提交标识", max_len=64, required=False)
    if token is None:  # the same person submitting the same finding the same day is one check
        basis = "\x1f".join(map(str, (ctx.username, c.id, category, finding, x, y, due, ctx.today,
                                      hashlib.sha1(photo or b"").hexdigest())))
        token = "auto-" + hashlib.sha1(basis.encode()).hexdigest()[:32]
    label = f"{c.name}／{category}／{finding}"  # whole: a success message is never cut
    after = {"community": c.name, "category": category, "finding": finding, "status": status, "lon": x, "lat": y,
             "due_on": due, "client_token": token,
             "photo": None if mime is None else {"mime": mime, "bytes": len(photo)}}
    existing = ctx.s.scalar(select(SiteCheck).where(SiteCheck.client_token == token))
    if existing is not None:
        return Outcome("site_check", str(existing.id), label, existing.community_id, None, after,
                       existing_id=existing.id)
    obj = SiteCheck(community_id=c.id, category=category, finding=finding, status=status, lon=x, lat=y, due_on=due,
                    client_token=token)
    extra = [] if mime is None else [lambda s, check: s.add(Photo(check_id=check.id, mime=mime, data=bytes(photo)))]
    return Outcome("site_check", token, label, c.id, None, after, obj, extra)


def file_site_check(actor: Actor | None, *, community: str, category: str, finding: str,
                    status: str = CheckStatus.OPEN.value, lon: float, lat: float, due_on: dt.date | str | None = None,
                    photo: bytes | None = None, photo_mime: str | None = None, client_token: str | None = None,
                    engine: Engine | None = None, today: dt.date | None = None) -> WriteResult:
    """A new on-site finding. Pass a `client_token` generated when the form is drawn, so a double submit
    stores one check; without one, an identical finding by the same user on the same day is one check."""
    def plan(ctx: WriteContext) -> Outcome:
        return plan_site_check(ctx, community=community, category=category, finding=finding, status=status,
                               lon=lon, lat=lat, due_on=due_on, photo=photo, photo_mime=photo_mime,
                               client_token=client_token)
    return run_write(actor, plan, engine=engine, today=today, submission_key=client_token)


def plan_check_update(ctx: WriteContext, *, check_id: Any, status: Any, note: Any = None) -> Outcome:
    digits = str(check_id).strip()  # ASCII digits only: 「²」 and 「٣」 pass str.isdigit
    number = int(digits) if digits.isascii() and digits.isdigit() else 0
    if 0 < number < 2 ** 63:  # writers of one check take turns: the second plans from the first's update
        ctx.take_turn("site_check", str(number), lambda: ctx.s.scalar(
            select(func.max(SiteCheckUpdate.id)).where(SiteCheckUpdate.check_id == number)))
    check = ctx.s.get(SiteCheck, number, populate_existing=True) if 0 < number < 2 ** 63 else None
    if check is None:
        raise NotFound(f"未找到现场核查记录 #{check_id}")
    cname = ctx.s.scalar(select(Community.name).where(Community.id == check.community_id))
    ctx.require(cname)
    status = as_choice(status, "状态", CHECK_STATUSES)
    note = as_text(note, "办理情况", max_len=2000, required=False)
    label = f"核查 #{check.id}／{status}"
    after = {"check_id": check.id, "status": status, "note": note}
    last = ctx.s.scalar(select(SiteCheckUpdate).where(SiteCheckUpdate.check_id == check.id)
                        .order_by(SiteCheckUpdate.recorded_at.desc(), SiteCheckUpdate.id.desc()).limit(1))
    if status == check.status and (note is None or (last is not None and last.status == status and last.note == note)):
        return Outcome("site_check", str(check.id), label, check.community_id, None, after,
                       existing_id=last.id if last is not None else None)
    before = {"status": check.status}
    obj = SiteCheckUpdate(check_id=check.id, status=status, note=note)

    def set_status(_s, _update) -> None:
        check.status = status

    return Outcome("site_check", str(check.id), label, check.community_id, before, after, obj, [set_status],
                   action="update", basis=last.id if last is not None else None)


def update_site_check(actor: Actor | None, check_id: int, *, status: str, note: str | None = None,
                      engine: Engine | None = None, today: dt.date | None = None,
                      submission_key: str | None = None) -> WriteResult:
    """Append a progress update (状态 + 办理情况) and set the check's current status; a repeat is a no-op."""
    return run_write(actor, lambda ctx: plan_check_update(ctx, check_id=check_id, status=status, note=note),
                     engine=engine, today=today, submission_key=submission_key)
