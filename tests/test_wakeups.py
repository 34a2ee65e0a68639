"""deploy/wakeups.py: a burst of a session's messages wakes the server's event loop once, in order (issue #15).
Streamlit wrote a byte to the loop's self-pipe twice per message (a tenth of a served rerun's busy time)."""
from __future__ import annotations

import asyncio
import threading
import types

import pytest
from streamlit.runtime.app_session import AppSession
from streamlit.runtime.runtime import Runtime

from deploy import wakeups


@pytest.fixture
def loop():
    """A running event loop in its own thread, counting the cross-thread wakeups it is asked for."""
    loop = asyncio.new_event_loop()
    wakes = []
    original = loop.call_soon_threadsafe

    def counting(callback, *args, **kwargs):
        wakes.append(callback)
        return original(callback, *args, **kwargs)

    loop.call_soon_threadsafe = counting
    loop.wakes = wakes
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    yield loop
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)
    loop.close()


@pytest.fixture
def installed():
    wakeups.coalesce()
    yield
    wakeups.restore()


class _Session(types.SimpleNamespace):
    """Only what the scheduling uses of an AppSession: its event loop, and the method under test."""

    def _call_soon_on_event_loop(self, callback):
        AppSession._call_soon_on_event_loop(self, callback)  # Streamlit's, or the installed one


def _session(loop) -> _Session:
    return _Session(_event_loop=loop)


def _burst(loop, session, n: int, *, seen: list, gate: threading.Event | None = None) -> None:
    """n callbacks from a script thread while the loop is busy (gate held), then wait until all ran."""
    done = threading.Event()
    if gate is not None:
        loop.call_soon_threadsafe(gate.wait, 5)  # the loop is busy with another session meanwhile
    for i in range(n):
        session._call_soon_on_event_loop(lambda i=i: seen.append(i))
    if gate is not None:
        gate.set()
    session._call_soon_on_event_loop(done.set)
    assert done.wait(5)


@pytest.mark.parametrize(("coalesced", "most_wakeups"), [(True, 3), (False, 101)])
def test_a_burst_wakes_the_loop_once_and_keeps_its_order(loop, coalesced, most_wakeups):
    if coalesced:
        wakeups.coalesce()
    try:
        seen: list[int] = []
        _burst(loop, _session(loop), 100, seen=seen, gate=threading.Event())
        assert seen == list(range(100))
        assert len(loop.wakes) - 1 <= most_wakeups  # minus the gate's own wakeup
        if not coalesced:
            assert len(loop.wakes) - 1 == most_wakeups  # Streamlit's own: one per callback
    finally:
        wakeups.restore()


def test_threads_racing_lose_nothing_and_keep_each_sessions_order(loop, installed):
    sessions = [_session(loop) for _ in range(4)]
    seen = {i: [] for i in range(4)}

    def script(i: int) -> None:
        for k in range(2000):
            sessions[i]._call_soon_on_event_loop(lambda i=i, k=k: seen[i].append(k))

    threads = [threading.Thread(target=script, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for i in range(4):
        done = threading.Event()
        sessions[i]._call_soon_on_event_loop(done.set)
        assert done.wait(5)
        assert seen[i] == list(range(2000))
    assert len(loop.wakes) < 4 * 2000


def test_a_failing_callback_is_reported_and_the_rest_still_run(loop, installed):
    reported = []
    loop.set_exception_handler(lambda _loop, context: reported.append(context["exception"]))
    seen: list[int] = []
    session = _session(loop)
    gate = threading.Event()
    loop.call_soon_threadsafe(gate.wait, 5)
    session._call_soon_on_event_loop(lambda: seen.append(1))
    session._call_soon_on_event_loop(lambda: 1 / 0)
    session._call_soon_on_event_loop(lambda: seen.append(2))
    gate.set()
    done = threading.Event()
    session._call_soon_on_event_loop(done.set)
    assert done.wait(5)
    assert seen == [1, 2]
    assert [type(e) for e in reported] == [ZeroDivisionError]


def test_a_closed_loop_drops_the_callback_and_the_session_schedules_again_later(installed):
    closed = asyncio.new_event_loop()
    closed.close()
    session = _session(closed)
    session._call_soon_on_event_loop(lambda: None)  # no error at shutdown, as Streamlit's own
    assert session._gw_pending.scheduled is False and not session._gw_pending.callbacks


def test_the_loops_own_signal_sets_the_event_without_a_wakeup(loop, installed):
    objs = types.SimpleNamespace(eventloop=loop, need_send_data=None)
    runtime = types.SimpleNamespace(_get_async_objs=lambda: objs)

    async def make_event():
        objs.need_send_data = asyncio.Event()

    asyncio.run_coroutine_threadsafe(make_event(), loop).result(5)
    before = len(loop.wakes)

    async def on_loop():
        Runtime._enqueued_some_message(runtime)
        return objs.need_send_data.is_set()

    assert asyncio.run_coroutine_threadsafe(on_loop(), loop).result(5) is True
    assert len(loop.wakes) == before + 1  # run_coroutine_threadsafe's own; the signal itself added none
    Runtime._enqueued_some_message(runtime)  # from another thread: through the loop, as before
    assert len(loop.wakes) == before + 2
