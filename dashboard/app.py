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
from dashboard import sidebar, signin, style  # noqa: E402
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
    # "auto": open on a wide screen, closed on a phone, where an open sidebar covers the whole page
    initial_sidebar_state="auto",
)

lang = language_switch()
style.apply(lang)
# Nobody signed in: the gate has drawn the sign-in form (or why not), and no page runs below.
who = signin.gate()
if who is not None:
    sidebar.dataset_badge()

# The order readers meet the pages in, with their Material icons. A page has one name: its file
# (screens/<name>.py), its url path (/<name>) and its title (dashboard.nav.<name>).
_NAV = [
    ("overview", "dashboard"),
    ("rankings", "leaderboard"),
    ("map", "map"),
    ("profile", "badge"),
    ("progress", "trending_up"),
    ("indices", "public"),
    ("reviews", "workspace_premium"),
    ("quota", "rule"),
    ("report", "description"),
    ("data", "dataset"),
    ("imports", "upload_file"),
    ("quality", "fact_check"),
]

_pages = [
    st.Page(
        _PAGES / f"{name}.py",
        title=t(f"dashboard.nav.{name}", lang),
        icon=f":material/{icon}:",
        url_path=name,
    )
    for name, icon in _NAV
]
# The root address runs the first page too, without a second entry in the menu: /overview (the address links
# and the README give) and / both open the Overview. A default page is served at / only, whatever its url_path.
_root = st.Page(
    _PAGES / f"{_NAV[0][0]}.py",
    title=t(f"dashboard.nav.{_NAV[0][0]}", lang),
    url_path="home",
    default=True,
    visibility="hidden",
)
page = st.navigation(
    [*_pages, _root],
    # Still called for a reader not signed in, hidden: the address they asked for (/rankings) resolves and
    # is kept for after the sign-in.
    position="sidebar" if who is not None else "hidden",
)
if who is not None:
    page.run()
