"""大屏模式 (?screen=1): title bar, briefing layout, and a carousel through the panels."""
from __future__ import annotations

import html

import streamlit as st

from ui import alerts_view, bridge, briefing_downloads, screen_views, wall_css, widgets

bridge.ensure_entrypoint()
bridge.rerun_on_new_data()

community = bridge.selected_community()
as_of = bridge.as_of()
# Views with nothing for this community (征迁 where no household is) are left out (lib.wall_views).
VIEW_NAMES = bridge.wall_views(screen_views.VIEWS, community=community, as_of=as_of)
rotate = bridge.screen_rotate_seconds()
# `?pause=1` starts the toggle switched on, so the caption and the toggle always agree.
st.session_state.setdefault("screen.pause", bridge.screen_paused())
# `?view=征迁` shows that view, as picking it in 「跳转到」 does (a view the scope has not: ignored).
if (start := bridge.screen_view(VIEW_NAMES)) is not None:
    st.session_state.setdefault("screen.view", start)
wall_css.apply()


@st.fragment(run_every=15)
def title_bar() -> None:
    """Title and clock on one line (the clock refreshes every 15 s; its timed reruns are this fragment alone, outside
    app.py's page wrapper: guarded here)."""
    with widgets.guard("标题栏", screen=True):
        now = bridge.now_local()
        scope = bridge.Scope.of(community, as_of)
        title = "光武街道基层治理" + (f" · {scope.label}" if community else "")
        st.html(f"<div class='gw-head'><div class='gw-title'>{html.escape(title)}</div>"
                f"<div class='gw-stamp'>{now.year}年{now.month}月{now.day}日 {now:%H:%M} &nbsp;·&nbsp; "
                f"{html.escape(bridge.header(scope).text)}</div></div>")


@st.fragment(run_every=rotate)
def carousel() -> None:
    if bridge.wall_revoked():  # its 大屏链接 was revoked or has expired: app.py says so instead of the screen
        st.rerun(scope="app")
    paused = bool(st.session_state.get("screen.pause"))
    index = st.session_state.get("screen.index", 0)
    chosen = st.session_state.get("screen.view")
    if chosen in VIEW_NAMES and chosen != VIEW_NAMES[index % len(VIEW_NAMES)]:
        index = VIEW_NAMES.index(chosen)
    name = VIEW_NAMES[index % len(VIEW_NAMES)]
    if not paused:
        st.session_state["screen.index"] = (index + 1) % len(VIEW_NAMES)
    with widgets.guard(name, screen=True):  # a timed turn runs outside app.py's page wrapper
        screen_views.VIEWS[name](community=community, as_of=as_of)
        st.caption(f"当前：{name}（{index % len(VIEW_NAMES) + 1}/{len(VIEW_NAMES)}）· 每 {rotate} 秒轮换"
                   + (" · 已暂停" if paused else "") + f" · {bridge.map_origin().tag}")


head, controls = st.columns([20, 1], vertical_alignment="center")
with head:
    title_bar()
with controls, st.popover("", icon=":material/tune:"):  # no hover-only help on a wall
    st.toggle("暂停轮播", key="screen.pause")
    alerts_view.briefing_date_form(key="screen")
    alerts_view.deadline_form(key="screen")
    st.pills("跳转到", VIEW_NAMES, key="screen.view")
    briefing_downloads.png_button(community=community, as_of=as_of, key="screen")
    briefing_downloads.buttons(community=community, as_of=as_of, key="screen")
with widgets.guard("预警"):
    alerts_view.strip(community=community, as_of=as_of, wall=True)
with widgets.guard("较上次汇报"):
    alerts_view.changes(community=community, as_of=as_of)
carousel()
