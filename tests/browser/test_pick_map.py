"""现场核查登记 on a tablet (820×1180, touch): the location picker's map and 「使用本机定位」 (issue 13).

The picker's layers are read from the pydeck spec the server sends (Frames); sizes are measured in CSS px
on the drawn canvas (device_scale_factor 1).
"""
from __future__ import annotations

import io
import math

import pytest
from browser_helpers import lonlat_to_pixel, pixel_stats, wait_until
from PIL import Image
from test_tablet_checks import CHART, PASSWORD, USER, Frames, _sidebar_link, _tap, staff_account  # noqa: F401

pytestmark = pytest.mark.browser

W, H = 820, 1180
MAIN = '[data-testid="stMain"]'


def _open_picker(page_at, base_hook=None):
    """Sign in as the 中兴 worker, open 现场核查登记, switch to 在地图上选点; (opened, frames)."""
    opened = page_at("account", width=W, height=H, touch=True)
    page = opened.page
    if base_hook:
        base_hook(opened)
    frames = Frames(page)
    page.reload(wait_until="domcontentloaded")
    opened.wait_ready()
    page.get_by_label("用户名").fill(USER)
    page.get_by_label("密码").fill(PASSWORD)
    _tap(page, page.get_by_role("button", name="登录"))
    wait_until(page, lambda: "中兴平板" in page.locator(MAIN).inner_text(), timeout=20, message="登录后未显示账号")
    opened.wait_ready()
    _tap(page, _sidebar_link(page, "现场核查登记"))
    wait_until(page, lambda: page.locator(f"{MAIN} h1").first.inner_text() == "现场核查登记", timeout=20,
               message="未打开现场核查登记")
    opened.wait_ready()
    _tap(page, page.get_by_text("在地图上选点"))
    opened.wait_ready()
    return opened, frames


def _canvas(page):
    chart = page.locator(CHART).first
    chart.scroll_into_view_if_needed()
    canvas = chart.locator("canvas").first
    wait_until(page, lambda: pixel_stats(canvas.screenshot())["distinct"] >= 40, timeout=20, message="地图未绘制")
    return canvas


def _pixel(canvas, x: float, y: float) -> tuple[int, int, int]:
    box = canvas.bounding_box()
    img = Image.open(io.BytesIO(canvas.screenshot())).convert("RGB")
    return img.getpixel((round(x - box["x"]), round(y - box["y"])))


def test_picker_targets_names_colour_and_no_tooltip(page_at, staff_account):  # noqa: F811
    opened, frames = _open_picker(page_at)
    page = opened.page
    spec, targets = wait_until(page, lambda: frames.layer("pick"), timeout=20, message="选点图层未发送")
    layers = {layer["id"]: layer for layer in spec["layers"]}
    # roads, borders and names are drawn under the points
    assert {"communities", "roads", "labels", "pick-dots"} <= set(layers), sorted(layers)
    names = {row["name"] for row in layers["labels"]["data"]}
    assert len(names) == 11 and {"中兴", "西华", "光彩", "榆树庄"} <= names, names
    assert layers["feature-labels"]["data"], "道路等名称未标注"

    canvas = _canvas(page)
    box = canvas.bounding_box()
    view = spec["initialViewState"]
    xy = [lonlat_to_pixel(r["lon"], r["lat"], centre_lon=view["longitude"], centre_lat=view["latitude"],
                          zoom=view["zoom"], box=box) for r in targets]
    nearest = min(math.dist(a, b) for i, a in enumerate(xy) for b in xy[i + 1:])
    target_px = layers["pick"]["getRadius"] * 2
    print(f"picker: {len(xy)} points, nearest neighbours {nearest:.1f} px apart, tap target {target_px} px")
    assert target_px >= 44 and nearest >= 44, (target_px, nearest)

    # tap a point inside the canvas
    inside = [(p, r) for p, r in zip(xy, targets)
              if box["x"] + 30 < p[0] < box["x"] + box["width"] - 30 and box["y"] + 30 < p[1] < box["y"] + box["height"] - 30]
    (x, y), row = inside[len(inside) // 2]
    chosen = f"（地图选点）：东经 {row['lon']:.5f}°，北纬 {row['lat']:.5f}°"
    for _ in range(2):
        page.touchscreen.tap(x + 12, y + 10)  # off the dot's centre, still inside its 48 px target
        try:
            wait_until(page, lambda: chosen in page.locator(MAIN).inner_text(), timeout=12)
            break
        except AssertionError:
            continue
    assert chosen in page.locator(MAIN).inner_text(), f"点击选点目标后未选中 {row}"
    opened.wait_ready()
    canvas = _canvas(page)
    page.wait_for_timeout(800)
    # the caption says 红色大点: the chosen point is red (not faded, not purple)
    r, g, b = _pixel(canvas, x, y)
    assert r >= 200 and g <= 110 and b <= 110, f"已选位置颜色不是红色 / chosen point colour {(r, g, b)}"
    tooltips = page.evaluate("[...document.querySelectorAll('.deck-tooltip')]"
                             ".filter(e => getComputedStyle(e).display !== 'none' && e.innerText.trim()).length")
    assert tooltips == 0, "点击后提示框仍然显示"
    opened.screenshot("picker-chosen")


def _use_device(page, *, lon: float, lat: float) -> None:
    page.context.set_geolocation({"longitude": lon, "latitude": lat, "accuracy": 15})
    button = page.get_by_role("button", name="使用本机定位")
    button.wait_for(state="visible")
    button.tap()


def _grant(opened) -> None:
    opened.page.context.grant_permissions(["geolocation"])


def test_device_location_inside_fills_the_point(page_at, staff_account, seeded_db):  # noqa: F811
    from geo.layers import load_layer

    communities = load_layer("communities")
    p = communities.loc[communities["name"] == "中兴"].geometry.iloc[0].representative_point()
    opened, _ = _open_picker(page_at, base_hook=_grant)
    page = opened.page
    _use_device(page, lon=p.x, lat=p.y)
    expected = f"（本机定位）：东经 {p.x:.5f}°，北纬 {p.y:.5f}°"
    wait_until(page, lambda: expected in page.locator(MAIN).inner_text(), timeout=20,
               message=f"本机定位后位置未更新为 {expected}")
    assert "不在光武街道范围内" not in page.locator(MAIN).inner_text()


def test_device_location_outside_is_refused(page_at, staff_account):  # noqa: F811
    opened, _ = _open_picker(page_at, base_hook=_grant)
    page = opened.page
    _use_device(page, lon=113.2644, lat=23.1291)  # 广州
    wait_until(page, lambda: "「本机定位」：本机位置" in page.locator(MAIN).inner_text(), timeout=20,
               message="街道范围外的本机定位未被拒绝")
    text = page.locator(MAIN).inner_text()
    assert "不在光武街道范围内" in text and "（本机定位）" not in text


def test_device_location_on_plain_http_shows_the_hint(page_at, staff_account):  # noqa: F811
    """A page that is not a secure context (plain HTTP; simulated, 127.0.0.1 is secure) gets no button, a hint."""
    def insecure(opened) -> None:
        opened.page.context.add_init_script("Object.defineProperty(window, 'isSecureContext', {value: false})")

    opened, _ = _open_picker(page_at, base_hook=insecure)
    page = opened.page
    hint = page.get_by_text("仅在 HTTPS 下可用本机定位")
    hint.wait_for(state="visible", timeout=20000)
    assert page.get_by_role("button", name="使用本机定位").count() == 0
