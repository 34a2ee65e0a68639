"""Placeholder: being written."""
from __future__ import annotations

import streamlit as st

from ui import bridge

bridge.ensure_entrypoint()
st.title("ledgers")
st.info("建设中")
