"""The framework floor: the smallest Streamlit page with the same interaction (one selectbox, one metric)."""
import streamlit as st

from ui import admission, gc_tuning

OPTIONS = ["中兴", "西华", "大官庄", "工业路"]

with admission.slot():  # runs take turns, as the dashboard's (ui/admission.py via page_guard.page_run)
    choice = st.selectbox("社区", OPTIONS, index=None, key="community", placeholder="全街道（未选择社区）",
                          format_func=lambda n: f"{n}社区")
    st.metric("当前选择", f"{choice}社区" if choice else "全街道")
gc_tuning.freeze_after_first_run()  # as the dashboard's app.py (a no-op unless floor_serve.py enabled it)
