"""Command-line paths to inputs: files as given, directories walked, `-` for stdin."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

SUFFIXES = (".yaml", ".yml", ".json")


@dataclass(frozen=True, slots=True)
class InputRef:
    """One input to load: `path` is None for stdin; `explicit` means named on the command line."""

    display: str
    path: Path | None
    explicit: bool


@dataclass(frozen=True, slots=True)
class _Exclude:
    regex: re.Pattern[str]
    anchored: bool  # matched against the whole relative path, not each name
    dir_only: bool


def _translate(glob: str) -> str:
    out: list[str] = []
    i, n = 0, len(glob)
    while i < n:
        char = glob[i]
        if glob.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if glob.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[" and (close := glob.find("]", i + 2)) != -1:
            body = glob[i + 1 : close]
            body = "^" + body[1:] if body.startswith("!") else body.replace("\\", "\\\\")
            out.append(f"[{body}]")
            i = close + 1
            continue
        else:
            out.append(re.escape(char))
        i += 1
    return "".join(out)


def _compile(pattern: str) -> _Exclude:
    # gitignore rules: a trailing "/" matches directories only; a "/" elsewhere anchors the
    # pattern to the walked directory; otherwise it matches a name at any depth.
    dir_only = pattern.endswith("/")
    body = pattern.rstrip("/")
    anchored = "/" in body
    body = body.lstrip("/")
    if body.endswith("/**"):
        # `build/**` is everything inside build/: prune build/ itself too.
        return _Exclude(re.compile(_translate(body[:-3]) + "(?:/.*)?"), True, False)
    return _Exclude(re.compile(_translate(body)), anchored, dir_only)


def _excluded(rules: Sequence[_Exclude], rel: str, name: str, is_dir: bool) -> bool:
    for rule in rules:
        if rule.dir_only and not is_dir:
            continue
        if rule.regex.fullmatch(rel if rule.anchored else name):
            return True
    return False


def _posix(text: str) -> str:
    return text.replace(os.sep, "/") if os.sep != "/" else text


def _walk(root: Path, display: str, rules: Sequence[_Exclude]) -> Iterator[InputRef]:
    """Depth-first in name order; an explicit stack so a deep tree cannot exhaust recursion."""
    prefix = display if display.endswith("/") else display + "/"
    visited = {os.path.realpath(root)}
    stack: list[tuple[str, Iterator[os.DirEntry[str]]]] = []
    try:
        stack.append(("", iter(sorted(os.scandir(root), key=lambda e: e.name))))
    except OSError:
        yield InputRef(display, root, False)  # loading it reports why it cannot be read
        return
    while stack:
        rel_dir, entries = stack[-1]
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
            if entry.name.startswith(".") or _excluded(rules, rel, entry.name, True):
                continue
            real = os.path.realpath(entry.path)
            if real in visited:  # a symlink back into the walk: following it would loop
                continue
            visited.add(real)
            try:
                children = sorted(os.scandir(entry.path), key=lambda e: e.name)
            except OSError:
                yield InputRef(prefix + rel, Path(entry.path), False)
                continue
            stack.append((rel + "/", iter(children)))
        elif entry.name.lower().endswith(SUFFIXES) and not _excluded(rules, rel, entry.name, False):
            # Broken symlinks land here too, and fail later as unreadable.
            yield InputRef(prefix + rel, Path(entry.path), False)


def discover(paths: Sequence[str], excludes: Sequence[str] = ()) -> Iterator[InputRef]:
    """Inputs in command-line order; `excludes` are gitignore-style globs for walked paths."""
    rules = tuple(_compile(p) for p in excludes if p.strip("/"))
    for given in paths:
        if given == "-":
            yield InputRef("-", None, True)
            continue
        path = Path(given)
        if path.is_dir():
            yield from _walk(path, _posix(given), rules)
        else:
            # Missing and unreadable paths are yielded too: loading them reports the problem.
            yield InputRef(_posix(given), path, True)
