"""The legend of every symbol on the map (geo.deck_style.SYMBOLS), written under the map on every page and the
wall: lines, the dashed railway, areas, dots and the red check rings, each with its name."""
from __future__ import annotations

import functools
import html

from geo.deck_style import CHECK_SYMBOL, CIRCLE_SYMBOL, SYMBOLS


def _swatch(shape: str, rgba) -> str:
    """A small inline-block span drawn with CSS (st.html keeps spans and their styles)."""
    r, g, b, a = rgba
    c = f"rgba({r},{g},{b},{max(a, 160) / 255:.2f})"
    base = "display:inline-block;vertical-align:middle;margin:0 0.25em 0 0.6em;"
    style = {
        "line": f"width:1.4em;height:0;border-top:0.2em solid {c};",
        "dashed": f"width:1.4em;height:0;border-top:0.2em dashed {c};background:#404048;",
        "area": f"width:1.1em;height:0.7em;border-radius:2px;background:{c};",
        "dot": f"width:0.6em;height:0.6em;border-radius:50%;background:{c};border:1px solid #0f172a;",
        "ring": f"width:0.6em;height:0.6em;border-radius:50%;border:0.15em solid {c};",
        "outline": f"width:1.1em;height:0.7em;border-radius:2px;border:0.18em solid {c};",
    }[shape]
    return f"<span style='{base}{style}'></span>"


@functools.lru_cache(maxsize=64)
def symbols_html(*, checks: bool = False, circles: bool = False, outlines: tuple = ()) -> str:
    """The legend's HTML for st.html (made once per argument set). `outlines`: (label, RGBA) of highlighted
    communities (the 示范 view's L-shaped cluster and pilot)."""
    items = [*SYMBOLS, *([CHECK_SYMBOL] if checks else []), *([CIRCLE_SYMBOL] if circles else []),
             *((label, "outline", rgba) for label, rgba in outlines)]
    cells = "".join(f"<span style='white-space:nowrap'>{_swatch(shape, rgba)}{html.escape(label)}</span> "
                    for label, shape, rgba in items)
    return f"<div style='font-size:0.9rem'>图例：{cells}</div>"
