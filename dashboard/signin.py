"""The sign-in gate the router runs before any page: who is reading, or the sign-in form and nothing else.

Three modes, chosen when the server starts (access/mode.py, `parboard serve --auth`):
- password: streamlit-authenticator's form against the accounts file (access/accounts.py). The library gets
  a copy of the credentials, never the file's path, so it never writes the file (it would otherwise record
  `logged_in` and failed attempts in it); it fetches nothing from the network (only an api_key, which we
  never pass, would make it call its cloud service). A signed JWT cookie (key from the accounts file)
  keeps a reader signed in across reloads for the file's `expiry_days`.
- header: an authenticating reverse proxy passes the username in a trusted header.
- off: nobody signs in; every page says that whoever reaches the address acts as administrator.

Sign-ins are recorded in the audit trail (once per session), refused ones too.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import streamlit as st

from access import audit
from access.accounts import AccountError, accounts_path, read_config
from access.mode import auth_mode
from access.policy import ROLES, Denied, Principal
from dashboard.context import db_path, translator, user

if TYPE_CHECKING:
    import streamlit_authenticator as stauth

_AUDITED = "_signin_audited"  # session key: the username whose sign-in this session has recorded
_CONFIG = "_signin_config"  # session key: (file stamp, this session's copy of the accounts)
_NOTICE = "_signin_notice"  # session key: a message to show above the form after a forced sign-out
# The library sleeps 0.7 s before every anonymous run, a leftover from reading the cookie through a browser
# component; 0.4 reads it from the request (st.context.cookies), so the sleep only delays every new tab.
# bcrypt's cost already slows guessing (about 0.2 s per attempt).
_LOGIN_SLEEP_S = 0.0


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
        st.error(say("signin.header_missing", header=header, username=username), icon=":material/block:")
        return None
    _record_once(who, "header")
    with st.sidebar:
        st.caption(say("signin.header_user", name=who.name, role=say(f"role.{who.role}")))
    return who


@lru_cache(maxsize=4)
def _accounts(path: str, stamp: tuple[int, int]) -> dict[str, Any]:  # noqa: ARG001 - stamp is the cache key only
    """The accounts file as the library wants it, read again only when the file changes (stamp: mtime, size).
    Accounts it could not use are left out: no bcrypt hash (the library would compare a plain text) or no
    role parboard knows (signed in, they could do nothing)."""
    config = read_config(Path(path))
    users = {
        name: entry
        for name, entry in config["credentials"]["usernames"].items()
        if isinstance(entry, dict)
        and str(entry.get("password") or "").startswith("$2")
        and any(role in ROLES for role in entry.get("roles") or [])
    }
    return {"cookie": config["cookie"], "credentials": {"usernames": users}}


def _session_accounts(path: Path) -> dict[str, Any]:
    """This session's own copy: the library writes into the credentials it is given."""
    try:
        stat = path.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
    except FileNotFoundError:
        stamp = (0, 0)
    held = st.session_state.get(_CONFIG)
    if held is None or held[0] != stamp:
        held = (stamp, copy.deepcopy(_accounts(str(path), stamp)))
        st.session_state[_CONFIG] = held
    return held[1]


def _fields() -> dict[str, str]:
    say = translator("access")
    return {
        "Form name": say("signin.form_title"),
        "Username": say("signin.username"),
        "Password": say("signin.password"),
        "Login": say("signin.submit"),
    }


