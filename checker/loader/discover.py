"""Command-line paths to inputs: files as given, directories walked, `-` for stdin."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported for walks only: pre-commit names its files (startup time)
    import pathspec

    from checker.loader.ignore import IgnoreFile

SUFFIXES = (".yaml", ".yml", ".json")


@dataclass(frozen=True, slots=True)
class InputRef:
    """One input to load: `path` is None for stdin; `explicit` means named on the command line."""

    display: str
    path: Path | None
    explicit: bool


def _posix(text: str) -> str:
    return text.replace(os.sep, "/") if os.sep != "/" else text


def _walk(
    root: Path, display: str, excludes: pathspec.GitIgnoreSpec | None, gitignore: bool
) -> Iterator[InputRef]:
    """Depth-first in name order; an explicit stack so a deep tree cannot exhaust recursion."""
    from checker.loader.ignore import ancestor_ignores, is_vendored

    prefix = display if display.endswith("/") else display + "/"
    visited = {os.path.realpath(root)}
    tracked = _Tracked(root)
    stack: list[tuple[str, Iterator[os.DirEntry[str]], tuple[IgnoreFile, ...]]] = []
    chain = ancestor_ignores(root) if gitignore else ()
    try:
        stack.append(("", _entries(root), _with_own(chain, root, "", gitignore)))
    except OSError:
        yield InputRef(display, root, False)  # loading it reports why it cannot be read
        return
    while stack:
        rel_dir, entries, chain = stack[-1]
        entry = next(entries, None)
        if entry is None:
            stack.pop()
            continue
        rel = rel_dir + entry.name
        try:
            is_dir = entry.is_dir()  # follows symlinks, like the walk itself
        except OSError:
            is_dir = False
        if is_dir:
            if (
                entry.name.startswith(".")
                or is_vendored(entry.name, entry.path)
                or _left_out(excludes, chain, rel, True, tracked, Path(entry.path))
            ):
                continue
            real = os.path.realpath(entry.path)
            if real in visited:  # a symlink back into the walk: following it would loop
                continue
            visited.add(real)
            try:
                children = _entries(Path(entry.path))
            except OSError:
                yield InputRef(prefix + rel, Path(entry.path), False)
                continue
            own = _with_own(chain, Path(entry.path), rel + "/", gitignore)
            stack.append((rel + "/", children, own))
        elif entry.name.lower().endswith(SUFFIXES) and not _left_out(
            excludes, chain, rel, False, tracked, Path(entry.path)
        ):
            # Broken symlinks land here too, and fail later as unreadable.
            yield InputRef(prefix + rel, Path(entry.path), False)


def _entries(directory: Path) -> Iterator[os.DirEntry[str]]:
    return iter(sorted(os.scandir(directory), key=lambda e: e.name))


def _with_own(
    chain: tuple[IgnoreFile, ...], directory: Path, rel: str, gitignore: bool
) -> tuple[IgnoreFile, ...]:
    from checker.loader.ignore import GITIGNORE, read_ignore_file

    if not gitignore or not (directory / GITIGNORE).is_file():
        return chain
    own = read_ignore_file(directory, strip=rel)
    return chain if own is None else (*chain, own)


def _left_out(
    excludes: pathspec.GitIgnoreSpec | None,
    chain: Sequence[IgnoreFile],
    rel: str,
    is_dir: bool,
    tracked: _Tracked,
    path: Path,
) -> bool:
    from checker.loader.ignore import is_ignored

    if excludes is not None and excludes.match_file(rel + "/" if is_dir else rel):
        return True
    if not (chain and is_ignored(chain, rel, is_dir)):
        return False
    # As git does: .gitignore does not apply to a tracked file (a manifest force-added and
    # then ignored is still in the repository, and still checked).
    return not tracked.holds(path, is_dir)


class _Tracked:
    """The files git tracks, asked for only once a .gitignore line leaves something out."""

    def __init__(self, root: Path) -> None:
        self._root = root
        self._files: frozenset[Path] | None = None
        self._dirs: frozenset[Path] = frozenset()
        self._asked = False

    def holds(self, path: Path, is_dir: bool) -> bool:
        if not self._asked:
            from checker.vcs import tracked_files

            self._asked = True
            self._files = tracked_files(self._root)
            if self._files is not None:
                self._dirs = frozenset(p for f in self._files for p in f.parents)
        if self._files is None:
            return False
        resolved = path.resolve()
        return resolved in (self._dirs if is_dir else self._files)


def discover(
    paths: Sequence[str], excludes: Sequence[str] = (), gitignore: bool = True
) -> Iterator[InputRef]:
    """Inputs in command-line order; `excludes` are gitignore patterns for walked paths.

    Files named on the command line are always taken. A walk leaves out hidden and vendored
    directories, what `excludes` matches and, with `gitignore`, what the repository's
    `.gitignore` files ignore.
    """
    rules = None
    if any(p.strip().strip("/") for p in excludes):
        from checker.loader.ignore import compile_excludes

        rules = compile_excludes(excludes)
    for given in paths:
        if given == "-":
            yield InputRef("-", None, True)
            continue
        path = Path(given)
        if path.is_dir():
            yield from _walk(path, _posix(given), rules, gitignore)
        else:
            # Missing and unreadable paths are yielded too: loading them reports the problem.
            yield InputRef(_posix(given), path, True)
