"""The ASGI entry: the Streamlit app (app.py) plus the HTTP routes it needs beside its WebSocket.

    streamlit run serve.py      (make run)      or      uvicorn serve:app

Routes: sign-in / sign-out and wall-screen links (ui/session_routes.py).
"""
import streamlit as st

from ui import session_routes

app = st.App("app.py", routes=session_routes.ROUTES)
