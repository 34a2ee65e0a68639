"""Item 6: cold start — seed a fresh SQLite file, launch the server, wait for health, and draw the
overview (map canvas present) in an already running browser. The server is left running for reuse."""
from __future__ import annotations

import time
from pathlib import Path

from bench import browser as bw
from devtools import streamlit_server as ss


async def measure(browser, workdir: Path, log=print) -> tuple[dict, ss.Server, tuple]:
    """The figures, the running server, and (context, page) still open on the drawn overview
    (with its WebSocket frames logged), for the payload measurement to go on from; the caller closes it."""
    db_url = f"sqlite:///{workdir / 'app.db'}"
    t0 = time.monotonic()
    ss.seed(db_url)
    t_seed = time.monotonic()
    server = ss.start(db_url, workdir / "app.log")
    try:
        server.wait_healthy()
        t_health = time.monotonic()
        ctx, page = await bw.new_page(browser, f"{server.url}/", frames=True)
        await bw.wait_idle(page, texts=["最新数据"], canvas=True, timeout_ms=120_000)
        t_drawn = time.monotonic()
        errors = await bw.errors(page)
    except BaseException:
        server.stop()
        raise
    out = {"total_s": t_drawn - t0, "seed_s": t_seed - t0, "start_to_health_s": t_health - t_seed,
           "first_page_s": t_drawn - t_health, "errors": errors, "db_url": db_url}
    log(f"  cold start {out['total_s']:.1f} s (seed {out['seed_s']:.1f} s, server {out['start_to_health_s']:.1f} s, "
        f"first page {out['first_page_s']:.1f} s)")
    return out, server, (ctx, page)
