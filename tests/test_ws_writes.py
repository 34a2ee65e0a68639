"""deploy/ws_writes.py: a websocket connection's writes within FLUSH_DELAY leave as one, in order; close sends
what is kept first, abort drops it (which entries install it: tests/test_served_entries.py)."""
from __future__ import annotations

import asyncio

import pytest
from async_helpers import run

from deploy import ws_writes
from deploy.ws_writes import FLUSH_DELAY, BatchedTransport


class RecordingTransport(asyncio.Transport):
    def __init__(self) -> None:
        super().__init__()
        self.events: list[tuple[str, bytes]] = []
        self.closing = False

    def write(self, data) -> None:
        self.events.append(("write", bytes(data)))

    def write_eof(self) -> None:
        self.events.append(("eof", b""))

    def close(self) -> None:
        self.closing = True
        self.events.append(("close", b""))

    def abort(self) -> None:
        self.events.append(("abort", b""))

    def is_closing(self) -> bool:
        return self.closing

    def get_write_buffer_size(self) -> int:
        return 7

    def get_extra_info(self, name, default=None):
        return {"peername": ("127.0.0.1", 5555)}.get(name, default)


async def _after(steps, settle: float = FLUSH_DELAY * 20) -> list[tuple[str, bytes]]:
    raw = RecordingTransport()
    t = BatchedTransport(raw, asyncio.get_running_loop())
    for step in steps:
        if step == "turn":
            await asyncio.sleep(0)
        elif step == "wait":
            await asyncio.sleep(settle)
        elif step == "close":
            t.close()
        elif step == "abort":
            t.abort()
        elif step == "eof":
            t.write_eof()
        else:
            t.write(step)
    await asyncio.sleep(settle)
    return raw.events


@pytest.mark.parametrize(("steps", "expected"), [
    ([b"a", b"b", b"c"], [("write", b"abc")]),
    ([b"a", "turn", b"b", "turn", b"c"], [("write", b"abc")]),  # loop turns within the delay still join
    ([b"a", "wait", b"b"], [("write", b"a"), ("write", b"b")]),
    ([b"", b"a"], [("write", b"a")]),  # an empty write sends nothing and schedules nothing of its own
    ([b"a", b"b", "close"], [("write", b"ab"), ("close", b"")]),  # the close frame is not lost
    ([b"a", "eof"], [("write", b"a"), ("eof", b"")]),
    ([b"a", b"b", "abort"], [("abort", b"")]),
    ([], []),
], ids=["one burst", "across turns", "after the delay", "empty", "close flushes", "eof flushes", "abort drops",
        "nothing"])
def test_writes_join_in_order(steps, expected):
    assert run(_after(steps)) == expected


def test_the_rest_of_the_transport_is_the_connection_s_own():
    async def check():
        raw = RecordingTransport()
        t = BatchedTransport(raw, asyncio.get_running_loop())
        t.write(b"12345")
        seen = (t.get_write_buffer_size(), t.get_extra_info("peername"), t.is_closing())
        t.close()
        return seen, t.is_closing()

    assert run(check()) == ((7 + 5, ("127.0.0.1", 5555), False), True)


def test_a_write_waits_at_most_the_flush_delay():
    async def check():
        raw = RecordingTransport()
        loop = asyncio.get_running_loop()
        t = BatchedTransport(raw, loop)
        start = loop.time()
        t.write(b"x")
        while not raw.events:
            await asyncio.sleep(0.0002)
        return loop.time() - start

    assert run(check()) < FLUSH_DELAY + 0.05


def test_restore_gives_uvicorn_its_own_again():
    ws_writes.coalesce()
    try:
        assert ws_writes.installed()
    finally:
        ws_writes.restore()
    assert not ws_writes.installed()
