"""Shared checks for the browser tests (DOM probes, pixel statistics, Web Mercator projection) and their accounts."""
from __future__ import annotations

import datetime as dt
import io
import math
import os
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path

# The url_paths of app.py's navigation, with their page titles (the sidebar link text).
PAGES = {
    "overview": "概览与地图",
    "stars": "五星支部",
    "model_communities": "示范社区",
    "relocation": "文化路北延征迁",
    "eldercare": "养老服务",
    "profiles": "社区档案",
    "checks": "现场核查",
    "sources": "数据来源",
}

def create_account(db_url: str, username: str, password: str, *, display_name: str, role: str = "社区工作人员",
                   community: str | None = "中兴", existing_ok: bool = True) -> str:
    """An account made the way an administrator would (`python -m lib.users create-user --password-stdin`);
    `existing_ok`: an account kept from an earlier test of the suite's shared database will do."""
    from devtools.streamlit_server import REPO, server_env

    scope = ["--community", community] if community else []
    done = subprocess.run(
        [sys.executable, "-m", "lib.users", "--database-url", db_url, "create-user", "--username", username,
         "--role", role, *scope, "--display-name", display_name, "--password-stdin"],
        input=password + "\n", cwd=REPO, env=server_env(db_url), capture_output=True, text=True, timeout=60,
        check=False)
    assert done.returncode == 0 or (existing_ok and "已存在" in done.stderr), done.stderr
    return username


def screenshot_dir() -> Path:
    """$ARTIFACTS/screenshots (ARTIFACTS defaults to test-artifacts), created on demand."""
    path = Path(os.environ.get("ARTIFACTS") or "test-artifacts") / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


ERROR_SELECTORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'


def page_url(path: str) -> str:
    """The address of a page: the default page (overview) lives at "/" (its url_path gives "Page not found")."""
    return "/" if path == "overview" else f"/{path}"


def problems(page) -> list[str]:
    """Texts of exceptions, error alerts and Streamlit's "Page not found" dialog on the page."""
    found = [t.strip()[:300] for t in page.locator(ERROR_SELECTORS).all_inner_texts()]
    found += [t.strip()[:200] for t in page.locator('[role="dialog"]').all_inner_texts() if "not found" in t or "页面不存在" in t]  # ui/layout.py shows it in Chinese
    return found


def query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in urllib.parse.parse_qs(urllib.parse.urlsplit(url).query).items()}


def url_path(url: str) -> str:
    return urllib.parse.urlsplit(url).path.strip("/")


def wait_until(page, check: Callable[[], object], *, timeout: float, interval: float = 0.2, message: str = ""):
    """Poll `check` until it returns something truthy; fail with `message` (and the last value) otherwise.

    Sleeps with page.wait_for_timeout so Playwright keeps delivering events (URL changes, websocket frames).
    """
    deadline = time.monotonic() + timeout
    last = None
    while True:
        last = check()
        if last:
            return last
        if time.monotonic() > deadline:
            raise AssertionError(f"{message}（{timeout:.0f}s 内未满足；最后一次：{last!r}）")
        page.wait_for_timeout(interval * 1000)


def current_url(page) -> str:
    return page.evaluate("location.href")


def scroll_metrics(page) -> dict:
    """Scroll sizes of the document and of Streamlit's scroll container (stMain)."""
    return page.evaluate("""() => {
        const d = document.documentElement, m = document.querySelector('[data-testid="stMain"]');
        return {innerHeight, innerWidth,
                docScrollHeight: d.scrollHeight, docScrollWidth: d.scrollWidth, docClientWidth: d.clientWidth,
                mainScrollHeight: m ? m.scrollHeight : 0, mainClientHeight: m ? m.clientHeight : 0,
                mainScrollWidth: m ? m.scrollWidth : 0, mainClientWidth: m ? m.clientWidth : 0};
    }""")


def wider_than_viewport(page, limit: int = 5) -> list[str]:
    """Visible elements whose right edge passes the viewport (the culprits of a horizontal scroll)."""
    return page.evaluate("""(limit) => {
        const out = [], w = document.documentElement.clientWidth;
        for (const el of document.querySelectorAll('[data-testid="stMain"] *')) {
            const r = el.getBoundingClientRect();
            if (r.width && r.right > w + 1) {
                out.push(`${el.tagName}.${el.getAttribute('data-testid') || el.className.toString().slice(0, 30)}`
                         + ` right=${Math.round(r.right)}`);
                if (out.length >= limit) break;
            }
        }
        return out;
    }""", limit)


def pixel_stats(png: bytes) -> dict:
    """Distinct colours and the share of pixels that differ from the most common (background) colour."""
    from PIL import Image

    img = Image.open(io.BytesIO(png)).convert("RGB")
    small = img.resize((max(1, img.width // 2), max(1, img.height // 2)))
    colours = small.getcolors(maxcolors=1 << 20) or []
    total = small.width * small.height
    top = max(colours)[0] if colours else total
    return {"distinct": len(colours), "non_background": 1 - top / total, "size": img.size}


def lonlat_to_pixel(lon: float, lat: float, *, centre_lon: float, centre_lat: float, zoom: float,
                    box: dict) -> tuple[float, float]:
    """Screen position of (lon, lat) on a deck.gl WebMercator view (512-px tiles) drawn in `box`."""
    scale = 512 * 2 ** zoom / (2 * math.pi)  # pixels per radian

    def merc(lo, la):
        return math.radians(lo) * scale, math.log(math.tan(math.pi / 4 + math.radians(la) / 2)) * scale

    x, y = merc(lon, lat)
    cx, cy = merc(centre_lon, centre_lat)
    return box["x"] + box["width"] / 2 + (x - cx), box["y"] + box["height"] / 2 - (y - cy)


def open_sidebar(page) -> None:
    """Open the sidebar if it is collapsed (under ui.layout.SIDEBAR_COLLAPSE_PX it starts collapsed)."""
    expand = page.locator('[data-testid="stExpandSidebarButton"]')
    if expand.count() and expand.first.is_visible():
        expand.first.click()
        page.locator('[data-testid="stSidebarNav"]').first.wait_for(state="visible")
        page.wait_for_timeout(400)  # the slide-in transition


def days_since(first: dt.date) -> list[dt.date]:
    """Every China-time day from `first` to today (lib.clock): the dates a server on the real clock may have written
    during a test that began on `first` — a run crossing midnight in China (16:00 UTC) writes the next day."""
    from lib import clock

    return [first + dt.timedelta(days=i) for i in range((clock.today() - first).days + 1)]


def sign_in_form(page, username: str, password: str, *, shown: str, tap: bool = False) -> None:
    """Sign in through the account page's form (already open), as a person does; waits for `shown` (the display
    name) on the page. `tap`: a touch tap instead of a click."""
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    button = page.get_by_role("button", name="登录")
    if tap:
        button.tap()
    else:
        button.click()
    wait_until(page, lambda: shown in page.locator('[data-testid="stMain"]').inner_text(), timeout=20,
               message="登录后未显示账号")
