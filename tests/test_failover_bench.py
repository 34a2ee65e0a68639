"""bench/failover.py (figure 10, losing a replica under load): the figures it prints come from the right samples, and
its target is missed by any error, a slow survivor, a slow redraw or a new tab sent to the lost replica. The
measurement itself runs in `make bench-quick` (CI), where a crash fails the run."""
from __future__ import annotations

import pytest

from bench import failover
from bench.failover import Sample

SURVIVOR, VICTIM = "127.0.0.1:18081", "127.0.0.1:18082"


def _samples(*, extra=()):
    return [
        Sample(1.0, SURVIVOR, 9.0, "rerun", False),  # during the start-up stagger: left out
        Sample(5.0, SURVIVOR, 0.010, "rerun", False),
        Sample(6.0, SURVIVOR, 0.030, "rerun", False),
        Sample(7.0, VICTIM, 5.0, "rerun", False),  # the lost replica's own runs are not the survivor's
        Sample(10.5, SURVIVOR, 0.200, "rerun", False),
        Sample(11.0, SURVIVOR, 0.400, "rerun", False),
        Sample(10.6, SURVIVOR, 0.450, "redraw", True),
        Sample(10.8, SURVIVOR, 0.350, "redraw", True),
        Sample(12.0, SURVIVOR, 0.050, "rerun", True),  # a moved tab's later run: not the survivor's own
        Sample(12.5, SURVIVOR, 0.900, "new", False),
        Sample(25.0, SURVIVOR, 0.020, "rerun", False),
        *extra,
    ]


def test_the_figures_come_from_the_survivors_own_runs_and_the_moved_tabs():
    level = failover.analyse(_samples(), kill_t=10.0, survivor=SURVIVOR, sessions=4, start_s=2.0)
    assert level["before"]["n"] == 2 and level["before"]["p95"] == pytest.approx(0.030)
    assert level["after"]["n"] == 2 and level["after"]["p95"] == pytest.approx(0.400)
    assert level["later"]["n"] == 1 and level["later"]["p95"] == pytest.approx(0.020)
    assert level["moved"] == 2 and level["redraw"]["p50"] == pytest.approx(0.350)
    assert level["redraw"]["p95"] == pytest.approx(0.450)
    assert level["moved_reruns"]["n"] == 1
    assert level["new_tabs"] == {"n": 1, "on_survivor": 1}
    assert level["errors"] == 0 and failover.met(level)


@pytest.mark.parametrize(("extra", "why"), [
    ([Sample(11.0, "", 0.0, "error", True, "reconnect: refused")], "a tab could not reconnect"),
    ([Sample(11.2, SURVIVOR, 0.3, "rerun", False, "页面暂时无法显示")], "a run drew an error"),
    ([Sample(11.5, SURVIVOR, 1.5, "rerun", False)] * 3, "the survivor's p95 passed 1 s"),
    ([Sample(11.5, SURVIVOR, 2.5, "redraw", True)] * 3, "moved pages took over 2 s"),
    ([Sample(12.6, VICTIM, 0.2, "new", False)], "a new tab went to the lost replica"),
])
def test_the_target_is_missed(extra, why):
    level = failover.analyse(_samples(extra=extra), kill_t=10.0, survivor=SURVIVOR, sessions=4, start_s=2.0)
    assert not failover.met(level), why
    assert failover.row({"failover": {"mode": "full", "levels": [level]}})["met"] == "no"


def test_the_row_reads_every_level_and_says_when_it_did_not_run():
    level = failover.analyse(_samples(), kill_t=10.0, survivor=SURVIVOR, sessions=4, start_s=2.0)
    row = failover.row({"failover": {"mode": "quick", "levels": [level, level]}})
    assert row["met"] == "yes" and row["measured"].startswith("quick: 4 sessions, 2 moved: survivor p95 30 → 400 ms")
    assert row["measured"].count("4 sessions") == 2
    assert failover.row({})["measured"] == "not run"
