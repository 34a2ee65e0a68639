"""The 养老服务 page's view kept per scope (ui/views/eldercare.py, issue #15): a rerun with the same selection builds
no card or caption again and shows the same page; the centre's cards and the services are one element each."""
from __future__ import annotations

import datetime as dt
import re

from streamlit.testing.v1 import AppTest

import kpi_cards
from lib.figures import Figure
from tests.page_runs import open_page
from tests.test_kpi_grid import _elements
from tests.test_pages_apptest import assert_clean


def _page(community: str | None = None, as_of: dt.date | None = None) -> AppTest:
    return open_page("eldercare", community, as_of)


def _shown(at: AppTest) -> tuple:
    return (kpi_cards.grid_cards(at), [c.value for c in at.caption], [m.value for m in at.markdown],
            [e.value for e in (*at.error, *at.success, *at.info)], [str(h.proto.body) for h in at.get("html")],
            [c.proto.spec for c in at.get("vega_lite_chart")])


def test_same_selection_builds_nothing_again_and_shows_the_same_page(app_db, monkeypatch):
    at = _page("中兴")
    first = _shown(at)
    built = []
    shown = Figure.for_viewer
    monkeypatch.setattr(Figure, "for_viewer",
                        lambda fig, signed_in: (built.append(fig.label), shown(fig, signed_in))[1])
    at.run()
    assert built == []  # no figure prepared for a card on a rerun with the same selection (was 3 per rerun)
    assert _shown(at) == first
    at.session_state["community"] = "刘庄"  # no facilities there
    at.run()
    assert_clean(at, "eldercare")
    assert "刘庄社区的养老服务设施：暂无公开数据。" in [i.value for i in at.info] and not kpi_cards.cards(at)
    at.session_state["community"] = "中兴"
    at.run()
    assert built == [] and _shown(at) == first
    at.number_input(key="care.threshold").set_value(2).run()  # a new threshold: a new status, the same cards
    assert [s.value for s in at.success] == ["入住率 96%：空床 2 张（预警值 2 张）。"] and not at.error
    assert kpi_cards.grid_cards(at) == first[0]


def test_cards_and_services_are_one_element_each(app_db):
    at = _page()
    grids = [str(h.proto.body) for h in at.get("html") if 'class="gw-kpis"' in str(h.proto.body)]
    assert len(grids) == 2 and not at.metric  # the centre's three cards; the services
    cards = kpi_cards.grid_cards(at)
    assert [(c["label"], c["value"]) for c in cards[:3]] == [
        ("占地面积", "3300余平方米"), ("床位", "50张"), ("入住（2023年11月22日）", "48/50")]
    assert cards[2]["delta"] == "+1人" and all(c["hover"] for c in cards[:3])  # the source on hover
    assert grids[0].count("data-tag=") == 3  # every figure carries its tag
    assert 'data-label="“六助”上门服务：理发、洗浴、出行、就餐等"' in grids[1]
    assert 'data-label="打造“15分钟养老服务站”"' in grids[1] and "原文：“打造“15分钟养老服务站””" in grids[1]
    assert _elements(at.main) <= 35, _elements(at.main)  # was 50


def test_before_the_reports_no_cards_and_no_zeros(app_db):
    at = _page("中兴", dt.date(2022, 12, 31))
    assert not kpi_cards.cards(at)
    assert "所选日期的入住人数：暂无公开数据。" in [i.value for i in at.info]
    assert "报道数字截至2023年11月22日；所选日期之前：暂无公开数据。" in [c.value for c in at.caption]


def test_cards_are_kept_per_header_date(app_db):
    """A card's tag names its own date when it differs from the page's 「最新数据」 date, which depends on the
    viewer's scope (a write in another community moves the 全街道 date): the date is part of the kept view's key."""
    def tags(latest):
        at = AppTest.from_function(_centre_cards, args=(latest,), default_timeout=60).run()
        assert not at.exception, [e.value for e in at.exception]
        assert [c["label"] for c in kpi_cards.grid_cards(at)] == ["占地面积", "床位", "入住（2023年11月22日）"]
        return re.findall(r'data-tag="([^"]*)"', str(at.get("html")[0].proto.body))

    assert tags(dt.date(2023, 11, 22)) == ["报道"] * 3
    assert tags(dt.date(2026, 12, 5)) == ["报道 · 2023年11月22日"] * 3  # a later 「最新数据」: the figures' own date


def _centre_cards(latest):
    from ui import kpi_grid
    from ui.views import eldercare

    kpi_grid.grid(list(eldercare.centre("care_centre", None, 3, False, latest).cards), columns=3)
