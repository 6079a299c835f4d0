"""The result cache's directory: one file per input file's key, bounded, shared safely.

Where: `results/` in the policy cache's directory (TDCHECK_CACHE_DIR, else
$XDG_CACHE_HOME/tdcheck, else ~/.cache/tdcheck); off with `--no-cache` or
TDCHECK_NO_CACHE=1. The trust rules are the policy cache's: a directory this user does
not own, or that others can write, is ignored (whoever writes the cache decides the
findings). Entries are written under a temporary name and renamed, so two runs at once
see a whole entry or none; a used entry is touched (at most hourly), and when the
directory grows past MAX_BYTES the least recently used entries are removed, only files
that carry the entry marker. Every method is best effort: the cache can make a run
faster, never fail it.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import time
from collections.abc import Mapping
from pathlib import Path

from checker.cache.entry import MARKER, Entry, decode, encode
from checker.engine.policy_cache import _trusted, cache_dir, trusted_status

SUFFIX = ".tdr"
MAX_BYTES = 512 << 20  # about 10 runs of 10,000 manifests
_PRUNE_TO = 0.8  # pruning leaves room for a few runs before the next one
_STALE_TMP_S = 3600.0
_TOUCH_AFTER_S = 3600.0  # a used entry's time is renewed at most hourly: one write less per hit


def result_dir(environ: Mapping[str, str] | None = None) -> Path | None:
    base = cache_dir(environ)
    return base / "results" if base is not None else None


class ResultStore:
    def __init__(self, directory: Path, max_bytes: int = MAX_BYTES) -> None:
        self.directory = directory
        self._root = os.fspath(directory)
        self.max_bytes = max_bytes
        self._trusted: bool | None = None
        self._written = 0

    @classmethod
    def open(cls) -> ResultStore | None:
        directory = result_dir()
        return cls(directory) if directory is not None else None

    def _usable(self) -> bool:
        if self._trusted is None:
            try:
                self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
                self._trusted = _trusted(self.directory)
            except OSError:
                self._trusted = False
        return self._trusted

    def get(self, address: str) -> Entry | None:
        if not self._usable():
            return None
        # os, not pathlib: a re-check of 10,000 files looks up 10,000 entries.
        path = os.path.join(self._root, address + SUFFIX)
        try:
            with open(path, "rb") as handle:
                info = os.fstat(handle.fileno())
                if not trusted_status(info, directory=False):
                    return None
                blob = handle.read()
        except OSError:
            return None
        entry = decode(blob)
        if entry is None:  # truncated or corrupted: re-evaluated, and replaced then
            self.discard(address)
            return None
        if time.time() - info.st_mtime > _TOUCH_AFTER_S:
            with contextlib.suppress(OSError):
                os.utime(path)  # recently used entries survive pruning
        return entry

    def put(self, address: str, entry: Entry) -> None:
        if not self._usable():
            return
        tmp = self.directory / f".{address}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
        try:
            blob = encode(entry)
            tmp.write_bytes(blob)
            os.replace(tmp, self.directory / f"{address}{SUFFIX}")
            self._written += len(blob)
        except Exception:  # noqa: BLE001 - a cache that cannot be written is no cache
            with contextlib.suppress(OSError):
                tmp.unlink()

    def discard(self, address: str) -> None:
        with contextlib.suppress(OSError):
            (self.directory / f"{address}{SUFFIX}").unlink()

    def close(self) -> None:
        """After a run that wrote entries: keep the directory under its bound."""
        if self._written:
            self.prune()

    def prune(self) -> None:
        try:
            scanned = list(os.scandir(self.directory))
        except OSError:
            return
        now = time.time()
        entries = []
        for item in scanned:
            try:
                info = item.stat(follow_symlinks=False)
            except OSError:
                continue
            if item.name.endswith(".tmp") and now - info.st_mtime > _STALE_TMP_S:
                with contextlib.suppress(OSError):
                    os.unlink(item.path)
            elif item.name.endswith(SUFFIX) and item.is_file(follow_symlinks=False):
                entries.append((info.st_mtime, info.st_size, item.path))
        total = sum(size for _, size, _ in entries)
        if total <= self.max_bytes:
            return
        for _, size, path in sorted(entries):
            if total <= self.max_bytes * _PRUNE_TO:
                break
            if _is_entry(path):
                with contextlib.suppress(OSError):
                    os.unlink(path)
                    total -= size


def _is_entry(path: str) -> bool:
    """Only files that say they are entries are removed, whatever else shares the folder."""
    try:
        with open(path, "rb") as handle:
            return handle.read(len(MARKER)) == MARKER
    except OSError:
        return False
