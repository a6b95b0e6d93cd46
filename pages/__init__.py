"""Streamlit page scripts (run through st.navigation in app.py) and their shared helpers (pages.shared.common)."""
