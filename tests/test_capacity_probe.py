"""bench/capacity.Probe keeps sampling when the load client exits between two samples (a level ending): the
thread used to die with psutil.NoSuchProcess, so the rest of that level had no server or client CPU samples."""
from __future__ import annotations

import os
import subprocess
import sys
import time

from bench.capacity import Probe


def test_probe_outlives_the_client_and_keeps_its_last_reading():
    client = subprocess.Popen([sys.executable, "-c", "import time; t = time.process_time() + 0.3\n"
                               "while time.process_time() < t: pass"])
    probe = Probe([os.getpid()], client.pid)
    probe._sample()
    client.wait(timeout=30)
    time.sleep(0.1)  # reaped: the PID no longer exists
    probe._sample()  # raised psutil.NoSuchProcess before
    probe._sample()
    assert len(probe.series) == 3
    last_client = [s[3] for s in probe.series]
    assert last_client[1] == last_client[2] == last_client[0]  # the first sample saw the client's CPU so far


def test_probe_thread_runs_to_the_end_when_the_client_exits():
    client = subprocess.Popen([sys.executable, "-c", "pass"])
    with Probe([os.getpid()], client.pid) as probe:
        client.wait(timeout=30)
        time.sleep(1.3)
        assert probe._thread.is_alive()
    assert len(probe.series) >= 2
