"""What a rerun does not redo (issue #15, server work per selection change): pages registered once per
process, chart specs kept per input, the map's geometry layers unchanged by a selection, and the kept map
handed out without a copy. No timings here (those are `python -m bench.rerun_cpu` and `make bench`)."""
from __future__ import annotations

import json

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.page_runs import open_page
from tests.test_pages_apptest import assert_clean
from ui import chart_cache


def _run(community: str | None = None, page: str | None = None, at: AppTest | None = None) -> AppTest:
    return open_page(page, community, at=at)


def test_pages_are_built_once_and_navigation_still_works(app_db, monkeypatch):
    at = _run(None, "stars")
    built: list[str] = []
    init = st.Page.__init__

    def counting(self, page, **kw):
        built.append(str(page))
        init(self, page, **kw)

    counting.__wrapped__ = init.__wrapped__  # Streamlit builds its own main page through it
    monkeypatch.setattr(st.Page, "__init__", counting)
    at.run()
    at.switch_page("pages/relocation.py").run()
    assert_clean(at, "relocation")
    assert built == []  # was 8–17 st.Page objects per run
    assert any("文化路北延" in str(t.value) for els in (at.title, at.header, at.subheader) for t in els)
    at.switch_page("pages/overview.py").run()
    assert at.get("deck_gl_json_chart")


def test_same_scope_reuses_the_kept_chart_specs(app_db, monkeypatch):
    chart_cache.clear()
    at = _run("中兴", "stars")
    first = [c.proto.SerializeToString() for c in at.get("vega_lite_chart")]
    assert len(first) == 3
    builds: list[str] = []
    build = chart_cache.build

    def counting(chart, *, height):
        builds.append(type(chart).__name__)
        return build(chart, height=height)

    monkeypatch.setattr(chart_cache, "build", counting)
    kept = dict(chart_cache._specs)
    at.run()
    assert builds == []  # no Altair chart built or converted on a rerun with the same scope
    assert all(chart_cache._specs[k] is v for k, v in kept.items())  # the same objects, not copies
    assert [c.proto.SerializeToString() for c in at.get("vega_lite_chart")] == first  # the same elements
    at.session_state["community"] = "西华"
    at.run()
    assert 1 <= len(builds) <= 3  # a new selection: new data, so new specs …
    assert [c.proto.SerializeToString() for c in at.get("vega_lite_chart")] != first
    at.session_state["community"] = "中兴"
    at.run()
    assert len(builds) <= 3  # … and back to the first one: all kept
    assert [c.proto.SerializeToString() for c in at.get("vega_lite_chart")] == first


def _charts_script():
    import pandas as pd

    from ui import chart_cache, charts

    burn = pd.DataFrame({"date": pd.to_datetime(["2023-09-01", "2023-10-01"]), "已签约": [3, 9],
                         "已交钥匙": [1, 4], "已拆除": [0, 2]})
    bars = pd.DataFrame({"community": ["中兴", "西华"], "stars": [3, 5]})
    for builder, args, kw in [(charts.burnup, (burn,), {"series": ["已签约", "已交钥匙", "已拆除"], "total": 20,
                                                          "total_label": "涉迁户 20 户"}),
                              (charts.community_bars, (bars,), {"value": "stars", "title": "星数",
                                                                "communities": ["中兴", "西华"], "highlight": "西华"})]:
        charts.show(builder(*args, **kw), height=300)
        chart_cache.draw(builder, *args, height=300, **kw)


