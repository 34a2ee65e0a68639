"""One rule for the characters stored text may hold, wherever text arrives: forms, ledger cells, account names,
map imports. What the user sees is what is stored.

    clean(text) -> str             NFC; line breaks as \\n (a lone \\r is a line break to Markdown); invisible
                                   format characters (zero-width space, BOM, soft hyphen, direction marks) removed;
                                   trimmed
    refused(text) -> str | None    the first character no stored text may hold: a control character (NUL, ESC …;
                                   tab and line breaks are fine), a direction embedding/override/isolate, which
                                   reorders what is shown (「\u202e管理员」), or a character no XML document may hold
                                   (a noncharacter such as U+FFFF, a lone surrogate), which breaks the Excel files
                                   and the PDF's charts
    printable(text, *, mark="")    `text` with either kind replaced by `mark`: for echoing typed text or a file's
                                   name in a message
    xml_safe(text) -> str          `text` with what no XML document may hold replaced by U+FFFD: for the Excel files
                                   and the PDF's charts, whatever was stored before these rules
"""
from __future__ import annotations

import unicodedata

_ALLOWED_CONTROLS = frozenset("\t\n\r")


def _reorders(ch: str) -> bool:
    return "\u202a" <= ch <= "\u202e" or "\u2066" <= ch <= "\u2069"


def _not_xml(ch: str) -> bool:
    """A noncharacter (U+FDD0–U+FDEF, U+xxFFFE, U+xxFFFF) or a surrogate: XML 1.0 has no place for them."""
    cp = ord(ch)
    return 0xFDD0 <= cp <= 0xFDEF or cp & 0xFFFE == 0xFFFE or 0xD800 <= cp <= 0xDFFF


def _control(ch: str) -> bool:
    return unicodedata.category(ch) == "Cc" and ch not in _ALLOWED_CONTROLS


def _refused(ch: str) -> bool:
    return _control(ch) or _reorders(ch) or _not_xml(ch)


def _unseen(ch: str) -> bool:
    """A format character with no glyph (U+200B, U+FEFF, U+00AD, U+200E …) that does not reorder the text."""
    return unicodedata.category(ch) == "Cf" and not _reorders(ch)


def clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return "".join(ch for ch in text if not _unseen(ch)).strip()


def refused(text: str) -> str | None:
    return next((ch for ch in text if _refused(ch)), None)


def printable(text: str, *, mark: str = "") -> str:
    return "".join(mark if _refused(ch) or _unseen(ch) else ch for ch in text)


def xml_safe(text: str) -> str:
    return "".join("\ufffd" if _not_xml(ch) or _control(ch) else ch for ch in text)
