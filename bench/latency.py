"""Item 1: interaction latency (sidebar selectbox and map click) against the framework floor.

Two pages side by side: the floor app, and the dashboard, where the scenarios run in one session
(overview → 五星支部 → 现场核查 through the sidebar navigation), alternating between two communities
so every interaction changes the selection. A floor interaction follows each dashboard interaction.
"""
from __future__ import annotations

import time

import shapely
from shapely.geometry import Point, shape

from bench import browser as bw
from bench.stats import summary

FLOOR_OPTIONS = ["中兴", "西华"]
PAIR = ["中兴", "西华"]
EXPECT = {
    "overview": lambda nm: [f"光武街道 · {nm}社区"],
    "stars": lambda nm: [f"当前范围：{nm}社区", f"{nm}社区创建进度"],
    "checks": lambda nm: [f"现场核查 · {nm}社区"],
}
NAV = {"stars": "五星支部", "checks": "现场核查"}


def map_targets(db_url: str) -> list[tuple[str, tuple[float, float]]]:
    """Per community (best first), the point inside it farthest from its edge and anything else pickable."""
    from lib.db import get_engine
    from lib.queries.map_data import map_layers

    layers = map_layers(engine=get_engine(db_url))
    others = [shape(f["geometry"]) for key in ("pois", "roads", "rivers", "railway", "projects", "reservoirs")
              for f in layers.get(key, [])]
    obstacles = shapely.unary_union(others) if others else None
    out = []
    for f in layers.get("communities", []):
        poly = shape(f["geometry"])
        minx, miny, maxx, maxy = poly.bounds
        best, clearance = None, -1.0
        for i in range(1, 12):
            for j in range(1, 12):
                p = Point(minx + (maxx - minx) * i / 12, miny + (maxy - miny) * j / 12)
                if not poly.contains(p):
                    continue
                d = min(poly.exterior.distance(p), obstacles.distance(p) if obstacles is not None else 1.0)
                if d > clearance:
                    best, clearance = p, d
        if best is not None:
            out.append((clearance, f["name"], (best.x, best.y)))
    out.sort(reverse=True)
    return [(name, xy) for _, name, xy in out]


class Floor:
    """The floor page, kept open beside the app: one floor interaction after each app interaction, so
    both see the same machine load (other processes on two cores make absolute times drift)."""

    def __init__(self, page) -> None:
        self.page, self.current, self.samples = page, None, []

    async def step(self) -> None:
        name = FLOOR_OPTIONS[(FLOOR_OPTIONS.index(self.current) + 1) % 2] if self.current else FLOOR_OPTIONS[0]
        self.samples.append(await bw.select_option(self.page, name, texts=[f"{name}社区"],
                                                   scope='[data-testid="stMain"]'))
        self.current = name


async def _select_loop(page, n, expect, current, floor: Floor, *, canvas=False):
    await bw.ensure_sidebar(page)
    samples = []
    for i in range(n):
        name = PAIR[(PAIR.index(current) + 1) % 2] if current in PAIR else PAIR[i % 2]
        samples.append(await bw.select_option(page, name, texts=expect(name), canvas=canvas))
        current = name
        await floor.step()
    return samples, current


async def _visible_targets(page, targets):
    """The map's view state (as sent to the browser) and the targets that fall inside the visible map."""
    view = bw.view_of(page.frames_log.decks()[-1][1])
    canvas = page.locator('[data-testid="stDeckGlJsonChart"] canvas').first
    await canvas.evaluate("(el) => el.scrollIntoView({block: 'center'})")
    await page.wait_for_timeout(300)
    box = await canvas.bounding_box()
    vp = page.viewport_size
    lo_x, hi_x = max(box["x"], 0) + 30, min(box["x"] + box["width"], vp["width"]) - 30
    lo_y, hi_y = max(box["y"], 0) + 30, min(box["y"] + box["height"], vp["height"]) - 30
    inside = []
    for name, xy in targets:
        x, y = bw.lonlat_to_pixel(*xy, view=view, box=box)
        if lo_x < x < hi_x and lo_y < y < hi_y:
            inside.append((name, xy))
    if len(inside) < 2:
        raise RuntimeError(f"地图上可点击的社区不足两个 / fewer than two clickable communities: {inside}")
    return view, inside[:2]


