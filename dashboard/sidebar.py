"""The part of the sidebar every page shows under the navigation: which dataset, and whether it is demo data."""

from __future__ import annotations

import streamlit as st

from dashboard.context import READ_ERRORS, published, query, translator
from dashboard.text import plain


def dataset_badge() -> None:
    db = published()
    if db is None:
        return
    try:
        # Read once per published version, not on every rerun of every page.
        meta = {row["key"]: row["value"] for row in query(db, "dataset_meta").iter_rows(named=True)}
    except READ_ERRORS:  # the page explains an unreadable database; the sidebar stays quiet
        return
    say = translator("dashboard.sidebar")
    with st.sidebar:
        st.divider()
        if meta.get("dataset_name"):
            st.caption(say("dataset", name=plain(meta["dataset_name"])))
        if meta.get("synthetic", "").strip().lower() == "true":
            st.badge(say("synthetic"), icon=":material/science:", color="orange")
        st.caption(say("version", version=db.version))
