"""The 数据录入 forms, one renderer per tab. Each shows the current state, a form, and the outcome.

Numbers are typed as text (「95」, 「6100余」): lib parses and validates them and names the field in
its Chinese message. Dates have no upper limit in the widget; lib refuses future dates.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from ui import bridge, flash, forms
from ui.bridge import cn_date, local_today, percent
from ui.widgets import md_escape, viewer

_opts = bridge.form_options
HOUSEHOLD_LADDER, MODEL_STATUSES, STAR_STATUSES, STARS, SUBDISTRICT = (
    _opts.HOUSEHOLD_LADDER, _opts.MODEL_STATUSES, _opts.STAR_STATUSES, _opts.STARS, _opts.SUBDISTRICT)

COMMUNITY = "entry.community"


def _form(ns: str):
    return st.form(f"{ns}.form", clear_on_submit=False, enter_to_submit=False)


def _submit_button(ns: str, label: str, build: forms.Build) -> None:
    st.form_submit_button(label, key=f"{ns}.submit", type="primary", width="stretch", icon=":material/save:",
                          on_click=forms.submit, args=(ns, build))


def _v(ns: str, name: str):
    """A form field's value at submit time (the callback reads session state)."""
    return st.session_state.get(f"{ns}.{name}")


def _score(text: str) -> str:
    return f" · 得分 {text.strip()}" if text and text.strip() else ""


def star_form(actor, community: str) -> None:
    ns = "entry.star"
    held = bridge.star_matrix(community=community)
    if not held.empty:
        st.caption("当前评定：" + "；".join(f"{r.star} {r.status}" for r in held.itertuples()))

    def build():
        c, star, status, score, day = (st.session_state.get(COMMUNITY), _v(ns, "star"), _v(ns, "status"),
                                       _v(ns, "score"), _v(ns, "date"))
        return ({"c": c, "star": star, "status": status, "score": score, "day": day},
                lambda key: bridge.record_star_assessment(actor, community=c, star=star, status=status,
                                                         score=score or None, valid_from=day, submission_key=key),
                f"{c}社区 · {star} · {status}{_score(score)} · {cn_date(day) if day else '今天'}")

    with _form(ns):
        st.selectbox("星级", STARS, key=f"{ns}.star")
        st.radio("状态", STAR_STATUSES, key=f"{ns}.status", horizontal=True)
        forms.number_text("得分（0–100，可留空）", f"{ns}.score", placeholder="如：92")
        st.date_input("评定日期", value=local_today(), key=f"{ns}.date", format="YYYY-MM-DD")
        _submit_button(ns, "保存五星评定", build)
    flash.show(ns)


def model_form(actor, community: str) -> None:
    ns = "entry.model"
    held = bridge.model_status(community=community)
    if not held.empty:
        st.caption(f"当前状态：{held.iloc[0]['status']}（自 {cn_date(held.iloc[0]['valid_from'])} 起）")

    def build():
        c, status, day, note = st.session_state.get(COMMUNITY), _v(ns, "status"), _v(ns, "date"), _v(ns, "note")
        return ({"c": c, "status": status, "day": day, "note": note},
                lambda key: bridge.record_model_status(actor, community=c, status=status, valid_from=day,
                                                       note=note or None, submission_key=key),
                f"{c}社区 · {status} · 自 {cn_date(day) if day else '今天'} 起" + (f" · {note}" if note else ""))

    with _form(ns):
        st.selectbox("示范社区状态", MODEL_STATUSES, key=f"{ns}.status")
        st.date_input("生效日期", value=local_today(), key=f"{ns}.date", format="YYYY-MM-DD")
        st.text_input("备注（可留空）", key=f"{ns}.note", max_chars=500)
        _submit_button(ns, "保存示范社区状态", build)
    flash.show(ns)


def household_form(actor, community: str) -> None:
    ns = "entry.household"
    households = bridge.household_status(community=community)
    if households.empty:
        flash.show(ns)
        st.info(f"{community}社区没有文化路北延征迁户。", icon=":material/info:")
        return
    status_of = dict(zip(households["code"], households["status"]))
    pending = [c for c, status in status_of.items() if _opts.next_household_step(status) is not None]
    first = list(status_of).index(pending[0]) if pending else 0  # open on a household that still has a step
    code = st.selectbox("户编号（匿名编号）", list(status_of), index=first, key=f"{ns}.code",
                        format_func=lambda c: f"{c}（{status_of[c]}）")
    row = households.set_index("code").loc[code]
    current = row["status"]
    nxt = _opts.next_household_step(current)
    step = md_escape(nxt or "已完成全部步骤")
    st.markdown(f"当前状态：**{md_escape(current)}**（{cn_date(row['since'])}）　→　下一步：**{step}**")
    st.caption("状态按「" + " → ".join(HOUSEHOLD_LADDER) + "」逐级登记，不能跳级或回退。")
    if nxt is None:
        flash.show(ns)
        st.success(md_escape(f"户“{code}”当前为「{current}」，已完成全部步骤，无需再登记。"), icon=":material/task_alt:")
        return
    owner = f"{ns}.for"
    if st.session_state.get(owner) != (code, current):  # a new household: offer its next step
        st.session_state[f"{ns}.status"] = nxt
        st.session_state[owner] = (code, current)

    def build():
        status, day, area = _v(ns, "status"), _v(ns, "date"), _v(ns, "area") or ""
        return ({"code": code, "status": status, "day": day, "area": area},
                lambda key: bridge.record_household_step(actor, code=code, status=status, on=day,
                                                         demolished_area_m2=area or None, submission_key=key),
                f"{code} · {status} · {cn_date(day) if day else '今天'}" + (f" · 拆除面积 {area} 平方米" if area else ""))

    with _form(ns):
        st.selectbox("登记为", HOUSEHOLD_LADDER, key=f"{ns}.status", disabled=True, help="只能登记下一步")
        st.date_input("日期", value=local_today(), key=f"{ns}.date", format="YYYY-MM-DD")
        if nxt == HOUSEHOLD_LADDER[-1]:
            forms.number_text("拆除面积（平方米，留空按房屋面积）", f"{ns}.area",
                              placeholder=f"{row['floor_area_m2']:g}" if pd.notna(row["floor_area_m2"]) else "")
        _submit_button(ns, f"登记「{nxt}」", build)
    flash.show(ns)


