"""The view a reader chose (year, kind, unit, component, period, targets), kept in the URL.

Every page reads and writes its choices through this module, so that a copied link reproduces the view and
the choices survive switching pages. Values from the URL are only ever parsed and checked against the
options a page offers (never evaluated); an invalid value is dropped and the page's default used instead.

How it works: the canonical value of a parameter lives in session state under `_state.<name>` (this survives
page switches, when Streamlit forgets widgets that are no longer drawn); the widget that changes it has the
key `w-<name>`; and the value is written to `st.query_params[<name>]` on every run. A value arriving in the
URL that differs from the one last written there (a pasted or shared link) wins over the session's.

Small API:
    year = state.select("year", years, default=years[-1], label=…)      # a selectbox bound to ?year=
    unit = state.select("unit", codes, format_func=name_of, …)
    state.get("kind") / state.put("kind", "commune")                    # read or set without a widget
    targets = state.targets()  /  state.set_targets({2030: Target(score=95.0)})
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import streamlit as st

from core import programme

# Every parameter a page may keep in the URL, with its parser (text → value, or None when invalid).
YEARS = programme.years()
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$")


def _int(text: str) -> int | None:
    return int(text) if re.fullmatch(r"-?\d{1,6}", text) else None


def _code(text: str) -> str | None:
    return text if _CODE.match(text) else None


PARAMS: dict[str, Callable[[str], Any]] = {
    "year": _int,
    "kind": _code,
    "unit": _code,
    "comp": _code,  # a component area, or "total"
    "period": _code,  # midterm | final
    "history": _code,  # how a new unit's years before the reorganisation are rebuilt (data/rules/reviews.yaml)
    "level": _code,
    "parent": _code,
    "tier": _code,
    "top": _int,
    "measure": _code,  # the Map page's measure: an official index and a field ("par_index.score")
    "index": _code,  # the National indices page: a registry index code
    "prov": _code,  # a province (national indices), apart from `unit`, which names the province's own units
    "peers": _code,  # provinces to compare with, comma-separated (see multi)
}
TARGETS = "targets"


def _state_key(name: str) -> str:
    return f"_state.{name}"


def _url_key(name: str) -> str:
    return f"_url.{name}"


def widget_key(name: str) -> str:
    return f"w-{name}"


def _from_url(name: str) -> Any:
    """The parsed URL value of name, if present, new since we last wrote it, and well-formed."""
    raw = st.query_params.get(name)
    if raw is None or raw == st.session_state.get(_url_key(name)):
        return None
    parse = PARAMS.get(name, _code)
    return parse(raw) if len(raw) <= 64 else None


def get(name: str, default: Any = None, options: Sequence[Any] | None = None) -> Any:
    """The current value of name (URL first when it brings a new value, then the session), if valid."""
    for value in (_from_url(name), st.session_state.get(_state_key(name))):
        if value is not None and (options is None or value in options):
            return value
    return default


def put(name: str, value: Any) -> None:
    """Make value the current one and write it to the URL (None removes it)."""
    st.session_state[_state_key(name)] = value
    if value is None:
        st.session_state.pop(_url_key(name), None)
        if name in st.query_params:
            del st.query_params[name]
        return
    text = str(value)
    st.session_state[_url_key(name)] = text
    if st.query_params.get(name) != text:
        st.query_params[name] = text


def _on_change(name: str) -> None:
    st.session_state[_state_key(name)] = st.session_state.get(widget_key(name))


# The choices the current run of a page offered, as the reader saw them: they describe its downloaded tables.
_SHOWN = "_view_shown"


def start_page() -> None:
    """A page run begins: forget the choices the previous page offered."""
    st.session_state[_SHOWN] = {}


def shown_choices() -> list[tuple[str, str]]:
    """(label, value as shown) of every choice this page run offered, in the order it offered them."""
    return list(st.session_state.get(_SHOWN, {}).values())


def select(
    name: str,
    options: Sequence[Any],
    *,
    label: str,
    default: Any = None,
    format_func: Callable[[Any], str] = str,
    container: Any = st,
    radio: bool = False,
    help: str | None = None,
    share_default: bool = True,
) -> Any:
    """A selectbox (or horizontal radio) whose value is the URL parameter name; None when no options.

    A page's default becomes the session's choice for the pages visited after it, unless share_default is
    False: a page whose default is its own (the map's and the national indices' latest published year, not the
    latest scored one) shows it without making it the year of every other page."""
    options = list(options)
    if not options:
        return None
    chosen = get(name, None, options)
    value = chosen if chosen is not None else (default if default in options else options[0])
    key = widget_key(name)
    # Always assigned: a widget with the same key on another page is a different widget, and would otherwise
    # start from its own default instead of the value the reader chose.
    st.session_state[key] = value
    widget = container.radio if radio else container.selectbox
    kwargs: dict[str, Any] = {"horizontal": True} if radio else {}
    widget(label, options, format_func=format_func, key=key, on_change=_on_change, args=(name,), help=help, **kwargs)
    # A choice this page does not offer (the kind "province" on a page of internal units) is shown as the
    # page's default but kept in the URL and the session, for the pages that do offer it.
    defaulted = st.session_state.get(_state_key(name)) is None and name not in st.query_params
    if chosen is not None or (share_default and defaulted):
        put(name, value)
    st.session_state.setdefault(_SHOWN, {})[name] = (label, format_func(value))
    return value


def multi(
    name: str,
    options: Sequence[str],
    *,
    label: str,
    format_func: Callable[[Any], str] = str,
    container: Any = st,
    placeholder: str | None = None,
) -> list[str]:
    """A multiselect whose values are the URL parameter name, comma-separated ("01,22,31"); values the page
    does not offer are dropped."""
    options = list(options)
    raw = st.query_params.get(name)
    if raw is not None and raw != st.session_state.get(_url_key(name)) and len(raw) <= 400:
        chosen = [c for c in raw.split(",") if _code(c) and c in options]
    else:
        chosen = [c for c in st.session_state.get(_state_key(name)) or [] if c in options]
    key = widget_key(name)
    st.session_state[key] = chosen
    container.multiselect(
        label,
        options,
        format_func=format_func,
        key=key,
        on_change=_on_change,
        args=(name,),
        placeholder=placeholder,
    )
    st.session_state[_state_key(name)] = chosen
    text = ",".join(chosen)
    st.session_state[_url_key(name)] = text
    if not chosen:
        if name in st.query_params:
            del st.query_params[name]
    elif st.query_params.get(name) != text:
        st.query_params[name] = text
    if chosen:
        st.session_state.setdefault(_SHOWN, {})[name] = (label, ", ".join(format_func(c) for c in chosen))
    return chosen


# ---- targets: per year, a score or a rank the reader sets for the chosen unit ------------------------------


@dataclass(frozen=True)
class Target:
    score: float | None = None
    rank: int | None = None


_TARGET_ITEM = re.compile(r"^(20[23]\d)(?:s(\d{1,3}(?:\.\d{1,2})?))?(?:r(\d{1,5}))?$")


def parse_targets(text: str | None) -> dict[int, Target]:
    """'2026s90.5r3,2030r1' → {2026: Target(90.5, 3), 2030: Target(None, 1)}; invalid items are dropped."""
    result: dict[int, Target] = {}
    for item in (text or "").split(",")[:20]:
        match = _TARGET_ITEM.match(item.strip())
        if not match:
            continue
        year = int(match.group(1))
        score = float(match.group(2)) if match.group(2) else None
        rank = int(match.group(3)) if match.group(3) else None
        if year not in YEARS or (score is None and rank is None):
            continue
        if score is not None and not 0 <= score <= 100:
            score = None
        if rank is not None and rank < 1:
            rank = None
        if score is not None or rank is not None:
            result[year] = Target(score, rank)
    return result


def format_targets(targets: dict[int, Target]) -> str:
    parts = []
    for year in sorted(targets):
        target = targets[year]
        text = str(year)
        if target.score is not None:
            text += f"s{round(target.score, 2):g}"
        if target.rank is not None:
            text += f"r{target.rank}"
        if target.score is not None or target.rank is not None:
            parts.append(text)
    return ",".join(parts)


def targets() -> dict[int, Target]:
    """The reader's targets for the unit in view (from the URL or the session)."""
    raw = st.query_params.get(TARGETS)
    if raw is not None and raw != st.session_state.get(_url_key(TARGETS)):
        value = parse_targets(raw)
        st.session_state[_state_key(TARGETS)] = value
    value = st.session_state.get(_state_key(TARGETS)) or {}
    _write_targets(value)
    return dict(value)


