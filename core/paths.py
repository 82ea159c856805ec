"""Where the shipped data files are, in a checkout and in an installed wheel alike."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

# `data` is a package of data files only: importlib finds it wherever it was installed.
DATA = Path(str(files("data")))
RULES = DATA / "rules"
REFERENCE = DATA / "reference"
