"""The Wasm engine: OPA's own Wasm build of the policies, run in-process by wasmtime.

OPA compiles the Rego (tools/build_wasm.py for the shipped module, `opa build -t wasm` at run
time for `--policy` rules: wasm_module.py), so the semantics are OPA's, not a second
interpreter's; wasmtime runs the module in a sandbox with bounded memory and time
(wasm_abi.py). A manifest whose evaluation aborts, traps, runs past `--timeout` or
exhausts the memory limit is an Evaluation error (exit 3); the run goes on with a fresh
instance. Wasm code cannot crash the process, so no worker processes are needed; a batch
is spread over threads instead.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from checker.engine.interface import EngineOptions, Evaluation, decode_findings
from checker.errors import CheckerError, EngineError
from checker.policy import ENTRYPOINT, PolicySet

Document = Mapping[str, Any]


def unusable(policy: PolicySet, options: EngineOptions) -> str | None:
    """Why this policy set cannot run on the Wasm engine here, or None when it can (or when
    only the engine can say what is wrong: a policy `opa` refuses to compile)."""
    try:
        from checker.engine.wasm_module import prepare
    except ImportError:
        return "the wasmtime package is not installed"
    try:
        found = prepare(policy, options.policy_cache)
    except CheckerError:
        return None  # creating the engine raises it again, where the run reports it
    return found if isinstance(found, str) else None


class WasmEngine:
    """Evaluates a batch on one instance per worker thread: wasmtime releases the GIL while
    the module runs, so the threads evaluate on as many cores as `parallel_workers` gives."""

    name = "wasm"

    def __init__(self, policy: PolicySet, options: EngineOptions) -> None:
        try:
            from checker.engine import wasm_abi, wasm_module
        except ImportError as exc:
            raise EngineError(f"--engine wasm needs the wasmtime package: {exc}") from None
        prepared = wasm_module.prepare(policy, options.policy_cache)
        if isinstance(prepared, str):
            raise EngineError(f"--engine wasm cannot run these policies: {prepared}")
        from checker.engine import parallel_workers

        self._abi = wasm_abi
        self._timeout = options.timeout_s
        self._data = json.dumps(policy.data, separators=(",", ":")).encode()
        self._prepared = prepared
        self._version = wasm_module.engine_version(prepared.label)
        workers = parallel_workers(options.documents) if options.documents != 1 else 1
        self._slots: list[Any] = [None] * workers
        self._entrypoint = self._instance(0).entrypoints.get(ENTRYPOINT)
        if self._entrypoint is None:
            raise EngineError(f"the Wasm module has no entry point {ENTRYPOINT}")
        self._ticker = wasm_abi.Ticker(prepared.engine)
        self._pool = ThreadPoolExecutor(workers, "tdcheck-wasm") if workers > 1 else None

    def _instance(self, slot: int) -> Any:
        if self._slots[slot] is None:
            try:
                instance = self._prepared.instance()
                instance.load_data(self._data)
                self._slots[slot] = instance
            except self._abi.EvaluationFailed as exc:
                raise EngineError(f"the Wasm engine cannot run these policies: {exc}") from None
        return self._slots[slot]

    def version(self) -> str:
        return self._version

    def evaluate(self, documents: Sequence[Mapping[str, Any]]) -> list[Evaluation]:
        if self._pool is None or len(documents) < 2:
            return self._evaluate_slice(0, documents)
        share = -(-len(documents) // len(self._slots))
        slices = [documents[i : i + share] for i in range(0, len(documents), share)]
        done = self._pool.map(self._evaluate_slice, range(len(slices)), slices)
        return [result for part in done for result in part]

    def _evaluate_slice(self, slot: int, documents: Sequence[Document]) -> list[Evaluation]:
        return [self._evaluate_one(slot, document) for document in documents]

    def _evaluate_one(self, slot: int, document: Mapping[str, Any]) -> Evaluation:
        instance = self._instance(slot)
        raw = json.dumps(document, separators=(",", ":"), ensure_ascii=False)
        try:
            text = raw.encode()
        except UnicodeEncodeError:
            # A lone surrogate (a JSON manifest may escape one) has no UTF-8 form: U+FFFD, as
            # OPA's own JSON decoding makes of it.
            text = raw.encode("utf-16", "surrogatepass").decode("utf-16", "replace").encode()
        try:
            value = instance.evaluate(self._entrypoint, text, self._timeout)
        except self._abi.EvaluationFailed as exc:
            self._slots[slot] = None  # its heap is in no known state after a trap
            return Evaluation(error=str(exc))
        if value is self._abi.UNDEFINED:
            return Evaluation(error="policy decision undefined: data.tdcheck.main.findings")
        try:
            return Evaluation(findings=decode_findings(value))
        except ValueError as exc:
            return Evaluation(error=f"engine returned nonsense: {exc}")

    def close(self) -> None:
        pool = getattr(self, "_pool", None)
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        ticker = getattr(self, "_ticker", None)
        if ticker is not None:
            ticker.stop()
        self._slots = []


def create(policy: PolicySet, options: EngineOptions) -> WasmEngine:
    return WasmEngine(policy, options)
