"""What every page shares: the database being read and the reader's language.

The database is $PARBOARD_DB (else the default path). Its `Published` handle is cached per version file,
so a load that publishes a new version is picked up on the next rerun without restarting the server.
One script run reads one version: the first `published()` of a run pins the version file, and every later
call in the same run (sidebar badge, page body, banners, table captions) gets that same version, so a
publish in the middle of a run never mixes two versions on one page.
"""

from __future__ import annotations

import threading
import weakref
from pathlib import Path

import polars as pl
import streamlit as st

from access.accounts import AccountError, account, accounts_path
from access.mode import LOCAL_USER, auth_mode
from access.policy import Principal
from core.i18n import DEFAULT_LANGUAGE, LANGUAGES, Translator, t
from dashboard import style
from store.db import DatabaseError, current_file, resolve_db_path
from store.queries import Published, QueryError

# What a damaged, foreign or vanished database file can raise while being read: pages show these as
# words (components.read_error), never as a traceback.
READ_ERRORS = (QueryError, OSError, DatabaseError)

# The session-state key of the language switch; also the URL query parameter (?lang=en).
LANG_KEY = "lang"
_LANG_WIDGET = style.LANG_SWITCH  # the widget; LANG_KEY holds the choice, which outlives a page's widgets
_LANG_URL = "_url.lang"  # the language last written to the URL


def db_path() -> Path:
    return resolve_db_path()


@st.cache_resource(max_entries=4, show_spinner=False)
def _published(db: str, version_file: str) -> Published:
    # The handle reads exactly the file its cache key names, even if the link has moved on since.
    return Published(Path(db), file=Path(version_file))


# The version file each running script run has pinned, per database path. Keyed by an object Streamlit makes
# afresh for every run (ScriptRunContext.reset), held weakly so finished runs drop out by themselves.
_pins: weakref.WeakKeyDictionary[object, dict[Path, Path | None]] = weakref.WeakKeyDictionary()
_pins_lock = threading.Lock()


def _run_token() -> object | None:
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx(suppress_warning=True)
    return getattr(ctx, "parallel_coordinator", None) if ctx is not None else None


def run_version(db: Path) -> Path | None:
    """The version file this script run reads db at: the current one at the run's first call, then the same
    one until the run ends. Outside a script run (the warm-up thread, the CLI) simply the current one."""
    token = _run_token()
    if token is None:
        return current_file(db)
    with _pins_lock:
        pinned = _pins.setdefault(token, {})
        if db not in pinned:
            pinned[db] = current_file(db)
        return pinned[db]


def published() -> Published | None:
    """The published version this script run reads, or None when nothing has been published at the path."""
    db = db_path()
    file = run_version(db)
    if file is None:
        return None
    return _published(str(db), str(file))


# Session keys of a password sign-in (dashboard/signin.py): signed in, as whom, under which session generation.
SIGNED_IN_KEY = "authentication_status"
USERNAME_KEY = "username"
EPOCH_KEY = "_signin_epoch"


def user() -> Principal | None:
    """Who this session is, with the role the accounts file gives them now; None when nobody is signed in.

    Every privileged action passes this to access.require on the server; the role is read at the moment of
    the action, so removing or demoting an account takes effect at that user's next step."""
    mode = auth_mode()
    if mode.mode == "off":
        return Principal(LOCAL_USER, translator("access")("who.local_user"), "admin", "off")
    if mode.mode == "header":
        username = (st.context.headers.get(mode.header) or "").strip()
    else:
        signed_in = st.session_state.get(SIGNED_IN_KEY) is True
        username = str(st.session_state.get(USERNAME_KEY) or "") if signed_in else ""
    if not username:
        return None
    try:
        found = account(accounts_path(db_path()), username)
    except AccountError:
        return None
    if found is None or not found.role:
        return None
    if mode.mode == "password" and st.session_state.get(EPOCH_KEY, found.epoch) != found.epoch:
        return None  # its sessions were ended (sign-out elsewhere, new password or role) since it signed in
    return Principal(found.username, found.name, found.role, mode.mode)


def lang() -> str:
    value = st.session_state.get(LANG_KEY)
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


def translator(area: str) -> Translator:
    """The catalog area (e.g. 'rankings', 'dashboard.home') in the reader's language: `say = translator(...)`."""
    return Translator(area, lang())


def _pick_language() -> None:
    st.session_state[LANG_KEY] = st.session_state.get(_LANG_WIDGET)


def language_switch() -> str:
    """Vietnamese by default; the choice lives in the session and in the URL (?lang=en) and survives page switches.

    Written to the URL on every run, like the other view parameters (dashboard.state): a widget bound to the URL
    lost the parameter on about one page switch in two, when the new page's address replaced the old one after
    the widget had written it. A language arriving in the URL that differs from the one last written (a shared
    link, a reload of an edited address) wins over the session's."""
    url = st.query_params.get(LANG_KEY)
    if url in LANGUAGES and url != st.session_state.get(_LANG_URL):
        st.session_state[LANG_KEY] = url
    current = lang()
    st.session_state[_LANG_WIDGET] = current
    with st.sidebar:
        st.segmented_control(
            # The same label in both languages: whoever cannot read the current one still finds the switch.
            t("dashboard.sidebar.language", DEFAULT_LANGUAGE),
            # The options are the codes themselves, shown upper case (VI | EN) by the page style (dashboard.style).
            options=list(LANGUAGES),
            required=True,
            key=_LANG_WIDGET,
            on_change=_pick_language,
            help=" · ".join(t(f"dashboard.sidebar.lang_{code}", code) for code in LANGUAGES),
        )
    st.session_state[_LANG_URL] = current
    if current == DEFAULT_LANGUAGE:
        if LANG_KEY in st.query_params:
            del st.query_params[LANG_KEY]
    elif st.query_params.get(LANG_KEY) != current:
        st.query_params[LANG_KEY] = current
    return current


@st.cache_resource(max_entries=256, show_spinner=False)
def _query(db: str, version_file: str, name: str, params: tuple[tuple[str, object], ...]) -> pl.DataFrame:
    # A resource, not data: the frame is shared read-only between reruns and sessions instead of being
    # copied on every hit. version_file is the cache key that a new publish changes.
    return _published(db, version_file).query(name, **dict(params))


def query(db: Published, name: str, **params: object) -> pl.DataFrame:
    """store/sql/<name>.sql on this published version, run once per version and parameters."""
    return _query(str(db.db), str(db.file), name, tuple(sorted(params.items())))
