"""`make deploy-local REPLICAS=2` on PostgreSQL: nginx serves, a write shows on both replicas within 2 s,
and a replica killed with SIGKILL loses no session on the other, new sessions go to the survivor, and
nothing written is lost.

Needs PostgreSQL (TEST_DATABASE_URL) and nginx (installed by `make deploy-local` when we are root).
"""
from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
import uuid

import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import text
from db_helpers import fresh_engine
from test_nginx_headers import HARDENING

from deploy.local import REPO, State, _alive, kill
from devtools import st_client
from devtools.st_client import ProtocolError, Session
from devtools.streamlit_server import free_port
from lib import auth
from lib.db import session_scope
from lib.models import SiteCheck
from lib.writes.checks import file_site_check

pytestmark = pytest.mark.deploy


def _make(target: str, env: dict[str, str], **vars_: str) -> subprocess.CompletedProcess:
    return subprocess.run(["make", target, *[f"{k}={v}" for k, v in vars_.items()]], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300, check=False)


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    if shutil.which("nginx") is None and not os.path.exists("/usr/sbin/nginx") and os.geteuid() != 0:
        pytest.skip("没有 nginx，且不是 root，无法安装")
    engine = fresh_engine("postgresql", tmp_path_factory.mktemp("deploy-db"), database="guangwu_deploy")
    url = engine.url.render_as_string(hide_password=False)
    run_dir = tmp_path_factory.mktemp("deploy-run")
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url}
    done = _make("deploy-local", env, REPLICAS="2", DEPLOY_PORT=str(port), DEPLOY_RUN=str(run_dir))
    try:
        assert done.returncode == 0, done.stdout + done.stderr
        assert f"http://127.0.0.1:{port}" in done.stdout
        state = State.load(run_dir)
        assert all(f"http://127.0.0.1:{p.port}/metrics" in done.stdout for p in state.replicas())
        assert "数据库连接预算：2 个进程 × 每进程最多 30" in done.stdout  # lib/db_budget.py, against max_connections
        yield state, engine
    finally:
        stop = _make("deploy-stop", env, DEPLOY_RUN=str(run_dir))
        assert stop.returncode == 0, stop.stderr
        if (state := State.load(run_dir)) is not None:
            assert not [p.name for p in state.procs if _alive(p)]


def _replica_of(session: Session, state: State) -> int:
    """Which replica serves `session`'s websocket (nginx names it on the 101 answer). Asking nginx again with
    the same cookie is not the same thing: while nginx reloads, or skips a replica it saw fail, that later
    request can go elsewhere than the socket did."""
    return [p.port for p in state.replicas()].index(int(session.upstream.rsplit(":", 1)[1]))


