"""Streamlit-side helpers. `ui.bridge` is the only module that connects lib to Streamlit."""
