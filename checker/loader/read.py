"""Bytes, files and stdin to LoadedSource: every failure becomes an InputError, never a raise."""

from __future__ import annotations

import hashlib
import os
import stat
import sys
from pathlib import Path
from typing import BinaryIO

from checker.errors import InputError, SourceSpan
from checker.loader.discover import InputRef
from checker.loader.document import LoadedSource
from checker.loader.json_source import parse_json
from checker.loader.limits import DEFAULT_LIMITS, Limits
from checker.loader.sniff import declares_manifest
from checker.loader.yaml_source import parse_yaml

_UTF16_32_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")


def _failed(
    source: str, digest: str, explicit: bool, message: str, line: int = 0, column: int = 0
) -> LoadedSource:
    error = InputError(SourceSpan(source, line, column), message)
    return LoadedSource(source, digest, (), (error,), explicit=explicit)


def _line_col(data: bytes, offset: int) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", "replace")) + 1
    return data.count(b"\n", 0, offset) + 1, column


def _undeclared(source: str, digest: str, explicit: bool) -> LoadedSource:
    return LoadedSource(source, digest, (), explicit=explicit, undeclared=True)


def load_bytes(
    data: bytes,
    source: str,
    limits: Limits = DEFAULT_LIMITS,
    explicit: bool = True,
    declared_only: bool = False,
) -> LoadedSource:
    """Parse one input: JSON if `source` ends in `.json`, YAML otherwise (stdin included).

    With `declared_only` (walks, pre-commit), a file that does not declare itself a manifest
    is not parsed at all: it comes back `undeclared`, without errors, whatever it holds.
    """
    digest = hashlib.sha256(data).hexdigest()
    if declared_only and not declares_manifest(data[: limits.max_bytes]):
        return _undeclared(source, digest, explicit)
    if len(data) > limits.max_bytes:
        return _failed(
            source,
            digest,
            explicit,
            f"input is larger than the limit of {limits.max_bytes} bytes",
        )
    if data.startswith(_UTF16_32_BOMS):
        return _failed(source, digest, explicit, "file is UTF-16/UTF-32 encoded; expected UTF-8")
    nul = data.find(b"\x00")
    if nul >= 0:
        message = "binary content (NUL byte); expected UTF-8 YAML or JSON text"
        return _failed(source, digest, explicit, message, *_line_col(data, nul))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        message = (
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "expected UTF-8 YAML or JSON text"
        )
        return _failed(source, digest, explicit, message, *_line_col(data, exc.start))
    text = text.removeprefix("\ufeff")
    parse = parse_json if source.lower().endswith(".json") else parse_yaml
    documents, errors = parse(text, source, limits)
    return LoadedSource(source, digest, documents, errors, explicit=explicit)


def _os_problem(path: Path, exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        if path.is_symlink():
            return "broken symbolic link: its target does not exist"
        return "no such file or directory"
    if isinstance(exc, PermissionError):
        return "cannot read: permission denied"
    if isinstance(exc, IsADirectoryError):
        return "is a directory, not a YAML or JSON file"
    return f"cannot read: {exc.strerror or exc}"


def _special(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a regular file"


def load_path(
    path: Path,
    display: str,
    limits: Limits = DEFAULT_LIMITS,
    explicit: bool = True,
    declared_only: bool = False,
) -> LoadedSource:
    """Read and parse one file, refusing one larger than `limits.max_bytes` before reading it."""
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            if not os.access(path, os.R_OK | os.X_OK):
                return _failed(display, "", explicit, "cannot read directory: permission denied")
            return _failed(display, "", explicit, "is a directory, not a YAML or JSON file")
        if not stat.S_ISREG(info.st_mode) and not explicit:
            # Opening a named pipe blocks until a writer appears: a walk must never hang on
            # one. Named on the command line (`<(generate)`, /dev/stdin) it is read.
            return _failed(display, "", explicit, f"is {_special(info.st_mode)}, not a file")
        if stat.S_ISREG(info.st_mode) and info.st_size > limits.max_bytes:
            if declared_only and not _head_declares(path, limits.max_bytes):
                return _undeclared(display, "", explicit)  # a lock file, a data dump
            message = (
                f"file is {info.st_size} bytes, larger than the limit of {limits.max_bytes} bytes"
            )
            return _failed(display, "", explicit, message)
        # Also bounded for pipes and files that grow after the stat.
        with path.open("rb") as handle:
            data = handle.read(limits.max_bytes + 1)
    except OSError as exc:
        return _failed(display, "", explicit, _os_problem(path, exc))
    return load_bytes(data, display, limits, explicit, declared_only)


def declares_a_manifest(ref: InputRef, limits: Limits = DEFAULT_LIMITS) -> bool:
    """The cheap look alone: whether a found file declares a manifest (unreadable: no)."""
    if ref.path is None:
        return False
    try:
        return _head_declares(ref.path, limits.max_bytes)
    except OSError:
        return False


def _head_declares(path: Path, size: int) -> bool:
    """Whether the part of an oversized file a manifest could use declares one."""
    with path.open("rb") as handle:
        return declares_manifest(handle.read(size))


def load_ref(
    ref: InputRef,
    limits: Limits = DEFAULT_LIMITS,
    stdin: BinaryIO | None = None,
    declared_only: bool = False,
) -> LoadedSource:
    """Load what `discover` found; `stdin` (default: the process's) is read for `-`."""
    if ref.path is not None:
        return load_path(ref.path, ref.display, limits, ref.explicit, declared_only)
    stream = stdin if stdin is not None else getattr(sys.stdin, "buffer", None)
    if stream is None:  # started without a standard input at all
        return _failed(ref.display, "", ref.explicit, "cannot read standard input: none is open")
    try:
        data = stream.read(limits.max_bytes + 1)
    except (OSError, ValueError) as exc:  # ValueError: reading a closed stream
        return _failed(ref.display, "", ref.explicit, f"cannot read standard input: {exc}")
    return load_bytes(data, ref.display, limits, ref.explicit, declared_only)
