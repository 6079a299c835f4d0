"""Output files (-o): written whole or not at all, never through a planted name."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from checker.errors import UsageError


def write_atomically(
    output: Path,
    write: Callable[[IO[Any]], object],
    *,
    what: str = "report",
    binary: bool = False,
    mode: int | None = None,
) -> None:
    """Rendered into a temporary file beside OUTPUT, renamed when complete: a run that fails
    mid-render (or is interrupted) never leaves a truncated report for CI to upload.

    The temporary file is created exclusively (mkstemp: O_EXCL, a fresh name), so a file or
    symlink planted beside the target is never followed; a target that exists and is not a
    regular file (a device, a directory, a FIFO) is refused rather than replaced."""
    _check_target(output, what)
    try:
        fd, name = tempfile.mkstemp(
            prefix=f".{output.name}.", suffix=".tdcheck-partial", dir=output.parent
        )
    except OSError as exc:
        raise UsageError(f"{output}: cannot write the {what}: {exc.strerror}") from None
    partial = Path(name)
    try:
        with os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8") as handle:
            # As open() would have made it, not mkstemp's 0600.
            os.fchmod(handle.fileno(), 0o666 & ~_umask() if mode is None else mode)
            write(handle)
        _check_target(output, what)  # it may have been swapped while rendering
        os.replace(partial, output)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise UsageError(f"{output}: cannot write the {what}: {exc.strerror}") from None
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def _check_target(output: Path, what: str) -> None:
    if not output.name or output.name in (".", ".."):
        raise UsageError(f"-o {output}: names a directory; expected a file name")
    try:
        mode = os.stat(output).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise UsageError(f"-o {output}: cannot write the {what}: {exc.strerror}") from None
    if not stat.S_ISREG(mode):
        raise UsageError(f"-o {output}: exists and is not a regular file; expected a file")


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
