"""Input paths as the repository names them: what code scanning and annotations match on.

GitHub places a SARIF result or a workflow annotation on a file by its path relative to
the repository root: `./deploy/x.yaml` or an absolute path matches no file of a pull
request. A run names its inputs as they were given (relative to the working directory,
with `./` or `../`, or absolute), so renderers that point GitHub at files translate them.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Self

from checker.vcs import repository_root


class RepositoryPaths:
    def __init__(self, root: Path, cwd: Path) -> None:
        self.root = root.resolve()
        self.cwd = cwd
        self._relative: dict[str, str | None] = {}  # a manifest has many findings

    @classmethod
    def here(cls) -> Self:
        cwd = Path.cwd()
        return cls(repository_root(cwd) or cwd, cwd)

    def absolute(self, path: str) -> Path:
        return Path(os.path.normpath(self.cwd / path.replace("\\", "/")))

    def relative(self, path: str) -> str | None:
        """The path from the repository root (POSIX), or None for a file outside it."""
        if path not in self._relative:
            self._relative[path] = self._resolve(path)
        return self._relative[path]

    def _resolve(self, path: str) -> str | None:
        absolute = self.absolute(path)
        # GitHub cannot show a result on a symlink: name the file it points to.
        for candidate in (Path(os.path.realpath(absolute)), absolute):
            if candidate.is_relative_to(self.root):
                return candidate.relative_to(self.root).as_posix()
        return None

    def shown(self, path: str) -> str:
        """`relative`, else the path as given (standard input, a file outside the repository)."""
        if not_a_file(path):
            return path
        relative = self.relative(path)
        return relative if relative is not None else path


def not_a_file(path: str) -> bool:
    """Standard input (`-`) or another `<...>` source: no file to point at."""
    return path == "-" or path.startswith("<")
