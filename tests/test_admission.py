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
