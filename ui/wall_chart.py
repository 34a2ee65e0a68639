"""Shared drawing for the big-screen views (ui/screen_views.py and the ui/wall_*.py views): chart text sized
from the window, a chart filling its keyed container, and the coloured source tag as HTML."""
from __future__ import annotations

import html

import altair as alt
import streamlit as st

from ui import charts

# Chart text follows the window: never below 2.2 % of the screen height (24 px at 1080, 49 px at 2160; issue #14).
TEXT = alt.ExprRef(expr="max(windowSize()[1] * 0.0225, min(windowSize()[0] / 80, windowSize()[1] / 45))")
LABEL = {"labelFontSize": TEXT, "titleFontSize": TEXT, "labelColor": "#e5e7eb", "titleColor": "#e5e7eb"}
AXIS = {**LABEL, "labelLimit": 0}
SYMBOL = alt.ExprRef(expr="pow(max(windowSize()[1] * 0.0225, min(windowSize()[0] / 80, windowSize()[1] / 45)), 2)")


def chart(spec: alt.TopLevelMixin, *, key: str = "screen-chart") -> None:
    """A chart filling the keyed container (`screen-chart`: a share of the screen height, ui/wall_css.py)."""
    with st.container(key=key):
        # configure() replaces the whole config, so it comes first; aria off: no English chart descriptions
        st.altair_chart(charts.unvalidated(spec.configure(aria=False).configure_axis(**AXIS)
                                           .configure_legend(**LABEL, symbolSize=SYMBOL, labelLimit=0)
                                           .configure_view(strokeWidth=0)), width="stretch", height="stretch")


def tag_html(fig, header=None) -> str:
    """The coloured source tag as HTML (the wall cannot hover): 报道 / 录入 · who · when / 示例, plus the
    figure's own date when it differs from the header's."""
    text = fig.badge(header)
    r, g, b = fig.rgb
    return (f"<span class='gw-tag gw-tag-{fig.kind}' style='background:rgb({r},{g},{b});color:#111318;"
            f"border-radius:0.3em;padding:0 0.35em;font-size:0.8em'>{html.escape(text)}</span>")
