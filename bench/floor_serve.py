"""The framework floor served as the dashboard is (serve.py): the same ASGI entry, socket option (deploy/tcp.py),
garbage-collector setting (ui/gc_tuning.py) and event-loop wakeups (deploy/wakeups.py), so the benchmarks'
ratios compare the apps' own work."""
import streamlit as st

from deploy import tcp, wakeups
from ui import gc_tuning

tcp.no_nagle_on_listeners()
gc_tuning.enable()
wakeups.coalesce()

app = st.App("floor_app.py")
