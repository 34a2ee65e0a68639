"""「使用本机定位」: the device's own position as a site check's location, where the browser allows it.

Browsers give `navigator.geolocation` only to secure pages (HTTPS, or localhost), so the button is drawn
only when `window.isSecureContext` and `navigator.geolocation` exist; on plain HTTP a short Chinese hint
says why there is none. The position (WGS-84, what the Geolocation API reports and what a check stores) comes
back as a trigger value; geo.pick.device_point checks it lies inside the subdistrict. Nothing is fetched
from outside: the component is inline HTML/JS (st.components.v2), and the browser alone asks the device.
"""
from __future__ import annotations

import streamlit as st

BUTTON = "使用本机定位"
HTTP_HINT = "仅在 HTTPS 下可用本机定位"

_HTML = f"""
<div class="gw-loc">
  <button type="button" class="gw-loc-btn" hidden>{BUTTON}</button>
  <span class="gw-loc-note" hidden></span>
</div>
"""

_CSS = """
.gw-loc { display: flex; align-items: center; gap: 0.75rem; flex-wrap: wrap; font-family: inherit; }
.gw-loc-btn { min-height: 44px; padding: 0 1rem; border-radius: 0.5rem; font-size: 1rem; cursor: pointer;
  border: 1px solid var(--st-border-color, #d0d4dc); background: var(--st-secondary-background-color, #f0f2f6);
  color: var(--st-text-color, #262730); }
.gw-loc-btn:disabled { opacity: 0.6; cursor: progress; }
.gw-loc-note { font-size: 0.875rem; color: var(--st-text-color, #262730); opacity: 0.75; }
"""

_JS = """
export default function (component) {
  const { parentElement, setTriggerValue } = component;
  const button = parentElement.querySelector('.gw-loc-btn');
  const note = parentElement.querySelector('.gw-loc-note');
  if (!window.isSecureContext || !('geolocation' in navigator)) {
    note.textContent = '""" + HTTP_HINT + """';
    note.hidden = false;
    return;
  }
  button.hidden = false;
  button.onclick = () => {
    button.disabled = true;
    note.textContent = '正在获取本机位置…';
    note.hidden = false;
    navigator.geolocation.getCurrentPosition((pos) => {
      button.disabled = false;
      note.hidden = true;
      setTriggerValue('position', {lon: pos.coords.longitude, lat: pos.coords.latitude,
                                   accuracy: pos.coords.accuracy});
    }, (err) => {
      button.disabled = false;
      note.textContent = err.code === 1 ? '浏览器未允许定位，请在浏览器设置中允许本网站使用位置信息'
                                        : '暂时无法获取本机位置，请稍后再试或在地图上选点';
      note.hidden = false;
    }, {enableHighAccuracy: true, timeout: 15000, maximumAge: 30000});
  };
}
"""

_component = st.components.v2.component("guangwu_device_location", html=_HTML, css=_CSS, js=_JS)


def device_position(*, key: str) -> dict | None:
    """Draw the button (or the HTTPS hint); {"lon", "lat", "accuracy"} in the run after a fix, else None."""
    result = _component(key=key, on_position_change=lambda: None, height="content")
    value = getattr(result, "position", None)
    return value if isinstance(value, dict) else None
