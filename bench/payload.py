"""Item 2, in the browser: bytes of the map element on first load, on a rerun that leaves the map
unchanged (Streamlit sends a cache reference instead of an identical element), and on a rerun that
changes it (a new selection outline)."""
from __future__ import annotations

from bench import browser as bw

FIN_COUNT_JS = "() => window.__bench.msgs.filter((m) => m.k === 'fin').length"


async def _rerun(page, trigger) -> None:
    before = await page.evaluate(FIN_COUNT_JS)
    await trigger()
    await page.wait_for_function(f"() => ({FIN_COUNT_JS[6:]}) > {before}", polling=50, timeout=30_000)
    await bw.wait_idle(page, canvas=True)


async def measure(ctx, page, *, reruns: int = 2) -> dict:
    """On a page that has just drawn the overview (`bw.new_page(frames=True)`); closes its context."""
    log = page.frames_log
    try:
        await bw.wait_idle(page, texts=["最新数据"], canvas=True)
        first = log.decks()
        out = {"first_load": {"map_frame_bytes": first[-1][0] if first else None,
                              "map_json_bytes": len(first[-1][1].encode()) if first else None,
                              "all_frames_bytes": log.bytes_since(0)}}

        async def press_r():  # Streamlit's rerun shortcut (focus outside any input)
            await page.locator('[data-testid="stMain"] h1').first.click()
            await page.keyboard.press("r")

        for label in ("rerun_unchanged", "rerun_unchanged_2")[:reruns]:
            mark = log.mark()
            await _rerun(page, press_r)
            out[label] = {"map_resent_bytes": sum(n for n, _ in log.decks(mark)),
                          "map_resent": bool(log.decks(mark)), "cache_refs": len(log.refs(mark)),
                          "all_frames_bytes": log.bytes_since(mark)}
        mark = log.mark()
        await bw.ensure_sidebar(page)
        await bw.select_option(page, "中兴", texts=["光武街道 · 中兴社区"], canvas=True)
        changed = log.decks(mark)
        out["rerun_selection_changed"] = {"map_resent_bytes": sum(n for n, _ in changed),
                                          "map_resent": bool(changed), "all_frames_bytes": log.bytes_since(mark)}
        out["errors"] = await bw.errors(page)
        return out
    finally:
        await ctx.close()
