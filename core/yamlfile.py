"""YAML of the rules files, read with libyaml when PyYAML has it.

The pure-Python SafeLoader spends most of a one-unit load's start-up in the check and file-layout specs
(hundreds of milliseconds each); the C loader builds the same plain data (dicts, lists, strings, numbers,
dates) from the same safe subset of YAML, about ten times faster.
"""

from __future__ import annotations

from typing import IO, Any

import yaml

_FastestSafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load(source: str | bytes | IO[str] | IO[bytes]) -> Any:
    """What yaml.safe_load(source) gives."""
    return yaml.load(source, Loader=_FastestSafeLoader)
