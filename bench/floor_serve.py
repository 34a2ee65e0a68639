"""The framework floor served as the dashboard is (serve.py): the same ASGI entry, socket option (deploy/tcp.py),
garbage-collector setting (ui/gc_tuning.py), event-loop wakeups (deploy/wakeups.py), joined websocket writes
(deploy/ws_writes.py) and media sweeps (deploy/media_sweep.py), so the benchmarks' ratios compare the apps' own
work. Its runs take turns as the dashboard's do (bench/floor_app.py uses ui/admission.py)."""
import streamlit as st

from deploy import media_sweep, tcp, wakeups, ws_writes
from ui import gc_tuning

tcp.no_nagle_on_listeners()
gc_tuning.enable()
wakeups.coalesce()
ws_writes.coalesce()
media_sweep.throttle()

app = st.App("floor_app.py")
