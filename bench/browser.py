"""Headless Chromium helpers for the benchmark: an in-page WebSocket tap, interactions and timing.

Timing is taken inside the page (performance.now()): t0 at the pointerup that ends the click,
t1 when every check holds after Streamlit's `script_finished` message for that run arrived
(status widget gone, no stale elements, the expected texts present, the map canvas drawn).
`rtt` is t0 → `script_finished` received (server round trip, no rendering); `send` is t0 → the
rerun request leaving the browser (the frontend's own share before the server sees anything).
"""
from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass

from playwright.async_api import TimeoutError as PlaywrightTimeout

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--use-angle=swiftshader", "--enable-unsafe-swiftshader",
                 "--disable-background-networking", "--disable-component-update", "--no-first-run"]
STEP_TIMEOUT_MS = 30_000

# Wraps window.WebSocket: logs every received message (time, bytes, top-level ForwardMsg field), bytes sent,
# and arms a capture-phase pointerup listener that stamps t0 (the end of the click).
TAP_JS = r"""
(() => {
  if (window.__bench) return;
  const B = window.__bench = {msgs: [], sent: 0, sends: [], t0: null, t1: null, armed: false};
  const varint = (b, i) => { let v = 0, s = 0, x; do { x = b[i++]; v += (x & 0x7f) * 2 ** s; s += 7; } while (x & 0x80 && i < b.length); return [v, i]; };
  const scan = (buf) => {  // ForwardMsg: 4 new_session, 5 delta, 6 script_finished (enum), 11 ref_hash
    const b = new Uint8Array(buf); let i = 0, k = null, v = null, tag, len;
    while (i < b.length) {
      [tag, i] = varint(b, i); const f = Math.floor(tag / 8), w = tag & 7;
      if (w === 0) { [len, i] = varint(b, i); if (f === 6) { k = 'fin'; v = len; } }
      else if (w === 2) { [len, i] = varint(b, i); i += len; if (f === 5) k = 'delta'; else if (f === 11) k = 'ref'; else if (f === 4) k = 'session'; }
      else if (w === 1) i += 8; else if (w === 5) i += 4; else break;
    }
    return [k, v];
  };
  const Orig = window.WebSocket;
  function Tapped(url, protocols) {
    const ws = protocols === undefined ? new Orig(url) : new Orig(url, protocols);
    ws.addEventListener('message', (ev) => {
      const t = performance.now();
      if (ev.data instanceof ArrayBuffer) { const [k, v] = scan(ev.data); B.msgs.push({t, n: ev.data.byteLength, k, v}); }
      else B.msgs.push({t, n: ev.data.size || ev.data.length || 0, k: null, v: null});
    });
    const send = ws.send.bind(ws);
    ws.send = (d) => { B.sent += d.byteLength || d.size || d.length || 0; B.sends.push(performance.now()); return send(d); };
    return ws;
  }
  Tapped.prototype = Orig.prototype;
  for (const c of ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED']) Tapped[c] = Orig[c];
  window.WebSocket = Tapped;
  document.addEventListener('pointerup', () => { if (B.armed) { B.t0 = performance.now(); B.armed = false; } }, true);
})();
"""

# True (and stamps t1) once the run started by the armed interaction has finished and is drawn.
DONE_JS = r"""
(a) => {
  const B = window.__bench;
  if (!B || B.t0 === null) return false;
  const fin = B.msgs.find((m) => m.t >= B.t0 && m.k === 'fin' && (m.v === 0 || m.v === 3));
  if (!fin) return false;
  if (document.querySelector('[data-testid="stStatusWidget"]')) return false;
  if (document.querySelector('[data-stale="true"]')) return false;
  const main = document.querySelector('[data-testid="stMain"]');
  if (!main) return false;
  const text = main.innerText;
  for (const s of a.texts) if (!text.includes(s)) return false;
  if (a.canvas && !document.querySelector('[data-testid="stDeckGlJsonChart"] canvas')) return false;
  B.t1 = performance.now(); B.fin = fin.t;
  return true;
}
"""

# The page is drawn and idle: a run finished and no message came for `settle` ms (a load may run twice).
IDLE_JS = r"""
(a) => {
  const main = document.querySelector('[data-testid="stMain"] [data-testid="stVerticalBlock"]');
  if (!main || document.querySelector('[data-testid="stStatusWidget"]')) return false;
  // the app's loading screen, and elements (the sidebar's widgets too) whose code is still loading (Suspense)
  if (document.querySelector('[data-testid="stAppSkeleton"], [data-testid="stSkeleton"], [data-stale="true"]')) return false;
  const B = window.__bench;
  if (B && !B.msgs.some((m) => m.k === 'fin')) return false;
  if (B && performance.now() - B.msgs[B.msgs.length - 1].t < (a.settle || 600)) return false;  // no run pending
  const text = document.querySelector('[data-testid="stMain"]').innerText;
  for (const s of a.texts) if (!text.includes(s)) return false;
  if (a.canvas && !document.querySelector('[data-testid="stDeckGlJsonChart"] canvas')) return false;
  return true;
}
"""

