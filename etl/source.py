"""Open a path the user named as a data file, and say what it is when it is not one.

A path on a command line can name a directory, a named pipe (FIFO), a device or a socket. Reading a FIFO
blocks until some other program writes to it, which may be never, and /dev/zero never ends; "not found" for
any of them sends the user looking for a typo. The file is opened without blocking and its kind taken from
the open descriptor, so what is checked is what is read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from etl.problems import InputError, Problem

_NOT_A_FILE = (
    (stat.S_ISDIR, "read_is_directory"),
    (stat.S_ISFIFO, "read_is_pipe"),
    (stat.S_ISCHR, "read_is_device"),
    (stat.S_ISBLK, "read_is_device"),
    (stat.S_ISSOCK, "read_is_socket"),
)


def kind_problem(mode: int, name: str) -> Problem | None:
    for test, code in _NOT_A_FILE:
        if test(mode):
            return Problem(code, file=name)
    return None if stat.S_ISREG(mode) else Problem("read_unreadable", file=name)


def path_problem(path: Path, name: str | None = None) -> Problem | None:
    """Why `path` cannot be read as a data file, from its metadata alone (never opens it), or None."""
    name = name or str(path)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return Problem("read_missing", file=name)
    except OSError:
        return Problem("read_unreadable", file=name)
    return kind_problem(mode, name)


def read_bytes(path: Path, name: str) -> bytes:
    """The whole file; InputError naming what the path is when it is not a regular file one may read."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
    except FileNotFoundError:
        raise InputError([Problem("read_missing", file=name)]) from None
    except OSError:
        raise InputError([Problem("read_unreadable", file=name)]) from None
    with os.fdopen(fd, "rb") as f:
        problem = kind_problem(os.fstat(fd).st_mode, name)
        if problem is not None:
            raise InputError([problem])
        try:
            return f.read()
        except OSError:
            raise InputError([Problem("read_unreadable", file=name)]) from None
