"""Engine factories that misbehave on demand, for the crash-containment tests.

Module-level, so a 'spawn' worker can import them: a document's `action` says what the
engine does with it (abort, segfault, hang, exit, raise, print to fd 1, or evaluate).
"""

from __future__ import annotations

import ctypes
import os
import time
from collections.abc import Mapping, Sequence
from typing import Any

from checker.engine.interface import EngineOptions, Evaluation
from checker.errors import EngineError, PolicyError
from checker.policy import PolicySet

EMPTY_POLICY = PolicySet((), {}, (), "sha256:test")


class MisbehavingEngine:
    name = "misbehaving"

    def version(self) -> str:
        return f"pid {os.getpid()}"

    def evaluate(self, documents: Sequence[Mapping[str, Any]]) -> list[Evaluation]:
        return [self._one(doc) for doc in documents]

    def _one(self, doc: Mapping[str, Any]) -> Evaluation:
        action = doc.get("action", "ok")
        if action == "abort":
            os.abort()
        if action == "segfault":
            ctypes.string_at(0)
        if action == "hang":
            time.sleep(3600)
        if action == "grow":  # a runaway allocation, as a looping policy makes
            hoard = []
            while True:
                hoard.append(bytearray(1 << 20))
                time.sleep(0.001)
        if action == "exit":
            os._exit(7)
        if action == "raise":
            raise EngineError("the engine gave up on this batch")
        if action == "bug":
            raise KeyError("surprise")
        if action == "print":
            os.write(1, b"native noise on fd 1\n")
        return Evaluation(findings=({"n": doc["n"], "pid": os.getpid()},))

    def close(self) -> None:
        pass


def misbehaving(policy: PolicySet, options: EngineOptions) -> MisbehavingEngine:
    return MisbehavingEngine()


def aborts_at_start(policy: PolicySet, options: EngineOptions) -> MisbehavingEngine:
    os.write(2, b"terminate called after throwing an instance of 'std::runtime_error'\n")
    os.abort()


def refuses_the_policy(policy: PolicySet, options: EngineOptions) -> MisbehavingEngine:
    raise PolicyError("policy1/org.rego:3:1: this is unclosed")
