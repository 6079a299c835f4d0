"""The compiled policy, kept across runs: a pre-commit run loads it instead of compiling.

Compiling the policies takes regopy about 0.12 s, a third of a one-manifest run; loading
its binary bundle takes 4 ms. The cache holds one file per key, `tdcheck-<key>.rbb`, where the key
is a sha256 over the policy digest (every module and the merged data: the revision that
`tdcheck bundle` writes and the JSON report records), the engine's version, the entry
points, the machine and this cache's format. A changed policy or data file, `--policy`,
`--data` or a regopy upgrade is a new key; the newest few files are kept.

Where: TDCHECK_CACHE_DIR, else $XDG_CACHE_HOME/tdcheck, else ~/.cache/tdcheck. Off with
`--no-cache` or TDCHECK_NO_CACHE=1. A file is written under a temporary name in the same
directory and renamed, so concurrent runs (pre-commit in two worktrees) see a whole file or
none. The cache can only make a run faster: a directory that cannot be created or is
writable by others (a planted bundle would decide the findings), and any error reading or
writing, fall back to compiling without a word; a file the engine rejects (corrupt,
truncated) is deleted and rebuilt by the caller.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import platform
import re
import secrets
import stat
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

FORMAT = "tdcheck-policy-cache-1"
KEEP = 8  # bundle files kept (each about 0.3 MB): the policies a user switches between
_STALE_TMP_S = 3600.0  # a temporary file this old belongs to a run that died mid-write
_OFF = ("", "0", "false", "no", "off")
# tdcheck's mark on every file it writes in the cache directory: the only files it deletes.
MARKER = "tdcheck-"
_OUR_TMP = re.compile(rf"\.{MARKER}[0-9a-f]{{64}}\.[0-9]+\.[0-9a-f]{{8}}\.tmp")


def cache_dir(environ: Mapping[str, str] | None = None) -> Path | None:
    """The cache directory the environment asks for, or None when the cache is off."""
    env = os.environ if environ is None else environ
    if env.get("TDCHECK_NO_CACHE", "").strip().lower() not in _OFF:
        return None
    if env.get("TDCHECK_CACHE_DIR"):
        return Path(env["TDCHECK_CACHE_DIR"])
    xdg = env.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg):  # the XDG spec: a relative value is invalid and ignored
        return Path(xdg) / "tdcheck"
    try:
        return Path.home() / ".cache" / "tdcheck"
    except RuntimeError:  # no HOME and no passwd entry
        return None


def cache_key(policy_digest: str, engine_version: str, entrypoints: Sequence[str]) -> str:
    machine = platform.machine()  # already imported by regopy
    parts = [FORMAT, policy_digest, engine_version, *entrypoints, machine, sys.byteorder]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


class BundleCache:
    """One directory of compiled bundles; every method is best effort and never raises."""

    def __init__(self, directory: Path, suffix: str = ".rbb") -> None:
        self.directory = directory
        self._suffix = suffix

    def path(self, key: str) -> Path:
        return self.directory / f"{MARKER}{key}{self._suffix}"

    def lookup(self, key: str) -> Path | None:
        """The cached file for `key`, if there is one this user may trust."""
        path = self.path(key)
        try:
            if not _trusted(self.directory) or not _trusted(path, directory=False):
                return None
        except OSError:
            return None
        with contextlib.suppress(OSError):  # a read-only cache is still a cache
            os.utime(path)  # recently used files survive pruning
        return path

    def store(self, key: str, write: Callable[[Path], None]) -> None:
        """`write(tmp)` fills a temporary file, which then replaces the cached one at once."""
        tmp = self.directory / f".{MARKER}{key}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
        try:
            self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            if not _trusted(self.directory):
                return
            write(tmp)
            os.replace(tmp, self.path(key))
        except Exception:  # noqa: BLE001 - a cache that cannot be written is no cache
            with contextlib.suppress(OSError):
                tmp.unlink()
            return
        self._prune()

    def discard(self, key: str) -> None:
        with contextlib.suppress(OSError):
            self.path(key).unlink()

    def _prune(self) -> None:
        """Only files whose whole name is one tdcheck writes are ever deleted: the directory
        TDCHECK_CACHE_DIR names may hold anything else."""
        ours = re.compile(rf"{MARKER}[0-9a-f]{{64}}{re.escape(self._suffix)}")
        try:
            entries = [
                (entry.lstat().st_mtime, entry)
                for entry in self.directory.iterdir()
                if ours.fullmatch(entry.name) or _OUR_TMP.fullmatch(entry.name)
            ]
        except OSError:
            return
        bundles = sorted((e for e in entries if e[1].suffix == self._suffix), reverse=True)
        old = [path for _, path in bundles[KEEP:]]
        now = time.time()
        old += [p for m, p in entries if p.suffix == ".tmp" and now - m > _STALE_TMP_S]
        for path in old:
            with contextlib.suppress(OSError):
                path.unlink()


def _trusted(path: Path, directory: bool = True) -> bool:
    """Ours and writable by nobody else: whoever can write the cache decides the findings."""
    return trusted_status(path.stat(), directory)


def trusted_status(info: os.stat_result, directory: bool) -> bool:
    """`_trusted` of a status already taken (an open file's fstat)."""
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        return False
    if directory:
        return stat.S_ISDIR(info.st_mode) and not info.st_mode & 0o022
    return stat.S_ISREG(info.st_mode)
