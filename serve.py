"""The ASGI entry: Streamlit's app.py plus the HTTP routes it needs beside its WebSocket.

Run with `streamlit run serve.py` (what `make run`, deploy/ and the test server do: Streamlit finds `app`
and serves it through uvicorn, honouring --server.port/--server.address) or `uvicorn serve:app`.
Routes: /readyz (database readable within READINESS_TIMEOUT_SECONDS, else 503); liveness is
Streamlit's /_stcore/health; sign-in / sign-out and wall-screen links (ui/session_routes.py).
"""
import streamlit as st
from starlette.routing import Route

from lib.health import readyz
from ui import session_routes

OPS_ROUTES = [Route("/readyz", readyz, methods=["GET", "HEAD"])]

app = st.App("app.py", routes=[*OPS_ROUTES, *session_routes.ROUTES])
