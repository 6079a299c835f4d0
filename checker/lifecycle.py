"""Every child dies with tdcheck: on SIGTERM and SIGHUP as on Ctrl-C, and when it is killed.

SIGTERM (a CI job cancelled, a pre-commit hook stopped) would end the interpreter without
running a single `finally`: the local `opa run --server` left running with its temporary
directory, engine workers' directories left behind, a report half renamed. The CLI turns
these signals into KeyboardInterrupt, so the run unwinds as it does on Ctrl-C: engines
close (the OPA server is stopped, workers killed, temporary directories removed), `-o`
leaves no file, the exit code is 130. A SIGKILL runs nothing: the OPA server is started
with a parent-death signal (Linux) and engine workers watch their parent (isolation_worker).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any

_TERMINATING = (signal.SIGTERM, signal.SIGHUP)
_PR_SET_PDEATHSIG = 1


def _interrupt(signum: int, _frame: Any) -> None:
    raise KeyboardInterrupt(signal.Signals(signum).name)


@contextlib.contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """Within the block, SIGTERM and SIGHUP unwind the run like Ctrl-C (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    saved = {signum: signal.signal(signum, _interrupt) for signum in _TERMINATING}
    try:
        yield
    finally:
        for signum, handler in saved.items():
            signal.signal(signum, handler)


def die_with_parent() -> Callable[[], None] | None:
    """A `preexec_fn` for subprocess.Popen: the child gets SIGKILL when tdcheck ends, however
    it ends (Linux; elsewhere None, and close() on every other exit path does the job)."""
    if not sys.platform.startswith("linux"):
        return None
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    prctl = ctypes.CDLL(name, use_errno=True).prctl

    def arm() -> None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)

    return arm
