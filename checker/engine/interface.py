"""The engine seam: load a PolicySet once, evaluate many manifests, return raw findings."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from checker.policy import PolicySet

RawFinding = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class EngineOptions:
    opa_urls: tuple[str, ...] = ()
    opa_token: str | None = field(default=None, repr=False)  # never in a repr or traceback
    opa_ca_file: str | None = None
    timeout_s: float = 30.0  # one manifest's evaluation, or one request to an OPA server
    # How many manifests the run evaluates (0: unknown). A single manifest is evaluated in
    # one forked worker, a batch in spawned ones (isolation.py).
    documents: int = 0
    # The embedded engine's compiled policy, kept across runs (policy_cache.py); --no-cache
    # (and TDCHECK_NO_CACHE=1, read there) turn it off.
    policy_cache: bool = True
    # --opa-trust-remote-policy: an --opa-url server may serve other policies than this
    # run's (its bundle revision then names them in the report; the canary only checks
    # that it answers with findings).
    trust_remote_policy: bool = False


@dataclass(frozen=True, slots=True)
class Evaluation:
    """What one manifest produced: raw findings, or the one-line reason it was not evaluated."""

    findings: tuple[RawFinding, ...] = ()
    error: str | None = None


class Engine(Protocol):
    name: str

    def version(self) -> str: ...

    def evaluate(self, documents: Sequence[Mapping[str, Any]]) -> list[Evaluation]:
        """One Evaluation per document, in order. Raises EngineError if nothing could run."""
        ...

    def close(self) -> None: ...


class EngineFactory(Protocol):
    def __call__(self, policy: PolicySet, options: EngineOptions) -> Engine: ...


def decode_findings(value: Any) -> tuple[RawFinding, ...]:
    """The entry point is a set of objects; anything else is a decision of the wrong shape."""
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise ValueError(f"expected a set of finding objects, got {type(value).__name__}")
    return tuple(value)
