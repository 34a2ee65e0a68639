"""The subdistrict map: metric colouring, layer toggles, legend, and click-to-select.

A click on a community sets the shared selection (the sidebar selector and `?community=` follow);
clicking it again, or on empty ground, returns to the whole subdistrict.
"""
from __future__ import annotations

import datetime as dt

import streamlit as st

from geo.deck import build_deck
from geo.deck_json import SerializedDeck, layer_base
from geo.deck_style import DEFAULT_SCALE, class_breaks, color_for, legend_items
from geo.layers import LAYER_LABELS
from lib.config import basemap_url
from lib.models import ModelStatus
from ui import bridge, deck_ready, kpi_grid, layout, map_legend
from ui.bridge import KEYS
from ui.kept import kept

TOGGLABLE = ["communities", "roads", "railway", "rivers", "reservoirs", "pois", "projects", "context", "labels"]
_LABELS = {**LAYER_LABELS, "labels": "社区名称"}
# The chips' labels start with a space (not shown: the label is Markdown): Streamlit looks for a leading icon in
# the first word of each label and, for non-ASCII text, runs its whole emoji pattern over it — ~0.1 ms per
# chip per rerun. With the space the first word is empty and nothing is scanned.
_CHIPS = {k: f" {v}" for k, v in _LABELS.items()}
_CLICK = "点击社区可筛选全部页面，再次点击返回全街道。"
VALUE_FORMATS = {"stars": "{:.0f}颗", "model": "{:.0f}", "relocation": "{:.0%}", "care": "{:.0%}"}
MODEL_RANKS = [ModelStatus.NOT_YET.value, ModelStatus.ACTIVE.value, ModelStatus.PILOT.value, ModelStatus.NAMED.value]


def _on_map_select(map_key: str) -> None:
    """A tap on the map. The chart is drawn with one key per page, and its pickable layers carry a generation
    (`_generation`): when it moves on the chart lets go of what it held, and that letting go reaches the server
    with the next run as an empty selection. Only an empty selection of the map as shown (the chart held a tap
    made on this generation) is a tap on empty ground."""
    state = st.session_state.get(map_key)
    objects = (state or {}).get("selection", {}).get("objects", {}) if state else {}
    picked = {layer_base(layer): rows for layer, rows in objects.items() if rows}
    shown = st.session_state.get(f"{map_key}.shown")
    if not picked:
        if st.session_state.get(f"{map_key}.held") == shown:
            bridge.set_community(None)  # tapping the selected object again, or empty ground
        st.session_state[f"{map_key}.held"] = None
        return
    st.session_state[f"{map_key}.held"] = shown
    st.session_state[f"{map_key}.held_layers"] = tuple(picked)  # where the chart holds it (_generation)
    clicked = [o.get("name") for o in picked.get("communities", [])]
    if not clicked:
        return  # a road, river or point was tapped: keep the selection (its tooltip is what was wanted)
    bridge.set_community(None if clicked[0] == bridge.selected_community() else clicked[0])


def _generation(map_key: str, selected: str | None) -> tuple[int, dict[str, int]]:
    """This run's generation of the map, and per pickable layer the generation its id carries
    (geo.deck_json.SerializedDeck.at_generation).

    It moves on when the chart holds a tap and the selection has changed since the map was last drawn (a tap that
    selected or cleared a community, a choice in the sidebar after a road tap); the layer that holds the tap then
    gets a new id, and the chart lets go of the tap, so it neither dims every other object (Streamlit's look for a
    held selection) nor takes the next tap on that object as "tap again to clear". Every other layer keeps its
    id: deck.gl updates it in place instead of building it afresh (a choice in the sidebar changes only the
    highlight layer)."""
    state = st.session_state
    generation, layers = state.get(f"{map_key}.gen", 0), state.get(f"{map_key}.layers", {})
    if state.get(f"{map_key}.held") is not None and state.get(f"{map_key}.last", selected) != selected:
        generation += 1
        layers = {**layers, **dict.fromkeys(state.get(f"{map_key}.held_layers", ()), generation)}
        state[f"{map_key}.gen"], state[f"{map_key}.layers"] = generation, layers
    state[f"{map_key}.last"] = selected
    return generation, layers


def _build(metric: str, selected: str | None, visible: tuple[str, ...], as_of: dt.date | None,
           checks: bool, circles: tuple[tuple[float, float, float, str], ...], height: int, masked: bool = True,
           highlights: tuple[tuple[str, tuple[str, ...], tuple[int, ...], str], ...] = (),
           label_px: float | None = None, fit_width: int = layout.MAP_FIT_WIDTH_PX) -> SerializedDeck:
    layers = bridge.map_layers()
    values = bridge.community_metric(metric, as_of=as_of).set_index("community")
    points = None
    if checks:
        points = bridge.check_points(as_of, signed_in=not masked)
    label = bridge.METRICS[metric]
    tips = {name: f"{r.side} · {label}：{r.display}" + (f"（{r.source}）" if r.source else "")
            for name, r in values.iterrows()}
    deck = build_deck(layers=layers, community_values=values["value"].to_dict(), community_tips=tips,
                      metric_label=label, selected=selected, visible=set(visible),
                      tile_url=basemap_url(), extra_points=points,
                      circles=[{"lon": c[0], "lat": c[1], "radius_m": c[2], "name": c[3]} for c in circles] or None,
                      value_format=VALUE_FORMATS[metric], height=height,
                      highlights=[{"id": h[0], "names": h[1], "color": list(h[2]), "label": h[3]} for h in highlights],
                      width=fit_width,  # whole subdistrict in the narrowest map box
                      label_px=label_px)
    # cached with its JSON (a rerun does not serialise the map again); render() gives it its generation
    return SerializedDeck(deck)