async def _map_loop(page, n, expect, current, targets, floor: Floor, *, click_timeout_ms: int = 8000):
    view, pair = await _visible_targets(page, targets)
    names = [nm for nm, _ in pair]
    if current not in names:  # the first click after a load may be swallowed by the chart: select untimed
        for _ in range(3):
            try:
                await bw.click_map(page, *pair[0], view, texts=expect(names[0]), timeout_ms=5000)
                current = names[0]
                break
            except bw.PlaywrightTimeout:
                continue
    samples, missed = [], 0
    while len(samples) < n and missed <= n:
        name, xy = pair[(names.index(current) + 1) % 2] if current in names else pair[0]
        try:
            samples.append(await bw.click_map(page, name, xy, view, texts=expect(name), timeout_ms=click_timeout_ms))
            current = name
            await floor.step()
        except bw.PlaywrightTimeout:
            missed += 1  # a swallowed click: not a sample; reported as an error
    return samples, current, missed


async def _goto(page, key) -> None:
    await page.locator('[data-testid="stSidebarNav"] a', has_text=NAV[key]).first.click()
    await bw.wait_idle(page, texts=[NAV[key], "最新数据"], canvas=key == "checks")


async def measure(browser, app_url: str, floor_url: str, db_url: str, n: int, *, checks_map: bool = True,
                  click_timeout_ms: int = 8000,
                  log=print) -> dict:
    targets = map_targets(db_url)
    scenarios: dict[str, dict] = {}

    def record(key, samples, errs, t):
        scenarios[key] = {**summary([s.ms for s in samples]), "rtt": summary([s.rtt_ms for s in samples]),
                          "send": summary([s.send_ms for s in samples if s.send_ms is not None]),
                          "errors": errs, "samples_ms": [round(s.ms, 1) for s in samples],
                          "wall_s": time.monotonic() - t}
        log(f"  {key}: p50 {scenarios[key]['p50']:.0f} ms, p95 {scenarios[key]['p95']:.0f} ms; request sent p50 "
            f"{scenarios[key]['send']['p50']:.0f} ms, server round trip p50 {scenarios[key]['rtt']['p50']:.0f} ms "
            f"(n={len(samples)}, {time.monotonic() - t:.0f} s)")

    fctx, fpage = await bw.new_page(browser, f"{floor_url}/")
    ctx, page = await bw.new_page(browser, f"{app_url}/", frames=True)
    try:
        await bw.wait_idle(fpage, texts=["全街道"])
        floor = Floor(fpage)
        await bw.wait_idle(page, texts=["最新数据"], canvas=True)
        t = time.monotonic()
        samples, current = await _select_loop(page, n, EXPECT["overview"], None, floor, canvas=True)
        record("overview · selectbox", samples, await bw.errors(page), t)
        t = time.monotonic()
        samples, current, missed = await _map_loop(page, n, EXPECT["overview"], current, targets, floor,
                                                   click_timeout_ms=click_timeout_ms)
        record("overview · map click", samples, await bw.errors(page) + [f"{missed} 次点击未触发运行"] * bool(missed), t)
        t = time.monotonic()
        await _goto(page, "stars")
        samples, current = await _select_loop(page, n, EXPECT["stars"], current, floor)
        record("stars · selectbox", samples, await bw.errors(page), t)
        if checks_map:  # a second page with a map (skipped by --quick)
            t = time.monotonic()
            await _goto(page, "checks")
            samples, current, missed = await _map_loop(page, n, EXPECT["checks"], current, targets, floor)
            record("checks · map click", samples,
                   await bw.errors(page) + [f"{missed} 次点击未触发运行"] * bool(missed), t)
        record("floor · selectbox", floor.samples, await bw.errors(fpage), t)
    finally:
        await ctx.close()
        await fctx.close()
    floor = scenarios["floor · selectbox"]["p95"]
    for s in scenarios.values():
        s["ratio_p95_to_floor"] = s["p95"] / floor if floor else None
    return {"scenarios": scenarios, "floor_p95_ms": floor, "interactions_per_scenario": n}
