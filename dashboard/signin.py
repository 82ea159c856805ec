"""The sign-in gate the router runs before any page: who is reading, or the sign-in form and nothing else.

Three modes, chosen when the server starts (access/mode.py, `parboard serve --auth`):
- password: a form checked against the accounts file (access/accounts.py), with a growing lock-out per
  account and per address after repeated failures (access/throttle.py). A signed token (access/sessions.py)
  in an HttpOnly cookie keeps a reader signed in across reloads for the file's `expiry_days`. The server
  sets that cookie (dashboard/guard.py): the page asks for it with a one-time ticket in a hidden frame, so
  no script ever holds the token. Every run checks the session against the account's session generation,
  so sign-out, a new password, a new role or removal end it at the next step, on every device.
  (streamlit-authenticator 0.4, used before, sets its cookie from JavaScript, so it can be neither HttpOnly
  nor revoked: its token holds only the name and expiry, and every well-signed token is accepted.)
- header: an authenticating reverse proxy passes the username in a trusted header.
- off: nobody signs in; every page says that whoever reaches the address acts as administrator.

Sign-ins are recorded in the audit trail (once per session), refused ones too.
"""

from __future__ import annotations

import contextlib
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from access import audit, throttle
from access.accounts import AccountError, account, accounts, accounts_path, end_sessions, verify
from access.mode import auth_mode
from access.policy import Denied, Principal
from access.sessions import cookie_settings, issue, signed_in
from dashboard.context import EPOCH_KEY, SIGNED_IN_KEY, USERNAME_KEY, db_path, translator, user
from dashboard.guard import SESSION_ROUTE, SIGNOUT_ROUTE, new_ticket
from dashboard.text import plain

_AUDITED = "_signin_audited"  # session key: the username whose sign-in this session has recorded
_NOTICE = "_signin_notice"  # session key: a message to show above the form after a forced sign-out
_COOKIE_FRAME = "_signin_cookie_frame"  # session key: the hidden frame's address (set or delete the cookie)


def denied_text(exc: Denied) -> str:
    """A refused privileged action in the reader's words (access.denied)."""
    say = translator("access")
    action = say(f"action.{exc.action}")
    if exc.principal is None:
        return say("denied.anonymous", action=action)
    return say("denied.message", role=say(f"role.{exc.principal.role}"), action=action)


def gate() -> Principal | None:
    """Who is signed in; None when nobody is, after drawing what they need instead (the form, the way to
    create the first account, or why the proxy's word was not enough). The router runs no page then."""
    say = translator("access")
    mode = auth_mode()
    if mode.mode == "off":
        with st.sidebar:
            st.warning(say("signin.off_notice"), icon=":material/lock_open:")
        return user()
    if mode.mode == "header":
        return _header(mode.header)
    return _password()


def _header(header: str) -> Principal | None:
    say = translator("access")
    who = user()
    if who is None:
        username = (st.context.headers.get(header) or "").strip()
        st.error(say("signin.header_missing", header=header, username=plain(username)), icon=":material/block:")
        return None
    _record_once(who, "header")
    with st.sidebar:
        st.caption(say("signin.header_user", name=plain(who.name), role=say(f"role.{who.role}")))
    return who


def _password() -> Principal | None:
    say = translator("access")
    db = db_path()
    path = accounts_path(db)
    try:
        usable = [a for a in accounts(path) if a.role]
    except AccountError as exc:
        st.error(say("signin.unreadable", **{k: plain(str(v)) for k, v in exc.params.items()}), icon=":material/error:")
        return None
    if not usable:
        st.title(say("signin.no_accounts_title"))
        st.markdown(say("signin.no_accounts", file=str(path)))  # inside a code span: shown as is
        st.code("parboard user add NAME --role admin", language="bash")
        return None

    # Two slots at fixed places in every run, so a rerun replaces elements instead of leaving stale copies.
    frame = st.empty()
    form = st.empty()
    method = _resume(path)
    if method is None:
        method = _show_form(path, form)
    if frame_src := st.session_state.get(_COOKIE_FRAME):
        with frame.container():
            # The server answers this frame with Set-Cookie (HttpOnly): the token never reaches a script.
            st.iframe(frame_src, height=1)
    if method is None:
        return None
    who = user()
    if who is None:  # removed, left without a role, or its sessions ended since the last step
        _forget()
        _show_form(path, form)
        return None
    _record_once(who, method)
    with st.sidebar:
        st.markdown(say("signin.signed_in_as", name=plain(who.name), role=say(f"role.{who.role}")))
        st.button(say("signin.sign_out"), key="signin_sign_out", on_click=_sign_out, args=(db, path, who))
    return who


