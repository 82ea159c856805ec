"""The national indices registry (data/rules/national_indices/*.yaml, one file per index), loaded once.

Each index has its names, publisher per year, levels, scale, expected unit counts per year, groups and its
components per edition (level and years), each component with the header forms published tables use. Adding an
index, a component or an edition is a change to those files only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from core import yamlfile
from core.paths import DATA, RULES
from core.text import fold, nfc, strip_diacritics

FOLDER = RULES / "national_indices"


@dataclass(frozen=True)
class Component:
    code: str
    name: dict[str, str]  # {vi, en}
    max_points: float | None  # None: not confirmed (see the file's comment)
    headers: tuple[str, ...]  # folded
    order: int  # position in the edition, from 1


@dataclass(frozen=True)
class Edition:
    level: str
    first: int
    last: int
    source: str
    components: tuple[Component, ...]


@dataclass(frozen=True)
class NationalIndex:
    code: str
    order: int
    short: dict[str, str]
    name: dict[str, str]
    publishers: tuple[dict[str, Any], ...]
    levels: tuple[str, ...]
    scale_max: float
    scale_unit: str
    headline_headers: tuple[str, ...]  # folded
    spellings: tuple[str, ...]
    expected: dict[str, tuple[tuple[int, int, int], ...]]  # level -> (first, last, units)
    groups: tuple[dict[str, Any], ...]
    editions: tuple[Edition, ...]

    def edition(self, level: str, year: int) -> Edition | None:
        return next((e for e in self.editions if e.level == level and e.first <= year <= e.last), None)

    def components(self, level: str, year: int) -> tuple[Component, ...]:
        ed = self.edition(level, year)
        return ed.components if ed else ()

    def expected_units(self, level: str, year: int) -> int | None:
        return next((units for first, last, units in self.expected.get(level, ()) if first <= year <= last), None)

    def publisher(self, year: int, lang: str = "vi") -> str | None:
        return next((str(p[lang]) for p in self.publishers if int(p["from"]) <= year <= int(p["to"])), None)


def _component(body: dict[str, Any], order: int) -> Component:
    names = (body["name"]["vi"], *body.get("headers", ()))
    maximum = body.get("max")
    return Component(
        code=str(body["code"]),
        name=dict(body["name"]),
        max_points=None if maximum is None else float(maximum),
        headers=tuple(dict.fromkeys(header_key(h)[0] for h in names)),
        order=order,
    )


def _index(doc: dict[str, Any]) -> NationalIndex:
    editions = tuple(
        Edition(
            level=str(e["level"]),
            first=int(e["from"]),
            last=int(e["to"]),
            source=str(e.get("source", "")),
            components=tuple(_component(c, i) for i, c in enumerate(e["components"], start=1)),
        )
        for e in doc.get("editions", ())
    )
    return NationalIndex(
        code=str(doc["code"]),
        order=int(doc.get("order", 99)),
        short=dict(doc["short"]),
        name=dict(doc["name"]),
        publishers=tuple(doc.get("publisher", ())),
        levels=tuple(doc.get("levels", ("province",))),
        scale_max=float(doc["scale"]["max"]),
        scale_unit=str(doc["scale"]["unit"]),
        headline_headers=tuple(fold(h) for h in doc.get("headline_headers", ())),
        spellings=tuple(doc.get("spellings", ())),
        expected={
            level: tuple((int(s["from"]), int(s["to"]), int(s["units"])) for s in spans)
            for level, spans in doc.get("expected_units", {}).items()
        },
        groups=tuple(doc.get("groups", ())),
        editions=editions,
    )


@cache
def indices() -> dict[str, NationalIndex]:
    """Every index of the registry, by code, in the registry's order."""
    found = []
    for path in sorted(FOLDER.glob("*.yaml")):
        doc = yamlfile.load(path.read_text(encoding="utf-8"))
        if isinstance(doc, dict) and doc.get("rules") == "national_index":
            found.append(_index(doc))
    return {i.code: i for i in sorted(found, key=lambda i: (i.order, i.code))}


def get(code: str) -> NationalIndex:
    return indices()[code]


