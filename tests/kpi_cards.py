"""Read the KPI cards that ui/kpi_grid.py draws as one st.html element (label → value, and their text),
next to the st.metric cards other pages still draw."""
from __future__ import annotations

from html.parser import HTMLParser

from streamlit.testing.v1 import AppTest


class _Cards(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.cards: list[dict[str, str]] = []
        self.text: list[str] = []
        self._skip = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self._skip = tag == "style"
        if "data-label" in a and "data-value" in a:
            self.cards.append({"label": a["data-label"], "value": a["data-value"], "hover": a.get("title") or ""})
        if "data-delta" in a and self.cards:
            self.cards[-1]["delta"] = a["data-delta"]

    def handle_endtag(self, tag):
        self._skip = False

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.text.append(data)


def _parsed(at: AppTest) -> _Cards:
    p = _Cards()
    for h in at.get("html"):
        body = str(h.proto.body)
        if 'class="gw-kp' in body:
            p.feed(body)
    return p


def grid_cards(at: AppTest) -> list[dict[str, str]]:
    return _parsed(at).cards


def cards(at: AppTest) -> dict[str, str]:
    """Every KPI card on the page, st.metric or grid: label → value."""
    return {**{m.label: m.value for m in at.metric}, **{c["label"]: c["value"] for c in grid_cards(at)}}


def grid_text(at: AppTest) -> str:
    """The grids' visible text (labels, values, deltas, source tags, notes), one piece a line."""
    return "\n".join(_parsed(at).text)
