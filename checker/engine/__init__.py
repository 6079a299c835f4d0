"""Engines behind one interface; adding one is a module plus a line in ENGINES."""

from __future__ import annotations

from collections.abc import Callable

from checker.engine.interface import Engine, EngineOptions, Evaluation, RawFinding
from checker.policy import PolicySet


def _embedded(policy: PolicySet, options: EngineOptions) -> Engine:
    from checker.engine import embedded

    return embedded.create(policy, options)


def _opa(policy: PolicySet, options: EngineOptions) -> Engine:
    from checker.engine import opa

    return opa.create(policy, options)


# Imports stay inside the factories: the pre-commit path should not pay for requests.
ENGINES: dict[str, Callable[[PolicySet, EngineOptions], Engine]] = {
    "embedded": _embedded,
    "opa": _opa,
}


def resolve_engine_name(requested: str, options: EngineOptions) -> str:
    """`auto`: OPA when a URL is configured or `opa` is on PATH, else embedded."""
    if requested != "auto":
        return requested
    from checker.engine.opa_server import find_opa

    return "opa" if options.opa_urls or find_opa() else "embedded"


def create_engine(name: str, policy: PolicySet, options: EngineOptions) -> Engine:
    return ENGINES[name](policy, options)


__all__ = [
    "ENGINES",
    "Engine",
    "EngineOptions",
    "Evaluation",
    "RawFinding",
    "create_engine",
    "resolve_engine_name",
]
