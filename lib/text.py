"""One rule for the characters stored text may hold, wherever text arrives: forms, ledger cells, account names,
map imports. What the user sees is what is stored.

    clean(text) -> str             NFC; invisible format characters (zero-width space, BOM, soft hyphen,
                                   direction marks) removed; trimmed
    refused(text) -> str | None    the first character no stored text may hold: a control character (NUL, ESC …;
                                   tab and line breaks are fine) or a direction embedding/override/isolate, which
                                   reorders what is shown (「\u202e管理员」)
    printable(text, *, mark="")    `text` with either kind replaced by `mark`: for echoing typed text or a file's
                                   name in a message
"""
from __future__ import annotations

import unicodedata

_ALLOWED_CONTROLS = frozenset("\t\n\r")


def _reorders(ch: str) -> bool:
    return "\u202a" <= ch <= "\u202e" or "\u2066" <= ch <= "\u2069"


def _refused(ch: str) -> bool:
    return (unicodedata.category(ch) == "Cc" and ch not in _ALLOWED_CONTROLS) or _reorders(ch)


def _unseen(ch: str) -> bool:
    """A format character with no glyph (U+200B, U+FEFF, U+00AD, U+200E …) that does not reorder the text."""
    return unicodedata.category(ch) == "Cf" and not _reorders(ch)


def clean(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFC", text) if not _unseen(ch)).strip()


def refused(text: str) -> str | None:
    return next((ch for ch in text if _refused(ch)), None)


def printable(text: str, *, mark: str = "") -> str:
    return "".join(mark if _refused(ch) or _unseen(ch) else ch for ch in text)
