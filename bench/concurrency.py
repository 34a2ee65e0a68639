"""Item 5: many browser sessions at once — one big screen (`/?screen=1`, rotating every 5 s) and
tablets (1024×768) switching the community through the sidebar with a short think time — while the
server's RSS and CPU are sampled. Every session is opened and drawn before the timed window starts."""
from __future__ import annotations

import asyncio
import random
import time
from pathlib import Path

from bench import browser as bw
from bench.latency import EXPECT, PAIR
from bench.stats import Sampler, summary

TABLET = (1024, 768)
SCREEN = (1920, 1080)


async def _open(browser, url, i, errors):
    if i == 0:
        ctx, page = await bw.new_page(browser, f"{url}/?screen=1&rotate=5", width=SCREEN[0], height=SCREEN[1])
        await bw.wait_idle(page, texts=["最新数据"], timeout_ms=120_000)
        return ctx, page, "screen"
    key = "overview" if i % 2 else "stars"
    # Always enter through "/": a first request straight to /stars can run the page without app.py.
    ctx, page = await bw.new_page(browser, f"{url}/", width=TABLET[0], height=TABLET[1])
    page.on("pageerror", lambda e: errors.append(f"session {i}: {e}"[:200]))
    await bw.wait_idle(page, texts=["最新数据"], canvas=True, timeout_ms=120_000)
    await bw.ensure_sidebar(page)
    if key == "stars":
        await page.locator('[data-testid="stSidebarNav"] a', has_text="五星支部").first.click(timeout=90_000)
        await bw.wait_idle(page, texts=["五星支部", "最新数据"], timeout_ms=120_000)
    return ctx, page, key


async def _tablet(page, key, i, stop_at, samples, errors):
    rng = random.Random(i)
    current = None
    while time.monotonic() < stop_at:
        name = PAIR[(PAIR.index(current) + 1) % 2] if current in PAIR else PAIR[i % 2]
        try:
            samples.append(await bw.select_option(page, name, texts=EXPECT[key](name), canvas=key == "overview"))
            current = name
        except Exception as exc:  # noqa: BLE001 - a timeout or a broken page: count it, go on
            errors.append(f"session {i} ({key}): {type(exc).__name__}: {str(exc)[:120]} … {str(exc)[-160:]}")
            await page.keyboard.press("Escape")
        await asyncio.sleep(rng.uniform(0.3, 1.0))


async def _screen(page, stop_at) -> dict:
    """The wall display: runs finished (fragment reruns included) and carousel views seen, polled each second."""
    fins = "() => window.__bench.msgs.filter((m) => m.k === 'fin').length"
    view = "() => (document.querySelector('[data-testid=\"stMain\"]').innerText.match(/当前：([^（]*)/) || [])[1] || ''"
    start, seen = await page.evaluate(fins), set()
    while time.monotonic() < stop_at:
        seen.add(await page.evaluate(view))
        await asyncio.sleep(1.0)
    views = sorted(v for v in seen if v)
    if not views:  # keep what the wall display showed, for diagnosis
        shot = Path(__file__).resolve().parent / "results" / "screen-session.png"
        shot.parent.mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(shot))
    return {"runs": await page.evaluate(fins) - start, "views_seen": views}


async def measure(browser, url: str, server_pid: int, *, sessions: int, seconds: float, log=print) -> dict:
    errors: list[str] = []
    opened = []
    t_open = time.monotonic()
    for start in range(0, sessions, 5):  # open in batches: 25 cold page loads at once swamp two cores
        batch = await asyncio.gather(*[_open(browser, url, i, errors) for i in range(start, min(sessions, start + 5))],
                                     return_exceptions=True)
        for i, item in enumerate(batch, start=start):
            if isinstance(item, BaseException):  # a session that could not even open counts as an error
                errors.append(f"session {i}: could not open: {type(item).__name__}: {str(item)[:160]}")
            else:
                opened.append(item)
    log(f"  {sessions} sessions open and drawn in {time.monotonic() - t_open:.0f} s")
    for _, page, key in opened:  # the wall display in front: a page behind others gets throttled timers
        if key == "screen":
            await page.bring_to_front()
    samples: list[bw.Sample] = []
    with Sampler(server_pid, interval=0.5) as sampler:
        stop_at = time.monotonic() + seconds
        tasks = []
        for i, (_, page, key) in enumerate(opened):
            tasks.append(_screen(page, stop_at) if key == "screen" else _tablet(page, key, i, stop_at, samples, errors))
        results = await asyncio.gather(*tasks)
    screen = results[0] if opened and opened[0][2] == "screen" else None
    for i, (ctx, page, key) in enumerate(opened):
        errors += [f"session {i} ({key}): {e}" for e in await bw.errors(page)]
        await ctx.close()
    out = {"sessions": sessions, "seconds": seconds, "interactions": len(samples),
           **summary([s.ms for s in samples]), "rtt": summary([s.rtt_ms for s in samples]),
           "errors": errors, "screen": screen, "server": sampler.report()}
    log(f"  {len(samples)} interactions: p50 {out['p50']:.0f} ms, p95 {out['p95']:.0f} ms, errors {len(errors)}, "
        f"big screen: {screen}")
    return out
