"""Running a coroutine from a test, whatever ran before it in this thread."""
from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor


def run(coro):
    """Run a coroutine on a loop of its own in a worker thread: an earlier test (Playwright, AppTest) may have left
    an event loop running in this thread, where asyncio.run() refuses to start."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def call_middleware(middleware, path: str, *, method: str = "GET", query: str = "", cookie: str = "") -> dict:
    """Run an ASGI middleware class on one request in front of an app that records being reached; returns
    status, headers and body (or "passed" when the middleware let the request through)."""
    out: dict = {"status": None, "headers": {}, "body": b"", "passed": False}

    async def inner(scope, receive, send):
        out["passed"] = True

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        if message["type"] == "http.response.start":
            out["status"] = message["status"]
            out["headers"] = {k.decode(): v.decode() for k, v in message["headers"]}
        elif message["type"] == "http.response.body":
            out["body"] += message.get("body", b"")

    headers = [(b"cookie", cookie.encode())] if cookie else []
    scope = {"type": "http", "method": method, "path": path, "query_string": query.encode(), "headers": headers,
             "root_path": ""}
    run(middleware(inner)(scope, receive, send))
    return out
