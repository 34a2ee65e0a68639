"""Every chart the pages draw is valid Vega-Lite.

The app builds and sends Altair charts without schema validation (ui/charts.py: it was two thirds of
a page's server time), some of them as bare Vega-Lite specs beside their data. Here validation is switched back on — at instantiation (Altair's debug mode)
and in `to_dict()` — and each page with charts is run for the whole subdistrict and for one
community, on the big screen too: an invalid spec would raise inside the page and fail the run.
"""
from __future__ import annotations

import altair as alt
import pytest
from streamlit.testing.v1 import AppTest

from tests.test_pages_apptest import APP, assert_clean

CHART_PAGES = {"stars": 3, "model_communities": 1, "relocation": 1, "eldercare": 1}


@pytest.fixture
def validating(monkeypatch):
    from ui import chart_cache, charts

    chart_cache.clear()  # specs kept from an earlier test would be drawn without being built (and validated)
    sent: list[dict] = []

    def validated(chart):
        sent.append(chart.to_dict(validate=True))  # raises jsonschema.ValidationError on a bad spec
        return chart

    bare = charts.bare_spec

    def validated_bare(spec):
        out = bare(spec)
        # the spec sent beside its data frame (Streamlit supplies the data: a name stands in for it)
        alt.vegalite.v6.schema.core.Root.validate({"data": {"name": "streamlit"}, **out})
        sent.append(out)
        return out

    monkeypatch.setattr(charts, "unvalidated", validated)
    monkeypatch.setattr(charts, "bare_spec", validated_bare)
    alt.utils.schemapi.enable_debug_mode()
    try:
        yield sent
    finally:
        alt.utils.schemapi.disable_debug_mode()


def test_app_switches_validation_off_for_speed():
    import ui.charts  # noqa: F401 - importing the module is what turns the debug mode off

    assert alt.utils.schemapi.DEBUG_MODE is False


@pytest.mark.parametrize("community", [None, "中兴"])
@pytest.mark.parametrize("page", list(CHART_PAGES))
def test_page_charts_validate(validating, app_db, page, community):
    at = AppTest.from_file(APP, default_timeout=60)
    if community:
        at.session_state["community"] = community
    at.run()
    at.switch_page(f"pages/{page}.py").run()
    assert_clean(at, page)
    assert len(validating) >= CHART_PAGES[page], f"{page}: {len(validating)} charts validated"
    assert all(spec.get("$schema", "").endswith("v6.json") or "layer" in spec or "mark" in spec
               for spec in validating)


# Each view for the whole subdistrict and for a community it is shown for (lib.wall_views): 华盛 has the demo
# households; 养老 is shown only where a care facility is (中兴).
@pytest.mark.parametrize(("view", "community"), [(v, c) for v in ["五星支部", "征迁", "养老"] for c in
                                                 [None, "中兴" if v == "养老" else "华盛"]])
def test_big_screen_charts_validate(validating, app_db, view, community):
    from ui import screen_views

    assert view in screen_views.VIEWS
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["screen"] = "1"
    at.query_params["pause"] = "1"
    if community:
        at.query_params["community"] = community
    at.session_state["screen.view"] = view
    at.run()
    assert not at.exception, [str(e.value) for e in at.exception]
    assert not [i for i in at.info if "暂时无法显示" in str(i.value)]
    assert validating, f"the big screen's {view} view drew no chart"


@pytest.mark.parametrize(("page", "charts_same"), [("stars", 3), ("model_communities", 1)])
def test_selection_changes_chart_data_not_spec(app_db, page, charts_same):
    """Choosing another community sends the same chart specs with new data, so the browser updates the
    drawn charts in place instead of building them again (the selection is a data column)."""
    def specs(community):
        at = AppTest.from_file(APP, default_timeout=60)
        at.session_state["community"] = community
        at.run()
        at.switch_page(f"pages/{page}.py").run()
        assert_clean(at, page)
        return [(c.proto.spec, c.proto.datasets[0].data.data if c.proto.datasets else c.proto.data.data)
                for c in at.get("vega_lite_chart")]

    a, b = specs("中兴"), specs("西华")
    assert len(a) == len(b) >= charts_same
    assert [s for s, _ in a] == [s for s, _ in b]  # same specs …
    assert [d for _, d in a] != [d for _, d in b]  # … different data
