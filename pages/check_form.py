"""现场核查登记 (tablet-first: one column, big controls): file a finding with a photo and a location,
then follow up the community's open items."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from ui import bridge, flash, forms, layout, pick_map, widgets
from ui.bridge import cn_date

bridge.ensure_entrypoint()

NS = "checkform"
FOLLOW = "checkform.follow"
CHECK_CATEGORIES, CHECK_STATUSES = bridge.form_options.CHECK_CATEGORIES, bridge.form_options.CHECK_STATUSES
FIELDS = [f"{NS}.category", f"{NS}.finding", f"{NS}.status", f"{NS}.due"]
PHOTO_SOURCES = ["从相册选择", "用相机拍照"]

st.title("现场核查登记")
forms.touch_css()
actor = forms.require_editor("现场核查登记")
forms.actor_caption(actor)
forms.restore(NS)  # what a save that met a stopped database kept (the page was not drawn meanwhile)


def _due(value) -> str:
    return f" · 整改期限 {cn_date(value)}" if value is not None and pd.notna(value) else ""


def _gen() -> int:
    """Generation of the photo widgets: a new one (empty) after each stored check."""
    return st.session_state.get(f"{NS}.gen", 0)


def _after_filing(result) -> None:
    """A stored check: empty the form for the next one (same location, same photo source), and select its
    community everywhere, so the 现场核查 list shows it (the map there shows every open item)."""
    bridge.set_community(st.session_state.get(f"{NS}.community"))
    if result.inserted:
        for key in FIELDS:
            st.session_state.pop(key, None)
        st.session_state[f"{NS}.gen"] = _gen() + 1


def _build(lon: float, lat: float, how: str):
    """The submit callback's values, read from session state at submit time."""
    community, category, finding, status, due = (st.session_state.get(k) for k in (f"{NS}.community", *FIELDS))
    shot = st.session_state.get(f"{NS}.camera.{_gen()}")
    if shot is None:
        shot = st.session_state.get(f"{NS}.photo.{_gen()}")
    photo = shot.getvalue() if shot is not None else None
    mime = shot.type if shot is not None else None
    kept = forms.kept_photo(NS)  # chosen for a save that did not reach the database, while its box stays ticked
    if photo is None and kept is not None and st.session_state.get(f"{NS}.use_kept", True):
        _, mime, photo, _ = kept
    # The photo is left out of the values on purpose: a double-click arriving after the form was emptied
    # for the next check carries the same text but no photo, and must still count as the same submit.
    values = {"community": community, "category": category, "finding": finding, "status": status, "due": due,
              "lon": lon, "lat": lat}
    summary = (f"{community}社区 · {category} · {status} · {how}（东经 {lon:.5f}°，北纬 {lat:.5f}°）"
               + (" · 附照片" if photo else ""))

    def write(client_token: str):
        result = bridge.file_site_check(actor, community=community, category=category, finding=finding, status=status,
                                 lon=lon, lat=lat, due_on=due, photo=photo, photo_mime=mime, client_token=client_token)
        if photo and result.inserted:
            st.session_state[f"{NS}.saved_photo"] = (result.id, photo)
        return result

    return values, write, summary


def _build_follow(check_id: int):
    status, note = st.session_state.get(f"{FOLLOW}.status"), st.session_state.get(f"{FOLLOW}.note")
    return ({"check": check_id, "status": status, "note": note},
            lambda key: bridge.update_site_check(actor, check_id, status=status, note=note or None,
                                                 submission_key=key),
            f"核查 #{check_id} → {status}" + (f"：{note}" if note else ""))


def _saved_check(saved, community: str) -> None:
    """The check just stored (`forms.Saved`), as the list and the map show it."""
    result = saved.result
    df = bridge.site_checks(community=community)
    row = df[df["id"] == result.id]
    with st.container(border=True):
        if row.empty:
            st.caption(widgets.md_escape(saved.summary))
        else:
            r = row.iloc[0]
            st.markdown(f"**#{int(r['id'])} {widgets.md_escape(r['category'])} · {widgets.md_escape(r['status'])}**"
                        f"{_due(r['due_on'])}")
            st.text(str(r["finding"]))  # user text: shown as text, never Markdown
            st.caption(f"东经 {r['lon']:.5f}°，北纬 {r['lat']:.5f}° · 登记人 {widgets.md_escape(r['created_by'])} · "
                       f"{bridge.stamp_text(r['created_at'])}")  # a stored UTC moment, shown in China time
        photo = st.session_state.get(f"{NS}.saved_photo")
        if photo and photo[0] == result.id:
            st.image(photo[1], caption="已保存的照片", width=320)
        shown = "已显示" if result.inserted or not row.empty else "将显示"
        st.caption(f"该记录{shown}在「现场核查」页面的清单和地图上（红圈为未办结事项）。")
        st.page_link("pages/checks.py", label="在「现场核查」地图上查看", icon=":material/map:", width="stretch")