ERRORS_JS = r"""() => Array.from(document.querySelectorAll(
  '[data-testid="stException"], [data-testid="stAlertContentError"], [role="dialog"]'))
  .map((e) => e.innerText.slice(0, 200)).filter((t) => !t.startsWith('轮播') && (t.includes('rror') ||
  t.includes('not found') || t.includes('异常') || t.includes('错误') || t.includes('失败')))"""


@dataclass
class Sample:
    ms: float  # interaction → page updated
    rtt_ms: float  # interaction → script_finished received
    send_ms: float | None = None  # interaction → rerun request sent


async def new_page(browser, url: str, *, width: int = 1440, height: int = 900, frames: bool = False):
    """A fresh context and page with the tap installed; `frames=True` also keeps `page.frames_log`."""
    ctx = await browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1,
                                    locale="zh-CN", timezone_id="Asia/Shanghai")
    await ctx.add_init_script(TAP_JS)
    page = await ctx.new_page()
    if frames:
        page.frames_log = FrameLog(page)
    page.set_default_timeout(STEP_TIMEOUT_MS)
    await page.goto(url, wait_until="domcontentloaded")
    return ctx, page


async def wait_idle(page, *, texts=(), canvas=False, timeout_ms: int = 60_000) -> None:
    await page.wait_for_function(IDLE_JS, arg={"texts": list(texts)}, polling=50, timeout=timeout_ms)
    if canvas:
        await page.wait_for_function(IDLE_JS, arg={"texts": list(texts), "canvas": True}, polling=50,
                                     timeout=timeout_ms)


async def _arm(page) -> None:
    await page.evaluate("() => { const B = window.__bench; B.t0 = null; B.t1 = null; B.armed = true; }")


async def _finish(page, texts, canvas, timeout_ms: int = STEP_TIMEOUT_MS) -> Sample:
    await page.wait_for_function(DONE_JS, arg={"texts": list(texts), "canvas": canvas}, polling=20,
                                 timeout=timeout_ms)
    t0, t1, fin, sent = await page.evaluate(
        "() => { const B = window.__bench; return [B.t0, B.t1, B.fin, B.sends.find((t) => t >= B.t0) ?? null]; }")
    return Sample(ms=t1 - t0, rtt_ms=fin - t0, send_ms=None if sent is None else sent - t0)


# Where the sidebar and an element in it are on screen: the sidebar slid fully in (its box inside the viewport,
# not moving between two polls: the slide-in transition is over) and the element's box inside the viewport.
# A collapsed sidebar is translated off screen (x = -300, width 0) yet counts as "visible" to Playwright.
ON_SCREEN_JS = r"""
(sel) => {
  const inside = (r) => r.width > 0 && r.height > 0 && r.left >= 0 && r.top >= 0
                        && r.right <= innerWidth && r.bottom <= innerHeight;
  const sb = document.querySelector('[data-testid="stSidebar"]');
  const el = sel && document.querySelector(sel);
  if (!sb || (sel && !el)) return false;
  const r = sb.getBoundingClientRect();
  const key = [r.left, r.width].map(Math.round).join();
  const was = window.__benchSidebar; window.__benchSidebar = key;
  if (r.width < 100 || r.left < 0 || key !== was) return false;
  if (!el) return true;
  const b = el.getBoundingClientRect();  // the element may sit below the fold of the sidebar's own scroll
  if (!inside(b) && b.left >= 0 && b.right <= innerWidth) el.scrollIntoView({block: 'center'});
  return inside(el.getBoundingClientRect());
}
"""
SIDEBAR_BOX = '[data-testid="stSidebar"] [data-testid="stSelectbox"]'
EXPAND_SIDEBAR = '[data-testid="stExpandSidebarButton"], [data-testid="stSidebarCollapsedControl"] button'


async def sidebar_on_screen(page, sel: str | None = SIDEBAR_BOX) -> bool:
    """The sidebar is open and still, and `sel` (its first match) is inside the viewport."""
    await page.evaluate(ON_SCREEN_JS, sel)  # the first look records where the sidebar is; the second sees it still
    return bool(await page.evaluate(ON_SCREEN_JS, sel))


async def ensure_sidebar(page, sel: str | None = SIDEBAR_BOX, *, timeout_ms: int = STEP_TIMEOUT_MS) -> None:
    """Open the sidebar as a person on a tablet would, when it is collapsed (under ui.layout.SIDEBAR_COLLAPSE_PX it
    starts so): tap its expand control, wait until it has slid in, bring `sel` into view."""
    if await sidebar_on_screen(page, sel):
        return
    expand = page.locator(EXPAND_SIDEBAR).first
    if await expand.count() and await expand.is_visible():
        await expand.click()
    await page.wait_for_function(ON_SCREEN_JS, arg=sel, polling=50, timeout=timeout_ms)