def _routed(state: State, cookie: str = "") -> int:
    """Which replica nginx sends a request to now (with a browser's cookie, or as a new browser)."""
    req = urllib.request.Request(f"{state.url}/", headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return [p.port for p in state.replicas()].index(int(resp.headers["X-Guangwu-Replica"].rsplit(":", 1)[1]))


def _token() -> str:
    """A unique finding marker with no digits: a random hex token holds a run of ≥7 digits about 8% of the
    time, which the checks page masks for viewers who are not signed in (lib.privacy), so it would not show."""
    return uuid.uuid4().hex[:10].translate(str.maketrans("0123456789", "ghijklmnop"))


def _check(engine, token: str) -> None:
    """A site check written as an administrator (the account is made once per database)."""
    try:
        admin = auth.create_user("deployadmin", "Deploy-Test-1", role="街道管理员", display_name="部署测试",
                                 by=auth.SYSTEM, engine=engine, rounds=4)
    except Exception:  # noqa: BLE001 - made by an earlier test in this module
        admin = auth.Actor(username="deployadmin", display_name="部署测试", role="街道管理员")
    file_site_check(admin, community="中兴", category="其他", finding=f"部署测试 {token}", lon=112.53, lat=33.0,
                    engine=engine)


def test_serves_through_nginx(deployment):
    state, _ = deployment
    with urllib.request.urlopen(f"{state.url}/readyz", timeout=10) as resp:
        assert resp.status == 200
    with urllib.request.urlopen(f"{state.url}/", timeout=10) as resp:  # the hardening headers, once each
        assert [resp.headers.get_all(name) for name in HARDENING] == [[v] for v in HARDENING.values()]
    for p in state.replicas():
        with urllib.request.urlopen(f"http://127.0.0.1:{p.port}/readyz", timeout=10) as resp:
            assert resp.status == 200
    s = Session(state.url)
    try:
        assert s.cookie.startswith("gw_route=")
        run = s.rerun()
        assert run.exceptions == [] and run.contains("社区")
        assert s.rerun(page="stars", query="community=中兴", strings={"社区": "中兴"}).exceptions == []
    finally:
        s.close()


def _scrape(port: int) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as resp:
        assert resp.status == 200
        return resp.read().decode()


def _sample(text: str, name: str, **labels: str) -> float:
    (value,) = [s.value for family in text_string_to_metric_families(text) for s in family.samples
                if s.name == name and s.labels == labels]
    return value


def test_each_replica_serves_metrics_and_nginx_does_not(deployment):
    """The monitoring host scrapes each replica's own port (ui/metrics.py); through nginx /metrics is 404."""
    state, _ = deployment
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{state.url}/metrics", timeout=10)
    assert refused.value.code == 404
    s = Session(state.url)
    try:
        s.rerun(page="stars")
        port = state.replicas()[_replica_of(s, state)].port
        text = _scrape(port)
        assert _sample(text, "guangwu_sessions", state="active") >= 1
        assert _sample(text, "guangwu_page_runs_total", page="stars", outcome="ok") >= 1
        assert _sample(text, "process_resident_memory_bytes") > 50e6
        held = _sample(text, "guangwu_sessions", state="active")
    finally:
        s.close()
    deadline = time.monotonic() + 10
    while _sample(_scrape(port), "guangwu_sessions", state="active") != held - 1:  # the closed session let go
        assert time.monotonic() < deadline, "a closed session is still counted as active"
        time.sleep(0.2)


def test_sessions_stay_on_their_replica_and_spread(deployment):
    state, _ = deployment
    seen = set()
    for _ in range(12):
        s = Session(state.url)
        first = _replica_of(s, state)
        assert all(_routed(state, s.cookie) == first for _ in range(3))  # its later requests follow its socket
        seen.add(first)
        s.close()
    assert seen == {0, 1}


@contextlib.contextmanager
def _out_of_rotation(state: State, index: int):
    """SIGSTOP replica `index` (connections accepted, nothing answered, so nginx's passive check never fires)
    until the watcher marks it down and nginx reloads; after the block, let it go on and wait until nginx gives
    new browsers to it again."""
    stopped = state.replica(index)
    conf = os.path.join(state.run_dir, "nginx.conf")
    os.killpg(stopped.pid, signal.SIGSTOP)
    try:
        deadline = time.monotonic() + 20
        while f":{stopped.port} max_fails=1 fail_timeout=10s down;" not in open(conf).read():
            assert time.monotonic() < deadline, "the unready replica was not taken out of rotation"
            time.sleep(0.3)
        time.sleep(0.5)  # nginx reloads its workers
        yield
    finally:
        os.killpg(stopped.pid, signal.SIGCONT)
    deadline = time.monotonic() + 20
    while " down;" in open(conf).read():
        assert time.monotonic() < deadline, "the replica did not come back into rotation"
        time.sleep(0.3)
    while index not in {_routed(state) for _ in range(4)}:  # new browsers reach it again
        assert time.monotonic() < deadline, "nginx did not send new browsers to the returned replica"
        time.sleep(0.1)


def test_a_browser_moved_by_a_failover_stays_with_its_new_replica(deployment):
    """A tablet on replica 0 reconnects to replica 1 while 0 is out (a restart, an upgrade). When 0 returns,
    the tablet's socket is still on 1, and so must its other requests be: a photo upload
    (/_stcore/upload_file/<its session>) or an image (/media/…) sent to 0 would find nothing there."""
    state, _ = deployment
    while _replica_of(tablet := Session(state.url), state) != 0:
        tablet.close()
    tablet.close()
    with _out_of_rotation(state, 0):
        moved = Session(state.url, cookie=tablet.cookie)  # the same browser reconnects (its cookie jar)
        assert _replica_of(moved, state) == 1 and moved.rerun().exceptions == []
    try:
        assert _replica_of(moved, state) == 1
        assert [_routed(state, moved.cookie) for _ in range(3)] == [1, 1, 1]
        assert moved.rerun(page="stars").exceptions == []
    finally:
        moved.close()


def _two_seconds_after(written_at: float) -> None:
    """Wait until 2 s after the write returned: a run that starts then must show it (how long the run
    itself takes on a loaded machine is not what "visible within 2 s" is about)."""
    time.sleep(max(0.0, written_at + 2.0 - time.monotonic()))


def _file_through_ui(session: Session, engine, token: str) -> None:
    """Sign in as a 中兴 staff member and submit 现场核查登记 on `session`'s replica, as a tablet does."""
    try:
        auth.create_user("zxdeploy", "Deploy-Staff-1", role="社区工作人员", community="中兴", by=auth.SYSTEM,
                         engine=engine, rounds=4)
    except Exception:  # noqa: BLE001 - made by an earlier run in this module
        pass
    # The sign-in form POSTs to the replica; the page then reloads (a new tab session) with the cookie.
    tablet = Session(session.base_url, cookie=st_client.sign_in(session.base_url, "zxdeploy", "Deploy-Staff-1"))
    try:
        assert tablet.rerun(page="account").contains("已登录")
        tablet.rerun(page="check_form")
        saved = tablet.rerun(page="check_form", strings={"类别": "其他", "问题描述": f"部署测试 {token}"},
                             click="提交核查记录")
        assert saved.exceptions == [] and saved.contains("已保存")
    finally:
        tablet.close()


def test_write_through_one_replica_shows_on_the_other_within_2s(deployment):
    state, engine = deployment
    a = Session(f"http://127.0.0.1:{state.replica(0).port}")
    b = Session(f"http://127.0.0.1:{state.replica(1).port}")
    try:
        token = _token()
        for s in (a, b):  # both replicas have the page cached before the write
            s.rerun()
            assert not s.rerun(page="checks").contains(token)
            assert not s.rerun(page="checks").contains(token)
        _file_through_ui(a, engine, token)
        _two_seconds_after(time.monotonic())
        assert b.rerun(page="checks").contains(token)
        assert a.rerun(page="checks").contains(token)
    finally:
        a.close()
        b.close()


def test_wall_on_the_other_replica_reruns_within_2s_of_a_write(deployment):
    """The wall (?screen=1) is never touched: its data-version fragment (run_every=2, timed by the browser;
    here by the test) asks for a full rerun once a write on any replica changed the data."""
    state, engine = deployment
    wall = Session(f"http://127.0.0.1:{state.replica(1).port}")
    try:
        assert wall.rerun(query="screen=1").contains("最新数据")
        (tick,) = [f for f, every in wall.auto_reruns.items() if every == 2]
        quiet = wall.rerun(query="screen=1", fragment=tick)
        assert not quiet.contains("最新数据"), "no new data: the tick draws nothing"
        _check(engine, _token())
        _two_seconds_after(time.monotonic())
        assert wall.rerun(query="screen=1", fragment=tick).contains("最新数据"), "the wall did not rerun"
    finally:
        wall.close()


def test_unready_replica_leaves_rotation_and_returns(deployment):
    """A replica that stops answering (SIGSTOP: connections accepted, nothing answered, so nginx's passive
    check never fires) fails /readyz; the watcher marks it down and new sessions go to the other one."""
    state, _ = deployment
    with _out_of_rotation(state, 0):
        for _ in range(6):
            s = Session(state.url, timeout=10)
            try:
                assert _replica_of(s, state) == 1
                assert s.rerun().exceptions == []
            finally:
                s.close()


def test_killed_replica_loses_no_session_on_the_other(deployment):
    state, engine = deployment
    sessions: dict[int, list[Session]] = {0: [], 1: []}
    while min(len(v) for v in sessions.values()) < 2:
        s = Session(state.url)
        s.rerun()
        sessions[_replica_of(s, state)].append(s)
    before_ids = [s.session_id for s in sessions[1]]
    token = _token()
    _check(engine, token)
    written_at = time.monotonic()

    kill(state.replica(0), signal.SIGKILL)
    for _ in range(50):
        if not _alive(state.replica(0)):
            break
        time.sleep(0.1)
    # sessions on the survivor carry on: same session, runs finish, no exception, the write shows
    _two_seconds_after(written_at)
    for s in sessions[1]:
        run = s.rerun(page="checks")
        assert run.exceptions == [] and run.contains(token)
    assert [s.session_id for s in sessions[1]] == before_ids
    # sessions on the dead replica lost their socket; reconnecting (same cookie) lands on the survivor
    for s in sessions[0]:
        with pytest.raises(ProtocolError):
            s.rerun()
        s.close()
    # new sessions all go to the survivor and work
    for _ in range(6):
        s = Session(state.url)
        try:
            assert _replica_of(s, state) == 1
            assert s.rerun(page="checks").contains(token)
        finally:
            s.close()
    # nothing written is lost
    with session_scope(engine) as db:
        assert db.query(SiteCheck).filter(SiteCheck.finding == f"部署测试 {token}").count() == 1
    for s in sessions[1]:
        s.close()


def test_a_browser_on_a_named_host_and_port_opens_its_session_without_an_outside_lookup(deployment):
    """Staff open the dashboard by the server's intranet name on nginx's port (http://看板主机:8080). The
    websocket must pass Streamlit's same-origin check as it is: if nginx passed the Host without its port,
    the Origin would not match, and Streamlit would look up this machine's internet address
    (checkip.amazonaws.com: an outside request, 2 s of timeouts on an intranet) and then refuse the socket."""
    import websocket

    state, _ = deployment
    port = state.url.rsplit(":", 1)[1]
    started = time.monotonic()
    ws = websocket.create_connection(f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"],
                                     timeout=10, host=f"dashboard.intranet:{port}",
                                     origin=f"http://dashboard.intranet:{port}")
    try:
        assert ws.getstatus() == 101 and time.monotonic() - started < 1.0
    finally:
        ws.close()


def test_each_replica_names_its_connections_after_its_port(deployment):
    """A DBA reading pg_stat_activity sees which replica holds which connections (DB_APPLICATION_NAME)."""
    state, engine = deployment
    running = [p for p in state.replicas() if _alive(p)]  # an earlier test may have killed one
    assert running
    for p in running:
        _scrape(p.port)  # /metrics reads the pool; /readyz has connected already
    with engine.connect() as conn:
        names = set(conn.execute(text("SELECT application_name FROM pg_stat_activity WHERE datname = "
                                      "current_database()")).scalars())
    assert {f"guangwu@{p.port}" for p in running} <= names, names