def set_targets(value: dict[int, Target]) -> None:
    st.session_state[_state_key(TARGETS)] = dict(value)
    _write_targets(value)


def _write_targets(value: dict[int, Target]) -> None:
    text = format_targets(value)
    st.session_state[_url_key(TARGETS)] = text
    if not text:
        if TARGETS in st.query_params:
            del st.query_params[TARGETS]
    elif st.query_params.get(TARGETS) != text:
        st.query_params[TARGETS] = text


def _keep_choice(key: str, options: Sequence[str]) -> None:
    value = st.session_state.get(key)
    if value in options:
        st.session_state[_state_key(key)] = value


def one_of(
    label: str,
    options: Sequence[str],
    *,
    key: str,
    default: str,
    format_func: Callable[[str], str],
    container: Any = None,
) -> str:
    """A segmented control that always shows the reader's last choice, kept apart from the widget like every
    choice here. The widget's own state is assigned on every run: when a rerun starts before the browser has
    drawn the page again, the browser can send no value for it, and Streamlit would fall back to the widget's
    default, which for a segmented control is no option at all (seen on the quota page: a comparison picked,
    and the page fell into the build form)."""
    kept = _state_key(key)
    remembered = st.session_state.get(kept)
    value = str(remembered) if remembered in options else default
    st.session_state[kept] = value
    st.session_state[key] = value
    (container or st).segmented_control(
        label,
        options,
        key=key,
        required=True,
        format_func=format_func,
        on_change=_keep_choice,
        args=(key, tuple(options)),
    )
    return value
