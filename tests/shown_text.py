"""What a person reads in an element drawn as Markdown: its source without ui.widgets.md_escape's backslashes."""
from __future__ import annotations

import re

_ESCAPE = re.compile(r"\\(.)")


def shown(value: object) -> str:
    return _ESCAPE.sub(r"\1", str(value))


def texts(elements) -> list[str]:
    """The elements' values as read on screen (stored text in them is escaped so that it shows as typed)."""
    return [shown(e.value) for e in elements]
