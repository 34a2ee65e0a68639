"""The readiness watcher (deploy/readiness_watch.py): open-source nginx has only passive checks, so a process polls
each replica's /readyz and marks an unready one `down` in nginx's upstreams. `make deploy-local` runs it against
its private nginx (tests/test_deploy.py); a real server runs it as `guangwu-readiness.service`, rewriting
/etc/nginx/conf.d/guangwu-upstreams.conf and reloading nginx. Before, the real deployment had no watcher at all:
a replica that could not read the database (or was frozen) kept its browsers, and the README said a monitor
would only raise an alert."""
from __future__ import annotations

import contextlib
import http.client
import http.server
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from deploy import nginx_conf, readiness_watch
from devtools.streamlit_server import free_port
from nginx_helpers import private_nginx

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(("checks", "expected"), [
    # each step: the replicas whose /readyz failed in that round; two replicas, 8501 and 8502
    ([set()], set()),
    ([{8502}], set()),  # one slow check under load does not take a replica out (FAILS = 2)
    ([{8502}, {8502}], {8502}),
    ([{8502}, set(), {8502}], set()),  # failures must be consecutive
    ([{8502}, {8502}, set()], {8502}),  # one good answer is not enough to return (PASSES = 2)
    ([{8502}, {8502}, set(), set()], set()),
    ([{8501, 8502}, {8501, 8502}], set()),  # never every replica out: nginx would have nothing to try
    ([{8502}, {8502}, {8501, 8502}, {8501, 8502}], {8502}),  # the last one standing stays in
    ([{8502}, {8502}, {8501}, {8501}], {8501}),  # 8502 came back when 8501 went (two passes, then two fails)
])
def test_rotation_rules(checks, expected):
    rotation = readiness_watch.Rotation([8501, 8502], fails=2, passes=2)
    for failed in checks:
        rotation.observe(failed)
    assert rotation.down == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("127.0.0.1:8501,127.0.0.1:8502", [("127.0.0.1", 8501), ("127.0.0.1", 8502)]),
    (" 10.0.0.5:8501 , ", [("10.0.0.5", 8501)]),
    ("8501", "主机:端口"),
    ("10.0.0.5:x", "主机:端口"),
    ("10.0.0.5:8501,10.0.0.6:8501", "副本端口重复：8501"),  # the routes (gw_route=r8501) are keyed by port
])
def test_replica_lists(text, expected):
    if isinstance(expected, list):
        assert nginx_conf.parse_replicas(text) == expected
    else:
        with pytest.raises(ValueError, match=expected):
            nginx_conf.parse_replicas(text)


def test_checks_run_side_by_side():
    """A frozen replica's check waits its whole timeout; the others are not held behind it."""
    def check(port: int) -> bool:
        time.sleep(0.5 if port == 1 else 0)
        return port != 1

    started = time.monotonic()
    assert readiness_watch.failing([1, 2, 3], check) == {1}
    assert time.monotonic() - started < 0.9


class _Flaky(http.server.BaseHTTPRequestHandler):
    """A stand-in replica: / names it; /readyz answers 200 or 503 as its server's `ready` says."""

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        ready = self.server.ready.is_set()
        status, body = (200 if ready else 503, b"ready" if ready else b"not ready") if self.path == "/readyz" \
            else (200, str(self.server.server_address[1]).encode())
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args) -> None:
        pass


def _replica() -> http.server.ThreadingHTTPServer:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Flaky)
    server.ready = threading.Event()
    server.ready.set()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _served_by(port: int) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    conn.request("GET", "/")  # a new browser: no gw_route cookie, least_conn over the replicas in rotation
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    return int(body)


