"""The one base of parboard's errors: a catalog code with parameters, shown in the reader's language."""

from __future__ import annotations

from typing import Any, ClassVar

from core.i18n import t


class ParboardError(Exception):
    """An error a person can act on. `code` is a key of the catalog area `area` (e.g. problems.db_locked)."""

    area: ClassVar[str] = "problems"

    def __init__(self, code: str, /, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(f"{code}: {params}" if params else code)

    @property
    def key(self) -> str:
        return self.code

    def message(self, lang: str) -> str:
        return t(f"{self.area}.{self.code}", lang, **self.params)
