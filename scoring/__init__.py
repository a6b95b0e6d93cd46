"""Scoring logic for the self-assessment tool (pure Python, importable without Streamlit)."""
