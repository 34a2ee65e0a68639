"""A community worker on a tablet (1024×768, touch): sign in, file a site check with a photo and a
location tapped on the map, then find it in the 现场核查 list and on its map.

The account is created the way an administrator would, with `python -m lib.users create-user
--password-stdin`, in the browser suite's freshly seeded database. The map's data is read from the
pydeck spec the server sends over the websocket (the deck.gl canvas itself has no DOM to query).
"""
from __future__ import annotations

import io
import json

import pytest
from browser_helpers import create_account, lonlat_to_pixel, open_sidebar, pixel_stats, problems, wait_until
from PIL import Image


pytestmark = pytest.mark.browser

USER, PASSWORD = "zx_tablet", "tablet-pass-2024"
FINDING = "平板登记：2号楼消防通道堆放杂物"
W, H = 1024, 768
CHART = '[data-testid="stDeckGlJsonChart"]'


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (6, 6), (220, 40, 40)).save(buf, "PNG")
    return buf.getvalue()


@pytest.fixture(scope="module")
def staff_account(seeded_db):
    return create_account(seeded_db, USER, PASSWORD, display_name="中兴平板")


class Frames:
    """What the server sends to this page (on websockets opened after construction), as text.

    Each element arrives in its own message: the pydeck spec is JSON inside it, and a dataframe's
    Arrow bytes hold its strings as plain UTF-8, so both can be read without the (canvas) DOM.
    """

    def __init__(self, page) -> None:
        self.payloads: list[str] = []
        page.on("websocket", lambda ws: ws.on("framereceived", self._frame))

    def _frame(self, payload) -> None:
        data = payload if isinstance(payload, bytes) else str(payload).encode()
        self.payloads.append(data.decode("utf-8", errors="ignore"))

    def specs(self) -> list[dict]:
        out, decoder = [], json.JSONDecoder()
        for text in self.payloads:
            at = text.find('"initialViewState"')
            while at != -1:
                start = text.rfind("{", 0, at)
                try:
                    out.append(decoder.raw_decode(text, start)[0])
                except ValueError:
                    pass
                at = text.find('"initialViewState"', at + 1)
        return out

    def layer(self, layer_id: str) -> tuple[dict, list[dict]] | None:
        """(the newest spec that has layer `layer_id` — of any generation (geo.deck_json.layer_base) —, its rows)."""
        from geo.deck_json import layer_base

        for spec in reversed(self.specs()):
            for layer in spec.get("layers", []):
                if layer_base(layer.get("id", "")) == layer_id:
                    return spec, layer.get("data") or []
        return None

    def outside_maps(self, text: str) -> bool:
        """`text` was sent in a message that is not a map (e.g. the list's dataframe)."""
        return any(text in p and '"initialViewState"' not in p for p in self.payloads)


def _tap(page, locator) -> None:
    locator.scroll_into_view_if_needed()
    locator.tap()


def _choose(page, label: str, option: str) -> None:
    """Pick `option` in the selectbox labelled `label` (open the list, tap the option)."""
    select = page.get_by_role("combobox", name=label)
    select.scroll_into_view_if_needed()
    choice = page.get_by_role("option", name=option)
    for _ in range(3):
        select.click()
        try:
            choice.wait_for(state="visible", timeout=3000)
            break
        except Exception:  # noqa: BLE001 - the list did not open (the app was still rerunning): try again
            page.keyboard.press("Escape")
    choice.click()
    wait_until(page, lambda: select.input_value() == option, timeout=10, message=f"「{label}」未选中{option}")


def _assert_touch_sized(page) -> None:
    """The form's controls are at least 44 px high (tablet)."""
    heights = page.evaluate("""() => {
        const main = document.querySelector('[data-testid="stMain"]'), out = {};
        const h = (el) => el ? Math.round(el.getBoundingClientRect().height) : -1;
        out['类别'] = h(main.querySelector('input[role="combobox"][aria-label="类别"]'));
        out['问题描述'] = h(main.querySelector('textarea[aria-label="问题描述"]'));
        for (const label of main.querySelectorAll('[role="radiogroup"] label')) out[label.innerText.trim()] = h(label);
        out['上传'] = h(main.querySelector('[data-testid="stFileUploader"] button'));
        out['提交'] = h(main.querySelector('[data-testid="stFormSubmitButton"] button'));
        return out;
    }""")
    small = {k: v for k, v in heights.items() if v < 44}
    assert not small, f"触控控件低于 44 px / controls under 44 px: {small}"


def _sidebar_link(page, title: str):
    open_sidebar(page)  # collapsed at 1024 px (ui/layout.py)
    return page.locator('[data-testid="stSidebarNav"] a').filter(has_text=title).first


def _open_checks_count(db_url: str) -> int:
    from lib.db import get_engine
    from lib.queries.checks import site_checks

    return len(site_checks(open_only=True, engine=get_engine(db_url)))


