"""The 预警 strip (wall and overview), the last-briefing changes strip (wall), and the 「上次汇报日期」 form.

Everything is written on the screen (no hover-only help); user and data text is escaped, never Markdown.
Sizes on the wall come from ui/wall_css.py (vh units).
"""
from __future__ import annotations

import datetime as dt
import html

import streamlit as st

from lib.alerts import NO_ALERTS
from lib.briefing_date import comparison
from lib.fmt import cn_date
from ui import bridge, widgets
from ui.wall_chart import tag_html

WALL_ALERTS = 2  # the wall shows this many, then 「另有 N 条」
PAGE_ALERTS = 5  # a page shows this many (most urgent first); the rest fold under 「另有 N 条」 so the figures stay in view


def strip(*, community: str | None, as_of: dt.date | None, wall: bool = False) -> None:
    found = bridge.alerts(community=community, as_of=as_of)
    if not found:
        st.html(f"<div class='gw-alerts gw-alerts-none'><span class='gw-alerts-h'>预警</span>"
                f"<span class='gw-alert'>{NO_ALERTS}</span></div>")
        return
    shown = found[:WALL_ALERTS if wall else PAGE_ALERTS]

    def item(a) -> str:
        return (f"<li class='gw-alert gw-alert-{a.kind}'><b>{html.escape(a.community)} · {html.escape(a.label)}"
                f"</b>：{html.escape(a.text)}</li>")

    items = "".join(item(a) for a in shown)
    rest = found[len(shown):]
    if not rest:
        more = ""
    elif wall:  # nobody can click a wall
        more = f"<li class='gw-alert gw-alert-more'>另有 {len(rest)} 条</li>"
    else:
        more = (f"<li class='gw-alert gw-alert-more'><details><summary>另有 {len(rest)} 条（点击展开）</summary>"
                f"<ul>{''.join(item(a) for a in rest)}</ul></details></li>")
    st.html(f"<div class='gw-alerts'><span class='gw-alerts-h'>预警 {len(found)} 条</span>"
            f"<ul>{items}{more}</ul></div>")


def changes(*, community: str | None, as_of: dt.date | None) -> None:
    """The wall's key figures with their change since 「上次汇报日期」, or the one line saying why there is none (not
    set, or not before the shown date: lib.briefing_date.comparison, the pack's rule)."""
    on = bridge.last_briefing_date()
    figs = bridge.key_figure_changes(community=community, as_of=as_of, on=on)
    head = comparison(on, as_of).head

    latest = bridge.header(bridge.Scope.of(community, as_of)).latest

    def cell(k) -> str:  # the figure, its source tag (its own date when not the header's), its change as the pack's
        when = f"<div class='d'>{html.escape(k.change.brief)}</div>" if k.change else ""
        # a figure lib knows is questionable (征迁已签约 against the household records) says so right after it
        warn = (f"<div class='gw-change gw-change-warn'>{html.escape(k.label)}：{html.escape(k.figure.warning)}</div>"
                if k.figure.warning else "")
        return (f"<div class='gw-change'><div class='l'>{html.escape(k.label)} {html.escape(k.figure.display)}</div>"
                f"{tag_html(widgets.viewer(k.figure), latest)}{when}</div>{warn}")

    cells = "".join(cell(k) for k in figs)
    st.html(f"<div class='gw-changes'><span class='gw-changes-h'>{head}</span>{cells}</div>")


def _save(key: str, part: str, setter) -> None:
    st.session_state[f"{key}.{part}_result"] = setter(st.session_state.get(f"{key}.{part}_day"))


def _date_form(*, key: str, part: str, field: str, current: dt.date | None, shown: str, allowed: bool, hint: str,
               setter) -> None:
    """One staff-set date (lib.date_settings): its value, and for the allowed roles a form to change it."""
    st.caption(f"{field}：{widgets.md_escape(shown)}")  # `shown` names who set it: their text, not Markdown
    if not allowed:
        st.caption(hint)
        return
    with st.form(key=f"{key}.{part}_form", border=False):
        st.date_input(field, value=current or bridge.local_today(), key=f"{key}.{part}_day", format="YYYY-MM-DD")
        st.form_submit_button(f"保存{field}", on_click=_save, args=(key, part, setter))
    message, error = st.session_state.pop(f"{key}.{part}_result", (None, None))
    if error:
        st.error(error)
    elif message:
        st.success(message)


def briefing_date_form(*, key: str) -> None:
    """For a signed-in 领导 or 街道管理员: set 「上次汇报日期」 (the lib checks the permission again)."""
    current = bridge.last_briefing_date()
    _date_form(key=key, part="briefing", field="上次汇报日期", current=current,
               shown=cn_date(current) if current else "未设置", allowed=bridge.can_set_briefing_date(),
               hint="登录领导或街道管理员账号后可设置", setter=bridge.set_last_briefing_date)


def deadline_form(*, key: str) -> None:
    """For a signed-in 街道管理员: set 「征迁截止日期」 (示例 until entered; the lib checks the permission)."""
    d = bridge.relocation_deadline()
    _date_form(key=key, part="deadline", field=bridge.DEADLINE_FIELD, current=None if d.is_demo else d.day,
               shown=f"{cn_date(d.day)}（{d.figure.badge()}）", allowed=bridge.can_set_deadline(),
               hint="登录街道管理员账号后可设置征迁截止日期", setter=bridge.set_relocation_deadline)
