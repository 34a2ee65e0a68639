"""The framework floor served as the dashboard is (serve.py): the same ASGI entry and socket option
(deploy/tcp.py), so the benchmarks' ratios compare the apps' own work, not a server setting."""
import streamlit as st

from deploy import tcp

tcp.no_nagle_on_listeners()

app = st.App("floor_app.py")