async def select_option(page, option: str, *, texts, scope: str = '[data-testid="stSidebar"]',
                        canvas: bool = False) -> Sample:
    """Open the selectbox in `scope`, click `option` (a community name), time until its run is drawn."""
    if scope == '[data-testid="stSidebar"]':  # a collapsed sidebar (tablet) is opened first, as a person would
        await ensure_sidebar(page, f'{scope} [data-testid="stSelectbox"]')
    box = page.locator(f'{scope} [data-testid="stSelectbox"]').first
    opt = page.locator('[role="listbox"] [role="option"]').filter(
        has_text=re.compile(rf"^\s*{re.escape(option)}(社区)?\s*$")).first  # with or without format_func
    combo = box.locator('[role="combobox"]')
    await combo.click()
    deadline = time.monotonic() + STEP_TIMEOUT_MS / 1000
    while True:  # under load the list may open seconds after the tap: tap its arrow only while it is still closed
        try:
            await opt.wait_for(state="visible", timeout=1500)
            break
        except PlaywrightTimeout:
            if time.monotonic() > deadline:
                raise
            if await combo.get_attribute("aria-expanded") != "true":  # the tap did not open the list
                await box.locator('button[aria-haspopup="listbox"]').click()
    await _arm(page)
    await opt.click()
    return await _finish(page, texts, canvas)


def lonlat_to_pixel(lon, lat, *, view: dict, box: dict) -> tuple[float, float]:
    """Screen position of (lon, lat) on a deck.gl WebMercator view (512-px tiles) drawn in `box`."""
    scale = 512 * 2 ** view["zoom"] / (2 * math.pi)

    def merc(lo, la):
        return math.radians(lo) * scale, math.log(math.tan(math.pi / 4 + math.radians(la) / 2)) * scale

    x, y = merc(lon, lat)
    cx, cy = merc(view["longitude"], view["latitude"])
    return box["x"] + box["width"] / 2 + (x - cx), box["y"] + box["height"] / 2 - (y - cy)


async def click_map(page, name: str, lonlat: tuple[float, float], view: dict, *, texts,
                    timeout_ms: int = STEP_TIMEOUT_MS) -> Sample:
    """Click community `name` at (lon, lat) on the page's map, time until the run it starts is drawn.

    deck.gl picks on hover; a click before the hover pick has landed is ignored, so the pointer first
    rests on the spot until the tooltip names the community (not timed: t0 is the click's pointerup).
    """
    canvas = page.locator('[data-testid="stDeckGlJsonChart"] canvas').first
    box = await canvas.bounding_box()
    x, y = lonlat_to_pixel(*lonlat, view=view, box=box)
    await page.mouse.move(x - 6, y - 6)
    await page.mouse.move(x, y, steps=3)
    try:
        await page.wait_for_function(
            "(n) => Array.from(document.querySelectorAll('.deck-tooltip')).some((t) => t.innerText.includes(n))",
            arg=name, polling=30, timeout=1500)
    except Exception:  # noqa: BLE001 - no tooltip seen: fall back to a fixed rest
        await page.wait_for_timeout(300)
    await page.wait_for_timeout(50)
    await _arm(page)
    await page.mouse.click(x, y, delay=40)
    return await _finish(page, texts, True, timeout_ms)


async def errors(page) -> list[str]:
    return await page.evaluate(ERRORS_JS)


async def ws_log(page) -> dict:
    return await page.evaluate("() => ({msgs: window.__bench.msgs, sent: window.__bench.sent})")


class FrameLog:
    """Every WebSocket frame the page receives/sends, decoded as Streamlit ForwardMsgs on demand."""

    def __init__(self, page) -> None:
        self.received: list[bytes] = []
        self.sent_bytes = 0
        page.on("websocket", self._attach)

    def _attach(self, ws) -> None:
        ws.on("framereceived", lambda payload: self.received.append(
            payload if isinstance(payload, bytes) else payload.encode()))
        ws.on("framesent", self._sent)

    def _sent(self, payload) -> None:
        self.sent_bytes += len(payload)

    def mark(self) -> int:
        return len(self.received)

    def messages(self, since: int = 0):
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        for raw in self.received[since:]:
            msg = ForwardMsg()
            try:
                msg.ParseFromString(raw)
            except Exception:  # noqa: BLE001, S112 - not a ForwardMsg (e.g. a text frame)
                continue
            yield raw, msg

    def decks(self, since: int = 0) -> list[tuple[int, str]]:
        """(frame bytes, deck JSON) of each map element sent in full."""
        out = []
        for raw, msg in self.messages(since):
            if msg.WhichOneof("type") == "delta" and msg.delta.WhichOneof("type") == "new_element":
                el = msg.delta.new_element
                if el.WhichOneof("type") == "deck_gl_json_chart":
                    out.append((len(raw), el.deck_gl_json_chart.json))
        return out

    def refs(self, since: int = 0) -> list[int]:
        """Sizes of cache references (an element the browser already holds, not re-sent)."""
        return [len(raw) for raw, msg in self.messages(since) if msg.WhichOneof("type") == "ref_hash"]

    def bytes_since(self, since: int = 0) -> int:
        return sum(len(r) for r in self.received[since:])


def view_of(deck_json: str) -> dict:
    import json

    v = json.loads(deck_json)["initialViewState"]
    return {"longitude": v["longitude"], "latitude": v["latitude"], "zoom": v["zoom"]}
