"""The repository a run happens in: its root (SARIF paths are relative to it) and, for the
audit report's evidence, the commit checked out and whether tracked files were modified.

`git` is asked with fixed arguments only: no path, name or value from a manifest reaches its
command line. A repository's own configuration could run programs from `git status`
(core.fsmonitor), so that hook is switched off for the call. Without git, outside a
repository, or when git refuses the repository (ownership), the state is simply unknown.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

_TIMEOUT_S = 10.0


@dataclass(frozen=True, slots=True)
class VcsState:
    commit: str  # the full object name of HEAD
    dirty: bool  # tracked files differ from HEAD (untracked files do not count)


def repository_root(start: Path) -> Path | None:
    """The nearest directory at or above `start` holding `.git` (a directory, or a file for
    worktrees and submodules); None outside any repository."""
    here = start.resolve()
    for directory in (here, *here.parents):
        if (directory / ".git").exists():
            return directory
    return None


def _git(root: Path, *args: str) -> str | None:
    git = shutil.which("git")
    if git is None:
        return None
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}
    try:
        done = subprocess.run(
            [git, "-C", str(root), "-c", "core.fsmonitor=false", *args],
            capture_output=True,
            text=True,
            timeout=_TIMEOUT_S,
            env=env,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def tracked_files(start: Path) -> frozenset[Path] | None:
    """Every file git tracks in the repository holding `start` (resolved paths), or None
    outside a repository or without git."""
    root = repository_root(start)
    if root is None:
        return None
    listed = _git(root, "ls-files", "-z", "--full-name")
    if listed is None:
        return None
    return frozenset(root / name for name in listed.split("\0") if name)


def vcs_state(start: Path) -> VcsState | None:
    root = repository_root(start)
    if root is None:
        return None
    head = _git(root, "rev-parse", "--verify", "HEAD")
    status = _git(root, "status", "--porcelain", "--untracked-files=no")
    if head is None or status is None:
        return None
    return VcsState(commit=head.strip(), dirty=bool(status.strip()))
