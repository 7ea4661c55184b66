"""Streamlit front end (issue 5): thin pages over :mod:`tryon`."""
