"""systemd's watchdog for a replica (deploy/watchdog.py): the README said systemd restarts a replica whose liveness
check (/_stcore/health) fails, but systemd restarts only a process that exits. A replica whose event loop is stuck
(deadlocked, spinning) kept its port, failed every check, and stayed so until someone restarted it by hand.
Now, under systemd (NOTIFY_SOCKET, WATCHDOG_USEC), a thread asks the process's own /_stcore/health and tells
systemd WATCHDOG=1 only when it answers; the unit (WatchdogSec=) kills and restarts it otherwise."""
from __future__ import annotations

import contextlib
import http.server
import os
import socket
import threading
import time
from pathlib import Path

import pytest
from fault_helpers import hung_server

from deploy import watchdog
from devtools import streamlit_server as ss
from test_systemd_units import _unit


@contextlib.contextmanager
def _notify_socket(tmp_path: Path):
    """A datagram socket standing in for systemd's NOTIFY_SOCKET; yields (path, received messages)."""
    path = str(tmp_path / "notify.sock")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    sock.settimeout(0.1)
    got: list[tuple[float, str]] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            try:
                got.append((time.monotonic(), sock.recv(256).decode()))
            except OSError:
                continue

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    try:
        yield path, got
    finally:
        stop.set()
        thread.join(2)
        sock.close()


class _Health(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802
        self.send_response(200 if self.path == "/_stcore/health" else 404)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *_args) -> None:
        pass


@pytest.mark.parametrize(("env", "started"), [
    ({}, False),  # not under systemd
    ({"NOTIFY_SOCKET": "/run/x"}, False),  # no watchdog asked for
    ({"NOTIFY_SOCKET": "/run/x", "WATCHDOG_USEC": "60000000", "WATCHDOG_PID": "1"}, False),  # meant for another pid
    ({"NOTIFY_SOCKET": "/run/x", "WATCHDOG_USEC": "0"}, False),
    ({"NOTIFY_SOCKET": "/run/x", "WATCHDOG_USEC": "junk"}, False),
    ({"NOTIFY_SOCKET": "/run/x", "WATCHDOG_USEC": "60000000"}, True),
])
def test_only_under_a_systemd_watchdog(env, started):
    assert (watchdog.settings(env) is not None) is started


def test_settings_under_systemd():
    s = watchdog.settings({"NOTIFY_SOCKET": "@/org/sd", "WATCHDOG_USEC": "60000000", "WATCHDOG_PID": str(os.getpid())})
    assert s.address == "\0/org/sd" and s.interval == 20.0  # an abstract socket; a third of the limit


def test_pings_while_healthy_and_stops_while_stuck(tmp_path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Health)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with _notify_socket(tmp_path) as (path, got), hung_server() as hung:
        env = {"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "600000"}  # 0.6 s: a check every 0.2 s
        healthy = watchdog.start(f"http://127.0.0.1:{server.server_address[1]}/_stcore/health", environ=env)
        time.sleep(1.2)
        healthy.stop()
        pings = [m for _, m in got]
        assert pings and set(pings) == {"WATCHDOG=1"} and len(pings) >= 4, pings
        got.clear()
        stuck = watchdog.start(f"http://127.0.0.1:{hung}/_stcore/health", environ=env)  # accepts, never answers
        time.sleep(1.2)
        stuck.stop()
        assert got == []  # systemd's limit passes and it kills the process
    server.shutdown()


def test_a_served_replica_feeds_the_watchdog(tmp_path):
    """serve.py (as the systemd unit runs it) starts the thread, and its own health check reaches the server."""
    db = f"sqlite:///{tmp_path / 'w.db'}"
    with _notify_socket(tmp_path) as (path, got):
        with ss.running(db, tmp_path, extra_env={"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "3000000"}):
            deadline = time.monotonic() + 20
            while not any(m == "WATCHDOG=1" for _, m in got):
                assert time.monotonic() < deadline, "no WATCHDOG=1 from the served process"
                time.sleep(0.1)


def test_the_replica_unit_asks_for_the_watchdog():
    service = _unit("guangwu@.service")["Service"]
    assert int(service["WatchdogSec"]) >= 30  # far above a loaded replica's slowest health answer
    assert service["NotifyAccess"] == "main"
    # killed, not aborted: an abort would write a core file holding residents' data from the process's memory
    assert service["WatchdogSignal"] == "SIGKILL"
    assert service["Restart"] == "always"
