"""A staff member enters today's residents in one browser; the big screen, open in another browser
context, shows the figure tagged 「录入」 with its date after a refresh (issue #11).

Runs its own server on its own freshly seeded database, so the entry does not change what the other
browser tests see.
"""
from __future__ import annotations


import pytest
from browser_helpers import create_account, days_since, screenshot_dir, wait_until

from devtools.streamlit_server import running, seed
from lib import clock
from lib.fmt import cn_date

pytestmark = pytest.mark.browser

USER, PASSWORD = "zx_wall", "wall-pass-2024"


@pytest.fixture
def own_server(chromium_path, tmp_path):
    db_url = f"sqlite:///{tmp_path / 'wall.db'}"
    seed(db_url)
    create_account(db_url, USER, PASSWORD, display_name="中兴录入员", existing_ok=False)
    with running(db_url, tmp_path, seed_first=False, extra_env={"STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none"}) as srv:
        yield srv.url


def _text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def test_staff_entry_shows_on_the_wall_with_its_tag_and_date(browser, own_server):
    first_day = clock.today()  # the server runs on the real clock: the day may turn during the test
    wall_ctx = browser.new_context(viewport={"width": 1920, "height": 1080})
    staff_ctx = browser.new_context(viewport={"width": 1440, "height": 900})
    try:
        wall = wall_ctx.new_page()
        wall.goto(own_server + "/?screen=1&pause=1&community=中兴")
        wait_until(wall, lambda: "养老中心床位" in _text(wall), timeout=60, message="大屏未显示养老卡片")
        assert "养老中心床位 · 多来源" not in _text(wall)

        staff = staff_ctx.new_page()
        staff.goto(own_server + "/account")
        staff.get_by_label("用户名").fill(USER)
        staff.get_by_label("密码").fill(PASSWORD)
        staff.get_by_role("button", name="登录").click()
        wait_until(staff, lambda: "中兴录入员" in _text(staff), timeout=60, message="登录失败")
        staff.get_by_test_id("stSidebarNavLink").filter(has_text="数据录入").click()  # in-app: keeps the session
        wait_until(staff, lambda: staff.get_by_role("tab", name="养老入住").count(), timeout=60, message="无录入页")
        staff.get_by_role("tab", name="养老入住").click()
        field = staff.get_by_label("入住人数（0–50）")
        field.fill("49")
        field.press("Tab")
        staff.get_by_role("button", name="保存入住人数").click()
        wait_until(staff, lambda: "已保存" in _text(staff), timeout=60, message="录入未保存")

        wall.reload()
        # entered residents over the article's beds: 多来源, naming the entry (who hidden, when)
        wait_until(wall, lambda: "养老中心床位 · 多来源" in _text(wall), timeout=60,
                   message=f"大屏刷新后未显示「录入」：{_text(wall)[:400]}")
        shown = _text(wall)
        days = [cn_date(d) for d in days_since(first_day)]
        assert "49/50床" in shown
        assert any(f"多来源 · 工作人员 · {d}录入" in shown for d in days), (days, shown)  # tag, who (hidden), when
        assert any(f"最新数据 {d}；各数字日期见标注" in shown for d in days), (days, shown)
        wall.screenshot(path=str(screenshot_dir() / "screen-after-staff-entry-1920x1080.png"))
    finally:
        staff_ctx.close()
        wall_ctx.close()