def test_kept_spec_draws_the_same_element_as_the_altair_path():
    """A chart from the kept spec is the element st.altair_chart / charts.show would send."""
    at = AppTest.from_function(_charts_script, default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    els = at.get("vega_lite_chart")
    assert len(els) == 4
    for shown, drawn in (els[0:2], els[2:4]):
        assert json.loads(shown.proto.spec) == json.loads(drawn.proto.spec)
        assert shown.proto.data.data == drawn.proto.data.data
        assert [(d.name, d.data.data) for d in shown.proto.datasets] == \
            [(d.name, d.data.data) for d in drawn.proto.datasets]


def test_a_kept_chart_sends_its_kept_arrow_bytes(monkeypatch):
    """A rerun draws a kept chart without serialising its data again: the bytes made when it was kept."""
    from ui import arrow_bytes

    chart_cache.clear()
    at = AppTest.from_function(_charts_script, default_timeout=60).run()
    first = [c.proto.SerializeToString() for c in at.get("vega_lite_chart")]
    converted = []
    real = arrow_bytes._anything
    monkeypatch.setattr(arrow_bytes, "_anything",
                        lambda data, *a, **k: (converted.append(data), real(data, *a, **k))[1])
    at.run()
    assert [c.proto.SerializeToString() for c in at.get("vega_lite_chart")] == first
    # charts.show converts its frames each run; the kept charts' tables are not converted again
    kept_tables = [v[0] for v in chart_cache._specs.values() if v[0] is not None]
    assert kept_tables and converted and not any(any(d is t for t in kept_tables) for d in converted)


def test_chart_key_follows_the_data_not_the_frame_object():
    import pandas as pd

    from ui import charts

    a = pd.DataFrame({"community": ["中兴", "西华"], "stars": [3, 5]})
    key = chart_cache.key_of(charts.community_bars, (a,), {"value": "stars"}, 300)
    assert key == chart_cache.key_of(charts.community_bars, (a.copy(),), {"value": "stars"}, 300)
    assert key != chart_cache.key_of(charts.community_bars, (a.assign(stars=[3, 4]),), {"value": "stars"}, 300)
    assert key != chart_cache.key_of(charts.community_bars, (a.assign(stars=[3.0, 5.0]),), {"value": "stars"}, 300)
    assert key != chart_cache.key_of(charts.community_bars, (a,), {"value": "stars"}, 301)


def test_chart_key_with_a_scope_key_skips_the_frames_but_follows_the_data_version(monkeypatch):
    import pandas as pd

    from ui import charts

    a = pd.DataFrame({"community": ["中兴", "西华"], "stars": [3, 5]})
    read = []
    monkeypatch.setattr(chart_cache, "_values", lambda h, values: read.append(list(values)))
    monkeypatch.setattr(chart_cache.data_version, "source_token", lambda: "db|1,2")
    key = chart_cache.key_of(charts.community_bars, (a,), {"value": "stars"}, 300, ("中兴", None))
    assert read == []  # no value of the frame was read
    assert key == chart_cache.key_of(charts.community_bars, (a.assign(stars=[1, 1]),), {"value": "stars"}, 300,
                                     ("中兴", None))
    assert key != chart_cache.key_of(charts.community_bars, (a,), {"value": "stars"}, 300, ("西华", None))
    assert key != chart_cache.key_of(charts.community_bars, (a,), {"value": "avg"}, 300, ("中兴", None))
    assert key != chart_cache.key_of(charts.community_bars, (a,), {"value": "stars"}, 300)  # no key: by content
    monkeypatch.setattr(chart_cache.data_version, "source_token", lambda: "db|1,3")  # a write anywhere
    assert key != chart_cache.key_of(charts.community_bars, (a,), {"value": "stars"}, 300, ("中兴", None))


@pytest.mark.parametrize("other", ["中兴", "西华"])
def test_selection_leaves_the_map_geometry_layers_byte_identical(app_db, other):
    """A choice in the sidebar changes only the small highlight layer. The pickable layers keep their ids (a
    new id makes deck.gl build that layer afresh and the page script warm its picking again: ~100 ms of a
    tablet's main thread per choice), and the map's marker for the picking warm-up stays the same."""
    import re

    at = _run(None)

    def layers(community):
        at.session_state["community"] = community
        at.run()
        assert_clean(at, "overview")
        spec = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
        marker = re.search(r'data-gw-map="([^"]+)"', "".join(h.proto.body for h in at.get("html"))).group(1)
        return {lyr["id"]: json.dumps(lyr, ensure_ascii=False, sort_keys=True) for lyr in spec["layers"]}, marker

    (whole, whole_marker), (one, one_marker) = layers(None), layers(other)
    assert "selected" in one and "selected" not in whole  # the highlight is its own small layer …
    assert {k: one[k] for k in whole} == whole  # … every other layer is the same text, byte for byte, same id
    assert "communities" in whole and not any("#" in k for k in one)
    assert len(one["selected"]) < min(len(v) for k, v in whole.items() if k in {"communities", "roads"}) * 2
    assert one_marker == whole_marker


def test_kept_map_is_handed_out_without_a_copy(app_db, monkeypatch):
    from ui import map_view

    at = _run(None)
    seen = []
    deck = map_view._deck

    def spy(*args, **kw):
        out = deck(*args, **kw)
        seen.append(out)
        return out

    monkeypatch.setattr(map_view, "_deck", spy)
    at.run()
    at.run()
    assert len(seen) == 2 and seen[0] is seen[1]  # st.cache_data would unpickle a new copy per rerun


def _panels_twice():
    import streamlit as st

    from ui import bridge

    scope = bridge.Scope.of("中兴", None)
    st.session_state.setdefault("seen", []).append((bridge.header(scope), bridge.summary_panel(scope),
                                                    bridge.header(scope), bridge.summary_panel(scope)))


def test_kept_panels_are_handed_out_without_a_copy(app_db):
    """Header and SummaryPanel (frozen) come out as the kept objects, in one run and the next."""
    at = AppTest.from_function(_panels_twice, default_timeout=60).run()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    (h1, p1, h2, p2), (h3, p3, h4, p4) = at.session_state["seen"]
    assert h1.latest is not None and p1.stars is not None  # real panels for 中兴
    assert h1 is h2 is h3 is h4 and p1 is p2 is p3 is p4  # the kept object, not an unpickled copy


def _table_script():
    import pandas as pd
    import streamlit as st

    from ui import arrow_bytes

    if "t" not in st.session_state:  # a kept view's table: the same object on every run
        st.session_state["t"] = arrow_bytes.table(pd.DataFrame({"自": ["2023年1月1日"], "状态": ["创建中"]}))
    st.dataframe(st.session_state["t"], hide_index=True)


def test_a_view_table_is_serialised_once_and_forgotten_with_it(monkeypatch):
    """st.dataframe serialises a pyarrow table on every call; one made by arrow_bytes.table() only at its first."""
    import gc

    from ui import arrow_bytes

    made = []
    real = arrow_bytes._arrow
    monkeypatch.setattr(arrow_bytes, "_arrow", lambda data, *a, **k: (made.append(data), real(data, *a, **k))[1])
    at = AppTest.from_function(_table_script, default_timeout=60).run()
    first = at.dataframe[0].proto.arrow_data.data
    at.run()
    at.run()
    assert at.dataframe[0].proto.arrow_data.data == first and first
    table = at.session_state["t"]
    assert sum(d is table for d in made) == 1, len(made)
    key = id(table)
    assert key in arrow_bytes._tables
    del at, table, made
    gc.collect()
    assert key not in arrow_bytes._tables or arrow_bytes._tables[key][0]() is not None  # gone with its table
