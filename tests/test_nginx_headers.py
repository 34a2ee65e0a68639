"""The nginx front door's response headers, served by a real nginx with the production (HTTPS) configuration
(deploy/nginx_conf.py) in front of a stand-in replica: every answer carries HSTS and the browser-hardening
headers, and nginx does not announce its version."""
from __future__ import annotations

import contextlib
import http.client
import http.server
import os
import shutil
import signal
import ssl
import subprocess
import threading
import time

import pytest

from deploy.nginx_conf import private
from devtools.streamlit_server import free_port
from fault_helpers import hung_server
from nginx_helpers import private_nginx

pytestmark = pytest.mark.deploy

HARDENING = {"X-Content-Type-Options": "nosniff", "X-Frame-Options": "SAMEORIGIN",
             "Referrer-Policy": "same-origin"}
HSTS = "max-age=31536000"


SEEN: list[dict[str, str]] = []  # the headers each request reached the stand-in replica with


class _Replica(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        SEEN.append({k.lower(): v for k, v in self.headers.items()})
        body = b"ok"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args) -> None:
        pass


@contextlib.contextmanager
def _nginx(work, replica_ports: list[int], *, worker_shutdown: str | None = None, **options):
    """The production (HTTPS) site in a private nginx in front of `replica_ports`; yields its port."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl 未安装")
    cert, key = work / "cert.pem", work / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    port = free_port()
    text = private([("127.0.0.1", p) for p in replica_ports], listen=f"127.0.0.1:{port}", prefix=str(work),
                   tls=(str(cert), str(key)), **options,
                   **({"worker_shutdown": worker_shutdown} if worker_shutdown else {}))
    with private_nginx(work, text):
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                _get(port, "/readyz")
                break
            except OSError:
                time.sleep(0.1)
        yield port


@pytest.fixture(scope="module")
def front_door(tmp_path_factory):
    replica = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Replica)
    threading.Thread(target=replica.serve_forever, daemon=True).start()
    try:
        with _nginx(tmp_path_factory.mktemp("nginx-tls"), [replica.server_address[1]]) as port:
            yield port
    finally:
        replica.shutdown()


@pytest.fixture
def front_door_with_log(tmp_path):
    """The production site with a fresh access log of its own: (port, log path)."""
    replica = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Replica)
    threading.Thread(target=replica.serve_forever, daemon=True).start()
    try:
        with _nginx(tmp_path, [replica.server_address[1]]) as port:
            yield port, tmp_path / "nginx-access.log"
    finally:
        replica.shutdown()


@pytest.fixture(scope="module")
def empty_front_door(tmp_path_factory):
    """Every replica out: two ports nothing listens on (all replicas restarting, a host rebooting)."""
    with _nginx(tmp_path_factory.mktemp("nginx-empty"), [free_port(), free_port()]) as port:
        yield port


def _get(port: int, path: str, *, cookie: str = "", timeout: float = 5) -> http.client.HTTPResponse:
    conn = http.client.HTTPSConnection("127.0.0.1", port, timeout=timeout, context=ssl._create_unverified_context())
    conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
    resp = conn.getresponse()
    resp.body = resp.read()
    conn.close()
    return resp


@pytest.mark.parametrize("path", ["/", "/stars?community=%E4%B8%AD%E5%85%B4", "/_stcore/stream"])
def test_with_every_replica_out_the_browser_gets_a_chinese_page_that_retries(empty_front_door, path):
    """nginx's own 502 page is English and stays: a wall screen showed 「502 Bad Gateway」 until someone walked up
    to it. Now a Chinese page says what is happening and reloads itself, so the wall comes back with a replica."""
    resp = _get(empty_front_door, path)
    body = resp.body.decode("utf-8")
    assert resp.status == 503
    assert resp.getheader("Content-Type") == "text/html; charset=utf-8"
    assert resp.getheader("Retry-After") == "5" and resp.getheader("Cache-Control") == "no-store"
    assert "看板正在重新启动或暂时无法访问" in body and '<meta http-equiv="refresh" content="5">' in body
    assert '<html lang="zh-CN">' in body and "nginx" not in body.lower() and "Bad Gateway" not in body
    assert resp.getheader("Strict-Transport-Security") == HSTS
    assert {name: resp.getheader(name) for name in HARDENING} == HARDENING


@pytest.mark.parametrize("path, status", [("/", 200), ("/stars?community=%E4%B8%AD%E5%85%B4", 200),
                                          ("/readyz", 200), ("/metrics", 404)])
def test_every_answer_carries_hsts_and_the_hardening_headers(front_door, path, status):
    resp = _get(front_door, path)
    assert resp.status == status
    assert resp.getheader("Strict-Transport-Security") == HSTS
    assert {name: resp.getheader(name) for name in HARDENING} == HARDENING
    assert resp.getheader("Server") == "nginx"  # no version for a scanner to match


@pytest.mark.parametrize("path", ["/", "/_stcore/stream", "/readyz"])
def test_the_replica_learns_the_client_the_scheme_and_the_host_as_the_browser_sent_it(front_door, path):
    """What the app decides from these: the sign-in lockout counts X-Real-IP (ui/peer.py), cookies are Secure
    when X-Forwarded-Proto is https (ui/session_routes.py), and Streamlit's websocket same-origin check
    compares Origin with Host (with its port). A location with its own proxy_set_header inherits none from
    the server block: `location /` passed none of them (the Host became the upstream's name)."""
    SEEN.clear()
    _get(front_door, path)
    (seen,) = SEEN
    assert seen["host"] == f"127.0.0.1:{front_door}"
    assert (seen["x-real-ip"], seen["x-forwarded-for"], seen["x-forwarded-proto"]) == ("127.0.0.1", "127.0.0.1",
                                                                                          "https")


def test_a_browser_pinned_to_a_hung_replica_gets_its_page_from_another(tmp_path):
    """A replica that accepts and never answers (deadlocked, paused, its host stalled) held the page loads of every
    browser pinned to it for the websocket's idle limit, an hour (until the readiness watcher takes it out,
    nginx's passive checks are all there is). Plain requests now wait HTTP_READ_TIMEOUT (here 2 s), then go to
    another replica, which the browser stays with; the websocket keeps its long idle limit."""
    replica = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Replica)
    threading.Thread(target=replica.serve_forever, daemon=True).start()
    good = replica.server_address[1]
    try:
        with hung_server() as hung, _nginx(tmp_path, [hung, good], http_read_timeout="2s") as port:
            started = time.monotonic()
            resp = _get(port, "/", cookie=f"gw_route=r{hung}", timeout=20)
            elapsed = time.monotonic() - started
            assert (resp.status, resp.body) == (200, b"ok")
            assert 1.5 < elapsed < 10, elapsed
            assert resp.getheader("Set-Cookie").startswith(f"gw_route=r{good};")
    finally:
        replica.shutdown()


