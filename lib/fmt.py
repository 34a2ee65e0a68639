"""Chinese display formatting: 万/亿 for large numbers, dates as 2023年9月23日, times as 2023年9月23日 14:05."""
from __future__ import annotations

import datetime as dt
import math

from lib import clock

_UNIT_SCALE_SKIP = {"%", "岁", "张", "名"}


def _trim(x: float, digits: int) -> str:
    text = f"{x:.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def cn_number(value: float | int | None, *, digits: int = 2) -> str:
    """49600 -> 4.96万, 3e9 -> 30亿, 3847 -> 3847, 0.45 -> 0.45."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    v = float(value)
    sign = "-" if v < 0 else ""
    v = abs(v)
    if v >= 1e8:
        return f"{sign}{_trim(v / 1e8, digits)}亿"
    if v >= 1e4:
        return f"{sign}{_trim(v / 1e4, digits)}万"
    if v == int(v):
        return f"{sign}{int(v)}"
    return f"{sign}{_trim(v, digits)}"


def format_value(value: float | None, unit: str = "", qualifier: str = "") -> str:
    """6100, 平方米, 余 -> 6100余平方米; 100000, 人, 超过 -> 超过10万人; 77, % -> 77%; 10, 天, 内 -> 10天内."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "暂无数据"
    number = cn_number(value) if unit not in _UNIT_SCALE_SKIP else _trim(float(value), 2)
    if qualifier == "超过":
        return f"超过{number}{unit}"
    if qualifier == "约":
        return f"约{number}{unit}"
    if qualifier == "内":  # 「10天内完成了78户涉迁户的工作」: at most
        return f"{number}{unit}内"
    if qualifier and number[-1] in "万亿":
        return f"{number[:-1]}{qualifier}{number[-1]}{unit}"  # 800余万元, as the article writes it
    return f"{number}{qualifier}{unit}"


def cn_date(value: dt.date | dt.datetime | None, *, precision: str = "day") -> str:
    if value is None:
        return "—"
    if precision == "month":
        return f"{value.year}年{value.month}月"
    return f"{value.year}年{value.month}月{value.day}日"


def cn_datetime(value: dt.datetime | None) -> str:
    """A moment as shown everywhere (China time already applied by the caller): 2023年9月23日 14:05."""
    if value is None:
        return "—"
    return f"{cn_date(value)} {value:%H:%M}"


def stamp_text(value: object, *, seconds: bool = False) -> str:
    """A stored moment (naive UTC, lib.clock; a datetime, pandas Timestamp or SQLite's text) as people read it, in
    China time: 「2024年2月20日 10:00」 (「…10:00:05」 with `seconds`); "" when there is none (None, NaT, NaN)."""
    if value is None or value != value:  # noqa: PLR0124 - NaN and NaT are not equal to themselves
        return ""
    moment = clock.to_local(dt.datetime.fromisoformat(value) if isinstance(value, str) else value)
    return cn_datetime(moment) + (f":{moment:%S}" if seconds else "")


def percent(part: float | None, whole: float | None, *, digits: int = 0) -> str:
    if part is None or not whole:
        return "—"
    return f"{part / whole * 100:.{digits}f}%"
