"""The server's entry file: Streamlit's app (dashboard/app.py) with the guard in front of it.

`streamlit run` finds the `app` below (an `st.App`) and serves it with uvicorn; dashboard/guard.py says what
the middleware checks and what the two extra routes do; dashboard/assets.py how Streamlit's own files are sent.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware
from starlette.routing import Route

from dashboard.assets import Assets
from dashboard.guard import SESSION_ROUTE, SIGNOUT_ROUTE, Guard, session_route, signout_route

app = st.App(
    Path(__file__).resolve().parent / "app.py",
    routes=[Route(SESSION_ROUTE, session_route), Route(SIGNOUT_ROUTE, signout_route)],
    # The guard first: its checks and security headers cover every answer, the compressed files included.
    middleware=[Middleware(Guard), Middleware(Assets)],
)
