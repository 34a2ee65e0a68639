"""Input coercion for every write path: forms pass typed values or the text people typed, ledgers pass cell values.
Each function names the field in its Chinese message (ValidationError) and returns the clean value."""
from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from typing import Any

from lib.errors import ValidationError
from lib.fmt import cn_date
from lib.numparse import ParsedNumber, parse_number
from lib.text import clean, printable, refused
from lib.values import blank  # the one blank rule (ledgers and write modules import it from here)


def as_text(value: Any, fieldname: str, *, max_len: int, required: bool = True) -> str | None:
    text = None if blank(value) else clean(str(value))  # the one text rule (lib.text)
    if not text:
        if required:
            raise ValidationError(f"「{fieldname}」：不能为空")
        return None
    if refused(text):
        raise ValidationError(f"「{fieldname}」：含有不可见的控制字符（如 NUL），请删除后重新填写")
    if len(text) > max_len:
        raise ValidationError(f"「{fieldname}」：过长（最多{max_len}个字）")
    return text


def as_choice(value: Any, fieldname: str, choices: list[str]) -> str:
    text = as_text(value, fieldname, max_len=40)
    squeezed = re.sub(r"\s+", "", text)
    if squeezed not in choices:
        raise ValidationError(f"「{fieldname}」：“{text}”无效，应为{'、'.join(choices)}之一")
    return squeezed


PERCENT_UNITS = ("%", "％")


def as_number(value: Any, fieldname: str, *, integer: bool = False, minimum: float | None = 0,
              maximum: float | None = None, unit: str | None = None, exact: bool = False,
              why: str = "") -> ParsedNumber:
    """A number in [minimum, maximum] (the message states the bound; `why` says where it comes from).
    `exact`: the field stores no qualifier, so 「约50」「50多」 are refused rather than stored as 50."""
    parsed = parse_number(value, field=fieldname, unit=unit, integer=integer)
    shown = printable(parsed.text or str(parsed.value))
    if exact and parsed.qualifier:
        raise ValidationError(f"「{fieldname}」：“{shown}”是约数（{parsed.qualifier}），这里只能填写确切的数，"
                              f"如 {parsed.value:g}")
    if exact and parsed.percent:
        raise ValidationError(f"「{fieldname}」：“{shown}”是百分数，这里应填写{fieldname}本身")
    if parsed.percent and unit is not None and unit.strip() not in PERCENT_UNITS:  # 77% stored as 77 人
        raise ValidationError(f"「{fieldname}」：“{shown}”是百分数，单位却是“{unit}”（百分比请把单位填为“%”）")
    if minimum is not None and parsed.value < minimum:
        raise ValidationError(f"「{fieldname}」：“{shown}”不能小于{bound_text(minimum)}{why}")
    if maximum is not None and parsed.value > maximum:
        raise ValidationError(f"「{fieldname}」：“{shown}”不能大于{bound_text(maximum)}{why}")
    return parsed


def bound_text(x: float) -> str:
    """A bound as people write it: 300, 2000, 200万, 1亿, 0.5."""
    for size, word in ((1e8, "亿"), (1e4, "万")):
        if abs(x) >= size * 10 or (abs(x) >= size and x % size == 0):
            return f"{x / size:g}{word}"
    return f"{x:g}"


_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


def as_date(value: Any, fieldname: str, *, today: dt.date | None = None, default: dt.date | None = None) -> dt.date:
    """A date from a date, datetime or text (2023-11-22, 2023/11/22, 2023.11.22, 2023年11月22日);
    with `today`, dates after today are rejected."""
    if blank(value):
        if default is None:
            raise ValidationError(f"「{fieldname}」：不能为空")
        value = default
    if isinstance(value, dt.datetime):
        when = value.date()
    elif isinstance(value, dt.date):
        when = value
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip()
        text = re.sub(r"\s+", "", text)
        text = re.sub(r"T?00:00(:00)?$", "", text)
        m = _DATE.match(text)
        try:
            if not m:
                raise ValueError
            when = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            raise ValidationError(f"「{fieldname}」：“{value}”不是有效日期，请写成 2024-01-05") from None
    if today is not None and when > today:
        raise ValidationError(f"「{fieldname}」：{cn_date(when)} 晚于今天（{cn_date(today)}），不能录入未来日期")
    if when.year < 1990:
        raise ValidationError(f"「{fieldname}」：{cn_date(when)} 过早，请检查年份")
    return when


def same_number(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)