# Kept per data version and arguments (ui.kept: one key text, ~20 µs a read where st.cache_resource's hasher took
# ~0.3 ms over these ten arguments); the deck is handed out as is (SerializedDeck.kept_as_is: its JSON is text).
_deck = kept(_build, ttl=bridge.TTL_SECONDS, max_entries=64)


def _legend_build(metric: str, as_of: dt.date | None) -> str:
    """The legend's HTML (a string: no frame copied out of a cache per rerun)."""
    values = bridge.community_metric(metric, as_of=as_of)
    if metric == "model":
        breaks = class_breaks(range(len(MODEL_RANKS)), len(DEFAULT_SCALE))
        items = [(s, color_for(i, breaks, DEFAULT_SCALE)) for i, s in enumerate(MODEL_RANKS)]
    else:
        items = legend_items(values["value"].tolist(), value_format=VALUE_FORMATS[metric])
    chips = " ".join(f"<i class='gw-sw fill' style='background:{c}'></i>{label}" for label, c in items)
    demo = "（示例数据）" if values["is_demo"].any() else ""
    return f"<div class='gw-legend scale'>{bridge.METRICS[metric]}{demo}：{chips}</div>"


_legend_html = kept(_legend_build, ttl=bridge.TTL_SECONDS, max_entries=64)  # per data version and arguments


def render(*, key_prefix: str, height: int = 560, controls: bool = True, checks: bool = True,
           circles: list[tuple[float, float, float, str]] | None = None, metric: str | None = None,
           highlights: list[tuple[str, tuple[str, ...], tuple[int, ...], str]] | None = None,
           label_px: float | None = None, fit_width: int = layout.MAP_FIT_WIDTH_PX, note: bool = True) -> None:
    """The map. `circles`: (lon, lat, radius_m, name) rings; `highlights`: (layer id, community names, RGBA,
    legend label) outlines — both named in the legend under the map. `note`: the 「示意图」 line in the legend
    (the wall's overview and care maps leave it to the wall's own footer, which says it on every view).
    `label_px`, `fit_width`: the names' size and the narrowest box width the map is fitted to, in CSS px (the wall
    passes its own; desk pages keep geo.deck's size and layout.MAP_FIT_WIDTH_PX)."""
    as_of = bridge.as_of()
    metric_key, layers_key = f"{key_prefix}.{KEYS['metric']}", f"{key_prefix}.{KEYS['layers']}"
    if controls:
        c1, c2 = st.columns([2, 3])
        with c1:
            metric = st.selectbox("地图着色指标", list(bridge.METRICS), format_func=bridge.METRICS.get,
                                  key=metric_key)
        with c2:
            visible = st.pills("图层", TOGGLABLE, selection_mode="multi", default=TOGGLABLE,
                               format_func=_CHIPS.get, key=layers_key)
    else:
        metric = metric or "stars"
        visible = TOGGLABLE
    visible = tuple(v for v in TOGGLABLE if v in (visible or [])) + ("outline",)
    selected = bridge.selected_community()
    # One key per page: a selection change redraws the map in place (a new key remounted the chart: a new WebGL
    # context and shaders, most of a map click's time). The chart's own selection cannot go stale: its pickable
    # layers' ids change when it holds a tap the selection has left behind (_generation), and it drops that tap.
    map_key = f"{key_prefix}.{KEYS['map']}"
    origin = bridge.map_origin()  # what is 示意 and what surveyed (lib.map_origin): the note under every map
    generation, layer_generations = _generation(map_key, selected)
    st.session_state[f"{map_key}.shown"] = generation
    deck = _deck(metric, selected, visible, as_of, checks,
                 tuple(circles or ()), height, masked=bridge.current_actor() is None,  # phone numbers: signed-in only
                 highlights=tuple(highlights or ()), label_px=label_px,
                 fit_width=fit_width).at_generation(layer_generations)
    st.pydeck_chart(deck, on_select=lambda: _on_map_select(map_key), selection_mode="single-object",
                    key=map_key, height=height)
    # the colour legend, the symbols' legend and the 「示意图」 note: one element, with the marker that names this
    # map for the page script's picking warm-up (ui/deck_ready.py)
    st.html(_legend_html(metric, as_of)
            + map_legend.symbols_html(checks=checks, circles=bool(circles), markets_schematic=origin.schematic("pois"),
                                      outlines=tuple((h[3], tuple(h[2])) for h in highlights or ()))
            + (kpi_grid.note_html(origin.note + _CLICK, tag=origin.tag, color="violet") if note else "")
            + deck_ready.marker(deck.version))