@contextlib.contextmanager
def _ws_replica(*, ping: float | None):
    """A stand-in replica's websocket: it accepts and then, with `ping`, pings every `ping` seconds as Streamlit's
    server does (an idle healthy tab); without, it says nothing more (a frozen replica). Yields its port."""
    from websockets.sync.server import serve

    done = threading.Event()

    def handler(ws) -> None:
        try:
            while not done.wait(ping if ping is not None else 3600):
                ws.ping()
        except Exception:  # noqa: BLE001 - the client or nginx closed it
            pass

    server = serve(handler, "127.0.0.1", 0, ping_interval=None)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.socket.getsockname()[1]
    finally:
        done.set()
        server.shutdown()


@pytest.mark.parametrize(("ping", "closed"), [(None, True), (0.5, False)])
def test_a_silent_replica_s_websocket_is_closed_and_a_pinging_one_kept(tmp_path, ping, closed):
    """A frozen replica keeps its browsers' websockets open (its kernel still acknowledges): a wall pinned to it
    showed stale figures, with no sign, for nginx's websocket idle limit (an hour). Streamlit's server pings every
    tab every 30 s, so nginx now closes a websocket silent for WS_IDLE (75 s; here 2 s) and the browser reconnects
    to a replica that answers; a healthy idle tab is never cut."""
    import ssl as _ssl

    import websocket

    with _ws_replica(ping=ping) as replica, _nginx(tmp_path, [replica], ws_idle="2s") as port:
        ws = websocket.create_connection(f"wss://127.0.0.1:{port}/_stcore/stream", timeout=10,
                                         sslopt={"cert_reqs": _ssl.CERT_NONE})
        ws.settimeout(0.2)  # below the ping interval: the loop below sees the clock
        started, ended = time.monotonic(), None
        try:
            while ended is None and time.monotonic() - started < 5:
                try:
                    ws.recv()  # pings are answered inside; a close (or a lost connection) ends the stream
                except websocket.WebSocketTimeoutException:
                    continue
                except (websocket.WebSocketConnectionClosedException, ConnectionError):
                    ended = time.monotonic() - started
        finally:
            ws.close()
    assert (ended is not None) is closed, ended
    if closed:
        assert 1.5 < ended < 4.5, ended


