"""The worker side of crash containment (isolation.py): one process, one engine.

The worker builds the engine once, then answers lists of documents with lists of
Evaluations until told to stop. Its fds 1 and 2 go to a log file: native code must not
write on the parent's report stream, and after a crash the log holds the engine's last
words, which `death` puts into the one-line error.
"""

from __future__ import annotations

import os
import pickle
import signal
import threading
import time
from collections import deque
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from checker.engine.interface import Engine, EngineOptions
from checker.errors import CheckerError
from checker.policy import PolicySet

# A module-level function: a spawned worker imports the factory by its qualified name.
Factory = Callable[[PolicySet, EngineOptions], Engine]


def serve(conn: Connection, setup: str, log: str) -> None:
    """The worker: build the engine, then answer lists of documents until told to stop.

    `setup` is a pickle of (factory, policy set, options) written by the parent.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    # SIGTERM is the parent's too: it ends its workers itself (and the orphan watch does).
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    threading.Thread(target=_watch, args=(os.getppid(),), daemon=True).start()
    # fd 1 is the parent's report stream; fd 2 is kept for a crash's last words.
    sink = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(sink, 1)
    os.dup2(sink, 2)
    try:
        factory, policy, options = pickle.loads(Path(setup).read_bytes())
        engine = factory(policy, options)
    except Exception as exc:  # noqa: BLE001 - the parent raises it as the same kind of error
        kind = type(exc).__name__ if isinstance(exc, CheckerError) else "EngineError"
        conn.send(("fail", kind, _describe(exc)))
        os._exit(0)
    conn.send(("ready", engine.name, engine.version()))
    while True:
        try:
            message = conn.recv()
        except EOFError:
            message = None
        if message is None:
            break
        try:
            conn.send(("done", engine.evaluate(message)))
        except Exception as exc:  # noqa: BLE001 - one line for the parent, never a traceback
            conn.send(("error", _describe(exc)))
    engine.close()
    # Skip interpreter teardown (freeing a native interpreter takes ~0.1 s): nothing is
    # buffered, fds 1 and 2 point at the log.
    os._exit(0)


# What a worker may hold: a policy that loops building values (some regopy defects do) is
# stopped, and reported like a crash, instead of swapping the machine. RLIMIT_AS cannot do
# it: rego-cpp's allocator reserves far more address space than it uses.
MEMORY_BUDGET_MB = 4096
_WATCH_S = 0.1


def _memory_budget() -> int:
    budget = os.environ.get("TDCHECK_ENGINE_MEMORY_MB", "")
    megabytes = int(budget) if budget.isdigit() and int(budget) > 0 else MEMORY_BUDGET_MB
    return megabytes * 1024 * 1024


def _resident() -> int:
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:  # Linux: pages resident
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _watch(parent: int) -> None:
    """A parent killed outright (CI's timeout) never stops a worker stuck in native code, and
    native code never checks a budget; ctypes releases the GIL there, so this thread still
    runs, and ends the worker when either happens."""
    budget = _memory_budget()
    while os.getppid() == parent:
        if _resident() > budget:
            os.write(2, f"memory budget of {budget >> 20} MB exceeded\n".encode())
            os._exit(3)
        time.sleep(_WATCH_S)
    os._exit(1)


def _describe(exc: BaseException) -> str:
    return str(exc) if isinstance(exc, CheckerError) else f"{type(exc).__name__}: {exc}"


class Worker:
    __slots__ = ("conn", "deadline", "log", "process", "queue")

    def __init__(self, process: Any, conn: Connection, log: Path) -> None:
        self.process = process
        self.conn = conn
        self.log = log
        # Units sent and not answered, in order: the first is being evaluated, the next
        # waits in the pipe so the worker never idles between units.
        self.queue: deque[tuple[int, ...]] = deque()
        self.deadline = 0.0  # for the first unit of the queue

    @property
    def unit(self) -> tuple[int, ...]:
        return self.queue[0] if self.queue else ()


def kill(worker: Worker) -> None:
    if worker.process.is_alive():
        worker.process.kill()
        worker.process.join(timeout=5)
    worker.conn.close()


def death(worker: Worker, when: str) -> str:
    """`crashed (SIGSEGV) while ...: <last line on stderr>`, or `exited (code 1) ...`."""
    worker.process.join(timeout=1)
    code = worker.process.exitcode
    if code is None:
        return f"stopped answering {when}"
    if code < 0:
        try:
            how = f"crashed ({signal.Signals(-code).name})"
        except ValueError:
            how = f"crashed (signal {-code})"
    else:
        how = f"exited (code {code})"
    try:
        lines = worker.log.read_text(encoding="utf-8", errors="replace").split("\n")
    except OSError:
        lines = []
    last = " ".join(line.strip() for line in lines if line.strip())[-240:]
    return f"{how} {when}" + (f": {last}" if last else "")
