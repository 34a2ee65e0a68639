"""数据录入: 五星评定, 示范社区状态, 征迁户进度, 养老入住, 指标数据 — one form per tab.

Staff see their own community (locked); administrators choose. lib validates and re-checks every write.
"""
from __future__ import annotations

import streamlit as st

from ui import bridge, entry_forms, forms, widgets

bridge.ensure_entrypoint()

st.title("数据录入")
forms.touch_css()
actor = forms.require_editor("数据录入")
forms.actor_caption(actor)

with widgets.guard("数据录入"):
    community = forms.community_choice("entry.community")
    panels = {"五星评定": entry_forms.star_form, "示范社区": entry_forms.model_form,
              "征迁户进度": entry_forms.household_form, "养老入住": entry_forms.occupancy_form,
              "指标数据": entry_forms.fact_form}
    for tab, (title, render) in zip(st.tabs(list(panels)), panels.items(), strict=True):
        with tab, widgets.guard(title):
            render(actor, community)
