"""A grid of KPI cards drawn as ONE element (st.html), instead of a column, a metric and captions per card.

A selection change redraws the whole grid in one go: ten cards cost the browser one element, not thirty.
Every text in a card is escaped (stored text is never HTML); each card carries its source tag with its
date; its provenance shows on hover and, for a tablet that cannot hover, under the card once it is tapped (a
`<details>`: no rerun, no script). `data-*` attributes name each card's parts for tests and tools.
"""
from __future__ import annotations

import datetime as dt
import functools
import html
from dataclasses import dataclass, field

import streamlit as st

from lib.figures import TAG_RGB, Figure
from lib.models import SourceKind
from ui import bridge, widgets


@dataclass(frozen=True)
class Card:
    label: str
    value: str
    tag: str = ""  # 「报道」 / 「录入 · 工作人员 · 2026年12月5日」 / 「示例 · …」
    color: str = "gray"
    hover: str = ""  # the source, shown on hover
    delta: str = ""
    flat: bool = False  # a delta without direction (「持平」)
    notes: tuple[str, ...] = field(default_factory=tuple)


def card(fig: Figure, *, header: dt.date | None, label: str | None = None, display: str | None = None,
         delta: str | None = None, flat: bool = False, notes: tuple[str, ...] = (),
         signed_in: bool | None = None) -> Card:
    """A card for a Figure, labelled like widgets.figure_metric (「 · 示例」 / 「 · 录入」 unless reported).
    `signed_in` names the viewer (staff names for signed-in viewers only) where the card is kept for them
    (ui/views); None: this run's viewer."""
    fig = widgets.viewer(fig) if signed_in is None else fig.for_viewer(signed_in)
    title = label or fig.label
    if fig.kind != SourceKind.ARTICLE.value:
        title = f"{title} · {fig.tag}"
    return Card(title, display or fig.display, fig.badge(header), fig.color, fig.provenance(), delta or "", flat,
                tuple(notes))


def plain(label: str, value: str, *notes: str) -> Card:
    """A card without a figure behind it (「无记录」, 「暂无数据」): its note says why."""
    return Card(label, value, notes=tuple(n for n in notes if n))


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _delta_html(c: Card) -> str:
    if not c.delta:
        return ""
    cls = "flat" if c.flat else ("down" if c.delta.lstrip().startswith(("-", "−")) else "up")
    arrow = "" if c.flat else ("▼ " if cls == "down" else "▲ ")
    return f'<div class="d {cls}" data-delta="{_e(c.delta)}">{arrow}{_e(c.delta)}</div>'


def _tag_span(tag: str, color: str) -> str:
    """A source tag (「报道」「示例」…) or a note's badge: the text on a pale wash of its colour."""
    if not tag:
        return ""
    r, g, b = TAG_RGB.get(color, TAG_RGB["gray"])
    return (f'<span class="t" data-tag="{_e(tag)}" style="background:rgba({r},{g},{b},.18);'
            f'color:rgb({r * 2 // 3},{g * 2 // 3},{b * 2 // 3})">{_e(tag)}</span>')


def _tappable(cls: str, c: Card, inner: str) -> str:
    """A card (or fact line) whose source opens under it on a tap or click — a tablet has no hover — and still
    shows on hover; without a source, a plain box."""
    attrs = f'data-label="{_e(c.label)}" data-value="{_e(c.value)}"'
    if not c.hover:
        return f'<div class="{cls}" {attrs}>{inner}</div>'
    source = "".join(f"<div>{_e(line.strip())}</div>" for line in c.hover.split("\n") if line.strip())
    return (f'<details class="{cls}" {attrs} title="{_e(c.hover)}"><summary>{inner}</summary>'
            f'<div class="q">{source}</div></details>')


def card_html(c: Card) -> str:
    notes = "".join(f'<div class="n">{_e(n)}</div>' for n in c.notes)
    return _tappable("gw-kpi", c, f'<div class="l">{_e(c.label)}</div><div class="v">{_e(c.value)}</div>'
                                  f'{_delta_html(c)}{_tag_span(c.tag, c.color)}{notes}')


def grid(cards: list[Card], *, columns: int = 5, note: str = "", demo: str = "", mixed: bool = False) -> None:
    """The cards, `columns` to a row (two on a phone), with notes under them, all one element: `demo` names what
    is demo data (the sentence of widgets.demo_note, with its 示例数据 tag; `mixed`: some of it, 含示例), `note`
    adds lines (one per \\n)."""
    if not cards and not note and not demo:
        return
    st.html(_grid_html(tuple(cards), columns, note, demo, mixed))


def note_html(text: str, *, tag: str = "", color: str = "gray") -> str:
    """A small note line (under a grid, a legend), `tag` in front of it as a coloured badge; text escaped."""
    return f'<div class="gw-kpis-note">{_tag_span(tag, color)}{_e(text)}</div>'


@functools.lru_cache(maxsize=1024)
def _grid_html(cards: tuple[Card, ...], columns: int, note: str, demo: str = "", mixed: bool = False) -> str:
    """The grid's HTML, rendered once per content (cards are frozen: kept views hand out the same ones per rerun)."""
    body = "".join(card_html(c) for c in cards)
    foot = (note_html(widgets.demo_sentence(demo, mixed=mixed), tag=widgets.demo_tag(mixed=mixed), color="orange")
            if demo else "") + "".join(
        note_html(line) for line in note.split("\n") if line)
    grid_div = (f'<div class="gw-kpis" style="grid-template-columns:repeat({columns},minmax(0,1fr))">{body}</div>'
                if cards else "")
    return grid_div + foot


def metric(c: Card) -> None:
    """The same card as a st.metric with captions (where a page keeps one metric per column); the source on
    hover except on the wall, where nobody can hover (the tag under the card says it)."""
    hover = None if bridge.screen_mode() else widgets.md_escape(c.hover) or None
    st.metric(widgets.md_escape(c.label), c.value, delta=c.delta or None, delta_color="off" if c.flat else "normal",
              delta_arrow="off" if c.flat else "auto", help=hover, border=True)
    if c.tag:
        st.caption(f":{c.color}-badge[{widgets.md_escape(c.tag)}]")
    for n in c.notes:  # notes can carry stored text (a staff name in a tag): shown as typed
        st.caption(widgets.md_escape(n))


def lines(cards: list[Card], *, more: str = "") -> None:
    """Cards as compact 「label：value [tag]」 lines (a community's facts), one element."""
    if not cards:
        return
    body = "".join(_tappable("gw-line", c, f'<b>{_e(c.label)}</b>：{_e(c.value)} {_tag_span(c.tag, c.color)}')
                   for c in cards)
    foot = f'<div class="gw-kpis-note">{_e(more)}</div>' if more else ""
    st.html(f'<div class="gw-kpi gw-lines">{body}</div>{foot}')


def boxes(items: list[tuple[str, list[str], str]], *, empty: str = "暂无公开数据") -> None:
    """Bordered boxes side by side (title, bullet lines, a small note), one element: e.g. each star's measures."""
    if not items:
        return
    body = "".join(
        f'<div class="gw-kpi" data-label="{_e(title)}"><b>{_e(title)}</b>'
        + (f'<ul>{"".join(f"<li>{_e(t)}</li>" for t in texts)}</ul>' if texts else f"<div>{_e(empty)}</div>")
        + (f'<div class="n">{_e(note)}</div>' if note else "") + "</div>" for title, texts, note in items)
    st.html(f'<div class="gw-kpis" style="grid-template-columns:repeat({len(items)},minmax(0,1fr))">'
            f'{body}</div>')
