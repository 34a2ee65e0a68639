"""Personal data in free text: mask phone-number-like digit runs for viewers who are not signed in.

The data model stores no resident names (relocation households are anonymised codes), but site-check
findings are typed by staff and may contain a phone number. `mask_phone_numbers` hides every digit of
a run of seven or more digits (「13812345678」, 「138 1234 5678」, 「0377-63123456」 → its 8-digit part),
keeping separators so the text still reads naturally. Shorter numbers (dates, amounts, house
numbers) are left alone.
"""
from __future__ import annotations

import re

MIN_DIGITS = 7
MASK = "*"
# A contiguous run of ≥7 digits, or a mobile number written in groups (138 1234 5678 / 138-1234-5678).
_PHONE = re.compile(rf"(?<!\d)(?:1\d{{2}}[ \-]\d{{4}}[ \-]\d{{4}}|\d{{{MIN_DIGITS},}})(?!\d)")


def mask_phone_numbers(text: str | None) -> str | None:
    """`text` with the digits of every phone-number-like run replaced by 「*」 (None stays None)."""
    if not text:
        return text
    return _PHONE.sub(lambda m: re.sub(r"\d", MASK, m.group(0)), str(text))


def mask_person(name: str | None) -> str | None:
    """Who recorded something, for viewers who are not signed in: the first character and 「**」
    (「zx」 → 「z**」, 「张三」 → 「张**」); None/empty stays as is."""
    if not name:
        return name
    return str(name)[0] + MASK * 2
