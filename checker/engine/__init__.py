"""Engines behind one interface; adding one is a module plus a line in ENGINES."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

from checker.engine.interface import Engine, EngineOptions, Evaluation, RawFinding
from checker.policy import PolicySet


def _embedded(policy: PolicySet, options: EngineOptions) -> Engine:
    from checker.engine import embedded

    return embedded.create(policy, options)


def _opa(policy: PolicySet, options: EngineOptions) -> Engine:
    from checker.engine import opa

    return opa.create(policy, options)


def _wasm(policy: PolicySet, options: EngineOptions) -> Engine:
    from checker.engine import wasm

    return wasm.create(policy, options)


# Imports stay inside the factories: the pre-commit path should not pay for requests.
ENGINES: dict[str, Callable[[PolicySet, EngineOptions], Engine]] = {
    "embedded": _embedded,
    "opa": _opa,
    "wasm": _wasm,
}


# `auto` starts a local OPA server from this many manifests on: the start (about 0.5 s of
# compiling) costs less than the embedded engine's evaluation, 10-20 times slower per
# manifest than OPA's (bench/results.md). Findings are identical (test_engine_agreement).
AUTO_OPA_FROM = 2


def resolve_engine_name(
    requested: str, options: EngineOptions, policy: PolicySet | None = None
) -> str:
    """`auto`: OPA when a URL is configured; else Wasm when this policy set can run on it (the
    shipped module fits, or `opa` is on PATH to build one; docs/wasm-engine.md); else, with
    a notice saying why, OPA when `opa` is on PATH and the batch is not a single manifest
    (`options.documents`, 0 = unknown), or embedded (regopy)."""
    if requested != "auto":
        return requested
    if options.opa_urls:
        return "opa"
    if policy is not None:
        from checker.engine.wasm import unusable

        reason = unusable(policy, options)
        if reason is None:
            return "wasm"
        name = _fallback(options)
        notify(f"{reason}; evaluating with the {name} engine instead of Wasm")
        return name
    return _fallback(options)


def notify(message: str) -> None:
    """Which engine decides the findings is news the user needs even with --quiet: a report
    from a different engine than expected must not go unexplained."""
    sys.stderr.write(f"tdcheck: notice: {message}\n")


def _fallback(options: EngineOptions) -> str:
    if 0 < options.documents < AUTO_OPA_FROM:
        return "embedded"
    from checker.engine.opa_server import find_opa

    return "opa" if find_opa() else "embedded"


def parallel_workers(documents: int) -> int:
    """One engine process per core for a batch (each costs an interpreter start and a compile
    of the policies, about 0.3 s), fewer for a handful of manifests."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(cores or 1, documents // 2 if documents else 1))


# Engines that run native code without bounds of their own: a crash or hang there is
# contained in a worker process, a batch's or a single manifest's.
CONTAINED = frozenset({"embedded"})


def create_engine(name: str, policy: PolicySet, options: EngineOptions) -> Engine:
    """The engine, already proven to evaluate the policies (the canary: canary.py)."""
    engine: Engine
    if name in CONTAINED:
        # A crash or hang in native code costs the manifest it was on, never the run, and
        # --timeout holds; one manifest's worker is forked, cheaper than spawned (isolation.py).
        from checker.engine.isolation import IsolatedEngine, fork_is_safe

        single = options.documents == 1 and fork_is_safe()
        engine = IsolatedEngine(
            ENGINES[name],
            policy,
            options,
            workers=parallel_workers(options.documents),
            start_method="fork" if single else "spawn",
        )
    else:
        engine = ENGINES[name](policy, options)
    if not getattr(engine, "checks_canary", False):  # an OPA fleet checks each server
        try:
            verify_canary(engine, policy, options)
        except BaseException:
            engine.close()
            raise
    return engine


def verify_canary(engine: Engine, policy: PolicySet, options: EngineOptions) -> None:
    """Evaluate the canary, once per policy digest and engine version (remembered in the
    policy cache: the embedded engine's answer for a digest does not change)."""
    from checker.engine import canary
    from checker.engine.policy_cache import BundleCache, cache_dir, cache_key
    from checker.errors import PolicyMismatch

    directory = cache_dir() if options.policy_cache else None
    memo = BundleCache(directory, suffix=".canary") if directory is not None else None
    key = cache_key(policy.digest, engine.version(), [canary.fingerprint()])
    if memo is not None and memo.lookup(key) is not None:
        return
    # One case at a time, stopping at the first that cannot be evaluated (a hanging rule):
    # the run's own manifests meet that fault and are reported; the rest would cost a
    # --timeout each.
    answers: list[Evaluation] = []
    for document in canary.documents():
        answers.extend(engine.evaluate([document]))
        if answers[-1].error is not None:
            break
    untried = len(canary.cases()) - len(answers)
    answers += [Evaluation(error="not tried")] * untried
    problem = canary.judge(policy, answers, strict=True)
    if problem is not None:
        raise PolicyMismatch(f"the {engine.name} engine {problem}; refusing to report a run")
    if memo is not None and all(answer.error is None for answer in answers):
        memo.store(key, _write_pass_mark)  # a case left unjudged is tried again next run


def _write_pass_mark(path: Path) -> None:
    path.write_bytes(b"tdcheck canary passed\n")


__all__ = [
    "ENGINES",
    "Engine",
    "EngineOptions",
    "Evaluation",
    "RawFinding",
    "create_engine",
    "parallel_workers",
    "resolve_engine_name",
]