def _wait(predicate, what: str, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, what
        time.sleep(0.1)


@contextlib.contextmanager
def _production_layout(work: Path, replicas: list[int]):
    """A private nginx laid out as a real server: the site (deploy/nginx/guangwu.conf's template) and the
    upstreams file the watcher owns, both included from one directory as Debian includes conf.d/*.conf."""
    conf_d = work / "conf.d"
    conf_d.mkdir()
    port = free_port()
    pairs = [("127.0.0.1", p) for p in replicas]
    (conf_d / "guangwu.conf").write_text(nginx_conf.front(pairs, listen=f"127.0.0.1:{port}",
                                                         access_log=f"{work}/nginx-access.log"))
    (conf_d / "guangwu-upstreams.conf").write_text(nginx_conf.upstreams(pairs))
    with private_nginx(work, nginx_conf.main_conf(f"    include {conf_d}/*.conf;", prefix=str(work))) as (nginx, conf):
        _wait(lambda: (work / "nginx.pid").exists(), "nginx did not start")
        yield port, conf_d / "guangwu-upstreams.conf", f"{nginx} -p {work} -c {conf} -s reload"


@pytest.mark.deploy
def test_the_production_watcher_takes_an_unready_replica_out_and_puts_it_back(tmp_path):
    a, b = _replica(), _replica()
    ports = [a.server_address[1], b.server_address[1]]
    with _production_layout(tmp_path, ports) as (port, upstreams, reload_command):
        assert {_served_by(port) for _ in range(6)} == set(ports)  # least_conn spreads new browsers
        watcher = subprocess.Popen(
            [sys.executable, "-m", "deploy.readiness_watch", "--upstreams", str(upstreams),
             "--replicas", ",".join(f"127.0.0.1:{p}" for p in ports), "--reload-command", reload_command,
             "--interval", "0.2"], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            b.ready.clear()  # e.g. its database pool cannot read: the page would show the database message
            _wait(lambda: f"127.0.0.1:{ports[1]} max_fails=1 fail_timeout=10s down;" in upstreams.read_text(),
                  "the unready replica was not marked down")
            _wait(lambda: {_served_by(port) for _ in range(6)} == {ports[0]}, "nginx still sends browsers to it")
            b.ready.set()
            _wait(lambda: " down;" not in upstreams.read_text(), "the replica did not come back")
            _wait(lambda: ports[1] in {_served_by(port) for _ in range(6)}, "nginx did not send browsers back")
            b.ready.clear()
            _wait(lambda: " down;" in upstreams.read_text(), "the replica was not marked down again")
        finally:
            watcher.send_signal(signal.SIGTERM)
            out, _ = watcher.communicate(timeout=15)
        # stopping the watcher puts every replica back (nginx's passive checks still apply): a replica left
        # `down` by a watcher that is no longer running would never return
        assert watcher.returncode == 0, out
        assert upstreams.read_text() == nginx_conf.upstreams([("127.0.0.1", p) for p in ports])
        _wait(lambda: ports[1] in {_served_by(port) for _ in range(6)}, "the stopped watcher left a replica out")
        assert f"未就绪、已摘除：127.0.0.1:{ports[1]}" in out and "已停止，所有副本放回轮询" in out
    a.shutdown()
    b.shutdown()


def test_a_failed_reload_is_retried_with_backoff(tmp_path, capsys):
    """nginx refused the reload (an administrator broke guangwu.conf; systemctl timed out): the file is written, but
    nginx still routes by the old one. The watcher says so and reloads again later even though the file is
    unchanged; it waits longer after each failure (up to a minute) instead of running the reload and logging a line
    every second for as long as the configuration stays broken."""
    now = [0.0]
    script = tmp_path / "reload.sh"
    script.write_text(f"#!/bin/sh\necho run >> {tmp_path / 'calls'}\n[ -e {tmp_path / 'ok'} ] || exit 1\n")
    script.chmod(0o755)
    target = readiness_watch.UpstreamsFile(tmp_path / "up.conf", [("127.0.0.1", 8501), ("127.0.0.1", 8502)],
                                           reload_command=str(script), clock=lambda: now[0])

    def calls() -> int:
        return len((tmp_path / "calls").read_text().split())

    assert target.apply({8502}) is False
    assert "8502 max_fails=1 fail_timeout=10s down;" in (tmp_path / "up.conf").read_text()
    for _ in range(100):  # a hundred rounds, a second apart
        now[0] += 1
        assert target.apply({8502}) is False
    assert calls() == 7  # after 1, 2, 4, 8, 16, 32 s, and then at most once a minute
    assert capsys.readouterr().out.count("nginx 重新加载失败") == 7
    assert target.apply({8502}, force=True) is False and calls() == 8  # the watcher stopping tries at once
    (tmp_path / "ok").touch()
    now[0] += 60
    assert target.apply({8502}) is True
    assert "nginx 已重新加载" in capsys.readouterr().out  # the recovery is said too
    assert target.apply({8502}) is True  # unchanged and reloaded: nothing to do
    assert calls() == 9
    assert target.apply({8501}) is True and calls() == 10  # a new change reloads at once
    assert os.stat(tmp_path / "up.conf").st_mode & 0o777 == 0o644  # nginx's workers read it


def test_the_checked_in_upstreams_and_unit_agree():
    """The unit rewrites the file that deploy/nginx/ ships beside the site, for the replicas the site names."""
    from test_systemd_units import _unit

    unit = _unit("guangwu-readiness.service")["Service"]
    args = unit["ExecStart"].split()
    assert args[args.index("--upstreams") + 1] == "/etc/nginx/conf.d/guangwu-upstreams.conf"
    replicas = args[args.index("--replicas") + 1]
    assert replicas == "127.0.0.1:8501,127.0.0.1:8502"
    shipped = (REPO / "deploy" / "nginx" / "guangwu-upstreams.conf").read_text()
    assert shipped == nginx_conf.upstreams([("127.0.0.1", 8501), ("127.0.0.1", 8502)])
    assert "upstream guangwu {" not in (REPO / "deploy" / "nginx" / "guangwu.conf").read_text()
    assert unit["User"] == "root" and "/etc/nginx/conf.d" in unit["ReadWritePaths"]


def test_a_replica_answering_garbage_is_not_ready():
    """Not HTTP on the replica's port (another program took it, a proxy in between): the check says not ready,
    where http.client's BadStatusLine used to end the watcher."""
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)

    def serve() -> None:
        conn, _addr = listener.accept()  # the one check below
        conn.recv(1024)
        conn.sendall(b"garbage\r\n\r\n")
        conn.close()

    threading.Thread(target=serve, daemon=True).start()
    port = listener.getsockname()[1]
    try:
        from deploy.local import _get

        assert _get(f"http://127.0.0.1:{port}/readyz", timeout=2) == 0
    finally:
        listener.close()
