"""Parse numbers the way people type them, and say how each one was read.

    parse_number(text, *, field="数值", unit=None, integer=False) -> ParsedNumber
    ParsedNumber(value: float, qualifier: str, note: str, text: str, percent: bool)

Accepted: full-width digits and punctuation (４．９６万), thousands separators (3,847 / 3，847),
万/亿 multipliers (4.96万 → 49600, 1.2亿), qualifiers kept in `qualifier` (6100余, 600多, 超过10万,
约3000, 近500, 不足10), percentages (77% → 77 with percent=True), small Chinese numerals
(十一, 两, 一百零五, 三千二百), a trailing unit (人, 户, 张, 平方米 … or the `unit` given).
With a declared `unit` the value is read in it: 「832万元」 and 「832万」 under 万元 are 832, 「3亿元」 under 万元 is
30000; a value written in another unit (「62人」 under 户, 「5万元」 under 平方米) is refused naming both units.
Anything else raises ValidationError naming the field: 「「床位数」：“abc”不是数字」.
`note` is empty when the text was a plain number, otherwise e.g. 「“4.96万”读作 49600」.
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

from lib.errors import ValidationError
from lib.text import printable

PREFIXES = {"超过": "超过", "大于": "超过", "超": "超过", "逾": "超过", "大约": "约", "约": "约",
            "将近": "近", "接近": "近", "近": "近", "不足": "不足", "不到": "不足"}
SUFFIXES = {"以上": "以上", "左右": "约", "余": "余", "多": "多", "以内": "内", "内": "内"}  # 10天内: at most
UNITS = ["平方公里", "平方米", "平米", "万元", "亿元", "㎡", "m²", "m2", "人次", "人", "户", "张", "名", "个", "家",
         "间", "条", "元", "床", "分", "岁", "次", "处", "项", "座", "栋", "套", "位"]
MULTIPLIERS = {"万": 1e4, "亿": 1e8, "千": 1e3, "百": 1e2}
UNIT_PREFIXES = ("万", "亿")  # 万元 is 10⁴ 元, 万人 10⁴ 人
# Spellings of one unit: a value written in any of them is in that unit.
SAME_UNIT = {"平米": "平方米", "㎡": "平方米", "m²": "平方米", "m2": "平方米", "名": "人", "位": "人"}
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_PLAIN = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")


@dataclass(frozen=True)
class Unit:
    """A unit as a multiple of its base: 万元 → Unit(1e4, "元"), ㎡ → Unit(1, "平方米")."""

    scale: float
    base: str

    @classmethod
    def of(cls, word: str) -> Unit:
        if len(word) > 1 and word[0] in UNIT_PREFIXES:
            return cls(MULTIPLIERS[word[0]], SAME_UNIT.get(word[1:], word[1:]))
        return cls(1.0, SAME_UNIT.get(word, word))


@dataclass(frozen=True)
class ParsedNumber:
    value: float
    qualifier: str = ""
    note: str = ""
    text: str = ""
    percent: bool = False

    @property
    def as_int(self) -> int:
        return int(round(self.value))


def _bad(field: str, text: str, why: str = "不是数字") -> ValidationError:
    text = printable(text)  # echoed as typed, minus what would hide or reorder it
    shown = text if len(text) <= 30 else text[:30] + "…"
    return ValidationError(f"「{field}」：“{shown}”{why}")


def _fmt(value: float) -> str:
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.6f}".rstrip("0").rstrip(".")


def cn_small(text: str) -> int | None:
    """十一 → 11, 两 → 2, 一百零五 → 105, 三千二百 → 3200; None if not a plain Chinese numeral below 10000."""
    if not text or any(ch not in _CN_DIGITS and ch not in _CN_UNITS for ch in text):
        return None
    total, digit, last_unit, zero = 0, None, 10_000, False
    for ch in text:
        if ch in _CN_DIGITS:
            d = _CN_DIGITS[ch]
            if digit is not None:
                return None  # 二三: two digits in a row
            if d == 0:
                if zero or total == 0 and len(text) > 1:
                    return None
                zero = True
                continue
            digit = d
        else:
            unit = _CN_UNITS[ch]
            if unit >= last_unit:
                return None
            if digit is None:
                if unit != 10 or total or zero:
                    return None  # a bare 百/千 is not a count
                digit = 1  # 十一
            total, digit, last_unit, zero = total + digit * unit, None, unit, False
    if digit is not None and last_unit > 10 and last_unit != 10_000 and not zero:
        return None  # 一百一 is colloquial for 110: too ambiguous to guess
    return total + (digit or 0)


def _core(number: str, field: str, original: str) -> float:
    if _PLAIN.match(number):
        return float(number)
    if _GROUPED.match(number):
        return float(number.replace(",", ""))
    if "," in number and re.match(r"^[+-]?[\d,]+(\.\d+)?$", number):
        raise _bad(field, original, "的千位分隔符位置不对")
    small = cn_small(number)
    if small is not None:
        return float(small)
    raise _bad(field, original)


def _written_unit(s: str, unit: str | None) -> str:
    """The longest known unit (or the declared `unit`) that `s` ends with after a number, else ""."""
    candidates = [u for u in ([unit] if unit and unit != "%" else []) + UNITS if s.endswith(u) and len(s) > len(u)]
    return max(candidates, key=len, default="")


def _strip_unit(s: str, written: str, declared: Unit | None, field: str, original: str, unit: str | None,
                steps: list[str]) -> str:
    """`s` without its written unit; a 万/亿 of the unit stays as the number's multiplier (800余万元 → 800余万).
    A unit other than the declared one is refused: 「数值」：“62人”的单位“人”与所填单位“户”不一致."""
    got = Unit.of(written)
    if declared is not None and got.base != declared.base:
        raise _bad(field, original, f"的单位“{written}”与所填单位“{unit}”不一致")
    shown = unit if declared is not None and got == declared else got.base
    steps.append(f"单位“{shown}”已去掉")
    return s[: -len(written)] + (written[0] if got.scale != 1 else "")


def parse_number(text: object, *, field: str = "数值", unit: str | None = None,
                 integer: bool = False) -> ParsedNumber:
    """Read `text` (a str, or an int/float passed through) as a number; see the module docstring."""
    if isinstance(text, bool):
        raise _bad(field, str(text))
    if isinstance(text, (int, float)):
        if isinstance(text, float) and not math.isfinite(text):
            raise _bad(field, str(text))
        value = float(text)
        if integer and value != int(value):
            raise _bad(field, _fmt(value), "应为整数")
        return ParsedNumber(value, text=_fmt(value))
    original = "" if text is None else str(text).strip()
    if not original:
        raise ValidationError(f"「{field}」：不能为空")
    if any(unicodedata.category(ch) == "No" for ch in original):  # ² ① ½: NFKC would make 「5²」 52
        raise _bad(field, original)
    s = unicodedata.normalize("NFKC", original)
    if re.search(r"\d\s+\d", s):  # 「1 2」 is not 12: a space between digits is a typo, not a separator
        raise _bad(field, original, "的数字中间有空格，请确认后重新填写")
    s = re.sub(r"\s+", "", s).replace("−", "-").replace("，", ",").replace("．", ".")
    steps: list[str] = []
    qualifier, percent = "", False
    for word in sorted(PREFIXES, key=len, reverse=True):
        if s.startswith(word):
            qualifier, s = PREFIXES[word], s[len(word):]
            break
    declared = Unit.of(unit) if unit else None
    written = _written_unit(s, unit)
    if written:
        s = _strip_unit(s, written, declared, field, original, unit, steps)
    if s.endswith("%"):
        percent, s = True, s[:-1]
    for word, q in SUFFIXES.items():
        if s.endswith(word) and len(s) > len(word):
            if qualifier:
                raise _bad(field, original, "的限定词重复")
            qualifier, s = q, s[: -len(word)]
            break
    multiplier = 1.0
    if s and s[-1] in MULTIPLIERS and len(s) > 1 and cn_small(s) is None:
        multiplier, s = MULTIPLIERS[s[-1]], s[:-1]
        # 6100余万: the qualifier may sit between the number and 万
        for word, q in SUFFIXES.items():
            if not qualifier and s.endswith(word) and len(s) > len(word):
                qualifier, s = q, s[: -len(word)]
    value = _core(s, field, original) * multiplier
    if declared is not None and declared.scale != 1 and (written or multiplier != 1):
        value /= declared.scale  # a magnitude was written: 832万 (or 832万元) under 万元 is 832
        if multiplier != declared.scale:
            steps.append(f"按单位“{unit}”换算")
    if not math.isfinite(value):
        raise _bad(field, original)
    value = float(round(value, 6))
    if integer and value != int(value):
        raise _bad(field, original, "应为整数")
    plain = original == _fmt(value) or (re.fullmatch(r"[+-]?[0-9]+(\.[0-9]+)?", original) and not steps)
    note = ""
    if not plain or qualifier or percent:
        extra = []
        if qualifier:
            extra.append(f"限定词“{qualifier}”")
        if percent:
            extra.append("百分比")
        extra += steps
        note = f"“{original}”读作 {_fmt(value)}" + (f"（{'，'.join(extra)}）" if extra else "")
    return ParsedNumber(value, qualifier, note, original, percent)
