"""The overview's and the 现场核查 page's views kept per scope (issue #15, server work per selection change):
a rerun with the same scope builds no card list, table or count again, and what is shown stays the same;
the map's 图层 chips are drawn without Streamlit's emoji scan of their labels. No timings here."""
from __future__ import annotations

import json

import pytest
from streamlit import string_util
from streamlit.testing.v1 import AppTest

import kpi_cards
from geo.layers import LAYER_LABELS
from tests.page_runs import open_page
from ui import bridge


def _run(community: str | None = None, page: str | None = None) -> AppTest:
    return open_page(page, community)


def _count_calls(monkeypatch, module, name: str) -> list:
    calls: list = []
    real = getattr(module, name)

    def spy(*args, **kw):
        calls.append(args)
        return real(*args, **kw)

    monkeypatch.setattr(module, name, spy)
    return calls


def _card_state(at: AppTest) -> tuple:
    return (kpi_cards.cards(at), kpi_cards.grid_text(at), [s.value for s in at.subheader],
            [c.value for c in at.caption], [m.value for m in at.markdown], [i.value for i in at.info])


@pytest.mark.parametrize("community", [None, "中兴", "刘庄"])
def test_overview_cards_are_built_once_per_scope(app_db, monkeypatch, community):
    at = _run(community)
    before = _card_state(at)
    profiles = _count_calls(monkeypatch, bridge, "community_profile")
    panels = _count_calls(monkeypatch, bridge, "summary_panel")
    at.run()
    assert not at.exception
    assert profiles == [] and panels == []  # the kept view: no profile or panel read again, no card rebuilt
    assert _card_state(at) == before  # … and the same cards, tags, notes and captions shown


def test_overview_community_card_shows_its_facts_and_tags(app_db):
    at = _run("中兴")
    assert "中兴社区" in [s.value for s in at.subheader]
    assert any("铁路以东（示意） · 边界为示意" in c.value for c in at.caption)  # the article does not place 中兴
    lines = [c for c in kpi_cards.grid_cards(at) if c["label"] == "常住人口"]
    assert lines and lines[0]["value"] == "7000余人" and lines[0]["hover"]  # its source on hover
    assert "报道" in kpi_cards.grid_text(at)  # each line carries its source tag
    assert "**荣誉**：红旗基层党组织、省级“文明单位”、曲艺先进社区" in [m.value for m in at.markdown]
    assert kpi_cards.cards(at)["五星达标 · 示例"] == "4/5颗"  # the four panels under the card
    empty = _run("刘庄")
    assert any("刘庄社区暂无公开数据" in i.value for i in empty.info)


def test_layer_chips_are_not_scanned_for_emoji(app_db, monkeypatch):
    at = _run(None)
    scanned = _count_calls(monkeypatch, string_util, "extract_leading_emoji")
    at.run()
    labels = {*LAYER_LABELS.values(), "社区名称"}
    assert not [a for a in scanned if str(a[0]).strip() in labels]  # ~0.1 ms per chip per rerun, 9 chips
    pills = [w for w in at.get("button_group") if "图层" in str(w.proto.label)]
    assert len(pills) == 1
    shown = [o.content.strip() for o in pills[0].proto.options]
    assert shown == ["社区", "主干道路", "铁路", "河流", "水库", "设施点位", "重点项目", "行政区划参照", "社区名称"]
    assert all(not o.content_icon for o in pills[0].proto.options)


def _checks_state(at: AppTest) -> tuple:
    return ([(m.label, m.value) for m in at.metric], [d.value.to_dict("list") for d in at.dataframe],
            [c.value for c in at.caption], [i.value for i in at.info])


def test_checks_list_is_built_once_per_scope(app_db, monkeypatch):
    empty = _run("中兴", "checks")  # no open item there
    assert "没有未办结的核查事项。" in [i.value for i in empty.info] and not empty.dataframe
    assert [(m.label, m.value) for m in empty.metric] == [("待整改", "0项"), ("整改中", "0项"), ("已办结", "2项")]
    at = _run(None, "checks")
    before = _checks_state(at)
    assert [m[0] for m in before[0]] == ["待整改", "整改中", "已办结"] and all(v.endswith("项") for _, v in before[0])
    table = _count_calls(monkeypatch, bridge, "site_check_table")
    thumbs = _count_calls(monkeypatch, bridge, "check_thumbnails")
    at.run()
    assert not at.exception
    assert table == [] and thumbs == []
    assert _checks_state(at) == before
    shown = at.dataframe[0].value
    open_ = sum(int(v[:-1]) for label, v in before[0] if label != "已办结")  # the cards count every check
    assert list(shown.columns)[0] == "照片" and len(shown) == open_  # the list: the open ones (只看未办结)


def test_map_is_sent_as_compact_json(app_db):
    """The kept map's JSON without indentation or \\u escapes: a selection change re-sends it (its small
    「selected」 layer is inside), so its size is hashed, sent and parsed on every change."""
    at = _run("中兴")
    raw = at.get("deck_gl_json_chart")[0].proto.json
    spec = json.loads(raw)
    assert raw == json.dumps(spec, separators=(",", ":"), ensure_ascii=False)  # as read: no spaces, no escapes
    assert len(raw.encode()) < 40_000, len(raw.encode())  # was 63.6 kB pretty-printed
    assert "selected" in {layer["id"] for layer in spec["layers"]} and "中兴" in raw