def _password() -> Principal | None:
    say = translator("access")
    db = db_path()
    path = accounts_path(db)
    try:
        config = _session_accounts(path)
    except AccountError as exc:
        st.error(say("signin.unreadable", **exc.params), icon=":material/error:")
        return None
    if not config["credentials"]["usernames"]:
        st.title(say("signin.no_accounts_title"))
        st.markdown(say("signin.no_accounts", file=str(path)))
        st.code("parboard user add NAME --role admin", language="bash")
        return None

    # Imported here: about 0.3 s (JWT, cryptography, captcha images) that sign-in off or by header never needs.
    import streamlit_authenticator as stauth

    cookie = config["cookie"]
    auth = stauth.Authenticate(
        config["credentials"],
        cookie_name=str(cookie["name"]),
        cookie_key=str(cookie["key"]),
        cookie_expiry_days=float(cookie.get("expiry_days") or 1.0),
        auto_hash=False,  # the file holds hashes only; never hash a plain text found there
        login_sleep_time=_LOGIN_SLEEP_S,
    )
    attempts = _watch_attempts(auth)
    set_cookie = auth.cookie_controller.set_cookie
    auth.cookie_controller.set_cookie = lambda: None  # set outside the form's placeholder, below

    # Two slots at fixed places in every run: the page below keeps its element positions whether or not the
    # form or the cookie-setting component is drawn, so a rerun replaces elements instead of showing stale
    # copies beside the new ones (the component reruns the script once it has set the cookie).
    cookie_slot = st.empty()
    form = st.empty()
    _show_form(auth, form)
    for username, ok in attempts:
        if ok is False:
            known = username in config["credentials"]["usernames"]
            # An unknown name is not written down: it may be a password typed into the wrong box.
            audit.record(db, None, "sign_in", audit.REFUSED, username if known else "", known=known)
    if st.session_state.get("authentication_status") is not True:
        return None
    if any(ok for _, ok in attempts):
        form.empty()  # signed in just now: the form goes, the page follows in this run
        with cookie_slot.container():  # not in the emptied form, so the browser gets to set the cookie
            set_cookie()

    who = user()
    if who is None:  # removed, or left without a role, since the cookie or the form signed them in
        st.session_state[_NOTICE] = say("signin.account_gone", username=st.session_state.get("username"))
        auth.logout(location="unrendered")
        if not attempts:  # the form was not drawn in this run yet
            _show_form(auth, form)
        return None
    _record_once(who, "form" if attempts else "cookie")

    with st.sidebar:
        st.markdown(say("signin.signed_in_as", name=who.name, role=say(f"role.{who.role}")))
        auth.logout(
            button_name=say("signin.sign_out"),
            location="sidebar",
            key="signin_sign_out",
            callback=lambda _: _signed_out(db, who),
        )
    if st.session_state.get("authentication_status") is True:
        return who
    _show_form(auth, form)  # signed out just now: the form in this run, where the cookie is being deleted
    return None


def _show_form(auth: stauth.Authenticate, form: Any) -> None:
    say = translator("access")
    import streamlit_authenticator as stauth

    with form.container():
        if st.session_state.get("authentication_status") is not True:
            st.caption(say("signin.intro"))
            if notice := st.session_state.pop(_NOTICE, None):
                st.warning(notice, icon=":material/person_off:")
        try:
            auth.login(location="main", fields=_fields(), key="signin")
        except stauth.LoginError:
            # A valid cookie for an account that is gone (or has no role now): delete it, and ask again
            # ("logout" stops the library from reading the cookie again in this session).
            st.session_state["logout"] = True
            auth.cookie_controller.delete_cookie()
            auth.login(location="main", fields=_fields(), key="signin")
        if st.session_state.get("authentication_status") is False:
            st.error(say("signin.refused"), icon=":material/error:")


def _watch_attempts(auth: stauth.Authenticate) -> list[tuple[str, bool | None]]:
    """Record each username the form submits and whether it signed in (the library reports neither)."""
    attempts: list[tuple[str, bool | None]] = []
    controller = auth.authentication_controller
    login: Callable[..., bool | None] = controller.login

    def watched(username: str | None = None, password: str | None = None, *args: Any, **kwargs: Any) -> bool | None:
        ok = login(username, password, *args, **kwargs)
        if username:  # a form submission, not the cookie
            attempts.append(((username or "").lower().strip(), ok))
        return ok

    controller.login = watched
    return attempts


def _record_once(who: Principal, method: str) -> None:
    if st.session_state.get(_AUDITED) != who.username:
        st.session_state[_AUDITED] = who.username
        audit.record(db_path(), who, "sign_in", audit.DONE, who.username, method=method)


def _signed_out(db: Path, who: Principal) -> None:
    st.session_state.pop(_AUDITED, None)
    audit.record(db, who, "sign_out", audit.DONE, who.username)
