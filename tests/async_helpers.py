"""Running a coroutine from a test, whatever ran before it in this thread."""
from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor


def run(coro):
    """Run a coroutine on a loop of its own in a worker thread: an earlier test (Playwright, AppTest) may have left
    an event loop running in this thread, where asyncio.run() refuses to start."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()
