"""The ASGI entry: Streamlit's app.py plus the operations routes (readiness).

Run with `streamlit run serve.py` (what `make run`, deploy/ and the test server do: Streamlit finds `app`
and serves it through uvicorn, honouring --server.port/--server.address) or `uvicorn serve:app`.
Routes: /readyz (database readable within READINESS_TIMEOUT_SECONDS, else 503); liveness is
Streamlit's /_stcore/health.
"""
import streamlit as st
from starlette.routing import Route

from lib.health import readyz

OPS_ROUTES = [Route("/readyz", readyz, methods=["GET", "HEAD"])]

app = st.App("app.py", routes=[*OPS_ROUTES])
