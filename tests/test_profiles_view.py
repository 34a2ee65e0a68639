"""The 社区档案 page's view kept per scope (ui/views/profiles.py, issue #15): a rerun with the same selection builds
no card, caption or table again and shows the same page, for the subdistrict and for one community."""
from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

import kpi_cards
from lib.figures import Figure
from tests.page_runs import open_page
from tests.test_pages_apptest import assert_clean
from ui.views import profiles


def _page(community: str | None) -> AppTest:
    return open_page("profiles", community)


def _shown(at: AppTest) -> tuple:
    return (kpi_cards.grid_cards(at), kpi_cards.grid_text(at), [c.value for c in at.caption],
            [m.value for m in at.markdown], [i.value for i in at.info], [s.value for s in at.subheader],
            [d.proto.arrow_data.SerializeToString() for d in at.dataframe])


@pytest.mark.parametrize(("community", "other"), [(None, "中兴"), ("中兴", "刘庄")])
def test_same_selection_builds_nothing_again_and_shows_the_same_page(app_db, monkeypatch, community, other):
    at = _page(community)
    first = _shown(at)
    built = []
    shown = Figure.for_viewer
    monkeypatch.setattr(Figure, "for_viewer",
                        lambda fig, signed_in: (built.append(fig.label), shown(fig, signed_in))[1])
    at.run()
    assert built == []  # no figure prepared for a card on a rerun with the same selection (was one per card)
    assert _shown(at) == first
    at.session_state["community"] = other
    at.run()
    assert_clean(at, "profiles")
    assert _shown(at) != first
    built.clear()
    at.session_state["community"] = community
    at.run()
    assert built == [] and _shown(at) == first


def test_one_community_keeps_every_tag_and_section(app_db):
    at = _page("中兴")
    cards = {c["label"]: c for c in kpi_cards.grid_cards(at)}
    assert cards["党员"]["value"] == "298名" and cards["五星支部已达标 · 示例"]["value"] == "4/5颗"
    assert cards["示范社区状态"]["delta"].startswith("自")
    body = "".join(str(h.proto.body) for h in at.get("html"))
    assert body.count('class="gw-kpi"') == body.count("data-tag=")  # every figure carries its tag
    assert {"社区概况", "荣誉", "辖区养老设施"} <= {s.value for s in at.subheader}
    facilities = at.dataframe[-1].value
    assert facilities["设施"].tolist() == ["光武街道综合养老服务中心", "中兴社区日间照料中心"]
    assert facilities["床位"].tolist() == ["50张", "暂无公开数据"]


def test_cards_are_kept_per_header_date(app_db):
    """The page's 「最新数据」 date (it depends on the viewer's scope) is part of the kept view's key: with a later
    one, each card's tag names the figure's own date."""
    on = profiles.overview(None, False, dt.date(2023, 11, 22))
    later = profiles.overview(None, False, dt.date(2026, 12, 5))
    assert [c.value for c in on.cards] == [c.value for c in later.cards] and len(on.cards) >= 9
    assert {c.tag for c in on.cards} == {"报道"} and {c.tag for c in later.cards} == {"报道 · 2023年11月22日"}
