"""The big screen when the database goes away while it is showing (review of session 25, finding 2). The wall's own
timers — the title bar every 15 s, the carousel every ROTATE s — rerun their fragment alone, outside app.py's page
wrapper: the title bar drew Streamlit's English 「This app has encountered an error」 box and the carousel a red box
naming the database's address (「数据库无法连接：postgresql+psycopg://…」). A staff member's failed save on the same
process emptied every cache, so the title bar read the stopped database at once. On a wall the answer is the quiet
placeholder that retries by itself, and a failed save keeps the caches."""
from __future__ import annotations

from pathlib import Path

import pytest
from fault_helpers import seeded_cluster

from devtools import streamlit_server
from devtools.st_client import Session, sign_in
from lib import auth, db

PASSWORD = "correct-horse-42"
QUIET = "数据暂时无法显示，稍后自动重试。"
TECHNICAL = ("encountered an error", "redacted", "Traceback", "OperationalError", "postgresql", "127.0.0.1")


@pytest.fixture(scope="module")
def cluster():
    with seeded_cluster() as c:
        admin = auth.create_user("admin", PASSWORD, role="街道管理员", display_name="街道管理员", by=auth.SYSTEM,
                                 engine=db.get_engine(c.url), rounds=4)
        auth.create_user("zx", PASSWORD, role="社区工作人员", display_name="中兴录入员", community="中兴", by=admin,
                         engine=db.get_engine(c.url), rounds=4)
        db.get_engine(c.url).dispose()
        yield c


def test_the_walls_timers_show_the_quiet_placeholder_when_the_database_stops(cluster, tmp_path: Path):
    server = streamlit_server.start(cluster.url, tmp_path / "server.log", extra_env={"SCREEN_ROTATE_SECONDS": "30"})
    try:
        server.wait_healthy()
        staff = Session(server.url, timeout=40, cookie=sign_in(server.url, "zx", PASSWORD))
        staff.rerun(page="check_form")
        wall = Session(server.url, timeout=40)
        first = wall.rerun(query="screen=1")
        assert not first.exceptions and first.contains("光武街道基层治理"), first.exceptions
        timers = {interval: fid for fid, interval in wall.auto_reruns.items()}
        assert {15, 30} <= set(timers), timers  # the title bar and the carousel
        cluster.stop()
        try:
            staff.rerun(page="check_form", click="提交核查记录")  # a save fails on the same process
            quiet = []
            for interval in (15, 30, 30, 30, 30):  # the title bar, then the carousel's turns through its views
                run = wall.rerun(query="screen=1", fragment=timers[interval])
                shown = [t for t in TECHNICAL if run.contains(t)]
                assert not shown and not run.exceptions, (interval, shown, run.exceptions)
                quiet.append(run.contains(QUIET))
            assert any(quiet[1:]), "a view that reads the stopped database shows the quiet placeholder"
        finally:
            cluster.start()
    finally:
        server.stop()
        db.get_engine(cluster.url).dispose()
