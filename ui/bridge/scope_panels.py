"""The viewer's Scope and the panels' figures with provenance and dates (decided in lib.panels)."""
from __future__ import annotations

import datetime as dt

from lib import clock, panels
from lib.config import settings
from lib.figures import Figure, from_row
from lib.figures import combined_kind as figures_combined_kind
from lib.figures import compare as figures_compare
from lib.panels import Header, SummaryPanel
from lib.scope import Scope
from ui.bridge import state, user
from ui.bridge._cache import TTL_SECONDS, cached
from ui.kept import kept


def scope() -> Scope:
    """The viewer's selection: community (or 全街道) and as-of date."""
    return Scope.of(state.selected_community(), state.as_of())


# Header and SummaryPanel are frozen dataclasses read several times a run: kept (ui/kept.py) per scope and data
# version, so a read hands out the kept object itself.
def _header(s: Scope) -> Header:
    return panels.header(s)


_kept_header = kept(_header, ttl=TTL_SECONDS, max_entries=256)


def header(s: Scope | None = None) -> Header:
    """The stamp 「最新数据 …；各数字日期见标注」 for the scope (default: the viewer's)."""
    return _kept_header(s or scope())


def _summary(s: Scope, warning: int, signed_in: bool) -> SummaryPanel:
    return panels.summary_panel(s, free_beds_warning=warning, signed_in=signed_in)


_kept_summary = kept(_summary, ttl=TTL_SECONDS, max_entries=256)


def summary_panel(s: Scope | None = None, *, signed_in: bool | None = None) -> SummaryPanel:
    """The four panels' key figures for the scope, staff names shown to signed-in viewers only (`signed_in`:
    for a view kept per viewer kind, ui/views; None: this run's viewer)."""
    signed_in = user.signed_in() if signed_in is None else signed_in
    return _kept_summary(s or scope(), int(settings().care_free_beds_warning), signed_in)


def figure(row, *, as_of: dt.date | None = None) -> Figure:
    """A query row as a Figure (provenance, date), for the pages' cards."""
    return from_row(row, as_of=as_of)


compare = figures_compare  # a Figure against the one that held on a date (names both dates)
combined_kind = figures_combined_kind  # the source of a count over records of several kinds
naming_marks = cached(panels.naming_marks)  # the chart's dated rules: each naming date, as made
naming_text = cached(panels.naming_text)  # who was named a 示范社区 when, and who left since, by whose word
status_changes = cached(panels.status_changes)  # who left a status (the pilot) when, by whose word
emptied_figure = cached(panels.emptied_figure)  # 「暂无」 for a status every community has left, dated and sourced


def briefing_file_name(s: Scope | None = None, ext: str = "png") -> str:
    """光武街道-中兴社区-简报-2026-12-05.png/.pdf/.xlsx: the scope and the date shown (today by default)."""
    s = s or scope()
    return f"{s.file_stem('简报', s.as_of or clock.today())}.{ext}"


def now_local() -> dt.datetime:
    """The one clock, in China time (lib.clock)."""
    return clock.now_local()
