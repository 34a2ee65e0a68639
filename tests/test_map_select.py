"""The overview map's tap rule (ui.map_view._on_map_select) and the deck's layer generations (issue #15: the chart
keeps one key, so a selection change no longer remounts it; its pickable layers' ids carry a generation that moves
on only when the chart holds a tap that the new selection makes stale)."""
from __future__ import annotations

import json

import pydeck as pdk
import pytest

from geo.deck_json import SerializedDeck, layer_base
from ui import map_view

KEY = "overview.map"


def _deck() -> pdk.Deck:
    return pdk.Deck(layers=[pdk.Layer("PolygonLayer", data=[], id="communities", pickable=True),
                            pdk.Layer("PathLayer", data=[], id="outline", pickable=False),
                            pdk.Layer("PathLayer", data=[], id="roads", pickable=True)], map_provider=None)


def test_pickable_layers_carry_the_generation_and_read_back():
    deck = SerializedDeck(_deck())
    assert [layer["id"] for layer in json.loads(deck.spec)["layers"]] == ["communities", "outline", "roads"]
    assert deck.at_generation({}) is deck  # no generation: the kept map itself, no copy
    assert deck.at_generation({"outline": 2}) is deck  # a layer that cannot hold a tap keeps its id
    later = deck.at_generation({"communities": 3, "railway": 1})
    ids = [layer["id"] for layer in json.loads(later.spec)["layers"]]
    assert ids == ["communities#3", "outline", "roads"]  # only the layer that held the tap is new to deck.gl
    assert later.spec.replace("communities#3", "communities") == deck.spec  # nothing else changed
    assert deck.spec != later.spec and [layer["id"] for layer in json.loads(deck.spec)["layers"]][0] == "communities"
    assert [layer_base(i) for i in ids] == ["communities", "outline", "roads"]
    assert later.version != deck.version and deck.at_generation({"communities": 3}).version == later.version
    both = json.loads(deck.at_generation({"communities": 3, "roads": 5}).spec)["layers"]
    assert [layer["id"] for layer in both] == ["communities#3", "outline", "roads#5"]


def test_a_row_named_like_a_layer_keeps_its_name():
    rows = [{"name": "communities", "id": "communities"}]
    deck = SerializedDeck(pdk.Deck(layers=[pdk.Layer("PolygonLayer", data=rows, id="communities", pickable=True)],
                                   map_provider=None))
    spec = json.loads(deck.at_generation({"communities": 2}).spec)
    assert spec["layers"][0]["id"] == "communities#2" and spec["layers"][0]["data"] == rows


C, R = "communities", "roads"
GENERATIONS = {  # name: (held, its layers, last drawn selection, selection now, generation and layers before, after)
    "nothing held, sidebar choice": (None, (), None, "中兴", (0, {}), (0, {})),
    "nothing held, another choice": (None, (), "中兴", "西华", (4, {C: 4}), (4, {C: 4})),
    "a tap selected a community": (0, (C,), None, "中兴", (0, {}), (1, {C: 1})),
    "a tap on the selected one cleared it": (2, (C,), "中兴", None, (2, {C: 2}), (3, {C: 3})),
    "a road tap keeps the selection": (5, (R,), "中兴", "中兴", (5, {C: 5}), (5, {C: 5})),
    "a held road tap, then a sidebar choice": (5, (R,), "中兴", "西华", (5, {C: 5}), (6, {C: 5, R: 6})),
    "first draw of this map": (None, (), "missing", "中兴", (0, {}), (0, {})),
}


@pytest.mark.parametrize("case", list(GENERATIONS))
def test_generation_moves_on_only_when_a_held_tap_goes_stale(monkeypatch, case):
    held, held_layers, last, selected, before, after = GENERATIONS[case]
    state = {f"{KEY}.held": held, f"{KEY}.held_layers": held_layers, f"{KEY}.gen": before[0],
             f"{KEY}.layers": before[1]}
    if last != "missing":
        state[f"{KEY}.last"] = last
    monkeypatch.setattr(map_view.st, "session_state", state)
    assert map_view._generation(KEY, selected) == after
    assert (state[f"{KEY}.gen"], state[f"{KEY}.layers"]) == after and state[f"{KEY}.last"] == selected


CASES = {  # name: (selected now, generation as shown, held before, objects sent, selection after, held after)
    "tap a community": (None, 0, None, {"communities": [{"name": "中兴"}]}, "中兴", 0),
    "tap another": ("中兴", 1, None, {"communities#1": [{"name": "西华"}]}, "西华", 1),
    "tap the selected again": ("中兴", 1, None, {"communities#1": [{"name": "中兴"}]}, None, 1),
    "tap a road keeps the selection": ("中兴", 1, None, {"roads#1": [{"name": "光武大道"}]}, "中兴", 1),
    "empty ground after a road tap": ("中兴", 1, 1, {"roads#1": []}, None, None),
    # the chart let go of a tap made on an earlier map (the generation moved on since): not a tap
    "let go after the selection changed": ("西华", 2, 1, {}, "西华", None),
    "let go after a tap selected": ("中兴", 1, 0, {}, "中兴", None),
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
    if held_after is not None and objects:
        assert state[f"{KEY}.held_layers"] == tuple(layer_base(k) for k, rows in objects.items() if rows)
