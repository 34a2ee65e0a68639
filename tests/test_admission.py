"""ui/admission.py: a process's page runs take turns — at most `slots` at once, the others waiting first come, first
served — and a run that waited its full time goes ahead (counted), so one long run cannot hold every session."""
from __future__ import annotations

import threading
import time

import pytest

from lib import config
from ui import admission, metrics


def _timeouts() -> float:
    return metrics.REGISTRY.get_sample_value("guangwu_admission_timeouts_total") or 0.0


def _runs(gate: admission.Gate, n: int, *, hold: float) -> tuple[int, list[tuple[int, bool]]]:
    """Start `n` runs at once, each holding its turn `hold` seconds; the most that ran together, and per run
    (order of entry, whether it had a slot)."""
    inside, most, entered = [0], [0], []
    lock, go = threading.Lock(), threading.Barrier(n)

    def run(i):
        go.wait()
        time.sleep(0.01 * i)  # arrive in order 0, 1, 2 …
        with gate.slot() as held:
            with lock:
                inside[0] += 1
                most[0] = max(most[0], inside[0])
                entered.append((i, held))
            time.sleep(hold)
            with lock:
                inside[0] -= 1

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    return most[0], entered


@pytest.mark.parametrize(("slots", "n", "most"), [(1, 4, 1), (2, 5, 2), (0, 4, 4)])
def test_at_most_slots_runs_at_once_in_order_of_arrival(slots, n, most):
    before = _timeouts()
    seen, entered = _runs(admission.Gate(slots=slots, wait_s=5), n, hold=0.05)
    assert seen == most
    assert [i for i, _ in entered] == list(range(n))  # first come, first served
    assert all(held for _, held in entered) == (slots > 0)
    assert _timeouts() == before


def test_a_run_that_waited_its_time_goes_ahead_and_is_counted():
    gate = admission.Gate(slots=1, wait_s=0.1)
    before = _timeouts()
    started = time.monotonic()
    seen, entered = _runs(gate, 2, hold=0.5)  # the first run holds its turn far longer than the wait
    assert seen == 2 and entered == [(0, True), (1, False)]
    assert time.monotonic() - started < 0.8  # the second did not wait for the first to finish
    assert _timeouts() == before + 1
    with gate.slot() as held:  # the slot came back; the late run did not give back one it never had
        assert held
        with gate.slot() as second:
            assert not second


def test_a_failing_run_gives_its_turn_back():
    gate = admission.Gate(slots=1, wait_s=0.1)
    with pytest.raises(RuntimeError), gate.slot():
        raise RuntimeError("页面出错")
    with gate.slot() as held:
        assert held


def test_the_gate_follows_the_settings(monkeypatch):
    monkeypatch.setenv("MAX_CONCURRENT_RUNS", "3")
    monkeypatch.setenv("ADMISSION_WAIT_MS", "250")
    config.settings.cache_clear()
    try:
        gate = admission.gate()
        assert (gate.slots, gate.wait_s) == (3, 0.25) and admission.gate() is gate
        monkeypatch.delenv("MAX_CONCURRENT_RUNS")
        monkeypatch.delenv("ADMISSION_WAIT_MS")
        config.settings.cache_clear()
        assert (admission.gate().slots, admission.gate().wait_s) == (1, 1.0)  # the defaults
    finally:
        config.settings.cache_clear()


def test_page_runs_take_turns(monkeypatch):
    """page_guard.page_run (every run of app.py) holds the process's gate for the run."""
    from ui import page_guard

    gate = admission.Gate(slots=1, wait_s=0.05)
    monkeypatch.setattr(admission, "gate", lambda: gate)
    with page_guard.page_run(screen=False):
        with gate.slot() as second:
            assert not second  # taken by the page run: a second run would wait
    with gate.slot() as held:
        assert held  # given back when the run ended


T = 4  # time scale: arrivals 80 ms apart, not 20, so a loaded machine's late thread wake-ups keep their order


def _arrivals(gate: admission.Gate, plan: list[tuple[str, float, bool]], *, hold: float) -> list[str]:
    """Runs named in `plan` (name, arrival after start in seconds, deferred?) each hold their turn `hold` seconds;
    the names in the order they got in."""
    entered, lock = [], threading.Lock()
    start = time.monotonic() + 0.05

    def run(name, at, deferred):
        time.sleep(max(0.0, start + at - time.monotonic()))
        with gate.slot(deferred=deferred):
            with lock:
                entered.append(name)
            time.sleep(hold)

    threads = [threading.Thread(target=run, args=step) for step in plan]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10 * T)
    return entered


@pytest.mark.parametrize(("plan", "order"), [
    # a redraw waits while anyone else waits, even those who came after it
    ([("a", 0, False), ("redraw", 0.02, True), ("b", 0.04, False), ("c", 0.12, False)], ["a", "b", "c", "redraw"]),
    # redraws among themselves: first come, first served, after every other run
    ([("a", 0, False), ("r1", 0.02, True), ("r2", 0.03, True), ("b", 0.04, False)], ["a", "b", "r1", "r2"]),
    # with nobody waiting a redraw runs at once
    ([("redraw", 0, True), ("a", 0.04, False)], ["redraw", "a"]),
])
def test_a_redraw_for_a_moved_session_waits_behind_the_runs_people_wait_for(plan, order):
    """A page drawn again because its browser came from a lost process (ui/reconnect.py) is on screen already:
    its run lets every run that someone is waiting for go first (each run here holds its turn 0.1 s)."""
    plan = [(name, at * T, deferred) for name, at, deferred in plan]
    assert _arrivals(admission.Gate(slots=1, wait_s=5 * T, defer_s=5 * T), plan, hold=0.1 * T) == order


def test_a_redraw_waits_at_most_defer_s_then_takes_its_turn_as_any_run():
    """Under steady load the redraw is not starved: after defer_s it queues first come, first served, so a run
    arriving after that goes after it."""
    gate = admission.Gate(slots=1, wait_s=5 * T, defer_s=0.1 * T)
    plan = [("a", 0, False), ("redraw", 0.02 * T, True), ("late", 0.2 * T, False)]  # the deferral ends at 0.12 T
    assert _arrivals(gate, plan, hold=0.3 * T) == ["a", "redraw", "late"]


def test_redraws_follow_the_settings(monkeypatch):
    monkeypatch.setenv("REDRAW_WAIT_MS", "2500")
    config.settings.cache_clear()
    try:
        assert admission.gate().defer_s == 2.5
        monkeypatch.delenv("REDRAW_WAIT_MS")
        config.settings.cache_clear()
        assert admission.gate().defer_s == 10.0  # the default
    finally:
        config.settings.cache_clear()


def test_the_first_run_of_a_moved_session_is_deferred(monkeypatch):
    """page_guard.page_run asks ui/reconnect.py whether this run redraws a page that came from another process."""
    from ui import page_guard, reconnect

    asked = []

    class Recorder(admission.Gate):
        def slot(self, *, deferred=False):
            asked.append(deferred)
            return super().slot(deferred=deferred)

    gate = Recorder(slots=1, wait_s=0.05)
    monkeypatch.setattr(admission, "gate", lambda: gate)
    for moved in (True, False):
        monkeypatch.setattr(reconnect, "moved_here", lambda moved=moved: moved)
        with page_guard.page_run(screen=False):
            pass
    assert asked == [True, False]