def occupancy_form(actor, community: str) -> None:
    ns = "entry.occupancy"
    # the bed count of the form's day (the day last submitted, else today): the facility's 床位 figure holding then,
    # else the register's (lib.queries.care.beds_on, the bound lib checks 入住 against), with its own source
    day = st.session_state.get(f"{ns}.date") or local_today()
    fac = bridge.care_facilities(community=community)
    held = {k: bridge.facility_beds(k, as_of=day) for k in fac["key"]}
    held = {k: b for k, b in held.items() if b.value is not None}
    if not held:
        flash.show(ns)
        st.info(f"{community}社区没有登记床位数的养老机构。", icon=":material/info:")
        return
    names = dict(zip(fac["key"], fac["name"]))
    key = st.selectbox("养老机构", list(held), key=f"{ns}.facility",
                       format_func=lambda k: f"{names[k]}（床位 {held[k].value} 张）")
    beds = held[key]
    st.caption(f"床位（{cn_date(day)}）：{beds.figure.display}（{md_escape(viewer(beds.figure).badge(day))}）")
    occ = bridge.current_occupancy(facility=key)
    if occ.occupied is not None:
        st.caption(f"最近一次：{cn_date(occ.day)} 入住 {occ.occupied}/{occ.beds} 人（{percent(occ.occupied, occ.beds)}）"
                   + ("，示例数据" if occ.is_demo else ""))

    def build():
        day, occupied = _v(ns, "date"), _v(ns, "occupied")
        on = bridge.facility_beds(key, as_of=day or local_today()).value  # the submitted day's, as lib checks
        return ({"facility": key, "day": day, "occupied": occupied},
                lambda token: bridge.record_occupancy(actor, facility=key, day=day, occupied=occupied,
                                                      submission_key=token),
                f"{names[key]} · {cn_date(day) if day else '今天'} · 入住 {occupied} 人（床位 {on} 张）")

    with _form(ns):
        st.date_input("日期", value=local_today(), key=f"{ns}.date", format="YYYY-MM-DD")
        forms.number_text(f"入住人数（0–{beds.value}）", f"{ns}.occupied", placeholder="如：48")
        _submit_button(ns, "保存入住人数", build)
    flash.show(ns)


def fact_form(actor, community: str) -> None:
    ns = "entry.fact"

    def build():
        target = None if _v(ns, "subdistrict") else st.session_state.get(COMMUNITY)
        label, value, unit, day, source, quote = (_v(ns, k) for k in ("label", "value", "unit", "date", "source", "quote"))
        return ({"c": target, "label": label, "value": value, "unit": unit, "day": day, "source": source, "quote": quote},
                lambda key: bridge.record_fact(actor, label=label, value=value, unit=unit, source_title=source,
                                               valid_from=day, community=target, quote=quote or None,
                                               submission_key=key),
                (f"{target + '社区' if target else SUBDISTRICT} · {label} · {value}{unit} · "
                 f"{cn_date(day) if day else '今天'} · 来源：{source}"))

    with _form(ns):
        if actor.is_admin:
            st.checkbox(f"街道级数据（对象为{SUBDISTRICT}，不属于某个社区）", key=f"{ns}.subdistrict")
        st.text_input("指标名称", key=f"{ns}.label", max_chars=64, placeholder="如：常住人口")
        c1, c2 = st.columns([2, 1])
        with c1:
            forms.number_text("数值", f"{ns}.value", placeholder="如：7000余、4.96万")
        with c2:
            st.text_input("单位", key=f"{ns}.unit", max_chars=16, placeholder="如：人")
        st.date_input("日期", value=local_today(), key=f"{ns}.date", format="YYYY-MM-DD")
        st.text_input("来源", key=f"{ns}.source", max_chars=300, placeholder="如：社区2024年人口台账")
        st.text_area("原文或说明（可留空）", key=f"{ns}.quote", max_chars=2000, height=90)
        _submit_button(ns, "保存指标数据", build)
    flash.show(ns)