def test_file_a_site_check_on_a_tablet(page_at, staff_account, seeded_db, tmp_path):
    opened = page_at("account", width=W, height=H, touch=True)
    page = opened.page
    frames = Frames(page)
    page.reload(wait_until="domcontentloaded")  # a new websocket, now recorded by `frames`
    opened.wait_ready()
    assert "现场核查登记" not in page.locator('[data-testid="stSidebarNav"]').inner_text()

    # sign in through the form
    page.get_by_label("用户名").fill(USER)
    page.get_by_label("密码").fill(PASSWORD)
    _tap(page, page.get_by_role("button", name="登录"))
    wait_until(page, lambda: "中兴平板" in page.locator('[data-testid="stMain"]').inner_text(), timeout=20,
               message="登录后未显示账号")
    opened.wait_ready()
    _tap(page, _sidebar_link(page, "现场核查登记"))
    wait_until(page, lambda: page.locator('[data-testid="stMain"] h1').first.inner_text() == "现场核查登记",
               timeout=20, message="未打开现场核查登记")
    opened.wait_ready()

    # location: tap a candidate point on the community map
    _tap(page, page.get_by_text("在地图上选点"))
    opened.wait_ready()
    picked = wait_until(page, lambda: frames.layer("pick"), timeout=20, message="选点地图的 pick 图层未发送")
    spec, rows = picked
    chart = page.locator(CHART).first
    chart.scroll_into_view_if_needed()
    canvas = chart.locator("canvas").first
    wait_until(page, lambda: pixel_stats(canvas.screenshot())["distinct"] >= 40, timeout=15, message="地图未绘制")
    box = canvas.bounding_box()
    view = spec["initialViewState"]
    target = rows[len(rows) // 2]
    x, y = lonlat_to_pixel(target["lon"], target["lat"], centre_lon=view["longitude"], centre_lat=view["latitude"],
                           zoom=view["zoom"], box=box)
    chosen = f"（地图选点）：东经 {target['lon']:.5f}°，北纬 {target['lat']:.5f}°"
    for _ in range(3):  # deck.gl may still be settling: a tap that picked nothing changes nothing, so retry
        page.mouse.move(x, y)
        page.wait_for_timeout(300)
        page.mouse.click(x, y)
        try:
            wait_until(page, lambda: chosen in page.locator('[data-testid="stMain"]').inner_text(), timeout=8)
            break
        except AssertionError:
            continue
    assert chosen in page.locator('[data-testid="stMain"]').inner_text(), f"点击地图后未选中 {target}"
    opened.wait_ready()

    # the finding, status and a photo from the gallery (the file chooser)
    _assert_touch_sized(page)
    _choose(page, "类别", "消防安全")
    page.get_by_label("问题描述").fill(FINDING)
    # the 状态 radio's option (the text 整改中 may also stand elsewhere on the page, e.g. in the map's legend)
    status = page.locator('[data-testid="stForm"] [role="radiogroup"] label').filter(has_text="整改中").first
    _tap(page, status)
    wait_until(page, lambda: status.locator("input").is_checked(), timeout=10, message="「整改中」未选中")
    photo = tmp_path / "tablet.png"
    photo.write_bytes(_png())
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(photo))
    wait_until(page, lambda: "tablet.png" in page.locator('[data-testid="stFileUploader"]').inner_text(),
               timeout=20, message="照片未上传")
    before = _open_checks_count(seeded_db)
    _tap(page, page.get_by_role("button", name="提交核查记录"))
    wait_until(page, lambda: "已保存" in page.locator('[data-testid="stMain"]').inner_text(), timeout=30,
               message="提交后未显示「已保存」")
    opened.wait_ready()
    assert not problems(page), problems(page)
    saved = page.locator('[data-testid="stMain"]').inner_text()
    assert FINDING in saved and f"东经 {target['lon']:.5f}°" in saved
    opened.screenshot("check-form")
    assert _open_checks_count(seeded_db) == before + 1

    # the 现场核查 page lists it and draws it on the map
    frames.payloads.clear()
    _tap(page, page.get_by_role("link", name="在「现场核查」地图上查看"))
    wait_until(page, lambda: page.locator('[data-testid="stMain"] h1').first.inner_text().startswith("现场核查 ·"),
               timeout=20, message="未打开现场核查页面")
    opened.wait_ready()
    metrics = page.locator('[data-testid="stMetric"]').all_inner_texts()
    assert any("整改中" in m and "1项" in m for m in metrics), metrics  # 中兴 had no open item before
    checks = wait_until(page, lambda: frames.layer("checks"), timeout=20, message="现场核查地图未发送 checks 图层")
    points = checks[1]
    assert len(points) == before + 1, points
    mine = [p for p in points if FINDING in p.get("tip", "")]
    assert len(mine) == 1 and mine[0]["position"] == [round(target["lon"], 5), round(target["lat"], 5)], mine
    assert frames.outside_maps(FINDING), "现场核查清单中没有新登记的核查"  # the list's dataframe
    assert not problems(page), problems(page)
    table = page.locator('[data-testid="stDataFrame"]').first
    wait_until(page, lambda: pixel_stats(table.screenshot())["distinct"] >= 20, timeout=15, message="清单未绘制")
    page.locator('[data-testid="stMain"]').evaluate("m => m.scrollBy(0, 260)")  # the list and the map
    page.wait_for_timeout(500)
    opened.screenshot("checks-after")