def _resume(path: Path) -> str | None:
    """How this session is signed in ("session" or "cookie"), or None. A session whose account changed
    generation (signed out elsewhere, new password or role) or is gone is ended here, with a notice."""
    say = translator("access")
    if st.session_state.get(SIGNED_IN_KEY) is True:
        username = str(st.session_state.get(USERNAME_KEY) or "")
        try:
            found = account(path, username)
        except AccountError:
            found = None
        if found is None or not found.role:
            st.session_state[_NOTICE] = say("signin.account_gone", username=plain(username))
        elif st.session_state.setdefault(EPOCH_KEY, found.epoch) != found.epoch:
            st.session_state[_NOTICE] = say("signin.session_ended")
        else:
            return "session"
        _forget()
        return None
    try:
        name, _, _ = cookie_settings(path)
    except AccountError:
        return None
    token = st.context.cookies.get(name)
    if not isinstance(token, str) or not token:
        return None
    found = signed_in(path, token)
    if found is None:  # expired, revoked or forged: delete it, so the browser stops sending it
        st.session_state[_COOKIE_FRAME] = SIGNOUT_ROUTE
        return None
    _start(found.username, found.epoch)
    return "cookie"


def _show_form(path: Path, form: DeltaGenerator) -> str | None:
    """Draw the form; "form" when it has just signed someone in (the form is gone then)."""
    say = translator("access")
    with form.container():
        st.caption(say("signin.intro"))
        if notice := st.session_state.pop(_NOTICE, None):
            st.warning(notice, icon=":material/person_off:")
        with st.form("signin", enter_to_submit=True):
            st.subheader(say("signin.form_title"), anchor=False)
            username = st.text_input(say("signin.username"), key="signin_username")
            password = st.text_input(say("signin.password"), type="password", key="signin_password")
            submitted = st.form_submit_button(say("signin.submit"), type="primary")
        if not submitted:
            return None
        refusal = _attempt(path, (username or "").lower().strip(), (password or "").strip())
        if refusal:
            st.error(refusal, icon=":material/error:")
            return None
    form.empty()  # signed in just now: the form goes, the page follows in this run
    return "form"


def _attempt(path: Path, username: str, password: str) -> str | None:
    """Check one submission; None when it signs in, else what to tell the reader. Locked counters refuse
    without looking at the password; each failure counts toward the lock-out and is recorded."""
    say = translator("access")
    db = db_path()
    try:
        found = account(path, username) if username else None
    except AccountError:
        found = None
    known = found is not None and bool(found.role)
    # The reader's address (the proxy's X-Forwarded-For when it is the trusted proxy, dashboard/guard.py);
    # Streamlit gives None for this machine. Anything but a string (a test harness's stand-in) is "local".
    address = st.context.ip_address
    keys = throttle.keys(username, address if isinstance(address, str) else None, known)
    # An unknown name is not written down: it may be a password typed into the wrong box.
    target = username if known else ""
    if lock := throttle.check(path, keys):
        # Refused unread: the password typed while locked was never checked.
        audit.record(db, None, "sign_in", audit.REFUSED, target, known=known, locked=lock.kind, until=_moment(lock))
        return _locked_text(lock)
    if known and found is not None and verify(path, username, password):
        throttle.succeeded(path, username)
        _start(username, found.epoch)
        _issue_cookie(path, username)
        return None
    lock = throttle.failed(path, keys)
    details: dict[str, object] = {"known": known}
    if lock:
        details.update(locked=lock.kind, until=_moment(lock), failures=lock.failures)
    audit.record(db, None, "sign_in", audit.REFUSED, target, **details)
    return _locked_text(lock) if lock else say("signin.refused")


def _moment(lock: throttle.Lock) -> str:
    return datetime.fromtimestamp(lock.until).astimezone().isoformat(timespec="seconds")


def _locked_text(lock: throttle.Lock) -> str:
    say = translator("access")
    until = datetime.fromtimestamp(lock.until).astimezone()
    minutes = max(1, round((lock.until - datetime.now().timestamp()) / 60))
    return say("signin.locked", time=until.strftime("%H:%M:%S"), minutes=minutes)


def _start(username: str, epoch: int) -> None:
    st.session_state[SIGNED_IN_KEY] = True
    st.session_state[USERNAME_KEY] = username
    st.session_state[EPOCH_KEY] = epoch


def _issue_cookie(path: Path, username: str) -> None:
    found = account(path, username)
    if found is None:
        return
    _, key, lifetime = cookie_settings(path)
    ticket = new_ticket(issue(key, found, lifetime))
    st.session_state[_COOKIE_FRAME] = f"{SESSION_ROUTE}?ticket={quote(ticket)}"


def _forget() -> None:
    """End this session here: nobody signed in, and the browser told to drop the cookie."""
    for key in (SIGNED_IN_KEY, USERNAME_KEY, EPOCH_KEY, _AUDITED):
        st.session_state.pop(key, None)
    st.session_state[_COOKIE_FRAME] = SIGNOUT_ROUTE


def _record_once(who: Principal, method: str) -> None:
    if st.session_state.get(_AUDITED) != who.username:
        st.session_state[_AUDITED] = who.username
        audit.record(db_path(), who, "sign_in", audit.DONE, who.username, method=method)


def _sign_out(db: Path, path: Path, who: Principal) -> None:
    """Sign-out ends every session of the account, on every device: its tokens stop working at once."""
    with contextlib.suppress(AccountError):  # the account is gone: its sessions are over anyway
        end_sessions(path, who.username)
    _forget()
    audit.record(db, who, "sign_out", audit.DONE, who.username)
