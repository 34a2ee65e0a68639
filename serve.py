"""The ASGI entry: Streamlit's app.py plus the HTTP routes it needs beside its WebSocket.

Run with `streamlit run serve.py` (what `make run`, deploy/ and the test server do: Streamlit finds `app`
and serves it through uvicorn, honouring --server.port/--server.address) or `uvicorn serve:app`.
Routes: /readyz (database readable within READINESS_TIMEOUT_SECONDS, else 503); liveness is
Streamlit's /_stcore/health; /metrics for the monitoring host (ui/metrics.py, peers in METRICS_ALLOW); sign-in /
sign-out and wall-screen links (ui/session_routes.py). An unknown
address gets a Chinese 「页面不存在」 page (ui/not_found.py), never Streamlit's English dialog; pages start from
a Chinese index.html (ui/page_shell.py: lang, title, the translation script in <head>).
"""
import streamlit as st
from starlette.middleware import Middleware
from starlette.routing import Route
from streamlit.runtime.pages_manager import PagesManager

from deploy import media_sweep, tcp, wakeups, watchdog, ws_writes
from lib.health import readyz
from ui import gc_tuning, metrics, not_found, page_shell, session_routes

# app.py drives st.navigation, but a `pages/` folder beside it makes Streamlit run a fresh process's first
# session in legacy multipage mode (its widget ids then change on the next run, losing that session's first
# widget change). Decide navigation mode before any session starts (ui/bridge/state.ensure_entrypoint covers
# `streamlit run app.py` and AppTest).
PagesManager.uses_pages_directory = False

# Streamlit 1.67 binds its socket with protocol 0, so asyncio never sets TCP_NODELAY on its connections: each
# run's small messages then wait on the peer's delayed ACK (nginx, or a protocol client: ~40 ms a rerun).
# This module is imported after that socket is bound; the connections accepted from it inherit the option.
tcp.no_nagle_on_listeners()
gc_tuning.enable()  # the first complete run freezes what a warm process keeps (ui/gc_tuning.py)
wakeups.coalesce()  # one event-loop wakeup per burst of a session's messages (deploy/wakeups.py)
ws_writes.coalesce()  # a websocket's writes joined for 1 ms: ~3 sends a rerun (deploy/ws_writes.py)
media_sweep.throttle()  # orphaned media files swept once a second, not by every run (deploy/media_sweep.py)
watchdog.start(watchdog.own_health_url())  # under systemd: restarted when it stops answering (deploy/watchdog.py)

OPS_ROUTES = [Route("/readyz", readyz, methods=["GET", "HEAD"]), *metrics.ROUTES]

app = st.App("app.py", routes=[*OPS_ROUTES, *session_routes.ROUTES],
             middleware=[Middleware(not_found.NotFoundMiddleware), Middleware(page_shell.PageShellMiddleware)])