def test_nginx_outwaits_streamlit_s_websocket_pings():
    """WS_IDLE must exceed two of Streamlit's ping intervals (a late ping under load is not a lost replica)."""
    from streamlit.web.server.starlette.starlette_server import _get_websocket_settings

    from deploy.nginx_conf import WS_IDLE

    interval, _timeout = _get_websocket_settings()
    assert interval == 30 and int(WS_IDLE.rstrip("s")) >= 2 * interval + 15


def test_a_served_replica_pings_an_idle_tab_within_its_interval(tmp_path):
    """The premise of WS_IDLE, on a real server (serve.py, as deployed): an idle tab's websocket gets a ping
    within Streamlit's 30 s interval, so nginx never cuts a healthy one."""
    from websocket import ABNF

    from devtools.st_client import Session
    from devtools.streamlit_server import running

    with running(f"sqlite:///{tmp_path / 'ping.db'}", tmp_path) as server:
        tab = Session(server.url, timeout=60)
        try:
            tab.rerun()
            tab.ws.settimeout(40)
            started = time.monotonic()
            opcode, _frame = tab.ws.recv_data_frame(control_frame=True)  # nothing else is sent to an idle tab
            assert opcode == ABNF.OPCODE_PING and time.monotonic() - started < 31
        finally:
            tab.close()


def _workers(prefix) -> int:
    """nginx worker processes (old generations included) whose master runs under `prefix`."""
    master = int((prefix / "nginx.pid").read_text())
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(master)], capture_output=True, text=True).stdout
    return len(out.split())


def test_a_reload_does_not_leave_old_workers_holding_websockets_for_ever(tmp_path):
    """Every change of rotation (deploy/readiness_watch.py) reloads nginx, and so do certificate renewals. An old
    worker serves its connections until they close, and a wall's or a tablet's websocket never closes (Streamlit
    pings it every 30 s): each reload left one more generation of workers for days. After WORKER_SHUTDOWN (here 2 s)
    an old worker closes what it still holds; Streamlit's frontend reconnects to the same replica and resumes its
    session (the replica still holds it)."""
    import ssl as _ssl

    import websocket

    with _ws_replica(ping=0.5) as replica, _nginx(tmp_path, [replica], worker_shutdown="2s") as port:
        ws = websocket.create_connection(f"wss://127.0.0.1:{port}/_stcore/stream", timeout=10,
                                         sslopt={"cert_reqs": _ssl.CERT_NONE})
        ws.settimeout(0.2)
        try:
            before = _workers(tmp_path)
            os.kill(int((tmp_path / "nginx.pid").read_text()), signal.SIGHUP)
            started, ended = time.monotonic(), None
            while ended is None and time.monotonic() - started < 6:
                try:
                    ws.recv()
                except websocket.WebSocketTimeoutException:
                    continue
                except (websocket.WebSocketConnectionClosedException, ConnectionError):
                    ended = time.monotonic() - started
            assert ended is not None and 1.5 < ended < 5, ended  # closed by the old worker at its deadline
            deadline = time.monotonic() + 5
            while _workers(tmp_path) > before:  # and the old generation is gone
                assert time.monotonic() < deadline, "old nginx workers still running"
                time.sleep(0.1)
        finally:
            ws.close()


def test_the_access_log_does_not_keep_a_wall_link_s_token(front_door_with_log):
    """A 大屏链接 is shown once and only its token's hash is stored (lib.display_links), so that no one can read a
    working link back; but nginx's access log kept every opened link whole (`GET /display/<token>`), readable by
    whoever reads the logs, valid for up to ten years. The log now names the path without the token."""
    port, log = front_door_with_log
    token = "Zx9-SECRET-token_abc"
    paths = (f"/display/{token}", f"/display/{token}?community=%E4%B8%AD%E5%85%B4", "/stars?community=1",
             "/display/end")
    for path in paths:
        assert _get(port, path).status == 200
    deadline = time.monotonic() + 5
    # nginx writes a request's line when it ends; the start-up probe's (/readyz) is not this test's
    while len(lines := [x for x in log.read_text().splitlines() if "/readyz" not in x]) < len(paths):
        assert time.monotonic() < deadline, log.read_text()
        time.sleep(0.1)
    assert token not in log.read_text()
    assert '"GET /display/<redacted> HTTP/1.1" 200' in lines[0]
    assert '"GET /display/<redacted>?community=%E4%B8%AD%E5%85%B4 HTTP/1.1" 200' in lines[1]
    assert '"GET /stars?community=1 HTTP/1.1" 200' in lines[2]  # other paths are logged as they were
    assert '"GET /display/end HTTP/1.1" 200' in lines[3]
