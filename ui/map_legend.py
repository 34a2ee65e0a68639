"""The legend of every symbol on the map (geo.deck_style.symbols), written under the map on every page and the
wall: lines, the dashed railway, areas, dots and the red check rings, each with its name."""
from __future__ import annotations

import functools
import html

from geo.deck_style import CHECK_SYMBOL, CIRCLE_SYMBOL, symbols


def _swatch(shape: str, rgba) -> str:
    """A small inline-block span drawn with CSS: its shape from a class (ui.layout.BASE_CSS, once per page), only
    its colour inline (st.html keeps spans and their styles)."""
    r, g, b, a = rgba
    c = f"rgba({r},{g},{b},{max(a, 160) / 255:.2f})"
    colour = {"line": "border-color", "dashed": "border-color", "ring": "border-color", "outline": "border-color",
              "area": "background", "dot": "background"}[shape]
    return f"<i class='gw-sw {shape}' style='{colour}:{c}'></i>"


@functools.lru_cache(maxsize=64)
def symbols_html(*, checks: bool = False, circles: bool = False, outlines: tuple = (),
                 markets_schematic: bool = True) -> str:
    """The legend's HTML for st.html (made once per argument set). `outlines`: (label, RGBA) of highlighted
    communities (the 示范 view's L-shaped cluster and pilot)."""
    items = [*symbols(markets_schematic=markets_schematic),
             *([CHECK_SYMBOL] if checks else []), *([CIRCLE_SYMBOL] if circles else []),
             *((label, "outline", rgba) for label, rgba in outlines)]
    cells = "".join(f"<span>{_swatch(shape, rgba)}{html.escape(label)}</span> " for label, shape, rgba in items)
    return f"<div class='gw-legend'>图例：{cells}</div>"
