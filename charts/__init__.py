"""Figures for the screen and for every export, in one look: the builders (figures), the palette (palette.yaml),
the template and font (theme) and what frames a chart's data: title, source line, the reorganisation break.

Layer: above services, below exports and dashboard. Imports plotly, polars and core only — never streamlit,
duckdb or store — so the pages, the report and the exports draw the same figure from the same frame.
"""
