"""The overview map's tap rule (ui.map_view._on_map_select) and the deck's layer generations (issue #15: the chart
keeps one key, so a selection change no longer remounts it; its layers' ids carry the selection instead)."""
from __future__ import annotations

import json

import pydeck as pdk
import pytest

from geo.deck import SerializedDeck, layer_base
from ui import map_view

KEY = "overview.map"


def _deck() -> pdk.Deck:
    return pdk.Deck(layers=[pdk.Layer("PolygonLayer", data=[], id="communities", pickable=True),
                            pdk.Layer("PathLayer", data=[], id="outline", pickable=False)], map_provider=None)


def test_pickable_layers_carry_the_generation_and_read_back():
    ids = [layer["id"] for layer in json.loads(SerializedDeck(_deck(), generation="中兴").spec)["layers"]]
    assert ids == ["communities#中兴", "outline"]
    assert [layer["id"] for layer in json.loads(SerializedDeck(_deck()).spec)["layers"]] == ["communities", "outline"]
    assert [layer_base(i) for i in ids] == ["communities", "outline"]


CASES = {  # name: (selected now, map as shown, held before, objects sent, selection after, held after)
    "tap a community": (None, "", None, {"communities": [{"name": "中兴"}]}, "中兴", ""),
    "tap another": ("中兴", "中兴", None, {"communities#中兴": [{"name": "西华"}]}, "西华", "中兴"),
    "tap the selected again": ("中兴", "中兴", None, {"communities#中兴": [{"name": "中兴"}]}, None, "中兴"),
    "tap a road keeps the selection": ("中兴", "中兴", None, {"roads#中兴": [{"name": "光武大道"}]}, "中兴", "中兴"),
    "empty ground after a road tap": ("中兴", "中兴", "中兴", {"roads#中兴": []}, None, None),
    # the chart let go of a tap made on an earlier map (another community was selected since): not a tap
    "let go after the selection changed": ("西华", "西华", "中兴", {}, "西华", None),
    "let go after a tap selected": ("中兴", "中兴", "", {}, "中兴", None),
}


@pytest.mark.parametrize("case", list(CASES))
def test_tap_rule(monkeypatch, case):
    selected, shown, held, objects, after, held_after = CASES[case]
    state = {KEY: {"selection": {"objects": objects}}, f"{KEY}.shown": shown, f"{KEY}.held": held}
    now = {"community": selected}
    monkeypatch.setattr(map_view.st, "session_state", state)
    monkeypatch.setattr(map_view.bridge, "selected_community", lambda: now["community"])
    monkeypatch.setattr(map_view.bridge, "set_community", lambda name: now.update(community=name))
    map_view._on_map_select(KEY)
    assert now["community"] == after
    assert state[f"{KEY}.held"] == held_after
