"""Personal data in free text: mask phone numbers for viewers who are not signed in.

The data model stores no resident names (relocation households are anonymised codes), but site-check
findings are typed by staff and may contain a phone number. `mask_phone_numbers` replaces every digit of
each phone number with 「*」 (a country code and an area code stay), keeping separators so the text still reads naturally. Formats (tests/test_privacy.py
has the table):

- mobile 1[3-9]x-xxxx-xxxx, with any of space . - － · between the groups, optionally +86 / 0086 / 86 / (+86);
- landline with area code: 0377-63123456, 0377 6312 3456, (0377)6312-3456, （0377）63123456, +86 377 6312 3456,
  with an extension (-801, 转801, 分机801, ext. 801);
- 400 / 800 service numbers (400-123-4567); local numbers without area code (6312-3456, 6312 3456);
- any other run of seven or more digits (identity card and account numbers, 63123456).

Left alone: dates (2024-03-01, 2024.03.01, 20240301), amounts (1234567元, 12,000,000, 3.5万, ¥1234567),
house numbers (12-3-401, 光武路128号) and other short numbers.
"""
from __future__ import annotations

import datetime as dt
import re

MIN_DIGITS = 7
# Who entered something, as viewers who are not signed in see it: staff names are for signed-in users only.
ANONYMOUS_AUTHOR = "工作人员"
MASK = "*"
_SEP = r"(?:\s?[-.－—·]\s?|\s)"  # one separator between digit groups: - . － — · or a space
_PREFIX = r"(?:(?:\+|＋|00)?86" + _SEP + r"?|[(（]\+?86[)）]\s?)"
_EXT = r"(?:\s?(?:-|－|转|分机|ext\.?|x|#)\s?\d{1,6})?"
_MOBILE = rf"(?P<cc>{_PREFIX})?1[3-9]\d{_SEP}?\d{{4}}{_SEP}?\d{{4}}"
_AREA = rf"(?:[(（]0\d{{2,3}}[)）]\s?|0\d{{2,3}}{_SEP}?|{_PREFIX}[(（]?0?[1-9]\d{{1,2}}[)）]?{_SEP}?)"
_LANDLINE = rf"(?P<area>{_AREA})[2-9]\d{{2,3}}{_SEP}?\d{{4}}{_EXT}"
_SERVICE = rf"[48]00{_SEP}?\d{{3}}{_SEP}?\d{{4}}"
_LOCAL = rf"[2-9]\d{{2,3}}{_SEP}\d{{4}}"
_RUN = rf"\d{{{MIN_DIGITS},}}[Xx]?"
_PHONE = re.compile(rf"(?<!\d)(?<!\d[.,])(?:{_MOBILE}|{_LANDLINE}|{_SERVICE}|(?P<local>{_LOCAL})|(?P<run>{_RUN}))"
                    r"(?!\d|[.,]\d)")
# A digit run followed by a unit or a place word, or preceded by a currency sign, is an amount, a year range or
# a room number — not a phone number. (Only bare runs and 4-4 groups can be mistaken for those.)
_NOT_PHONE_AFTER = re.compile(r"\s?(?:元|万|亿|千|百|户|人|间|套|平|㎡|米|m|%|％|个|张|次|床|吨|kg|公斤|余|多|年|号|室|栋|幢|楼|层|单元)")
_CURRENCY_BEFORE = re.compile(r"(?:¥|￥|RMB|人民币)\s?$")
_YEARS = re.compile(r"(?:19|20)\d\d\D+(?:19|20)\d\d")


def _is_date(digits: str) -> bool:
    if len(digits) != 8 or not digits.startswith(("19", "20")):
        return False
    try:
        dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return False
    return True


def _mask(match: re.Match) -> str:
    found, text = match.group(0), match.string
    bare = match.group("run") or match.group("local")  # only these can be an amount, a year range or a room
    if bare and (_NOT_PHONE_AFTER.match(text, match.end()) or _CURRENCY_BEFORE.search(text, 0, match.start())
                 or _is_date(found) or _YEARS.fullmatch(found)):
        return found
    keep = len(match.group("cc") or match.group("area") or "")  # +86 and the area code are not personal
    return found[:keep] + re.sub(r"\d", MASK, found[keep:])


# Full-width digits and signs are matched as their ASCII forms (one character each, so positions agree).
_HALF = str.maketrans("０１２３４５６７８９＋－（）", "0123456789+-()")


def mask_phone_numbers(text: str | None) -> str | None:
    """`text` with the digits of every phone number replaced by 「*」 (None stays None)."""
    if not text:
        return text
    text = str(text)
    ascii_text = text.translate(_HALF)
    out, last = [], 0
    for match in _PHONE.finditer(ascii_text):
        masked = _mask(match)  # same length as the match; 「*」 where a digit is hidden
        original = text[match.start():match.end()]
        out += [text[last:match.start()], "".join(MASK if m != a else o for o, a, m in zip(original, match.group(0), masked))]
        last = match.end()
    return "".join(out) + text[last:]


def shown_author(name: str | None, *, signed_in: bool) -> str | None:
    """A staff member's name as this viewer may see it: the name when signed in, else 「工作人员」."""
    return name if signed_in or not name else ANONYMOUS_AUTHOR
