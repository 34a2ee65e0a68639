"""A map's deck serialised once, and the generations its pickable layers' ids carry.

The cached maps (ui/map_view.py, ui/pick_map.py) hand Streamlit a SerializedDeck: its JSON is made once per
map; a generation swaps a few layer ids in it without serialising again (see SerializedDeck).
"""
from __future__ import annotations

import copy
import hashlib
import json
from typing import Mapping

import pydeck as pdk

GENERATION_SEP = "#"


def layer_base(layer_id: str) -> str:
    """A layer's id without its generation ("communities#3" -> "communities")."""
    return layer_id.split(GENERATION_SEP, 1)[0]


def _dump(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


class SerializedDeck(pdk.Deck):
    """A Deck serialised once. pydeck pretty-prints `to_json()` with Python's pure-Python encoder on
    every call (~60 ms for a district-size map, on every rerun); a cached map keeps its JSON instead,
    compact (no indentation, names as UTF-8 rather than \\u escapes: 64 kB became 25 kB for the overview's
    map, which a selection change hashes, sends and the browser parses). Streamlit reads only `to_json()`,
    the tooltip and the (empty) layers of it.

    Its pickable layers can carry a generation in their ids (`at_generation`): Streamlit's chart drops the
    selection it holds on a layer whose id is no longer in the map, so a new generation clears a stale selection
    without remounting the chart (a new WebGL context and shaders per change). A new id also makes deck.gl build
    that layer afresh, so only the layer holding a selection that must go gets one (ui/map_view.py)."""

    kept_as_is = True  # nothing of it changes after __init__: a cache may hand out the object itself

    def __init__(self, deck: pdk.Deck) -> None:
        super().__init__(layers=[], map_provider=None, tooltip=deck._tooltip)
        spec = json.loads(deck.to_json())
        layers = spec.pop("layers", [])
        before, _, after = _dump({**spec, "layers": []}).partition('"layers":[]')
        # The JSON as pieces; each layer's id is a piece of its own (written first in its object), so a generation
        # replaces exactly those ids and never a row's text that happens to read the same.
        parts, self._slots = [before + '"layers":['], []
        for i, layer in enumerate(layers):
            rest = _dump({k: v for k, v in layer.items() if k != "id"})
            if layer.get("pickable"):
                self._slots.append((len(parts) + 1, layer["id"]))  # where its id is among the pieces
            parts += [("," if i else "") + '{"id":', _dump(layer["id"]), ("," + rest[1:]) if rest != "{}" else "}"]
        parts.append("]" + after)
        self._parts = parts
        self._set(parts)

    def _set(self, parts: list[str]) -> None:
        self.spec = "".join(parts)
        # names the layers deck.gl picks from (ui/deck_ready.py warms a map's picking again when they are new;
        # only pickable layers are drawn for picking): their ids, as written
        pickable = "\x1f".join(parts[index] for index, _ in self._slots)
        self.version = hashlib.blake2b(pickable.encode(), digest_size=8).hexdigest()

    def at_generation(self, generations: Mapping[str, int]) -> SerializedDeck:
        """This map with `#generation` appended to the id of each pickable layer named in `generations` (layer id
        -> generation; `layer_base` reads the id back); this map itself when that changes no id."""
        slots = [(index, layer_id) for index, layer_id in self._slots if generations.get(layer_id)]
        if not slots:
            return self
        out = copy.copy(self)
        parts = list(self._parts)
        for index, layer_id in slots:
            parts[index] = _dump(f"{layer_id}{GENERATION_SEP}{generations[layer_id]}")
        out._set(parts)
        return out

    def to_json(self) -> str:
        return self.spec
