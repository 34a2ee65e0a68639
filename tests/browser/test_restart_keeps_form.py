"""A community worker is typing a site check on a tablet when the server process restarts (an upgrade, a crash
and systemd's Restart=, or a replica lost behind nginx): the tablet reconnects to a process that does not hold
its session, the page is drawn again by it (ui/reconnect.py), and what was typed into the open form stays. The
sign-in survives (a cookie checked against the database), and submitting files exactly one record."""
from __future__ import annotations

import os
import signal
import time

import pytest
from browser_helpers import create_account, sign_in_form, wait_until

from devtools import streamlit_server as ss

pytestmark = pytest.mark.browser

USER, PASSWORD = "zx_restart", "restart-pass-2024"
FINDING = "重启测试：5号楼单元门禁损坏"
W, H = 1024, 768


def _filed(db_url: str) -> int:
    from lib.db import get_engine
    from lib.queries.checks import site_checks

    return int((site_checks(engine=get_engine(db_url))["finding"] == FINDING).sum())


def test_typed_form_survives_a_restart_and_files_once(browser, seeded_db, tmp_path):
    from conftest import Opened

    create_account(seeded_db, USER, PASSWORD, display_name="中兴重启")
    port = ss.free_port()
    server = ss.start(seeded_db, tmp_path / "first.log", port=port)
    ctx = browser.new_context(viewport={"width": W, "height": H}, has_touch=True, locale="zh-CN",
                              timezone_id="Asia/Shanghai")
    try:
        server.wait_healthy()
        page = ctx.new_page()
        opened = Opened(page=page, base=server.url, width=W, height=H)
        sockets: list[object] = []
        reruns: list[float] = []

        def connected(ws) -> None:
            sockets.append(ws)
            if len(sockets) > 1:
                ws.on("framesent", lambda _payload: reruns.append(time.monotonic()))

        page.on("websocket", opened._websocket)
        page.on("websocket", connected)
        opened.goto("account")
        sign_in_form(page, USER, PASSWORD, shown="中兴重启", tap=True)
        opened.goto("check_form")
        main = page.locator('[data-testid="stMain"]')
        assert main.locator("h1").first.inner_text() == "现场核查登记"
        select = page.get_by_role("combobox", name="类别")
        select.click()
        page.get_by_role("option", name="消防安全").click()
        wait_until(page, lambda: select.input_value() == "消防安全", timeout=10, message="「类别」未选中")
        box = page.get_by_label("问题描述")
        box.fill(FINDING)
        box.blur()
        page.wait_for_timeout(500)
        opened_sockets = len(sockets)

        os.killpg(server.proc.pid, signal.SIGKILL)  # the process is gone, with its sessions
        server.proc.wait(timeout=10)
        server = ss.start(seeded_db, tmp_path / "second.log", port=port)
        server.wait_healthy()
        deadline = time.monotonic() + 60
        while len(sockets) == opened_sockets or not reruns:
            assert time.monotonic() < deadline, "the tablet did not reconnect and run the page again"
            page.wait_for_timeout(300)
        opened.wait_ready()

        assert main.locator("h1").first.inner_text() == "现场核查登记"  # still signed in, on the same page
        assert page.get_by_label("问题描述").input_value() == FINDING  # what was typed is kept
        assert page.get_by_role("combobox", name="类别").input_value() == "消防安全"
        assert _filed(seeded_db) == 0
        page.get_by_role("button", name="提交核查记录").tap()
        wait_until(page, lambda: _filed(seeded_db) == 1, timeout=20, message="提交后未写入记录")
        opened.wait_ready()
        assert _filed(seeded_db) == 1
        assert main.locator('[data-testid="stText"]').filter(has_text=FINDING).count() == 1  # the saved record
    finally:
        ctx.close()
        server.stop()
