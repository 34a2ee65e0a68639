"""A figure made of others keeps their warnings (lib.figures.derived): a number composed of a disputed or
alarming part is disputed or alarming too, wherever it is shown."""
from __future__ import annotations

import datetime as dt

import pytest

from lib.figures import Figure, derived
from lib.queries.care import Occupancy

DAY = dt.date(2023, 11, 1)


def _fig(label: str, warning: str | None = None, kind: str = "article") -> Figure:
    return Figure(label, "1", kind, DAY, value=1.0, warning=warning)


@pytest.mark.parametrize("warnings, expected", [
    ((None, None), None),
    (("逐户记录为63户", None), "逐户记录为63户"),
    ((None, "空床仅 2 张"), "空床仅 2 张"),
    (("甲", "乙"), "甲；乙"),
    (("甲", "甲"), "甲"),  # the same warning once
])
def test_derived_keeps_the_parts_warnings(warnings, expected):
    parts = [_fig(f"p{i}", w) for i, w in enumerate(warnings)]
    assert derived(parts, label="合成", display="2").warning == expected


def _occ(**kw) -> Occupancy:
    return Occupancy(**{**dict(facility="f", beds=50, occupied=48, day=DAY, source_kind="staff", source_title=None,
                               is_demo=False, author="录入员", beds_figure=_fig("床位")), **kw})


@pytest.mark.parametrize("method", ["pair_figure", "free_figure", "rate_figure"])
def test_care_figures_made_of_residents_and_beds_carry_the_free_bed_warning(method):
    occ = _occ()
    assert getattr(occ, method)(free_beds_warning=3).warning == "空床仅 2 张，少于预警值 3 张"
    assert getattr(occ, method)(free_beds_warning=2).warning is None
    assert getattr(occ, method)().warning is None


def test_the_care_card_says_the_free_beds_once(app_db):
    """「入住率 96%，空床 2 张。空床仅 2 张，少于预警值 3 张」 on the overview and the wall: said once, with the warning."""
    from lib.panels import summary_panel
    from lib.scope import Scope
    from ui.views.overview import care_card

    panel = summary_panel(Scope.of(None, None), free_beds_warning=3)
    assert care_card(panel).notes == ("入住率 96%。空床仅 2 张，少于预警值 3 张",), care_card(panel).notes
    calm = summary_panel(Scope.of(None, None), free_beds_warning=2)
    assert care_card(calm).notes == ("入住率 96%，空床 2 张",), care_card(calm).notes
