"""A tablet behind nginx (make deploy-local, 2 replicas) when its replica is lost and comes back (a crash,
an upgrade's restart): Chromium reconnects to the other replica and stays there — its next requests
(uploads, images, downloads) follow its session, not the replica it started on (deploy/nginx_conf.py), and
the page is drawn again by the replica it now talks to (ui/reconnect.py)."""
from __future__ import annotations

import signal
import time
import urllib.request

import pytest
from browser_helpers import open_sidebar, problems

from deploy import local
from devtools.streamlit_server import free_port

pytestmark = pytest.mark.browser
SELECTOR_INPUT = '[data-testid="stSidebar"] [data-testid="stSelectbox"] input'


def _new_browser_goes_to(url: str) -> str:
    with urllib.request.urlopen(f"{url}/", timeout=10) as resp:
        return resp.headers["X-Guangwu-Replica"]


@pytest.fixture
def deployed(browser, seeded_db, tmp_path):
    """`make deploy-local REPLICAS=2` on the suite's database, and a tablet's browser context: (state, run_dir, ctx)."""
    try:
        local.ensure_nginx()
    except local.DeployError as exc:
        pytest.skip(str(exc))
    run_dir = tmp_path / "deploy"
    state = local.up(replicas=2, port=free_port(), run_dir=run_dir, db_url=seeded_db)
    ctx = browser.new_context(viewport={"width": 1024, "height": 1366}, has_touch=True, locale="zh-CN",
                              timezone_id="Asia/Shanghai", accept_downloads=True)
    try:
        yield state, run_dir, ctx
    finally:
        ctx.close()
        local.down(run_dir)


def test_a_tablet_stays_with_the_replica_it_failed_over_to(deployed, seeded_db):
    from conftest import Opened, wait_for_streamlit

    state, run_dir, ctx = deployed
    restarted = None

    def tablet_goes_to() -> str:  # where the tablet's own next request (an upload, an image) is sent
        return ctx.request.get(f"{state.url}/_stcore/health").headers["x-guangwu-replica"]

    try:
        page = ctx.new_page()
        opened = Opened(page=page, base=state.url, width=1024, height=1366)
        sockets: list[object] = []
        page.on("websocket", opened._websocket)
        page.on("websocket", lambda ws: sockets.append(ws))
        opened.goto("checks?community=中兴")
        ports = [p.port for p in state.replicas()]
        index = ports.index(int(tablet_goes_to().rsplit(":", 1)[1]))
        lost, other = state.replicas()[index], state.replicas()[1 - index]

        local.kill(lost, signal.SIGKILL)  # the tablet's replica is gone: Streamlit's frontend reconnects
        deadline = time.monotonic() + 60
        while len(sockets) < 2:
            assert time.monotonic() < deadline, "the tablet did not reconnect"
            page.wait_for_timeout(300)
        page.wait_for_timeout(1000)  # (the survivor draws the page again: ui/reconnect.py)
        assert tablet_goes_to() == f"127.0.0.1:{other.port}"

        restarted, popen = local.start_replica(index, lost.port, seeded_db, run_dir)  # systemd's Restart=
        local.wait_ready(f"http://127.0.0.1:{lost.port}/readyz", popen, run_dir / "restarted.log")
        while f"127.0.0.1:{lost.port}" not in {_new_browser_goes_to(state.url) for _ in range(4)}:
            assert time.monotonic() < deadline + 60, "the restarted replica did not return to rotation"
            time.sleep(0.3)

        # back in rotation, yet the tablet's requests go where its session is
        assert [tablet_goes_to() for _ in range(3)] == [f"127.0.0.1:{other.port}"] * 3
        open_sidebar(page)  # and the session itself carries on: a change of community runs on it
        page.locator(SELECTOR_INPUT).first.click()
        page.locator('[role="option"]').filter(has_text="西华").first.click()
        wait_for_streamlit(opened)
        assert "现场核查 · 西华社区" in page.locator('[data-testid="stMain"]').inner_text()
        assert not problems(page), problems(page)
    finally:
        if restarted is not None:
            local.kill(restarted, signal.SIGKILL)


def test_a_tablet_whose_replica_is_lost_is_drawn_again_and_its_first_download_works(deployed):
    """Streamlit's frontend reconnects without a rerun unless the page has a timed fragment: the page stayed as
    the lost replica drew it, and its download buttons named files that only the lost process held — the first
    tap after a failover downloaded nothing. The survivor now draws the page again on its own."""
    from conftest import Opened

    state, _run_dir, ctx = deployed
    page = ctx.new_page()
    opened = Opened(page=page, base=state.url, width=1024, height=1366)
    sockets: list[object] = []
    reruns: list[float] = []  # the browser's messages on the socket after the reconnect (a rerun request)
    page.on("websocket", opened._websocket)

    def connected(ws) -> None:
        sockets.append(ws)
        if len(sockets) > 1:
            ws.on("framesent", lambda _payload: reruns.append(time.monotonic()))

    page.on("websocket", connected)
    opened.goto("overview?community=中兴")
    served = ctx.request.get(f"{state.url}/_stcore/health").headers["x-guangwu-replica"]
    lost = next(p for p in state.replicas() if served.endswith(f":{p.port}"))

    local.kill(lost, signal.SIGKILL)
    deadline = time.monotonic() + 60
    while len(sockets) < 2:
        assert time.monotonic() < deadline, "the tablet did not reconnect"
        page.wait_for_timeout(300)
    while not reruns and time.monotonic() < deadline:
        page.wait_for_timeout(300)
    assert reruns, "the page was not drawn again after the reconnect"
    page.wait_for_timeout(3000)  # the survivor's run finishes (and registers the page's downloads)

    main = page.locator('[data-testid="stMain"]')
    main.get_by_role("button", name="生成简报图片").click()  # built on the survivor, in this session's run
    with page.expect_download(timeout=30_000) as info:
        main.get_by_role("button", name="导出简报图片（PNG）").click(timeout=30_000)
    download = info.value
    assert download.failure() is None, download.failure()
    assert open(download.path(), "rb").read(8) == b"\x89PNG\r\n\x1a\n"
