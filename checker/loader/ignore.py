"""What a directory walk leaves out: `--exclude` patterns, `.gitignore` files, vendored trees.

Patterns follow gitignore semantics (pathspec): a `/` inside anchors a pattern to its base
directory, a trailing `/` matches directories only, `!` re-includes, the last matching
line of a file wins and a deeper `.gitignore` overrides a shallower one. Matching runs on
RE2 where it is installed (google-re2), so its time is linear in the path: no pattern, not
even many `**/` against a deep tree, can make a walk take minutes.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pathspec

from checker.errors import UsageError

GITIGNORE = ".gitignore"
# Not ours to check, and often huge: dependency trees, virtualenvs, caches. Hidden
# directories (.git, .hg, .svn, .venv, .terraform, .tox) are never walked either.
VENDORED_DIRS = frozenset(
    {"node_modules", "bower_components", "vendor", "venv", "site-packages", "__pycache__", "CVS"}
)


def _spec(lines: Sequence[str]) -> pathspec.GitIgnoreSpec:
    return pathspec.GitIgnoreSpec.from_lines(lines, backend="best")


def compile_excludes(patterns: Sequence[str]) -> pathspec.GitIgnoreSpec | None:
    """`--exclude` patterns as one spec; an invalid one is a usage error naming it."""
    kept = [p for p in patterns if p.strip().strip("/")]
    for pattern in kept:
        try:
            _spec([pattern])
        except (re.error, ValueError, TypeError) as exc:
            # A position would be in pathspec's regular expression, not in the pattern.
            why = re.sub(r" at position \d+.*", "", str(exc))
            message = f"--exclude {pattern!r}: not a valid gitignore pattern ({why})"
            raise UsageError(message) from None
    return _spec(kept) if kept else None


@dataclass(frozen=True, slots=True)
class IgnoreFile:
    """One `.gitignore`: its patterns, and how a walk-relative path becomes relative to it."""

    spec: pathspec.GitIgnoreSpec
    prepend: str  # an ancestor of the walked directory: the walked directory's path from it
    strip: str  # a directory inside the walk: its own walk-relative path

    def decides(self, rel: str) -> bool | None:
        """True: ignored, False: re-included by a `!` line, None: no line matches."""
        local = self.prepend + rel[len(self.strip) :]
        return self.spec.check_file(local).include


def read_ignore_file(directory: Path, prepend: str = "", strip: str = "") -> IgnoreFile | None:
    """The `.gitignore` in `directory`; an unreadable or invalid one is passed over, as git does."""
    try:
        lines = (directory / GITIGNORE).read_text(encoding="utf-8", errors="replace").splitlines()
        return IgnoreFile(_spec(lines), prepend, strip)
    except (OSError, re.error, ValueError, TypeError):
        return None


def repository_root(start: Path) -> Path | None:
    """The nearest directory at or above `start` holding `.git` (a directory or a file)."""
    current = start.resolve()
    for directory in (current, *current.parents):
        if (directory / ".git").exists():
            return directory
    return None


def ancestor_ignores(walk_root: Path) -> tuple[IgnoreFile, ...]:
    """The repository's ignore files above the walked directory, shallowest first.

    `.git/info/exclude` comes first (it yields to every `.gitignore`); none are read outside
    a repository. If they ignore the walked directory itself, it was named on purpose: they
    are left out rather than hiding everything in it.
    """
    repo = repository_root(walk_root)
    if repo is None:
        return ()
    below = walk_root.resolve().relative_to(repo).parts
    # The walked directory's own file is read by the walk.
    chain = [_info_exclude(repo, below)] + [
        read_ignore_file(repo.joinpath(*below[:depth]), _joined(below[depth:]))
        for depth in range(len(below))
    ]
    found = tuple(item for item in chain if item is not None)
    if below and is_ignored(found, "", is_dir=True):
        return ()
    return found


def _joined(parts: Sequence[str]) -> str:
    return "".join(f"{part}/" for part in parts)


def _info_exclude(repo: Path, below: Sequence[str]) -> IgnoreFile | None:
    try:
        lines = (repo / ".git" / "info" / "exclude").read_text(encoding="utf-8").splitlines()
        return IgnoreFile(_spec(lines), _joined(below), "")
    except (OSError, UnicodeDecodeError, re.error, ValueError, TypeError):
        return None


def is_ignored(chain: Sequence[IgnoreFile], rel: str, is_dir: bool) -> bool:
    """Deepest `.gitignore` first: the first one with a matching line decides."""
    # pathspec marks a directory by a trailing slash; "" is the walked directory itself,
    # which an ancestor's file sees as its `prepend`.
    probe = rel + "/" if is_dir and rel else rel
    for ignore_file in reversed(chain):
        decided = ignore_file.decides(probe)
        if decided is not None:
            return decided
    return False


def is_vendored(name: str, path: str) -> bool:
    """A dependency or cache directory, or a virtualenv under any name (it holds pyvenv.cfg)."""
    return name in VENDORED_DIRS or os.path.isfile(os.path.join(path, "pyvenv.cfg"))
