"""The dashboard's entry file: page settings, the shared sidebar and the page router. Nothing else.

Run it with `parboard serve` (see dashboard/serve.py) rather than `streamlit run`, which would miss the
safe server flags.
"""

from __future__ import annotations

import sys
from pathlib import Path

# `streamlit run dashboard/app.py` puts dashboard/ on sys.path, not the project root
_ROOT = Path(__file__).resolve().parent.parent
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

import streamlit as st  # noqa: E402

from core.i18n import t  # noqa: E402
from dashboard import sidebar, signin  # noqa: E402
from dashboard.context import language_switch  # noqa: E402

# Not `pages/`: Streamlit treats a `pages/` folder beside the entry file as an old-style multipage app until the
# first st.navigation call, so a fresh server would run a deep link's page file without this router and give
# its first run other widget ids (a first sign-in would be lost).
_PAGES = Path(__file__).parent / "screens"

# No page_title: the browser tab then shows the current page's title, in the reader's language.
st.set_page_config(
    # An emoji, not a :material/…: icon: Streamlit's page fetches a Material favicon from fonts.gstatic.com,
    # an emoji it draws itself (nothing is fetched at run time).
    page_icon="🏛️",
    layout="wide",
    initial_sidebar_state="expanded",
)

lang = language_switch()
# Nobody signed in: the gate has drawn the sign-in form (or why not), and no page runs below.
who = signin.gate()
if who is not None:
    sidebar.dataset_badge()

# The order readers meet the pages in; each entry is (file, catalog key, Material icon, url path).
_NAV = [
    ("overview.py", "overview", "dashboard", "overview"),
    ("rankings.py", "rankings", "leaderboard", "rankings"),
    ("profile.py", "profile", "badge", "profile"),
    ("progress.py", "progress", "trending_up", "progress"),
    ("reviews.py", "reviews", "workspace_premium", "reviews"),
    ("quota.py", "quota", "rule", "quota"),
    ("report.py", "report", "description", "report"),
    ("data.py", "home", "dataset", "data"),
    ("import.py", "import", "upload_file", "import"),
    ("quality.py", "quality", "fact_check", "quality"),
]

page = st.navigation(
    [
        st.Page(
            _PAGES / file,
            title=t(f"dashboard.nav.{key}", lang),
            icon=f":material/{icon}:",
            url_path=path,
            default=i == 0,
        )
        for i, (file, key, icon, path) in enumerate(_NAV)
    ],
    # Still called for a reader not signed in, hidden: the address they asked for (/rankings) resolves and
    # is kept for after the sign-in.
    position="sidebar" if who is not None else "hidden",
)
if who is not None:
    page.run()