with widgets.guard("现场核查登记"):
    community = forms.community_choice(f"{NS}.community")

    st.subheader("① 位置")
    lon, lat, how = pick_map.location_picker(community, ns=NS)

    st.subheader("② 核查内容")
    source = st.radio("照片来源", PHOTO_SOURCES, key=f"{NS}.photo_source", horizontal=True,
                      index=1 if layout.is_tablet() else 0,  # tablets: the camera first
                      help="相机需要浏览器的摄像头权限；也可以在相册中选择已拍的照片")
    limit = bridge.max_upload_mb()
    with st.form(f"{NS}.form", clear_on_submit=False, enter_to_submit=False):
        st.selectbox("类别", CHECK_CATEGORIES, index=None, key=f"{NS}.category", placeholder="请选择类别")
        st.text_area("问题描述", key=f"{NS}.finding", height=140, max_chars=2000,
                     placeholder="如：3号楼楼道堆放杂物，影响通行")
        st.radio("状态", CHECK_STATUSES, key=f"{NS}.status", horizontal=True)
        st.date_input("整改期限（可留空）", value=None, key=f"{NS}.due", format="YYYY-MM-DD")
        if source == PHOTO_SOURCES[1]:
            st.camera_input("拍照", key=f"{NS}.camera.{_gen()}")
        else:
            st.file_uploader(f"照片（JPG、PNG 或 WebP，不超过 {limit} MB，可不附）", type=["jpg", "jpeg", "png", "webp"],
                             key=f"{NS}.photo.{_gen()}", max_upload_size=limit)
        if (kept := forms.kept_photo(NS)) is not None:
            st.checkbox(f"附上上次未保存的照片“{widgets.md_escape(kept[0])}”（重新选择照片将替换它）", value=True,
                        key=f"{NS}.use_kept")
        st.form_submit_button("提交核查记录", key=f"{NS}.submit", type="primary", width="stretch",
                              icon=":material/send:", on_click=forms.submit,
                              args=(NS, lambda: _build(lon, lat, how), _after_filing,
                                    (f"{NS}.community", *FIELDS, f"{NS}.photo_source")))
    done = flash.show(NS)
    if done and done["result"] is not None:
        _saved_check(done["result"], community)

with widgets.guard("未办结事项"):
    st.subheader(f"③ {community}社区未办结事项")
    open_items = bridge.site_checks(community=community, open_only=True)
    if open_items.empty:
        st.info("本社区没有未办结的核查事项。", icon=":material/task_alt:")
    else:
        labels = {int(r.id): f"#{r.id} {r.category} · {r.status} · {str(r.finding)[:24]}" for r in open_items.itertuples()}
        check_id = st.selectbox("选择事项", list(labels), format_func=labels.get, key=f"{FOLLOW}.check")
        current = open_items.set_index("id").loc[check_id]
        st.caption(f"当前状态：{widgets.md_escape(current['status'])} · 登记于 {bridge.stamp_text(current['created_at'])}"
                   f"{_due(current['due_on'])}")
        with st.form(f"{FOLLOW}.form", clear_on_submit=False, enter_to_submit=False):
            st.radio("新状态", CHECK_STATUSES, key=f"{FOLLOW}.status", horizontal=True,
                     index=CHECK_STATUSES.index(current["status"]))
            st.text_area("办理情况", key=f"{FOLLOW}.note", height=100, max_chars=2000,
                         placeholder="如：已联系物业清理，明日复查")
            st.form_submit_button("保存进展", key=f"{FOLLOW}.submit", type="primary", width="stretch",
                                  icon=":material/update:", on_click=forms.submit,
                                  args=(FOLLOW, lambda: _build_follow(check_id)))
    flash.show(FOLLOW)
