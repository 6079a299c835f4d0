"""Crash containment: any engine, evaluated in worker processes that may die without the run.

regopy (rego-cpp) can abort or segfault inside native code, taking the Python process with
it, and a few builtins never return (`replace(s, "", x)`). `IsolatedEngine` wraps an engine
factory: each worker process builds the engine once (compiling the policies), then
evaluates the documents it is sent and streams back one Evaluation per unit. When a worker
dies or exceeds the timeout, the document it was on becomes an Evaluation error naming the
signal (and the engine's last words on stderr), the worker is replaced, and the rest carry
on. A unit of several documents (`batch` > 1, for engines that evaluate batches natively)
that fails is retried one document at a time, so only the culprit is lost. After
`max_failures` failures in a row the remaining documents are reported as not evaluated
rather than tried (a policy that crashes on everything must not cost N restarts).

`workers` > 1 evaluates in parallel, one engine per process. Workers are started with the
'spawn' context: no state is inherited from the parent (forking a process that holds a
native interpreter or threads is unsafe), at the price of one interpreter start each
(about 0.3-0.5 s). A single manifest (pre-commit) is evaluated in one worker forked from a
parent that holds neither (`fork_is_safe`): the same containment for
less than a spawn costs (bench/containment_cost.py).
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import pickle
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Mapping, Sequence
from multiprocessing.connection import wait
from pathlib import Path
from typing import Any

from checker.engine.interface import EngineOptions, Evaluation
from checker.engine.isolation_worker import Factory, Worker, death, kill, serve
from checker.errors import CheckerError, EngineError, PolicyError, UsageError
from checker.policy import PolicySet

_ERRORS: dict[str, type[CheckerError]] = {
    "PolicyError": PolicyError,
    "UsageError": UsageError,
    "EngineError": EngineError,
}
_START_TIMEOUT_S = 120.0  # an interpreter start plus compiling the policy set
_PENDING = object()
_IN_FLIGHT = 2  # units per worker: one evaluating, one waiting in the pipe


def fork_is_safe() -> bool:
    """Forking is safe while this process runs no other thread and holds no native engine
    (the run creates engines only in workers); Linux only (macOS frameworks are not)."""
    if sys.platform != "linux" or threading.active_count() != 1:
        return False
    # Native threads (wasmtime's, once a Wasm module was compiled in this process) are not
    # Python threads: count the process's own tasks.
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return False


class IsolatedEngine:
    def __init__(
        self,
        factory: Factory,
        policy: PolicySet,
        options: EngineOptions,
        *,
        workers: int = 1,
        batch: int = 1,
        max_failures: int = 3,
        start_method: str = "spawn",
    ) -> None:
        self._timeout = options.timeout_s
        self._batch = max(1, batch)
        self._max_failures = max_failures
        self._context: Any = multiprocessing.get_context(start_method)
        self._tmp = tempfile.TemporaryDirectory(prefix="tdcheck-worker-")
        # Handed over in a file, not through Process args: CPython writes those into a pipe
        # whose read end it holds open until the write ends, so a child that dies while
        # starting (an unimportable __main__) would block a large write (the policy sources)
        # for ever.
        self._setup = Path(self._tmp.name) / "setup.pickle"
        self._setup.write_bytes(pickle.dumps((factory, policy, options)))
        self._spawned = 0
        self._workers: list[Worker] = []
        self.name = "isolated"
        self._version = ""
        pending: list[Worker] = []
        try:
            pending.extend(self._spawn() for _ in range(max(1, workers)))
            for worker in pending:
                self.name, self._version = self._await_ready(worker)
                self._workers.append(worker)
        except BaseException:
            for worker in pending:
                kill(worker)
            self.close()
            raise

    def version(self) -> str:
        return self._version

    def _spawn(self) -> Worker:
        self._spawned += 1
        log = Path(self._tmp.name) / f"worker-{self._spawned}.log"
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=serve, args=(child, str(self._setup), str(log)), daemon=True
        )
        # A forked child shares the parent's pages until it writes them: the collector,
        # walking every object, would copy them all.
        gc.freeze()
        try:
            process.start()
        finally:
            gc.unfreeze()
        child.close()
        return Worker(process, parent, log)

    def _await_ready(self, worker: Worker) -> tuple[str, str]:
        deadline = time.monotonic() + max(_START_TIMEOUT_S, self._timeout)
        message = self._receive(worker, deadline)
        if message is None:
            why = death(worker, "while compiling the policies")
            kill(worker)
            raise PolicyError(f"the engine {why}")
        if message[0] == "fail":
            kill(worker)
            raise _ERRORS.get(message[1], EngineError)(message[2])
        return str(message[1]), str(message[2])

    def _receive(self, worker: Worker, deadline: float) -> Any:
        """The worker's next message, or None if it died or the deadline passed."""
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            ready = wait([worker.conn, worker.process.sentinel], left)
            if worker.conn in ready:
                try:
                    return worker.conn.recv()
                except (EOFError, OSError):
                    return None
            if ready:  # the sentinel: the process ended without a message
                return None

    def evaluate(self, documents: Sequence[Mapping[str, Any]]) -> list[Evaluation]:
        results: list[Evaluation | None] = [None] * len(documents)
        step = self._batch
        units = deque(
            tuple(range(start, min(start + step, len(documents))))
            for start in range(0, len(documents), step)
        )
        failures = 0
        while units or any(worker.queue for worker in self._workers):
            if failures >= self._max_failures or not self._workers:
                while units:
                    for index in units.popleft():
                        results[index] = Evaluation(error=self._gave_up(failures))
            for worker in self._workers:
                while len(worker.queue) < _IN_FLIGHT and units:
                    self._send(worker, units.popleft(), documents)
            busy = [worker for worker in self._workers if worker.queue]
            if not busy:
                continue
            left = min(worker.deadline for worker in busy) - time.monotonic()
            wait([w.conn for w in busy] + [w.process.sentinel for w in busy], max(0.0, left))
            for worker in busy:
                outcome = self._collect(worker)
                if outcome is _PENDING:
                    continue
                unit = worker.queue.popleft()
                if isinstance(outcome, list):
                    failures = 0
                    for index, result in zip(unit, outcome, strict=True):
                        results[index] = result
                    if worker.queue:
                        worker.deadline = time.monotonic() + self._timeout * len(worker.unit)
                    continue
                # Units queued behind the failed one never started: they go back first.
                units.extendleft(reversed(worker.queue))
                if len(unit) > 1:  # find the culprit: one document at a time
                    units.extendleft((index,) for index in reversed(unit))
                else:
                    failures += 1
                    results[unit[0]] = Evaluation(error=outcome)
                self._replace(worker)
        return [r if r is not None else Evaluation(error=self._gave_up(failures)) for r in results]

    def _send(self, worker: Worker, unit: tuple[int, ...], documents: Sequence[Any]) -> None:
        if not worker.queue:
            worker.deadline = time.monotonic() + self._timeout * len(unit)
        worker.queue.append(unit)
        # If it died between units, collecting the unit reports how.
        with contextlib.suppress(OSError, ValueError):
            worker.conn.send([documents[index] for index in unit])

    def _collect(self, worker: Worker) -> Any:
        """A list of Evaluations, _PENDING, or the reason the unit failed (the worker is dead)."""
        if worker.conn.poll():
            try:
                message = worker.conn.recv()
            except (EOFError, OSError):
                message = None
            if message is not None and message[0] == "done":
                return list(message[1])
            if message is not None and message[0] == "error":
                return [Evaluation(error=str(message[1]))] * len(worker.unit)
            return f"the engine {death(worker, 'evaluating this manifest')}"
        if not worker.process.is_alive():
            return f"the engine {death(worker, 'evaluating this manifest')}"
        if time.monotonic() < worker.deadline:
            return _PENDING
        kill(worker)
        return (
            f"evaluation took longer than {self._timeout * len(worker.unit):g}s "
            "(--timeout); the engine worker was stopped"
        )

    def _replace(self, worker: Worker) -> None:
        kill(worker)
        self._workers.remove(worker)
        fresh = self._spawn()
        try:
            self._await_ready(fresh)
        except CheckerError:
            return  # fewer workers; with none left, the rest are reported below
        self._workers.append(fresh)

    def _gave_up(self, failures: int) -> str:
        if not self._workers:
            return "skipped: the engine worker could not be restarted"
        return f"skipped after the engine failed on {failures} manifests in a row"

    def close(self) -> None:
        # Every answer is in: a worker holds nothing worth an orderly exit (its native
        # interpreter takes longer to free than the process to die).
        for worker in self._workers:
            kill(worker)
        self._workers = []
        self._tmp.cleanup()
