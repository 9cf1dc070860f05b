"""Plotly figures in one report theme, each paired with its table, and the month built once (month.py):
what the pages draw and what the exports write."""
