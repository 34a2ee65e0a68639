"""A bar of zero is drawn as zero (issue #14): every bar chart, on the pages and the wall, puts a visible
mark — a rule across the bar's band at the baseline and the text 「0」 — where a value is 0, instead of nothing."""
from __future__ import annotations

import pandas as pd
import pytest

from ui import charts

COUNTS = pd.DataFrame({"community": ["中兴", "白庄", "华盛"], "stars": [4, 0, 0]})


def _zero_layers(spec: dict, value: str) -> list[dict]:
    return [layer for layer in spec.get("layer", [])
            if any(t.get("filter") == f"datum['{value}'] === 0" for t in layer.get("transform", []))]


def _mark(layer: dict) -> str:
    return layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"]


@pytest.mark.parametrize("horizontal", [True, False])
def test_zero_bars_get_a_tick_and_a_zero_label(horizontal):
    bars = charts.community_bars(COUNTS, value="stars", title="已达标星数", communities=list(COUNTS["community"])) \
        if horizontal else charts.column_bars(COUNTS, value="stars", title="已达标星数")
    spec = bars.to_dict(validate=True)
    zero = _zero_layers(spec, "stars")
    assert sorted(_mark(layer) for layer in zero) == ["text", "tick"]
    text = next(layer for layer in zero if _mark(layer) == "text")
    assert text["encoding"]["text"] == {"value": "0"}
    tick = next(layer for layer in zero if _mark(layer) == "tick")
    value_axis = "x" if horizontal else "y"
    assert tick["encoding"][value_axis]["field"] == "stars", "the tick sits at the value (0), the baseline"
    assert tick["mark"]["thickness"] >= 3 and tick["encoding"]["color"]["value"] == charts.ZERO_COLOR
    # the data: the two zero rows are there (the filter keeps them), the bars are unchanged
    data = next(iter(spec["datasets"].values()))
    assert [r["stars"] for r in data] == [4, 0, 0]
    assert _mark(spec["layer"][0]) == "bar"


def test_show_sends_the_zero_marks_as_a_bare_spec(monkeypatch):
    sent = []
    monkeypatch.setattr(charts.st, "vega_lite_chart", lambda data, spec, **kw: sent.append((data, spec)))
    charts.show(charts.community_bars(COUNTS, value="stars", title="星", communities=list(COUNTS["community"])))
    data, spec = sent[0]
    assert list(data["stars"]) == [4, 0, 0] and len(_zero_layers(spec, "stars")) == 2
