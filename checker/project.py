"""Where a project's own files are looked for: the working directory, then up to the
repository root (the first directory holding `.git`), as ruff and pre-commit do.

Outside a repository only the working directory counts: a stray file in a parent (a home
directory, /tmp) must not quietly configure every run below it.
"""

from __future__ import annotations

import os
from pathlib import Path


def search_dirs(cwd: Path | None = None) -> tuple[Path, ...]:
    """The directories to look in, nearest first."""
    start = (cwd if cwd is not None else Path.cwd()).absolute()
    chain = (start, *start.parents)
    for depth, directory in enumerate(chain):
        if (directory / ".git").exists():  # a directory, or a file in worktrees and submodules
            return chain[: depth + 1]
    return (start,)


def find_upwards(name: str, cwd: Path | None = None) -> Path | None:
    """The nearest regular file called `name`, as a path relative to the working directory
    when it is in a parent (`../../.tdcheck-waivers.yaml`), so messages stay short."""
    start = cwd if cwd is not None else Path()
    for directory in search_dirs(start):
        candidate = directory / name
        if candidate.is_file():
            return start / name if directory == start.absolute() else shown(candidate)
    return None


def shown(path: Path, cwd: Path | None = None) -> Path:
    """`path` relative to the working directory (`../pyproject.toml`)."""
    start = (cwd if cwd is not None else Path()).absolute()
    return Path(os.path.relpath(path, start))
