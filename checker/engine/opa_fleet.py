"""Several OPA servers as one: documents spread round-robin, failover when a server goes down.

Retry policy (documented in docs/engines.md, "An OPA fleet"): a decision is a POST, but a pure
function of input, policy and data, so repeating it is safe. A connection failure, a
timeout, a TLS or credential refusal, and HTTP 502/503/504 are tried again on the next
server that is up, at most once per server (a lone server gets one more try after a
pause). A connection-level failure, a timeout or a refusal marks the server down for the
rest of the run. Everything else (HTTP 500 from a policy error, a non-JSON answer) is
final for that document: asking again would give the same answer. When every server is
down, the remaining documents are reported as not evaluated.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, NamedTuple

from checker.engine.opa_errors import Failure
from checker.engine.opa_http import Endpoint
from checker.errors import EngineConnectionError, PolicyMismatch

_PAUSE_S = 0.25  # before a lone server's second try: long enough for a proxy to recover


class Answer(NamedTuple):
    """A parsed answer and which server gave it (for a message if it is nonsense)."""

    label: str
    value: Any


class Fleet:
    def __init__(self, endpoints: Sequence[Endpoint], workers: int | None = None) -> None:
        self.endpoints = tuple(endpoints)
        self._down: dict[int, str] = {}  # endpoint index -> why it is down
        self._lock = threading.Lock()
        self._next = 0  # round-robin position, carried across evaluate calls
        cpus = os.cpu_count() or 2
        self._workers = workers or min(16, max(2, cpus) * len(self.endpoints))
        self._pool: ThreadPoolExecutor | None = None

    def check_health(self) -> None:
        """Mark servers that fail GET /health down; raise if none is left."""
        for index, endpoint in enumerate(self.endpoints):
            try:
                endpoint.health()
            except Failure as failure:
                self._mark_down(index, failure.message)
        if len(self._down) == len(self.endpoints):
            raise EngineConnectionError(self.all_down())

    def check_revision(self, digest: str, *, trust: bool) -> set[str]:
        """The bundle revisions the servers report; unless `trust`, a server that serves
        another revision than this run's policy digest, or does not say, is marked down.

        The report names the policy digest that judged it; a server with another bundle
        would make that a lie. `tdcheck bundle` sets the revision to the policy digest.
        """
        revisions: set[str] = set()
        refused = False
        for index, endpoint in enumerate(self.endpoints):
            if index in self._down:
                continue
            try:
                served = bundle_revisions(endpoint.get("system/bundles"))
            except Failure as failure:
                if not trust:  # a fault, not an answer: reported like a failed health check
                    self._mark_down(index, f"cannot read its bundle revision: {failure.message}")
                continue
            revisions |= served
            if trust or digest in served:
                continue
            refused = True
            if served:
                reason = (
                    f"serves bundle revision {', '.join(sorted(served))}, but this run's "
                    f"policies are {digest} (deploy `tdcheck bundle` built with the same "
                    "--policy and --data, or pass --opa-trust-remote-policy)"
                )
            else:
                reason = (
                    "does not say which policies it serves (no bundle with a revision); "
                    "deploy `tdcheck bundle` or pass --opa-trust-remote-policy"
                )
            self._mark_down(index, reason)
        self._refuse_if_all_down(refused)
        return revisions

    def check_canary(
        self,
        path: str,
        documents: Sequence[Mapping[str, Any]],
        verdict: Callable[[str, list[Any]], str | None],
    ) -> None:
        """Each server that is up evaluates the canary on its own connection; one whose
        answer `verdict` rejects (or that fails to answer) is marked down."""
        refused = False
        for index, endpoint in enumerate(self.endpoints):
            if index in self._down:
                continue
            try:
                answers = [self._decide_on(endpoint, path, document) for document in documents]
            except Failure as failure:
                self._mark_down(index, failure.message)
                continue
            problem = verdict(endpoint.label, answers)
            if problem is not None:
                refused = True
                self._mark_down(index, f"{problem}; refusing to use it")
        self._refuse_if_all_down(refused)

    @staticmethod
    def _decide_on(endpoint: Endpoint, path: str, document: Mapping[str, Any]) -> Any:
        """One decision from this server, with the retry a lone server gets (module doc)."""
        try:
            return endpoint.decide(path, document)
        except Failure as failure:
            if not failure.retry:
                raise
        time.sleep(_PAUSE_S)
        return endpoint.decide(path, document)

    def _refuse_if_all_down(self, refused: bool) -> None:
        if len(self._down) < len(self.endpoints):
            return
        if refused:  # not a fault to retry: the servers do not run this run's policies
            raise PolicyMismatch(self.all_down())
        raise EngineConnectionError(self.all_down())

    def all_down(self) -> str:
        reasons = "; ".join(f"{self.endpoints[i].label}: {why}" for i, why in self._down.items())
        if len(self.endpoints) == 1:
            return f"cannot use {reasons}"
        return f"every OPA server is down ({reasons})"

    def decide_all(
        self, path: str, documents: Sequence[Mapping[str, Any]]
    ) -> list[Answer | Failure]:
        """One answer per document, in order: an Answer, or a Failure with its reason."""
        with self._lock:
            start = self._next
            self._next += len(documents)
        jobs = [(start + i, doc) for i, doc in enumerate(documents)]
        if len(jobs) <= 1 or self._workers <= 1:
            return [self._decide(path, slot, doc) for slot, doc in jobs]
        if self._pool is None:
            # One pool for the run: its threads keep their sessions' connections alive across
            # calls (a pool per call would open new connections for every chunk).
            self._pool = ThreadPoolExecutor(self._workers, thread_name_prefix="tdcheck-opa")
        return list(self._pool.map(lambda job: self._decide(path, *job), jobs))

    def _decide(self, path: str, slot: int, document: Mapping[str, Any]) -> Answer | Failure:
        last: Failure | None = None
        last_index = -1
        for attempt in range(max(2, len(self.endpoints))):
            index = self._pick(slot + attempt)
            if index is None:
                break
            if index == last_index:
                time.sleep(_PAUSE_S)
            endpoint = self.endpoints[index]
            try:
                return Answer(endpoint.label, endpoint.decide(path, document))
            except Failure as failure:
                # A lone server keeps one more try (after a pause) before it is written off.
                if failure.down and (attempt or self._up() > 1):
                    self._mark_down(index, failure.message)
                last = Failure(f"{endpoint.label}: {failure.message}", retry=False)
                last_index = index
                if not failure.retry:
                    return last
        if last is not None and self._pick(slot) is not None:
            return last  # servers are up but refused this document (e.g. 503 everywhere)
        return Failure(self.all_down(), retry=False)

    def _pick(self, slot: int) -> int | None:
        """The first server that is up, starting at `slot` round the ring."""
        count = len(self.endpoints)
        with self._lock:
            for step in range(count):
                index = (slot + step) % count
                if index not in self._down:
                    return index
        return None

    def _up(self) -> int:
        with self._lock:
            return len(self.endpoints) - len(self._down)

    def _mark_down(self, index: int, why: str) -> None:
        with self._lock:
            self._down.setdefault(index, why)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        for endpoint in self.endpoints:
            endpoint.close()


def bundle_revisions(answer: Any) -> set[str]:
    """The revisions of the bundles a server has loaded (`.manifest` revision, and the policy
    digest in tdcheck's metadata), from data.system.bundles."""
    bundles = answer.get("result") if isinstance(answer, dict) else None
    revisions = set()
    for bundle in bundles.values() if isinstance(bundles, dict) else ():
        manifest = bundle.get("manifest") if isinstance(bundle, dict) else None
        if not isinstance(manifest, dict):
            continue
        if isinstance(manifest.get("revision"), str) and manifest["revision"]:
            revisions.add(manifest["revision"])
        metadata = manifest.get("metadata")
        ours = metadata.get("tdcheck") if isinstance(metadata, dict) else None
        digest = ours.get("policy_digest") if isinstance(ours, dict) else None
        if isinstance(digest, str) and digest:
            revisions.add(digest)
    return revisions
