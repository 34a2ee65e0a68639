"""Make a map's first tap count: warm deck.gl's picking as soon as a map is drawn.

Why: deck.gl recognises a tap only when pointerup follows pointerdown within 250 ms (mjolnir's Tap
recogniser, timed with Date.now() when each event is *handled*). On pointerdown deck.gl picks
synchronously, and the first pick after the map's layers were (re)built also builds every layer's picking
colours and waits for the GPU: 0.3-2.9 s measured in Chromium with a software GPU, on a tablet-class CPU
similar. The pointerup is then handled too late and the tap is dropped — the "first click ignored".

The fix, without touching Streamlit's bundled deck.gl: (1) once a map's canvas is drawn, the page script sends
it a synthetic hover (mousemove at a corner, then mouseleave) every half second, so deck.gl does its slow
first pick then, not on the user's tap (once warm a pick takes a few ms). It stops once picking is warm (a
slow pick then a quick one, or four quick ones), at the first real pointer on the map, or after 40 s. The
map's pickable layers are named by a version in a marker drawn beside it (`marker`, in the map's legend:
geo.deck_json.SerializedDeck.version); a canvas already warm gets a single hover when the version changes (the chart
is redrawn in place; a layer deck.gl has not held before — switched on, or given a new id to drop a tap — needs
its picking colours once, and each pick renders the picking buffer and reads it back, ~50 ms on a software GPU,
which a person's next change competes with). A selection change keeps the layers, and so the version. No tooltip stays up: the corner
is empty ground and the pointer leaves. (2) A tap whose pointerdown still blocked on a slow pick has that
blocked time taken out of its measured duration (see the script). Measured on fresh pages: first tap selected
0 of 3 before, 19 of 21 with (1) alone.

The script rides in every page's <head> with the page script (ui/layout.script, served by ui/page_shell.py), so
a run sends only the marker: it used to mount a component each run (3.4 kB and a component registration per
selection change on the map pages).
"""
from __future__ import annotations

import html

# Joined into ui/layout.py's page script (once per page, like the rest of it). Watches the page for map markers
# and deck canvases; scans at most every 50 ms.
SCRIPT = """
(() => {
const state = new WeakMap();  // canvas -> {version, until, user}
function hover(canvas) {
  const r = canvas.getBoundingClientRect();
  if (!r.width || !r.height) return;
  // deck.gl's hover input (mjolnir's MoveInput) listens to mouse events, not pointer events
  const at = {bubbles: true, cancelable: true, clientX: r.left + 2, clientY: r.bottom - 2, buttons: 0};
  canvas.dispatchEvent(new MouseEvent('mousemove', at));
  // deck.gl picks in its next animation frame; leave afterwards so no hover state remains
  setTimeout(() => canvas.dispatchEvent(new MouseEvent('mouseleave', at)), 300);
}
function watch(canvas, version) {
  let s = state.get(canvas);
  if (!s) {
    s = {};
    state.set(canvas, s);
    // a real pointer on the map: the user is there, stop simulating (their own hover picks anyway)
    for (const type of ['pointerenter', 'pointerdown', 'touchstart']) {
      canvas.addEventListener(type, (e) => { if (e.isTrusted) s.user = true; }, {passive: true, capture: true});
    }
  }
  if (s.version === version) return;
  s.version = version;
  if (s.warm) {
    // A warm canvas with new pickable layers: one hover builds their picking colours,
    // so the next tap is not the slow first pick; more would only compete with the person's next change.
    setTimeout(() => { if (s.version === version && !s.user && canvas.isConnected) hover(canvas); }, 300);
    return;
  }
  s.user = false;
  s.until = Date.now() + 40000;
  let slow = false, fast = 0;
  const tick = () => {
    if (s.version !== version || s.user || Date.now() > s.until || !canvas.isConnected) return;
    const t0 = performance.now();
    hover(canvas);
    // deck.gl picks in its next frame: time the frames up to the one after it. A cold pick takes 0.3-3 s,
    // a warm one a few ms. Once warm (a slow pick, then a quick one; or four quick ones: nothing was cold),
    // stop: each pick renders the picking buffer and reads it back, work the person's next tap competes with.
    requestAnimationFrame(() => requestAnimationFrame(() => {
      if (performance.now() - t0 > 120) { slow = true; fast = 0; } else fast += 1;
      if ((slow && fast >= 1) || fast >= 4) { s.warm = true; return; }
      setTimeout(tick, 500);
    }));
  };
  setTimeout(tick, 300);
}
// Second half of the fix: if a tap's pointerdown still meets a slow pick (the map was just rebuilt, a busy
// CPU), its handling time is taken out of the tap's duration. deck.gl's handler runs on the canvas between
// our window capture and bubble listeners, so their gap is the time it blocked; the tap recogniser then
// reads Date.now() while handling pointerup, and for that one dispatch Date.now() is moved back by the
// blocked time, so the recogniser measures the user's press (down -> up), not deck.gl's work.
function onMap(e) {
  return e.target instanceof Element && !!e.target.closest('[data-testid="stDeckGlJsonChart"]');
}
if (!window.__gwTapTiming) {
  window.__gwTapTiming = true;
  let start = 0, blocked = 0;
  window.addEventListener('pointerdown', (e) => { if (onMap(e)) { start = performance.now(); blocked = 0; } }, true);
  window.addEventListener('pointerdown', (e) => { if (onMap(e)) blocked = performance.now() - start; }, false);
  window.addEventListener('pointerup', (e) => {
    if (!onMap(e) || blocked < 100) return;
    const lag = blocked, realNow = Date.now;
    blocked = 0;
    Date.now = () => realNow.call(Date) - lag;
    setTimeout(() => { Date.now = realNow; }, 0);  // after this event's listeners
  }, true);
}
const scanMaps = () => {
  const marker = document.querySelector('[data-gw-map]');
  if (!marker) return;
  const version = marker.getAttribute('data-gw-map');
  document.querySelectorAll('[data-testid="stDeckGlJsonChart"] canvas').forEach((canvas) => watch(canvas, version));
};
let mapScan = 0;
const startMaps = () => {
  // a new marker (a rerun with another map) or a new canvas (the chart drawn): look again, once per burst
  new MutationObserver(() => { if (!mapScan) mapScan = setTimeout(() => { mapScan = 0; scanMaps(); }, 50); })
    .observe(document.body, {subtree: true, childList: true, attributes: true, attributeFilter: ['data-gw-map']});
  scanMaps();
};
if (document.body) startMaps(); else document.addEventListener('DOMContentLoaded', startMaps);
})();
"""


def marker(version: str, *, alone: bool = False) -> str:
    """The HTML naming a map's content for the warm-up: put it in an `st.html` drawn after the chart (the
    map's legend). `alone`: the marker is the element's only content, and its box takes no room."""
    cls = "gw-map-ready gw-hide-box" if alone else "gw-map-ready"
    return f'<span class="{cls}" data-gw-map="{html.escape(version, quote=True)}" hidden></span>'