def spellings() -> dict[str, str]:
    """folded spelling -> index code: how an "index" cell names each index (merged into core.vocab)."""
    out: dict[str, str] = {}
    for i in indices().values():
        for s in (i.code, *i.spellings):
            out.setdefault(fold(s), i.code)
    return out


# "LV3.", "LV 3 -", "III.", "3.", "3)" before a component's name; "(14,50)", "(14,5 điểm)", "(tối đa 10)" after it.
_PREFIX = re.compile(r"^(?:(?:lv|linh vuc)\s*\d{1,2}\s*[.:)\-–]?\s+|[ivx]{1,5}\s*[.)\-–]\s*|\d{1,2}\s*[.)\-–]\s*)")
_MAXIMUM = re.compile(r"\(\s*(?:toi da|max|diem toi da)?\s*:?\s*(\d+(?:[.,]\d+)?)\s*(?:diem|d|%)?\s*\)\s*$")
_TRAILING_UNIT = re.compile(r"\s*\((?:diem|%|d)\)\s*$")


def header_key(text: str) -> tuple[str, float | None]:
    """A header folded, without its area number and the maximum written after it, and that maximum:
    "LV3. Cải cách TTHC (14,50 điểm)" -> ("cai cach tthc", 14.5); "LV3 (14,50)" -> ("lv3", 14.5)."""
    plain = strip_diacritics(nfc(text)).lower()
    maximum = None
    m = _MAXIMUM.search(plain)
    if m:
        maximum = float(m.group(1).replace(",", "."))
        plain = plain[: m.start()]
    plain = _TRAILING_UNIT.sub("", plain).strip()
    bare = re.fullmatch(r"(?:lv|linh vuc)\s*(\d{1,2})\.?", plain)
    if bare:
        return f"lv{int(bare.group(1))}", maximum
    plain = _PREFIX.sub("", plain, count=1)
    return fold(plain).strip(" .:-–"), maximum


@dataclass(frozen=True)
class HeaderMatch:
    index_code: str
    level: str
    component: Component
    header_max: float | None


def match_component(header: str, year: int | None = None) -> list[HeaderMatch]:
    """Every (index, level) component a published header can name, for a year if given (else any edition)."""
    key, maximum = header_key(header)
    if not key:
        return []
    out = []
    for i in indices().values():
        for ed in i.editions:
            if year is not None and not ed.first <= year <= ed.last:
                continue
            for c in ed.components:
                if key in c.headers:
                    out.append(HeaderMatch(i.code, ed.level, c, maximum))
    return out


def headline_index(header: str) -> str | None:
    """The index whose headline score a header names ("Chỉ số CCHC (%)", "Điểm số PCI"), if any."""
    key = fold(header)
    plain = re.sub(r"\s*\bnam (?:19|20)\d\d\b", "", header_key(header)[0]).strip()
    plain = re.sub(r"\s*\b(?:19|20)\d\d\b", "", plain).strip()
    for i in indices().values():
        if key in i.headline_headers or plain in i.headline_headers:
            return i.code
    return None


@cache
def _regions() -> dict[str, Any]:
    return dict(yamlfile.load((DATA / "reference" / "regions.yaml").read_text(encoding="utf-8"))["regions"])


def region_of(unit_code: str) -> str | None:
    """The socio-economic region of a province's register code ("22", "OLD-31"), per data/reference/regions.yaml."""
    code = unit_code.removeprefix("OLD-")
    return next((region for region, body in _regions().items() if code in body["codes"]), None)


def region_name(region: str, lang: str = "vi") -> str:
    return str(_regions()[region]["name"][lang])


@cache
def gap_rule() -> tuple[float, float]:
    """(internal_high_pct, national_low_share) of data/rules/national_gap.yaml."""
    doc = yamlfile.load((RULES / "national_gap.yaml").read_text(encoding="utf-8"))
    return float(doc["internal_high_pct"]), float(doc["national_low_share"])


def national_area(
    code: str, name: str, year: int, index_code: str = "par_index", level: str = "province"
) -> str | None:
    """The national component an internal framework area scores, by its name, else its code ("LV3"), through
    the registry's header forms; None when no component of the index matches."""
    for text in (name, code):
        for m in match_component(text, year):
            if m.index_code == index_code and m.level == level:
                return m.component.code
    return None
